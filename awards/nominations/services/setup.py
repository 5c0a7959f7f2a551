"""Admins set up award cycles, their categories, and the community's areas."""
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.slugs import slugify
from awards.extensions import db
from awards.nominations.enums import NominationStatus, Phase
from awards.nominations.models import Area, AwardCycle, Category, Nomination, today
from awards.nominations.services import NominationError

CYCLE_FIELDS = ("name", "slug", "description", "nominations_open", "nominations_close",
                "judging_ends", "announcement")
CATEGORY_FIELDS = ("name", "slug", "description", "eligibility", "allows_self_nomination",
                   "allows_groups", "min_supporters", "min_age", "max_age", "position")


def check_dates(open_, close, judging_ends, announcement):
    """Raise NominationError unless open ≤ close < judging ends ≤ announcement."""
    if not (open_ <= close < judging_ends <= announcement):
        raise NominationError(_(
            "The dates must be in order: nominations open, nominations close, "
            "judging ends, announcement."
        ))


def _apply(obj, fields, data):
    changes = {}
    for field in fields:
        if field in data and getattr(obj, field) != data[field]:
            before = getattr(obj, field)
            changes[field] = [str(before) if before is not None else None,
                              str(data[field]) if data[field] is not None else None]
            setattr(obj, field, data[field])
    return changes


def save_cycle(cycle, data, actor=None):
    """Create (cycle=None) or update an award cycle from form data."""
    check_dates(data["nominations_open"], data["nominations_close"], data["judging_ends"],
                data["announcement"])
    data = {**data, "slug": slugify(data.get("slug") or data["name"])}
    clash = db.session.scalar(select(AwardCycle).where(AwardCycle.slug == data["slug"]))
    if clash is not None and clash is not cycle:
        raise NominationError(_("Another cycle already uses the web address “%(slug)s”.",
                                slug=data["slug"]))
    creating = cycle is None
    cycle = cycle or AwardCycle()
    changes = _apply(cycle, CYCLE_FIELDS, data)
    if creating:
        db.session.add(cycle)
    db.session.flush()
    record("cycle.created" if creating else "cycle.updated", cycle, actor=actor, **changes)
    return cycle


@dataclass
class Consequences:
    """What a change to a cycle will do, for the admin to confirm first."""

    awaiting_moderation: int = 0  # received, not checked yet
    drafts: int = 0  # started, not sent: can no longer be sent
    recipients: list = dataclass_field(default_factory=list)  # who will be e-mailed (nobody here)
    ending: Phase | None = None  # the phase that ends early
    ends_on: object = None
    was_ending_on: object = None

    @property
    def ending_name(self):
        return PHASE_NAMES[self.ending] if self.ending else ""


PHASE_ORDER = [Phase.UPCOMING, Phase.NOMINATING, Phase.JUDGING, Phase.DECIDING, Phase.ANNOUNCED]
PHASE_NAMES = {Phase.UPCOMING: _l("The wait before nominations open"),
               Phase.NOMINATING: _l("Taking nominations"), Phase.JUDGING: _l("Judging"),
               Phase.DECIDING: _l("Preparing the results"), Phase.ANNOUNCED: _l("Announced")}


def _last_day(phase, dates):
    """The last day of `phase` under `dates` (a mapping of the cycle's four dates)."""
    return {Phase.UPCOMING: dates["nominations_open"] - timedelta(days=1),
            Phase.NOMINATING: dates["nominations_close"],
            Phase.JUDGING: dates["judging_ends"],
            Phase.DECIDING: dates["announcement"] - timedelta(days=1)}.get(phase)


def _waiting_counts(cycle):
    counts = dict(db.session.execute(
        select(Nomination.status, func.count()).where(
            Nomination.cycle_id == cycle.id,
            Nomination.status.in_([NominationStatus.SUBMITTED, NominationStatus.DRAFT]))
        .group_by(Nomination.status)).all())
    return {"awaiting_moderation": counts.get(NominationStatus.SUBMITTED, 0),
            "drafts": counts.get(NominationStatus.DRAFT, 0)}


