"""Every public page runs the same number of SQL statements with 10 and with 1,000 public
awards (no N+1), and at most 6; a repeat visit without a session is served from the page
cache without any. Pages whose route has not landed yet are skipped, naming the endpoint.

A thousand awards through the services would take minutes: after one award published through
them, the rest are bulk rows (nominations, photos, public rows, thank-you messages). Public
pages read only the public rows, and SQLite's full-text triggers fire for these INSERTs too.
"""
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from flask import url_for
from sqlalchemy import func, select

from awards.extensions import cache, db
from awards.factories.bulk import public_awards
from awards.public.models import PublicAward
from awards.public.queries import PER_PAGE
from tests.public.conftest import EVERYTHING
from tests.public.crawl import counting_statements, is_registered

MAX_STATEMENTS = 6
BULK_WORD = "Bulkhelper"  # in every citation, so a search finds them all
BASE_NAME = "Base Person"
CARD = 'class="award-card__title"'


@dataclass(frozen=True)
class Page:
    """A public page: its endpoint, its arguments (from the world), what it must show with
    `total` awards, and how many statements a cached repeat runs (None: never cached)."""

    endpoint: str
    args: object
    shows: object
    cached: int | None = 0


def text(response):
    return response.get_data().decode("utf-8", "replace")


def cards(response):
    return text(response).count(CARD)


def count_is(total):
    return f'class="result-count" role="status">{total} award{"" if total == 1 else "s"}'


def deep_page(response, total):
    on_page = max(0, min(PER_PAGE, total - 19 * PER_PAGE))
    return count_is(total) in text(response) and cards(response) == on_page


PAGES = {
    "home": Page("public.home", lambda w: {}, lambda r, total: cards(r) == 6),
    "hall_of_fame": Page("public.hall_of_fame", lambda w: {},
                         lambda r, total: count_is(total) in text(r)
                         and cards(r) == min(PER_PAGE, total)),
    "hall_of_fame_page_20": Page("public.hall_of_fame", lambda w: {"page": 20}, deep_page),
    "search": Page("public.hall_of_fame", lambda w: {"q": BULK_WORD},
                   lambda r, total: count_is(total) in text(r)),
    "filters": Page("public.hall_of_fame",
                    lambda w: {"year": w.year, "area": w.area_id, "category": w.category_slug},
                    lambda r, total: count_is(total) in text(r)),
    "cycle_results": Page("public.cycle_results", lambda w: {"slug": w.cycle_slug},
                          lambda r, total: cards(r) == total),
    "winner": Page("public.award", lambda w: {"key": w.key, "slug": w.slug},
                   lambda r, total: f"<h1>{BASE_NAME}</h1>" in text(r)
                   and text(r).count('class="thanks-list__item"') == min(50, total)),
    "area": Page("public.area", lambda w: {"area_id": w.area_id},
                 lambda r, total: count_is(total) in text(r)),
    "category": Page("public.category", lambda w: {"slug": w.category_slug},
                     lambda r, total: count_is(total) in text(r)),
    "winners_feed": Page("feeds.winners", lambda w: {},
                         lambda r, total: text(r).count("<entry") == min(50, total)),
    "area_feed": Page("feeds.area", lambda w: {"area_id": w.area_id},
                      lambda r, total: text(r).count("<entry") == min(50, total)),
    "sitemap": Page("feeds.sitemap", lambda w: {},
                    lambda r, total: text(r).count("/winners/") == total),
    "robots": Page("feeds.robots", lambda w: {},
                   lambda r, total: "Sitemap: http://localhost/sitemap.xml" in text(r)),
    "embed": Page("feeds.embed", lambda w: {},
                  lambda r, total: text(r).count('class="embed__item"') == 6),
    "certificate": Page("certificates.certificate", lambda w: {"key": w.key},
                        lambda r, total: BASE_NAME in text(r)),
    "certificate_pdf": Page("certificates.pdf", lambda w: {"key": w.key},
                            lambda r, total: r.data.startswith(b"%PDF-")),
    "share_image": Page("certificates.share_image", lambda w: {"key": w.key},
                        lambda r, total: r.data.startswith(b"\x89PNG")),
    # A form: never served from the page cache.
    "thank_you_form": Page("thanks.new", lambda w: {"key": w.key},
                           lambda r, total: 'name="message"' in text(r), cached=None),
}


