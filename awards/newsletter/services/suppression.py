"""Suppression: an address that bounces for good (or complains) is never sent anything again."""
from sqlalchemy import func, select, update

from awards.core.audit import record
from awards.core.db import utcnow
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, SubscriberStatus
from awards.newsletter.models import Delivery, Subscriber


def suppress_address(email, reason, *, session=None):
    """Mark the subscriber at `email` SUPPRESSED (with suppressed_at) and skip every copy of an
    issue still waiting for it; return the subscriber, or None when nobody has that address.
    `reason` ("hard bounces", "complaint"...) goes in the audit log. Flushes `session` (the
    app's by default; a delivery worker passes its own)."""
    session = session or db.session
    subscriber = session.scalar(
        select(Subscriber).where(func.lower(Subscriber.email) == email.strip().lower()))
    if subscriber is None:
        return None
    if subscriber.status is not SubscriberStatus.SUPPRESSED:
        event = record("newsletter.subscriber_suppressed", subscriber,
                       from_state=subscriber.status, to_state=SubscriberStatus.SUPPRESSED,
                       reason=reason)
        if session is not db.session:
            db.session.expunge(event)
            session.add(event)
        subscriber.status, subscriber.suppressed_at = SubscriberStatus.SUPPRESSED, utcnow()
    session.execute(
        update(Delivery)
        .where(Delivery.subscriber_id == subscriber.id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SKIPPED)
        .execution_options(synchronize_session=False))
    session.flush()
    return subscriber
