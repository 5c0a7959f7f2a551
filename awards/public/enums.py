"""The states of a thank-you message left on a winner's page."""
import enum

from flask_babel import lazy_gettext as _l


class ThanksStatus(enum.Enum):
    """A message waits for moderation, then is shown or turned down."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self):
        """The state in plain words."""
        return {"pending": _l("Waiting to be checked"), "approved": _l("Shown"),
                "rejected": _l("Not shown")}[self.value]


THANKS_TRANSITIONS = {
    ThanksStatus.PENDING: {ThanksStatus.APPROVED, ThanksStatus.REJECTED},
    ThanksStatus.APPROVED: {ThanksStatus.REJECTED},  # a moderator may take one down later
    ThanksStatus.REJECTED: {ThanksStatus.APPROVED},
}
