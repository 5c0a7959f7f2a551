"""Forms every feature uses."""
from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A confirm-only form, so every POST action (sign out, resend...) carries a CSRF token."""


def single_line(value):
    """Form filter: trim and fold runs of white space (a pasted name never spans lines)."""
    return " ".join(value.split()) if isinstance(value, str) else value


def yes_no(value):
    """Coerce a yes/no radio's value to True or False (None when it is neither)."""
    return {"yes": True, "no": False, True: True, False: False}.get(value)
