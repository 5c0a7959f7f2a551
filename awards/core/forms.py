"""Forms every feature uses."""
from flask_wtf import FlaskForm


class BaseForm(FlaskForm):
    """Every form of the site: Flask-WTF's, with its CSRF token written without an id. A page
    often holds several forms (the header's "Sign out", a row's button, the page's own), and
    an id must be unique on a page; nothing refers to the token's."""

    class Meta:
        def render_field(self, field, render_kw):
            """Write the field; the CSRF token without its id."""
            if field.type == "CSRFTokenField":
                render_kw = {**render_kw, "id": False}
            return super().render_field(field, render_kw)


class EmptyForm(BaseForm):
    """A confirm-only form, so every POST action (sign out, resend...) carries a CSRF token."""


def single_line(value):
    """Form filter: trim and fold runs of white space (a pasted name never spans lines)."""
    return " ".join(value.split()) if isinstance(value, str) else value


def yes_no(value):
    """Coerce a yes/no radio's value to True or False (None when it is neither)."""
    return {"yes": True, "no": False, True: True, False: False}.get(value)
