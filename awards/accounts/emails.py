"""E-mails about accounts, each queued in the outbox."""
from flask import current_app
from flask_babel import get_locale

from awards.core.mail import queue_email
from awards.core.urls import external_url

# Whoever registers or signs in with an address has not proven it: these share one limit per
# address (awards.core.mail.throttle), as do reset links.
CONFIRM_KINDS = ("accounts/verify_email", "accounts/account_exists")


def _own_language(user):
    """For mail the account's owner asked for themselves: their saved language, else the
    language they are using now (the reset job runs in the asker's): unlike mail someone
    else's action sends (core.mail.compose.recipient_locale falls back to the default)."""
    return user.locale or str(get_locale() or "") or None


def _send_token_link(purpose, user, raw_token, unproven):
    """Mail the user, in their own language, a link to the page of `purpose`
    (verify_email, reset_password: the e-mail, the endpoint and the token's lifetime share
    the name) carrying their one-time token."""
    queue_email(
        f"accounts/{purpose}", user.email, locale=_own_language(user), user=user,
        link=external_url(f"accounts.{purpose}", token=raw_token),
        hours=current_app.config["TOKEN_HOURS"][purpose], unproven=unproven,
    )


def send_verification_email(user, raw_token):
    """Ask the user to confirm their e-mail address."""
    _send_token_link("verify_email", user, raw_token, unproven=CONFIRM_KINDS)


def send_account_exists_email(user):
    """Someone tried to register with an address that already has an account."""
    queue_email(
        "accounts/account_exists", user.email, user=user,
        sign_in_link=external_url("accounts.sign_in"),
        reset_link=external_url("accounts.forgot_password"), unproven=CONFIRM_KINDS,
    )


def send_reset_email(user, raw_token):
    """Send a link to choose a new password."""
    _send_token_link("reset_password", user, raw_token, unproven=True)


def send_password_changed_email(user):
    """Tell the user their password changed (so they notice if it was not them)."""
    queue_email(
        "accounts/password_changed", user.email, locale=_own_language(user), user=user,
        reset_link=external_url("accounts.forgot_password"),
    )
