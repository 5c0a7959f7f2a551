"""The panel's results, progress and outliers, computed by awards.panels.scoring from the
submitted reviews of members without a conflict; and the CSV export."""
import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from flask_sqlalchemy.pagination import Pagination

from awards.panels import results_cache, scoring
from awards.panels.access import hidden_results
from awards.panels.enums import Hidden, Stage
from awards.panels.queries import (
    assignment_pairs,
    decisions_of,
    declared_pairs,
    listed_by_id,
    member_progress,
    members_of,
    nominations_by_id,
    panel_nominations,
    review_scores,
)
from awards.panels.services.rubric import criteria_of


@dataclass
class ResultRow:
    """One nomination's line in the results: raw and normalised, its rank and decision."""

    nomination_id: int
    reference: str
    ranked: scoring.RankedResult
    normalised: scoring.NominationResult
    expected: int  # reviews asked for (assignments)
    decision: object = None
    hidden: Hidden | None = None  # why the viewer may not see it (then no ranked, normalised)
    nomination: object = None  # the Nomination, once loaded (with_nominations)


@dataclass
class CategoryResults:
    """A category's rows, best first, and the outliers among its reviews."""

    category_id: int
    rows: list = field(default_factory=list)
    outliers: list = field(default_factory=list)
    category: object = None  # the Category, once loaded (with_nominations)


@dataclass(frozen=True)
class ScoredCategory:
    """One category's scores, before any viewer's view of them: plain data (ids, references,
    numbers), kept between views (awards/panels/results_cache.py)."""

    category_id: int
    references: dict  # nomination id → reference, in reference order
    results: dict  # nomination id → scoring.SideBySide
    outliers: tuple  # scoring.Outlier of every nomination


@dataclass(frozen=True)
class Scored:
    """A panel's scores in one round, before any viewer's view of them (plain data)."""

    categories: tuple  # ScoredCategory, in the order of the nominations' categories
    expected: dict  # nomination id → reviews asked for (assignments)
    assigned: frozenset  # (member id, nomination id) of every assignment
    submitted: frozenset  # (member id, nomination id) of every submitted review


class Declared(NamedTuple):
    """A declaration as the results read it (queries.declared_pairs' row, as plain data)."""

    member_id: int
    nomination_id: int
    conflicted: bool


def kept_declarations(panel):
    """queries.declared_pairs as plain data ({(member id, nomination id): Declared}), kept
    between the chair's views like the scores (results_cache.kept)."""
    return results_cache.kept(panel.id, "declarations", lambda: {
        pair: Declared(row.member_id, row.nomination_id, bool(row.conflicted))
        for pair, row in declared_pairs(panel).items()})


def scoring_reviews(reviews, conflicts):
    """Submitted reviews (queries.review_scores' records) as scoring.Review, conflicted
    members left out."""
    submitted = [scoring.Review(r.member_id, r.nomination_id, r.scores)
                 for r in reviews if r.is_submitted]
    return scoring.exclude_members(submitted, conflicts)


def rubric(category):
    """The category's criteria as scoring.Criterion."""
    return [scoring.Criterion(str(c.id), c.weight, c.scale_min, c.scale_max)
            for c in criteria_of(category)]


def score_panel(panel, stage, nominations, declarations):
    """Score the panel's `nominations` (panel_nominations, in `stage`) from its reviews,
    without the reviews of members with a conflict (`declarations`: queries.declared_pairs),
    whoever is looking: Scored."""
    conflicts = {pair for pair, d in declarations.items() if d.conflicted}
    reviews = review_scores(panel, stage)
    assigned = assignment_pairs(panel)
    expected = Counter(nomination_id for _member_id, nomination_id in assigned)
    by_category = defaultdict(list)
    for nomination in nominations:
        by_category[nomination.category].append(nomination)
    reviews_by_category = defaultdict(list)
    category_of = {n.id: n.category_id for n in nominations}
    for review in reviews.values():
        if review.nomination_id in category_of:
            reviews_by_category[category_of[review.nomination_id]].append(review)
    categories = []
    for category, members in by_category.items():
        criteria = rubric(category)
        scored = scoring_reviews(reviews_by_category[category.id], conflicts)
        categories.append(ScoredCategory(
            category.id, {n.id: n.reference for n in members},
            scoring.normalise(scored, criteria, {n.id for n in members}),
            tuple(scoring.outliers(scored, criteria))))
    return Scored(tuple(categories), {n.id: expected[n.id] for n in nominations},
                  frozenset((member_id, nomination_id) for member_id, nomination_id in assigned),
                  frozenset(pair for pair, r in reviews.items() if r.is_submitted))


