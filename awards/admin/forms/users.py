"""Forms of the users and roles pages."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from awards.accounts.enums import Role
from awards.accounts.roles import GRANTABLE
from awards.core.forms import BaseForm
from awards.nominations.forms import MultiCheckboxField


def _role(value):
    """A posted value as a Role, or None for anything else (refused by the form)."""
    if isinstance(value, Role):
        return value
    try:
        return Role(value)
    except ValueError:
        return None


class RolesForm(BaseForm):
    """The roles an admin gives: admin, helper (panel places are given on the panel)."""

    roles = MultiCheckboxField(
        _l("Roles"), choices=Role.choices(GRANTABLE), coerce=lambda value: _role(value),
        validate_choice=False,
        description=_l("Everyone with an account is a resident. Admins run the scheme; "
                       "helpers enter nominations received on paper or by phone."))

    def validate_roles(self, field):
        if any(role not in GRANTABLE for role in field.data or []):
            raise ValidationError(_l("Choose roles from the list."))

    @classmethod
    def from_user(cls, user, **kwargs):
        """The form ticked with the roles `user` holds."""
        return cls(roles=[role for role in GRANTABLE if user.has_role(role)], **kwargs)

    def to_arguments(self):
        """`roles.set_roles`' arguments after the user."""
        return {"roles": list(self.roles.data or [])}
