"""Single-use, expiring, purpose-bound tokens for links sent by e-mail.

Only a SHA-256 of the token is stored, so a leaked database does not leak working links.
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from awards.core.db import UTCDateTime, utcnow
from awards.core.services import ServiceError
from awards.extensions import db


class Token(db.Model):
    """A secret link for one purpose (verify_email, reset_password...) for one user."""

    __tablename__ = "token"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TokenError(ServiceError):
    """A token that is unknown, for another purpose, expired or already used."""


def digest(raw):
    """The SHA-256 hex digest under which a secret link value is stored."""
    return hashlib.sha256(raw.encode()).hexdigest()


def new_secret():
    """A fresh random secret for a link, and its digest: (raw, digest)."""
    raw = secrets.token_urlsafe(32)
    return raw, digest(raw)


def issue_token(user, purpose, hours):
    """Create a token and return the raw value (to be put in a link; never stored)."""
    raw, hashed = new_secret()
    db.session.add(
        Token(
            digest=hashed,
            purpose=purpose,
            user_id=user.id,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    return raw


def peek_token(raw, purpose, *, lock=False):
    """Return the valid token for `raw` without using it, or raise TokenError."""
    query = select(Token).where(Token.digest == digest(raw or ""))
    token = db.session.scalar(query.with_for_update() if lock else query)
    if token is None or token.purpose != purpose:
        raise TokenError(_("This link is not valid."))
    if token.used_at is not None:
        raise TokenError(_("This link has already been used."))
    if token.expires_at <= utcnow():
        raise TokenError(_("This link has expired."))
    return token


def use_token(raw, purpose):
    """Mark the token used and return it; a second use raises TokenError."""
    # The row lock makes two simultaneous clicks on PostgreSQL use the token once.
    token = peek_token(raw, purpose, lock=True)
    token.used_at = utcnow()
    return token


def revoke_tokens(user, purpose):
    """Mark every unused token of this purpose for this user as used (e.g. after a reset)."""
    for token in db.session.scalars(
        select(Token).where(
            Token.user_id == user.id, Token.purpose == purpose, Token.used_at.is_(None)
        )
    ):
        token.used_at = utcnow()
