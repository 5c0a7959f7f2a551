"""Admins' forms for judging: a panel and its options, inviting a member, a rubric's
criterion, and the confirmation before publishing a cycle's results."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from awards.core.forms import BaseForm, single_line
from awards.nominations.forms import EMAIL_FORMAT, MultiCheckboxField

MAX_REVIEWS = 20
MAX_WEIGHT = 100
ANCHOR_COUNT = 6  # one description for each point of the 0–5 scale
EVERYONE, SET_NUMBER = "everyone", "number"


class BlankIsNone:
    """A number field for which an empty box is "no answer" (data None, for the validators to
    name what is missing), not "not a number"."""

    def process_formdata(self, valuelist):
        if valuelist and not valuelist[0].strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class WholeNumberField(BlankIsNone, IntegerField):
    """An integer box; empty is None."""


class NumberField(BlankIsNone, DecimalField):
    """A decimal box; empty is None."""


class PanelForm(BaseForm):
    """A panel: its name, the categories it judges and its options."""

    name = StringField(_l("Name of the panel"), filters=[single_line],
                       validators=[DataRequired(_l("Enter a name for the panel")),
                                   Length(max=120)],
                       description=_l("For example: Main panel, or Young people's panel."))
    categories = MultiCheckboxField(
        _l("Which categories does it judge?"), coerce=int,
        description=_l("A category can be judged by one panel only."))
    blind = BooleanField(
        _l("Blind mode: hide nominee names and photos from members"),
        description=_l("Members see the story, area and category but not who it is about. "
                       "Chairs and admins still see names."))
    reviews = RadioField(
        _l("How many members review each nomination?"), default=EVERYONE,
        choices=[SelectChoice(EVERYONE, _l("Every member reviews every nomination")),
                 SelectChoice(SET_NUMBER, _l("A set number of members review each one"))],
        validators=[DataRequired(_l("Choose how many members review each nomination"))])
    reviews_per_nomination = WholeNumberField(
        _l("If a set number: how many members review each nomination?"),
        invalid_value_message=_l("Enter the number of reviews as a whole number from 1 to 20"),
        description=_l("From 1 to 20. Nominations are shared out evenly between members, and "
                       "never given to a member with a conflict of interest."),
        render_kw={"min": 1, "max": MAX_REVIEWS, "inputmode": "numeric"})
    eligibility_round = BooleanField(
        _l("Start with an eligibility round"),
        description=_l("Members first say whether each nomination meets the category's rules "
                       "(pass or fail); only those that pass are scored. This cannot be changed "
                       "once the panel is created."))

    def validate_categories(self, field):
        """At least one (checked here, not by DataRequired, which would mark every box
        "required")."""
        if not field.data:
            raise ValidationError(_l("Choose at least one category for the panel to judge"))

    def validate_reviews_per_nomination(self, field):
        """Needed, from 1 to 20, only when "a set number" is chosen."""
        if self.reviews.data != SET_NUMBER:
            field.errors[:] = []  # ignored: every member reviews everything
            return
        if field.process_errors:
            return
        if field.data is None:
            raise ValidationError(_l("Enter how many members review each nomination"))
        if not 1 <= field.data <= MAX_REVIEWS:
            raise ValidationError(_l("Enter a number of reviews from 1 to 20"))

    def offer_categories(self, choosable):
        """Offer the categories of (category, label) pairs as the boxes to tick."""
        self.offered = {category.id: category for category, _label in choosable}
        self.categories.choices = [SelectChoice(category.id, label)
                                   for category, label in choosable]

    def to_arguments(self):
        """`membership.save_panel`'s keyword arguments: its `values`, the ticked categories
        as the Category objects offered."""
        return {"values": {
            "name": self.name.data,
            "categories": [self.offered[category_id] for category_id in self.categories.data],
            "blind": self.blind.data,
            "reviews_per_nomination": (self.reviews_per_nomination.data
                                       if self.reviews.data == SET_NUMBER else None),
            # Only a new panel has the field: the round structure is fixed once made.
            "eligibility_round": bool(self.eligibility_round and self.eligibility_round.data),
        }}


class EditPanelForm(PanelForm):
    """A panel being changed: its round structure is fixed once made."""

    eligibility_round = None

    @classmethod
    def from_panel(cls, panel, **kwargs):
        """The form filled from the panel's saved name, categories and options."""
        return cls(data={
            "name": panel.name, "categories": sorted(panel.category_ids), "blind": panel.blind,
            "reviews": SET_NUMBER if panel.reviews_per_nomination else EVERYONE,
            "reviews_per_nomination": panel.reviews_per_nomination}, **kwargs)


