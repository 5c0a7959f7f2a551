"""Judging services against the database: declarations and assignment, reviews, results,
deliberation, publication and reminders. Each rule is tested where it is enforced, with the
state, audit rows and outbox it leaves behind."""
import csv
import io
import re
import statistics
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from awards.core.jobs import job_queue
from awards.extensions import db
from awards.nominations.enums import NominationStatus, Phase
from awards.nominations.models import today
from awards.nominations.services.consent import withdraw_consent
from awards.panels import tasks
from awards.panels.enums import STAGE_TRANSITIONS, ConflictKind, Outcome, Recipient, Stage
from awards.panels.models import Assignment, Criterion, Declaration, Review, Score
from awards.panels.queries import (
    assignment_pairs,
    conflicted_pairs,
    judge_queue,
    panel_nominations,
)
from awards.panels.services import PanelError
from awards.panels.services.assignments import refresh_assignments
from awards.panels.services.declarations import declare, recuse
from awards.panels.services.deliberation import (
    close_eligibility_round,
    decision_for,
    draft_citation,
    open_final_round,
    record_decision,
    set_shortlisted,
)
from awards.panels.services.membership import save_panel
from awards.panels.services.publication import publication_plan, publish_cycle
from awards.panels.services.reminders import send_reminders
from awards.panels.services.results import neutralise, panel_results, progress, results_csv
from awards.panels.services.reviews import ABSTAIN, review_for, save_review
from awards.panels.services.rubric import criteria_of
from awards.panels.services.stage import IllegalStageChange, change_stage
from tests.nominations.conftest import audit, move_to, reload
from tests.panels.conftest import answers_for, decide

PANEL_KINDS = {"panels/winner", "panels/commended", "panels/thank_you", "panels/outcome"}


def refused(match):
    """pytest.raises for a PanelError whose message contains `match` (a regex)."""
    return pytest.raises(PanelError, match=match)


def rows_of(panel, **options):
    """The results' rows of the panel's first category, by nomination id."""
    [category] = panel_results(panel, **options)
    return {row.nomination.id: row for row in category.rows}


def reviewers(panel):
    """Member ids assigned to each nomination, from the Assignment rows."""
    by_nomination = defaultdict(set)
    for member_id, nomination_id in assignment_pairs(panel):
        by_nomination[nomination_id].add(member_id)
    return by_nomination


def loads(panel):
    """How many nominations each member of the panel is assigned."""
    counts = Counter({member.id: 0 for member in panel.members})
    counts.update(member_id for member_id, _ in assignment_pairs(panel))
    return counts


# --- declarations and assignment -------------------------------------------------------------

def test_declare_no_conflict_is_recorded_and_audited(judging):
    j = judging(2, 2)
    member, nomination = j.members[1], j.nominations[0]

    declaration = declare(member, nomination, conflicted=False, kind="friend", reason="ignored")
    db.session.commit()

    declaration = reload(declaration)
    assert (declaration.conflicted, declaration.kind, declaration.reason) == (False, None, "")
    assert declaration.recorded_by_id == member.user_id
    assert (member.id, nomination.id) in assignment_pairs(j.panel)  # still theirs to review
    [event] = audit("panel.declared", nomination)
    assert event.actor_id == member.user_id
    assert event.details["conflicted"] is False
    assert event.details["member"] == member.user.email


def test_declare_conflict_with_kind_removes_the_assignment(judging):
    j = judging(2, 2)
    member, nomination = j.members[1], j.nominations[0]

    declare(member, nomination, conflicted=True, kind="family", reason="  My aunt.  ")
    db.session.commit()

    declaration = db.session.scalar(select(Declaration).filter_by(member_id=member.id))
    assert (declaration.conflicted, declaration.kind, declaration.reason) == (
        True, ConflictKind.FAMILY, "My aunt.")
    assert (member.id, nomination.id) not in assignment_pairs(j.panel)
    assert (member.id, j.nominations[1].id) in assignment_pairs(j.panel)
    assert [n.id for n, _d, _r in judge_queue(member)] == [j.nominations[1].id]
    [event] = audit("panel.declared", nomination)
    assert (event.details["conflicted"], event.details["kind"]) == (True, "family")


@pytest.mark.parametrize("kind, reason, message", [
    (None, "", "Choose how you know them."),
    ("recused", "A reason", "Choose how you know them."),
    ("other", "   ", "Say briefly what the conflict is."),
])
def test_declare_conflict_needs_a_kind_and_other_a_reason(judging, kind, reason, message):
    j = judging(1, 2)

    with refused(message):
        declare(j.members[1], j.nominations[0], conflicted=True, kind=kind, reason=reason)
    db.session.rollback()

    assert db.session.scalars(select(Declaration)).all() == []
    assert audit("panel.declared") == []


def test_declare_other_with_a_reason(judging):
    j = judging(1, 2)
    declaration = declare(j.members[1], j.nominations[0], conflicted=True,
                          kind=ConflictKind.OTHER, reason="We sing in the same choir.")
    db.session.commit()
    assert (reload(declaration).kind, reload(declaration).reason) == (
        ConflictKind.OTHER, "We sing in the same choir.")


def test_second_declaration_is_refused(judging):
    j = judging(1, 2)
    member, nomination = j.members[1], j.nominations[0]
    declare(member, nomination, conflicted=False)
    db.session.commit()

    with refused("already answered"):
        declare(member, nomination, conflicted=True, kind="friend")
    db.session.rollback()

    [declaration] = db.session.scalars(select(Declaration)).all()
    assert declaration.conflicted is False
    assert len(audit("panel.declared")) == 1


def test_declaring_is_refused_outside_judging(judging):
    j = judging(1, 2)
    move_to(j.cycle, Phase.DECIDING)
    with refused("only while judging is open"):
        declare(j.members[1], j.nominations[0], conflicted=False)


