"""What every feature's services share: the error for a refused change, and the one way a
view applies a change (commit on success; on refusal roll back and show the message)."""
from typing import Any, NamedTuple

from awards.extensions import db


class ServiceError(Exception):
    """A change the rules do not allow, with a message for the person."""


class Outcome(NamedTuple):
    """What commit_or_report did: true when the change was committed, with its result."""

    ok: bool
    value: Any = None

    def __bool__(self):
        return self.ok


def commit_or_report(errors, change):
    """Call `change()` and commit, returning Outcome(True, its result). If the rules refuse
    it, roll back, add the message to `errors` (a form's or a field's list): Outcome(False)."""
    try:
        result = change()
    except ServiceError as error:
        db.session.rollback()
        errors.append(str(error))
        return Outcome(False)
    db.session.commit()
    return Outcome(True, result)
