"""The outbox: one row per message per recipient, the source of truth for delivery."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.core.enums import LabelledEnum
from awards.extensions import db


class OutboxStatus(LabelledEnum):
    """Where a message is in its delivery."""

    # waiting (first try or a retry after next_attempt_at)
    PENDING = "pending", _l("Waiting to be sent")
    # claimed by a sender (claimed_by) until lease_until; back to pending if the lease expires
    SENDING = "sending", _l("Being sent")
    SENT = "sent", _l("Sent")
    # permanent: refused by the server or out of attempts
    FAILED = "failed", _l("Failed")


class OutboxMessage(db.Model):
    """A rendered message for one recipient, waiting for or done with delivery."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))  # template name, e.g. accounts/verify_email
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the lease (awards/core/mail/leases.py): which worker holds the row, and until when
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))

    def __repr__(self):
        return f"<OutboxMessage {self.id} {self.kind} to {self.recipient} {self.status.value}>"
