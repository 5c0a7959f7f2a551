"""Which language a page is in: the visitor's latest choice, their account's, or their
browser's."""
from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

LANGUAGE_COOKIE = "language"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def select_locale():
    """The language chosen in this browser (the footer's link, or saving the profile: a
    cookie), else the signed-in user's saved language, else the best match for the browser's
    Accept-Language, else the default."""
    if not has_request_context():
        return None
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages)


def remember_language(response, code):
    """Keep `code` as this browser's language (None forgets the choice)."""
    if code is None:
        response.delete_cookie(LANGUAGE_COOKIE)
        return response
    response.set_cookie(LANGUAGE_COOKIE, code, max_age=LANGUAGE_COOKIE_SECONDS, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def current_language():
    """The language of the page the person acting is using (to remember a nominator's,
    supporter's or nominee's for the e-mails sent to them later), or None outside a
    request."""
    if not has_request_context():
        return None
    code = str(get_locale() or "")
    return code if code in current_app.config["LANGUAGES"] else None
