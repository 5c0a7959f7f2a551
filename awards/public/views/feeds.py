"""Machine-readable and embeddable views: Atom feeds, sitemap, robots.txt, the embed page."""
from flask import Blueprint, abort, current_app, make_response, render_template

from awards.core.atom import ATOM_TYPE
from awards.core.security import content_security_policy
from awards.public import feeds, queries
from awards.public.cache import cached_page

bp = Blueprint("feeds", __name__)


@bp.route("/feeds/winners.atom")
@cached_page
def winners():
    """The newest winners and highly commended, as an Atom feed."""
    return feeds.winners_feed(), {"Content-Type": ATOM_TYPE}


@bp.route("/feeds/areas/<int(max=2147483647):area_id>.atom")
@cached_page
def area(area_id):
    """The newest awards shown with this area, as an Atom feed (empty when there are none)."""
    area = queries.area_by_id(area_id) or abort(404)
    return feeds.area_feed(area), {"Content-Type": ATOM_TYPE}


@bp.route("/sitemap.xml")
@cached_page
def sitemap():
    """Every public page, for search engines."""
    return (render_template("public/sitemap.xml", pages=feeds.sitemap_pages()),
            {"Content-Type": feeds.XML_TYPE})


@bp.route("/robots.txt")
@cached_page
def robots():
    """What crawlers may visit, and where the sitemap is."""
    return feeds.robots_txt(), {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/embed/latest-winners")
def embed():
    """The latest winners, for local websites to show in a frame (EMBED_ORIGINS may)."""
    response = make_response(_embed_page())
    # Who may frame it is the embed's own policy (EMBED_ORIGINS), not the site's.
    response.headers["Content-Security-Policy"] = content_security_policy(
        frame_ancestors=feeds.frame_ancestors(current_app.config["EMBED_ORIGINS"]))
    return response


@cached_page
def _embed_page():
    return render_template("public/embed.html",
                           awards=queries.latest_awards(limit=feeds.EMBED_SIZE))
