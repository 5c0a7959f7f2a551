"""Wire accounts into the app: the user loader for Flask-Login."""
from flask_babel import lazy_gettext as _l

from awards.accounts.queries import user_for_session
from awards.extensions import login_manager


def init_accounts(app):
    """Configure Flask-Login for this app."""
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(user_for_session)
