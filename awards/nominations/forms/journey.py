"""The nomination journey's forms: start, one per step, send, withdraw, invite a supporter."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
)

from awards.core.forms import BaseForm, single_line, yes_no
from awards.nominations import queries
from awards.nominations.enums import (
    AgeBand,
    HowLong,
    NomineeKind,
)
from awards.nominations.forms.fields import (
    EMAIL_FORMAT,
    HoneypotMixin,
    StoryLength,
    normalised_email,
    optional_email,
    story_field,
)


class StartForm(HoneypotMixin, BaseForm):
    """Start a nomination; the token makes a double post create one draft."""

    start_token = HiddenField()


class StepForm(BaseForm):
    """One page of the nomination journey. `step` is its slug in the journey's order
    (`services.journey.STEPS`), `title` its page title; its fields are the nomination's
    answers of the same names, unless a step says otherwise."""

    step = title = None
    by_step = {}  # step slug → its form class

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            StepForm.by_step[cls.step] = cls

    def __init__(self, *args, nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.nomination = nomination

    @classmethod
    def answer_names(cls):
        """The names of the fields that hold the step's answers."""
        return sorted(name for name in dir(cls)
                      if isinstance(getattr(cls, name, None), UnboundField))

    @classmethod
    def answers(cls, nomination):
        """The nomination's saved answers to this step, by field name."""
        return {name: getattr(nomination, name) for name in cls.answer_names()}

    @classmethod
    def from_nomination(cls, nomination):
        """The step's form for a nomination: what was just posted, else its saved answers."""
        if request.method == "POST":
            return cls(nomination=nomination)
        return cls(nomination=nomination, data=cls.answers(nomination))

    def to_arguments(self):
        """The answers, as `services.journey.save_step` takes them (field name → value)."""
        return {name: self[name].data for name in self.answer_names()}

    def answers_to_keep(self):
        """For "save and come back later" (after `validate()`): the answers that passed their
        checks and are not empty. Invalid or empty ones leave the saved answer as it was."""
        return {name: value for name, value in self.to_arguments().items()
                if not self[name].errors and value not in (None, "")}


class CategoryStepForm(StepForm):
    """Which award."""

    step, title = "category", _l("Which award")

    category_id = RadioField(_l("Which award are you nominating them for?"), coerce=int,
                             validators=[DataRequired(_l("Choose an award"))])

    def __init__(self, *args, nomination, **kwargs):
        super().__init__(*args, nomination=nomination, **kwargs)
        categories = nomination.cycle.live_categories
        self.category_id.choices = [SelectChoice(c.id, c.name) for c in categories]
        # Each award's description and who may be nominated, shown with its radio.
        self.category_id.option_hints = {
            c.id: [part for part in (c.description, c.eligibility) if part]
            for c in categories}


class NomineeStepForm(StepForm):
    """Who is being nominated."""

    step, title = "nominee", _l("Who you are nominating")

    nominee_kind = RadioField(
        _l("Are you nominating a person or a group?"), default=NomineeKind.PERSON,
        coerce=NomineeKind, choices=NomineeKind.choices(),
        validators=[DataRequired(_l("Choose a person or a group"))])
    nominee_name = StringField(
        _l("Their name"), filters=[single_line],
        validators=[DataRequired(_l("Enter their name")), Length(max=120)],
        description=_l("The name people know them by. For a group, the group's name."))
    area_id = SelectField(_l("Where do they help?"), coerce=int,
                          validators=[DataRequired(_l("Choose the area where they help"))])
    age_band = RadioField(
        _l("How old are they?"), choices=AgeBand.choices(), coerce=AgeBand,
        validators=[DataRequired(_l("Choose their age group"))],
        description=_l("For a group, choose the age of most of its members. We ask a parent "
                       "or guardian for consent for anyone under 18."))
    nominee_email = EmailField(
        _l("Their email address, if you know it"), filters=[optional_email],
        validators=[Optional(), Length(max=254), Email(EMAIL_FORMAT)],
        description=_l("We use it only to ask whether they want to take part. For someone "
                       "under 18, give a parent's or guardian's email address."))
    nominee_phone = TelField(_l("Their phone number, if you know it"),
                             validators=[Optional(), Length(max=40)])

    def __init__(self, *args, nomination, **kwargs):
        super().__init__(*args, nomination=nomination, **kwargs)
        self.area_id.choices = [SelectChoice(0, _l("Choose an area"))] + [
            SelectChoice(a.id, a.name) for a in queries.live_areas()]

    def to_arguments(self):
        return {**super().to_arguments(), "area_id": self.area_id.data or None}


class WhatStepForm(StepForm):
    """What they do."""

    step, title = "what-they-do", _l("What they do")

    what_they_do = story_field(
        _l("What do they do?"), _l("Tell us what they do"),
        _l("In your own words: what they do, and for whom. A few sentences is enough."))


