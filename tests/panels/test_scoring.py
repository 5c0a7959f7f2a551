"""Results arithmetic: weights, abstentions, normalisation, conflicts, ranks, outliers, display."""
import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awards.panels.scoring import (
    Criterion,
    NominationResult,
    Review,
    display,
    exclude_members,
    nomination_result,
    normalise,
    outliers,
    rank,
    results_by_nomination,
    review_total,
)

# Pure arithmetic: no app context, so no database wipe after each test.
pytestmark = pytest.mark.no_app_context

KEYS = ("need", "difference", "reach", "beyond", "lasting")
SCORES = st.one_of(st.none(), st.integers(0, 5).map(float))  # members score whole points


@st.composite
def rubrics(draw, scale_max=5.0):
    """One to five criteria with positive whole-number weights on a shared 0-scale_max scale."""
    weights = draw(st.lists(st.integers(1, 10), min_size=1, max_size=len(KEYS)))
    return [Criterion(KEYS[i], float(w), 0, scale_max) for i, w in enumerate(weights)]


def score_maps(criteria):
    """Scores for every criterion of a rubric, any of them possibly an abstention."""
    return st.fixed_dictionaries({c.key: SCORES for c in criteria})


@st.composite
def panels(draw, scale_max=5.0):
    """A rubric and submitted reviews: each member reviews a random subset of the nominations."""
    criteria = draw(rubrics(scale_max))
    members = range(1, draw(st.integers(1, 4)) + 1)
    nominations = range(101, 101 + draw(st.integers(1, 5)))
    pairs = [(m, n) for m in members for n in nominations if draw(st.booleans())]
    return criteria, [Review(m, n, draw(score_maps(criteria))) for m, n in pairs]


def close(a, b):
    """Two optional numbers equal up to float noise."""
    return a is b if a is None or b is None else math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def same_result(a: NominationResult, b: NominationResult) -> bool:
    """Two results equal up to float noise."""
    return (a.nomination_id, a.count) == (b.nomination_id, b.count) and all(
        close(getattr(a, f), getattr(b, f)) for f in ("mean", "median", "range", "sd")
    )


def transform_member(reviews, member_id, change):
    """The reviews with one member's every score passed through `change`."""
    def changed(r):
        return {k: None if s is None else change(s) for k, s in r.scores.items()}

    return [Review(member_id, r.nomination_id, changed(r)) if r.member_id == member_id else r
            for r in reviews]


def test_review_total_abstention_is_weighted_mean_of_the_rest():
    criteria = [Criterion("need", 3), Criterion("reach", 2), Criterion("lasting", 1)]
    assert review_total(Review(1, 1, {"need": 4, "reach": 3, "lasting": 1}), criteria) == 19 / 6
    # Abstaining on reach: (3*4 + 1*1) / (3 + 1), the weights renormalised over what was scored.
    assert review_total(Review(1, 1, {"need": 4, "reach": None, "lasting": 1}), criteria) == 3.25
    assert review_total(Review(1, 1, {"need": 4, "lasting": 1}), criteria) == 3.25  # key missing
    assert review_total(Review(1, 1, {"need": None, "reach": None}), criteria) is None
    # Scoring only weight-0 criteria leaves no weight to average over: no total either.
    assert review_total(Review(1, 1, {"extra": 5}), [*criteria, Criterion("extra", 0)]) is None


@pytest.mark.parametrize(
    ("criteria", "scores"),
    [
        ([Criterion("need", 1)], {"need": 6}),  # above the scale
        ([Criterion("need", 1)], {"need": -1}),  # below the scale
        ([Criterion("need", 1)], {"reach": 3}),  # not in this rubric
        ([Criterion("need", 1), Criterion("need", 2)], {"need": 3}),  # duplicate key
        ([Criterion("need", 1), Criterion("reach", 1, 0, 10)], {"need": 3}),  # mixed scales
        ([], {}),
    ],
)
def test_review_total_invalid_input_raises(criteria, scores):
    with pytest.raises(ValueError):
        review_total(Review(1, 1, scores), criteria)


@pytest.mark.parametrize("kwargs", [{"weight": -1}, {"weight": math.inf}, {"scale_max": 0}])
def test_criterion_invalid_raises(kwargs):
    with pytest.raises(ValueError):
        Criterion(**{"key": "need", "weight": 1, **kwargs})


@given(st.data(), rubrics(), st.floats(0.01, 100))
def test_review_total_scaling_all_weights_changes_nothing(data, criteria, factor):
    review = Review(1, 1, data.draw(score_maps(criteria)))
    scaled = [Criterion(c.key, c.weight * factor, c.scale_min, c.scale_max) for c in criteria]
    assert close(review_total(review, scaled), review_total(review, criteria))