def test_a_chair_declares_while_the_panel_decides_so_they_can_read_to_decide(judging):
    j = judging(1, 2)
    move_to(j.cycle, Phase.DECIDING)
    declaration = declare(j.chair, j.nominations[0], conflicted=False)
    assert declaration.conflicted is False and declaration.member_id == j.chair.id
    assert audit("panel.declared")[-1].details["member"] == j.chair.user.email
    decide(j.panel, j.nominations[0], "not_selected", j.chair.user)
    move_to(j.cycle, Phase.ANNOUNCED)
    publish_cycle(j.cycle, actor=j.admin)
    with refused("only while judging is open"):
        declare(j.chair, j.nominations[0], conflicted=True, kind="friend")


@pytest.mark.parametrize("nominations, members, per_nomination", [
    (7, 4, 2), (5, 3, 1), (6, 4, 3), (9, 5, 2),
])
def test_balanced_assignment_through_invitations(judging, nominations, members, per_nomination):
    """Members join one invitation at a time, as an admin adds them: once all have joined,
    every nomination has its N reviewers and loads differ by at most one."""
    j = judging(nominations, members, reviews_per_nomination=per_nomination)

    assert {n: len(m) for n, m in reviewers(j.panel).items()} == {
        n.id: per_nomination for n in j.nominations}
    counts = loads(j.panel).values()
    assert max(counts) - min(counts) <= 1


def fresh_assignment(panel):
    """Drop the panel's assignments and assign again, all members present (a clean start)."""
    db.session.execute(delete(Assignment))
    refresh_assignments(panel)
    db.session.commit()


def test_refresh_assignments_balances_with_every_member_present(judging):
    j = judging(7, 4, reviews_per_nomination=2)
    fresh_assignment(j.panel)

    assert all(len(m) == 2 for m in reviewers(j.panel).values())
    assert len(reviewers(j.panel)) == 7
    counts = loads(j.panel).values()
    assert max(counts) - min(counts) <= 1


def test_a_late_conflict_gives_the_nomination_another_reviewer(judging):
    j = judging(4, 4, reviews_per_nomination=2)
    fresh_assignment(j.panel)
    nomination = j.nominations[0]
    before = reviewers(j.panel)
    leaving = min(before[nomination.id])
    member = next(m for m in j.members if m.id == leaving)

    declare(member, nomination, conflicted=True, kind="colleague")
    db.session.commit()

    after = reviewers(j.panel)
    assert leaving not in after[nomination.id]
    assert len(after[nomination.id]) == 2
    assert before[nomination.id] - {leaving} < after[nomination.id]  # the other one stays
    assert {n: m for n, m in after.items() if n != nomination.id} == {
        n: m for n, m in before.items() if n != nomination.id}  # nothing else moved


def test_no_assignment_ever_pairs_a_member_with_a_declared_conflict(judging):
    j = judging(5, 4, reviews_per_nomination=2)
    fresh_assignment(j.panel)
    for member, nomination in [(j.members[0], j.nominations[0]), (j.members[1], j.nominations[0]),
                               (j.members[2], j.nominations[0]), (j.members[1], j.nominations[3]),
                               (j.members[3], j.nominations[4])]:
        declare(member, nomination, conflicted=True, kind="friend")
    db.session.commit()
    refresh_assignments(j.panel)
    db.session.commit()

    conflicts = conflicted_pairs(j.panel)
    assert len(conflicts) == 5
    assert not assignment_pairs(j.panel) & conflicts
    assert reviewers(j.panel)[j.nominations[0].id] == {j.members[3].id}  # the only one left


def test_no_conflicted_assignment_when_everyone_reviews(judging):
    j = judging(3, 3)
    declare(j.members[2], j.nominations[1], conflicted=True, kind="friend")
    db.session.commit()
    refresh_assignments(j.panel)  # e.g. after another member joins
    db.session.commit()
    assert not assignment_pairs(j.panel) & conflicted_pairs(j.panel)
    assert len(assignment_pairs(j.panel)) == 3 * 3 - 1


def test_recusal_needs_a_reason(judging):
    j = judging(1, 2)
    with refused("Give a reason"):
        recuse(j.members[1], j.nominations[0], "  ", actor=j.chair.user)
    db.session.rollback()
    assert audit("panel.recused") == []


def test_recusal_removes_a_submitted_review_from_the_results(judging, review):
    j = judging(2, 3)
    nomination = j.nominations[0]
    for member, score in zip(j.members, [5, 3, 1], strict=True):
        review(member, nomination, score)
    assert rows_of(j.panel)[nomination.id].ranked.result.count == 3
    assert rows_of(j.panel)[nomination.id].ranked.result.mean == pytest.approx(3)

    declaration = recuse(j.members[2], nomination, "Works for the nominee's charity.",
                         actor=j.chair.user)
    db.session.commit()

    result = rows_of(j.panel)[nomination.id].ranked.result
    assert (result.count, result.mean, result.median) == (2, pytest.approx(4), pytest.approx(4))
    declaration = reload(declaration)
    assert (declaration.conflicted, declaration.kind) == (True, ConflictKind.RECUSED)
    assert declaration.recorded_by_id == j.chair.user_id
    assert (j.members[2].id, nomination.id) not in assignment_pairs(j.panel)
    [event] = audit("panel.recused", nomination)
    assert event.actor_id == j.chair.user_id
    assert event.details["reason"] == "Works for the nominee's charity."
    assert event.details["member"] == j.members[2].user.email


# --- reviews ---------------------------------------------------------------------------------

