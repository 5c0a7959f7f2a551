"""Balanced assignment: even loads, no conflicted pair, exact counts, stable reassignment."""
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awards.panels.assignment import assign, available, loads, reassign_after_conflict

# Pure functions: no app context, so no database wipe after each test.
pytestmark = pytest.mark.no_app_context

COUNTS = st.one_of(st.none(), st.integers(1, 5))  # None = every available member reviews


@st.composite
def panels(draw, max_nominations=12, max_members=8, min_size=0, conflicted=True):
    """Nomination ids, member ids and a random set of conflicted (member, nomination) pairs."""
    nominations = draw(st.lists(st.integers(1, 200), min_size=min_size,
                                max_size=max_nominations, unique=True))
    members = draw(st.lists(st.integers(1, 50), min_size=max(1, min_size),
                            max_size=max_members, unique=True))
    pairs = [(m, n) for m in members for n in nominations]
    if not (conflicted and pairs):
        return nominations, members, set()
    if draw(st.booleans()):  # dense: a coin per pair, where greedy picking most often strands load
        return nominations, members, {p for p in pairs if draw(st.booleans())}
    return nominations, members, set(draw(st.lists(st.sampled_from(pairs), unique=True)))


def spread(counts):
    """Most reviews minus fewest reviews over the members."""
    return max(counts.values()) - min(counts.values())


def check_valid(result, nominations, members, conflicts, count):
    """Every nomination has exactly min(N, available) distinct, non-conflicted panel members."""
    assert list(result) == sorted(nominations)
    for nomination_id, reviewers in result.items():
        pool = available(nomination_id, members, conflicts)
        wanted = len(pool) if count is None else min(count, len(pool))
        assert reviewers == sorted(set(reviewers)) and len(reviewers) == wanted
        assert set(reviewers) <= set(pool)
        assert not {(m, nomination_id) for m in reviewers} & conflicts


def test_assign_worked_example_without_conflicts():
    assert assign([3, 1, 2], [2, 1, 3], set(), 2) == {1: [1, 2], 2: [1, 3], 3: [2, 3]}
    assert assign([1, 2], [1, 2], set(), None) == {1: [1, 2], 2: [1, 2]}
    assert assign([1, 2], [1, 2], set(), 5) == {1: [1, 2], 2: [1, 2]}  # N > panel size


def test_assign_worked_example_rebalances_around_conflicts():
    # Member 4 can only take nomination 2; greedy picking alone would leave 4 idle and 1 on two.
    conflicts = {(2, 1), (2, 2), (3, 4), (4, 1), (4, 3), (4, 4)}
    result = assign([1, 2, 3, 4], [1, 2, 3, 4], conflicts, 1)
    assert result == {1: [3], 2: [4], 3: [1], 4: [2]}
    assert loads(result, [1, 2, 3, 4]) == {1: 1, 2: 1, 3: 1, 4: 1}


def test_assign_rejects_a_count_below_one():
    with pytest.raises(ValueError):
        assign([1], [1], set(), 0)


@given(panels(conflicted=False), st.integers(1, 8))
def test_assign_without_conflicts_loads_differ_by_at_most_one(panel, count):
    nominations, members, _ = panel
    result = assign(nominations, members, set(), count)
    check_valid(result, nominations, members, set(), count)
    assert spread(loads(result, members)) <= 1


@given(panels(), COUNTS)
def test_assign_never_conflicted_and_exactly_min_n_available(panel, count):
    nominations, members, conflicts = panel
    check_valid(assign(nominations, members, conflicts, count), nominations, members, conflicts,
                count)


@settings(max_examples=60)
@given(panels(max_nominations=4, max_members=4), st.integers(1, 3))
def test_assign_is_as_even_as_the_conflicts_allow(panel, count):
    nominations, members, conflicts = panel
    result = assign(nominations, members, conflicts, count)
    # Brute force every valid assignment of this small panel for the most even loads possible.
    options = []
    for n in sorted(nominations):
        pool = available(n, members, conflicts)
        options.append(list(itertools.combinations(pool, min(count, len(pool)))))
    best_spread, best_squares = None, None
    for choice in itertools.product(*options):
        counts = loads(dict(zip(sorted(nominations), choice)), members)
        squares = sum(c * c for c in counts.values())
        best_spread = min(spread(counts), best_spread if best_spread is not None else 99)
        best_squares = min(squares, best_squares if best_squares is not None else 10**9)
    counts = loads(result, members)
    assert spread(counts) == best_spread
    assert sum(c * c for c in counts.values()) == best_squares


