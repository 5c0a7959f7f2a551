"""Security helpers: safe redirects, role checks, and the headers every response carries."""
import functools
from urllib.parse import unquote, urlsplit

from flask import abort, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user


def safe_next_url(target, default="/"):
    """Return `target` if it is a path on this site, else `default`.

    Only a plain absolute path is accepted: no scheme, no host, no `//` or `/\\` (which
    browsers treat as another host), no control characters or backslashes anywhere. The
    percent-decoded form must pass too, so a second decode (a proxy, a later redirect) cannot
    turn `/%2F%2Fevil` into `//evil`.
    """
    if not target or not isinstance(target, str):
        return default
    for candidate in (target, unquote(target)):
        if any(ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in candidate):
            return default
        if not candidate.startswith("/") or candidate.startswith("//"):
            return default
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return default
    return target


def role_required(*roles):
    """Allow the view only to signed-in users holding one of `roles` (403 otherwise)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not any(current_user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def rate_limit(config_key, when=None):
    """Mark a view: POSTs to it are limited by the limit string in `config_key` (e.g.
    "10 per minute"); with `when` (a function of the request), only the POSTs for which it
    is true count. The factory applies the mark with the app's own limiter."""

    def mark(view):
        view.rate_limits = [*getattr(view, "rate_limits", ()), (config_key, when)]
        return view

    return mark


def init_rate_limits(app):
    """Give the app its own limiter and apply every view's `rate_limit` mark with it.

    One Limiter per app, not a shared extension object: Flask-Limiter keeps its storage and
    on/off switch on the object, so a second app would otherwise re-point the first one's."""
    app_limiter = Limiter(key_func=get_remote_address)
    app_limiter.init_app(app)
    app.extensions["rate_limiter"] = app_limiter
    for endpoint, view in app.view_functions.items():
        for key, when in getattr(view, "rate_limits", ()):
            # A counter per view and limit: two limits of one view never share a count.
            limit = app_limiter.limit(
                functools.partial(_configured_limit, key), methods=["POST"],
                scope=f"{endpoint}:{key}",
                exempt_when=(lambda when=when: not when(request)) if when else None)
            view = app.view_functions[endpoint] = limit(view)


def _configured_limit(config_key):
    return current_app.config[config_key]


def rate_limiter(app=None):
    """The limiter of `app`, or of the current app."""
    return (app or current_app).extensions["rate_limiter"]


def mark_private():
    """Mark this response as holding someone's personal data though nobody is signed in
    (a page opened through an e-mailed link): it is never stored in any cache."""
    g.private_page = True


def _is_private(request):
    # Every page whose address holds a secret link (<token>) is private, whatever it shows.
    return g.get("private_page", False) or "token" in (request.view_args or {})


def content_security_policy(frame_ancestors="'none'"):
    """The site's Content-Security-Policy; only who may frame the page varies (the embed).

    Scripts are the site's own files only: no inline script, so no nonce, and a page kept in
    the page cache carries nothing that belongs to one answer."""
    return (
        "default-src 'self'; "
        "script-src 'self'; "
        "style-src 'self'; "
        "img-src 'self' data:; "
        "font-src 'self'; "
        "connect-src 'self'; "
        "form-action 'self'; "
        f"frame-ancestors {frame_ancestors}; "
        "base-uri 'self'; "
        "object-src 'none'"
    )


def refuse_nul_characters():
    """Before every request: a NUL character in the address, the query or a form field (no
    keyboard types one, and PostgreSQL cannot store one) gets a 400 page, never a 500."""
    fields = (value for source in (request.args, request.form)
              for _name, values in source.lists() for value in values)
    if "\x00" in request.path or any("\x00" in value for value in fields):
        abort(400)


def set_security_headers(app):
    """Register the after-request hook that adds security headers to every response."""

    @app.after_request
    def add_headers(response):
        headers = response.headers
        own_policy = headers.get("Content-Security-Policy", "")
        headers.setdefault("Content-Security-Policy", content_security_policy())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if "frame-ancestors" not in own_policy:
            # Not when the view chose who may frame it (the embed page): browsers that read
            # only X-Frame-Options would let DENY overrule that choice.
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        # Without a cookie nobody is signed in: skip loading the user (the cached public
        # pages are served to such visitors many times a second).
        if request.cookies and current_user and current_user.is_authenticated:
            # Signed-in pages may hold personal data: never keep them in any cache.
            headers["Cache-Control"] = "no-store"
            headers["Vary"] = "Cookie"
        elif _is_private(request) and "no-store" not in headers.get("Cache-Control", ""):
            # So may pages opened from an e-mailed link without an account.
            headers["Cache-Control"] = "no-store"
        return response
