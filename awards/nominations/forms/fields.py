"""What the nomination forms share: story fields, e-mail filters, checkboxes, the honeypot."""
from flask_babel import LazyString, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from awards.core.addresses import normalise_email

EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@example.com")
STORY_LIMIT = 3000


class StoryLength:
    """Validator: a story of at most `STORY_LIMIT` characters. Longer text is never cut: the
    page keeps it and says how much to shorten it by."""

    def __init__(self, limit=STORY_LIMIT):
        self.limit = limit

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.limit:
            raise ValidationError(_(
                "Your answer is %(length)s characters: please shorten it by %(over)s",
                length=format_number(length), over=format_number(length - self.limit)))


def story_field(label, required, description):
    """A long answer in the person's own words, with its limit in the hint and data for the
    live count (static/js/character-count.js). No maxlength: a browser would cut a pasted
    answer silently instead of saying why."""
    hint = LazyString(lambda: " ".join((str(description), _(
        "Up to %(limit)s characters.", limit=format_number(STORY_LIMIT)))))
    return TextAreaField(
        label, description=hint,
        validators=[DataRequired(required), StoryLength()],
        render_kw={"maxlength": False, "data-character-limit": STORY_LIMIT,
                   "data-count-remaining": _l("Characters left: %(num)s"),
                   "data-count-over": _l("Too long: shorten it by %(num)s characters")})


def normalised_email(value):
    """Form filter: an e-mail address as it is stored (core.addresses.normalise_email)."""
    return normalise_email(value) if isinstance(value, str) else value


def optional_email(value):
    """Form filter: a normalised e-mail address, or None when none was given."""
    return normalised_email(value) or None


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (GOV.UK "checkboxes")."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class HoneypotMixin:
    """A field people never see or fill; bots that fill it are turned away."""

    website = StringField(_l("Leave this empty"), render_kw={"autocomplete": "off",
                                                             "tabindex": "-1"})

    def validate_website(self, field):
        if field.data:
            raise ValidationError(_l("Please leave this field empty."))
