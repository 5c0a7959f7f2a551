"""The chair's overview keeps a panel's computed results between views
(awards/panels/results_cache.py) and never shows them stale: after each kind of change the
next view shows the new result at once, a view with nothing changed runs no scoring, and each
panel keeps its own."""
import pickle
import re

import pytest
from sqlalchemy import delete, update

from awards.extensions import db
from awards.nominations.enums import NominationStatus
from awards.nominations.models import Nomination
from awards.nominations.services.consent import withdraw_consent
from awards.panels import scoring
from awards.panels.enums import Outcome, Stage
from awards.panels.models import Assignment
from awards.panels.queries import declared_pairs, member_progress, panel_nominations
from awards.panels.services.declarations import recuse
from awards.panels.services.deliberation import set_eligibility
from awards.panels.services.membership import invite_member, remove_member
from awards.panels.services.results import kept_declarations, score_panel
from awards.panels.services.rubric import criteria_of
from tests.nominations.conftest import page
from tests.panels.conftest import decide

CONFLICT = "You have a conflict of interest on this nomination."


@pytest.fixture
def scorings(monkeypatch):
    """How many times the results were scored (scoring.normalise runs once a category)."""
    calls = []
    normalise = scoring.normalise

    def counted(*args, **kwargs):
        calls.append(1)
        return normalise(*args, **kwargs)

    monkeypatch.setattr(scoring, "normalise", counted)
    return calls


def viewer(app, sign_in, user):
    """A client signed in as `user`, and a function reading the panel's overview with it."""
    client = app.test_client()
    assert sign_in(user, target=client).status_code == 302

    def overview(panel, query=""):
        return page(client.get(f"/panel/{panel.id}/chair{query}"))

    return client, overview


