"""The moderation queue runs the same few SQL statements with 10 and with 1,000 nominations
waiting for moderation (no N+1), as tests/public/test_query_counts.py checks for the public
pages; it shows them a page at a time, newest first, with links to the other pages.

One nomination is sent through the services; the rest are bulk rows in the same cycle: the
nomination (submitted, in one of two categories and two areas), its pending consent and, for
every other one, a supporter whose statement counts.
"""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, insert, select

from awards.accounts.enums import Role
from awards.core.db import utcnow
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus
from awards.nominations.models import Consent, Nomination, Supporter
from tests.public.crawl import counting_statements

MAX_STATEMENTS = 8
PER_PAGE = 50
PREFIX = "QM"


def bulk_submitted(w, numbers):
    """Bulk rows for each of `numbers` (see the module's docstring), submitted one minute
    apart since yesterday: the newest is the highest number."""
    numbers = list(numbers)
    now = utcnow()
    db.session.execute(insert(Nomination), [
        {"reference": f"{PREFIX}{n:07d}", "cycle_id": w.cycle_id,
         "category_id": w.category_ids[n % 2], "area_id": w.area_ids[n % 2],
         "status": NominationStatus.SUBMITTED, "nominee_name": f"Waiting Person{n}",
         "nominator_name": "Nora Nominator", "what_they_do": "Runs the lunch club.",
         "submitted_at": now - timedelta(days=1) + timedelta(minutes=n)} for n in numbers])
    ids = dict(db.session.execute(select(Nomination.reference, Nomination.id).where(
        Nomination.reference.like(f"{PREFIX}%"))).all())
    ids = {n: ids[f"{PREFIX}{n:07d}"] for n in numbers}
    db.session.execute(insert(Consent), [
        {"nomination_id": ids[n], "status": ConsentStatus.PENDING} for n in numbers])
    db.session.execute(insert(Supporter), [
        {"nomination_id": ids[n], "email": f"supporter{n}@example.com", "name": "Sue",
         "statement": "They are wonderful.", "confirmed_at": now, "responded_at": now}
        for n in numbers if n % 2])
    db.session.commit()


@pytest.fixture
def waiting(make_cycle, make_category, make_area, submitted, make_user):
    """Factory: one nomination sent through the services; `grow(total)` adds bulk ones up
    to `total` waiting for moderation."""

    def build():
        cycle = make_cycle()
        first = submitted(cycle)
        first.submitted_at = utcnow() - timedelta(days=2)  # older than the bulk ones
        db.session.commit()
        admin = make_user(name="Ada Admin", roles=[Role.ADMIN])
        w = SimpleNamespace(
            cycle_id=cycle.id, category_ids=[cycle.categories[0].id, make_category(cycle).id],
            area_ids=[first.area_id, make_area().id], first=first.reference,
            admin=SimpleNamespace(email=admin.email), total=1)

        def grow(total):
            bulk_submitted(w, range(w.total, total))
            w.total = total
            assert db.session.scalar(select(func.count()).select_from(Nomination).where(
                Nomination.status == NominationStatus.SUBMITTED)) == total
            db.session.close()

        w.grow = grow
        return w

    return build


def references(text):
    return [part.split('"')[0] for part in text.split('href="/admin/nominations/')[1:]
            if part.startswith(PREFIX)]


def test_the_moderation_queue_runs_the_same_few_statements_for_10_and_1000_nominations(
        app, waiting, sign_in):
    w = waiting()
    client = app.test_client()
    sign_in(w.admin, target=client)
    measured = {}
    for total in (10, 1000):
        w.grow(total)
        with counting_statements() as statements:
            response = client.get("/admin/nominations")
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert f"{total} nominations" in text, text
        # Newest first, a page at a time.
        shown = references(text)
        newest = list(range(total - 1, 0, -1))[:PER_PAGE]
        assert shown == [f"{PREFIX}{n:07d}" for n in newest], shown
        measured[total] = list(statements)
    small, large = measured[10], measured[1000]
    assert len(small) == len(large), (len(small), len(large), small, large)
    assert len(large) <= MAX_STATEMENTS, (len(large), large)

    # The other pages are plain links that keep the filters (no script needed).
    text = client.get("/admin/nominations?status=submitted&page=2").get_data(as_text=True)
    assert "1000 nominations · page 2 of 20" in text
    assert references(text) == [f"{PREFIX}{n:07d}" for n in range(949, 899, -1)]
    nav = text[text.index('<nav class="pagination"'):]
    nav = nav[:nav.index("</nav>")]
    assert 'rel="prev" href="/admin/nominations?page=1&amp;status=submitted"' in nav, nav
    assert 'rel="next" href="/admin/nominations?page=3&amp;status=submitted"' in nav, nav