def test_a_draft_may_have_blanks(judging):
    j = judging(1, 2)
    member, nomination = j.members[1], j.nominations[0]
    declare(member, nomination, conflicted=False)

    draft = save_review(member, nomination, overall_comment=" Half way. ",
                        answers=answers_for(j.category, [4, None, ABSTAIN, None, None], "Good"))
    db.session.commit()

    draft = reload(draft)
    assert not draft.is_submitted
    assert draft.overall_comment == "Half way."
    criteria = criteria_of(j.category)
    assert {s.criterion_id: s.value for s in draft.scores} == {criteria[0].id: 4,
                                                               criteria[2].id: None}
    assert audit("review.submitted") == []

    save_review(member, nomination, answers=answers_for(j.category, [None] * 5))
    db.session.commit()
    assert reload(draft).scores == []  # answers can be cleared again in a draft


def test_submitting_needs_every_criterion_answered(judging):
    j = judging(1, 2)
    member, nomination = j.members[1], j.nominations[0]
    declare(member, nomination, conflicted=False)
    db.session.commit()

    with refused("Score or abstain on every criterion before submitting: Reach, Lasting"):
        save_review(member, nomination, submit=True,
                    answers=answers_for(j.category, [3, 4, None, 2, None]))
    db.session.rollback()

    assert review_for(member, nomination) is None
    assert audit("review.submitted") == []


def test_submitting_needs_at_least_one_score(judging):
    j = judging(1, 2)
    member, nomination = j.members[1], j.nominations[0]
    declare(member, nomination, conflicted=False)
    with refused("Score at least one criterion"):
        save_review(member, nomination, submit=True,
                    answers=answers_for(j.category, [ABSTAIN] * 5))


@pytest.mark.parametrize("value", [6, -1, "3", 2.5])
def test_scores_outside_the_scale_are_refused(judging, value):
    j = judging(1, 2)
    member, nomination = j.members[1], j.nominations[0]
    declare(member, nomination, conflicted=False)
    with refused("Choose a score from 0 to 5 for Need addressed"):
        save_review(member, nomination, answers=answers_for(j.category, [value, 3, 3, 3, 3]))


def test_a_submitted_review_is_audited_and_cannot_change(judging, review):
    j = judging(1, 2)
    member, nomination = j.members[1], j.nominations[0]
    submitted = review(member, nomination, values=[5, ABSTAIN, 4, 3, 2], comment="Lovely")

    submitted = reload(submitted)
    assert submitted.is_submitted
    assert sorted((s.value is None, s.value or 0) for s in submitted.scores) == [
        (False, 2), (False, 3), (False, 4), (False, 5), (True, 0)]
    [event] = audit("review.submitted", nomination)
    assert event.actor_id == member.user_id
    assert event.details["stage"] == "scoring"

    for submit in (False, True):
        with refused("already submitted"):
            save_review(member, nomination, submit=submit,
                        answers=answers_for(j.category, [0] * 5))
        db.session.rollback()
    assert {s.value for s in reload(submitted).scores} == {5, None, 4, 3, 2}


def test_reviewing_is_refused_before_declaring(judging):
    j = judging(1, 2)
    with refused("Declare that you have no conflict of interest first"):
        save_review(j.members[1], j.nominations[0], answers=answers_for(j.category, [3] * 5))


def test_reviewing_is_refused_when_conflicted(judging):
    j = judging(1, 2)
    declare(j.members[1], j.nominations[0], conflicted=True, kind="friend")
    with refused("Declare that you have no conflict of interest first"):
        save_review(j.members[1], j.nominations[0], answers=answers_for(j.category, [3] * 5))


def test_reviewing_is_refused_when_not_assigned(judging):
    j = judging(2, 2, reviews_per_nomination=1)
    fresh_assignment(j.panel)
    member = j.members[1]
    [other] = [n for n in j.nominations if (member.id, n.id) not in assignment_pairs(j.panel)]
    declare(member, other, conflicted=False)
    with refused("not on your list"):
        save_review(member, other, answers=answers_for(j.category, [3] * 5))


def test_reviewing_is_refused_once_judging_has_ended(judging, review):
    j = judging(1, 2)
    draft = review(j.members[1], j.nominations[0], submit=False)
    move_to(j.cycle, Phase.DECIDING)
    with refused("Judging is closed"):
        save_review(j.members[1], j.nominations[0], submit=True,
                    answers=answers_for(j.category, [3] * 5))
    db.session.rollback()
    assert not reload(draft).is_submitted


# --- results ---------------------------------------------------------------------------------

def by_hand(panel):
    """Each nomination's (mean, median, count) computed straight from the Score rows of
    submitted scoring reviews by members without a conflict."""
    conflicts = {(d.member_id, d.nomination_id) for d in db.session.scalars(
        select(Declaration).where(Declaration.conflicted.is_(True)))}
    rows = db.session.execute(
        select(Review.member_id, Review.nomination_id, Criterion.weight, Score.value)
        .join(Score, Score.review_id == Review.id)
        .join(Criterion, Criterion.id == Score.criterion_id)
        .where(Review.submitted_at.is_not(None), Review.stage == Stage.SCORING)).all()
    sums = defaultdict(lambda: [0.0, 0.0])
    for member_id, nomination_id, weight, value in rows:
        if value is None or (member_id, nomination_id) in conflicts:
            continue  # an abstention takes its weight out of the mean too
        sums[(member_id, nomination_id)][0] += weight * value
        sums[(member_id, nomination_id)][1] += weight
    totals = defaultdict(list)
    for (_member_id, nomination_id), (weighted, weights) in sums.items():
        totals[nomination_id].append(weighted / weights)
    return {n: (statistics.fmean(t), statistics.median(t), len(t)) for n, t in totals.items()}


