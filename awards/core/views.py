"""Site-wide pages: about, privacy notice, accessibility statement, health check (the home
page is the public blueprint's)."""
from flask import Blueprint, render_template

from awards.core.health import database_answers

bp = Blueprint("core", __name__)


@bp.route("/about")
def about():
    """What the scheme is and how it works."""
    return render_template("core/about.html")


@bp.route("/privacy")
def privacy():
    """The privacy notice."""
    return render_template("core/privacy.html")


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement."""
    return render_template("core/accessibility.html")


@bp.route("/healthz")
def healthz():
    """200 when the database answers, 503 when it does not (for load balancers)."""
    if not database_answers():
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
