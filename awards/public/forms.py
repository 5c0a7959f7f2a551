"""The hall of fame's filters, and the thank-you message form."""
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import Form, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import Select

from awards.core.forms import BaseForm, single_line
from awards.nominations.forms import HoneypotMixin
from awards.public.queries import Filters

MESSAGE_LIMIT = 500
ANY = ("", _l("Any"))


class QuickSelect(Select):
    """WTForms' select, with plain options written directly: building each option's
    attributes (html_params) was a fifth of the hall of fame's rendering time."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        """The option as WTForms writes it (`selected` first), without the general path."""
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = " selected" if choice.selected else ""
        return Markup(f'<option{selected} value="{escape(choice.value)}">'
                      f'{escape(choice.label or choice.value)}</option>')


class HallOfFameForm(Form):
    """Filters and search, read from the query string (a GET form: no CSRF, nothing saved)."""

    q = StringField(_l("Search names and stories"), filters=[single_line],
                    validators=[Optional(), Length(max=100)])
    year = SelectField(_l("Year"), validators=[Optional()], widget=QuickSelect())
    area = SelectField(_l("Area"), validators=[Optional()], widget=QuickSelect())
    category = SelectField(_l("Award"), validators=[Optional()], widget=QuickSelect())

    def set_choices(self, years, areas, categories):
        """Offer only what has awards to show."""
        self.year.choices = [ANY, *((str(year), str(year)) for year in years)]
        self.area.choices = [ANY, *((str(area_id), name) for area_id, name in areas)]
        self.category.choices = [ANY, *categories]

    def validate(self, extra_validators=None):
        """Drop any value that is not on offer (an old link, a hand-edited address)."""
        valid = super().validate(extra_validators)
        for field in (self.year, self.area, self.category):
            if field.errors:
                field.data, field.errors = "", []
        if self.q.errors:
            self.q.data = (self.q.data or "")[:100]
        return valid

    def filters(self):
        """The chosen filters."""
        return Filters(year=int(self.year.data) if self.year.data else None,
                       area_id=int(self.area.data) if self.area.data else None,
                       category=self.category.data or None, query=self.q.data or "")

    def page_args(self):
        """The filters as query-string arguments, for the pagination links."""
        return {name: value for name, value in (
            ("q", self.q.data), ("year", self.year.data), ("area", self.area.data),
            ("category", self.category.data)) if value}


class ThankYouForm(HoneypotMixin, BaseForm):
    """A short message to a winner; their name is optional."""

    message = TextAreaField(
        _l("Your message"),
        # No maxlength: a browser would cut pasted text silently instead of saying why.
        render_kw={"maxlength": False},
        description=_l("Up to %(limit)s characters. We check every message before it appears.",
                       limit=MESSAGE_LIMIT),
        validators=[DataRequired(_l("Write your message")),
                    Length(max=MESSAGE_LIMIT, message=_l(
                        "Keep your message to %(limit)s characters or fewer",
                        limit=MESSAGE_LIMIT))])
    author_name = StringField(
        _l("Your name"), description=_l("Shown with your message. Leave it empty to stay "
                                         "anonymous."),
        filters=[single_line],
        validators=[Optional(), Length(max=80, message=_l("Keep your name to 80 characters "
                                                          "or fewer"))])
