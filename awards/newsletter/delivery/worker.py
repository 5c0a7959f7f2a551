"""The newsletter worker: claim a batch, send each copy over one SMTP connection, record each
outcome at once.

For every claimed row, just before sending, one small query (in the transaction that recorded
the previous outcome) asks whether the issue is still SENDING and the subscriber still ACTIVE:
a pause or cancel stops the worker between two messages, an unsubscribe stops the copies
still to go to that address. The outcome is recorded only while this worker holds the row
(UPDATE ... WHERE claimed_by = me); a lost lease makes it leave the row alone.

- accepted → SENT (sent_at);
- 4xx → PENDING again after a back-off, until NEWSLETTER_RETRY_HOURS after the send started,
  then FAILED;
- 5xx → FAILED, and the subscriber's hard bounces counted (SUPPRESSED after
  NEWSLETTER_SUPPRESS_AFTER_BOUNCES of them, across issues);
- connection dropped → the row in flight and the rest of the batch go back to the queue, the
  worker reconnects (and stops after three drops in a row); server unreachable → the same,
  and the worker stops (the periodic task tries again).
"""
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from awards.core.db import utcnow
from awards.core.mail.leases import LeaseLost, worker_id
from awards.core.mail.sender import (
    BACKENDS,
    PermanentFailure,
    ServerUnavailable,
    ServerUnreachable,
    TemporaryFailure,
    backoff,
)
from awards.extensions import db
from awards.newsletter.delivery import claims
from awards.newsletter.delivery.message import IssueMessage
from awards.newsletter.enums import DeliveryStatus, IssueStatus, SubscriberStatus
from awards.newsletter.models import Delivery, NewsletterIssue, Subscriber
from awards.newsletter.services.suppression import suppress_address

log = logging.getLogger(__name__)
MAX_DROPS_IN_A_ROW = 3


