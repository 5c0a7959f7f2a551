"""Wire accounts into the app: the user loader for Flask-Login, the end of sessions
ended elsewhere, and the second factor staff pages require."""
from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from awards.accounts.queries import user_for_session
from awards.accounts.two_factor import second_step_done
from awards.extensions import login_manager

# The staff pages: administration (moderation included), judging, and entering nominations.
STAFF_PATHS = ("/admin", "/panel", "/assist")


def init_accounts(app):
    """Configure Flask-Login for this app."""
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(user_for_session)
    app.before_request(forget_ended_session)
    app.before_request(require_second_factor)


def forget_ended_session():
    """A browser whose sign-in was ended from elsewhere (sign out on every device, a password
    change or reset) loses everything its session held: what links let it open too."""
    if "_user_id" in session and not current_user.is_authenticated:
        session.clear()


def _is_staff_page(path):
    return any(path == prefix or path.startswith(prefix + "/") for prefix in STAFF_PATHS)


def require_second_factor():
    """With REQUIRE_TWO_FACTOR on (production), an admin or panel member opens a staff page
    only after the second step of sign-in: without two-factor sign-in set up they are sent
    to set it up; signed in with the password only, to the second step."""
    if not current_app.config["REQUIRE_TWO_FACTOR"] or not _is_staff_page(request.path):
        return None
    if not current_user.is_authenticated or not current_user.needs_two_factor:
        return None  # the page's own access check answers
    next_url = request.full_path if request.query_string else request.path
    if not current_user.has_two_factor:
        flash(_("Set up two-factor sign-in to open staff pages."), "info")
        return redirect(url_for("accounts.two_factor_enrol", next=next_url))
    if not second_step_done(current_user):
        return redirect(url_for("accounts.two_factor_verify", next=next_url))
    return None