def archive_consequences(cycle):
    """What archiving `cycle` will do: what is left waiting; nobody is e-mailed."""
    return Consequences(**_waiting_counts(cycle))


def date_change_consequences(cycle, data):
    """What saving new dates (`data`) does to `cycle`, when they end its current phase early
    (today falls in a later phase under the new dates); None when nothing ends early."""
    before, after = cycle.phase, AwardCycle(**{
        name: data[name] for name in ("nominations_open", "nominations_close",
                                      "judging_ends", "announcement")}).phase_on(today())
    if PHASE_ORDER.index(after) <= PHASE_ORDER.index(before):
        return None
    old = {name: getattr(cycle, name) for name in (
        "nominations_open", "nominations_close", "judging_ends", "announcement")}
    return Consequences(**_waiting_counts(cycle), ending=before,
                        ends_on=_last_day(before, data), was_ending_on=_last_day(before, old))


def archive(obj, actor=None):
    """Archive a cycle, category or area (hidden from new nominations, kept for history)."""
    if obj.archived_at is None:
        obj.archived_at = utcnow()
        record(f"{obj.__tablename__}.archived", obj, actor=actor)
    db.session.flush()


def restore(obj, actor=None):
    """Bring an archived cycle, category or area back."""
    if obj.archived_at is not None:
        obj.archived_at = None
        record(f"{obj.__tablename__}.restored", obj, actor=actor)
    db.session.flush()


def copy_cycle(source, name, years=1, actor=None):
    """Start a new cycle from an old one: same categories, dates moved on by `years`."""
    def shift(day):
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February
            return day.replace(year=day.year + years, day=28)

    close, judging_ends = shift(source.nominations_close), shift(source.judging_ends)
    # 28 and 29 February both land on 28 February: keep judging after the close.
    judging_ends = max(judging_ends, close + timedelta(days=1))
    cycle = save_cycle(None, {
        "name": name, "slug": slugify(name), "description": source.description,
        "nominations_open": shift(source.nominations_open), "nominations_close": close,
        "judging_ends": judging_ends,
        "announcement": max(shift(source.announcement), judging_ends),
    }, actor=actor)
    for old in source.live_categories:
        db.session.add(Category(cycle=cycle, **{f: getattr(old, f) for f in CATEGORY_FIELDS}))
    db.session.flush()
    record("cycle.copied", cycle, actor=actor, source=source.slug)
    return cycle


def save_category(cycle, category, data, actor=None):
    """Create (category=None) or update a category of `cycle`."""
    if data.get("min_age") is not None and data.get("max_age") is not None \
            and data["min_age"] > data["max_age"]:
        raise NominationError(_("The minimum age must not be more than the maximum age."))
    data = {**data, "slug": slugify(data.get("slug") or data["name"])}
    clash = db.session.scalar(select(Category).where(
        Category.cycle_id == cycle.id, Category.slug == data["slug"]))
    if clash is not None and clash is not category:
        raise NominationError(_("This cycle already has a category called “%(name)s”.",
                                name=data["name"]))
    creating = category is None
    category = category or Category(cycle=cycle)
    changes = _apply(category, CATEGORY_FIELDS, data)
    if creating:
        db.session.add(category)
    db.session.flush()
    record("category.created" if creating else "category.updated", category, actor=actor,
           **changes)
    return category


def save_area(area, name, actor=None):
    """Create (area=None) or rename an area."""
    name = name.strip()
    clash = db.session.scalar(select(Area).where(db.func.lower(Area.name) == name.lower()))
    if clash is not None and clash is not area:
        raise NominationError(_("There is already an area called “%(name)s”.", name=name))
    creating = area is None
    area = area or Area()
    changes = _apply(area, ("name",), {"name": name})
    if creating:
        db.session.add(area)
    db.session.flush()
    record("area.created" if creating else "area.updated", area, actor=actor, **changes)
    return area


def default_dates(today):
    """Sensible dates for a new cycle starting today (for the empty form)."""
    return {
        "nominations_open": today,
        "nominations_close": today + timedelta(weeks=8),
        "judging_ends": today + timedelta(weeks=12),
        "announcement": today + timedelta(weeks=14),
    }
