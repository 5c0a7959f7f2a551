"""Award cycles, categories, areas, nominations, consent, supporters and photos."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.dates import scheme_today
from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.extensions import db
from awards.nominations.enums import (
    AgeBand,
    ConsentStatus,
    HowLong,
    NameDisplay,
    NominationStatus,
    NomineeKind,
    Phase,
    ReceivedVia,
)


def today():
    """Today's date in the scheme's time zone, the clock every phase is measured by."""
    return scheme_today()


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


class Area(db.Model):
    """A ward or village of the community."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __str__(self):
        return self.name


class AwardCycle(db.Model):
    """One year's awards, with the dates that drive its phase."""

    __tablename__ = "award_cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    nominations_open: Mapped[date] = mapped_column(Date)
    nominations_close: Mapped[date] = mapped_column(Date)
    judging_ends: Mapped[date] = mapped_column(Date)
    announcement: Mapped[date] = mapped_column(Date)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set once by publishing the panels' decisions; before it nothing of them is public.
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    categories: Mapped[list["Category"]] = relationship(
        back_populates="cycle", order_by="Category.position, Category.id"
    )

    def phase_on(self, day):
        """The phase on a given day: the close and judging dates are inclusive, but
        announcement day is always ANNOUNCED (judging may end on that day)."""
        if day < self.nominations_open:
            return Phase.UPCOMING
        if day <= self.nominations_close:
            return Phase.NOMINATING
        if day >= self.announcement:
            return Phase.ANNOUNCED
        if day <= self.judging_ends:
            return Phase.JUDGING
        return Phase.DECIDING

    @property
    def phase(self):
        """The phase today."""
        return self.phase_on(today())

    @property
    def is_open(self):
        """Whether nominations can be submitted today."""
        return self.phase is Phase.NOMINATING and self.archived_at is None

    @property
    def nominations_closed(self):
        """Nominations have closed: judging has started, or is over."""
        return self.phase not in {Phase.UPCOMING, Phase.NOMINATING}

    @property
    def is_published(self):
        """Whether the results have been published."""
        return self.results_published_at is not None

    @property
    def reference_prefix(self):
        """'BC27' for a cycle announced in 2027."""
        return f"BC{self.announcement.year % 100:02d}"

    @property
    def live_categories(self):
        """Categories not archived."""
        return [c for c in self.categories if c.archived_at is None]

    def __str__(self):
        return self.name


class Category(db.Model):
    """An award category within a cycle, with its eligibility rules."""

    __tablename__ = "category"
    __table_args__ = (UniqueConstraint("cycle_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    allows_self_nomination: Mapped[bool] = mapped_column(default=False)
    allows_groups: Mapped[bool] = mapped_column(default=False)
    min_supporters: Mapped[int] = mapped_column(default=1)
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    cycle: Mapped[AwardCycle] = relationship(back_populates="categories")

    def accepts_age_band(self, band):
        """Whether someone in `band` could meet the category's age limits."""
        youngest, oldest = band.ages
        if self.min_age is not None and oldest is not None and oldest < self.min_age:
            return False
        if self.max_age is not None and youngest > self.max_age:
            return False
        return True

    def __str__(self):
        return self.name


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


class Supporter(db.Model):
    """Someone the nominator invited to add a statement."""

    __tablename__ = "supporter"
    __table_args__ = (UniqueConstraint("nomination_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120), default="")
    relationship_to_nominee: Mapped[str] = mapped_column(String(200), default="")
    statement: Mapped[str] = mapped_column(Text, default="")
    invited_by_nominator: Mapped[bool] = mapped_column(default=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # e-mail proven
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # statement sent
    # The language they wrote in (their e-mails are written in it); None: not answered yet.
    locale: Mapped[str | None] = mapped_column(String(10))

    @property
    def counts(self):
        """Whether this statement counts towards the nomination being complete."""
        return self.confirmed_at is not None and self.responded_at is not None

    nomination: Mapped[Nomination] = relationship(
        back_populates="supporters", foreign_keys=[nomination_id]
    )


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
