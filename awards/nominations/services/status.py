"""The one place a nomination changes status."""
from flask_babel import gettext as _

from awards.core.audit import record
from awards.core.db import utcnow
from awards.nominations.enums import TRANSITIONS, NominationStatus
from awards.nominations.services import NominationError


class IllegalTransition(NominationError):
    """A status change the state machine does not allow."""


def change_status(nomination, to, *, actor=None, **details):
    """Move `nomination` to status `to`, or raise IllegalTransition; the change is audited."""
    to = NominationStatus(to)
    before = nomination.status
    if to not in TRANSITIONS[before]:
        raise IllegalTransition(_(
            "A nomination that is %(before)s cannot become %(after)s.",
            before=str(before.label).lower(), after=str(to.label).lower()))
    nomination.status = to
    if to is NominationStatus.SUBMITTED:
        nomination.submitted_at = utcnow()
    if to is NominationStatus.WITHDRAWN:
        nomination.withdrawn_at = utcnow()
    record("nomination.status_changed", nomination, actor=actor, from_state=before, to_state=to,
           reference=nomination.reference, **details)
