"""Roles a user can hold (several at once); everyone is a resident."""
import enum

from flask_babel import lazy_gettext as _l


class Role(enum.Enum):
    """A role that grants access to a part of the site."""

    RESIDENT = "resident"
    PANEL_MEMBER = "panel_member"
    HELPER = "helper"
    ADMIN = "admin"

    @property
    def label(self):
        """The role's name for people."""
        return {"resident": _l("Resident"), "panel_member": _l("Panel member"),
                "helper": _l("Helper"), "admin": _l("Admin")}[self.value]
