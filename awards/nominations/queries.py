"""Reads of cycles, categories, areas and nominations."""
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from awards.extensions import db
from awards.nominations.enums import NominationStatus, Phase
from awards.nominations.models import (
    Area,
    AwardCycle,
    Category,
    Nomination,
    RecognitionGiven,
    Supporter,
)

MODERATION_PER_PAGE = 50


def live_areas():
    """Areas not archived, by name."""
    return db.session.scalars(
        select(Area).where(Area.archived_at.is_(None)).order_by(Area.name)).all()


def all_areas():
    """Every area, archived last."""
    return db.session.scalars(select(Area).order_by(Area.archived_at.is_not(None), Area.name)).all()


def all_cycles():
    """Every cycle, newest first."""
    return db.session.scalars(
        select(AwardCycle).order_by(AwardCycle.nominations_open.desc())).all()


def open_cycles():
    """Cycles taking nominations today."""
    return [c for c in db.session.scalars(
        select(AwardCycle).where(AwardCycle.archived_at.is_(None))
        .order_by(AwardCycle.nominations_open)) if c.phase is Phase.NOMINATING]


def current_cycle():
    """The cycle to show on the home page: open now, else the most recent not archived."""
    cycles = db.session.scalars(select(AwardCycle).where(AwardCycle.archived_at.is_(None))
                                .order_by(AwardCycle.nominations_open.desc())).all()
    return next((c for c in cycles if c.phase is Phase.NOMINATING), cycles[0] if cycles else None)


def cycle_by_slug(slug):
    """The cycle with this slug, or None."""
    return db.session.scalar(select(AwardCycle).where(AwardCycle.slug == slug))


def category_by_slug(cycle, slug):
    """A live category of `cycle` by slug, or None."""
    return db.session.scalar(select(Category).where(
        Category.cycle_id == cycle.id, Category.slug == slug, Category.archived_at.is_(None)))


def nomination_by_reference(reference):
    """The nomination with this reference (case-insensitive), or None."""
    return db.session.scalar(
        select(Nomination).where(Nomination.reference == (reference or "").strip().upper()))


def nominations_of(user):
    """A resident's own nominations, newest first."""
    return db.session.scalars(select(Nomination).where(Nomination.nominator_id == user.id)
                              .order_by(Nomination.created_at.desc())).all()


def moderation_queue(*, cycle_id=None, category_id=None, area_id=None, status=None, search=None,
                     page=1, per_page=MODERATION_PER_PAGE):
    """A page of the nominations for the admin queue, filtered, newest first; drafts are
    never listed. Items are (nomination with its category, area and consent, how many
    statements count towards it), in two statements (the count and the page) however many
    there are."""
    query = select(Nomination).where(Nomination.status != NominationStatus.DRAFT)
    if cycle_id:
        query = query.where(Nomination.cycle_id == cycle_id)
    if category_id:
        query = query.where(Nomination.category_id == category_id)
    if area_id:
        query = query.where(Nomination.area_id == area_id)
    if status:
        query = query.where(Nomination.status == NominationStatus(status))
    if search:
        like = f"%{search.strip()}%"
        query = query.where(or_(Nomination.reference.ilike(like),
                                Nomination.nominee_name.ilike(like),
                                Nomination.nominator_name.ilike(like),
                                Nomination.what_they_do.ilike(like)))
    statements = (select(func.count(Supporter.id))
                  .where(Supporter.nomination_id == Nomination.id,
                         Supporter.confirmed_at.is_not(None),
                         Supporter.responded_at.is_not(None))
                  .correlate(Nomination).scalar_subquery())
    query = (query.add_columns(statements)
             .options(joinedload(Nomination.category), joinedload(Nomination.area),
                      joinedload(Nomination.consent))
             .order_by(Nomination.submitted_at.desc().nulls_last(), Nomination.id.desc()))
    return RowsPagination(select=query, session=db.session(), page=page, per_page=per_page,
                          max_per_page=None, error_out=False, count=True)


class RowsPagination(SelectPagination):
    """db.paginate's page whose items are whole rows (an entity and its extra columns);
    `total=` (when the caller has counted already) saves the count."""

    def _query_items(self):
        query = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return [tuple(row) for row in self._query_args["session"].execute(query)]

    def _query_count(self):
        total = self._query_args.get("total")
        return super()._query_count() if total is None else total




def cycles_with_categories():
    """Every cycle, newest first, with its categories (in one statement)."""
    return db.session.scalars(
        select(AwardCycle).options(joinedload(AwardCycle.categories))
        .order_by(AwardCycle.nominations_open.desc())).unique().all()


def recognition_given(nomination):
    """What recognition and support the nominee of `nomination` was given, oldest first."""
    return db.session.scalars(
        select(RecognitionGiven).where(RecognitionGiven.nomination_id == nomination.id)
        .order_by(RecognitionGiven.given_on.is_(None), RecognitionGiven.given_on,
                  RecognitionGiven.id)).all()
