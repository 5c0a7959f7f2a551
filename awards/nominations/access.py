"""Who may see and manage a nomination: permission predicates the views and templates ask."""
from flask import abort, session
from flask_login import current_user

from awards.accounts.enums import Role
from awards.core.security import mark_private
from awards.nominations.queries import nomination_by_reference

SESSION_KEY = "nomination_access"


def grant_access(nomination):
    """Remember in this browser's session that it may manage `nomination` (from a link)."""
    granted = set(session.get(SESSION_KEY, []))
    granted.add(nomination.id)
    session[SESSION_KEY] = sorted(granted)[-50:]


def can_manage(nomination, user=None):
    """The nominator (account or link), the helper who entered it, or an admin."""
    user = user or current_user
    if nomination.id in session.get(SESSION_KEY, []):
        return True
    if not user.is_authenticated:
        return False
    return (nomination.nominator_id == user.id or user.has_role(Role.ADMIN)
            or (nomination.entered_by_id == user.id and user.has_role(Role.HELPER)))


def nomination_for_nominator(reference):
    """Load a nomination for its nominator, or answer 404/403."""
    nomination = nomination_by_reference(reference)
    if nomination is None:
        abort(404)
    if not can_manage(nomination):
        abort(403)
    mark_private()  # the nominator's page, perhaps opened through their link, not an account
    return nomination
