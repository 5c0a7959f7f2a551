"""Send failed mail again: back to pending, audited; delivery runs after the commit."""
from flask_babel import gettext as _

from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.mail.models import OutboxStatus
from awards.core.services import ServiceError
from awards.extensions import db

# The session flag queue_email sets: after the commit, the delivery task is queued.
OUTBOX_ADDED = "outbox_added"


class MailStatusError(ServiceError):
    """A retry the rules refuse."""


def retry_messages(messages, *, actor):
    """Put failed `messages` back in the queue, due now with their attempts reset; one audit
    row each. Returns how many."""
    messages = list(messages)
    if not messages:
        raise MailStatusError(_("There is no failed mail to send again."))
    if any(message.status is not OutboxStatus.FAILED for message in messages):
        raise MailStatusError(_("That message has not failed: there is nothing to retry."))
    now = utcnow()
    for message in messages:
        message.status = OutboxStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = now
        message.claimed_at = None
        record("mail.retried", message, actor=actor, from_state=OutboxStatus.FAILED,
               to_state=OutboxStatus.PENDING, kind=message.kind)
    db.session.info[OUTBOX_ADDED] = True
    db.session.flush()
    return len(messages)
