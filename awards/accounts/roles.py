"""An admin's changes to other people's accounts: the roles they hold, and whether the
account is open. The scheme always keeps one active admin. Each function records an audit
event and flushes; the caller commits."""
from flask_babel import gettext as _

from awards.accounts.enums import Role
from awards.accounts.models import new_session_token
from awards.accounts.queries import active_admin_count
from awards.accounts.services import RESET, AccountError, grant_role, revoke_role
from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.tokens import revoke_tokens
from awards.extensions import db

# The roles an admin grants here; a place on a panel is given on the panel's page.
GRANTABLE = (Role.ADMIN, Role.HELPER)


def _is_last_admin(user):
    return user.is_admin and user.is_active and active_admin_count() <= 1


def _last_admin_error(user, actor):
    if actor is not None and actor.id == user.id:
        return AccountError(_("You are the only admin. Make someone else an admin before you "
                              "give up the role or close your account."))
    return AccountError(_("%(name)s is the only admin. Make someone else an admin first.",
                          name=user.name))


def set_roles(user, roles, actor):
    """Give `user` exactly the grantable `roles` (admin, helper): each one granted or removed
    is audited. Removing the last active admin's admin role is refused."""
    try:
        wanted = {Role(role) for role in roles}
    except ValueError:
        wanted = {None}
    if not wanted <= set(GRANTABLE):
        raise AccountError(_("Choose roles from the list."))
    if Role.ADMIN not in wanted and _is_last_admin(user):
        raise _last_admin_error(user, actor)
    for role in GRANTABLE:
        if role in wanted:
            grant_role(user, role, actor=actor)
        elif user.has_role(role):
            revoke_role(user, role, actor=actor)
    db.session.flush()


def deactivate_user(user, actor):
    """Close an account: it can no longer sign in, every session it has ends at once (its
    session token changes) and its password-reset links stop working. The last active admin
    cannot be closed, and an admin cannot close their own account."""
    if user.is_deactivated:
        raise AccountError(_("This account is already deactivated."))
    if _is_last_admin(user):
        raise _last_admin_error(user, actor)
    if actor is not None and actor.id == user.id:
        raise AccountError(_("You cannot deactivate your own account. Ask another admin."))
    user.deactivated_at = utcnow()
    user.session_token = new_session_token()
    revoke_tokens(user, RESET)
    record("user.deactivated", user, actor=actor)
    db.session.flush()


def reactivate_user(user, actor):
    """Open a deactivated account again: its owner can sign in with their password."""
    if not user.is_deactivated:
        raise AccountError(_("This account is already active."))
    user.deactivated_at = None
    record("user.reactivated", user, actor=actor)
    db.session.flush()
