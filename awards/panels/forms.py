"""Forms of the judging pages: the declaration, the review (built from the rubric), the
discussion, and the chair's decisions."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from awards.core.forms import BaseForm, yes_no
from awards.panels.enums import DECLARABLE, ConflictKind, Outcome, declarable
from awards.panels.services.deliberation import CITATION_LIMIT
from awards.panels.services.reviews import ABSTAIN

COMMENT_LIMIT = 2000


def _conflict_kind(value):
    """Coerce a declaration's kind to a ConflictKind (None when none was chosen)."""
    return ConflictKind(value) if value else None


class DeclarationForm(BaseForm):
    """Before opening a nomination: do you know them?"""

    conflicted = RadioField(_l("Do you have a conflict of interest?"), coerce=yes_no, choices=[
        SelectChoice("no", _l("No, I do not know them and have no interest in this nomination")),
        SelectChoice("yes", _l("Yes, I have a conflict of interest")),
    ], validators=[InputRequired(_l("Say whether you have a conflict of interest"))])
    kind = RadioField(_l("How do you know them? (if you have a conflict)"), coerce=_conflict_kind,
                      choices=ConflictKind.choices(DECLARABLE),
                      validators=[Optional()])
    reason = TextAreaField(_l("Anything the chair should know (needed for “other”)"),
                           validators=[Length(max=500)])

    def validate_kind(self, field):
        if self.conflicted.data is True and not field.data:
            raise ValidationError(_l("Choose how you know them"))

    def validate_reason(self, field):
        if (self.conflicted.data is True and self.kind.data is ConflictKind.OTHER
                and not (field.data or "").strip()):
            raise ValidationError(_l("Say briefly what the conflict is"))

    @classmethod
    def for_panel(cls, panel):
        """The form with the kinds this panel's members may declare (blind: also "I think I
        know who this is")."""
        form = cls()
        form.kind.choices = ConflictKind.choices(declarable(panel.blind))
        return form

    def to_arguments(self):
        """`declarations.declare`'s keyword arguments."""
        return {"conflicted": bool(self.conflicted.data), "kind": self.kind.data,
                "reason": self.reason.data}


class ScoredReviewForm(BaseForm):
    """A review of the scoring rounds: per criterion of `criteria` a score (or abstain) and a
    comment (`score_<id>`, `comment_<id>`), made for a rubric by `review_form_class`."""

    criteria = ()
    overall_comment = TextAreaField(_l("Overall comment"), validators=[
        Length(max=COMMENT_LIMIT)], description=_l("What stood out for you? Only the "
                                                   "panel and the scheme's admins see this."))

    @classmethod
    def from_review(cls, review, **kwargs):
        """The form filled from the member's saved review (None: not reviewed yet)."""
        data = {"overall_comment": review.overall_comment if review else ""}
        for score in review.scores if review else []:
            data[f"score_{score.criterion_id}"] = (ABSTAIN if score.value is None
                                                   else str(score.value))
            data[f"comment_{score.criterion_id}"] = score.comment
        return cls(data=data, **kwargs)

    def to_arguments(self):
        """`reviews.save_review`'s keyword arguments: `answers` maps criterion id ->
        (value, comment), the value an int, ABSTAIN, or None (not answered yet)."""
        answers = {}
        for criterion in self.criteria:
            raw = self[f"score_{criterion.id}"].data
            value = None if not raw or raw == "None" else ABSTAIN if raw == ABSTAIN else int(raw)
            answers[criterion.id] = (value, self[f"comment_{criterion.id}"].data or "")
        return {"answers": answers, "overall_comment": self.overall_comment.data}


def review_form_class(criteria):
    """A review form for a rubric: per criterion a score (or abstain) and a comment."""

    class ReviewForm(ScoredReviewForm):
        pass

    for criterion in criteria:
        choices = [SelectChoice(str(value), f"{value} – {anchor}" if anchor else str(value))
                   for value, anchor in criterion.points]
        choices.append(SelectChoice(ABSTAIN, _l("Abstain – I cannot judge this")))
        setattr(ReviewForm, f"score_{criterion.id}", RadioField(
            criterion.name, choices=choices, validators=[Optional()],
            description=criterion.question))
        setattr(ReviewForm, f"comment_{criterion.id}", TextAreaField(
            _l("Comment on %(name)s", name=criterion.name),
            validators=[Length(max=COMMENT_LIMIT)]))
    ReviewForm.criteria = criteria
    return ReviewForm


