"""Roles a user can hold (several at once); everyone is a resident."""
from flask_babel import lazy_gettext as _l

from awards.core.enums import LabelledEnum


class Role(LabelledEnum):
    """A role that grants access to a part of the site."""

    RESIDENT = "resident", _l("Resident")
    PANEL_MEMBER = "panel_member", _l("Panel member")
    HELPER = "helper", _l("Helper")
    ADMIN = "admin", _l("Admin")
