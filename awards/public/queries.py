"""Reads for the public pages. Each runs one statement, whatever the number of awards: the
cycle, category, area and photo of an award come joined in (models.py). The listing is
sorted and filtered on public_award's own columns (its index ix_public_award_listing), so a
page reads only its own rows, not every award."""
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from awards.core.urls import external_url
from awards.extensions import db
from awards.nominations.models import Area, AwardCycle, Category
from awards.public.cache import per_generation
from awards.public.enums import ThanksStatus
from awards.public.models import PublicAward, ThankYou
from awards.public.search import matches

PER_PAGE = 24


# Newest announcement first, categories in their place, winners first, then by name.
LISTING_ORDER = (PublicAward.announced_on.desc(), PublicAward.category_position,
                 PublicAward.category_id, PublicAward.outcome.desc(), PublicAward.display_name,
                 PublicAward.id)


def _in_order(statement):
    return statement.order_by(*LISTING_ORDER)


def _awards():
    # Joined once, for filters and ordering and to fill the relationships (no second join).
    return (select(PublicAward).join(PublicAward.cycle).join(PublicAward.category)
            .options(contains_eager(PublicAward.cycle), contains_eager(PublicAward.category)))


def latest_awards(limit=6):
    """The most recently announced awards, winners first."""
    return db.session.scalars(_in_order(_awards()).limit(limit)).all()


def award_by_key(key):
    """The public award with this key, or None."""
    return db.session.scalar(_awards().where(PublicAward.key == key))


def published_cycles():
    """Cycles whose results are public, newest first."""
    return db.session.scalars(
        select(AwardCycle).where(AwardCycle.results_published_at.is_not(None))
        .order_by(AwardCycle.announcement.desc())).all()


def published_cycle(slug):
    """A cycle with public results by its slug, or None."""
    return db.session.scalar(select(AwardCycle).where(
        AwardCycle.slug == slug, AwardCycle.results_published_at.is_not(None)))


def by_category(awards):
    """Awards grouped by category name, in the order given."""
    groups = OrderedDict()
    for award in awards:
        groups.setdefault(award.category.name, []).append(award)
    return groups


def cycle_awards(cycle):
    """Every public award of a cycle, by category then winners first."""
    return db.session.scalars(_in_order(_awards().where(PublicAward.cycle_id == cycle.id))).all()


@dataclass
class Filters:
    """What the hall of fame is narrowed to (each optional)."""

    year: int | None = None
    area_id: int | None = None
    category: str | None = None  # a category slug: the same award across years
    query: str = ""

    @property
    def active(self):
        """Whether anything narrows the list."""
        return bool(self.year or self.area_id or self.category or self.query.strip())


def _conditions(filters):
    """The filters as conditions on public_award's own columns."""
    conditions = []
    if filters.year:
        conditions.append(PublicAward.announced_on.between(date(filters.year, 1, 1),
                                                           date(filters.year, 12, 31)))
    if filters.area_id:
        conditions.append(PublicAward.area_id == filters.area_id)
    if filters.category:
        conditions.append(PublicAward.category_slug == filters.category)
    condition = matches(filters.query)
    if condition is not None:
        conditions.append(condition)
    return conditions


class ListingPage(Pagination):
    """A page of the listing in two statements: the count, and the page's awards, whose ids
    are picked from public_award alone (its index gives the order) before anything is
    joined to them."""

    def page_ids(self):
        """The select of this page's award ids, in order, from public_award alone."""
        return _in_order(select(PublicAward.id).where(*self._query_args["conditions"])).limit(
            self.per_page).offset(self._query_offset)

    def _query_items(self):
        ids = self.page_ids().subquery()
        return db.session.scalars(_in_order(_awards().where(
            PublicAward.id.in_(select(ids.c.id))))).all()

    def _query_count(self):
        return db.session.scalar(select(func.count(PublicAward.id)).where(
            *self._query_args["conditions"]))


def hall_of_fame(filters, page=1, per_page=None):
    """One page of the awards matching `filters` (two statements: the page and the count)."""
    return ListingPage(conditions=_conditions(filters), page=page,
                       per_page=per_page or PER_PAGE, error_out=False)


def areas_with_awards():
    """(id, name) of the areas that have at least one award shown with its area."""
    return [tuple(row) for row in db.session.execute(
        select(Area.id, Area.name).where(Area.id.in_(select(PublicAward.area_id)))
        .order_by(Area.name))]


def categories_with_awards():
    """(slug, name) of every category with a public award; the newest name for each slug."""
    rows = db.session.execute(
        select(Category.slug, Category.name).join(PublicAward, PublicAward.category_id ==
                                                  Category.id)
        .join(AwardCycle, AwardCycle.id == Category.cycle_id)
        .group_by(Category.slug, Category.name)
        .order_by(func.max(AwardCycle.announcement).desc())).all()
    names = {}
    for slug, name in rows:
        names.setdefault(slug, name)
    return sorted(names.items(), key=lambda item: item[1])


@dataclass(frozen=True)
class ListingChoices:
    """What the hall of fame can be narrowed to, and the cycles it links to: plain values,
    so that they can be kept in the cache."""

    cycles: tuple  # (slug, name, year) of each published cycle, newest first
    areas: tuple  # (id, name)
    categories: tuple  # (slug, name)

    @property
    def years(self):
        """The years with published awards, newest first."""
        return sorted({year for _slug, _name, year in self.cycles}, reverse=True)


def listing_choices():
    """The hall of fame's filter lists, read once per generation of the public cache (they
    change only with what the public pages show) instead of three statements a page."""
    return per_generation("choices", lambda: ListingChoices(
        cycles=tuple((c.slug, c.name, c.announcement.year) for c in published_cycles()),
        areas=tuple(areas_with_awards()), categories=tuple(categories_with_awards())))


def area_by_id(area_id):
    """An area, or None."""
    return db.session.get(Area, area_id)


def approved_thanks(nomination_id, limit=50):
    """The thank-you messages shown on a winner's page, newest first."""
    return db.session.scalars(
        select(ThankYou).where(ThankYou.nomination_id == nomination_id,
                               ThankYou.status == ThanksStatus.APPROVED)
        .order_by(ThankYou.created_at.desc(), ThankYou.id.desc()).limit(limit)).all()


def all_awards():
    """Every public award, newest first (feeds and the sitemap)."""
    return db.session.scalars(_in_order(_awards())).all()


def awards_of(nomination_ids):
    """The public rows (on the listing now) of these nominations, by nomination id: for
    the newsletter, which shows what the public pages show (handed to it by the factory)."""
    ids = list(nomination_ids)
    if not ids:
        return {}
    return {award.nomination_id: award for award in db.session.scalars(
        select(PublicAward).where(PublicAward.nomination_id.in_(ids)))}


def public_links(nomination):
    """The absolute addresses of the nomination's public page and certificate (for the
    winners' and highly commended's e-mails), or None when it has no public row (the
    nominee did not consent, withdrew, or it is not a published award)."""
    award = db.session.scalar(select(PublicAward).filter_by(nomination_id=nomination.id))
    if award is None:
        return None
    return {"page": external_url("public.award", key=award.key, slug=award.slug),
            "certificate": external_url("certificates.certificate", key=award.key)}
