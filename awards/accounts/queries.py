"""Reads of accounts."""
from sqlalchemy import select

from awards.accounts.models import User
from awards.extensions import db


def normalise_email(email):
    """The form in which e-mail addresses are stored and compared."""
    return (email or "").strip().lower()


def user_by_email(email):
    """The user with this e-mail address, or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


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
