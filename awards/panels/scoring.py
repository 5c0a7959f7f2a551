"""Results arithmetic for judging panels: review totals, results, ranks, normalisation, outliers.

Pure functions on plain dataclasses, no database or Flask. Floats throughout, summed exactly
rounded (math.fsum, statistics.fmean) so review order never matters; only display() rounds.
Callers pass only *submitted* reviews by members *without a conflict* on that nomination;
exclude_members() is that conflict filter as a function, so callers and tests can prove it.
"""
from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MemberId = int
NominationId = int
Pair = tuple[MemberId, NominationId]  # (member_id, nomination_id), as conflicts are stored

NORMALISATION_EXPLAINED = (
    "Some panel members mark generously and others strictly. Normalisation compares each "
    "member's scores with that member's own average, so a nomination they rated above their "
    "usual level counts as above average whether they tend to give 4s or 2s. On this scale 0 "
    "means 'typical for that member', and the raw result is always shown next to it."
)

# Means equal to this many decimal places are a tie: float noise (3.4999999999 vs 3.5) must not
# break a real tie, and no honest difference in panel scores is this small.
TIE_PLACES = 9
# A member whose totals vary by less than this (relative to their size) has no spread at all.
ZERO_SPREAD = 1e-9


@dataclass(frozen=True)
class Criterion:
    """One rubric criterion: a key, a weight (finite, >= 0) and its score scale."""

    key: str
    weight: float
    scale_min: float = 0
    scale_max: float = 5

    def __post_init__(self) -> None:
        if not (math.isfinite(self.weight) and self.weight >= 0):
            raise ValueError(f"criterion {self.key!r}: the weight must be a finite number >= 0")
        if not self.scale_min < self.scale_max:
            raise ValueError(f"criterion {self.key!r}: scale_min must be below scale_max")


@dataclass(frozen=True)
class Review:
    """One member's submitted scores for one nomination; None or a missing key = abstained."""

    member_id: MemberId
    nomination_id: NominationId
    scores: Mapping[str, float | None]


@dataclass(frozen=True)
class NominationResult:
    """The panel's result for one nomination; statistics are None when no review has a total."""

    nomination_id: NominationId
    count: int  # reviews with a total (a review abstaining on everything does not count)
    mean: float | None  # each review counts once
    median: float | None
    range: float | None  # max - min: the spread a lay panel reads at a glance
    sd: float | None  # population SD: the reviewers are the whole panel, not a sample of one


@dataclass(frozen=True)
class RankedResult:
    """A result with its competition rank (1, 2, 2, 4) in its category; None if unscored."""

    result: NominationResult
    rank: int | None
    tied: bool


@dataclass(frozen=True)
class SideBySide:
    """Raw and normalised results for one nomination, to be shown next to each other."""

    raw: NominationResult
    normalised: NominationResult


@dataclass(frozen=True)
class Outlier:
    """A review total far from the other reviewers' mean for the same nomination."""

    member_id: MemberId
    nomination_id: NominationId
    total: float
    others_mean: float
    distance: float  # total - others_mean: negative = harsher than the others


def check_rubric(criteria: Sequence[Criterion]) -> tuple[float, float]:
    """Check one category's criteria (some, unique keys, one shared scale); return that scale."""
    if not criteria:
        raise ValueError("a rubric needs at least one criterion")
    keys = [criterion.key for criterion in criteria]
    if len(set(keys)) != len(keys):
        raise ValueError("criterion keys must be unique within a rubric")
    # Totals are weighted means of raw scores: mixed scales would quietly give a 0-10 criterion
    # twice the say of a 0-5 one, whatever the weights claim.
    scales = {(criterion.scale_min, criterion.scale_max) for criterion in criteria}
    if len(scales) != 1:
        raise ValueError("all criteria of one rubric must share a scale")
    return scales.pop()


def exclude_members(reviews: Iterable[Review], conflicted: set[Pair]) -> list[Review]:
    """The reviews left after dropping every (member_id, nomination_id) pair in `conflicted`."""
    return [r for r in reviews if (r.member_id, r.nomination_id) not in conflicted]


def review_total(review: Review, criteria: Sequence[Criterion]) -> float | None:
    """Weighted mean of the criteria scored; None if nothing with a positive weight was scored."""
    low, high = check_rubric(criteria)
    unknown = set(review.scores) - {criterion.key for criterion in criteria}
    if unknown:
        raise ValueError(f"scores for criteria not in this rubric: {sorted(unknown)}")
    weighted: list[tuple[float, float]] = []
    for criterion in criteria:
        score = review.scores.get(criterion.key)
        if score is None:
            continue  # abstained: its weight leaves the denominator too (weights renormalised)
        if not (math.isfinite(score) and low <= score <= high):
            raise ValueError(f"score {score!r} for {criterion.key!r} is outside {low}-{high}")
        if criterion.weight > 0:
            weighted.append((criterion.weight, float(score)))
    total_weight = math.fsum(weight for weight, _ in weighted)
    if total_weight == 0:
        return None
    return math.fsum(weight * score for weight, score in weighted) / total_weight


def _pstdev(values: Sequence[float], mean: float) -> float:
    """Population SD around `mean` (their fmean), summed exactly rounded like the rest, so
    the order never matters; statistics.pstdev's exact fractions cost a hundred times more
    and differ only in the last digit."""
    return math.sqrt(math.fsum((value - mean) ** 2 for value in values) / len(values))


def _summarise(nomination_id: NominationId, totals: Sequence[float]) -> NominationResult:
    """Mean, median, range and population SD of some totals."""
    if not totals:
        return NominationResult(nomination_id, 0, None, None, None, None)
    mean, median = statistics.fmean(totals), statistics.median(totals)
    spread, sd = max(totals) - min(totals), _pstdev(totals, mean)
    return NominationResult(nomination_id, len(totals), mean, median, spread, sd)


