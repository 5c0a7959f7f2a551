"""Claims that name their owner and expire unless renewed: shared by every sender of mail.

A worker claims rows by setting `claimed_by` (its id, `worker_id()`) and `lease_until`. While
it works it renews the lease of the rows it still holds (`Lease.renew_if_due`, before each
message); a row's outcome is recorded only by the worker that holds it (`settle`: UPDATE ...
WHERE id = ... AND claimed_by = me; no row changed means the lease was lost and the worker must
leave the row alone). Only rows whose lease has expired go back to the queue
(`release_expired`), so a slow batch is never handed to a second worker.

The model needs `id`, `status`, `claimed_by` and `lease_until` columns.
"""
import os
import secrets
import socket
from datetime import timedelta

from sqlalchemy import or_, update

from awards.core.db import utcnow


def worker_id():
    """This process's name on its claims: host:pid:random (a restarted pid is someone else)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def release_expired(session, model, *, sending, pending, where=()):
    """Put rows whose lease has expired (their worker died or stalled) back in the queue;
    return how many. Commits."""
    released = session.execute(
        update(model)
        .where(model.status == sending,
               or_(model.lease_until.is_(None), model.lease_until < utcnow()), *where)
        .values(status=pending, claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return released


def settle(session, model, row_id, owner, *, sending, **values):
    """Record a held row's outcome (`values`) and end the claim, if `owner` still holds it.

    Return False when the lease was lost (another worker may hold the row now): the caller
    must not touch the row again. Commits."""
    changed = session.execute(
        update(model)
        .where(model.id == row_id, model.claimed_by == owner, model.status == sending)
        .values(claimed_by=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    return changed == 1


class LeaseLost(Exception):
    """Another worker holds (or may hold) a row this worker claimed: stop touching it."""


class Lease:
    """One worker's claim on the rows of `model` it holds, `seconds` long, renewed while it
    works."""

    def __init__(self, model, owner, seconds, *, sending):
        self.model, self.owner, self.sending = model, owner, sending
        self.length = timedelta(seconds=seconds)
        self.until = None

    def values(self):
        """Column values that claim a row for this worker now."""
        self.until = utcnow() + self.length
        return {"claimed_by": self.owner, "lease_until": self.until}

    def renew_if_due(self, session, holding):
        """Extend the lease on every row this worker holds when less than half of it is left.

        `holding` is how many rows the worker believes it holds; if fewer are renewed, one was
        taken from it (its lease ran out and another worker released it): raise LeaseLost."""
        if self.until is None or self.until - utcnow() > self.length / 2:
            return
        until = utcnow() + self.length
        renewed = session.execute(
            update(self.model)
            .where(self.model.claimed_by == self.owner, self.model.status == self.sending)
            .values(lease_until=until)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
        self.until = until
        if renewed < holding:
            raise LeaseLost(f"{self.owner} holds {renewed} of its {holding} rows")

    def settle(self, session, row_id, **values):
        """`settle` one held row; False when the lease was lost."""
        return settle(session, self.model, row_id, self.owner, sending=self.sending, **values)

    def release(self, session, row_ids, **values):
        """Give back held rows that were not tried (to `values`, by default just unclaimed).
        Commits."""
        if not row_ids:
            return 0
        released = session.execute(
            update(self.model)
            .where(self.model.id.in_(list(row_ids)), self.model.claimed_by == self.owner,
                   self.model.status == self.sending)
            .values(claimed_by=None, lease_until=None, **values)
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
        return released