def test_results_match_a_recomputation_from_the_raw_scores(judging, review):
    j = judging(3, 3)
    m0, m1, m2 = j.members
    n0, n1, n2 = j.nominations
    assert [c.weight for c in criteria_of(j.category)] == [1, 2, 1, 1, 1]
    review(m0, n0, values=[5, 4, ABSTAIN, 3, 2])
    review(m0, n1, values=[1, 2, 3, 4, 5])
    review(m0, n2, values=[ABSTAIN, 5, ABSTAIN, ABSTAIN, 0])
    review(m1, n0, values=[2, 2, 2, 2, 2])
    review(m1, n1, values=[0, 5, 1, ABSTAIN, 4])
    review(m1, n2, values=[3, None, 1, None, None], submit=False)  # a draft does not count
    review(m2, n0, values=[0, 0, 0, 0, 0])
    recuse(m2, n0, "Their neighbour.", actor=j.chair.user)  # after submitting
    declare(m2, n1, conflicted=True, kind="friend")
    review(m2, n2, values=[4, 4, 4, ABSTAIN, 4])
    db.session.commit()

    expected = by_hand(j.panel)
    rows = rows_of(j.panel)

    assert expected[n0.id] == (pytest.approx((18 / 5 + 2) / 2), pytest.approx(2.8), 2)
    assert expected[n2.id][0] == pytest.approx((10 / 3 + 4) / 2)
    for nomination in j.nominations:
        result = rows[nomination.id].ranked.result
        mean, median, count = expected[nomination.id]
        assert (result.mean, result.median, result.count) == (
            pytest.approx(mean), pytest.approx(median), count)
    assert rows[n0.id].expected == 2  # the recused member's assignment went with the recusal
    assert rows[n1.id].expected == 2


def test_ties_share_a_rank(judging, review):
    j = judging(3, 2)
    n0, n1, n2 = j.nominations
    for nomination, scores in [(n0, (4, 3)), (n1, (3, 4)), (n2, (2, 2))]:
        for member, score in zip(j.members, scores, strict=True):
            review(member, nomination, score)

    rows = rows_of(j.panel)

    assert [(rows[n.id].ranked.rank, rows[n.id].ranked.tied) for n in j.nominations] == [
        (1, True), (1, True), (3, False)]
    [category] = panel_results(j.panel)
    assert [row.nomination.id for row in category.rows] == sorted([n0.id, n1.id]) + [n2.id]


def score_panel(judging, review, totals_by_member):
    """A panel whose members give the listed totals (every criterion the same score) to its
    nominations, in order; returns the namespace."""
    j = judging(len(totals_by_member[0]), len(totals_by_member))
    for member, totals in zip(j.members, totals_by_member, strict=True):
        for nomination, total in zip(j.nominations, totals, strict=True):
            review(member, nomination, total)
    return j


def test_normalised_results_ignore_a_member_who_adds_a_constant(judging, review):
    fair = score_panel(judging, review, [[1, 2, 4], [3, 1, 2]])
    lenient = score_panel(judging, review, [[2, 3, 5], [3, 1, 2]])  # member 1 scores +1

    fair_rows, lenient_rows = rows_of(fair.panel), rows_of(lenient.panel)
    for a, b in zip(fair.nominations, lenient.nominations, strict=True):
        raw_a, raw_b = fair_rows[a.id].ranked.result, lenient_rows[b.id].ranked.result
        assert raw_b.mean == pytest.approx(raw_a.mean + 0.5)  # the raw result moves
        norm_a, norm_b = fair_rows[a.id].normalised, lenient_rows[b.id].normalised
        assert (norm_b.mean, norm_b.median, norm_b.count) == (
            pytest.approx(norm_a.mean), pytest.approx(norm_a.median), norm_a.count)
    again = rows_of(fair.panel)  # and a second run gives the same
    assert [again[n.id].normalised.mean for n in fair.nominations] == [
        fair_rows[n.id].normalised.mean for n in fair.nominations]


def test_a_viewer_does_not_see_results_before_submitting_their_own(judging, review):
    j = judging(3, 3)
    m0, m1, m2 = j.members
    n0, n1, n2 = j.nominations
    review(m0, n0, 4)
    review(m0, n1, 2)
    review(m1, n0, 3)
    review(m1, n1, 2, submit=False)
    declare(m2, n2, conflicted=True, kind="family")
    db.session.commit()

    def hidden(viewer):
        return {n.id for n in j.nominations if rows_of(j.panel, viewer=viewer)[n.id].hidden}

    assert hidden(None) == set()  # an admin sees everything
    assert hidden(m0) == {n2.id}  # assigned, not reviewed yet
    assert hidden(m1) == {n1.id, n2.id}  # a draft is not a submission
    assert hidden(m2) == {n0.id, n1.id, n2.id}  # unreviewed ones, and the conflict
    review(m0, n2, 5)
    assert hidden(m0) == set()


def test_progress_counts_each_members_work(judging, review):
    j = judging(3, 2)
    chair, member = j.members
    n0, n1, n2 = j.nominations
    declare(member, n0, conflicted=True, kind="family")
    review(member, n1, 4)
    review(member, n2, submit=False, values=[3, None, None, None, None])

    rows = {row.member.id: row for row in progress(j.panel)}

    assert (rows[member.id].assigned, rows[member.id].submitted, rows[member.id].drafts,
            rows[member.id].conflicts, rows[member.id].percent) == (2, 1, 1, 1, 50)
    assert (rows[chair.id].assigned, rows[chair.id].submitted, rows[chair.id].drafts,
            rows[chair.id].conflicts, rows[chair.id].percent) == (3, 0, 0, 0, 0)


NASTY = ["=HYPERLINK(1)", "+1", "-x", "@x"]


