"""Account forms; each owns its validation and help text."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from awards.core.forms import BaseForm, single_line

MIN_PASSWORD = 10

EMAIL_MESSAGE = _l("Enter an email address in the correct format, like name@example.com")


def _strip(value):
    """Drop spaces pasted around an address (the service lower-cases it)."""
    return value.strip() if isinstance(value, str) else value


def _email_field(label=_l("Email address")):
    return EmailField(
        label,
        filters=[_strip],
        validators=[DataRequired(_l("Enter your email address")), Length(max=254),
                    Email(EMAIL_MESSAGE)],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


def _new_password_field(label=_l("Create a password")):
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Enter a password")),
            Length(min=MIN_PASSWORD, max=200,
                   message=_l("Your password must be between %(min)d and 200 characters",
                              min=MIN_PASSWORD)),
        ],
        description=_l("At least %(min)d characters. A few unrelated words make a strong one.",
                       min=MIN_PASSWORD),
        render_kw={"autocomplete": "new-password"},
    )


def _confirm_field(field_name="password"):
    return PasswordField(
        _l("Type the password again"),
        validators=[DataRequired(_l("Type your password again")),
                    EqualTo(field_name, _l("The passwords do not match"))],
        render_kw={"autocomplete": "new-password"},
    )


class _NotYourEmail:
    """A password must not be the person's own email address or name."""

    def validate_password(self, field):
        email = (self.email.data or "").lower() if hasattr(self, "email") else ""
        if email and field.data and field.data.lower() in {email, email.split("@")[0]}:
            raise ValidationError(_l("Choose a password that is not your email address"))


class RegisterForm(_NotYourEmail, BaseForm):
    """Create an account."""

    name = StringField(
        _l("Your name"), filters=[single_line],
        validators=[DataRequired(_l("Enter your name")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = _email_field()
    password = _new_password_field()
    confirm = _confirm_field()

    def to_arguments(self):
        """`services.register_user`'s arguments."""
        return {"name": self.name.data, "email": self.email.data, "password": self.password.data}


class SignInForm(BaseForm):
    """Sign in with email and password."""

    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password"))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))

    def to_arguments(self):
        """`services.sign_in`'s arguments."""
        return {"email": self.email.data, "password": self.password.data}


class ForgotPasswordForm(BaseForm):
    """Ask for a password reset link."""

    email = _email_field()


class ResetPasswordForm(BaseForm):
    """Choose a new password from a reset link."""

    password = _new_password_field(_l("New password"))
    confirm = _confirm_field()


class ChangePasswordForm(BaseForm):
    """Change the password while signed in."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password"))],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field()

    def to_arguments(self):
        """`services.change_password`'s arguments after the user."""
        return {"current_password": self.current_password.data,
                "new_password": self.password.data}


class ProfileForm(BaseForm):
    """Edit the name and language shown to the user."""

    name = StringField(
        _l("Your name"), filters=[single_line],
        validators=[DataRequired(_l("Enter your name")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(
        _l("Language"),
        # Each language by its own name, as a reader of that language looks for it.
        choices=[SelectChoice("", _l("Use my browser's language")),
                 SelectChoice("en", "English", render_kw={"lang": "en"}),
                 SelectChoice("cy", "Cymraeg", render_kw={"lang": "cy"})],
        description=_l("The language of pages and emails."),
    )

    def to_arguments(self):
        """`services.update_profile`'s arguments after the user ("" is the browser's language)."""
        return {"name": self.name.data, "locale": self.locale.data or None}


class CodeForm(BaseForm):
    """A code from an authenticator app (or, where allowed, a recovery code)."""

    code = StringField(
        _l("Code"), filters=[_strip],
        validators=[DataRequired(_l("Enter the code")), Length(max=40)],
        description=_l("The 6-digit code your authenticator app shows now, or one of your "
                       "recovery codes."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false",
                   "autocapitalize": "none"},
    )


class AppCodeForm(CodeForm):
    """A code from the authenticator app only (setting it up, new recovery codes)."""

    code = StringField(
        _l("Code from the app"), filters=[_strip],
        validators=[DataRequired(_l("Enter the 6-digit code from your app")), Length(max=40)],
        description=_l("The 6-digit code your authenticator app shows now."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "spellcheck": "false"},
    )
