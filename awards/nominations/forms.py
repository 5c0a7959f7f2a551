"""Nomination forms: one per step of the journey, plus supporter and consent forms."""
from flask import request
from flask_babel import LazyString, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
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
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from awards.core.addresses import normalise_email
from awards.core.forms import single_line, yes_no
from awards.nominations import queries
from awards.nominations.enums import (
    ANSWERS,
    ASSISTED,
    AgeBand,
    ConsentStatus,
    HowLong,
    NameDisplay,
    NominationStatus,
    NomineeKind,
    ReceivedVia,
    Recognition,
)
from awards.nominations.services.setup import CATEGORY_FIELDS, CYCLE_FIELDS

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


class StartForm(HoneypotMixin, FlaskForm):
    """Start a nomination; the token makes a double post create one draft."""

    start_token = HiddenField()


class StepForm(FlaskForm):
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


class SubmitForm(HoneypotMixin, FlaskForm):
    """Send the nomination."""


class WithdrawForm(FlaskForm):
    """Withdraw a nomination."""

    reason = TextAreaField(_l("Why are you withdrawing it?"),
                           validators=[Optional(), Length(max=500)])

    def to_arguments(self):
        """`services.journey.withdraw_nomination`'s keyword arguments (after the actor)."""
        return {"reason": self.reason.data or ""}


class InviteSupporterForm(FlaskForm):
    """Invite a supporter by e-mail."""

    email = EmailField(_l("Supporter's email address"),
                       validators=[DataRequired(_l("Enter the supporter's email address")),
                                   Length(max=254), Email(EMAIL_FORMAT)])