def test_results_csv_neutralises_formulas_but_keeps_negative_numbers(judging, review):
    j = judging(4, 2, names=NASTY)
    for member in j.members:
        for nomination, score in zip(j.nominations, [5, 1, 3, 2], strict=True):
            review(member, nomination, score)

    table = list(csv.reader(io.StringIO(results_csv(j.panel))))

    header, rows = table[0], table[1:]
    assert header[:3] == ["Category", "Reference", "Nominee"]
    assert len(rows) == 4
    names = {row[header.index("Nominee")] for row in rows}
    assert names == {"'=HYPERLINK(1)", "'+1", "'-x", "'@x"}
    normalised = [row[header.index("Normalised mean")] for row in rows]
    assert any(re.fullmatch(r"-\d+\.\d\d", value) for value in normalised), normalised
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "@")), cell
            assert not cell.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", cell), cell
    by_name = {row[header.index("Nominee")]: row for row in rows}
    assert by_name["'=HYPERLINK(1)"][header.index("Weighted mean")] == "5.00"
    assert by_name["'=HYPERLINK(1)"][header.index("Rank")] == "1"

    blind = list(csv.reader(io.StringIO(results_csv(j.panel, names=False))))
    assert {row[2] for row in blind[1:]} == {""}


@pytest.mark.parametrize("cell, safe", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("-0.4", "-0.4"), ("-12", "-12"), ("3.50", "3.50"), (None, ""),
    ("Maria", "Maria"), (2, "2"),
])
def test_neutralise(cell, safe):
    assert neutralise(cell) == safe


# --- deliberation ----------------------------------------------------------------------------

def vote(member, nomination, passes, submit=True):
    """The member's eligibility answer (declaring no conflict first)."""
    if review_for(member, nomination) is None:
        declare(member, nomination, conflicted=False)
    save_review(member, nomination, answers={}, passes=passes, submit=submit)
    db.session.commit()


def test_eligibility_round_excludes_a_majority_fail(judging):
    j = judging(3, 3, eligibility_round=True)
    m0, m1, m2 = j.members
    n0, n1, n2 = j.nominations
    assert j.panel.stage is Stage.ELIGIBILITY
    declare(m0, n0, conflicted=False)
    with refused("Say whether the nomination meets the category's rules"):
        save_review(m0, n0, answers={}, passes=None, submit=True)
    db.session.rollback()
    vote(m0, n0, False)
    vote(m1, n0, False)
    vote(m2, n0, True)  # 2 fail, 1 passes: out
    vote(m0, n1, False)
    vote(m1, n1, True)
    vote(m2, n1, False, submit=False)  # a tie of submitted answers: it passes
    vote(m0, n2, True)

    failed = close_eligibility_round(j.panel, actor=j.chair.user)
    db.session.commit()

    assert failed == [n0.reference]
    assert reload(j.panel).stage is Stage.SCORING
    assert {n.id for n in panel_nominations(j.panel)} == {n1.id, n2.id}
    assert decision_for(j.panel, n0).passed_eligibility is False
    assert decision_for(j.panel, n1).passed_eligibility is True
    for member in j.members:
        assert {n.id for n, _d, _r in judge_queue(member)} == {n1.id, n2.id}
    assert set(rows_of(j.panel)) == {n1.id, n2.id}
    [event] = audit("panel.stage_changed")
    assert (event.from_state, event.to_state) == ("eligibility", "scoring")
    assert event.details == {"failed": [n0.reference]}
    with refused("already closed"):
        close_eligibility_round(j.panel, actor=j.chair.user)


def test_final_round_is_on_the_shortlist_only(judging, review):
    j = judging(3, 2)
    n0, n1, n2 = j.nominations
    with refused("Shortlist at least one nomination first"):
        open_final_round(j.panel, actor=j.chair.user)
    db.session.rollback()

    set_shortlisted(j.panel, n1, True, actor=j.chair.user)
    open_final_round(j.panel, actor=j.chair.user)
    db.session.commit()

    assert reload(j.panel).stage is Stage.FINAL
    assert [n.id for n in panel_nominations(j.panel)] == [n1.id]
    for member in j.members:
        assert [n.id for n, _d, _r in judge_queue(member)] == [n1.id]
    review(j.members[0], n1, 4)
    assert list(rows_of(j.panel)) == [n1.id]
    assert rows_of(j.panel)[n1.id].ranked.result.mean == pytest.approx(4)
    with refused("the shortlist is fixed"):
        set_shortlisted(j.panel, n1, False, actor=j.chair.user)
    with refused("A final round follows the scoring round"):
        open_final_round(j.panel, actor=j.chair.user)
    assert len(audit("panel.shortlisted", n1)) == 1
    [event] = audit("panel.stage_changed")
    assert (event.from_state, event.to_state, event.details) == ("scoring", "final",
                                                                 {"shortlisted": 1})


STAGE_PAIRS = [(before, after) for before in Stage for after in Stage]


@pytest.mark.parametrize(("before", "after"), STAGE_PAIRS,
                         ids=[f"{b.value}-to-{a.value}" for b, a in STAGE_PAIRS])
def test_change_stage_allowed_iff_in_the_transitions(judging, before, after):
    j = judging(1, 1)
    j.panel.stage = before
    db.session.commit()

    if after in STAGE_TRANSITIONS[before]:
        change_stage(j.panel, after, actor=j.admin, note="checked")
        db.session.commit()

        assert reload(j.panel).stage is after
        [event] = audit("panel.stage_changed")
        assert (event.object_type, event.object_id, event.actor_id) == (
            "panel", j.panel.id, j.admin.id)
        assert (event.from_state, event.to_state) == (before.value, after.value)
        assert event.details == {"note": "checked"}
    else:
        with pytest.raises(IllegalStageChange) as error:
            change_stage(j.panel, after, actor=j.admin)
        db.session.commit()

        assert str(error.value) == f"The panel cannot go from “{before.label}” to “{after.label}”."
        assert isinstance(error.value, PanelError)
        assert reload(j.panel).stage is before
        assert audit("panel.stage_changed") == []


def test_stage_transitions_are_exactly_the_rounds_in_order():
    legal = {(before.value, after.value) for before, targets in STAGE_TRANSITIONS.items()
             for after in targets}

    assert set(STAGE_TRANSITIONS) == set(Stage)
    assert legal == {("eligibility", "scoring"), ("scoring", "final")}


