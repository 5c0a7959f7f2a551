"""What volunteers tell us, and what they got: the insight report.

Counts only, per award cycle and per area, of the nominees who said yes: how they would like
to be recognised, whether they said what support would help, what they were given, and how
well what they asked for was met. No group smaller than `SMALLEST` is shown (a count of 1 to
4 reads "fewer than 5"), and every row of a table whose cells add up to a total shown beside
them keeps at least two of those numbers hidden or none (complementary suppression), so a
hidden cell can never be worked out by subtraction. The suppression is decided once, on the
whole cycle's table (every area and the total), so the per-area pages and the cycle's page
can be put side by side without giving anything away.

The words of "what support would help" are shown only once an admin has reviewed them for
identifying details (`review_support`), only the reviewed words, only while the answer is
the one reviewed, only for the whole cycle (never per area), and only when the cycle has at
least `SMALLEST` nominees who answered.
"""
import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.services import ServiceError
from awards.extensions import db
from awards.nominations.enums import (
    MEETS,
    ConsentStatus,
    NominationStatus,
    Recognition,
    RecognitionKind,
)
from awards.nominations.models import (
    Area,
    Consent,
    Nomination,
    RecognitionGiven,
    SupportReview,
    text_digest,
)

SMALLEST = 5
SHOWN_TEXT_LIMIT = 2000
# The column of the whole cycle (every area together), and of nominees with no area.
ALL, NO_AREA = "all", "none"
# Nominations whose nominee may have been asked (not drafts, spam, duplicates, withdrawn).
COUNTED_STATUSES = (NominationStatus.SUBMITTED, NominationStatus.ELIGIBLE,
                    NominationStatus.IN_JUDGING, NominationStatus.OUTCOME)
# Text that a spreadsheet would read as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class InsightError(ServiceError):
    """A change to the insight report's inputs that the rules refuse."""


