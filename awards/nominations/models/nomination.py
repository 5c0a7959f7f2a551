"""A nomination, with its photo."""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.extensions import db
from awards.nominations.enums import (
    AgeBand,
    ConsentStatus,
    HowLong,
    NominationStatus,
    NomineeKind,
    ReceivedVia,
)
from awards.nominations.models.scheme import Area, AwardCycle, Category

if TYPE_CHECKING:  # the models that point back here (named by string at run time)
    from awards.nominations.models.consent import Consent
    from awards.nominations.models.supporter import Supporter


class Nomination(db.Model):
    """A resident's nomination of someone, from draft to outcome."""

    __tablename__ = "nomination"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    status: Mapped[NominationStatus] = mapped_column(
        enum_type(NominationStatus), default=NominationStatus.DRAFT, index=True
    )
    # The nominee
    nominee_name: Mapped[str] = mapped_column(String(120), default="")
    nominee_kind: Mapped[NomineeKind] = mapped_column(
        enum_type(NomineeKind), default=NomineeKind.PERSON
    )
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    age_band: Mapped[AgeBand | None] = mapped_column(enum_type(AgeBand))
    nominee_email: Mapped[str | None] = mapped_column(String(254))
    nominee_phone: Mapped[str | None] = mapped_column(String(40))
    # The story
    what_they_do: Mapped[str] = mapped_column(Text, default="")
    who_benefits: Mapped[str] = mapped_column(Text, default="")
    difference_made: Mapped[str] = mapped_column(Text, default="")
    how_long: Mapped[HowLong | None] = mapped_column(enum_type(HowLong))
    # The nominator
    nominator_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    nominator_name: Mapped[str] = mapped_column(String(120), default="")
    nominator_email: Mapped[str] = mapped_column(String(254), default="")
    nominator_relationship: Mapped[str] = mapped_column(String(200), default="")
    nominator_may_be_named: Mapped[bool] = mapped_column(default=False)
    nominator_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the nominator used (their e-mails are written in it); None: not known.
    locale: Mapped[str | None] = mapped_column(String(10))
    # How it arrived, and moderation
    received_via: Mapped[ReceivedVia] = mapped_column(
        enum_type(ReceivedVia), default=ReceivedVia.ONLINE
    )
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("nomination.id"))
    # From the start form: the same form posted twice finds this draft, not a new one.
    start_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cycle: Mapped[AwardCycle] = relationship()
    category: Mapped[Category | None] = relationship()
    area: Mapped[Area | None] = relationship()
    consent: Mapped["Consent | None"] = relationship(
        back_populates="nomination", uselist=False, cascade="all, delete-orphan"
    )
    supporters: Mapped[list["Supporter"]] = relationship(
        back_populates="nomination", order_by="Supporter.id",
        foreign_keys="Supporter.nomination_id",
    )
    photo: Mapped["Photo | None"] = relationship(
        back_populates="nomination", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def statements_count(self):
        """How many supporters have sent their statement."""
        return sum(1 for s in self.supporters if s.counts)

    @property
    def is_complete(self):
        """Whether it has the category's minimum number of supporting statements."""
        needed = self.category.min_supporters if self.category else 1
        return self.statements_count >= needed

    @property
    def nominee_consented(self):
        """Whether the nominee has said yes (and not withdrawn)."""
        return self.consent is not None and self.consent.status is ConsentStatus.ACCEPTED

    @property
    def is_editable(self):
        """Drafts can be changed while the cycle is open."""
        return self.status is NominationStatus.DRAFT and self.cycle.is_open

    @property
    def can_withdraw(self):
        """The nominator may withdraw until judging starts."""
        return self.status in {
            NominationStatus.DRAFT, NominationStatus.AWAITING_CONFIRMATION,
            NominationStatus.SUBMITTED, NominationStatus.ELIGIBLE,
        } and not self.cycle.nominations_closed

    @property
    def can_invite_supporters(self):
        """Supporters can be invited once the nomination is sent, until nominations close."""
        return self.status in {
            NominationStatus.AWAITING_CONFIRMATION, NominationStatus.SUBMITTED,
            NominationStatus.ELIGIBLE,
        } and not self.cycle.nominations_closed

    @property
    def is_group(self):
        """Whether the nominee is a group rather than a person."""
        return self.nominee_kind is NomineeKind.GROUP

    @property
    def is_draft(self):
        """Not sent yet."""
        return self.status is NominationStatus.DRAFT

    @property
    def is_awaiting_confirmation(self):
        """Sent, but the nominator has still to confirm their e-mail address."""
        return self.status is NominationStatus.AWAITING_CONFIRMATION

    @property
    def awaits_check(self):
        """Sent, and not yet checked: the nominee has not been contacted."""
        return self.status in {NominationStatus.AWAITING_CONFIRMATION,
                               NominationStatus.SUBMITTED}

    @property
    def is_eligible(self):
        """Checked and accepted; waiting for judging to start."""
        return self.status is NominationStatus.ELIGIBLE

    @property
    def is_ineligible(self):
        """An admin found it does not meet the category's rules."""
        return self.status is NominationStatus.INELIGIBLE

    @property
    def awaits_moderation(self):
        """An admin can record (or reverse) the moderation decision: sent and checked, not
        yet in judging."""
        return self.status in {NominationStatus.SUBMITTED, NominationStatus.ELIGIBLE,
                               NominationStatus.INELIGIBLE}

    def __repr__(self):
        return f"<Nomination {self.reference} {self.status.value}>"


class Photo(db.Model):
    """A nominee's photo, re-encoded without metadata, stored under random names."""

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), unique=True
    )
    display_name: Mapped[str] = mapped_column(String(64), unique=True)
    thumb_name: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    alt_text: Mapped[str] = mapped_column(String(250), default="")
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    nomination: Mapped[Nomination] = relationship(back_populates="photo")


# The moderation queue's order (queries.MODERATION_ORDER), newest submission first: a page of
# it is read in order instead of sorting every nomination. SQLite's DESC already puts never-
# submitted rows last, so it reads "DESC NULLS LAST" from this index; PostgreSQL sorts the
# queue's ids (it would need "DESC NULLS LAST" in the index, which SQLite cannot make).
Index("ix_nomination_newest", Nomination.submitted_at.desc(), Nomination.id.desc())