@settings(max_examples=100)
@given(panels(max_nominations=10, max_members=8, min_size=4), st.integers(1, 4))
def test_assign_loads_are_as_even_as_the_conflicts_allow_at_scale(panel, count):
    nominations, members, conflicts = panel
    counts = loads(assign(nominations, members, conflicts, count), members)
    pools = {n: set(available(n, members, conflicts)) for n in nominations}
    need = {n: min(count, len(pools[n])) for n in nominations}

    def subsets(items):
        return (s for size in range(1, len(items) + 1) for s in itertools.combinations(items, size))

    # Max-flow min-cut (Hall) bounds, independent of the algorithm. Loads of at most L can cover
    # nominations S only if S's reviews fit: sum of need <= sum over members of min(L, S open to
    # them). Loads of at least L exist only if every team T of members finds L * |T| reviews:
    # L * |T| <= sum over nominations of min(need, members of T free for it).
    def max_ok(limit, chosen):
        return sum(need[n] for n in chosen) <= sum(
            min(limit, sum(m in pools[n] for n in chosen)) for m in members)

    def min_ok(limit, team):
        return limit * len(team) <= sum(
            min(need[n], len(pools[n] & set(team))) for n in nominations)

    busiest, idlest = max(counts.values()), min(counts.values())
    assert busiest == 0 or not all(max_ok(busiest - 1, s) for s in subsets(nominations))
    assert not all(min_ok(idlest + 1, t) for t in subsets(members))


@given(panels(), COUNTS, st.randoms(use_true_random=False))
def test_assign_is_deterministic_whatever_the_input_order(panel, count, rng):
    nominations, members, conflicts = panel
    first = assign(nominations, members, conflicts, count)
    rng.shuffle(nominations)
    rng.shuffle(members)
    assert assign(nominations, members, conflicts, count) == first
    assert assign(iter(nominations), iter(members), conflicts, count) == first


def test_reassign_after_conflict_gives_the_gap_to_the_least_loaded_member():
    before = {1: [1, 2], 2: [1, 3], 3: [2, 3], 4: [1, 2]}  # loads 1:3, 2:3, 3:2, 4:0
    after = reassign_after_conflict(before, 1, 1, [1, 2, 3, 4], set(), 2)
    assert after == {1: [2, 4], 2: [1, 3], 3: [2, 3], 4: [1, 2]}
    assert before[1] == [1, 2]  # the caller's assignment is untouched
    # Every member without a conflict already reviews it: the gap stays open.
    conflicts = {(3, 1), (4, 1)}
    assert reassign_after_conflict(before, 1, 1, [1, 2, 3, 4], conflicts, 2)[1] == [2]
    # "Everyone reviews" mode: the member is just removed.
    assert reassign_after_conflict({1: [1, 2, 3]}, 2, 1, [1, 2, 3], set(), None) == {1: [1, 3]}


@given(panels(), COUNTS, st.data())
def test_reassign_after_conflict_changes_only_that_nomination(panel, count, data):
    nominations, members, conflicts = panel
    before = assign(nominations, members, conflicts, count)
    pairs = [(m, n) for n, reviewers in before.items() for m in reviewers]
    if not pairs:
        return
    member_id, nomination_id = data.draw(st.sampled_from(pairs))
    after = reassign_after_conflict(before, member_id, nomination_id, members, conflicts, count)
    assert after == reassign_after_conflict(
        before, member_id, nomination_id, members, conflicts, count
    )
    assert {n: r for n, r in after.items() if n != nomination_id} == {
        n: r for n, r in before.items() if n != nomination_id
    }
    check_valid(after, nominations, members, conflicts | {(member_id, nomination_id)}, count)
    # Whoever joins is among the least-loaded of those who could have.
    joined = set(after[nomination_id]) - set(before[nomination_id])
    if joined:
        load = loads(before, members)
        could = set(available(nomination_id, members, conflicts)) - set(before[nomination_id])
        assert max(load[m] for m in joined) <= min(load[m] for m in could - joined or joined)
