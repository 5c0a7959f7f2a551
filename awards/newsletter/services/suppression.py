"""Suppression: an address that bounced for good or complained is never sent anything again."""
from sqlalchemy import func, select, update

from awards.core.audit import record
from awards.core.db import utcnow
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, SubscriberStatus
from awards.newsletter.models import Delivery, Subscriber


def suppress_address(email, reason, *, complaint=False, counted=False, session=None):
    """Suppress the subscriber at `email` (any case): SUPPRESSED from now, the copies of
    issues still waiting for them skipped, an audit event (without the address). A hard
    bounce (not a `complaint`) also counts in `hard_bounces`, unless the caller `counted` it
    already (a delivery worker). Return whether anyone was newly suppressed (False for an
    unknown or already suppressed address). Flushes `session`: the app's by default; a
    delivery worker passes its own.

    A copy being sent right now is left to its worker, which checks the subscriber just
    before sending: taking it from under the worker would end that worker's lease."""
    session = session or db.session
    subscriber = session.scalar(
        select(Subscriber).where(func.lower(Subscriber.email) == email.strip().lower()))
    if subscriber is None or subscriber.status is SubscriberStatus.SUPPRESSED:
        return False
    previous = subscriber.status
    subscriber.status, subscriber.suppressed_at = SubscriberStatus.SUPPRESSED, utcnow()
    if not complaint and not counted:
        subscriber.hard_bounces += 1
    skipped = session.execute(
        update(Delivery)
        .where(Delivery.subscriber_id == subscriber.id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SKIPPED)
        .execution_options(synchronize_session=False)).rowcount
    event = record("newsletter.subscriber_suppressed", subscriber, from_state=previous,
                   to_state=SubscriberStatus.SUPPRESSED, reason=reason, complaint=complaint,
                   deliveries_skipped=skipped)
    if session is not db.session:  # the audit event belongs to the worker's transaction
        db.session.expunge(event)
        session.add(event)
    session.flush()
    return True
