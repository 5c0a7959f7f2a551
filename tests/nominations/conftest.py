"""Factories for nominations tests (cycles in any phase, categories, areas, nominations, the
people of the story), the outbox as the service tests read it, and the helpers the view tests
share (page text, reloads, counts, audit rows, access grants)."""
import pytest
from sqlalchemy import func, select

from awards import factories
from awards.accounts.enums import Role
from awards.core.audit import AuditEvent
from awards.core.links import make_link_token
from awards.extensions import db
from awards.factories import PHASE_OFFSETS, STORY, cycle_dates  # noqa: F401  (tests import)
from awards.nominations.enums import NominationStatus, Phase, ReceivedVia
from awards.nominations.services import journey
from tests.conftest import path_of


def move_to(cycle, phase):
    """Change a cycle's dates so that it is in `phase` today."""
    factories.move_to(cycle, phase)
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
        area = factories.area(name or f"Ward {next(counter)}")
        db.session.commit()
        return area

    return factory


@pytest.fixture
def make_category():
    """Factory: a category of a cycle (min_supporters 1 unless given)."""
    counter = iter(range(1, 10_000))

    def factory(cycle, **fields):
        number = next(counter)
        category = factories.category(cycle, **{"name": f"Category {number}",
                                                "position": number, **fields})
        db.session.commit()
        return category

    return factory


@pytest.fixture
def make_cycle(make_category):
    """Factory: a cycle in `phase` with one category (`cycle.categories[0]`)."""
    counter = iter(range(1, 10_000))

    def factory(phase=Phase.NOMINATING, name=None, **category_fields):
        cycle = factories.cycle(phase, name=name or f"Awards {next(counter)}", categories=())
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
        fields["area"] = fields.get("area") or make_area()
        status = NominationStatus.AWAITING_CONFIRMATION if submit else NominationStatus.DRAFT
        nomination = factories.nomination(cycle, status, actor=actor, nominator=nominator,
                                          **fields)
        db.session.commit()
        return nomination

    return factory


@pytest.fixture
def submitted(make_cycle, make_area):
    """Factory: a nomination sent and confirmed (so it is SUBMITTED and has a consent row)."""

    def factory(cycle=None, **fields):
        cycle = cycle or make_cycle()
        fields["area"] = fields.get("area") or make_area()
        nomination = factories.nomination(cycle, NominationStatus.SUBMITTED, **fields)
        db.session.commit()
        assert nomination.status is NominationStatus.SUBMITTED
        return nomination

    return factory


@pytest.fixture
def eligible(make_cycle, make_area):
    """Factory: a nomination marked eligible; `consented` and `statements` make it ready."""

    def factory(cycle=None, consented=False, statements=0, **fields):
        cycle = cycle or make_cycle()
        fields["area"] = fields.get("area") or make_area()
        nomination = factories.nomination(cycle, NominationStatus.ELIGIBLE,
                                          statements=statements, consent=consented, **fields)
        db.session.commit()
        return nomination

    return factory


@pytest.fixture
def sent(outbox):
    """Factory: (kind, recipient) of every queued message, after flushing pending changes."""
    def rows(recipient=None):
        db.session.flush()
        return [(m.kind, m.recipient) for m in outbox(recipient)]
    return rows


@pytest.fixture
def messages(outbox):
    """Factory: the queued messages themselves (optionally for one recipient)."""
    def rows(recipient=None):
        db.session.flush()
        return outbox(recipient)
    return rows


@pytest.fixture
def sam(make_user):
    """A verified resident whose email matches the story's nominator."""
    return make_user(name="Sam Smith", email=STORY["nominator_email"])


@pytest.fixture
def helper(make_user):
    """A helper, who takes nominations by phone or on paper."""
    return make_user(name="Hal Helper", email="hal@example.com", roles=[Role.HELPER])


@pytest.fixture
def entered(make_cycle, make_area, helper):
    """Factory: a nomination a helper took by phone (no nominator email), saved not sent."""
    def factory(cycle=None, **fields):
        cycle = cycle or make_cycle()
        nomination = journey.start_nomination(cycle, category=cycle.categories[0],
                                              entered_by=helper, via=ReceivedVia.PHONE)
        journey.save_step(nomination, {**STORY, "area_id": make_area().id,
                                       "nominator_email": "", **fields})
        db.session.commit()
        return nomination
    return factory