# The panel's scores read (each kept until one of these changes: results_cache.py lists
# them): the panel's round and categories; its nominations in that round (in_scope: status,
# category, reference, consent, the eligibility and shortlist decisions); each category's
# rubric (criteria, weights, scales); the reviews of that round and their scores (eligibility
# answers); the declarations (conflicts and recusals); the assignments; the panel's members.


def default_stage(panel):
    """The round whose results are shown unless another is asked for: the final round once
    it is open, else scoring."""
    return Stage.FINAL if panel.stage is Stage.FINAL else Stage.SCORING


def scored_results(panel, stage, declarations):
    """The panel's Scored in `stage`, kept between the chair's views until something they
    read changes (results_cache.kept), and the nominations when they had to be loaded for
    scoring ({id: Nomination}; empty when the scores were kept)."""
    loaded = {}

    def compute():
        nominations = panel_nominations(panel, stage, listed=True)
        loaded.update((n.id, n) for n in nominations)
        return score_panel(panel, stage, nominations, declarations)

    return results_cache.kept(panel.id, stage.value, compute), loaded


def ranked_results(panel, stage=None, viewer=None, *, declarations=None, decisions=None):
    """Results by category for a round (default: scoring, or final once it is open), as the
    viewer may see them, without their nominations loaded (with_nominations loads them):
    (categories, {id: Nomination} already loaded).

    `viewer` is the member looking (None for an admin off the panel). Nominations whose
    results are hidden from them (access.hidden_results: not declared, a conflict, or on
    their list and not reviewed yet, so nobody is anchored) have no rank or figures and come
    after the visible rows, by reference, so their order gives nothing away; the visible
    rows are ranked among themselves. `declarations` (kept_declarations) and `decisions`
    (queries.decisions_of) save reading them again when the caller has them.
    """
    stage = stage or default_stage(panel)
    declarations = kept_declarations(panel) if declarations is None else declarations
    scored, loaded = scored_results(panel, stage, declarations)
    decisions = decisions_of(panel) if decisions is None else decisions
    expected = scored.expected
    hidden = hidden_results(viewer, list(expected), declarations, scored.assigned,
                            scored.submitted)
    results = []
    for category in scored.categories:
        side_by_side, references = category.results, category.references
        rows = []
        for r in scoring.rank(side_by_side[i].raw for i in references if i not in hidden):
            i = r.result.nomination_id
            rows.append(ResultRow(i, references[i], r, side_by_side[i].normalised, expected[i],
                                  decisions.get(i)))
        rows += [ResultRow(i, reference, None, None, expected[i], decisions.get(i), hidden[i])
                 for i, reference in sorted(references.items(), key=lambda item: item[1])
                 if i in hidden]
        outliers = [o for o in category.outliers if o.nomination_id not in hidden]
        results.append(CategoryResults(category.category_id, rows, outliers))
    return results, loaded


def with_nominations(results, loaded=None, load=nominations_by_id):
    """Fill in the rows' nominations (and each category) from `loaded` ({id: Nomination}),
    loading those missing in one query (`load`: queries.nominations_by_id, or listed_by_id
    for light records); rows whose nomination is gone are left out."""
    loaded = dict(loaded or {})
    missing = [row.nomination_id for category in results for row in category.rows
               if row.nomination_id not in loaded]
    if missing:
        loaded.update((n.id, n) for n in load(missing))
    for category in results:
        category.rows = [row for row in category.rows if row.nomination_id in loaded]
        for row in category.rows:
            row.nomination = loaded[row.nomination_id]
            category.category = row.nomination.category
    return [category for category in results if category.category is not None]


def panel_results(panel, stage=None, viewer=None, *, declarations=None, decisions=None):
    """Every row of ranked_results, with its nomination: the CSV reads them (the chair's
    overview loads only its page's: results_page_of)."""
    stage = stage or default_stage(panel)
    results, loaded = ranked_results(panel, stage, viewer, declarations=declarations,
                                     decisions=decisions)
    if not loaded:  # kept scores: every row's nomination, read as the scoring reads them
        loaded = {n.id: n for n in panel_nominations(panel, stage, listed=True)}
    return with_nominations(results, loaded)


RESULTS_PER_PAGE = 50


class RowsPage(Pagination):
    """Page links over rows already computed (Flask-SQLAlchemy's Pagination, `total` rows)."""

    def _query_items(self):  # placeholders: the numbers of the rows on the page
        total = self._query_args["total"]
        return list(range(self._query_offset, min(total, self._query_offset + self.per_page)))

    def _query_count(self):
        return self._query_args["total"]


