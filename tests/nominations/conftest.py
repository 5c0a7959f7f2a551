"""Factories for nominations tests (cycles in any phase, categories, areas, nominations) and
the helpers the view tests share (page text, reloads, counts, audit rows, access grants)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from awards.core.audit import AuditEvent
from awards.core.links import make_link_token
from awards.extensions import db
from awards.nominations.enums import (
    AgeBand,
    ConsentStatus,
    HowLong,
    NominationStatus,
    NomineeKind,
    Phase,
)
from awards.nominations.models import today
from awards.nominations.services import journey, moderation, supporters
from awards.nominations.services.consent import save_consent
from awards.nominations.services.setup import save_area, save_category, save_cycle
from tests.conftest import path_of

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


def move_to(cycle, phase):
    """Change a cycle's dates so that it is in `phase` today."""
    for key, value in cycle_dates(phase).items():
        setattr(cycle, key, value)
    db.session.commit()


# --- reading pages and the database ----------------------------------------------------------

def page(response):
    """The response body as text."""
    return response.get_data(as_text=True)


def reload(obj):
    """`obj` fresh from the database (what the requests stored)."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def count(model):
    """How many rows `model` has in the database."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def audit(action, nomination=None):
    """Audit rows for `action` (optionally about `nomination`), oldest first."""
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    if nomination is not None:
        query = query.where(AuditEvent.object_type == "nomination",
                            AuditEvent.object_id == nomination.id)
    return db.session.scalars(query).all()


def kinds(messages):
    """(kind, recipient) of each outbox message."""
    return [(m.kind, m.recipient) for m in messages]


def grant(target, nomination):
    """Open the nominator's e-mailed link in `target`, which grants that browser access."""
    response = target.get(f"/n/{make_link_token('nominator', nomination.id)}")
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}"


@pytest.fixture
def other_client(app):
    """Another browser (a supporter's or the nominee's): no session grant, nobody signed in."""
    return app.test_client()


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


@pytest.fixture
def submitted(make_nomination):
    """Factory: a nomination sent and confirmed (so it is SUBMITTED and has a consent row)."""

    def factory(cycle=None, **fields):
        nomination = make_nomination(cycle, submit=True, **fields)
        journey.confirm_nominator_email(nomination)
        db.session.commit()
        assert nomination.status is NominationStatus.SUBMITTED
        return nomination

    return factory


@pytest.fixture
def eligible(submitted):
    """Factory: a nomination marked eligible; `consented` and `statements` make it ready."""

    def factory(cycle=None, consented=False, statements=0, **fields):
        nomination = submitted(cycle, **fields)
        moderation.mark_eligible(nomination, actor=None)
        if consented:
            save_consent(nomination, status=ConsentStatus.ACCEPTED)
        for number in range(statements):
            supporter = supporters.invite_supporter(nomination, f"s{number}@example.com")
            supporters.add_statement(supporter, name=f"Supporter {number}",
                                     relationship="Friend", statement="Kind.")
        db.session.commit()
        return nomination

    return factory
