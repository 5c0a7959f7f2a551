"""The one way a view applies a change: call a service, commit once, show a refusal.

After the commit the app's post-commit hooks run (see `awards.core.hooks`): outbox delivery,
the public page cache, share images. A view never calls `db.session.commit()` itself
(tests/core/test_house.py checks every view module).
"""
from typing import Any, NamedTuple

from flask import flash

from awards.core.services import ServiceError
from awards.extensions import db


class Applied(NamedTuple):
    """What `apply_change` did: true when the change was committed, with its result."""

    ok: bool
    value: Any = None

    def __bool__(self):
        return self.ok


def apply_change(change, *, errors=None, success=None):
    """Call `change()` and commit once, returning Applied(True, its result); flash `success`.

    If the rules refuse the change (a ServiceError), roll back and show the message: in
    `errors` (a form, whose form-level errors it joins, or a field's error list), or flashed
    as an error when there is nowhere to put it. Returns Applied(False).
    """
    try:
        result = change()
    except ServiceError as error:
        db.session.rollback()
        _report(str(error), errors)
        return Applied(False)
    db.session.commit()
    if success:
        flash(success, "success")
    return Applied(True, result)


def _report(message, errors):
    if errors is None:
        flash(message, "error")
    elif hasattr(errors, "form_errors"):
        errors.form_errors.append(message)
    else:
        errors.append(message)