def _page_links(total, page, per_page):
    """The page links over `total` rows, and where the asked page starts."""
    links = RowsPage(page=page, per_page=per_page, max_per_page=None, error_out=False,
                     total=total)
    return links, (links.page - 1) * per_page


def rows_page(rows, page, per_page=RESULTS_PER_PAGE):
    """One page of `rows` (a list): (the rows on it, RowsPage for the page links)."""
    links, start = _page_links(len(rows), page, per_page)
    return rows[start:start + per_page], links


def results_page(results, page, per_page=RESULTS_PER_PAGE):
    """One page of the results: each category's rows from `page` (50 a page, ranked over
    the whole category), with the outliers of the nominations shown; categories with no rows
    on that page are left out. Returns (categories, RowsPage for the page links)."""
    longest = max((len(category.rows) for category in results), default=0)
    links, start = _page_links(longest, page, per_page)
    shown = []
    for category in results:
        rows = category.rows[start:start + per_page]
        if rows or (links.page == 1 and not category.rows):
            ids = {row.nomination_id for row in rows}
            shown.append(CategoryResults(category.category_id, rows,
                                         [o for o in category.outliers
                                          if o.nomination_id in ids], category.category))
    return shown, links


def results_page_of(panel, stage, viewer, page, *, declarations=None, decisions=None):
    """One page of the results as `viewer` may see them (ranked_results, results_page),
    with the nominations of that page only loaded (as light records: queries.listed_by_id,
    unless they were loaded for scoring)."""
    results, loaded = ranked_results(panel, stage, viewer, declarations=declarations,
                                     decisions=decisions)
    shown, links = results_page(results, page)
    return with_nominations(shown, loaded, listed_by_id), links


@dataclass
class MemberProgress:
    """How far one member has got with their list."""

    member: object
    assigned: int
    submitted: int
    drafts: int
    conflicts: int

    @property
    def percent(self):
        """Submitted as a whole percentage of assigned."""
        return round(100 * self.submitted / self.assigned) if self.assigned else 100


def progress(panel, declarations=None):
    """Each member's progress in the current round (counted by the database, and kept
    between the chair's views like the scores). `declarations` (queries.declared_pairs)
    saves loading them again."""
    counts = results_cache.kept(panel.id, f"progress:{panel.stage.value}",
                                lambda: member_progress(panel))
    declarations = declared_pairs(panel) if declarations is None else declarations
    conflicts = Counter(member_id for (member_id, _n), d in declarations.items()
                        if d.conflicted)
    return [MemberProgress(member, *counts.get(member.id, (0, 0, 0)), conflicts[member.id])
            for member in members_of(panel)]


# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
OUR_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralise(cell):
    """A cell safe to open in a spreadsheet: text that could start a formula gets a leading
    apostrophe; numbers this export wrote itself (e.g. -0.4) are left as numbers."""
    text = "" if cell is None else str(cell)
    if text.startswith(FORMULA_START) and not OUR_NUMBER.fullmatch(text):
        return "'" + text
    return text


def results_csv(panel, stage=None, *, viewer=None, names=True):
    """The results as CSV text, as `viewer` may see them (panel_results: hidden rows carry
    only their category, reference, shortlist, outcome and why they are hidden); `names`
    False (blind panels) leaves nominee names out."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Category", "Reference", "Nominee", "Reviews", "Reviews asked for",
                     "Weighted mean", "Median", "Range", "Standard deviation", "Rank", "Tied",
                     "Normalised mean", "Shortlisted", "Outcome", "Not shown because"])
    for category in panel_results(panel, stage, viewer):
        for row in category.rows:
            decision = row.decision
            writer.writerow([neutralise(value) for value in [
                category.category.name, row.nomination.reference, *_figures(row, names),
                "yes" if decision and decision.shortlisted else "",
                decision.outcome.label if decision and decision.outcome else "",
                row.hidden.label if row.hidden else "",
            ]])
    return out.getvalue()


def _figures(row, names):
    """A row's nominee and figures for the CSV: all blank when it is hidden."""
    if row.hidden:
        return [""] * 10
    result = row.ranked.result
    return [row.nomination.nominee_name if names else "", result.count, row.expected,
            scoring.display(result.mean, 2), scoring.display(result.median, 2),
            scoring.display(result.range, 2), scoring.display(result.sd, 2),
            row.ranked.rank or "", "yes" if row.ranked.tied else "",
            scoring.display(row.normalised.mean, 2)]
