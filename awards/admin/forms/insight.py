"""The insight report's forms: reviewing the words of "what support would help"."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from awards.admin.services.insight import SHOWN_TEXT_LIMIT
from awards.core.forms import BaseForm

SHOW, LEAVE_OUT = "show", "leave_out"


class SupportReviewForm(BaseForm):
    """An admin's review of one answer: the words to show (edited to take out anything that
    could identify the nominee), or leave it out of the report."""

    decision = RadioField(_l("Can these words appear in the report?"), choices=[
        SelectChoice(SHOW, _l("Yes, as written in the box below")),
        SelectChoice(LEAVE_OUT, _l("No, leave this answer out")),
    ], validators=[DataRequired(_l("Choose whether the words can appear"))])
    # No Optional(): it would stop the chain before validate_shown_text.
    shown_text = TextAreaField(
        _l("Words to show"), validators=[Length(max=SHOWN_TEXT_LIMIT)],
        description=_l("Take out names, places, groups, dates and anything else that could "
                       "tell who wrote it."))

    def validate_shown_text(self, field):
        if self.decision.data == SHOW and not (field.data or "").strip():
            raise ValidationError(_l("Enter the words to show, or choose to leave them out"))

    def to_arguments(self):
        """`insight.review_support`'s keyword arguments (after the consent)."""
        return {"shown_text": self.shown_text.data if self.decision.data == SHOW else ""}
