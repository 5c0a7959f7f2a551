"""The public archive of sent issues, as web pages and an Atom feed.

Not in the public page cache: every page is built from the stories' public rows and
newsletter consent as they are now, so a winner who withdraws is gone at once."""
from flask import Blueprint, abort, render_template

from awards.core.atom import ATOM_TYPE
from awards.newsletter import archive, rendering

bp = Blueprint("newsletter_archive", __name__, url_prefix="/newsletter")


@bp.route("/archive")
def index():
    """Every issue sent so far, newest first."""
    return render_template("newsletter/archive/index.html", issues=archive.archived_issues())


@bp.route("/archive/<reference>")
def issue(reference):
    """One issue, as a web page (no subscriber's links in it)."""
    issue = archive.archived_issue(reference[:20]) or abort(404)
    return render_template("newsletter/archive/issue.html", issue=issue,
                           **rendering.page_context(issue))


@bp.route("/archive.atom")
def feed():
    """The archive as an Atom feed."""
    return archive.issue_feed(), {"Content-Type": ATOM_TYPE}