@pytest.fixture
def world(published):
    """Factory: one award published through the services (everything allowed), then
    `grow(total)` adds bulk awards (and approved thank-you messages for the first one) up to
    `total`, in the same cycle, category and area. Holds plain values only: every request
    is measured with an empty session, as in production."""

    def build():
        made = published(("winner",), names=[BASE_NAME],
                         citations=[f"{BULK_WORD} from the start: the lunch club."],
                         choices=[EVERYTHING])
        award, nomination = made.awards[0], made.nominations[0]
        state = SimpleNamespace(
            key=award.key, slug=award.slug, cycle_id=award.cycle_id,
            cycle_slug=award.cycle.slug, year=award.cycle.announcement.year,
            category_id=award.category_id, category_slug=award.category.slug,
            area_id=award.area_id, nomination_id=nomination.id, total=1)
        assert state.area_id is not None

        def grow(total):
            add_awards(state, range(state.total, total))
            state.total = total
            db.session.close()

        state.grow = grow
        return state

    return build


def add_awards(state, numbers):
    """Bulk rows (factories.bulk.public_awards): a nomination (with a photo for every other
    one) and its public award per number, and as many approved thank-you messages for the
    first award."""
    numbers = list(numbers)
    public_awards(numbers, cycle_id=state.cycle_id, category_id=state.category_id,
                  area_id=state.area_id, word=BULK_WORD,
                  thanks_nomination_id=state.nomination_id,
                  thanks=([0] if numbers[0] == 1 else []) + numbers)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PublicAward)) == numbers[-1] + 1


def uncached(client, path):
    """The statements of a first visit (empty page cache, empty session) and the response."""
    cache.clear()
    db.session.close()
    with counting_statements() as statements:
        response = client.get(path)
    return list(statements), response


@pytest.mark.parametrize("name", list(PAGES))
def test_a_public_page_runs_the_same_few_statements_for_10_and_1000_awards(app, world, name):
    page = PAGES[name]
    if not is_registered(app, page.endpoint):
        pytest.skip(f"{page.endpoint} is not registered yet; this check is strict once it is")
    state = world()
    anonymous = app.test_client(use_cookies=False)
    measured = {}
    for total in (10, 1000):
        state.grow(total)
        with app.test_request_context():
            path = url_for(page.endpoint, **page.args(state))
        statements, response = uncached(anonymous, path)
        assert response.status_code == 200, (path, response.status_code)
        assert page.shows(response, total), f"{path}, {total} awards:\n{text(response)[:3000]}"
        measured[total] = statements
        if page.cached is not None:
            with counting_statements() as repeat:
                again = anonymous.get(path)
            assert again.status_code == 200 and again.get_data() == response.get_data()
            assert len(repeat) == page.cached, (path, repeat)
    small, large = measured[10], measured[1000]
    assert len(small) == len(large), (path, small, large)
    assert len(large) <= MAX_STATEMENTS, (path, large)


def test_bulk_rows_are_found_by_search(app, world):
    """The full-text index follows bulk INSERTs (its triggers fire), so the search pages
    above really search 1,000 rows."""
    state = world()
    state.grow(1000)
    client = app.test_client(use_cookies=False)
    assert count_is(1) in client.get("/hall-of-fame?q=Person999").get_data(as_text=True)
    assert count_is(1000) in client.get(f"/hall-of-fame?q={BULK_WORD}").get_data(as_text=True)
