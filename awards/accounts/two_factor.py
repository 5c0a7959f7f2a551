"""The second factor of sign-in: an authenticator app (TOTP), ten single-use recovery codes,
and this browser's record of the step (who is half-way through signing in; whether the
second step was done in this session).

Services (`enrol`, `check_second_factor`, `disable`, `renew_recovery_codes`) record an audit
event and flush; the caller commits. A wrong code is not a ServiceError: it is recorded (the
failures of the last minutes are counted, whatever address they come from) and the caller
shows the refusal, so the record is kept.

pyotp and segno are imported where they are used: every web worker imports this module (the
sign-in hook), few of them enrol or check a code (tests/core/test_imports.py).
"""
import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from flask import current_app, session
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from awards.accounts.models import RecoveryCode, TwoFactor, new_session_token
from awards.accounts.queries import user_for_session
from awards.accounts.services import AccountError, record_sign_in
from awards.core.audit import AuditEvent, record
from awards.core.db import utcnow
from awards.extensions import db

RECOVERY_CODE_COUNT = 10
# Codes of the step before and after the current one are accepted (clocks drift).
DRIFT_STEPS = 1
# Wrong codes for one account within FAILURE_WINDOW before the step refuses every code.
MAX_FAILURES, FAILURE_WINDOW = 10, timedelta(minutes=15)
PENDING_SECONDS = 600  # the password step is good for this long

PENDING_KEY = "two_factor_pending"  # the session's half-signed-in user
DONE_KEY = "two_factor_done"  # the user's id once this session's second step is done
ENROL_KEY = "two_factor_enrol_secret"  # the secret shown while enrolling, not yet confirmed

TOTP, RECOVERY, PASSKEY = "authenticator", "recovery_code", "passkey"


class TwoFactorError(AccountError):
    """A change to two-factor sign-in the rules refuse (a wrong code, already set up)."""


# --- Codes -----------------------------------------------------------------------------

def new_secret():
    """A fresh TOTP secret (base32, 160 bits)."""
    import pyotp  # where used: see top

    return pyotp.random_base32(32)


def provisioning_uri(user, secret):
    """The otpauth:// address an authenticator app reads from the QR code."""
    import pyotp  # where used: see top

    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["SCHEME_NAME"])


def qr_code_svg(uri, title):
    """The QR code of `uri` as inline SVG (black on white, titled for screen readers)."""
    import segno  # where used: see top

    svg = segno.make(uri, error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title=title, svgclass="qr-code")
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def grouped_secret(secret):
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def normalise_code(code):
    """A code as typed: no spaces or hyphens, lower case."""
    return "".join(ch for ch in (code or "") if ch not in " -\t").lower()


def _totp_counter(secret, code, after=None):
    """The time step whose code `code` is (now, or one step either side), if it is newer than
    `after`; else None."""
    import pyotp  # where used: see top

    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(time.time())
    for counter in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if after is not None and counter <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def hash_recovery_code(code):
    """The stored form of a recovery code (SHA-256: the codes are random, 50 bits each)."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def _new_recovery_codes(user):
    """Replace `user`'s recovery codes with ten fresh ones; returns them as shown (once)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _number in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(alphabet) for _char in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    user.recovery_codes.clear()
    db.session.flush()
    user.recovery_codes.extend(RecoveryCode(code_hash=hash_recovery_code(c)) for c in codes)
    return codes


def recovery_codes_left(user):
    """How many of `user`'s recovery codes have not been used."""
    return sum(1 for code in user.recovery_codes if not code.is_used)


def _use_recovery_code(user, code):
    wanted = hash_recovery_code(code)
    for stored in user.recovery_codes:
        if not stored.is_used and hmac.compare_digest(stored.code_hash, wanted):
            stored.used_at = utcnow()
            return True
    return False


def _recent_failures(user):
    since = utcnow() - FAILURE_WINDOW
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "user.two_factor_failed", AuditEvent.object_type == "user",
        AuditEvent.object_id == user.id, AuditEvent.at >= since))