@given(st.data(), rubrics(), SCORES)
def test_review_total_zero_weight_criterion_has_no_effect(data, criteria, extra_score):
    scores = data.draw(score_maps(criteria))
    with_extra = [*criteria, Criterion("extra", 0)]
    assert review_total(Review(1, 1, {**scores, "extra": extra_score}), with_extra) == (
        review_total(Review(1, 1, scores), criteria)
    )


@given(st.data(), rubrics().filter(lambda c: len(c) > 1))
def test_review_total_abstaining_equals_rubric_without_that_criterion(data, criteria):
    scores = data.draw(score_maps(criteria))
    dropped = data.draw(st.sampled_from(criteria))
    abstaining = Review(1, 1, {**scores, dropped.key: None})
    rest = [c for c in criteria if c is not dropped]
    without = Review(1, 1, {k: s for k, s in scores.items() if k != dropped.key})
    assert close(review_total(abstaining, criteria), review_total(without, rest))


def test_nomination_result_worked_example():
    criteria = [Criterion("need", 3), Criterion("reach", 2), Criterion("lasting", 1)]
    reviews = [
        Review(1, 7, {"need": 4, "reach": None, "lasting": 1}),  # 3.25
        Review(2, 7, {"need": 4, "reach": 4, "lasting": 4}),  # 4.0
        Review(3, 7, {"need": 2, "reach": 2, "lasting": None}),  # 2.0
        Review(4, 7, {"need": None, "reach": None, "lasting": None}),  # abstained: not counted
    ]
    result = nomination_result(reviews, criteria)
    assert (result.nomination_id, result.count, result.median, result.range) == (7, 3, 3.25, 2.0)
    assert result.mean == pytest.approx(37 / 12)  # each review counts once
    assert result.sd == pytest.approx(7 / (6 * math.sqrt(2)))  # population SD: sqrt(49/72)
    empty = nomination_result([], criteria, nomination_id=8)
    assert empty == NominationResult(8, 0, None, None, None, None)


def test_nomination_result_rejects_mixed_nominations_and_double_reviews():
    criteria = [Criterion("need", 1)]
    with pytest.raises(ValueError):
        nomination_result([Review(1, 7, {"need": 1}), Review(2, 8, {"need": 1})], criteria)
    with pytest.raises(ValueError):
        nomination_result([Review(1, 7, {"need": 1}), Review(1, 7, {"need": 2})], criteria)


def test_normalise_worked_example_lenient_and_harsh_members_agree():
    criteria = [Criterion("need", 1)]
    reviews = [
        Review(1, 10, {"need": 5}), Review(1, 11, {"need": 4}),  # lenient: mean 4.5, SD 0.5
        Review(2, 10, {"need": 3}), Review(2, 11, {"need": 2}),  # harsh: mean 2.5, SD 0.5
        Review(3, 10, {"need": 1}),  # one review: centred only, so a neutral 0
    ]
    side = normalise(reviews, criteria, nomination_ids=[12])
    assert (side[10].raw.mean, side[11].raw.mean) == (3.0, 3.0)
    assert side[10].normalised.mean == pytest.approx(2 / 3)  # (+1 + +1 + 0) / 3
    assert side[11].normalised.mean == pytest.approx(-1.0)
    assert side[12].raw.count == side[12].normalised.count == 0


@given(panels(scale_max=100.0), st.floats(0, 50))
def test_normalise_member_adding_a_constant_changes_nothing(panel, constant):
    criteria, reviews = panel
    shifted = transform_member(reviews, 1, lambda s: s + constant)
    before, after = normalise(reviews, criteria), normalise(shifted, criteria)
    assert all(same_result(before[n].normalised, after[n].normalised) for n in before)


@given(panels(scale_max=100.0), st.floats(0.1, 10))
def test_normalise_member_multiplying_scores_changes_nothing(panel, factor):
    criteria, reviews = panel
    scaled = transform_member(reviews, 1, lambda s: s * factor)
    before, after = normalise(reviews, criteria), normalise(scaled, criteria)
    assert all(same_result(before[n].normalised, after[n].normalised) for n in before)


@given(panels())
def test_normalise_leaves_raw_results_unchanged(panel):
    criteria, reviews = panel
    side = normalise(reviews, criteria)
    assert {n: s.raw for n, s in side.items()} == results_by_nomination(reviews, criteria)
    for n, s in side.items():
        assert s.raw == nomination_result([r for r in reviews if r.nomination_id == n], criteria)
        assert s.normalised.count == s.raw.count


