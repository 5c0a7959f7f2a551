"""The nominee's consent and what they allow to be shown, by name."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.extensions import db
from awards.nominations.enums import (
    ConsentStatus,
    NameDisplay,
    Recognition,
)
from awards.nominations.models.nomination import Nomination

# The public name of a winner who keeps their name private.
ANONYMOUS_NAME = "A Big Citizen"


def shown_name(full_name, display):
    """The name as the nominee allowed it: in full, first name and initial, or none."""
    display = NameDisplay(display)
    words = (full_name or "").split()
    if display is NameDisplay.ANONYMOUS or not words:
        return ""
    if display is NameDisplay.FULL or len(words) == 1:
        return " ".join(words)
    return f"{words[0]} {words[-1][0].upper()}."


class Consent(db.Model):
    """The nominee's (or guardian's) answer and choices about publication and recognition."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[ConsentStatus] = mapped_column(
        enum_type(ConsentStatus), default=ConsentStatus.PENDING
    )
    given_by_guardian: Mapped[bool] = mapped_column(default=False)
    guardian_name: Mapped[str | None] = mapped_column(String(120))
    name_display: Mapped[NameDisplay] = mapped_column(
        enum_type(NameDisplay), default=NameDisplay.FIRST_INITIAL
    )
    publish_photo: Mapped[bool] = mapped_column(default=False)
    publish_story: Mapped[bool] = mapped_column(default=False)
    publish_area: Mapped[bool] = mapped_column(default=False)
    in_newsletter: Mapped[bool] = mapped_column(default=False)
    recognition: Mapped[list] = mapped_column(JSON, default=list)
    support_needed: Mapped[str] = mapped_column(Text, default="")
    # Consent gathered in person or on paper by an admin or helper
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_how: Mapped[str | None] = mapped_column(String(200))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the nominee answered in (their e-mails are written in it).
    locale: Mapped[str | None] = mapped_column(String(10))
    # When the nominee was e-mailed the consent request (once the nomination was checked).
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Another nomination of the same person in the cycle whose request (and answer) this one
    # shares: the nominee is asked once, and their answer there is the answer here.
    asked_with_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent.id", ondelete="SET NULL"), index=True)
    # When the nominee was thanked for taking part in a nomination that went no further.
    thanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    nomination: Mapped[Nomination] = relationship(back_populates="consent")
    asked_with: Mapped["Consent | None"] = relationship(remote_side=[id],
                                                         back_populates="sharers")
    sharers: Mapped[list["Consent"]] = relationship(back_populates="asked_with")

    @property
    def recognition_wanted(self):
        """The ways the nominee said they would like to be recognised, in the form's order."""
        chosen = set(self.recognition or ())
        return [r for r in Recognition if r.value in chosen]

    @property
    def is_answered(self):
        """The nominee (or someone for them) has given an answer."""
        return self.status is not ConsentStatus.PENDING

    @property
    def public_name(self):
        """The nominee's name as it would be published under these choices ("Priya R."), or
        ANONYMOUS_NAME if they keep it private."""
        return shown_name(self.nomination.nominee_name, self.name_display) or ANONYMOUS_NAME

    @property
    def is_accepted(self):
        """The nominee has said yes (and not withdrawn)."""
        return self.status is ConsentStatus.ACCEPTED

    @property
    def is_declined(self):
        """The nominee has said no."""
        return self.status is ConsentStatus.DECLINED

    @property
    def is_withdrawn(self):
        """The nominee said yes, then withdrew."""
        return self.status is ConsentStatus.WITHDRAWN
