"""Reads of accounts."""
from sqlalchemy import select

from awards.accounts.models import User
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
    if user is None or user.session_token != token:
        return None
    return user


def saved_locale(email):
    """The language the account with this address chose, or None."""
    user = user_by_email(email)
    return user.locale if user is not None else None
