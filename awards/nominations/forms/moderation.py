"""Admins' moderation decision, and a helper entering a nomination taken offline."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    ValidationError,
)

from awards.nominations.enums import (
    ASSISTED,
    NominationStatus,
    ReceivedVia,
)


class ModerationForm(FlaskForm):
    """An admin's decision on a submitted nomination."""

    decision = RadioField(_l("Decision"), coerce=NominationStatus, choices=[
        SelectChoice(NominationStatus.ELIGIBLE.value, _l("Eligible: it goes forward")),
        SelectChoice(NominationStatus.INELIGIBLE.value,
                     _l("Not eligible (the nominator is told why)")),
        SelectChoice(NominationStatus.DUPLICATE.value,
                     _l("Duplicate of another nomination (supporters are merged)")),
        SelectChoice(NominationStatus.SPAM.value, _l("Spam (hidden, nobody is emailed)")),
    ], validators=[DataRequired(_l("Choose a decision"))])
    # No Optional() on these two: it would stop the chain before validate_reason and
    # validate_duplicate_of, which make them required for their decision.
    reason = TextAreaField(_l("Reason for the nominator (for “not eligible”)"),
                           validators=[Length(max=1000)],
                           description=_l("Be kind: the nominator will read this."))
    duplicate_of = StringField(_l("Reference of the nomination to keep (for “duplicate”)"),
                               validators=[Length(max=12)])

    def validate_reason(self, field):
        if self.decision.data is NominationStatus.INELIGIBLE and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason: the nominator will read it"))

    def validate_duplicate_of(self, field):
        if self.decision.data is NominationStatus.DUPLICATE and not (field.data or "").strip():
            raise ValidationError(_l("Enter the reference of the nomination to keep"))

    def to_arguments(self):
        """`moderation.decide`'s keyword arguments (after the nomination): the reason of
        "not eligible", the reference to keep of "duplicate"."""
        arguments = {"decision": self.decision.data}
        if self.decision.data is NominationStatus.INELIGIBLE:
            arguments["reason"] = self.reason.data
        elif self.decision.data is NominationStatus.DUPLICATE:
            arguments["keep_reference"] = self.duplicate_of.data
        return arguments


class AssistedStartForm(FlaskForm):
    """A helper starts a nomination taken on paper or by phone."""

    cycle_id = SelectField(_l("Awards"), coerce=int,
                           validators=[DataRequired(_l("Choose the awards"))])
    received_via = RadioField(
        _l("How was it received?"), coerce=ReceivedVia, choices=ReceivedVia.choices(ASSISTED),
        validators=[DataRequired(_l("Choose how it was received"))])
