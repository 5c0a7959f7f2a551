"""The newsletter's forms: subscribing (anyone, or a signed-in resident) and preferences."""
from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField
from wtforms.validators import DataRequired, Email, Length

from awards.core.forms import BaseForm
from awards.core.languages import current_language
from awards.core.security import safe_next_url
from awards.extensions import db
from awards.nominations.forms import (
    EMAIL_FORMAT,
    HoneypotMixin,
    MultiCheckboxField,
    normalised_email,
)
from awards.nominations.models import Area
from awards.nominations.queries import live_areas

DEFAULT_SOURCE = "/newsletter"


def consent_wording():
    """The sentence next to the subscribe button, in the current language: what a
    subscriber agrees to, stored word for word with their subscription."""
    return _("Send me the %(scheme)s newsletter by email: the winners’ stories and when "
             "nominations open. I can unsubscribe at any time with the link in every email.",
             scheme=current_app.config["SCHEME_NAME"])


def local_source(value):
    """Form filter: the page a form was on, a path on this site (at most 200 characters,
    no query), else the newsletter page itself."""
    path = safe_next_url(value if isinstance(value, str) else None, default=DEFAULT_SOURCE)
    path = urlsplit(path).path or DEFAULT_SOURCE
    return path[:200] if safe_next_url(path[:200], default=None) else DEFAULT_SOURCE


def areas_field():
    return MultiCheckboxField(
        _l("Which areas would you like news of?"), coerce=int,
        description=_l("Choose none to hear about every area."))


class AreasMixin:
    """The areas of interest: checkboxes of the scheme's current areas."""

    def set_area_choices(self):
        self.areas.choices = [(area.id, area.name) for area in live_areas()]
        return self

    def chosen_areas(self):
        """The chosen Area rows (only current ones can be chosen)."""
        ids = [i for i in (self.areas.data or []) if isinstance(i, int)]
        if not ids:
            return []
        return db.session.scalars(db.select(Area).where(
            Area.id.in_(ids), Area.archived_at.is_(None)).order_by(Area.name)).all()


class _ConsentMixin:
    """The language the page was shown in (a hidden field), so the stored wording is the
    sentence the person read."""

    locale = HiddenField()

    def shown_locale(self):
        code = self.locale.data
        return code if code in current_app.config["LANGUAGES"] else (
            current_language() or current_app.config["BABEL_DEFAULT_LOCALE"])

    def consent_arguments(self):
        locale = self.shown_locale()
        with force_locale(locale):
            wording = consent_wording()
        return {"consent_wording": wording, "locale": locale}


class SubscribeForm(HoneypotMixin, AreasMixin, _ConsentMixin, BaseForm):
    """Anyone asks for the newsletter; they confirm by e-mail."""

    email = EmailField(_l("Your email address"), filters=[normalised_email],
                       validators=[DataRequired(_l("Enter your email address")),
                                   Length(max=254), Email(EMAIL_FORMAT)],
                       description=_l("We send you a link to confirm your subscription."),
                       render_kw={"autocomplete": "email", "spellcheck": "false"})
    areas = areas_field()
    source = HiddenField(filters=[local_source])

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_area_choices()
        if not self.is_submitted() or kwargs.get("formdata", True) is None:
            self.source.data = local_source(source or request.path)
        if not self.locale.data:
            self.locale.data = str(get_locale() or "")

    def to_arguments(self):
        """`subscriptions.request_subscription`'s keyword arguments."""
        return {"email": self.email.data, "areas": self.chosen_areas(),
                "source": self.source.data or DEFAULT_SOURCE, **self.consent_arguments()}


class AccountSubscribeForm(AreasMixin, _ConsentMixin, BaseForm):
    """A signed-in resident subscribes their account's address."""

    areas = areas_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_area_choices()
        if not self.locale.data:
            self.locale.data = str(get_locale() or "")

    def to_arguments(self):
        """`subscriptions.subscribe_account`'s keyword arguments."""
        return {"areas": self.chosen_areas(), "source": "/account/profile",
                **self.consent_arguments()}


class AreasForm(AreasMixin, BaseForm):
    """A subscriber's areas of interest, on their preferences page."""

    areas = areas_field()

    def __init__(self, *args, subscriber=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_area_choices()
        if subscriber is not None and not self.is_submitted():
            self.areas.data = [area.id for area in subscriber.areas]

    def to_arguments(self):
        """`subscriptions.update_areas`'s keyword arguments."""
        return {"areas": self.chosen_areas()}
