"""Forms every feature uses."""
from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A confirm-only form, so every POST action (sign out, resend...) carries a CSRF token."""
