"""Wire accounts into the app: the user loader for Flask-Login, and the end of sessions
ended elsewhere."""
from flask import session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from awards.accounts.queries import user_for_session
from awards.extensions import login_manager


def init_accounts(app):
    """Configure Flask-Login for this app."""
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(user_for_session)
    app.before_request(forget_ended_session)


def forget_ended_session():
    """A browser whose sign-in was ended from elsewhere (sign out on every device, a password
    change or reset) loses everything its session held: what links let it open too."""
    if "_user_id" in session and not current_user.is_authenticated:
        session.clear()
