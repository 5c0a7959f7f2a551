"""The scheme's calendar and shape: award cycles, categories, areas, and today."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.dates import scheme_today
from awards.core.db import UTCDateTime, utcnow
from awards.extensions import db
from awards.nominations.enums import (
    Phase,
)


def today():
    """Today's date in the scheme's time zone, the clock every phase is measured by."""
    return scheme_today()


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
