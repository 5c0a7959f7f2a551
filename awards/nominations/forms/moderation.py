"""Admins' moderation decision, and a helper entering a nomination taken offline."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    ValidationError,
)

from awards.core.forms import BaseForm, single_line
from awards.nominations.enums import (
    ASSISTED,
    NominationStatus,
    ReceivedVia,
    RecognitionKind,
)
from awards.nominations.models import today


class ModerationForm(BaseForm):
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


class AssistedStartForm(BaseForm):
    """A helper starts a nomination taken on paper or by phone."""

    cycle_id = SelectField(_l("Awards"), coerce=int,
                           validators=[DataRequired(_l("Choose the awards"))])
    received_via = RadioField(
        _l("How was it received?"), coerce=ReceivedVia, choices=ReceivedVia.choices(ASSISTED),
        validators=[DataRequired(_l("Choose how it was received"))])


class RecognitionGivenForm(BaseForm):
    """What an admin records as given to a nominee: what, when (optional) and a note."""

    kind = RadioField(_l("What was given?"), coerce=RecognitionKind,
                      choices=RecognitionKind.choices(),
                      validators=[DataRequired(_l("Choose what was given"))])
    given_on = DateField(_l("When (optional)"), validators=[Optional()],
                         description=_l("For example, 2026-11-27."))
    note = StringField(_l("Note (optional)"), filters=[single_line],
                       validators=[Optional(), Length(max=500)],
                       description=_l("For example: “£150 for new litter pickers”. "
                                      "Only admins read this."))

    def validate_given_on(self, field):
        if field.data is not None and field.data > today():
            raise ValidationError(_l("The date cannot be in the future"))

    def to_arguments(self):
        """`recognition.record_recognition`'s keyword arguments (after the nomination)."""
        return {"kind": self.kind.data, "given_on": self.given_on.data,
                "note": self.note.data or ""}