@st.composite
def conflicted_panels(draw):
    """A panel plus reviews by conflicted members (pairs nobody reviewed cleanly), and the pairs."""
    criteria, clean = draw(panels())
    taken = {(r.member_id, r.nomination_id) for r in clean}
    nominations = sorted({r.nomination_id for r in clean} | {101})
    pairs = [(m, n) for m in range(1, 7) for n in nominations if (m, n) not in taken]
    conflicted = set(draw(st.lists(st.sampled_from(pairs), min_size=1, unique=True)))
    return criteria, clean, conflicted


def reviews_of(pairs, criteria, score):
    """Reviews with the same score on every criterion, one per (member, nomination) pair."""
    return [Review(m, n, {c.key: score for c in criteria}) for m, n in sorted(pairs)]


@given(conflicted_panels())
def test_conflicted_members_recomputing_from_raw_reviews_gives_reported_result(panel):
    criteria, clean, conflicted = panel
    everything = clean + reviews_of(conflicted, criteria, 5.0)
    reported = results_by_nomination(exclude_members(everything, conflicted), criteria)
    weights = {c.key: c.weight for c in criteria}

    def by_hand(scores):  # the weighted mean over what was scored
        scored = {k: s for k, s in scores.items() if s is not None}
        return sum(weights[k] * s for k, s in scored.items()) / sum(weights[k] for k in scored)

    for nomination_id, result in reported.items():
        totals = [by_hand(r.scores) for r in everything if r.nomination_id == nomination_id
                  and (r.member_id, nomination_id) not in conflicted
                  and any(s is not None for s in r.scores.values())]
        assert result.count == len(totals)
        assert close(result.mean, statistics.mean(totals) if totals else None)


@given(conflicted_panels())
def test_conflicted_members_extreme_scores_never_change_result(panel):
    criteria, clean, conflicted = panel
    low = exclude_members(clean + reviews_of(conflicted, criteria, 0.0), conflicted)
    high = exclude_members(clean + reviews_of(conflicted, criteria, 5.0), conflicted)
    assert results_by_nomination(low, criteria) == results_by_nomination(high, criteria)
    assert normalise(low, criteria) == normalise(high, criteria) == normalise(clean, criteria)


def result(nomination_id, mean):
    """A result with only a mean, for ranking."""
    count = 0 if mean is None else 1
    return NominationResult(nomination_id, count, mean, mean, None, None)


def test_rank_ties_share_a_rank_and_are_flagged():
    ranked = rank([result(1, 2.0), result(2, 3.5), result(3, None), result(4, 4.0),
                   result(5, 3.5), result(6, 0.1 + 0.2), result(7, 0.3)])
    assert [(r.result.nomination_id, r.rank, r.tied) for r in ranked] == [
        (4, 1, False), (2, 2, True), (5, 2, True), (1, 4, False),
        (6, 5, True), (7, 5, True),  # 0.30000000000000004 and 0.3 are the same score
        (3, None, False),
    ]


@given(st.lists(st.sampled_from([None, 1.0, 2.0, 2.5, 3.0, 4.5]), max_size=12))
def test_rank_is_a_competition_ranking(means):
    ranked = rank([result(i, mean) for i, mean in enumerate(means)])
    assert sorted(r.result.nomination_id for r in ranked) == list(range(len(means)))
    scored = [m for m in means if m is not None]
    for r in ranked:
        mean = r.result.mean
        if mean is None:
            assert (r.rank, r.tied) == (None, False)
        else:
            assert r.rank == 1 + sum(other > mean for other in scored)
            assert r.tied == (scored.count(mean) > 1)
    places = [r.rank for r in ranked]
    assert places == sorted(places, key=lambda p: math.inf if p is None else p)


def test_outliers_flags_a_total_more_than_threshold_from_the_others_mean():
    criteria = [Criterion("need", 1)]
    reviews = [Review(m, 7, {"need": s}) for m, s in [(1, 4), (2, 4), (3, 3), (4, 0.5)]]
    # Member 1: others' mean (4 + 3 + 0.5) / 3 = 2.5, exactly 1.5 away: not *more* than 1.5.
    [found] = outliers(reviews, criteria, threshold=1.5)
    assert (found.member_id, found.nomination_id, found.total) == (4, 7, 0.5)
    assert found.others_mean == pytest.approx(11 / 3)
    assert found.distance == pytest.approx(0.5 - 11 / 3)
    assert outliers(reviews[2:], criteria, threshold=0.1) == []  # two reviews: no consensus


@pytest.mark.parametrize(("value", "places", "shown"), [
    (2.25, 1, "2.3"), (2.0, 1, "2.0"), (-0.04, 1, "0.0"), (3.14159, 2, "3.14"), (2.5, 0, "3"),
    (37 / 12, 1, "3.1"), (None, 1, "—")])
def test_display_rounds_half_up_only_for_people(value, places, shown):
    assert display(value, places) == shown
