"""Suppression: an address that bounced for good or complained is never sent anything again."""
from sqlalchemy import func, select, update

from awards.core.audit import record
from awards.core.db import utcnow
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, SubscriberStatus
from awards.newsletter.models import Delivery, Subscriber


def suppress_address(email, reason, *, complaint=False):
    """Suppress the subscriber at `email` (any case): SUPPRESSED from now, their waiting
    deliveries skipped, an audit event (without the address). A hard bounce (not a
    `complaint`) also counts in `hard_bounces`. Return whether anyone was newly suppressed
    (False for an unknown or already suppressed address)."""
    subscriber = db.session.scalar(
        select(Subscriber).where(func.lower(Subscriber.email) == email.strip().lower()))
    if subscriber is None or subscriber.status is SubscriberStatus.SUPPRESSED:
        return False
    previous = subscriber.status
    subscriber.status, subscriber.suppressed_at = SubscriberStatus.SUPPRESSED, utcnow()
    if not complaint:
        subscriber.hard_bounces += 1
    skipped = db.session.execute(
        update(Delivery)
        .where(Delivery.subscriber_id == subscriber.id,
               Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)))
        .values(status=DeliveryStatus.SKIPPED, claimed_by=None, lease_until=None)
    ).rowcount
    record("newsletter.subscriber_suppressed", subscriber, from_state=previous,
           to_state=SubscriberStatus.SUPPRESSED, reason=reason, complaint=complaint,
           deliveries_skipped=skipped)
    db.session.flush()
    return True
