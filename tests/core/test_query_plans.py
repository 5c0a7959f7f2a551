"""The long lists read a page from an index in their order, never by sorting the whole table
(SQLite's plan says "USE TEMP B-TREE FOR ORDER BY" when it sorts). PostgreSQL plans by its
statistics, so this is checked on SQLite, the default database."""
import pytest
from sqlalchemy import text

from awards.extensions import db
from awards.nominations import queries as nomination_queries
from awards.public import queries as public_queries


def plan(statement):
    """SQLite's query plan of a select, one line per step."""
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    return [row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("query plans are checked on SQLite")


# An area or category narrows the list first (its own index) and sorts what is left, which
# is as it should be; the whole listing and a year are read in order.
@pytest.mark.parametrize("filters", [{}, {"year": 2025}])
@pytest.mark.parametrize("page", [1, 50])
def test_a_page_of_the_hall_of_fame_is_read_from_its_index(sqlite_only, filters, page):
    listing = public_queries.hall_of_fame(public_queries.Filters(**filters), page=page)

    steps = plan(listing.page_ids())

    assert not any("TEMP B-TREE" in step for step in steps), steps
    assert any("ix_public_award_listing" in step for step in steps), steps


@pytest.mark.parametrize("page", [1, 20])
def test_a_page_of_the_moderation_queue_is_read_from_its_index(sqlite_only, page):
    queue = nomination_queries.moderation_queue(page=page)

    steps = plan(queue.page_ids())

    assert not any("TEMP B-TREE" in step for step in steps), steps
    assert any("ix_nomination_newest" in step for step in steps), steps
