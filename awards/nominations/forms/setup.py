"""Setting up a scheme: cycles, categories and areas."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from awards.core.forms import BaseForm, single_line
from awards.nominations.services.setup import CATEGORY_FIELDS, CYCLE_FIELDS


class CycleForm(BaseForm):
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


class CopyCycleForm(BaseForm):
    """Start a new cycle from an old one."""

    name = StringField(_l("Name of the new cycle"), filters=[single_line],
                       validators=[DataRequired(_l("Enter a name")), Length(max=120)])


class CategoryForm(BaseForm):
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


class AreaForm(BaseForm):
    """A ward or village."""

    name = StringField(_l("Area name"), filters=[single_line],
                       validators=[DataRequired(_l("Enter the area's name")), Length(max=100)])
