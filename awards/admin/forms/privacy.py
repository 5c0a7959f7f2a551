"""Forms of the data protection pages: whose data to export, whose to erase."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import DataRequired, Email, Length, ValidationError

from awards.core.addresses import normalise_email
from awards.core.forms import BaseForm, single_line

EMAIL_MESSAGE = _l("Enter an email address in the correct format, like name@example.com")


def _email(label, missing):
    return EmailField(label, filters=[single_line],
                      validators=[DataRequired(missing), Length(max=254), Email(EMAIL_MESSAGE)],
                      render_kw={"autocomplete": "off", "spellcheck": "false"})


def _thanks_name():
    return StringField(
        _l("Name they sign messages of thanks with"), filters=[single_line],
        validators=[Length(max=80)],
        description=_l("Messages of thanks carry a name, not an email address: give the "
                       "name exactly as they sign them to include those messages."))


class SubjectAccessForm(BaseForm):
    """Whose data to gather."""

    email = _email(_l("Their email address"), _l("Enter the email address of the person"))
    thanks_name = _thanks_name()

    def to_arguments(self):
        return {"email": self.email.data, "thanks_name": self.thanks_name.data or ""}


class ErasureForm(BaseForm):
    """Whose data to erase, with the address typed twice and the consequences accepted."""

    email = _email(_l("Their email address"), _l("Enter the email address of the person"))
    confirm_email = _email(_l("Type their email address again"),
                           _l("Type the email address again to confirm"))
    thanks_name = _thanks_name()
    understood = BooleanField(
        _l("I understand that this cannot be undone"),
        validators=[DataRequired(_l("Confirm that you understand this cannot be undone"))])

    def validate_confirm_email(self, field):
        if normalise_email(field.data) != normalise_email(self.email.data):
            raise ValidationError(_l("The two email addresses are not the same"))

    def to_arguments(self):
        return {"email": self.email.data, "confirmation": self.confirm_email.data,
                "thanks_name": self.thanks_name.data or ""}