def nomination_result(
    reviews: Sequence[Review],
    criteria: Sequence[Criterion],
    nomination_id: NominationId | None = None,
) -> NominationResult:
    """The result of one nomination's reviews (pass nomination_id when there may be none)."""
    ids = {review.nomination_id for review in reviews}
    if nomination_id is not None:
        ids.add(nomination_id)
    if len(ids) != 1:
        raise ValueError("nomination_result takes the reviews of exactly one nomination")
    members = [review.member_id for review in reviews]
    if len(set(members)) != len(members):
        raise ValueError("a member has more than one review of this nomination")
    totals = [t for review in reviews if (t := review_total(review, criteria)) is not None]
    return _summarise(ids.pop(), totals)


def _by_nomination(reviews: Iterable[Review]) -> dict[NominationId, list[Review]]:
    """Reviews grouped by nomination, in nomination id order."""
    groups: dict[NominationId, list[Review]] = defaultdict(list)
    for review in reviews:
        groups[review.nomination_id].append(review)
    return {nomination_id: groups[nomination_id] for nomination_id in sorted(groups)}


def results_by_nomination(
    reviews: Iterable[Review],
    criteria: Sequence[Criterion],
    nomination_ids: Iterable[NominationId] = (),
) -> dict[NominationId, NominationResult]:
    """Results for every nomination reviewed or listed in `nomination_ids`, by nomination id."""
    groups = _by_nomination(reviews)
    every_id = sorted(set(groups) | set(nomination_ids))
    return {nid: nomination_result(groups.get(nid, []), criteria, nid) for nid in every_id}


def rank(results: Iterable[NominationResult]) -> list[RankedResult]:
    """Competition ranking by mean, best first; unscored nominations last, unranked."""
    results = list(results)
    scored = sorted(
        ((round(r.mean, TIE_PLACES), r) for r in results if r.mean is not None),
        key=lambda pair: (-pair[0], pair[1].nomination_id),  # ties listed in id order
    )
    sizes = Counter(key for key, _ in scored)
    ranked: list[RankedResult] = []
    previous_key: float | None = None
    for position, (key, result) in enumerate(scored, start=1):
        place = ranked[-1].rank if key == previous_key else position
        ranked.append(RankedResult(result, place, sizes[key] > 1))
        previous_key = key
    unscored = sorted((r for r in results if r.mean is None), key=lambda r: r.nomination_id)
    return ranked + [RankedResult(result, None, False) for result in unscored]


def normalised_totals(
    reviews: Iterable[Review], criteria: Sequence[Criterion]
) -> dict[Pair, float]:
    """Each review total as a z-score among its member's own totals, by (member, nomination)."""
    by_member: dict[MemberId, list[tuple[NominationId, float]]] = defaultdict(list)
    for review in reviews:
        total = review_total(review, criteria)
        if total is not None:
            by_member[review.member_id].append((review.nomination_id, total))
    normalised: dict[Pair, float] = {}
    for member_id, rows in sorted(by_member.items()):
        totals = [total for _, total in rows]
        mean = statistics.fmean(totals)
        sd = _pstdev(totals, mean)
        # One review, or the same total everywhere, says nothing about how nominations compare:
        # centre only (each becomes a neutral 0) instead of dividing by a spread of ~0.
        has_spread = sd > ZERO_SPREAD * max(1.0, max(abs(total) for total in totals))
        for nomination_id, total in rows:
            normalised[(member_id, nomination_id)] = (total - mean) / (sd if has_spread else 1.0)
    return normalised


def normalise(
    reviews: Sequence[Review],
    criteria: Sequence[Criterion],
    nomination_ids: Iterable[NominationId] = (),
) -> dict[NominationId, SideBySide]:
    """Raw results next to results of the normalised totals (z-scale), by nomination id."""
    raw = results_by_nomination(reviews, criteria, nomination_ids)
    per_nomination: dict[NominationId, list[float]] = defaultdict(list)
    for (_, nomination_id), value in sorted(normalised_totals(reviews, criteria).items()):
        per_nomination[nomination_id].append(value)
    return {n: SideBySide(r, _summarise(n, per_nomination.get(n, []))) for n, r in raw.items()}


def outliers(
    reviews: Iterable[Review], criteria: Sequence[Criterion], threshold: float = 1.5
) -> list[Outlier]:
    """Reviews whose total is more than `threshold` points from the others' mean (>= 2 others).

    Points on the rubric scale, not multiples of the others' SD: others who agree exactly have an
    SD of 0, which makes any difference infinitely far; "1.5 points away" a chair can say aloud.
    """
    if not threshold > 0:
        raise ValueError("the outlier threshold must be positive")
    found: list[Outlier] = []
    for nomination_id, group in _by_nomination(reviews).items():
        totals = [(r.member_id, t) for r in group if (t := review_total(r, criteria)) is not None]
        if len(totals) < 3:
            continue
        for member_id, total in sorted(totals):
            others_mean = statistics.fmean([t for m, t in totals if m != member_id])
            if abs(distance := total - others_mean) > threshold:
                found.append(Outlier(member_id, nomination_id, total, others_mean, distance))
    return found


def display(value: float | None, places: int = 1) -> str:
    """A number for people: rounded half up to `places` decimals; an em dash for no value."""
    if value is None:
        return "—"
    # Decimal from the shortest repr, so 2.25 shows as 2.3 (float rounding would give 2.2).
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return str(abs(rounded) if rounded == 0 else rounded)  # never "-0.0"
