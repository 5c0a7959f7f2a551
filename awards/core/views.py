"""Site-wide pages: about, privacy notice, accessibility statement, health check (the home
page is the public blueprint's)."""
from flask import Blueprint, render_template
from sqlalchemy import text

from awards.extensions import db

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
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "unhealthy"
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200
