"""The judge's list and the chair's overview run the same few SQL statements with 10 and with
1,000 nominations in judging (no N+1), as tests/public/test_query_counts.py checks for the
public pages.

A thousand nominations judged through the services would take minutes: one nomination goes
to judging through them (cycle, panel, members, rubric, assignments), the rest are bulk rows
in the same category: the nomination, its accepted consent, every member's assignment, and,
in a fixed pattern, declarations (a few conflicts), submitted reviews with scores, drafts and
shortlist decisions, so every kind of row the pages show is there at both sizes.
"""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, insert, select

from awards.core.db import utcnow
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus
from awards.nominations.models import Consent, Nomination
from awards.panels.enums import ConflictKind, Stage
from awards.panels.models import Assignment, Decision, Declaration, Review, Score
from awards.panels.services.rubric import criteria_of
from tests.public.crawl import counting_statements

MAX_STATEMENTS = 7  # the judge's list: BEGIN, the user and roles, the membership (with panel
# and cycle), progress (with the next one), the page, the header's panels
CHAIR_STATEMENTS = 15  # the chair's overview (admin; a chair one fewer): the above less the
# list, plus declarations, decisions, nominations, reviews with scores, assignments, each
# judged category's rubric, members, progress and conflicts
PREFIX = "QC"  # bulk references: QC0000001...


def bulk_judged(w, numbers):
    """Bulk rows for each of `numbers` (see the module's docstring). Member 0 chairs; member
    2 has a conflict on every tenth (8, 18, ...); every third is not declared yet; of the
    rest, members submit reviews on some and keep drafts on others; every seventh is
    shortlisted."""
    numbers = list(numbers)
    now = utcnow()
    db.session.execute(insert(Nomination), [
        {"reference": f"{PREFIX}{n:07d}", "cycle_id": w.cycle_id, "category_id": w.category_id,
         "status": NominationStatus.IN_JUDGING, "nominee_name": f"Judged Person{n}",
         "area_id": w.area_id, "what_they_do": "Runs the lunch club.",
         "submitted_at": now} for n in numbers])
    ids = dict(db.session.execute(select(Nomination.reference, Nomination.id).where(
        Nomination.reference.like(f"{PREFIX}%"))).all())
    ids = {n: ids[f"{PREFIX}{n:07d}"] for n in numbers}
    db.session.execute(insert(Consent), [
        {"nomination_id": ids[n], "status": ConsentStatus.ACCEPTED, "answered_at": now}
        for n in numbers])
    members = w.member_ids
    conflicted = {(members[2], ids[n]) for n in numbers if n % 10 == 8}
    db.session.execute(insert(Assignment), [
        {"member_id": m, "nomination_id": ids[n]} for n in numbers for m in members
        if (m, ids[n]) not in conflicted])
    declared = [(m, n) for n in numbers for m in members if n % 3 != 0]
    db.session.execute(insert(Declaration), [
        {"member_id": m, "nomination_id": ids[n], "conflicted": (m, ids[n]) in conflicted,
         "kind": ConflictKind.FRIEND if (m, ids[n]) in conflicted else None,
         "declared_at": now} for m, n in declared])
    reviewed = [(m, n) for m, n in declared if (m, ids[n]) not in conflicted]
    eligibility = w.stage is Stage.ELIGIBILITY
    db.session.execute(insert(Review), [
        {"member_id": m, "nomination_id": ids[n], "stage": w.stage,
         "passes": (n + m) % 5 != 0 if eligibility else None,
         "submitted_at": now if (n + m) % 4 else None, "updated_at": now}
        for m, n in reviewed])
    review_ids = dict(((m, n), i) for m, n, i in db.session.execute(
        select(Review.member_id, Review.nomination_id, Review.id)
        .where(Review.nomination_id.in_(ids.values()))).all())
    criteria = w.criterion_ids
    if not eligibility:
        db.session.execute(insert(Score), [
            {"review_id": review_ids[(m, ids[n])], "criterion_id": c,
             "value": (n * 7 + m * 3 + position) % 6}
            for m, n in reviewed for position, c in enumerate(criteria)])
    db.session.execute(insert(Decision), [
        {"nomination_id": ids[n], "panel_id": w.panel_id, "passed_eligibility": True,
         "shortlisted": True} for n in numbers if n % 7 == 0])
    db.session.commit()


@pytest.fixture
def judged(judging):
    """Factory: a panel of three (chair first) judging one nomination made through the
    services; `grow(total)` adds bulk nominations up to `total`."""

    def build(stage=Stage.SCORING):
        j = judging(1, 3, eligibility_round=stage is Stage.ELIGIBILITY)
        w = SimpleNamespace(
            cycle_id=j.cycle.id, category_id=j.category.id, area_id=j.nominations[0].area_id,
            panel_id=j.panel.id, member_ids=[m.id for m in j.members],
            criterion_ids=[c.id for c in criteria_of(j.category)],
            chair=SimpleNamespace(email=j.chair.user.email),
            member=SimpleNamespace(email=j.members[1].user.email),
            admin=SimpleNamespace(email=j.admin.email), stage=stage, total=1)

        def grow(total):
            bulk_judged(w, range(w.total, total))
            w.total = total
            assert db.session.scalar(select(func.count()).select_from(Nomination).where(
                Nomination.status == NominationStatus.IN_JUDGING)) == total
            db.session.close()

        w.grow = grow
        return w

    return build


