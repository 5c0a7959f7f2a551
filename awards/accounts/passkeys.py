"""Passkeys (WebAuthn) as a second factor: adding one to an account, and the second step of
signing in with one instead of a code.

The browser's part is static/js/passkeys.js (progressive enhancement: without JavaScript the
code step works as before). The relying party is the site's PUBLIC_URL: its host name is
the RP ID and its origin the only origin accepted. Each ceremony's challenge is kept in the
session until it is answered once.

py_webauthn (with cryptography, pyOpenSSL, pyasn1 and cbor2: about 15 MB) is imported in the
functions that use it, so that workers serving other pages do not hold it
(tests/core/test_imports.py).
"""
import json
from urllib.parse import urlsplit

from flask import current_app, session
from flask_babel import gettext as _

from awards.accounts.models import Passkey, new_session_token
from awards.accounts.services import AccountError, record_sign_in
from awards.core.audit import record
from awards.core.db import utcnow
from awards.extensions import db

REGISTER_KEY, SIGN_IN_KEY = "passkey_register_challenge", "passkey_sign_in_challenge"
MAX_PASSKEYS = 10


class PasskeyError(AccountError):
    """A passkey that cannot be added or used, with a message for the person."""


def relying_party():
    """(RP ID, origin) from PUBLIC_URL."""
    parts = urlsplit(current_app.config["PUBLIC_URL"])
    return parts.hostname, f"{parts.scheme}://{parts.netloc}"


def _descriptors(user):
    from webauthn.helpers.structs import PublicKeyCredentialDescriptor  # heavy: see top

    return [PublicKeyCredentialDescriptor(id=key.credential_id) for key in user.passkeys]


def _take_challenge(key):
    from webauthn.helpers import base64url_to_bytes  # heavy: see top

    raw = session.pop(key, None)
    try:
        return base64url_to_bytes(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _credential(data):
    """The credential as JSON text (the browser's PublicKeyCredential), or None."""
    if isinstance(data, dict):
        return json.dumps(data)
    return None


def registration_options(user):
    """The options for the browser's navigator.credentials.create(), as JSON; the challenge
    waits in the session."""
    import webauthn  # heavy: see top
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.structs import (
        AuthenticatorSelectionCriteria,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    rp_id, _origin = relying_party()
    options = webauthn.generate_registration_options(
        rp_id=rp_id, rp_name=current_app.config["SCHEME_NAME"], user_name=user.email,
        user_id=str(user.id).encode(), user_display_name=user.name,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED))
    session[REGISTER_KEY] = bytes_to_base64url(options.challenge)
    return webauthn.options_to_json(options)


def add_passkey(user, credential, name):
    """Keep the passkey the browser just made (checked against the session's challenge). The
    first second factor of an account ends its other sessions, as setting up an app does."""
    import webauthn  # heavy: see top
    from webauthn.helpers.exceptions import WebAuthnException

    challenge = _take_challenge(REGISTER_KEY)
    text = _credential(credential)
    name = " ".join((name if isinstance(name, str) else "").split())[:80] or _("Passkey")
    if challenge is None or text is None:
        raise PasskeyError(_("The passkey could not be added. Please try again."))
    if len(user.passkeys) >= MAX_PASSKEYS:
        raise PasskeyError(_("You have the most passkeys an account can have. Remove one "
                             "first."))
    rp_id, origin = relying_party()
    try:
        verified = webauthn.verify_registration_response(
            credential=text, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin)
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError) as error:
        raise PasskeyError(_("The passkey could not be added. Please try again.")) from error
    if db.session.scalar(db.select(Passkey.id).filter_by(
            credential_id=verified.credential_id)) is not None:
        raise PasskeyError(_("This passkey has already been added."))
    first = not user.has_two_factor
    passkey = Passkey(credential_id=verified.credential_id,
                      public_key=verified.credential_public_key,
                      sign_count=verified.sign_count, name=name)
    user.passkeys.append(passkey)
    if first:
        user.session_token = new_session_token()
    record("user.passkey_added", user, actor=user, name=name)
    db.session.flush()
    return passkey


def remove_passkey(user, passkey):
    """Remove one of `user`'s passkeys."""
    if passkey.user_id != user.id:
        raise PasskeyError(_("That passkey is not yours."))
    user.passkeys.remove(passkey)
    record("user.passkey_removed", user, actor=user, name=passkey.name)
    db.session.flush()


def sign_in_options(user):
    """The options for navigator.credentials.get() at the second step, as JSON; the
    challenge waits in the session."""
    import webauthn  # heavy: see top
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.structs import UserVerificationRequirement

    rp_id, _origin = relying_party()
    options = webauthn.generate_authentication_options(
        rp_id=rp_id, allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED)
    session[SIGN_IN_KEY] = bytes_to_base64url(options.challenge)
    return webauthn.options_to_json(options)


def check_passkey(user, credential):
    """The second step with a passkey: True and the sign-in recorded when `credential` is a
    right answer to the session's challenge from one of `user`'s passkeys; else False (the
    failure recorded)."""
    import webauthn  # heavy: see top
    from webauthn.helpers import base64url_to_bytes
    from webauthn.helpers.exceptions import WebAuthnException

    challenge = _take_challenge(SIGN_IN_KEY)
    text = _credential(credential)
    raw_id = credential.get("rawId") if isinstance(credential, dict) else None
    passkey = None
    if isinstance(raw_id, str):
        try:
            wanted = base64url_to_bytes(raw_id)
        except ValueError:
            wanted = None
        passkey = next((key for key in user.passkeys if key.credential_id == wanted), None)
    if challenge is None or text is None or passkey is None:
        return _refused(user)
    rp_id, origin = relying_party()
    try:
        verified = webauthn.verify_authentication_response(
            credential=text, expected_challenge=challenge, expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count)
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError):
        return _refused(user)
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    record_sign_in(user, method="passkey")
    return True


def _refused(user):
    record("user.two_factor_failed", user, actor=user, method="passkey")
    db.session.flush()
    return False