def row(html, nomination):
    """The cells of the nomination's results row (text only), or None when it has none."""
    for cells in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        if nomination.reference in cells and "<td" in cells:
            return [" ".join(re.sub(r"<[^>]+>", " ", cell).split())
                    for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
    return None


def test_a_new_review_changes_the_mean_and_the_rank_at_once(app, judging, review, sign_in):
    j = judging(2, 3)
    _chair, second, third = j.members
    first, other = j.nominations
    review(second, first, 4)
    review(second, other, 2)
    _client, overview = viewer(app, sign_in, j.admin)
    before = overview(j.panel)
    assert row(before, first)[0] == "1" and row(before, first)[3] == "4.0"
    assert row(before, other)[0] == "2" and row(before, other)[3] == "2.0"

    review(third, first, 1)
    review(third, other, 5)

    after = overview(j.panel)
    assert row(after, other)[0] == "1" and row(after, other)[3] == "3.5"
    assert row(after, first)[0] == "2" and row(after, first)[3] == "2.5"
    assert row(after, first)[2].startswith("2 / 3")
    assert after.index(other.reference) < after.index(first.reference)


def test_a_view_with_nothing_changed_runs_no_scoring(app, judging, review, sign_in, scorings):
    j = judging(3, 3)
    chair, second, _third = j.members
    for nomination, score in zip(j.nominations, (5, 3, 1), strict=True):
        review(second, nomination, score)
    review(chair, j.nominations[0], 4)
    _admin, admin_overview = viewer(app, sign_in, j.admin)
    _chair, chair_overview = viewer(app, sign_in, chair.user)

    first = admin_overview(j.panel)
    assert len(scorings) == 1
    again = admin_overview(j.panel)
    assert [row(again, n) for n in j.nominations] == [row(first, n) for n in j.nominations]
    assert "Normalised mean" in admin_overview(j.panel, "?normalised=1")
    # Another viewer reads the same kept results, with what is hidden from them applied.
    mine = chair_overview(j.panel)
    assert len(scorings) == 1
    assert row(mine, j.nominations[0])[:4] == ["1", row(first, j.nominations[0])[1],
                                               "2 / 3 short", "4.5"]
    assert mine.count("Declare whether you have a conflict to see its results.") == 2
    assert row(mine, j.nominations[1])[0] == "–"

    review(second.panel.members[2], j.nominations[1], 2)  # a change: scored once more
    admin_overview(j.panel)
    assert len(scorings) == 2


def test_a_withdrawal_removes_the_row_at_once(app, judging, review, sign_in):
    j = judging(2, 3)
    for nomination in j.nominations:
        review(j.members[1], nomination, 3)
    _client, overview = viewer(app, sign_in, j.admin)
    assert row(overview(j.panel), j.nominations[1]) is not None

    withdraw_consent(j.nominations[1])
    db.session.commit()

    after = overview(j.panel)
    assert row(after, j.nominations[1]) is None
    assert row(after, j.nominations[0])[0] == "1"


def test_a_conflict_hides_the_row_from_that_viewer_only(app, judging, review, sign_in):
    j = judging(2, 3)
    chair, second, _third = j.members
    first, other = j.nominations
    for nomination in j.nominations:
        review(chair, nomination, 1)
        review(second, nomination, 5)
    _admin, admin_overview = viewer(app, sign_in, j.admin)
    _chair, chair_overview = viewer(app, sign_in, chair.user)
    assert row(chair_overview(j.panel), first)[3] == "3.0"
    assert row(admin_overview(j.panel), first)[3] == "3.0"

    recuse(chair, first, "Her neighbour", actor=j.admin)
    db.session.commit()

    mine = chair_overview(j.panel)
    assert row(mine, first)[0] == "–" and row(mine, first)[2] == CONFLICT
    assert row(mine, other)[:4] == ["1", row(mine, other)[1], "2 / 3 short", "3.0"]
    admins = admin_overview(j.panel)
    assert CONFLICT not in admins
    # The chair's review has left the results: 5 alone, ranked first.
    assert row(admins, first)[0] == "1" and row(admins, first)[3] == "5.0"


def test_decisions_show_at_once(app, judging, review, sign_in):
    j = judging(3, 3)
    for nomination, score in zip(j.nominations, (5, 3, 1), strict=True):
        review(j.members[1], nomination, score)
    first, second, third = j.nominations
    client, overview = viewer(app, sign_in, j.admin)
    before = overview(j.panel)
    assert "Shortlisted" not in row(before, first)[-2] and row(before, second)[-1] == (
        f"Decide {second.reference}")

    client.post(f"/panel/{j.panel.id}/{first.reference}/shortlist", data={"shortlisted": "1"})
    assert row(overview(j.panel), first)[-2].startswith("Shortlisted")

    decide(j.panel, second, Outcome.WINNER, j.admin)
    assert row(overview(j.panel), second)[-1] == "Winner"

    set_eligibility(j.panel, third, False, actor=j.admin)
    db.session.commit()
    after = overview(j.panel)
    assert row(after, third) is None
    assert "Left out at the eligibility check" in after


def test_bulk_changes_are_seen_at_once(app, judging, review, sign_in):
    """Services delete assignments with one statement (no ORM objects): seen all the same."""
    j = judging(1, 3)
    review(j.members[1], j.nominations[0], 4)
    _client, overview = viewer(app, sign_in, j.admin)
    assert row(overview(j.panel), j.nominations[0])[2] == "1 / 3 short"

    db.session.execute(delete(Assignment).where(Assignment.member_id == j.members[2].id))
    db.session.commit()

    assert row(overview(j.panel), j.nominations[0])[2] == "1 / 2 short"


def test_each_panel_keeps_its_own_results(app, judging, review, sign_in, scorings):
    one = judging(2, 3, names=["Ann One", "Bob One"])
    two = judging(2, 3, names=["Cy Two", "Di Two"])
    review(one.members[1], one.nominations[0], 5)
    review(two.members[1], two.nominations[0], 2)
    _client, overview = viewer(app, sign_in, one.admin)
    _other, other_overview = viewer(app, sign_in, two.admin)

    first = overview(one.panel)
    second = other_overview(two.panel)

    assert len(scorings) == 2
    assert "Ann One" in first and "Cy Two" not in first
    assert "Cy Two" in second and "Ann One" not in second
    assert row(first, one.nominations[0])[3] == "5.0"
    assert row(second, two.nominations[0])[3] == "2.0"


def test_panel_membership_changes_show_at_once(app, judging, review, sign_in):
    j = judging(1, 3)
    review(j.members[1], j.nominations[0], 4)
    _client, overview = viewer(app, sign_in, j.admin)
    assert row(overview(j.panel), j.nominations[0])[2] == "1 / 3 short"

    remove_member(j.members[2], actor=j.admin)
    db.session.commit()
    assert row(overview(j.panel), j.nominations[0])[2] == "1 / 2 short"

    invite_member(j.panel, "Nia New", "nia@example.com", actor=j.admin)
    db.session.commit()
    assert row(overview(j.panel), j.nominations[0])[2] == "1 / 3 short"


def test_a_nomination_moved_out_of_the_panels_categories_leaves_at_once(
        app, judging, review, sign_in, make_category):
    j = judging(2, 3)
    review(j.members[1], j.nominations[1], 4)
    _client, overview = viewer(app, sign_in, j.admin)
    assert row(overview(j.panel), j.nominations[1])[0] == "1"

    j.nominations[1].category = make_category(j.cycle)  # a category no panel judges
    db.session.commit()

    after = overview(j.panel)
    assert row(after, j.nominations[1]) is None and row(after, j.nominations[0]) is not None


def test_a_changed_rubric_changes_the_means_at_once(app, judging, review, sign_in):
    j = judging(1, 3)
    criteria = criteria_of(j.category)
    review(j.members[1], j.nominations[0], values=[5] + [1] * (len(criteria) - 1))
    _client, overview = viewer(app, sign_in, j.admin)
    before = row(overview(j.panel), j.nominations[0])[3]

    for criterion in criteria[1:]:
        criterion.weight = 0  # only the first counts now
    db.session.commit()

    assert before != "5.0" and row(overview(j.panel), j.nominations[0])[3] == "5.0"


def test_a_status_changed_by_one_statement_is_seen_at_once(app, judging, review, sign_in):
    j = judging(2, 3)
    _client, overview = viewer(app, sign_in, j.admin)
    assert row(overview(j.panel), j.nominations[0]) is not None

    db.session.execute(update(Nomination).where(Nomination.id == j.nominations[0].id)
                       .values(status=NominationStatus.WITHDRAWN))
    db.session.commit()

    assert row(overview(j.panel), j.nominations[0]) is None


def test_kept_results_are_plain_data(app, judging, review):
    """What is kept names no model: ids, references and numbers only."""
    j = judging(2, 3)
    review(j.members[1], j.nominations[0], 4)
    recuse(j.members[2], j.nominations[0], "Her cousin", actor=j.admin)
    panel = j.panel
    kept = score_panel(panel, Stage.SCORING, panel_nominations(panel, Stage.SCORING, listed=True),
                       declared_pairs(panel))
    for kept in (kept, kept_declarations(panel), member_progress(panel)):
        data = pickle.dumps(kept)
        for module in (b"awards.panels.models", b"awards.nominations.models", b"sqlalchemy"):
            assert module not in data, module
        assert pickle.loads(data) == kept


def test_progress_is_kept_too_and_follows_each_review(app, judging, review, sign_in,
                                                       monkeypatch):
    from awards.panels.services import results

    counted = []
    member_progress = results.member_progress
    monkeypatch.setattr(results, "member_progress",
                        lambda panel: counted.append(1) or member_progress(panel))
    j = judging(2, 3)
    second = j.members[1]
    review(second, j.nominations[0], 4)
    _client, overview = viewer(app, sign_in, j.admin)
    assert "Member 2</th>\n    <td>1 of 2" in overview(j.panel)
    overview(j.panel)
    assert len(counted) == 1

    review(second, j.nominations[1], 2)

    assert "Member 2</th>\n    <td>2 of 2" in overview(j.panel)
    assert len(counted) == 2


def test_the_csv_and_the_decision_page_read_the_kept_results_and_follow_changes(
        app, judging, review, sign_in, scorings):
    j = judging(2, 3, names=["Ann", "Bob"])
    first, other = j.nominations
    review(j.members[1], first, 4)
    review(j.members[1], other, 2)
    client, overview = viewer(app, sign_in, j.admin)
    overview(j.panel)

    def csv_rows():
        text = client.get(f"/panel/{j.panel.id}/results.csv").get_data(as_text=True)
        return [line.split(",")[1:6] for line in text.splitlines()[1:]]

    assert csv_rows() == [[first.reference, "Ann", "1", "3", "4.00"],
                          [other.reference, "Bob", "1", "3", "2.00"]]
    decision_page = page(client.get(f"/panel/{j.panel.id}/{other.reference}/decision"))
    assert "Rank in" in decision_page and "2.0" in decision_page
    assert len(scorings) == 1

    review(j.members[2], other, 5)

    assert csv_rows() == [[first.reference, "Ann", "1", "3", "4.00"],
                          [other.reference, "Bob", "2", "3", "3.50"]]
    assert "3.5" in page(client.get(f"/panel/{j.panel.id}/{other.reference}/decision"))
