"""Friendly error pages that leak nothing (no stack traces, no internals)."""
from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from awards.extensions import db

MESSAGES = {
    400: (_l("Something was wrong with that request"),
          _l("Please go back, reload the page and try again.")),
    403: (_l("You do not have access to this page"),
          _l("If you think you should, sign in with the right account or contact us.")),
    404: (_l("Page not found"),
          _l("If you typed the web address, check it is correct. The page may have moved.")),
    405: (_l("That action is not available here"),
          _l("Please go back and use the buttons on the page.")),
    413: (_l("That file is too large"),
          _l("Please go back and choose a smaller file.")),
    429: (_l("Too many attempts"),
          _l("For your security, please wait a few minutes and try again.")),
    500: (_l("Sorry, there is a problem with the service"),
          _l("Please try again later. What you saved before this error has been kept.")),
}


FALLBACK_PAGE = (
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sorry</title></head>"
    "<body><h1>Sorry, there is a problem with the service</h1>"
    "<p>Please try again later.</p></body></html>"
)


def render_error(code, title=None, detail=None):
    """Render the error page for `code` with an optional specific title and detail."""
    default_title, default_detail = MESSAGES.get(code, MESSAGES[500])
    try:
        page = render_template(
            "errors/error.html", code=code, title=title or default_title,
            detail=detail or default_detail,
        )
    except Exception:  # the page itself failed (e.g. the database is down): plain HTML
        current_app.logger.exception("Error page failed to render")
        page = FALLBACK_PAGE
    return page, code


def register_error_handlers(app):
    """Send every HTTP error and unexpected exception to the friendly page."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _l("Your form had expired"),
            _l("For your security, forms time out. Please go back, reload the page and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if request.path.startswith("/static/") and error.code == 404:
            return error
        response = render_error(error.code if error.code in MESSAGES else 500)
        if error.code == 405 and getattr(error, "valid_methods", None):
            return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)
