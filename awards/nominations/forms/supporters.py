"""What supporters write, from an invitation or the shared link."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
)

from awards.core.forms import BaseForm, single_line
from awards.nominations.forms.fields import EMAIL_FORMAT, HoneypotMixin, StoryLength


class StatementForm(BaseForm):
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
