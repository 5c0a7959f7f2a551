"""Balanced assignment of nominations to panel members, never across a declared conflict.

Pure functions, no database. An assignment is a dict nomination_id -> sorted list of member ids,
keys in id order. Every choice is deterministic: ids are sorted, ties go to the member with the
fewest reviews, then the lowest id, so the same panel always gets the same assignment.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

MemberId = int
NominationId = int
Pair = tuple[MemberId, NominationId]  # (member_id, nomination_id), as conflicts are stored
Assignments = dict[NominationId, list[MemberId]]
Move = tuple[NominationId, MemberId, MemberId]  # (nomination, from member, to member)


def loads(
    assignments: Mapping[NominationId, Iterable[MemberId]], member_ids: Iterable[MemberId] = ()
) -> dict[MemberId, int]:
    """Reviews per member, in id order; members in `member_ids` with none assigned count 0."""
    counts = dict.fromkeys(member_ids, 0)
    for members in assignments.values():
        for member_id in members:
            counts[member_id] = counts.get(member_id, 0) + 1
    return dict(sorted(counts.items()))


def available(
    nomination_id: NominationId, member_ids: Iterable[MemberId], conflicts: set[Pair]
) -> list[MemberId]:
    """The members with no declared conflict on a nomination, in id order."""
    return [m for m in sorted(set(member_ids)) if (m, nomination_id) not in conflicts]


def _check_count(reviews_per_nomination: int | None) -> None:
    """Refuse a reviews-per-nomination setting that is neither None nor a positive count."""
    if reviews_per_nomination is not None and reviews_per_nomination < 1:
        raise ValueError("reviews per nomination must be at least 1 (or None for everyone)")


def assign(
    nomination_ids: Iterable[NominationId],
    member_ids: Iterable[MemberId],
    conflicts: set[Pair],
    reviews_per_nomination: int | None,
) -> Assignments:
    """Reviewers per nomination: every available member (None), or min(N, available), balanced."""
    _check_count(reviews_per_nomination)
    nominations = sorted(set(nomination_ids))
    members = sorted(set(member_ids))
    pool = {n: available(n, members, conflicts) for n in nominations}
    if reviews_per_nomination is None:
        return {n: pool[n] for n in nominations}
    load = dict.fromkeys(members, 0)
    chosen: dict[NominationId, set[MemberId]] = {}
    # Most constrained nominations pick first, before flexible ones use up their few members;
    # each takes the least-loaded members. Without conflicts this alone keeps loads within one.
    for n in sorted(nominations, key=lambda n: (len(pool[n]), n)):
        picked = sorted(pool[n], key=lambda m: (load[m], m))[:reviews_per_nomination]
        chosen[n] = set(picked)
        for member_id in picked:
            load[member_id] += 1
    _rebalance(chosen, {n: set(pool[n]) for n in nominations}, load)
    return {n: sorted(chosen[n]) for n in nominations}


def _rebalance(
    chosen: dict[NominationId, set[MemberId]],
    pool: Mapping[NominationId, set[MemberId]],
    load: dict[MemberId, int],
) -> None:
    """Move reviews along chains until no member has 2+ more than a member they can reach.

    With conflicts, greedy picking can strand reviews on a few members. Handing nomination n1
    from a to b, then n2 from b to c, ... lowers a's load and raises the last member's, leaving
    the middle unchanged. When no such chain runs from a load of L to a load of L - 2 or less,
    no assignment is more even (the sum of squared loads is minimal: the cost-reducing-path
    test for balanced semi-matchings, Harvey et al. 2006). Each chain lowers that sum, so this ends.
    """
    while (chain := _find_chain(chosen, pool, load)) is not None:
        for nomination_id, giver, taker in chain:
            chosen[nomination_id].remove(giver)
            chosen[nomination_id].add(taker)
        load[chain[0][1]] -= 1
        load[chain[-1][2]] += 1


def _find_chain(
    chosen: Mapping[NominationId, set[MemberId]],
    pool: Mapping[NominationId, set[MemberId]],
    load: Mapping[MemberId, int],
) -> list[Move] | None:
    """The first chain (breadth-first, busiest member first) from load L to L - 2 or less."""
    holding: dict[MemberId, list[NominationId]] = {m: [] for m in load}
    for nomination_id in sorted(chosen):
        for member_id in sorted(chosen[nomination_id]):
            holding[member_id].append(nomination_id)
    for start in sorted(load, key=lambda m: (-load[m], m)):
        reached_by: dict[MemberId, Move] = {}
        queue = deque([start])
        while queue:
            giver = queue.popleft()
            for nomination_id in holding[giver]:
                for taker in sorted(pool[nomination_id] - chosen[nomination_id]):
                    if taker == start or taker in reached_by:
                        continue
                    reached_by[taker] = (nomination_id, giver, taker)
                    if load[taker] <= load[start] - 2:
                        chain = [reached_by[taker]]
                        while chain[0][1] != start:
                            chain.insert(0, reached_by[chain[0][1]])
                        return chain
                    queue.append(taker)
    return None


def reassign_after_conflict(
    assignments: Mapping[NominationId, Iterable[MemberId]],
    member_id: MemberId,
    nomination_id: NominationId,
    member_ids: Iterable[MemberId],
    conflicts: set[Pair],
    reviews_per_nomination: int | None,
) -> Assignments:
    """A new assignment after a late conflict: the pair removed, the gap filled, nothing else moved.

    The gap goes to the least-loaded available member (then lowest id). Other nominations are
    left alone on purpose, even if loads end up two apart: members may have started reviewing
    them, and a review should never vanish from someone's list because of another's conflict.
    """
    _check_count(reviews_per_nomination)
    members = sorted(set(member_ids))
    conflicts = set(conflicts) | {(member_id, nomination_id)}
    result = {n: sorted(members) for n, members in assignments.items()}  # the caller's is kept
    # Drop every conflicted member here, not just this one, so the result is never conflicted.
    current = [m for m in result.get(nomination_id, []) if (m, nomination_id) not in conflicts]
    if reviews_per_nomination is not None:
        pool = available(nomination_id, members, conflicts)
        wanted = min(reviews_per_nomination, len(pool))
        load = loads(result, members)
        candidates = sorted((m for m in pool if m not in current), key=lambda m: (load[m], m))
        current += candidates[: max(0, wanted - len(current))]
    result[nomination_id] = sorted(current)
    return dict(sorted(result.items()))


def top_up(
    assignments: Mapping[NominationId, Iterable[MemberId]],
    nomination_ids: Iterable[NominationId],
    member_ids: Iterable[MemberId],
    conflicts: set[Pair],
    reviews_per_nomination: int,
) -> Assignments:
    """Keep every assignment; give each nomination short of min(N, available) reviewers the
    least-loaded members free of a conflict (then lowest id), most constrained first."""
    _check_count(reviews_per_nomination)
    members = sorted(set(member_ids))
    result = {n: sorted(m) for n, m in assignments.items()}
    for nomination_id in nomination_ids:
        result.setdefault(nomination_id, [])
    load = loads(result, members)
    pools = {n: available(n, members, conflicts) for n in set(nomination_ids)}
    for n in sorted(pools, key=lambda n: (len(pools[n]), n)):
        need = min(reviews_per_nomination, len(pools[n])) - len(result[n])
        extra = sorted((m for m in pools[n] if m not in result[n]),
                       key=lambda m: (load[m], m))[:max(0, need)]
        for member_id in extra:
            load[member_id] += 1
        result[n] = sorted(result[n] + extra)
    return dict(sorted(result.items()))
