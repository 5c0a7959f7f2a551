"""Reads for the admin dashboard: what needs attention now, and the current cycle in numbers.

"Nominations" here are the ones sent: not drafts, and not those removed as spam.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from awards.core.dates import scheme_today
from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus, Phase
from awards.nominations.models import Area, AwardCycle, Category, Consent, Nomination
from awards.nominations.queries import current_cycle, live_areas
from awards.panels.queries import panels_of
from awards.panels.services.results import progress
from awards.public.services.thanks import pending_count

NOT_COUNTED = (NominationStatus.DRAFT, NominationStatus.SPAM)
# An area with this many nominations or fewer, this cycle and last together, is listed.
FEW = 2


@dataclass(frozen=True)
class Attention:
    """The counts of what needs an admin now (each page links to where it is done)."""

    to_moderate: int
    consent_unanswered: int
    panels_short: int
    thanks_to_moderate: int
    mail_failed: int


@dataclass(frozen=True)
class AreaCoverage:
    """An area's nominations this cycle and last."""

    area: Area
    this_cycle: int
    last_cycle: int | None  # None: there was no earlier cycle

    @property
    def is_thin(self):
        """Few or no nominations, this cycle and last together."""
        return self.this_cycle + (self.last_cycle or 0) <= FEW


@dataclass(frozen=True)
class Stage:
    """A phase of the cycle on its timeline, from one day to another (inclusive)."""

    phase: Phase
    first: date
    last: date | None  # None: from that day on
    is_current: bool


def timeline(cycle):
    """The cycle's phases in order with their dates, today's marked (none while upcoming)."""
    one = timedelta(days=1)
    spans = ((Phase.NOMINATING, cycle.nominations_open, cycle.nominations_close),
             (Phase.JUDGING, cycle.nominations_close + one, cycle.judging_ends),
             (Phase.DECIDING, cycle.judging_ends + one, cycle.announcement - one),
             (Phase.ANNOUNCED, cycle.announcement, None))
    today = cycle.phase
    return [Stage(phase, first, last, phase is today) for phase, first, last in spans
            if last is None or first <= last]


def dashboard_cycle():
    """The cycle the dashboard is about: the one taking nominations, else the latest."""
    return current_cycle()


def previous_cycle(cycle):
    """The cycle that opened before `cycle`, or None."""
    return db.session.scalar(
        select(AwardCycle).where(AwardCycle.nominations_open < cycle.nominations_open)
        .order_by(AwardCycle.nominations_open.desc()).limit(1))


def _sent(cycle):
    return (Nomination.cycle_id == cycle.id, Nomination.status.not_in(NOT_COUNTED))


def attention(cycle):
    """What needs attention now: nominations of `cycle` to check, nominees who have not
    answered, its panels short of reviews; messages of thanks and failed mail (all cycles)."""
    to_moderate = consent_unanswered = panels_short = 0
    if cycle is not None:
        to_moderate = db.session.scalar(select(func.count()).select_from(Nomination).where(
            Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED))
        consent_unanswered = db.session.scalar(
            select(func.count()).select_from(Nomination)
            .join(Consent, Consent.nomination_id == Nomination.id)
            .where(Nomination.cycle_id == cycle.id,
                   # Nominees are asked once their nomination is checked (eligible).
                   Nomination.status == NominationStatus.ELIGIBLE,
                   Consent.status == ConsentStatus.PENDING))
        panels_short = sum(1 for panel in panels_of(cycle) if is_short_of_reviews(panel))
    failed = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.FAILED))
    return Attention(to_moderate, consent_unanswered, panels_short, pending_count(), failed)


def is_short_of_reviews(panel):
    """A judging panel whose members have reviews still to submit in the current round."""
    if not panel.is_judging:
        return False
    rows = progress(panel)
    return sum(row.submitted for row in rows) < sum(row.assigned for row in rows)


def by_week(cycle):
    """(first day of the week, nominations sent that week), from the week nominations opened
    to the week they closed (or this week, if sooner)."""
    sent = db.session.scalars(select(Nomination.submitted_at).where(
        *_sent(cycle), Nomination.submitted_at.is_not(None))).all()
    start = cycle.nominations_open - timedelta(days=cycle.nominations_open.weekday())
    end = min(cycle.nominations_close, max(scheme_today(), cycle.nominations_open))
    weeks = {}
    day = start
    while day <= end:
        weeks[day] = 0
        day += timedelta(days=7)
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    for moment in sent:
        local = moment.astimezone(zone).date()
        week = local - timedelta(days=local.weekday())
        if week in weeks:
            weeks[week] += 1
    return list(weeks.items())


def by_category(cycle):
    """(category name, nominations) for every live category of `cycle`, in its order."""
    counts = dict(db.session.execute(
        select(Nomination.category_id, func.count()).where(*_sent(cycle))
        .group_by(Nomination.category_id)).all())
    categories = db.session.scalars(select(Category).where(
        Category.cycle_id == cycle.id, Category.archived_at.is_(None))
        .order_by(Category.position, Category.id)).all()
    return [(category.name, counts.get(category.id, 0)) for category in categories]


def _area_counts(cycle):
    if cycle is None:
        return {}
    return dict(db.session.execute(
        select(Nomination.area_id, func.count()).where(*_sent(cycle))
        .group_by(Nomination.area_id)).all())


def by_area(cycle):
    """(area name, nominations) for every live area, alphabetically (never ranked)."""
    counts = _area_counts(cycle)
    return [(area.name, counts.get(area.id, 0)) for area in live_areas()]


def coverage(cycle):
    """Every live area (alphabetically) with its nominations this cycle and last."""
    last = previous_cycle(cycle)
    this_counts, last_counts = _area_counts(cycle), _area_counts(last)
    return [AreaCoverage(area, this_counts.get(area.id, 0),
                         None if last is None else last_counts.get(area.id, 0))
            for area in live_areas()]


def first_time_nominators(cycle):
    """How many different nominators of `cycle` (by e-mail address) never sent a nomination
    in an earlier cycle."""
    address = func.lower(Nomination.nominator_email)
    earlier = (select(address).join(AwardCycle, AwardCycle.id == Nomination.cycle_id)
               .where(AwardCycle.nominations_open < cycle.nominations_open,
                      Nomination.status.not_in(NOT_COUNTED), Nomination.nominator_email != ""))
    return db.session.scalar(
        select(func.count(address.distinct())).where(
            *_sent(cycle), Nomination.nominator_email != "", address.not_in(earlier)))


def assisted(cycle):
    """(how it was received, nominations) for the nominations a helper entered."""
    rows = dict(db.session.execute(
        select(Nomination.received_via, func.count())
        .where(*_sent(cycle), Nomination.entered_by_id.is_not(None))
        .group_by(Nomination.received_via)).all())
    return [(via, count) for via, count in sorted(rows.items(), key=lambda r: r[0].value)]
