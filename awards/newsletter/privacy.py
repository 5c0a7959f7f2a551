"""What the newsletter holds about a person, for subject access and erasure.

The admin's data protection registry (awards/admin/services/sources.py) lists these: the
newsletter cannot import it, as admin is to its right.
"""
from sqlalchemy import select, update

from awards.extensions import db
from awards.newsletter.models import Delivery, NewsletterIssue, Subscriber
from awards.newsletter.services.subscriptions import forget_subscriber

COLUMNS = {"newsletter_subscriber.email", "newsletter_subscriber.token",
           "newsletter_subscriber.locale", "newsletter_subscriber.consent_wording",
           "newsletter_delivery.address", "newsletter_delivery.token"}


def _subscriptions(person):
    return db.session.scalars(select(Subscriber).where(person.matches(Subscriber.email))
                              .order_by(Subscriber.id)).all()


def _when(moment):
    return moment.isoformat() if moment else None


def export_subscriptions(person):
    """The person's subscription: what they agreed to, when and where, their choices, and
    which issues were sent to them."""
    out = []
    for subscriber in _subscriptions(person):
        sent = db.session.execute(
            select(NewsletterIssue.reference, NewsletterIssue.subject, Delivery.status,
                   Delivery.sent_at)
            .join(NewsletterIssue, NewsletterIssue.id == Delivery.issue_id)
            .where(Delivery.subscriber_id == subscriber.id).order_by(Delivery.id)).all()
        out.append({
            "email": subscriber.email, "status": str(subscriber.status.label),
            "subscribed_at": _when(subscriber.created_at),
            "confirmed_at": _when(subscriber.confirmed_at),
            "unsubscribed_at": _when(subscriber.unsubscribed_at),
            "subscribed_on_page": subscriber.source,
            "words_agreed_to": subscriber.consent_wording, "language": subscriber.locale,
            "areas": [area.name for area in subscriber.areas],
            "issues": [{"reference": reference, "subject": subject,
                        "status": str(status.label), "sent_at": _when(sent_at)}
                       for reference, subject, status, sent_at in sent],
        })
    return out


def erase_subscriptions(person):
    """Forget the subscription (as its own "delete everything" does), and the address on any
    copies of issues that outlived an earlier subscription."""
    subscriptions = _subscriptions(person)
    for subscriber in subscriptions:
        forget_subscriber(subscriber)
    orphans = db.session.execute(
        update(Delivery).where(person.matches(Delivery.address))
        .values(address="", token="").execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    return len(subscriptions) + orphans