def _accept(user, code, allow_recovery=True):
    """Which factor `code` is (TOTP or an unused recovery code, now used up), or None."""
    code = normalise_code(code)
    two_factor = user.two_factor
    if two_factor is not None and two_factor.is_confirmed:
        counter = _totp_counter(two_factor.secret, code, after=two_factor.last_counter)
        if counter is not None:
            two_factor.last_counter = counter
            return TOTP
    if allow_recovery and code and _use_recovery_code(user, code):
        return RECOVERY
    return None


# --- Services ----------------------------------------------------------------------------

def enrol(user, secret, code):
    """Turn on the authenticator app whose `secret` was shown, once `code` from it is right.
    Every other session of `user` ends (this one is signed in again by the caller). Returns
    the ten recovery codes, to be shown once."""
    if user.two_factor is not None and user.two_factor.is_confirmed:
        raise TwoFactorError(_("Two-factor sign-in is already set up."))
    counter = _totp_counter(secret or "", normalise_code(code))
    if not secret or counter is None:
        raise TwoFactorError(_("That code is not right. Enter the 6-digit code your "
                               "authenticator app shows now."))
    if user.two_factor is not None:
        db.session.delete(user.two_factor)
        db.session.flush()
    user.two_factor = TwoFactor(secret=secret, confirmed_at=utcnow(), last_counter=counter)
    codes = _new_recovery_codes(user)
    user.session_token = new_session_token()
    record("user.two_factor_enabled", user, actor=user)
    db.session.flush()
    return codes


def check_second_factor(user, code):
    """The second step of signing in: which factor `code` was (TOTP or a recovery code) and
    the sign-in recorded, or None when it is wrong (the failure recorded). Too many wrong
    codes for the account in a short time refuse every code for a while (TwoFactorError)."""
    if _recent_failures(user) >= MAX_FAILURES:
        raise TwoFactorError(_("Too many wrong codes. Wait 15 minutes, then try again."))
    method = _accept(user, code)
    if method is None:
        record("user.two_factor_failed", user, actor=user)
        db.session.flush()
        return None
    record_sign_in(user, method=method)
    return method


def record_passkey_sign_in(user):
    """The second step done with a passkey."""
    record_sign_in(user, method=PASSKEY)


def disable(user, code):
    """Turn off the authenticator app and its recovery codes, with a code from the app or an
    unused recovery code (passkeys are removed one by one)."""
    if user.two_factor is None or not user.two_factor.is_confirmed:
        raise TwoFactorError(_("Two-factor sign-in with an app is not set up."))
    if _accept(user, code) is None:
        raise TwoFactorError(_("That code is not right."))
    db.session.delete(user.two_factor)
    user.two_factor = None
    user.recovery_codes.clear()
    record("user.two_factor_disabled", user, actor=user)
    db.session.flush()


def renew_recovery_codes(user, code):
    """Ten new recovery codes in place of the old ones, with a code from the app."""
    if user.two_factor is None or not user.two_factor.is_confirmed:
        raise TwoFactorError(_("Two-factor sign-in with an app is not set up."))
    if _accept(user, code, allow_recovery=False) is None:
        raise TwoFactorError(_("That code is not right."))
    codes = _new_recovery_codes(user)
    record("user.recovery_codes_renewed", user, actor=user)
    db.session.flush()
    return codes


# --- This browser's session ------------------------------------------------------------

def begin_second_step(user, remember=False, next_url=None):
    """The password was right: remember who is half-way through signing in."""
    session[PENDING_KEY] = {"id": user.get_id(), "remember": bool(remember),
                            "next": next_url, "at": int(time.time())}


def pending_sign_in():
    """(user, what the sign-in form asked) of the half-finished sign-in, or (None, {})."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or int(time.time()) - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    user = user_for_session(pending.get("id"))
    return user, pending


def end_second_step(user):
    """The second step is done: forget the half-finished sign-in, note it for this session."""
    session.pop(PENDING_KEY, None)
    session[DONE_KEY] = user.id


def second_step_done(user):
    """Whether this session's sign-in of `user` included the second step (a sign-in that
    ends, on sign-out or from another device, takes the whole session with it)."""
    return session.get(DONE_KEY) == user.id