def test_change_stage_accepts_the_value_string(judging):
    j = judging(1, 1)

    change_stage(j.panel, "final", actor=j.admin)

    assert j.panel.stage is Stage.FINAL


def test_an_illegal_stage_change_says_which_rounds(judging):
    j = judging(1, 1)
    j.panel.stage = Stage.FINAL
    db.session.flush()

    with pytest.raises(IllegalStageChange) as error:
        change_stage(j.panel, Stage.SCORING, actor=j.admin)

    assert str(error.value) == "The panel cannot go from “Final round (shortlist)” to “Scoring”."


@pytest.mark.parametrize(("stage", "deciding", "on", "off"), [
    (Stage.SCORING, True, True, True),
    (Stage.FINAL, True, True, False),
    (Stage.SCORING, False, False, False),
])
def test_the_shortlist_rule_is_the_panels(judging, stage, deciding, on, off):
    j = judging(1, 1, phase=Phase.JUDGING if deciding else Phase.NOMINATING)
    j.panel.stage = stage
    db.session.flush()

    assert (j.panel.can_set_shortlisted(True), j.panel.can_set_shortlisted(False)) == (on, off)


@pytest.mark.parametrize("outcome", [Outcome.WINNER, Outcome.HIGHLY_COMMENDED])
def test_winners_and_commended_need_a_citation(judging, outcome):
    j = judging(1, 2)
    with refused("Write the citation"):
        record_decision(j.panel, j.nominations[0], outcome=outcome, citation="  ",
                        rationale="", feedback="", actor=j.chair.user)
    db.session.rollback()
    assert audit("panel.decided") == []


def test_not_selected_needs_no_citation(judging):
    j = judging(1, 2)
    nomination = j.nominations[0]
    decision = record_decision(j.panel, nomination, outcome="not_selected",
                               citation="Never shown", rationale=" Fewer statements. ",
                               feedback=" Try again! ", actor=j.chair.user)
    db.session.commit()

    decision = reload(decision)
    assert (decision.outcome, decision.citation, decision.rationale, decision.feedback) == (
        Outcome.NOT_SELECTED, "", "Fewer statements.", "Try again!")
    assert decision.decided_by_id == j.chair.user_id
    [event] = audit("panel.decided", nomination)
    assert event.to_state == "not_selected"


def test_draft_citation_uses_the_story(judging):
    j = judging(1, 2)
    assert draft_citation(j.nominations[0]) == (
        "Runs the Tuesday lunch club. They are less lonely.")


def test_decisions_are_refused_after_publication(judging):
    j = judging(1, 2)
    decide(j.panel, j.nominations[0], "winner", j.chair.user)
    move_to(j.cycle, Phase.ANNOUNCED)
    publish_cycle(j.cycle, actor=j.admin)
    db.session.commit()

    with refused("until the results are published"):
        record_decision(j.panel, j.nominations[0], outcome="not_selected", citation="",
                        rationale="", feedback="", actor=j.chair.user)
    with refused("until the results are published"):
        set_shortlisted(j.panel, j.nominations[0], True, actor=j.chair.user)
    db.session.rollback()
    assert reload(j.nominations[0]).decision.outcome is Outcome.WINNER


# --- publication -----------------------------------------------------------------------------

def panel_mail(outbox):
    """(kind, recipient) of the publication e-mails in the outbox."""
    return sorted((m.kind, m.recipient) for m in outbox() if m.kind in PANEL_KINDS)


def test_publication_is_refused_before_the_announcement_date(judging, outbox):
    j = judging(1, 2)
    decide(j.panel, j.nominations[0], "winner", j.chair.user)

    plan = publication_plan(j.cycle)
    assert not plan.can_publish
    assert plan.problems == [
        f"Results can be published from the announcement date, "
        f"{j.cycle.announcement:%-d %B %Y}."]
    with refused("from the announcement date"):
        publish_cycle(j.cycle, actor=j.admin)
    db.session.rollback()
    assert reload(j.cycle).results_published_at is None
    assert panel_mail(outbox) == []

    assert publication_plan(j.cycle, day=j.cycle.announcement).can_publish


def test_the_plan_lists_undecided_nominations(judging):
    j = judging(3, 2)
    decide(j.panel, j.nominations[0], "winner", j.chair.user)
    move_to(j.cycle, Phase.ANNOUNCED)

    plan = publication_plan(j.cycle)

    assert {n.id for n in plan.undecided} == {j.nominations[1].id, j.nominations[2].id}
    assert plan.problems == [
        "2 nominations have no outcome yet: the panels must decide them first."]
    with refused("2 nominations have no outcome yet"):
        publish_cycle(j.cycle, actor=j.admin)


def test_the_plan_has_a_message_per_nominee_and_nominator(judging):
    j = judging(5, 2)
    n0, n1, n2, n3, n4 = j.nominations
    withdraw_consent(n3)  # no e-mail to the nominee; the nominator is still told
    n4.nominee_email = None  # consented, but no address to write to
    db.session.commit()
    decide(j.panel, n0, "winner", j.chair.user)
    decide(j.panel, n1, "highly_commended", j.chair.user)
    decide(j.panel, n2, "not_selected", j.chair.user, citation="")
    decide(j.panel, n4, "winner", j.chair.user)
    move_to(j.cycle, Phase.ANNOUNCED)

    plan = publication_plan(j.cycle)

    assert plan.can_publish, plan.problems
    assert plan.undecided == []
    assert sorted((m.kind, m.recipient) for m in plan.messages) == sorted([
        ("winner", "nominee1@example.com"), ("outcome", "nominator1@example.com"),
        ("commended", "nominee2@example.com"), ("outcome", "nominator2@example.com"),
        ("thank_you", "nominee3@example.com"), ("outcome", "nominator3@example.com"),
        ("outcome", "nominator4@example.com"),
        ("outcome", "nominator5@example.com"),
    ])
    assert {o: {n.id for n in ns} for o, ns in plan.by_outcome.items()} == {
        Outcome.WINNER: {n0.id, n4.id}, Outcome.HIGHLY_COMMENDED: {n1.id},
        Outcome.NOT_SELECTED: {n2.id}}
    assert {(m.recipient, m.to) for m in plan.messages} == {
        *((f"nominee{n}@example.com", Recipient.NOMINEE) for n in (1, 2, 3)),
        *((f"nominator{n}@example.com", Recipient.NOMINATOR) for n in range(1, 6))}


