"""Changes to accounts. Each function records an audit event, queues mail and flushes;
the caller commits."""
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from awards.accounts import emails
from awards.accounts.enums import Role
from awards.accounts.models import User, UserRole, new_session_token
from awards.accounts.passwords import hash_password, needs_rehash, verify_password
from awards.accounts.queries import normalise_email, user_by_email, user_looking_like
from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.jobs import job_queue
from awards.core.services import ServiceError
from awards.core.tokens import TokenError, issue_token, revoke_tokens, use_token
from awards.extensions import db

VERIFY, RESET = "verify_email", "reset_password"


class AccountError(ServiceError):
    """A request about an account that cannot be carried out, with a message for the user."""


def _token_hours(purpose):
    return current_app.config["TOKEN_HOURS"][purpose]


def register_user(name, email, password):
    """Create an unverified account and mail a verification link.

    If the address already has an account, that account is mailed instead and nothing
    changes: the caller shows the same page either way, so registration reveals nothing.
    """
    # Hash before the first query: on SQLite that query takes the write lock, which should
    # not be held through ~0.1-0.5 s of argon2. (It also makes both answers take as long.)
    password_hash = hash_password(password)
    existing = user_by_email(email)
    if existing is not None:
        emails.send_account_exists_email(existing)
        record("user.register_existing", existing, actor=existing)
        db.session.flush()
        return None
    lookalike = user_looking_like(email)
    if lookalike is not None:
        # A look-alike of an account's address: no second account. Nothing is mailed: the
        # look-alike's owner would learn that the other account exists, and its owner would
        # get mail someone else can trigger. The page is the same as for any registration.
        record("user.register_lookalike", lookalike, email=normalise_email(email)[:254])
        db.session.flush()
        return None
    user = User(name=name.strip(), email=normalise_email(email), password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    record("user.registered", user, actor=user)
    send_verification(user)
    return user


def send_verification(user):
    """Issue a fresh verification link for `user`."""
    raw = issue_token(user, VERIFY, _token_hours(VERIFY))
    emails.send_verification_email(user, raw)
    db.session.flush()


def verify_email(raw_token):
    """Mark the address verified; raise AccountError if the link is not usable."""
    try:
        token = use_token(raw_token, VERIFY)
    except TokenError as error:
        raise AccountError(str(error)) from error
    user = db.session.get(User, token.user_id)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        record("user.email_verified", user, actor=user)
    db.session.flush()
    return user


def authenticate(email, password):
    """Return the user whose address and password match, else None (and audit the failure)."""
    user = user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        record("user.sign_in_failed", user, email=normalise_email(email)[:254])
        db.session.flush()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def sign_in(email, password):
    """One sign-in attempt: the user whose address and password match, else None (the
    failure audited). A verified user's sign-in is recorded; an unverified one is sent a
    fresh verification link instead (the caller does not log them in). A deactivated
    account's attempt is recorded as refused; one with a second factor is signed in only
    after it (`two_factor.check_second_factor`)."""
    user = authenticate(email, password)
    if user is None:
        return None
    if user.is_deactivated:
        # The caller refuses it (Flask-Login would too: the account is not active).
        record("user.sign_in_refused", user, actor=user, reason="deactivated")
        db.session.flush()
    elif not user.is_verified:
        send_verification(user)
    elif user.has_two_factor:
        # Signed in only after the second step (awards.accounts.two_factor).
        record("user.password_accepted", user, actor=user)
        db.session.flush()
    else:
        record_sign_in(user)
    return user


def record_sign_in(user, **details):
    """Note a successful sign-in."""
    user.last_sign_in_at = utcnow()
    record("user.signed_in", user, actor=user, **details)
    db.session.flush()


def sign_out_everywhere(user):
    """End every session of `user` on every device (their cookies stop matching), and every
    password-reset link not yet used."""
    user.session_token = new_session_token()
    revoke_tokens(user, RESET)
    record("user.signed_out", user, actor=user)
    db.session.flush()


def request_password_reset(email):
    """Ask for a reset link to be mailed if the address has an account. The request only
    queues the job, the same work whether or not the address is known, so its timing tells
    nothing either (in development and tests the job runs at once)."""
    job_queue().enqueue(send_password_reset_job, email,
                        str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]))


def send_password_reset_job(email, locale):
    """The background task (registered in the factory): `send_password_reset`, in the
    language of whoever asked unless the account chose one, then commit."""
    with force_locale(locale):
        send_password_reset(email)
    db.session.commit()


def send_password_reset(email):
    """Mail a reset link if the address has an account; do nothing visible otherwise."""
    user = user_by_email(email)
    if user is None:
        return None
    raw = issue_token(user, RESET, _token_hours(RESET))
    emails.send_reset_email(user, raw)
    record("user.password_reset_requested", user, actor=user)
    db.session.flush()
    return user


def reset_password(raw_token, new_password):
    """Set a new password from a reset link; every session and other link stops working."""
    try:
        token = use_token(raw_token, RESET)
    except TokenError as error:
        raise AccountError(str(error)) from error
    user = db.session.get(User, token.user_id)
    _set_password(user, new_password)
    # The link arrived by e-mail, so the address is proven.
    user.email_verified_at = user.email_verified_at or utcnow()
    record("user.password_reset", user, actor=user)
    db.session.flush()
    return user


def change_password(user, current_password, new_password):
    """Change the password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError(_("Your current password is not right."))
    _set_password(user, new_password)
    record("user.password_changed", user, actor=user)
    db.session.flush()


def _set_password(user, new_password):
    """The new password ends every session and every reset link asked for before it."""
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()
    revoke_tokens(user, RESET)
    emails.send_password_changed_email(user)


def update_profile(user, name, locale):
    """Change the user's name and preferred language."""
    changes = {}
    if user.name != name.strip():
        changes["name"] = [user.name, name.strip()]
        user.name = name.strip()
    if user.locale != (locale or None):
        changes["locale"] = [user.locale, locale or None]
        user.locale = locale or None
    if changes:
        record("user.profile_updated", user, actor=user, **changes)
    db.session.flush()


def grant_role(user, role, actor=None):
    """Give `user` a role (no change if they already hold it)."""
    role = Role(role)
    if role is Role.RESIDENT or user.has_role(role):
        return
    user.roles.append(UserRole(role=role))
    record("user.role_granted", user, actor=actor, role=role.value)
    db.session.flush()


def revoke_role(user, role, actor=None):
    """Take a role away from `user`."""
    role = Role(role)
    for held in list(user.roles):
        if held.role is role:
            user.roles.remove(held)
            record("user.role_revoked", user, actor=actor, role=role.value)
    db.session.flush()


def create_verified_user(name, email, password, roles=(), actor=None):
    """Create an account that needs no verification (admin tools, demo data)."""
    password_hash = hash_password(password)  # before the query that takes the write lock
    if user_by_email(email) is not None:
        raise AccountError(_("An account for %(email)s already exists.",
                             email=normalise_email(email)))
    user = User(name=name, email=normalise_email(email), password_hash=password_hash,
                email_verified_at=utcnow())
    db.session.add(user)
    db.session.flush()
    record("user.created", user, actor=actor)
    for role in roles:
        grant_role(user, role, actor=actor)
    return user
