"""Newsletter subscribers and issues: one at a time, or many at once by plain INSERTs."""
import secrets

from sqlalchemy import insert

from awards.core.db import utcnow
from awards.core.references import REFERENCE_ALPHABET
from awards.extensions import db
from awards.newsletter.enums import IssueStatus, SubscriberStatus
from awards.newsletter.models import IssueStory, NewsletterIssue, Subscriber

WORDING = "Send me the Big Citizens newsletter. I can unsubscribe at any time."


def subscriber(email=None, status=SubscriberStatus.ACTIVE, *, areas=(), **fields):
    """A subscriber (ACTIVE, confirmed now, unless told otherwise). Flushes."""
    now = utcnow()
    person = Subscriber(
        email=email or f"reader-{secrets.token_hex(4)}@example.com", status=status,
        source=fields.pop("source", "/newsletter"),
        consent_wording=fields.pop("consent_wording", WORDING),
        confirmed_at=now if status is not SubscriberStatus.PENDING else None,
        unsubscribed_at=now if status is SubscriberStatus.UNSUBSCRIBED else None,
        suppressed_at=now if status is SubscriberStatus.SUPPRESSED else None,
        areas=list(areas), **fields)
    db.session.add(person)
    db.session.flush()
    return person


def subscribers(count, *, domain="example.com", prefix="reader", status=SubscriberStatus.ACTIVE,
                start=0):
    """`count` subscribers reader000000@example.com... in one INSERT (for load and crash
    tests and the benchmark). Flushes only."""
    now = utcnow()
    db.session.execute(insert(Subscriber), [
        {"email": f"{prefix}{n:06d}@{domain}", "token": secrets.token_urlsafe(24),
         "status": status, "source": "/newsletter", "consent_wording": WORDING,
         "created_at": now, "confirmed_at": now, "hard_bounces": 0}
        for n in range(start, start + count)])
    db.session.flush()


def newsletter_issue(subject="News from the awards", *, introduction="Hello, neighbours.",
                     nominations=(), areas=(), author=None, status=IssueStatus.DRAFT):
    """A draft issue featuring `nominations` (published winners), for `areas` (all if none).
    Flushes."""
    issue = NewsletterIssue(
        reference="N-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6)),
        subject=subject, introduction=introduction, status=status, areas=list(areas),
        created_by_id=author.id if author else None,
        stories=[IssueStory(nomination_id=n.id, position=i) for i, n in enumerate(nominations)])
    db.session.add(issue)
    db.session.flush()
    return issue
