"""The states of a thank-you message left on a winner's page."""
from flask_babel import lazy_gettext as _l

from awards.core.enums import LabelledEnum


class ThanksStatus(LabelledEnum):
    """A message waits for moderation, then is shown or turned down."""

    PENDING = "pending", _l("Waiting to be checked")
    APPROVED = "approved", _l("Shown")
    REJECTED = "rejected", _l("Not shown")


THANKS_TRANSITIONS = {
    ThanksStatus.PENDING: {ThanksStatus.APPROVED, ThanksStatus.REJECTED},
    ThanksStatus.APPROVED: {ThanksStatus.REJECTED},  # a moderator may take one down later
    ThanksStatus.REJECTED: {ThanksStatus.APPROVED},
}