def test_publishing_fixes_outcomes_and_queues_the_mail(judging, outbox):
    j = judging(3, 2)
    n0, n1, n2 = j.nominations
    decide(j.panel, n0, "winner", j.chair.user)
    decide(j.panel, n1, "highly_commended", j.chair.user)
    decide(j.panel, n2, "not_selected", j.chair.user, citation="")
    move_to(j.cycle, Phase.ANNOUNCED)
    assert panel_mail(outbox) == []  # decided, but nothing goes out before publication

    plan = publish_cycle(j.cycle, actor=j.admin)
    db.session.commit()

    cycle = reload(j.cycle)
    assert cycle.is_published
    assert {reload(n).status for n in j.nominations} == {NominationStatus.OUTCOME}
    assert panel_mail(outbox) == sorted((f"panels/{m.kind}", m.recipient) for m in plan.messages)
    assert len(panel_mail(outbox)) == 6
    [event] = audit("cycle.results_published")
    assert event.actor_id == j.admin.id
    assert (event.details["winners"], event.details["commended"], event.details["emails"]) == (
        1, 1, 6)
    with refused("were published on"):
        publish_cycle(j.cycle, actor=j.admin)


def test_nothing_is_queued_before_publication(judging, review, outbox):
    j = judging(2, 2)
    review(j.members[0], j.nominations[0], 5)
    set_shortlisted(j.panel, j.nominations[0], True, actor=j.chair.user)
    decide(j.panel, j.nominations[0], "winner", j.chair.user)
    decide(j.panel, j.nominations[1], "not_selected", j.chair.user, citation="")
    move_to(j.cycle, Phase.ANNOUNCED)
    publication_plan(j.cycle)  # the confirmation screen only looks
    db.session.commit()

    assert panel_mail(outbox) == []
    assert {m.kind for m in outbox()} <= {
        "nominations/confirm_nomination", "nominations/receipt", "nominations/nominee_invitation",
        "nominations/supporter_invitation", "panels/invitation"}


# --- reminders -------------------------------------------------------------------------------

def ends_in(cycle, days):
    """Move the cycle's end of judging to `days` from today."""
    cycle.judging_ends = today() + timedelta(days=days)
    db.session.commit()


def reminders(outbox):
    """Recipients of the reminders in the outbox."""
    return sorted(m.recipient for m in outbox() if m.kind == "panels/reminder")


def test_members_with_reviews_left_are_reminded_once_a_day(judging, review, outbox):
    j = judging(2, 3)
    chair, busy, done = j.members
    review(busy, j.nominations[0])
    for nomination in j.nominations:
        review(done, nomination)
    ends_in(j.cycle, 2)

    assert send_reminders() == 2
    db.session.commit()

    assert reminders(outbox) == sorted([chair.user.email, busy.user.email])
    assert "1 nomination still to review" in next(
        m.subject for m in outbox() if m.recipient == busy.user.email
        and m.kind == "panels/reminder")
    assert send_reminders() == 0  # not twice on one day
    db.session.commit()
    assert len(reminders(outbox)) == 2
    assert send_reminders(day=today() + timedelta(days=1)) == 2  # the next day, again


def test_a_conflict_is_not_counted_as_a_review_left(judging, review, outbox):
    j = judging(2, 2)
    chair, member = j.members
    declare(member, j.nominations[0], conflicted=True, kind="friend")
    review(member, j.nominations[1])
    for nomination in j.nominations:
        review(chair, nomination)
    ends_in(j.cycle, 1)

    assert send_reminders() == 0


@pytest.mark.parametrize("days, sent", [(4, 0), (3, 2), (0, 2), (-1, 0)])
def test_reminders_only_within_the_horizon(judging, outbox, days, sent):
    j = judging(1, 2)
    ends_in(j.cycle, days)
    assert send_reminders() == sent


def test_no_reminders_after_publication(judging, outbox):
    j = judging(1, 2)
    ends_in(j.cycle, 2)
    j.cycle.results_published_at = datetime(2020, 1, 1, tzinfo=UTC)
    db.session.commit()
    assert send_reminders() == 0


def test_flask_panels_remind(app, judging, outbox):
    j = judging(1, 2)
    ends_in(j.cycle, 2)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["panels", "remind"])

    assert result.exit_code == 0, result.output
    assert result.output == "sent 2 reminders\n"
    assert reminders(outbox) == sorted(u.email for u in j.users)
    again = runner.invoke(args=["panels", "remind"])
    assert again.output == "sent 0 reminders\n"


def test_the_daily_task_is_scheduled_at_eight_and_sends(judging, outbox):
    huey = job_queue().huey
    at_eight = [t.name for t in huey.read_periodic(datetime(2026, 12, 1, 8, 0))]
    at_nine = [t.name for t in huey.read_periodic(datetime(2026, 12, 1, 9, 0))]
    assert any(name.endswith("remind_members_daily") for name in at_eight), at_eight
    assert not any(name.endswith("remind_members_daily") for name in at_nine)

    j = judging(1, 2)
    ends_in(j.cycle, 2)
    assert tasks.remind_members() == 2
    assert reminders(outbox) == sorted(u.email for u in j.users)


