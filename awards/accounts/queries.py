"""Reads of accounts."""
from sqlalchemy import func, or_, select

from awards.accounts.enums import Role
from awards.accounts.models import User, UserRole
from awards.core.addresses import email_skeleton, normalise_email
from awards.extensions import db


def user_by_email(email):
    """The user with this e-mail address, or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def user_looking_like(email):
    """Another account whose address looks like `email` (the same skeleton), or None."""
    skeleton, email = email_skeleton(email), normalise_email(email)
    for user_id, address in db.session.execute(select(User.id, User.email)):
        if address != email and email_skeleton(address) == skeleton:
            return db.session.get(User, user_id)
    return None


def user_for_session(session_id):
    """The user for a Flask-Login id "<id>:<session token>", or None if it has been rotated."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or user.is_deactivated:
        return None
    return user


USERS_PER_PAGE = 25


def _like(text):
    """`text` as a LIKE pattern that matches it anywhere, its wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def users_matching(search=None, page=1, per_page=USERS_PER_PAGE):
    """A page of users whose name or e-mail address contains `search` (every user without
    one), by name."""
    query = select(User).order_by(func.lower(User.name), User.id)
    if search:
        pattern = _like(search)
        query = query.where(or_(func.lower(User.name).like(pattern, escape="\\"),
                                User.email.like(pattern, escape="\\")))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def active_admin_count():
    """How many accounts hold the admin role and are not deactivated."""
    return db.session.scalar(
        select(func.count(User.id)).join(UserRole)
        .where(UserRole.role == Role.ADMIN, User.deactivated_at.is_(None)))


def saved_locale(email):
    """The language the account with this address chose, or None."""
    user = user_by_email(email)
    return user.locale if user is not None else None
