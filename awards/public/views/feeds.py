"""Machine-readable and embeddable views: Atom feeds, sitemap, robots.txt, the embed page."""
from flask import Blueprint, abort

bp = Blueprint("feeds", __name__)


@bp.route("/feeds/winners.atom")
def winners():
    """Placeholder until the feeds land."""
    abort(404)


@bp.route("/feeds/areas/<int:area_id>.atom")
def area(area_id):
    """Placeholder until the feeds land."""
    abort(404)
