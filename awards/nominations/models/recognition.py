"""What recognition and support a nominee was actually given, and an admin's review of the
support a nominee said would help (before any of its words reach the insight report)."""
import hashlib
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.extensions import db
from awards.nominations.enums import RecognitionKind
from awards.nominations.models.consent import Consent
from awards.nominations.models.nomination import Nomination


def text_digest(text):
    """A fingerprint of an answer: a review holds for the words it read, not later ones."""
    return hashlib.sha256((text or "").strip().encode("utf-8")).hexdigest()


class RecognitionGiven(db.Model):
    """One thing given to a nominee (a certificate, a grant...), with when and a note."""

    __tablename__ = "recognition_given"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RecognitionKind] = mapped_column(enum_type(RecognitionKind))
    given_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    nomination: Mapped[Nomination] = relationship()


class SupportReview(db.Model):
    """An admin read a nominee's "what support would help" answer for identifying details:
    the words to show in the insight report (perhaps edited), or none. It holds only while
    the answer is the one that was read (`is_current`)."""

    __tablename__ = "support_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(
        ForeignKey("consent.id", ondelete="CASCADE"), unique=True)
    digest: Mapped[str] = mapped_column(String(64))
    shown_text: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    consent: Mapped[Consent] = relationship()

    @property
    def is_current(self):
        """The answer has not changed since it was reviewed."""
        return self.digest == text_digest(self.consent.support_needed)

    @property
    def is_shown(self):
        """Reviewed, still current, and words were kept for the report."""
        return self.is_current and bool(self.shown_text.strip())
