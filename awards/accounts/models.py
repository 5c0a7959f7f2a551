"""The user account and the roles it holds."""
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.accounts.enums import Role
from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.extensions import db


def new_session_token():
    """A fresh random value; changing it signs the user out of every session."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """A person with an account. Everyone is a resident; other roles are granted."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An admin closed the account: it cannot sign in, and its sessions have ended.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    # Places on judging panels (panels points right: named by string, read only here).
    panel_places: Mapped[list["PanelMember"]] = relationship(  # noqa: F821
        "PanelMember", viewonly=True, lazy="select")
    two_factor: Mapped["TwoFactor | None"] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select")
    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select")
    passkeys: Mapped[list["Passkey"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select",
        order_by="Passkey.id")

    def get_id(self):
        """Flask-Login's id: includes the session token, so rotating it ends every session."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self):
        """Flask-Login's question: an account an admin deactivated may not sign in."""
        return self.deactivated_at is None

    @property
    def is_deactivated(self):
        """Whether an admin has closed the account."""
        return self.deactivated_at is not None

    @property
    def has_two_factor(self):
        """Whether sign-in asks for a second factor (an authenticator app or a passkey)."""
        return (self.two_factor is not None and self.two_factor.is_confirmed) or bool(
            self.passkeys)

    @property
    def needs_two_factor(self):
        """Whether the scheme may require a second factor of this user: admins and panel
        members (REQUIRE_TWO_FACTOR says whether it does)."""
        return self.is_admin or self.has_role(Role.PANEL_MEMBER) or self.is_panel_member

    @property
    def is_verified(self):
        """Whether the user has confirmed their e-mail address."""
        return self.email_verified_at is not None

    def has_role(self, role):
        """Whether the user holds `role` (every user is a resident)."""
        role = Role(role)
        return role is Role.RESIDENT or any(r.role is role for r in self.roles)

    @property
    def is_admin(self):
        """Whether the user runs the scheme (the Admin pages)."""
        return self.has_role(Role.ADMIN)

    @property
    def is_panel_member(self):
        """Whether the user sits on a judging panel (a member or a chair)."""
        return bool(self.panel_places)

    @property
    def role_names(self):
        """The roles held, for display: resident first."""
        return [Role.RESIDENT.label] + sorted(r.role.label for r in self.roles)

    def __repr__(self):
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    """A role granted to a user."""

    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")


class TwoFactor(db.Model):
    """A user's authenticator app (TOTP): its secret, once confirmed with a first code."""

    __tablename__ = "two_factor"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The time step of the last code accepted: the same code is never accepted twice.
    last_counter: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship(back_populates="two_factor")

    @property
    def is_confirmed(self):
        """Whether enrolment was finished with a first code."""
        return self.confirmed_at is not None


class RecoveryCode(db.Model):
    """A single-use recovery code, kept only as its SHA-256 hash (the codes are random)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="recovery_codes")

    @property
    def is_used(self):
        """Whether the code has been used (each works once)."""
        return self.used_at is not None


class Passkey(db.Model):
    """A WebAuthn credential (a passkey) registered as a second factor."""

    __tablename__ = "passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="passkeys")