@dataclass
class WorkReport:
    """What one worker run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    released: int = 0
    stopped: str = ""  # why the run ended early, if it did


# Statements built once: a copy is checked and recorded with the same few statements,
# and building them anew each time was a fifth of the worker's time.
_deliveries, _issues, _subscribers = (
    Delivery.__table__, NewsletterIssue.__table__, Subscriber.__table__)
_STATE = (
    select(_issues.c.status, _subscribers.c.status)
    .select_from(_deliveries
                 .join(_issues, _issues.c.id == _deliveries.c.issue_id)
                 .outerjoin(_subscribers, _subscribers.c.id == _deliveries.c.subscriber_id))
    .where(_deliveries.c.id == bindparam("row_id")))
_SETTLE = {}


def _settle_statement(outcome):
    """UPDATE the row with `outcome`'s columns, ending the claim, WHERE this worker holds it
    (one statement per set of columns, built once)."""
    names = tuple(sorted(outcome))
    if names not in _SETTLE:
        _SETTLE[names] = (
            update(_deliveries)
            .where(_deliveries.c.id == bindparam("row_id"),
                   _deliveries.c.claimed_by == bindparam("owner"),
                   _deliveries.c.status == bindparam("held"))
            .values(claimed_by=None, lease_until=None,
                    **{name: bindparam(f"v_{name}", type_=_deliveries.c[name].type)
                       for name in names}))
    return _SETTLE[names]


class _StopBatch(Exception):
    """The rest of the batch must not be sent now (issue paused or cancelled, server down,
    lease lost)."""

    def __init__(self, reason, stop_run=False):
        super().__init__(reason)
        self.reason, self.stop_run = reason, stop_run


class Worker:
    """One worker: its lease, its SMTP connection, and each issue's message read once."""

    def __init__(self, app=None, *, issue_id=None, backend=None, owner=None):
        self.app = app or current_app._get_current_object()
        self.config = config = self.app.config
        self.issue_id = issue_id
        self.owner = owner or worker_id()
        self.lease = claims.new_lease(self.owner, config["NEWSLETTER_LEASE_SECONDS"])
        self.backend = backend or BACKENDS[config["MAIL_BACKEND"]](config)
        self.batch_size = config["NEWSLETTER_BATCH_SIZE"]
        rate = config["NEWSLETTER_SEND_RATE"]
        self.interval = 1 / rate if rate else 0
        self.retry_for = timedelta(hours=config["NEWSLETTER_RETRY_HOURS"])
        self.suppress_after = config["NEWSLETTER_SUPPRESS_AFTER_BOUNCES"]
        self.messages = {}  # issue id -> IssueMessage, read once per worker
        self.report = WorkReport()
        self._next_send = 0.0
        self._drops = 0

    def run(self, *, forever=False, poll=1.0, should_stop=lambda: False):
        """Send until nothing is due (or, `forever`, wait `poll` seconds and look again);
        return the WorkReport."""
        with Session(db.engine, expire_on_commit=False) as session:
            try:
                self._run(session, forever, poll, should_stop)
            finally:
                self.backend.close()
        return self.report

    def _run(self, session, forever, poll, should_stop):
        released_at = 0.0
        while not should_stop():
            if time.monotonic() - released_at > self.lease.length.total_seconds() / 4:
                self.report.released += claims.release_expired(session, self.issue_id)
                released_at = time.monotonic()
            batch = claims.claim_batch(session, self.lease, self.batch_size, self.issue_id)
            if not batch:
                claims.finish_issues(session, None if self.issue_id is None else [self.issue_id])
                if not forever:
                    return
                time.sleep(poll)
                released_at = 0.0
                continue
            try:
                self._send_batch(session, batch)
            except _StopBatch as stop:
                if stop.stop_run:
                    self.report.stopped = stop.reason
                    return
            claims.finish_issues(session, {row.issue_id for row in batch})

    # -- one batch ------------------------------------------------------------------------

    def _send_batch(self, session, batch):
        state = self._state(session, batch[0])
        for index, row in enumerate(batch):
            rest = [later.id for later in batch[index + 1:]]
            try:
                self.lease.renew_if_due(session, len(batch) - index)
            except LeaseLost as lost:
                self._give_back(session, [row.id, *rest])
                raise _StopBatch(str(lost)) from lost
            issue_status, subscriber_status = state
            if issue_status is not IssueStatus.SENDING:
                # Paused: back in the queue for when it resumes. Cancelled: never sent.
                to = (DeliveryStatus.SKIPPED if issue_status is IssueStatus.CANCELLED
                      else DeliveryStatus.PENDING)
                self._give_back(session, [row.id, *rest], status=to)
                raise _StopBatch(f"issue {row.issue_id} is {issue_status.value}")
            if subscriber_status is not SubscriberStatus.ACTIVE:
                outcome = {"status": DeliveryStatus.SKIPPED}
            else:
                outcome = self._send(session, row, [row.id, *rest])
            if not self._settle(session, row, outcome):
                self._give_back(session, rest)
                raise _StopBatch(f"lost the lease on delivery {row.id}")
            self._count(outcome["status"])
            # In the same transaction: is the next copy still wanted?
            state = self._state(session, batch[index + 1]) if rest else None
            session.commit()

    def _state(self, session, row):
        """(issue status, subscriber status) for one claimed row; a subscriber who was
        deleted counts as not active."""
        found = session.connection().execute(_STATE, {"row_id": row.id}).one()
        return found[0], found[1]

    def _message(self, session, issue_id):
        if issue_id not in self.messages:
            issue = session.get(NewsletterIssue, issue_id)
            self.messages[issue_id] = IssueMessage(issue, self.config)
            session.expunge(issue)
        return self.messages[issue_id]

    def _send(self, session, row, held):
        """Send one copy; return the values that record its outcome."""
        message = self._message(session, row.issue_id)
        mime = message.build(row.id, row.address, row.token)
        session.commit()  # never hold a transaction (SQLite: the write lock) while sending
        self._wait_for_rate()
        attempts = row.attempts + 1
        try:
            self.backend.send(mime)
        except ServerUnreachable as error:
            self._give_back(session, held, last_error=str(error)[:300])
            raise _StopBatch(str(error), stop_run=True) from error
        except ServerUnavailable as error:
            # Dropped mid-batch: this copy (maybe not received) and the rest go back.
            self._give_back(session, held, last_error=str(error)[:300])
            self._drops += 1
            raise _StopBatch(str(error), stop_run=self._drops >= MAX_DROPS_IN_A_ROW) from error
        except TemporaryFailure as error:
            self._drops = 0
            now = utcnow()
            deadline = message.send_started_at + self.retry_for
            if now >= deadline:
                return {"status": DeliveryStatus.FAILED, "attempts": attempts,
                        "last_error": str(error)[:300]}
            return {"status": DeliveryStatus.PENDING, "attempts": attempts,
                    "next_attempt_at": min(now + backoff(attempts), deadline),
                    "last_error": str(error)[:300]}
        except PermanentFailure as error:
            self._drops = 0
            return {"status": DeliveryStatus.FAILED, "attempts": attempts,
                    "last_error": str(error)[:300], "hard_bounce": True}
        self._drops = 0
        return {"status": DeliveryStatus.SENT, "attempts": attempts, "sent_at": utcnow(),
                "last_error": None}

    def _count(self, status):
        field = {DeliveryStatus.SENT: "sent", DeliveryStatus.PENDING: "retried",
                 DeliveryStatus.FAILED: "failed", DeliveryStatus.SKIPPED: "skipped"}[status]
        setattr(self.report, field, getattr(self.report, field) + 1)

    def _settle(self, session, row, outcome):
        """Record the outcome while this worker holds the row (not committed: the caller
        commits with the next row's check). False when the lease was lost."""
        hard_bounce = outcome.pop("hard_bounce", False)
        changed = session.connection().execute(_settle_statement(outcome), {
            "row_id": row.id, "owner": self.owner, "held": DeliveryStatus.SENDING,
            **{f"v_{name}": value for name, value in outcome.items()}}).rowcount
        if changed != 1:
            session.rollback()
            return False
        if hard_bounce and row.subscriber_id is not None:
            self._count_hard_bounce(session, row)
        return True

    def _count_hard_bounce(self, session, row):
        session.execute(
            update(Subscriber).where(Subscriber.id == row.subscriber_id)
            .values(hard_bounces=Subscriber.hard_bounces + 1)
            .execution_options(synchronize_session=False))
        bounces = session.scalar(
            select(Subscriber.hard_bounces).where(Subscriber.id == row.subscriber_id))
        if self.suppress_after and bounces is not None and bounces >= self.suppress_after:
            suppress_address(row.address, "hard bounces", counted=True, session=session)

    def _give_back(self, session, ids, *, status=DeliveryStatus.PENDING, **values):
        """Put rows this worker still holds back (to the queue, or SKIPPED); commit."""
        session.rollback()
        released = self.lease.release(session, ids, status=status, **values)
        if status is DeliveryStatus.SKIPPED:
            self.report.skipped += released

    def _wait_for_rate(self):
        if not self.interval:
            return
        now = time.monotonic()
        if now < self._next_send:
            time.sleep(self._next_send - now)
            now = self._next_send
        self._next_send = now + self.interval


def work(issue_id=None, *, forever=False, poll=1.0):
    """Run one worker in this process (the Huey task and `flask newsletter work`)."""
    report = Worker(issue_id=issue_id).run(forever=forever, poll=poll)
    log.info("newsletter worker: %s", report)
    return report
