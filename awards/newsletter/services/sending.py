"""Sending an issue: who gets it, the snapshot of the audience, and the admin's controls.

The audience is copied into one small Delivery row per recipient by a single
INSERT ... SELECT (never one ORM object per subscriber), so it costs the database the same
however large the list. The workers (awards/newsletter/delivery) send the rows; every figure
shown about a send is a count of them.
"""
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import exists, func, insert, literal, or_, select, update

from awards.core.audit import record
from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, IssueStatus, SubscriberStatus
from awards.newsletter.models import Delivery, Subscriber, subscriber_area
from awards.newsletter.services import NewsletterError

SEND_QUEUED = "newsletter_send_queued"  # session.info key: issue ids to hand to the workers


def audience(issue):
    """The subscribers an issue goes to: every active one, or for an issue aimed at areas,
    those who chose one of them or chose none."""
    query = select(Subscriber.id, Subscriber.email, Subscriber.token).where(
        Subscriber.status == SubscriberStatus.ACTIVE)
    area_ids = [area.id for area in issue.areas]
    if area_ids:
        chose = subscriber_area.c.subscriber_id == Subscriber.id
        query = query.where(or_(
            ~exists().where(chose),
            exists().where(chose, subscriber_area.c.area_id.in_(area_ids))))
    return query


def count_audience(issue):
    """How many people the issue would go to if it were sent now."""
    return db.session.scalar(select(func.count()).select_from(audience(issue).subquery()))


def _snapshot(issue):
    now = utcnow()
    rows = audience(issue).add_columns(
        literal(issue.id), literal(DeliveryStatus.PENDING, enum_type(DeliveryStatus)),
        literal(0), literal(now, UTCDateTime))
    db.session.execute(insert(Delivery).from_select(
        ["subscriber_id", "address", "token", "issue_id", "status", "attempts",
         "next_attempt_at"], rows))


def start_sending(issue, actor):
    """Snapshot the audience of a rendered issue and hand it to the workers after commit;
    return the number of recipients."""
    if issue.status not in (IssueStatus.DRAFT, IssueStatus.SCHEDULED):
        raise NewsletterError(_("This issue has already been sent."))
    if not issue.html_body or not issue.text_body:
        raise NewsletterError(_("This issue has not been prepared for sending."))
    _snapshot(issue)
    issue.status, issue.send_started_at = IssueStatus.SENDING, utcnow()
    # Counted, not the INSERT's rowcount: psycopg reports -1 for an INSERT ... SELECT here.
    recipients = count_deliveries(issue)
    record("newsletter.send_started", issue, actor=actor, recipients=recipients)
    _hand_to_workers(issue)
    db.session.flush()
    return recipients


def pause_sending(issue, actor):
    """Stop handing out this issue's rows; the ones a worker holds finish."""
    _change_status(issue, IssueStatus.SENDING, IssueStatus.PAUSED, actor)


def resume_sending(issue, actor):
    """Carry on with a paused send."""
    _change_status(issue, IssueStatus.PAUSED, IssueStatus.SENDING, actor)
    _hand_to_workers(issue)


def cancel_sending(issue, actor):
    """End a send: whoever has not been sent the issue yet never will be."""
    if issue.status not in (IssueStatus.SENDING, IssueStatus.PAUSED, IssueStatus.SCHEDULED):
        raise NewsletterError(_("Only a scheduled, sending or paused issue can be cancelled."))
    skipped = db.session.execute(
        update(Delivery)
        .where(Delivery.issue_id == issue.id, Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SKIPPED, next_attempt_at=utcnow())
    ).rowcount
    record("newsletter.send_cancelled", issue, actor=actor, from_state=issue.status.value,
           to_state=IssueStatus.CANCELLED.value, skipped=skipped)
    issue.status = IssueStatus.CANCELLED
    db.session.flush()


def retry_failed(issue, actor):
    """Send again to the addresses that failed (and only to them); return how many."""
    if issue.status is IssueStatus.CANCELLED:
        raise NewsletterError(_("A cancelled issue cannot be sent again."))
    retried = db.session.execute(
        update(Delivery)
        .where(Delivery.issue_id == issue.id, Delivery.status == DeliveryStatus.FAILED)
        .values(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=utcnow(),
                last_error=None)
    ).rowcount
    if retried:
        record("newsletter.failed_retried", issue, actor=actor, retried=retried)
        if issue.status is IssueStatus.SENT:
            issue.status = IssueStatus.SENDING
        _hand_to_workers(issue)
    db.session.flush()
    return retried


class Progress(NamedTuple):
    """Counts of an issue's delivery rows by where they are."""

    pending: int  # waiting, or being sent now
    sent: int
    failed: int
    skipped: int

    @property
    def total(self):
        """Every recipient in the snapshot."""
        return self.pending + self.sent + self.failed + self.skipped

    @property
    def done(self):
        """Rows that are settled one way or another."""
        return self.total - self.pending

    @property
    def percent(self):
        """How far the send has got, 0-100 (100 when there was nobody to send to)."""
        return 100 if not self.total else int(100 * self.done / self.total)


def progress(issue):
    """Where an issue's send is, counted from its delivery rows."""
    counts = dict(db.session.execute(
        select(Delivery.status, func.count()).where(Delivery.issue_id == issue.id)
        .group_by(Delivery.status)).all())
    return Progress(
        pending=counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.SENDING, 0),
        sent=counts.get(DeliveryStatus.SENT, 0), failed=counts.get(DeliveryStatus.FAILED, 0),
        skipped=counts.get(DeliveryStatus.SKIPPED, 0))


def count_deliveries(issue):
    """How many recipients the issue's snapshot holds."""
    return db.session.scalar(
        select(func.count()).where(Delivery.issue_id == issue.id))


def _change_status(issue, expected, new, actor):
    if issue.status is not expected:
        raise NewsletterError(_("This send is no longer %(state)s.", state=expected.label))
    record("newsletter.send_" + new.value, issue, actor=actor, from_state=expected.value,
           to_state=new.value)
    issue.status = new
    db.session.flush()


def _hand_to_workers(issue):
    # The factory's session hook enqueues the delivery task for these ids after commit.
    db.session.info.setdefault(SEND_QUEUED, set()).add(issue.id)