def test_results_and_their_export_follow_the_same_visibility_rules(judging, review):
    """The chair has reviewed n2 only, declared on n0 and is recused from n3: n0 (not
    reviewed yet), n1 (not declared) and n3 (a conflict) show no mean or rank, in the page
    and the CSV alike, and come after the visible rows in reference order, not in rank
    order. An admin sees everything."""
    j = judging(4, 3, names=["Ann", "Bob", "Cy", "Di"])
    chair, second, third = j.members
    n0, n1, n2, n3 = j.nominations
    for nomination, score in zip(j.nominations, (5, 4, 3, 2), strict=True):
        review(second, nomination, score)
        review(third, nomination, score)
    review(chair, n2, 3)
    declare(chair, n0, conflicted=False)
    recuse(chair, n3, "Neighbour", actor=j.admin)
    db.session.commit()
    hidden_in_order = sorted([n0, n1, n3], key=lambda n: n.reference)

    [category] = panel_results(j.panel, viewer=chair)
    assert [row.nomination for row in category.rows] == [n2, *hidden_in_order]
    assert [bool(row.hidden) for row in category.rows] == [False, True, True, True]
    assert category.rows[0].ranked.rank == 1  # ranked among what the chair may see

    table = list(csv.reader(io.StringIO(results_csv(j.panel, viewer=chair))))
    header, rows = table[0], table[1:]
    column = {name: header.index(name) for name in header}
    assert [row[column["Reference"]] for row in rows] == [
        n.reference for n in [n2, *hidden_in_order]]
    assert (rows[0][column["Weighted mean"]], rows[0][column["Rank"]]) == ("3.00", "1")
    for row in rows[1:]:
        for name in ("Nominee", "Reviews", "Weighted mean", "Median", "Range",
                     "Standard deviation", "Rank", "Tied", "Normalised mean"):
            assert row[column[name]] == "", (name, row)
    why = {row[column["Reference"]]: row[column["Not shown because"]] for row in rows}
    assert why[n3.reference] == "You have a conflict of interest on this nomination."
    assert why[n0.reference] == "Submit your own review to see its results."
    assert why[n1.reference] == "Declare whether you have a conflict to see its results."
    assert why[n2.reference] == ""

    admin = list(csv.reader(io.StringIO(results_csv(j.panel))))[1:]
    assert [row[column["Reference"]] for row in admin] == [
        n.reference for n in (n0, n1, n2, n3)]
    assert [row[column["Rank"]] for row in admin] == ["1", "2", "3", "4"]


def test_a_chair_who_has_not_declared_sees_no_result_of_that_nomination(judging, review):
    j = judging(3, 3, reviews_per_nomination=1)
    chair = j.chair
    for nomination in j.nominations:
        for member in j.members[1:]:
            if (member.id, nomination.id) in assignment_pairs(j.panel):
                review(member, nomination, 4)
    unassigned = [n for n in j.nominations
                  if (chair.id, n.id) not in assignment_pairs(j.panel)]
    assert unassigned  # the chair is off at least one nomination's list
    target = unassigned[0]
    rows = rows_of(j.panel, viewer=chair)
    assert rows[target.id].hidden and "Declare" in str(rows[target.id].hidden.label)
    declare(chair, target, conflicted=False)
    rows = rows_of(j.panel, viewer=chair)
    assert not rows[target.id].hidden


def test_blind_mode_is_fixed_once_the_first_review_is_saved(judging, review):
    j = judging(1, 2, blind=True)
    values = {"name": "Main panel", "categories": [j.category], "blind": True,
              "reviews_per_nomination": None}
    save_panel(j.cycle, j.panel, {**values, "blind": False}, actor=j.admin)
    save_panel(j.cycle, j.panel, values, actor=j.admin)  # no review yet: both ways work
    review(j.members[1], j.nominations[0], 3, submit=False)
    with refused("Blind mode cannot be switched on or off once the first review is saved"):
        save_panel(j.cycle, j.panel, {**values, "blind": False}, actor=j.admin)
    db.session.rollback()
    assert reload(j.panel).blind is True
    renamed = save_panel(j.cycle, j.panel, {**values, "name": "Renamed"}, actor=j.admin)
    assert (renamed.name, renamed.blind) == ("Renamed", True)


@pytest.mark.parametrize(("ending", "expected"), [
    ("lunch club.", "lunch club."),
    ("lunch club", "lunch club."),
    ("lunch club!", "lunch club!"),
    ("lunch club?", "lunch club?"),
    ("lunch club...", "lunch club."),
    ("the “lunch club.”", "the “lunch club.”"),
    ("the “lunch club!”", "the “lunch club!”"),
    ("the “lunch club”", "the “lunch club”."),
    ("the 'lunch club.'", "the 'lunch club.'"),
])
def test_draft_citation_never_doubles_the_punctuation(ending, expected):
    from types import SimpleNamespace
    nomination = SimpleNamespace(what_they_do=f"Runs {ending}",
                                 difference_made="They call him “Sir.”")
    assert draft_citation(nomination) == f"Runs {expected} They call him “Sir.”"


def test_removal_consequences_count_the_members_unfinished_reviews(judging):
    from awards.factories import review as make_review
    from awards.panels.services.membership import removal_consequences
    j = judging(2, 3)
    member = j.members[1]
    assert not removal_consequences(member).needs_confirmation
    make_review(member, j.nominations[0], None, score=3, submit=False)
    make_review(member, j.nominations[1], None, score=3, submit=True)

    consequences = removal_consequences(member)

    assert (consequences.unfinished_reviews, consequences.recipients,
            consequences.needs_confirmation) == (1, [], True)


def test_publication_plan_counts_unfinished_reviews(judging):
    from awards.factories import review as make_review
    j = judging(2, 3)
    make_review(j.members[1], j.nominations[0], None, score=3, submit=False)

    plan = publication_plan(j.cycle)

    assert (plan.awaiting_moderation, plan.unfinished_reviews) == (0, 1)
