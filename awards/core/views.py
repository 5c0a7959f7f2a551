"""Site-wide pages: about, privacy notice, accessibility statement, health check (the home
page is the public blueprint's)."""
from flask import Blueprint, abort, current_app, redirect, render_template, request

from awards.core.health import service_health
from awards.core.languages import remember_language
from awards.core.security import safe_next_url

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


@bp.route("/language/<code>")
def language(code):
    """Remember this browser's language (a preference cookie, like any site's language link)
    and go back to the page they were on."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    return remember_language(redirect(safe_next_url(request.args.get("next"))), code)


@bp.route("/healthz")
def healthz():
    """200 when every service the configuration uses answers, else 503 naming the one that
    does not (for load balancers and whoever is on call)."""
    services = service_health()
    healthy = all(state == "ok" for state in services.values())
    return {"status": "ok" if healthy else "unavailable", **services}, 200 if healthy else 503
