"""The public archive's reads and its Atom feed: issues whose send has started, each shown
live from its stories (rendering.sendable_stories), never from the stored e-mail body."""
from datetime import UTC, datetime

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from awards.core.atom import Entry, atom_feed
from awards.extensions import db
from awards.newsletter import rendering
from awards.newsletter.enums import IssueStatus
from awards.newsletter.models import NewsletterIssue

FEED_SIZE = 30
NO_UPDATES = datetime(2000, 1, 1, tzinfo=UTC)
# An issue is in the archive once people have started getting it (its e-mail links here),
# unless the send was cancelled.
PUBLIC_STATES = (IssueStatus.SENDING, IssueStatus.PAUSED, IssueStatus.SENT)


def archived_issues(limit=None):
    """Issues in the archive, newest first."""
    query = (select(NewsletterIssue).where(NewsletterIssue.status.in_(PUBLIC_STATES))
             .order_by(NewsletterIssue.send_started_at.desc(), NewsletterIssue.id.desc()))
    return list(db.session.scalars(query.limit(limit) if limit else query))


def archived_issue(reference):
    """The archived issue with this reference, or None."""
    return db.session.scalar(select(NewsletterIssue).where(
        NewsletterIssue.reference == reference, NewsletterIssue.status.in_(PUBLIC_STATES)))


def issue_feed():
    """The Atom feed of archived issues (bytes): each entry the issue's page, its summary the
    introduction and the names of the stories still shown."""
    scheme = current_app.config["SCHEME_NAME"]
    issues = archived_issues(limit=FEED_SIZE)
    entries = []
    for issue in issues:
        url = url_for("newsletter_archive.issue", reference=issue.reference, _external=True)
        entries.append(Entry(id=url, title=issue.subject, updated=issue.send_started_at,
                             published=issue.send_started_at, url=url, summary=summary(issue)))
    return atom_feed(feed_url=url_for("newsletter_archive.feed", _external=True),
                     title=_("%(scheme)s newsletter", scheme=scheme),
                     page_url=url_for("newsletter_archive.index", _external=True),
                     updated=max((i.send_started_at for i in issues), default=NO_UPDATES),
                     author=scheme, author_uri=url_for("public.home", _external=True),
                     entries=entries)


def summary(issue):
    """Plain words for the feed: the introduction, then who is featured now."""
    names = [award.display_name for award in rendering.sendable_stories(issue)]
    parts = [rendering.introduction_text(issue.introduction)]
    if names:
        parts.append(_("In this issue: %(names)s", names=", ".join(names)))
    return "\n\n".join(part for part in parts if part)
