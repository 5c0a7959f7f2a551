"""Judging panels: members and chairs, declarations, the rubric, reviews, discussion and
the panel's decisions."""
from datetime import datetime

from sqlalchemy import JSON, Column, Float, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.accounts.models import User
from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.extensions import db
from awards.nominations.enums import Phase
from awards.nominations.models import AwardCycle, Category, Nomination
from awards.panels.enums import ConflictKind, Outcome, Stage

DECIDING_PHASES = {Phase.JUDGING, Phase.DECIDING, Phase.ANNOUNCED}

panel_category = Table(
    "panel_category", db.metadata,
    Column("panel_id", ForeignKey("panel.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id", ondelete="CASCADE"), primary_key=True),
)


class Panel(db.Model):
    """A group of members judging some categories of one cycle, with its options."""

    __tablename__ = "panel"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    blind: Mapped[bool] = mapped_column(default=False)  # members see no names or photos
    reviews_per_nomination: Mapped[int | None]  # None: every member reviews everything
    eligibility_round: Mapped[bool] = mapped_column(default=False)
    stage: Mapped[Stage] = mapped_column(enum_type(Stage), default=Stage.SCORING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cycle: Mapped[AwardCycle] = relationship()
    categories: Mapped[list[Category]] = relationship(
        secondary=panel_category, order_by="Category.position, Category.id")
    members: Mapped[list["PanelMember"]] = relationship(
        back_populates="panel", cascade="all, delete-orphan", order_by="PanelMember.id")

    @property
    def category_ids(self):
        """The ids of the categories this panel judges."""
        return {category.id for category in self.categories}

    @property
    def is_judging(self):
        """Members can declare and review: the cycle is in judging and not yet published."""
        return self.cycle.phase is Phase.JUDGING and not self.cycle.is_published

    @property
    def is_deciding(self):
        """Chairs can shortlist and decide: judging has started and nothing is published."""
        return self.cycle.phase in DECIDING_PHASES and not self.cycle.is_published

    def takes_declarations_from(self, member):
        """Whether the member can declare now: while judging is open, and for a chair also
        while the panel decides (they declare before reading a nomination to decide it)."""
        return self.is_judging or (member.is_chair and self.is_deciding)

    @property
    def in_eligibility_round(self):
        """Members say whether each nomination meets the category's rules."""
        return self.stage is Stage.ELIGIBILITY

    @property
    def in_scoring_round(self):
        """Members score the nominations against the rubric."""
        return self.stage is Stage.SCORING

    @property
    def in_final_round(self):
        """Members review the shortlist; the shortlist is fixed."""
        return self.stage is Stage.FINAL

    def can_set_shortlisted(self, shortlisted):
        """Whether the chair may now put a nomination on the shortlist (True) or take one off
        (False): while deciding, and nothing comes off once the final round is open."""
        return self.is_deciding and (shortlisted or not self.in_final_round)

    @property
    def chairs(self):
        """The members who chair the panel."""
        return [member for member in self.members if member.is_chair]

    def __str__(self):
        return self.name


class PanelMember(db.Model):
    """A person's place on one panel; the membership, not a global role, opens its pages."""

    __tablename__ = "panel_member"
    __table_args__ = (UniqueConstraint("panel_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    is_chair: Mapped[bool] = mapped_column(default=False)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_on: Mapped[datetime | None] = mapped_column(UTCDateTime)

    panel: Mapped[Panel] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")

    @property
    def name(self):
        """The member's name."""
        return self.user.name


class Declaration(db.Model):
    """A member's answer before opening a nomination: no conflict, or a conflict and why.
    A chair or admin recusing a member is recorded here too (kind RECUSED)."""

    __tablename__ = "declaration"
    __table_args__ = (UniqueConstraint("member_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("panel_member.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    conflicted: Mapped[bool]
    kind: Mapped[ConflictKind | None] = mapped_column(enum_type(ConflictKind))
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[PanelMember] = relationship()
    nomination: Mapped[Nomination] = relationship()


class Assignment(db.Model):
    """A nomination a member is asked to review."""

    __tablename__ = "assignment"
    __table_args__ = (UniqueConstraint("member_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("panel_member.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Criterion(db.Model):
    """One question of a category's rubric, with its weight and a described scale."""

    __tablename__ = "criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("category.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    question: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    scale_min: Mapped[int] = mapped_column(default=0)
    scale_max: Mapped[int] = mapped_column(default=5)
    anchors: Mapped[list] = mapped_column(JSON, default=list)  # one description per point
    position: Mapped[int] = mapped_column(default=0)

    @property
    def points(self):
        """(value, description) for each point of the scale."""
        descriptions = list(self.anchors) + [""] * (self.scale_max - self.scale_min + 1)
        return [(value, descriptions[value - self.scale_min])
                for value in range(self.scale_min, self.scale_max + 1)]


class Review(db.Model):
    """One member's scores for one nomination in one round: a draft until submitted.
    In the eligibility round a review holds a pass or fail instead of scores."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("member_id", "nomination_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("panel_member.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    stage: Mapped[Stage] = mapped_column(enum_type(Stage))
    passes: Mapped[bool | None]  # the eligibility round's answer
    overall_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    member: Mapped[PanelMember] = relationship()
    scores: Mapped[list["Score"]] = relationship(
        back_populates="review", cascade="all, delete-orphan", lazy="selectin")

    @property
    def is_submitted(self):
        """Whether the member has submitted it (it can no longer be changed)."""
        return self.submitted_at is not None

    @property
    def is_eligibility_answer(self):
        """A review of the eligibility round: a pass or fail, no scores."""
        return self.stage is Stage.ELIGIBILITY


class Score(db.Model):
    """A review's score on one criterion (None: the member abstained), with a comment."""

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"))
    value: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")


class Comment(db.Model):
    """A message in the panel's private discussion of one nomination."""

    __tablename__ = "panel_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class Decision(db.Model):
    """The panel's standing on a nomination: eligibility, shortlist, and the outcome with its
    citation. Pending (unseen outside the panel and admins) until the cycle is published."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), unique=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panel.id", ondelete="CASCADE"), index=True)
    passed_eligibility: Mapped[bool | None]
    shortlisted: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome))
    citation: Mapped[str] = mapped_column(Text, default="")  # public text once published
    rationale: Mapped[str] = mapped_column(Text, default="")  # private to the panel and admins
    feedback: Mapped[str] = mapped_column(Text, default="")  # for the nominator
    # The chair ticked "also send this feedback to the nominee" (if they consented).
    feedback_to_nominee: Mapped[bool] = mapped_column(default=False)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    nomination: Mapped[Nomination] = relationship(
        backref=db.backref("decision", uselist=False, viewonly=True))

    @property
    def is_winner(self):
        """The panel chose it as a winner."""
        return self.outcome is Outcome.WINNER

    @property
    def is_highly_commended(self):
        """The panel highly commended it."""
        return self.outcome is Outcome.HIGHLY_COMMENDED

    @property
    def is_not_selected(self):
        """The panel decided, and did not select it for an award."""
        return self.outcome is Outcome.NOT_SELECTED