# --- suppression -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """A count as the report may show it: `small` (1 to 4: "fewer than 5"), `masked` (hidden so
    a small one cannot be worked out: "not shown"), else shown."""

    count: int
    small: bool = False
    masked: bool = False

    @property
    def hidden(self):
        return self.small or self.masked

    @property
    def text(self):
        """The words of the page and the CSV."""
        if self.small:
            return _("fewer than %(num)d", num=SMALLEST)
        if self.masked:
            return _("not shown")
        return str(self.count)


def suppress_row(counts, total, *, also_hidden=()):
    """The cells of a row of `counts` (by key) that add up to `total`: counts of 1 to 4, and
    the keys in `also_hidden` (ALL for the total), are hidden; then, if exactly one number
    of the row (its cells and its total) is hidden, the smallest other non-zero cell is
    hidden too (the total if there is none), so no hidden number is the total minus the
    others. Returns ({key: Cell}, total Cell)."""
    numbers = {**counts, ALL: total}
    small = {key for key, n in numbers.items() if 0 < n < SMALLEST}
    hidden = small | set(also_hidden)
    masked = set()
    if len(hidden) == 1:
        others = sorted((n, str(key), key) for key, n in counts.items()
                        if key not in hidden and n > 0)
        masked.add(others[0][2] if others else ALL)
    masked |= hidden - small
    cells = {key: Cell(n, small=key in small, masked=key in masked) for key, n in numbers.items()}
    return {key: cells[key] for key in counts}, cells[ALL]


@dataclass
class Row:
    """One row of a table: a label and a Cell per column (area keys, and ALL)."""

    label: str
    cells: dict

    def at(self, scope):
        return self.cells[scope]


def _row(label, counts, also_hidden=()):
    cells, total = suppress_row(counts, sum(counts.values()), also_hidden=also_hidden)
    return Row(str(label), {**cells, ALL: total})


# --- the report --------------------------------------------------------------------------------

@dataclass
class Nominee:
    """One person who said yes, however many nominations they had in the cycle."""

    area_key: object
    wanted: set
    described_support: bool
    given: set
    consent: Consent


@dataclass
class Report:
    """The cycle's report, every table suppressed on the whole cycle. `columns` are (key,
    name) of the areas with nominees who answered (and NO_AREA if any had none)."""

    cycle: object
    columns: list
    answered: Row
    wanted: list
    described: Row
    given: list
    met: list  # (Recognition, asked Row, got Row)
    quotes: list = field(default_factory=list)

    def scope_name(self, scope):
        return dict(self.columns).get(scope, _("All areas"))


def nominees_of(cycle):
    """The nominees of `cycle` who said yes (consent accepted) on a counted nomination, one
    per person: a nominee asked once for several nominations counts once, with what any of
    them was given, in the area of their first nomination."""
    consents = db.session.scalars(
        select(Consent).join(Consent.nomination)
        .where(Nomination.cycle_id == cycle.id, Nomination.status.in_(COUNTED_STATUSES),
               Consent.status == ConsentStatus.ACCEPTED)
        .options(selectinload(Consent.nomination))
        .order_by(Nomination.id)).all()
    given = {}
    for item in db.session.scalars(select(RecognitionGiven).join(RecognitionGiven.nomination)
                                   .where(Nomination.cycle_id == cycle.id)):
        given.setdefault(item.nomination_id, set()).add(item.kind)
    people = {}
    for consent in consents:
        key = consent.asked_with_id or consent.id
        got = given.get(consent.nomination_id, set())
        if key in people:
            people[key].given |= got
            continue
        nomination = consent.nomination
        people[key] = Nominee(
            area_key=nomination.area_id or NO_AREA,
            wanted={r for r in Recognition if r.value in set(consent.recognition or ())},
            described_support=bool((consent.support_needed or "").strip()),
            given=set(got), consent=consent)
    return list(people.values())


def build_report(cycle):
    """The whole report of `cycle` (see the module's docstring)."""
    people = nominees_of(cycle)
    keys = sorted({p.area_key for p in people}, key=lambda k: (k == NO_AREA, str(k)))
    names = {a.id: a.name for a in db.session.scalars(
        select(Area).where(Area.id.in_([k for k in keys if k != NO_AREA])))}
    columns = sorted(((k, names[k]) for k in keys if k != NO_AREA), key=lambda c: c[1])
    if NO_AREA in keys:
        columns.append((NO_AREA, _("Area not given")))

    def counts(test):
        return {key: sum(1 for p in people if p.area_key == key and test(p))
                for key, _name in columns}

    answered = _row(_("Nominees who said yes"), counts(lambda p: True))
    # Nothing at all is told of a group of fewer than 5 nominees, not even a 0.
    few = {key for key, cell in answered.cells.items() if cell.small}

    def row(label, counted, hide=frozenset()):
        return _row(label, counted, also_hidden=few | hide)

    wanted = {r: row(r.label, counts(lambda p, r=r: r in p.wanted)) for r in Recognition}
    met = []
    for wish, kinds in MEETS.items():
        asked = wanted[wish]
        got_counts = counts(lambda p, w=wish, k=kinds: w in p.wanted and p.given & k)
        # A count of who got it beside how many asked also tells how many did not: hide it
        # where how many asked is hidden, or where those who did not are 1 to 4.
        hide = {key for key, cell in asked.cells.items()
                if cell.hidden or 0 < cell.count - (got_counts.get(key) if key != ALL
                                                    else sum(got_counts.values())) < SMALLEST}
        met.append((wish, asked, row(wish.label, got_counts, hide)))
    report = Report(
        cycle=cycle, columns=columns, answered=answered,
        wanted=[wanted[r] for r in Recognition],
        described=row(_("Said what support would help them do more"),
                      counts(lambda p: p.described_support)),
        given=[row(k.label, counts(lambda p, k=k: k in p.given)) for k in RecognitionKind],
        met=met)
    if answered.at(ALL).count >= SMALLEST and not answered.at(ALL).hidden:
        report.quotes = reviewed_words(people)
    return report


def reviewed_words(people):
    """The reviewed words of what support would help, in alphabetical order (never in the
    order of the nominations, which could tell whose they are)."""
    consents = [p.consent for p in people if p.described_support]
    reviews = db.session.scalars(select(SupportReview).where(
        SupportReview.consent_id.in_([c.id for c in consents]))).all()
    return sorted(r.shown_text for r in reviews if r.is_shown)


# --- one scope of the report, as the page and the CSV show it ----------------------------------

@dataclass
class Table:
    """A table as the page and the CSV show it: every cell is already text."""

    caption: str
    headers: list
    rows: list  # [row heading, cell texts...]


def report_tables(report, scope=ALL):
    """The report's tables for `scope` (ALL, an area's id or NO_AREA), as text."""
    nominees = _("Nominees")
    tables = [
        Table(_("Nominees who said yes and answered"), [_("Who"), nominees],
              [[report.answered.label, report.answered.at(scope).text]]),
        Table(_("How nominees would like to be recognised (they could choose several)"),
              [_("Way to be recognised"), nominees],
              [[row.label, row.at(scope).text] for row in report.wanted]),
        Table(_("What support would help them do more"), [_("Answer"), nominees],
              [[report.described.label, report.described.at(scope).text]]),
        Table(_("What nominees were given"), [_("Recognition or support"), nominees],
              [[row.label, row.at(scope).text] for row in report.given]),
        Table(_("How well what they asked for was met"),
              [_("They asked for"), _("Asked for it"), _("Got it")],
              [[asked.label, asked.at(scope).text, got.at(scope).text]
               for _wish, asked, got in report.met]),
    ]
    return tables


def quotes_for(report, scope=ALL):
    """The reviewed words shown for `scope`: for the whole cycle only."""
    return report.quotes if scope == ALL else []


def neutralise(cell):
    """A cell safe to open in a spreadsheet: text starting with = + - @, a tab or a carriage
    return gets a leading apostrophe."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def report_csv(report, scope=ALL):
    """The page's tables (and reviewed words) for `scope` as CSV text, cell for cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(report.cycle.name), neutralise(report.scope_name(scope))])
    for table in report_tables(report, scope):
        writer.writerow([])
        writer.writerow([neutralise(table.caption)])
        writer.writerow([neutralise(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([neutralise(c) for c in row])
    quotes = quotes_for(report, scope)
    if quotes:
        writer.writerow([])
        writer.writerow([neutralise(_("What support would help, in their words (reviewed)"))])
        for quote in quotes:
            writer.writerow([neutralise(quote)])
    return out.getvalue()


def download_report(report, scope=ALL, *, actor=None):
    """The CSV of `report` for `scope`, with the download in the audit log."""
    record("insight.downloaded", report.cycle, actor=actor,
           area=None if scope == ALL else str(scope))
    db.session.flush()
    return report_csv(report, scope)


# --- reviewing the words of "what support would help" ------------------------------------------

def support_to_review(cycle):
    """The answers of `cycle`'s nominees who said yes that describe support and have no
    current review (never reviewed, or changed since), oldest nomination first."""
    people = nominees_of(cycle)
    consents = [p.consent for p in people if p.described_support]
    reviews = {r.consent_id: r for r in db.session.scalars(select(SupportReview).where(
        SupportReview.consent_id.in_([c.id for c in consents])))}
    return [c for c in consents if c.id not in reviews or not reviews[c.id].is_current]


def review_of(consent):
    """The review of `consent`'s answer, or None."""
    return db.session.scalar(select(SupportReview).filter_by(consent_id=consent.id))


def review_support(consent, *, shown_text, actor=None):
    """Mark `consent`'s "what support would help" answer as reviewed for identifying
    details, keeping `shown_text` (the answer with anything identifying taken out; empty:
    leave it out of the report)."""
    if not (consent.support_needed or "").strip():
        raise InsightError(_("There is no answer to review."))
    shown_text = (shown_text or "").strip()
    if len(shown_text) > SHOWN_TEXT_LIMIT:
        raise InsightError(_("The words to show are too long."))
    review = review_of(consent) or SupportReview(consent=consent)
    if review.id is None:
        db.session.add(review)
    review.digest = text_digest(consent.support_needed)
    review.shown_text = shown_text
    review.reviewed_by_id = getattr(actor, "id", None)
    review.reviewed_at = utcnow()
    db.session.flush()
    record("insight.support_reviewed", consent.nomination, actor=actor,
           to_state="shown" if shown_text else "left_out",
           reference=consent.nomination.reference, review_id=review.id,
           edited=shown_text != consent.support_needed.strip())
    return review
