"""Which delivery rows a worker takes, and when an issue is done.

A worker claims a batch of due rows of sending issues with a lease naming it
(awards/core/mail/leases.py). On PostgreSQL the claim is SELECT ... FOR UPDATE SKIP LOCKED,
so workers on several machines take different rows; on SQLite every write transaction
begins IMMEDIATE (awards/core/db.py tune_sqlite), which serialises the claimers. Nothing
here loads more than one batch.
"""
from typing import NamedTuple

from sqlalchemy import exists, select, update

from awards.core.db import utcnow
from awards.core.mail import leases
from awards.newsletter.enums import DeliveryStatus, IssueStatus
from awards.newsletter.models import Delivery, NewsletterIssue


class Claimed(NamedTuple):
    """One claimed row: what the worker needs to send it, nothing more."""

    id: int
    issue_id: int
    subscriber_id: int | None
    address: str
    token: str
    attempts: int


def sending_issues(issue_id=None):
    """The ids of the issues being sent (or just `issue_id`, if it is)."""
    query = select(NewsletterIssue.id).where(NewsletterIssue.status == IssueStatus.SENDING)
    if issue_id is not None:
        query = query.where(NewsletterIssue.id == issue_id)
    return query


def new_lease(owner, seconds):
    """A worker's lease on the delivery rows it holds."""
    return leases.Lease(Delivery, owner, seconds, sending=DeliveryStatus.SENDING)


def release_expired(session, issue_id=None):
    """Give the rows of workers that died (their lease ran out) back to the queue."""
    return leases.release_expired(
        session, Delivery, sending=DeliveryStatus.SENDING, pending=DeliveryStatus.PENDING,
        where=(Delivery.issue_id.in_(sending_issues(issue_id)),))


def claim_batch(session, lease, size, issue_id=None):
    """Claim up to `size` due rows of sending issues for `lease`'s worker; commit and return
    them as `Claimed` tuples. (No ORDER BY: the due-rows index gives them in its order, and
    sorting every pending row for each batch would cost O(audience) a batch.)"""
    now = utcnow()
    rows = session.execute(
        select(Delivery.id, Delivery.issue_id, Delivery.subscriber_id, Delivery.address,
               Delivery.token, Delivery.attempts)
        .where(Delivery.issue_id.in_(sending_issues(issue_id)),
               Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
        .limit(size)
        .with_for_update(skip_locked=True, of=Delivery)
    ).all()
    if rows:
        session.execute(
            update(Delivery).where(Delivery.id.in_([row.id for row in rows]))
            .values(status=DeliveryStatus.SENDING, **lease.values())
            .execution_options(synchronize_session=False))
    session.commit()
    return [Claimed(*row) for row in rows]


def finish_issues(session, issue_ids=None):
    """Mark SENT (with sent_at) every sending issue (of `issue_ids`, or all) none of whose
    rows is waiting or being sent; return their ids. Commits."""
    open_rows = exists().where(
        Delivery.issue_id == NewsletterIssue.id,
        Delivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)))
    query = select(NewsletterIssue.id).where(
        NewsletterIssue.status == IssueStatus.SENDING, ~open_rows)
    if issue_ids is not None:
        query = query.where(NewsletterIssue.id.in_(list(issue_ids)))
    finished = list(session.scalars(query))
    if finished:
        session.execute(
            update(NewsletterIssue)
            .where(NewsletterIssue.id.in_(finished),
                   NewsletterIssue.status == IssueStatus.SENDING, ~open_rows)
            .values(status=IssueStatus.SENT, sent_at=utcnow())
            .execution_options(synchronize_session=False))
    session.commit()
    return finished


def due_issues(session):
    """The sending issues with rows due now (new, retries, or released from a dead worker)."""
    due = exists().where(
        Delivery.issue_id == NewsletterIssue.id, Delivery.status == DeliveryStatus.PENDING,
        Delivery.next_attempt_at <= utcnow())
    ids = list(session.scalars(
        select(NewsletterIssue.id).where(NewsletterIssue.status == IssueStatus.SENDING, due)))
    session.commit()
    return ids
