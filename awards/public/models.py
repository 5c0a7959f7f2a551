"""What the public may see of an award, and the thank-you messages left for winners."""
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import DDL, Date, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.extensions import db
from awards.nominations.models import Area, AwardCycle, Category, Nomination, Photo
from awards.panels.enums import Outcome
from awards.public.enums import ThanksStatus


class PublicAward(db.Model):
    """A published winner or highly commended, holding only what the nominee allowed.

    Rebuilt from the nomination, its consent and its decision whenever one of them changes
    (services/listing.py); deleted when the nominee withdraws. Public pages read nothing else.
    """

    __tablename__ = "public_award"

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), unique=True)
    key: Mapped[str] = mapped_column(String(16), unique=True)  # the page's address
    slug: Mapped[str] = mapped_column(String(80))  # the name as shown, for readable links
    cycle_id: Mapped[int] = mapped_column(ForeignKey("award_cycle.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)  # if allowed
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("photo.id", ondelete="SET NULL"))
    outcome: Mapped[Outcome] = mapped_column(enum_type(Outcome))
    display_name: Mapped[str] = mapped_column(String(120))
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    citation: Mapped[str] = mapped_column(Text, default="")  # empty unless the story is allowed
    forwards_thanks: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Copies of the cycle's and category's fields the listing sorts and filters by, so that a
    # page of it is read from this table's own index instead of sorting every award joined
    # to its cycle and category (services/listing.py keeps them in step).
    announced_on: Mapped[date] = mapped_column(Date)
    category_position: Mapped[int] = mapped_column(default=0)
    category_slug: Mapped[str] = mapped_column(String(80), index=True)

    cycle: Mapped[AwardCycle] = relationship(lazy="joined", innerjoin=True)
    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    area: Mapped[Area | None] = relationship(lazy="joined")
    photo: Mapped[Photo | None] = relationship(lazy="joined")
    nomination: Mapped[Nomination] = relationship()

    @property
    def is_winner(self):
        """Whether this is a winner (rather than highly commended)."""
        return self.outcome is Outcome.WINNER

    @property
    def photo_alt(self):
        """Alt text made from the name as shown: the uploader's own text may name them."""
        return _("Photo of %(name)s", name=self.display_name)

    def __repr__(self):
        return f"<PublicAward {self.key} {self.outcome.value}>"


# The listing's order (queries.LISTING_ORDER): newest announcement, the category's place,
# winners first, then by name.
Index("ix_public_award_listing", PublicAward.announced_on.desc(), PublicAward.category_position,
      PublicAward.category_id, PublicAward.outcome.desc(), PublicAward.display_name,
      PublicAward.id)


class ThankYou(db.Model):
    """A short message from anyone to a winner, shown once a moderator approves it."""

    __tablename__ = "thank_you"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True)
    author_name: Mapped[str] = mapped_column(String(80), default="")
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[ThanksStatus] = mapped_column(
        enum_type(ThanksStatus), default=ThanksStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    nomination: Mapped[Nomination] = relationship()

    @property
    def is_approved(self):
        """A moderator approved it: it is shown on the winner's page."""
        return self.status is ThanksStatus.APPROVED

    @property
    def is_rejected(self):
        """A moderator turned it down: it is not shown."""
        return self.status is ThanksStatus.REJECTED


# Full-text search on SQLite: an FTS5 index over the public text only (the name as shown and
# the citation), kept in step by triggers. PostgreSQL uses an expression index instead (see
# the migration and search.py). Made with the table, so `db.create_all()` has it too.
SQLITE_SEARCH_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS public_award_search USING fts5("
    "display_name, citation, content='public_award', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS public_award_search_insert AFTER INSERT ON public_award BEGIN "
    "INSERT INTO public_award_search(rowid, display_name, citation) "
    "VALUES (new.id, new.display_name, new.citation); END",
    "CREATE TRIGGER IF NOT EXISTS public_award_search_delete AFTER DELETE ON public_award BEGIN "
    "INSERT INTO public_award_search(public_award_search, rowid, display_name, citation) "
    "VALUES ('delete', old.id, old.display_name, old.citation); END",
    "CREATE TRIGGER IF NOT EXISTS public_award_search_update AFTER UPDATE ON public_award BEGIN "
    "INSERT INTO public_award_search(public_award_search, rowid, display_name, citation) "
    "VALUES ('delete', old.id, old.display_name, old.citation); "
    "INSERT INTO public_award_search(rowid, display_name, citation) "
    "VALUES (new.id, new.display_name, new.citation); END",
]
POSTGRES_SEARCH_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_public_award_search ON public_award USING gin "
    "(to_tsvector('simple', display_name || ' ' || citation))",
]

for statement in SQLITE_SEARCH_DDL:
    event.listen(PublicAward.__table__, "after_create",
                 DDL(statement).execute_if(dialect="sqlite"))
for statement in POSTGRES_SEARCH_DDL:
    event.listen(PublicAward.__table__, "after_create",
                 DDL(statement).execute_if(dialect="postgresql"))
event.listen(PublicAward.__table__, "before_drop",
             DDL("DROP TABLE IF EXISTS public_award_search").execute_if(dialect="sqlite"))
