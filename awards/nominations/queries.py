"""Reads of cycles, categories, areas and nominations."""
from functools import cache
from types import SimpleNamespace

from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import func, or_, select

from awards.extensions import db
from awards.nominations.enums import NominationStatus, Phase
from awards.nominations.models import (
    Area,
    AwardCycle,
    Category,
    Consent,
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


# Newest submission first, never-submitted (awaiting confirmation, withdrawn drafts) last, as
# ix_nomination_newest holds them.
MODERATION_ORDER = (Nomination.submitted_at.desc().nulls_last(), Nomination.id.desc())


def moderation_queue(*, cycle_id=None, category_id=None, area_id=None, status=None, search=None,
                     page=1, per_page=MODERATION_PER_PAGE):
    """A page of the nominations for the admin queue, filtered, newest first; drafts are
    never listed. Items are light rows of what the queue shows: reference, nominee_name,
    status, category, area (names), min_supporters (the category's), consent (its status)
    and statements (how many count towards it), in two statements (the count and the page)
    however many there are."""
    conditions = []
    if cycle_id:
        conditions.append(Nomination.cycle_id == cycle_id)
    if category_id:
        conditions.append(Nomination.category_id == category_id)
    if area_id:
        conditions.append(Nomination.area_id == area_id)
    if status:
        conditions.append(Nomination.status == NominationStatus(status))
    if search:
        like = f"%{search.strip()}%"
        conditions.append(or_(Nomination.reference.ilike(like),
                              Nomination.nominee_name.ilike(like),
                              Nomination.nominator_name.ilike(like),
                              Nomination.what_they_do.ilike(like)))
    listed = [*conditions, Nomination.status != NominationStatus.DRAFT]
    return RowsPagination(select=_queue_rows(), ids=select(Nomination.id).where(*listed)
                          .order_by(*MODERATION_ORDER),
                          session=db.session(), page=page, per_page=per_page,
                          max_per_page=None, error_out=False, count=True,
                          total=db.session.scalar(_count_listed(conditions, search or status)))


@cache
def _queue_rows():
    """The moderation queue's rows (see `moderation_queue`), for the ids the page picks:
    built once, as it is the same for every page and filter."""
    statements = (select(func.count(Supporter.id))
                  .where(Supporter.nomination_id == Nomination.id,
                         Supporter.confirmed_at.is_not(None),
                         Supporter.responded_at.is_not(None))
                  .correlate(Nomination).scalar_subquery())
    return (select(Nomination.reference, Nomination.nominee_name, Nomination.status,
                   Category.name.label("category"), Category.min_supporters,
                   Area.name.label("area"), Consent.status.label("consent"),
                   statements.label("statements"))
            .select_from(Nomination)
            .outerjoin(Category, Category.id == Nomination.category_id)
            .outerjoin(Area, Area.id == Nomination.area_id)
            .outerjoin(Consent, Consent.nomination_id == Nomination.id)
            .order_by(*MODERATION_ORDER))


def _count_listed(conditions, narrowed):
    """A select of how many nominations but drafts meet `conditions`. Unless a search or a
    status narrows them, counted as all of them less the drafts: SQLite counts a whole table
    or an index range at once (0.005 ms at 20,000), but reads every row for "not a draft"
    (0.8 ms)."""
    counted = select(func.count()).select_from(Nomination)
    not_drafts = counted.where(*conditions, Nomination.status != NominationStatus.DRAFT)
    if narrowed:
        return not_drafts
    return select(counted.where(*conditions).scalar_subquery()
                  - counted.where(*conditions, Nomination.status == NominationStatus.DRAFT)
                  .scalar_subquery())


def filter_lists():
    """What the queue's filters offer, as light rows: every cycle, newest first, with its
    categories ([(id, name, categories [(id, name)])]), and every area, archived last
    ([(id, name)]), in two statements."""
    cycles = {}
    for row in db.session.execute(
            select(AwardCycle.id, AwardCycle.name, Category.id.label("category_id"),
                   Category.name.label("category_name"))
            .outerjoin(Category, Category.cycle_id == AwardCycle.id)
            .order_by(AwardCycle.nominations_open.desc(), AwardCycle.id, Category.position,
                      Category.id)):
        cycle = cycles.get(row.id)
        if cycle is None:
            cycle = cycles[row.id] = SimpleNamespace(id=row.id, name=row.name, categories=[])
        if row.category_id is not None:
            cycle.categories.append(SimpleNamespace(id=row.category_id, name=row.category_name))
    areas = db.session.execute(select(Area.id, Area.name).order_by(
        Area.archived_at.is_not(None), Area.name)).all()
    return list(cycles.values()), areas


class RowsPagination(SelectPagination):
    """db.paginate's page whose items are whole rows (entities or columns, by their labels);
    `total=` (when the caller has counted already) saves the count. With `ids=` (a select
    of the listed rows' ids in order, without joins or extra columns), the page's ids are
    picked from it first and only those rows are joined and computed, and it is what is
    counted: a queue of 20,000 sorted for 50 rows no longer joins and computes 20,000.
    `params=` gives the values of bound parameters in both (statements built once)."""

    def page_ids(self):
        """With `ids=`, the select of this page's ids, in order; else None."""
        ids = self._query_args.get("ids")
        return None if ids is None else ids.limit(self.per_page).offset(self._query_offset)

    def _query_items(self):
        query, page_ids = self._query_args["select"], self.page_ids()
        if page_ids is None:
            query = query.limit(self.per_page).offset(self._query_offset)
        else:
            key = page_ids.selected_columns[0]
            query = query.where(key.in_(select(page_ids.subquery().c[0])))
        return self._query_args["session"].execute(query, self._query_args.get("params")).all()

    def _query_count(self):
        total, ids = self._query_args.get("total"), self._query_args.get("ids")
        if total is not None:
            return total
        if ids is not None:
            return self._query_args["session"].scalar(
                select(func.count()).select_from(ids.order_by(None).subquery()),
                self._query_args.get("params"))
        return super()._query_count()


def recognition_given(nomination):
    """What recognition and support the nominee of `nomination` was given, oldest first."""
    return db.session.scalars(
        select(RecognitionGiven).where(RecognitionGiven.nomination_id == nomination.id)
        .order_by(RecognitionGiven.given_on.is_(None), RecognitionGiven.given_on,
                  RecognitionGiven.id)).all()