class StatementForm(FlaskForm):
    """A supporter's statement."""

    name = StringField(_l("Your name"), filters=[single_line],
                       validators=[DataRequired(_l("Enter your name")), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    relationship = StringField(_l("How do you know them?"), filters=[single_line],
                               validators=[DataRequired(_l("Tell us how you know them")),
                                           Length(max=200)])
    statement = TextAreaField(
        _l("What difference have they made to you or others?"),
        validators=[DataRequired(_l("Tell us what difference they have made")),
                    StoryLength()],
        render_kw={"maxlength": False},
        description=_l("In your own words. The nominator will not see what you write."))

    @classmethod
    def from_supporter(cls, supporter, **kwargs):
        """The form filled with the supporter's saved statement."""
        return cls(data={"name": supporter.name,
                         "relationship": supporter.relationship_to_nominee,
                         "statement": supporter.statement}, **kwargs)

    def to_arguments(self):
        """`supporters.add_statement`'s keyword arguments."""
        return {"name": self.name.data, "relationship": self.relationship.data,
                "statement": self.statement.data}


class JoinStatementForm(HoneypotMixin, StatementForm):
    """A statement from someone with a shared link (must confirm their e-mail)."""

    email = EmailField(_l("Your email address"),
                       validators=[DataRequired(_l("Enter your email address")),
                                   Length(max=254), Email(EMAIL_FORMAT)],
                       description=_l("We send you a link to confirm it; your statement "
                                      "counts once you do."),
                       render_kw={"autocomplete": "email"})

    def to_arguments(self):
        """`supporters.join_as_supporter`'s keyword arguments."""
        return {**super().to_arguments(), "email": self.email.data}


class ConsentForm(FlaskForm):
    """The nominee's answer and choices."""

    decision = RadioField(
        _l("Would you like to be considered for an award?"), coerce=ConsentStatus,
        choices=ConsentStatus.choices(ANSWERS),
        validators=[DataRequired(_l("Choose yes or no"))])
    name_display = RadioField(
        _l("If you win, how should your name appear?"), default=NameDisplay.FIRST_INITIAL,
        coerce=NameDisplay, choices=NameDisplay.choices(),
        validators=[Optional()])
    publish_story = BooleanField(_l("My story may be published"))
    publish_photo = BooleanField(_l("My photo may be published"))
    publish_area = BooleanField(_l("The area where I help may be shown"))
    in_newsletter = BooleanField(_l("I may appear in the awards newsletter"))
    recognition = MultiCheckboxField(
        _l("How would you like to be recognised? Choose any."),
        choices=Recognition.choices(), coerce=Recognition, validators=[Optional()])
    support_needed = TextAreaField(
        _l("What support would help you do more?"),
        validators=[Optional(), Length(max=2000)],
        description=_l("We only ever report answers to this question added together, "
                       "never with your name."))
    guardian_name = StringField(_l("Your name (parent or guardian)"), filters=[single_line],
                                validators=[Optional(), Length(max=120)])

    def validate_name_display(self, field):
        if self.decision.data is ConsentStatus.ACCEPTED and not isinstance(field.data,
                                                                           NameDisplay):
            raise ValidationError(_l("Choose how your name should appear"))

    @classmethod
    def from_consent(cls, consent, **kwargs):
        """The form filled with the saved answer (no decision while none has been given)."""
        answered = consent.status in ANSWERS
        return cls(data={
            "decision": consent.status if answered else None,
            "name_display": consent.name_display,
            "publish_story": consent.publish_story, "publish_photo": consent.publish_photo,
            "publish_area": consent.publish_area, "in_newsletter": consent.in_newsletter,
            "recognition": consent.recognition, "support_needed": consent.support_needed,
            "guardian_name": consent.guardian_name,
        }, **kwargs)

    def to_arguments(self):
        """`save_consent`'s keyword arguments (after the nomination)."""
        return dict(
            status=self.decision.data, name_display=self.name_display.data
            or NameDisplay.FIRST_INITIAL,
            publish_photo=self.publish_photo.data, publish_story=self.publish_story.data,
            publish_area=self.publish_area.data, in_newsletter=self.in_newsletter.data,
            recognition=self.recognition.data or [], support_needed=self.support_needed.data,
            guardian_name=self.guardian_name.data,
        )


class RecordConsentForm(ConsentForm):
    """Consent gathered in person or on paper, recorded by an admin or helper."""

    recorded_how = StringField(
        _l("How was consent given?"),
        validators=[DataRequired(_l("Say how consent was given")), Length(max=200)],
        description=_l("For example: “paper form signed 3 March, filed in the office”."))

    def to_arguments(self):
        """`save_consent`'s keyword arguments, with how consent was given (the view adds
        who recorded it)."""
        return {**super().to_arguments(), "recorded_how": self.recorded_how.data}


class CycleForm(FlaskForm):
    """An award cycle and its dates."""

    name = StringField(_l("Name"), filters=[single_line],
                       validators=[DataRequired(_l("Enter a name")), Length(max=120)],
                       description=_l("For example: Big Citizen Awards 2027"))
    slug = StringField(_l("Web address name"), validators=[Optional(), Length(max=80)],
                       description=_l("Letters, numbers and hyphens. Made from the name if empty."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=3000)])
    nominations_open = DateField(_l("Nominations open"),
                                 validators=[DataRequired(_l("Enter the date nominations open"))])
    nominations_close = DateField(_l("Nominations close (last day)"),
                                  validators=[DataRequired(_l("Enter the date nominations close"))])
    judging_ends = DateField(_l("Judging ends"),
                             validators=[DataRequired(_l("Enter the date judging ends"))])
    announcement = DateField(_l("Announcement"),
                             validators=[DataRequired(_l("Enter the announcement date"))])

    def to_arguments(self):
        """`setup.save_cycle`'s data: the cycle's fields by name."""
        return {name: self[name].data for name in CYCLE_FIELDS}


class CopyCycleForm(FlaskForm):
    """Start a new cycle from an old one."""

    name = StringField(_l("Name of the new cycle"), filters=[single_line],
                       validators=[DataRequired(_l("Enter a name")), Length(max=120)])


class CategoryForm(FlaskForm):
    """An award category."""

    name = StringField(_l("Name"), filters=[single_line],
                       validators=[DataRequired(_l("Enter a name")), Length(max=120)])
    slug = StringField(_l("Web address name"), validators=[Optional(), Length(max=80)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    eligibility = TextAreaField(_l("Who is eligible"), validators=[Optional(), Length(max=2000)],
                                description=_l("In plain words, shown to nominators."))
    allows_self_nomination = BooleanField(_l("People may nominate themselves"))
    allows_groups = BooleanField(_l("Groups may be nominated"))
    min_supporters = IntegerField(_l("Supporting statements needed"), default=1,
                                  validators=[InputRequired(_l("Enter a number")),
                                              NumberRange(0, 10,
                                                          _l("Enter a number from 0 to 10"))])
    min_age = IntegerField(_l("Minimum age"),
                           validators=[Optional(),
                                       NumberRange(0, 120, _l("Enter an age from 0 to 120"))])
    max_age = IntegerField(_l("Maximum age"),
                           validators=[Optional(),
                                       NumberRange(0, 120, _l("Enter an age from 0 to 120"))],
                           description=_l("For a young people's award, for example 25."))
    position = IntegerField(_l("Order on the page"), default=0,
                            validators=[Optional(), NumberRange(0, 999)])

    def to_arguments(self):
        """`setup.save_category`'s data: the category's fields by name."""
        return {name: self[name].data for name in CATEGORY_FIELDS}


class AreaForm(FlaskForm):
    """A ward or village."""

    name = StringField(_l("Area name"), filters=[single_line],
                       validators=[DataRequired(_l("Enter the area's name")), Length(max=100)])


class ModerationForm(FlaskForm):
    """An admin's decision on a submitted nomination."""

    decision = RadioField(_l("Decision"), coerce=NominationStatus, choices=[
        SelectChoice(NominationStatus.ELIGIBLE.value, _l("Eligible: it goes forward")),
        SelectChoice(NominationStatus.INELIGIBLE.value,
                     _l("Not eligible (the nominator is told why)")),
        SelectChoice(NominationStatus.DUPLICATE.value,
                     _l("Duplicate of another nomination (supporters are merged)")),
        SelectChoice(NominationStatus.SPAM.value, _l("Spam (hidden, nobody is emailed)")),
    ], validators=[DataRequired(_l("Choose a decision"))])
    # No Optional() on these two: it would stop the chain before validate_reason and
    # validate_duplicate_of, which make them required for their decision.
    reason = TextAreaField(_l("Reason for the nominator (for “not eligible”)"),
                           validators=[Length(max=1000)],
                           description=_l("Be kind: the nominator will read this."))
    duplicate_of = StringField(_l("Reference of the nomination to keep (for “duplicate”)"),
                               validators=[Length(max=12)])

    def validate_reason(self, field):
        if self.decision.data is NominationStatus.INELIGIBLE and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason: the nominator will read it"))

    def validate_duplicate_of(self, field):
        if self.decision.data is NominationStatus.DUPLICATE and not (field.data or "").strip():
            raise ValidationError(_l("Enter the reference of the nomination to keep"))

    def to_arguments(self):
        """`moderation.decide`'s keyword arguments (after the nomination): the reason of
        "not eligible", the reference to keep of "duplicate"."""
        arguments = {"decision": self.decision.data}
        if self.decision.data is NominationStatus.INELIGIBLE:
            arguments["reason"] = self.reason.data
        elif self.decision.data is NominationStatus.DUPLICATE:
            arguments["keep_reference"] = self.duplicate_of.data
        return arguments


class AssistedStartForm(FlaskForm):
    """A helper starts a nomination taken on paper or by phone."""

    cycle_id = SelectField(_l("Awards"), coerce=int,
                           validators=[DataRequired(_l("Choose the awards"))])
    received_via = RadioField(
        _l("How was it received?"), coerce=ReceivedVia, choices=ReceivedVia.choices(ASSISTED),
        validators=[DataRequired(_l("Choose how it was received"))])
