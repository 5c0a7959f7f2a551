"""Factories for nominations tests: cycles in any phase, categories, areas, nominations."""
from datetime import timedelta

import pytest

from awards.extensions import db
from awards.nominations.enums import AgeBand, HowLong, NomineeKind, Phase
from awards.nominations.models import today
from awards.nominations.services import journey
from awards.nominations.services.setup import save_area, save_category, save_cycle

# Days from today to (open, close, judging ends, announcement) for a cycle in each phase.
PHASE_OFFSETS = {
    Phase.UPCOMING: (10, 40, 60, 80),
    Phase.NOMINATING: (-10, 20, 40, 60),
    Phase.JUDGING: (-40, -10, 20, 40),
    Phase.DECIDING: (-60, -40, -10, 20),
    Phase.ANNOUNCED: (-90, -60, -40, -10),
}

STORY = {
    "nominee_name": "Maria Lopez", "nominee_kind": NomineeKind.PERSON,
    "age_band": AgeBand.ADULT, "nominee_email": "maria@example.com",
    "what_they_do": "Runs the Tuesday lunch club.",
    "who_benefits": "Older neighbours who live alone.",
    "difference_made": "They are less lonely.", "how_long": HowLong.YEARS_1_5,
    "nominator_name": "Sam Smith", "nominator_email": "sam@example.com",
    "nominator_relationship": "Neighbour", "nominator_may_be_named": False,
}


def cycle_dates(phase):
    """Dates that put a cycle in `phase` today."""
    start = today()
    keys = ("nominations_open", "nominations_close", "judging_ends", "announcement")
    return {k: start + timedelta(days=d) for k, d in zip(keys, PHASE_OFFSETS[Phase(phase)])}


@pytest.fixture
def make_area():
    """Factory: an area."""
    counter = iter(range(1, 10_000))

    def factory(name=None):
        area = save_area(None, name or f"Ward {next(counter)}")
        db.session.commit()
        return area

    return factory


@pytest.fixture
def make_category():
    """Factory: a category of a cycle (min_supporters 1 unless given)."""
    counter = iter(range(1, 10_000))

    def factory(cycle, **fields):
        number = next(counter)
        data = {"name": f"Category {number}", "slug": "", "description": "", "eligibility": "",
                "allows_self_nomination": False, "allows_groups": False, "min_supporters": 1,
                "min_age": None, "max_age": None, "position": number, **fields}
        category = save_category(cycle, None, data)
        db.session.commit()
        return category

    return factory


@pytest.fixture
def make_cycle(make_category):
    """Factory: a cycle in `phase` with one category (`cycle.categories[0]`)."""
    counter = iter(range(1, 10_000))

    def factory(phase=Phase.NOMINATING, name=None, **category_fields):
        number = next(counter)
        cycle = save_cycle(None, {"name": name or f"Awards {number}", "slug": "",
                                  "description": "", **cycle_dates(phase)})
        db.session.commit()
        make_category(cycle, name="Good Neighbour", **category_fields)
        return cycle

    return factory


@pytest.fixture
def make_nomination(make_cycle, make_area):
    """Factory: a nomination with every answer filled; `submit=True` sends it (as an
    anonymous nominator unless `actor` is a verified user whose account nominated)."""

    def factory(cycle=None, *, submit=False, actor=None, nominator=None, **fields):
        cycle = cycle or make_cycle()
        category = fields.pop("category", cycle.categories[0])
        area = fields.pop("area", None) or make_area()
        nomination = journey.start_nomination(cycle, category=category, nominator=nominator)
        journey.save_step(nomination, {**STORY, "area_id": area.id, **fields})
        if submit:
            journey.submit_nomination(nomination, actor=actor)
        db.session.commit()
        return nomination

    return factory
