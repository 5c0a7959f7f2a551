"""Reads for the mail status page: failed messages and how many wait (never their bodies)."""
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.extensions import db

PER_PAGE = 50
# The columns an admin sees: who, what kind, the subject, the error, attempts and dates.
SHOWN = (OutboxMessage.id, OutboxMessage.kind, OutboxMessage.recipient, OutboxMessage.subject,
         OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.created_at,
         OutboxMessage.next_attempt_at, OutboxMessage.last_error)


def count_with_status(status):
    """How many outbox messages have `status`."""
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == status))


def failed_messages(page=1):
    """One page of the failed messages, newest first (bodies not loaded)."""
    return db.paginate(
        select(OutboxMessage).options(load_only(*SHOWN))
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()),
        page=page, per_page=PER_PAGE, error_out=False, count=True)


def failed_message(message_id):
    """The failed message with this id, or None."""
    return db.session.scalar(select(OutboxMessage).options(load_only(*SHOWN)).where(
        OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.FAILED))


def all_failed():
    """Every failed message (bodies not loaded)."""
    return db.session.scalars(select(OutboxMessage).options(load_only(*SHOWN))
                              .where(OutboxMessage.status == OutboxStatus.FAILED)
                              .order_by(OutboxMessage.id)).all()