class InviteMemberForm(BaseForm):
    """Invite someone to a panel by e-mail."""

    name = StringField(_l("Their name"), filters=[single_line],
                       validators=[DataRequired(_l("Enter their name")), Length(max=120)],
                       render_kw={"autocomplete": "off"})
    email = EmailField(
        _l("Their email address"), filters=[single_line],
        validators=[DataRequired(_l("Enter their email address")), Length(max=254),
                    Email(EMAIL_FORMAT)],
        description=_l("If they have no account yet, one is made and the invitation has a "
                       "link to choose a password."),
        render_kw={"autocomplete": "off", "spellcheck": "false"})
    chair = BooleanField(_l("Make them a chair of the panel"))


class CriterionForm(BaseForm):
    """One criterion of a category's rubric."""

    name = StringField(_l("Name"), filters=[single_line],
                       validators=[DataRequired(_l("Enter a name for the criterion")),
                                   Length(max=120)],
                       description=_l("For example: Difference to people's lives."))
    question = TextAreaField(
        _l("Guiding question"), validators=[Length(max=500)],
        description=_l("The question members answer with their score, for example “How much "
                       "better are people's lives because of what they do?”"))
    weight = NumberField(
        _l("Weight"), places=None,
        invalid_value_message=_l("Enter the weight as a number, like 1 or 1.5"),
        validators=[InputRequired(_l("Enter a weight"))],
        description=_l("How much this criterion counts compared with the others: a weight of "
                       "2 counts twice as much as 1."),
        render_kw={"inputmode": "decimal"})
    anchors = TextAreaField(
        _l("What each score means"),
        description=_l("One line for each point of the scale, from 0 at the top to 5 at the "
                       "bottom: exactly 6 lines. Or leave it empty."),
        render_kw={"rows": 7})

    def validate_weight(self, field):
        """A finite number above 0 (and not absurdly large)."""
        if field.data is None:
            return  # the "not a number" message is already there
        if not field.data.is_finite() or field.data <= 0:
            raise ValidationError(_l("Give a weight above 0"))
        if field.data > MAX_WEIGHT:
            raise ValidationError(_l("Give a weight of 100 or less"))

    def validate_anchors(self, field):
        """Exactly one description per point (blank lines are ignored), or none."""
        lines = self.anchor_lines()
        if lines and len(lines) != ANCHOR_COUNT:
            raise ValidationError(_l(
                "Write exactly 6 descriptions, one per line for the points 0 to 5 "
                "(you wrote %(n)d), or leave it empty", n=len(lines)))
        if any(len(line) > 300 for line in lines):
            raise ValidationError(_l("Keep each description under 300 characters"))

    def anchor_lines(self):
        """The non-empty lines of the anchors box, trimmed."""
        return [line.strip() for line in (self.anchors.data or "").splitlines() if line.strip()]

    def values(self):
        """The values rubric.save_criterion expects."""
        return {"name": self.name.data, "question": self.question.data or "",
                "weight": float(self.weight.data), "anchors": self.anchor_lines()}


class PublishForm(BaseForm):
    """The admin confirms they have checked what publishing will do."""

    confirm = BooleanField(
        _l("I have checked this list: publish the results and send these e-mails"),
        validators=[DataRequired(_l("Confirm that you have checked the list"))])
