"""At most one message per address per window for mail to addresses nobody has proven.

Whoever asks the site to e-mail an address they have not proven (save and come back later,
a supporter's invitation, a reset link...) could otherwise make it e-mail anyone, again and
again. The outbox is the record of what was sent, in the database every process shares, so
counting its recent rows works across workers without Redis. The page answers the same
whether or not a message was held back; the per-client limits are the views' `rate_limit`
marks.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from awards.core.db import utcnow
from awards.core.mail.models import OutboxMessage
from awards.extensions import db


def normalise_recipient(recipient):
    """The form in which the throttle compares (and the outbox stores) such an address."""
    return (recipient or "").strip().lower()


def may_send(kinds, recipient, window=None):
    """Whether no message of `kinds` (one template name or a tuple that share a limit) went to
    `recipient` in the last `window` (a timedelta; default MAIL_UNPROVEN_WINDOW seconds, 0
    turns the throttle off)."""
    if window is None:
        window = timedelta(seconds=current_app.config["MAIL_UNPROVEN_WINDOW"])
    if not window:
        return True
    return not count_recent(kinds, recipient, window)


def count_recent(kinds, recipient, window):
    """How many messages of `kinds` (a template name or a tuple) went to `recipient` in the
    last `window` (a timedelta): for limits of more than one message per window."""
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    recent = select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.recipient == normalise_recipient(recipient),
        OutboxMessage.kind.in_(kinds),
        OutboxMessage.created_at > utcnow() - window,
    )
    return db.session.scalar(recent)
