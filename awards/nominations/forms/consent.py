"""The nominee's answer, and the same answer recorded by an admin from paper."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    ValidationError,
)

from awards.core.forms import BaseForm, single_line
from awards.nominations.enums import (
    ANSWERS,
    ConsentStatus,
    NameDisplay,
    Recognition,
)
from awards.nominations.forms.fields import MultiCheckboxField


class ConsentForm(BaseForm):
    """The nominee's answer and choices."""

    decision = RadioField(
        _l("Would you like to be considered for an award?"), coerce=ConsentStatus,
        choices=ConsentStatus.choices(ANSWERS),
        validators=[DataRequired(_l("Choose yes or no"))])
    name_display = RadioField(
        _l("If you win, how should your name appear?"), default=NameDisplay.FIRST_INITIAL,
        coerce=NameDisplay, choices=NameDisplay.choices(),
        validators=[Optional()])
    publish_story = BooleanField(_l("My story may be published"))
    publish_photo = BooleanField(_l("My photo may be published"))
    publish_area = BooleanField(_l("The area where I help may be shown"))
    in_newsletter = BooleanField(_l("I may appear in the awards newsletter"))
    recognition = MultiCheckboxField(
        _l("How would you like to be recognised? Choose any."),
        choices=Recognition.choices(), coerce=Recognition, validators=[Optional()])
    support_needed = TextAreaField(
        _l("What support would help you do more?"),
        validators=[Optional(), Length(max=2000)],
        description=_l("We only ever report answers to this question added together, "
                       "never with your name."))
    guardian_name = StringField(_l("Your name (parent or guardian)"), filters=[single_line],
                                validators=[Optional(), Length(max=120)])

    def validate_name_display(self, field):
        if self.decision.data is ConsentStatus.ACCEPTED and not isinstance(field.data,
                                                                           NameDisplay):
            raise ValidationError(_l("Choose how your name should appear"))

    @classmethod
    def from_consent(cls, consent, **kwargs):
        """The form filled with the saved answer (no decision while none has been given)."""
        answered = consent.status in ANSWERS
        return cls(data={
            "decision": consent.status if answered else None,
            "name_display": consent.name_display,
            "publish_story": consent.publish_story, "publish_photo": consent.publish_photo,
            "publish_area": consent.publish_area, "in_newsletter": consent.in_newsletter,
            "recognition": consent.recognition, "support_needed": consent.support_needed,
            "guardian_name": consent.guardian_name,
        }, **kwargs)

    def to_arguments(self):
        """`save_consent`'s keyword arguments (after the nomination)."""
        return dict(
            status=self.decision.data, name_display=self.name_display.data
            or NameDisplay.FIRST_INITIAL,
            publish_photo=self.publish_photo.data, publish_story=self.publish_story.data,
            publish_area=self.publish_area.data, in_newsletter=self.in_newsletter.data,
            recognition=self.recognition.data or [], support_needed=self.support_needed.data,
            guardian_name=self.guardian_name.data,
        )


class RecordConsentForm(ConsentForm):
    """Consent gathered in person or on paper, recorded by an admin or helper."""

    recorded_how = StringField(
        _l("How was consent given?"),
        validators=[DataRequired(_l("Say how consent was given")), Length(max=200)],
        description=_l("For example: “paper form signed 3 March, filed in the office”."))

    def to_arguments(self):
        """`save_consent`'s keyword arguments, with how consent was given (the view adds
        who recorded it)."""
        return {**super().to_arguments(), "recorded_how": self.recorded_how.data}