class DifferenceStepForm(StepForm):
    """The difference it makes, in the words of the people helped."""

    step, title = "difference", _l("The difference they make")

    who_benefits = TextAreaField(
        _l("Who benefits?"),
        validators=[DataRequired(_l("Tell us who benefits")), StoryLength()],
        render_kw={"maxlength": False},
        description=_l("For example: older neighbours on our street, children at the "
                       "youth club, everyone who uses the park."))
    difference_made = story_field(
        _l("What has changed for them?"), _l("Tell us what has changed for the people they help"),
        _l("Tell it as the people helped would. What is different in their lives? A story or "
           "something someone said is worth more than a list of roles."))


class HowLongStepForm(StepForm):
    """How long they have been doing it."""

    step, title = "how-long", _l("How long")

    how_long = RadioField(_l("How long have they been doing this?"),
                          choices=HowLong.choices(), coerce=HowLong,
                          validators=[DataRequired(_l("Choose how long"))])


class PhotoStepForm(StepForm):
    """An optional photo: a new one, or a new description of the one there."""

    step, title = "photo", _l("A photo")

    photo = FileField(_l("Upload a photo"),
                      description=_l("A JPG, PNG or WebP image, up to 10 MB. Only add a photo "
                                     "you have permission to share. We remove location and "
                                     "camera details."),
                      render_kw={"accept": "image/jpeg,image/png,image/webp"})
    alt_text = StringField(_l("Describe the photo in a few words"),
                           validators=[Optional(), Length(max=250)],
                           description=_l("For people who cannot see it, for example "
                                          "“Maria planting bulbs in the community garden”."))

    @classmethod
    def answers(cls, nomination):
        """The description of the photo there, so that "Continue" keeps it."""
        return {"alt_text": nomination.photo.alt_text} if nomination.photo else {}

    def answers_to_keep(self):
        # A photo is saved only with the whole step valid (services.photos.save_photo).
        return {}

    def to_arguments(self):
        """`services.photos.save_photo`'s arguments: the uploaded file (None if none was
        chosen) and the description."""
        upload = self.photo.data
        return {"upload": upload.stream if upload and getattr(upload, "filename", "") else None,
                "alt_text": self.alt_text.data}


NOMINATOR_EMAIL_REQUIRED = [DataRequired(_l("Enter your email address")), Length(max=254),
                            Email(EMAIL_FORMAT)]
NOMINATOR_EMAIL_OPTIONAL = [Optional(), Length(max=254), Email(EMAIL_FORMAT)]


class AboutYouStepForm(StepForm):
    """The nominator. When a helper entered the nomination, the nominator may have given
    no e-mail address (`email_optional`)."""

    step, title = "about-you", _l("About you")

    nominator_name = StringField(_l("Your name"), filters=[single_line],
                                 validators=[DataRequired(_l("Enter your name")),
                                             Length(max=120)],
                                 render_kw={"autocomplete": "name"})
    nominator_email = EmailField(
        _l("Your email address"), filters=[normalised_email],
        validators=NOMINATOR_EMAIL_REQUIRED,
        description=_l("We send you a link to confirm it and to follow the nomination."),
        render_kw={"autocomplete": "email", "spellcheck": "false"})
    nominator_relationship = StringField(
        _l("How do you know them?"), filters=[single_line],
        validators=[DataRequired(_l("Tell us how you know them")), Length(max=200)],
        description=_l("For example: neighbour, I go to their club, we volunteer together."))
    nominator_may_be_named = RadioField(
        _l("May we tell them you nominated them?"), coerce=yes_no,
        choices=[SelectChoice("yes", _l("Yes, you can tell them it was me")),
                 SelectChoice("no", _l("No, keep my name private"))],
        validators=[InputRequired(_l("Choose whether we may tell them"))])

    def __init__(self, *args, nomination, email_optional=None, **kwargs):
        super().__init__(*args, nomination=nomination, **kwargs)
        if email_optional is None:  # entered by a helper
            email_optional = nomination.entered_by_id is not None
        if email_optional:
            self.nominator_email.validators = NOMINATOR_EMAIL_OPTIONAL
            self.nominator_email.flags.required = False

    @classmethod
    def answers(cls, nomination):
        answers = super().answers(nomination)
        if not nomination.nominator_name:  # not answered yet: no choice made
            answers["nominator_may_be_named"] = None
        return answers

    def to_arguments(self):
        # May be empty (entered by a helper), never NULL.
        return {**super().to_arguments(), "nominator_email": self.nominator_email.data or ""}


class SubmitForm(HoneypotMixin, BaseForm):
    """Send the nomination."""


class WithdrawForm(BaseForm):
    """Withdraw a nomination."""

    reason = TextAreaField(_l("Why are you withdrawing it?"),
                           validators=[Optional(), Length(max=500)])

    def to_arguments(self):
        """`services.journey.withdraw_nomination`'s keyword arguments (after the actor)."""
        return {"reason": self.reason.data or ""}


class InviteSupporterForm(BaseForm):
    """Invite a supporter by e-mail."""

    email = EmailField(_l("Supporter's email address"),
                       validators=[DataRequired(_l("Enter the supporter's email address")),
                                   Length(max=254), Email(EMAIL_FORMAT)])