def measure(app, sign_in, user, path, w, shows, most=MAX_STATEMENTS):
    """The statements of `path` for `user` (a fresh session each time) at 10 and 1,000."""
    client = app.test_client()
    sign_in(user, target=client)
    measured = {}
    for total in (10, 1000):
        w.grow(total)
        with counting_statements() as statements:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        text = response.get_data(as_text=True)
        assert shows(text, total), text[:3000]
        measured[total] = list(statements)
    small, large = measured[10], measured[1000]
    assert len(small) == len(large), (path, len(small), len(large), small, large)
    assert len(large) <= most, (path, len(large), large)
    return client


def test_the_judges_list_runs_the_same_few_statements_for_10_and_1000_nominations(
        app, judged, sign_in):
    w = judged()

    def shows(text, total):
        # Nothing conflicts for member 1, so every nomination is on their list, 50 a page.
        return (f"of {total} reviewed" in text and "QC0000001" in text
                and text.count(f'<td><a href="/panel/{w.panel_id}/') == min(50, total)
                and ("page 1 of 20" in text) == (total == 1000))

    client = measure(app, sign_in, w.member, f"/panel/{w.panel_id}", w, shows)

    # The last page is a plain link away, and lists the last 50 by reference.
    text = client.get(f"/panel/{w.panel_id}?page=20").get_data(as_text=True)
    assert "page 20 of 20" in text and "1000 of 1000" not in text
    assert f'rel="prev" href="/panel/{w.panel_id}?page=19"' in text
    assert text.count(f'<td><a href="/panel/{w.panel_id}/QC') == 50
    assert "QC0000999" in text and "QC0000949" not in text


@pytest.mark.parametrize("who", ["chair", "admin"])
def test_the_chairs_overview_runs_the_same_few_statements_for_10_and_1000_nominations(
        app, judged, sign_in, who):
    w = judged()

    def shows(text, total):
        # The conflicts of member 2 (every tenth) are listed, and the results show 50
        # nominations a page.
        return ("Member 3 – QC0000008" in text
                and len(re.findall(r'<td>(<a href="[^"]+/decision">)?[A-Z][\w-]+(</a> –|</td>)',
                                   text)) == min(50, total)
                and ("Results 1 to 50 of each category, page 1 of 20" in text)
                == (total == 1000))

    client = measure(app, sign_in, getattr(w, who), f"/panel/{w.panel_id}/chair", w, shows,
                     CHAIR_STATEMENTS)

    # The next results are a plain link away; their ranks go on from the first page's.
    def ranks(page):
        text = client.get(f"/panel/{w.panel_id}/chair?round=scoring&page={page}").get_data(
            as_text=True)
        return text, [int(rank) for rank in re.findall(r"<tr>\s*<td>(\d+)", text)]

    _text, first = ranks(1)
    text, second = ranks(2)
    assert "Results 51 to 100 of each category, page 2 of 20" in text
    assert f'rel="prev" href="/panel/{w.panel_id}/chair?page=1&amp;round=scoring"' in text
    assert first and second and first + second == sorted(first + second), (first, second)


@pytest.mark.parametrize("who", ["chair", "admin"])
def test_the_chairs_overview_of_the_eligibility_check_runs_the_same_few_statements(
        app, judged, sign_in, who):
    w = judged(Stage.ELIGIBILITY)

    def shows(text, total):
        # Everyone's answers so far, 50 nominations a page.
        return ("Member 3 – QC0000008" in text and "Eligibility check" in text
                and len(re.findall(r'<tr><td><a href="[^"]+/decision">', text)) == min(50, total)
                and ("page 1 of 20" in text) == (total == 1000))

    client = measure(app, sign_in, getattr(w, who), f"/panel/{w.panel_id}/chair", w, shows,
                     CHAIR_STATEMENTS)
    text = client.get(f"/panel/{w.panel_id}/chair?page=20").get_data(as_text=True)
    assert "page 20 of 20" in text and "QC0000999" in text
    assert f'rel="prev" href="/panel/{w.panel_id}/chair?page=19"' in text


def test_a_nomination_page_finds_its_neighbours_without_loading_the_list(app, judged, sign_in):
    """Its previous and next links come from small reads, not the member's whole list."""
    w = judged()
    w.grow(1000)
    client = app.test_client()
    sign_in(w.member, target=client)
    loaded = []

    def note(target, _context):
        loaded.append(target)

    event.listen(Nomination, "load", note)
    try:
        text = client.get(f"/panel/{w.panel_id}/QC0000005").get_data(as_text=True)
    finally:
        event.remove(Nomination, "load", note)

    assert f'rel="prev" href="/panel/{w.panel_id}/QC0000004"' in text
    assert f'rel="next" href="/panel/{w.panel_id}/QC0000006"' in text
    assert len(loaded) < 20, len(loaded)
