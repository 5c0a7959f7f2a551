"""A member's review of a nomination: scores per criterion (or abstentions), comments,
saved as a draft and then submitted."""
from flask_babel import gettext as _

from awards.core.audit import record
from awards.core.db import utcnow
from awards.extensions import db
from awards.panels.enums import Stage
from awards.panels.models import Review, Score
from awards.panels.queries import declaration_of, is_assigned
from awards.panels.services import PanelError
from awards.panels.services.rubric import criteria_of

ABSTAIN = "abstain"


def review_for(member, nomination, stage=None):
    """The member's review of the nomination in the panel's round (or `stage`), or None."""
    return db.session.scalar(db.select(Review).filter_by(
        member_id=member.id, nomination_id=nomination.id, stage=stage or member.panel.stage))


def may_review(member, nomination):
    """Refuse unless the member is assigned the nomination, declared no conflict, and
    judging is open."""
    if not member.panel.is_judging:
        raise PanelError(_("Judging is closed: reviews can no longer be changed."))
    declaration = declaration_of(member, nomination)
    if declaration is None or declaration.conflicted:
        raise PanelError(_("Declare that you have no conflict of interest first."))
    if not is_assigned(member, nomination):
        raise PanelError(_("This nomination is not on your list."))


def save_review(member, nomination, *, answers, overall_comment="", passes=None, submit=False):
    """Save the member's review as a draft, or submit it (then it is final).

    `answers` maps criterion id -> (value, comment): value an int on the scale, ABSTAIN, or
    None for not answered yet. Submitting needs every criterion answered and at least one
    scored; in the eligibility round it needs a pass or fail instead.
    """
    may_review(member, nomination)
    stage = member.panel.stage
    review = review_for(member, nomination)
    if review is not None and review.is_submitted:
        raise PanelError(_("You have already submitted this review."))
    if review is None:
        review = Review(member_id=member.id, nomination_id=nomination.id, stage=stage)
        db.session.add(review)
    review.overall_comment = (overall_comment or "").strip()
    if stage is Stage.ELIGIBILITY:
        review.passes = passes
        if submit and passes is None:
            raise PanelError(_("Say whether the nomination meets the category's rules."))
    else:
        _save_scores(review, criteria_of(nomination.category), answers, submit)
    if submit:
        review.submitted_at = utcnow()
        record("review.submitted", nomination, actor=member.user, member=member.user.email,
               stage=stage.value, panel=member.panel_id)
    db.session.flush()
    return review


def _save_scores(review, criteria, answers, submit):
    """Write one Score per answered criterion; check the scale and, on submit, completeness."""
    existing = {score.criterion_id: score for score in review.scores}
    unanswered, scored = [], 0
    for criterion in criteria:
        value, comment = answers.get(criterion.id, (None, ""))
        if value is None:
            unanswered.append(criterion.name)
            if criterion.id in existing:
                review.scores.remove(existing[criterion.id])
            continue
        if value != ABSTAIN:
            if isinstance(value, bool) or not (
                    isinstance(value, int) and criterion.scale_min <= value <= criterion.scale_max):
                raise PanelError(_("Choose a score from %(low)d to %(high)d for %(criterion)s.",
                                   low=criterion.scale_min, high=criterion.scale_max,
                                   criterion=criterion.name))
            scored += 1
        score = existing.get(criterion.id) or Score(criterion_id=criterion.id)
        if score not in review.scores:
            review.scores.append(score)
        score.value = None if value == ABSTAIN else value
        score.comment = (comment or "").strip()
    if submit and unanswered:
        raise PanelError(_("Score or abstain on every criterion before submitting: "
                           "%(criteria)s.", criteria=", ".join(unanswered)))
    if submit and not scored:
        raise PanelError(_("Score at least one criterion. If you cannot judge this nomination, "
                           "tell the chair."))