class EligibilityReviewForm(BaseForm):
    """The eligibility round: does it meet the category's rules?"""

    passes = RadioField(_l("Does this nomination meet the category's rules?"), coerce=yes_no,
                        choices=[SelectChoice("yes", _l("Yes, it meets them")),
                                 SelectChoice("no", _l("No, it does not"))],
                        validators=[Optional()])
    overall_comment = TextAreaField(_l("Why? (optional)"),
                                    validators=[Length(max=COMMENT_LIMIT)])

    @classmethod
    def from_review(cls, review, **kwargs):
        """The form filled from the member's saved review (None: not reviewed yet)."""
        return cls(data={"passes": review.passes if review else None,
                         "overall_comment": review.overall_comment if review else ""},
                   **kwargs)

    def to_arguments(self):
        """`reviews.save_review`'s keyword arguments (no scores in this round)."""
        return {"answers": {}, "passes": self.passes.data,
                "overall_comment": self.overall_comment.data}


class CommentForm(BaseForm):
    """A message in the panel's discussion."""

    body = TextAreaField(_l("Your message"), validators=[
        DataRequired(_l("Write your message first")), Length(max=5000)],
        description=_l("Only this panel and the scheme's admins see the discussion."))


class DecisionForm(BaseForm):
    """The chair's outcome, citation, rationale and feedback."""

    outcome = RadioField(_l("Outcome"), choices=Outcome.choices(), coerce=Outcome,
                         validators=[DataRequired(_l("Choose an outcome"))])
    citation = TextAreaField(_l("Citation (public, for winners and highly commended)"),
                             validators=[Length(max=CITATION_LIMIT)],
                             description=_l("Published on the winners' pages once the results "
                                            "are out. Drafted from the nomination: edit it."))
    rationale = TextAreaField(_l("Why the panel decided this (private)"),
                              validators=[Length(max=COMMENT_LIMIT)],
                              description=_l("Kept for the record; never published or sent."))
    feedback = TextAreaField(_l("Feedback for the nominator"),
                             validators=[Length(max=COMMENT_LIMIT)],
                             description=_l("Sent with the outcome when the results are "
                                            "published."))
    feedback_to_nominee = BooleanField(_l("Also send this feedback to the nominee"),
                                       description=_l("Only if they agreed to be nominated, "
                                                      "with their result. The private "
                                                      "rationale is never sent."))

    def to_arguments(self):
        """`deliberation.record_decision`'s keyword arguments (after the nomination)."""
        return {"outcome": self.outcome.data, "citation": self.citation.data,
                "rationale": self.rationale.data, "feedback": self.feedback.data,
                "feedback_to_nominee": bool(self.feedback_to_nominee.data)}

    def validate_citation(self, field):
        if isinstance(self.outcome.data, Outcome) and self.outcome.data.is_public and \
                not (field.data or "").strip():
            raise ValidationError(_l("Write the citation: it is the public text about them"))

    @classmethod
    def from_decision(cls, decision, drafted_citation, **kwargs):
        """The form filled from the saved decision (None: none yet), its citation else the
        `drafted_citation`."""
        return cls(data={
            "outcome": decision.outcome if decision else None,
            "citation": decision.citation if decision and decision.citation
            else drafted_citation,
            "rationale": decision.rationale if decision else "",
            "feedback": decision.feedback if decision else "",
            "feedback_to_nominee": decision.feedback_to_nominee if decision else False},
            **kwargs)


class RecuseForm(BaseForm):
    """A chair or admin takes a member off one nomination."""

    member_id = SelectField(_l("Panel member"), coerce=int,
                            validators=[DataRequired(_l("Choose the member"))])
    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give a reason for the recusal")), Length(max=500)])
