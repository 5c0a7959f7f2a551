"""The admin's forms for writing and sending an issue."""
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from awards.core.forms import BaseForm, single_line
from awards.nominations.forms.fields import MultiCheckboxField

MAX_INTRODUCTION = 5000
# A "word" longer than this (a pasted address) could not be wrapped under the 998-character
# limit on a line of e-mail.
MAX_WORD = 400


class IssueForm(BaseForm):
    """A draft's subject, introduction, featured stories and audience."""

    subject = StringField(_l("Subject"), filters=[single_line],
                          validators=[DataRequired(_l("Enter a subject")), Length(max=150)],
                          description=_l("What people see in their inbox. Keep it short."))
    introduction = TextAreaField(
        _l("Introduction"), validators=[Length(max=MAX_INTRODUCTION)],
        description=_l("A few words before the stories. You can use Markdown: *italic*, "
                       "**bold**, [a link](https://example.org), and lists starting with -."),
        render_kw={"rows": 8, "data-character-limit": MAX_INTRODUCTION})
    stories = MultiCheckboxField(
        _l("Featured stories"), coerce=int, validate_choice=False,
        description=_l("Only winners who agreed to be in the newsletter are listed. Each is "
                       "shown as they allowed on the website."))
    areas = MultiCheckboxField(
        _l("Who gets it"), coerce=int, validate_choice=False,
        description=_l("Leave every area unticked to send it to everyone. People who did "
                       "not choose any area get every issue."))

    def __init__(self, *args, awards=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stories.choices = [SelectChoice(award.id, _story_label(award)) for award in awards]
        self.areas.choices = [SelectChoice(area.id, area.name) for area in areas]

    def validate_introduction(self, field):
        if any(len(word) > MAX_WORD for word in (field.data or "").split()):
            raise ValidationError(_l("Shorten the longest word or address in the "
                                     "introduction to under %(number)d characters.",
                                     number=MAX_WORD))

    def validate_stories(self, field):
        if any(value not in _offered(field) for value in field.data or []):
            raise ValidationError(_l("Choose from the stories listed."))

    def validate_areas(self, field):
        if any(value not in _offered(field) for value in field.data or []):
            raise ValidationError(_l("Choose from the areas listed."))

    def to_arguments(self):
        return {"subject": self.subject.data, "introduction": self.introduction.data or "",
                "award_ids": list(self.stories.data or []),
                "area_ids": list(self.areas.data or [])}


def _offered(field):
    return {choice.value for choice in field.choices}


def _story_label(award):
    return _l("%(name)s: %(outcome)s, %(category)s, %(cycle)s", name=award.display_name,
              outcome=award.outcome.label, category=award.category.name,
              cycle=award.cycle.name)


class SendForm(BaseForm):
    """Send now or at a time; the second step (confirmed) says how many people."""

    when = RadioField(_l("When should it go?"), default="now",
                      choices=[SelectChoice("now", _l("Now")),
                               SelectChoice("later", _l("At a time I choose"))],
                      validators=[DataRequired(_l("Choose when to send it"))])
    send_at = DateTimeLocalField(
        _l("Date and time"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
        description=_l("Only if you chose a time. For example, 2027-01-15 09:30."))
    confirmed = HiddenField(default="")

    def validate_send_at(self, field):
        if self.when.data == "later" and field.data is None:
            raise ValidationError(_l("Enter the date and time to send it"))

    @property
    def is_confirmed(self):
        """Whether this is the confirmation step's answer."""
        return self.confirmed.data == "yes"

    def scheduled_for(self):
        """The chosen time, read in the scheme's time zone, as an aware datetime (or None
        to send now)."""
        if self.when.data != "later" or self.send_at.data is None:
            return None
        zone = ZoneInfo(current_app.config["TIMEZONE"])
        return datetime.combine(self.send_at.data.date(), self.send_at.data.time(), zone)
