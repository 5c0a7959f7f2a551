"""Roles a user can hold (several at once); everyone is a resident."""
import enum


class Role(enum.Enum):
    """A role that grants access to a part of the site."""

    RESIDENT = "resident"
    PANEL_MEMBER = "panel_member"
    HELPER = "helper"
    ADMIN = "admin"

    @property
    def label(self):
        """The role's name for people."""
        return self.value.replace("_", " ").capitalize()
