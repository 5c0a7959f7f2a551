"""E-mails about accounts, each queued in the outbox."""
from flask import current_app
from flask_babel import get_locale

from awards.core.mail import queue_email
from awards.core.urls import external_url

# Whoever registers or signs in with an address has not proven it: these share one limit per
# address (awards.core.mail.throttle), as do reset links.
CONFIRM_KINDS = ("accounts/verify_email", "accounts/account_exists")


def _hours(purpose):
    return current_app.config["TOKEN_HOURS"][purpose]


def _own_language(user):
    """For mail the account's owner asked for themselves: their saved language, else the
    language they are using now (the reset job runs in the asker's): unlike mail someone
    else's action sends (core.mail.compose.recipient_locale falls back to the default)."""
    return user.locale or str(get_locale() or "") or None


def send_verification_email(user, raw_token):
    """Ask the user to confirm their e-mail address."""
    queue_email(
        "accounts/verify_email", user.email, locale=_own_language(user), user=user,
        link=external_url("accounts.verify_email", token=raw_token),
        hours=_hours("verify_email"), unproven=CONFIRM_KINDS,
    )


def send_account_exists_email(user):
    """Someone tried to register with an address that already has an account."""
    queue_email(
        "accounts/account_exists", user.email, user=user,
        sign_in_link=external_url("accounts.sign_in"),
        reset_link=external_url("accounts.forgot_password"), unproven=CONFIRM_KINDS,
    )


def send_reset_email(user, raw_token):
    """Send a link to choose a new password."""
    queue_email(
        "accounts/reset_password", user.email, locale=_own_language(user), user=user,
        link=external_url("accounts.reset_password", token=raw_token),
        hours=_hours("reset_password"), unproven=True,
    )


def send_password_changed_email(user):
    """Tell the user their password changed (so they notice if it was not them)."""
    queue_email(
        "accounts/password_changed", user.email, locale=_own_language(user), user=user,
        reset_link=external_url("accounts.forgot_password"),
    )
