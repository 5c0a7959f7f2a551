"""The panel deliberates: discussion, the eligibility round, the shortlist and final round,
and the chair's decisions with their citations."""
from collections import Counter

from flask_babel import gettext as _

from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.forms import single_line
from awards.extensions import db
from awards.panels.enums import Outcome, Stage
from awards.panels.models import Comment, Decision
from awards.panels.queries import conflicted_pairs, decisions_of, panel_nominations, reviews_of
from awards.panels.services import PanelError
from awards.panels.services.assignments import refresh_assignments
from awards.panels.services.stage import change_stage

CITATION_LIMIT = 1200


def add_comment(panel, nomination, body, *, author):
    """Add a message to the panel's private discussion of a nomination."""
    body = (body or "").strip()
    if not body:
        raise PanelError(_("Write your message first."))
    if panel.cycle.is_published:
        raise PanelError(_("The results are published; the discussion is closed."))
    comment = Comment(panel_id=panel.id, nomination_id=nomination.id, author_id=author.id,
                      body=body[:5000])
    db.session.add(comment)
    db.session.flush()
    return comment


def decision_for(panel, nomination):
    """The panel's decision row for a nomination, created empty if there is none."""
    decision = db.session.scalar(db.select(Decision).filter_by(nomination_id=nomination.id))
    if decision is None:
        decision = Decision(panel_id=panel.id, nomination_id=nomination.id)
        db.session.add(decision)
    return decision


def _require_deciding(panel):
    if not panel.is_deciding:
        raise PanelError(_("The panel can decide only from the start of judging until the "
                           "results are published."))


def close_eligibility_round(panel, *, actor):
    """End the eligibility round: a nomination passes unless most submitted answers say it
    fails (a tie or no answers passes: leaving someone out needs a reason). Scoring opens."""
    _require_deciding(panel)
    if panel.stage is not Stage.ELIGIBILITY:
        raise PanelError(_("The eligibility round is already closed."))
    answers = Counter()
    conflicts = conflicted_pairs(panel)  # a recused member's answer does not count
    for pair, review in reviews_of(panel, Stage.ELIGIBILITY).items():
        if review.is_submitted and pair not in conflicts:
            answers[(review.nomination_id, review.passes)] += 1
    failed = []
    for nomination in panel_nominations(panel):
        passes = answers[(nomination.id, False)] <= answers[(nomination.id, True)]
        decision_for(panel, nomination).passed_eligibility = passes
        if not passes:
            failed.append(nomination.reference)
    change_stage(panel, Stage.SCORING, actor=actor, failed=failed)
    db.session.flush()
    refresh_assignments(panel)
    return failed


def set_eligibility(panel, nomination, passes, *, actor):
    """The chair overrides the eligibility round for one nomination."""
    _require_deciding(panel)
    decision_for(panel, nomination).passed_eligibility = passes
    db.session.flush()
    record("panel.eligibility_set", nomination, actor=actor, passes=passes, panel=panel.id)
    refresh_assignments(panel)


def set_shortlisted(panel, nomination, shortlisted, *, actor):
    """Put a nomination on the shortlist for the final round, or take it off."""
    _require_deciding(panel)
    if not panel.can_set_shortlisted(shortlisted):
        raise PanelError(_("The final round is open: the shortlist is fixed."))
    decision_for(panel, nomination).shortlisted = shortlisted
    db.session.flush()
    record("panel.shortlisted" if shortlisted else "panel.unshortlisted", nomination,
           actor=actor, panel=panel.id)


def open_final_round(panel, *, actor):
    """Start a final round on the shortlist only; every member without a conflict reviews it."""
    _require_deciding(panel)
    if panel.stage is not Stage.SCORING:
        raise PanelError(_("A final round follows the scoring round."))
    shortlist = [d for d in decisions_of(panel).values() if d.shortlisted]
    if not shortlist:
        raise PanelError(_("Shortlist at least one nomination first."))
    change_stage(panel, Stage.FINAL, actor=actor, shortlisted=len(shortlist))
    db.session.flush()
    refresh_assignments(panel)


def draft_citation(nomination):
    """A first draft of the public citation from the nomination's story, for the chair to
    edit: what they do and the difference it makes, in the scheme's voice."""
    parts = [single_line(nomination.what_they_do), single_line(nomination.difference_made)]
    text = " ".join(_as_sentence(part) for part in parts if part)
    return text[:CITATION_LIMIT]


_CLOSING_QUOTES = "”’\"'»"
_FULL_STOPS = ".!?…"


def _as_sentence(text):
    """The text ending in exactly one full stop: kept if it already ends in one (also just
    inside a closing quote, `him.”`), added otherwise (after a closing quote, `“him”.`)."""
    text = text.rstrip()
    body = text.rstrip(_CLOSING_QUOTES)
    if body and body[-1] in _FULL_STOPS:
        if body.endswith("...") and body == text:
            return body.rstrip(".") + "."
        return text
    return text + "."


def record_decision(panel, nomination, *, outcome, citation, rationale, feedback, actor,
                    feedback_to_nominee=False):
    """The chair records the outcome, the public citation (winners and highly commended),
    a private rationale and optional feedback for the nominator (and, if
    `feedback_to_nominee`, for a nominee who consented too). Pending until published."""
    _require_deciding(panel)
    outcome = Outcome(outcome)
    citation = (citation or "").strip()
    if outcome.is_public and not citation:
        raise PanelError(_("Write the citation: it is the public text about the %(outcome)s.",
                           outcome=str(outcome.label).lower()))
    if len(citation) > CITATION_LIMIT:
        raise PanelError(_("Keep the citation under %(limit)d characters.",
                           limit=CITATION_LIMIT))
    decision = decision_for(panel, nomination)
    before = decision.outcome
    decision.outcome = outcome
    decision.citation = citation if outcome.is_public else ""
    decision.rationale = (rationale or "").strip()
    decision.feedback = (feedback or "").strip()
    decision.feedback_to_nominee = bool(feedback_to_nominee and decision.feedback)
    decision.decided_by_id = actor.id
    decision.decided_at = utcnow()
    db.session.flush()
    record("panel.decided", nomination, actor=actor, from_state=before, to_state=outcome,
           panel=panel.id, reference=nomination.reference)
    return decision
