"""The public pages' server-side cache and HTTP caching.

Pages are cached whole, for visitors without a session (a signed-in page or one with a flash
message is personal). Every key carries a *generation*; a commit that touches anything the
public pages show starts a new one, so a withdrawal of consent, a publication or a moderated
message empties the cache at once without listing the keys it affects. Browsers get an ETag
and `no-cache`: they may keep a copy but must ask each time, and the answer is a cheap 304.
"""
import functools
import logging
import secrets
from itertools import chain
from urllib.parse import urlencode

from flask import current_app, make_response, request, session
from flask_babel import get_locale
from sqlalchemy import inspect

from awards.extensions import cache
from awards.nominations.models import Area, AwardCycle, Category, Nomination
from awards.public.enums import ThanksStatus
from awards.public.models import PublicAward, ThankYou
from awards.public.share_image import remove_share_images

GENERATION_KEY = "public:generation"
UNCACHED_HEADERS = {"content-length", "set-cookie", "vary", "etag", "date"}
# Every query-string argument a cached view may read (the hall of fame's filters and pages).
PAGE_ARGUMENTS = ("q", "year", "area", "category", "page")
# What the public pages show: a change to any of these starts a new generation.
WATCHED = (PublicAward, AwardCycle, Category, Area)
log = logging.getLogger(__name__)


def generation():
    """The current generation of the public cache (started on first use)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=0)
        value = cache.get(GENERATION_KEY)
    return value


def invalidate():
    """Start a new generation: every cached public page is stale from now on."""
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=0)
    except Exception:  # a cache that cannot be reached holds nothing to invalidate
        log.exception("Could not invalidate the public page cache")


def _is_personal():
    config = current_app.config
    return any(request.cookies.get(name) for name in
               (config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME",
                                                          "remember_token")))


def _page_key():
    # Only the arguments the public pages read: "?utm_source=..." or any other made-up
    # argument shares the page's entry instead of filling the cache with copies.
    arguments = sorted((name, value) for name in PAGE_ARGUMENTS
                       for value in request.args.getlist(name))
    # The host too: feeds, the sitemap and canonical links hold absolute addresses; and the
    # language, as each page comes in each language.
    return (f"public:page:{generation()}:{get_locale()}:"
            f"{request.host_url}{request.path}?{urlencode(arguments)}")


def _cached_response(view, args, kwargs):
    try:
        key = _page_key()
        entry = cache.get(key)
    except Exception:  # serve the page uncached rather than fail
        log.exception("The public page cache cannot be reached")
        return make_response(view(*args, **kwargs))
    if entry is None:
        response = make_response(view(*args, **kwargs))
        # A page that wrote to the session (a flash, a form's CSRF token) is this visitor's.
        if response.status_code != 200 or response.direct_passthrough or session.modified:
            return response
        # The view's own headers (Content-Type, Content-Disposition, a CSP...) are kept with
        # the body; the security headers are added to every answer after this.
        headers = [(name, value) for name, value in response.headers.items()
                   if name.lower() not in UNCACHED_HEADERS]
        entry = (response.get_data(), headers)
        cache.set(key, entry)
    return current_app.response_class(entry[0], headers=entry[1])


def cached_page(view):
    """Serve the view from the page cache when the visitor has no session, and make every
    answer conditional (ETag, `If-None-Match` → 304). The view may read no query-string
    argument outside PAGE_ARGUMENTS."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if _is_personal():
            response = make_response(view(*args, **kwargs))
            response.cache_control.private = True  # never kept by a shared cache
            response.cache_control.no_cache = True
            return response
        response = _cached_response(view, args, kwargs)
        if response.status_code == 200 and not response.direct_passthrough:
            # The language comes from the cookie or Accept-Language (a session is personal).
            response.vary.update(("Cookie", "Accept-Language"))
            response.cache_control.public = True
            response.cache_control.no_cache = True
            response.add_etag()
            response.make_conditional(request)
        return response

    return wrapped


def _shows_publicly(obj, deleted=False):
    if isinstance(obj, WATCHED):
        return True
    if isinstance(obj, ThankYou):  # a message waiting for moderation changes no page
        return ThanksStatus.APPROVED in (obj.status, *inspect(obj).attrs.status.history.deleted)
    # A deleted nomination takes its public row with it in the database (ON DELETE CASCADE),
    # which the session never sees.
    return deleted and isinstance(obj, Nomination)


def _stale_share_image_keys(session):
    """Keys of awards whose share image no longer shows what is allowed: changed or deleted
    rows, under their old key too (a narrowed award gets a new one)."""
    changed = [obj for obj in session.dirty
               if isinstance(obj, PublicAward) and session.is_modified(obj)]
    changed += [obj for obj in session.deleted if isinstance(obj, PublicAward)]
    # Still the flush's own history here: read the keys without loading anything.
    keys = {inspect(obj).dict.get("key") for obj in changed}
    keys |= {old for obj in changed for old in inspect(obj).attrs.key.history.deleted}
    return keys - {None}


def note_public_changes(app, session):
    """Session hook: remember whether this transaction changes what the public pages show."""
    if (any(_shows_publicly(obj) for obj in chain(session.new, session.dirty))
            or any(_shows_publicly(obj, deleted=True) for obj in session.deleted)):
        session.info["public_changed"] = True
    session.info.setdefault("stale_share_images", set()).update(
        _stale_share_image_keys(session))


def invalidate_after_commit(app, session):
    """Session hook: a new cache generation, and stale share images removed."""
    # After the commit, not before: a page rendered between the two would cache old rows,
    # and a rolled-back withdrawal leaves its image in place.
    if session.info.pop("public_changed", False):
        invalidate()
    keys = session.info.pop("stale_share_images", set())
    if keys:
        try:
            for key in keys:
                remove_share_images(key)
        except Exception:  # tidying a cache must not fail the request that committed
            log.exception("Could not remove old share images")


def forget_rolled_back_changes(app, session):
    """Session hook: a rolled-back change changed nothing."""
    session.info.pop("public_changed", None)
    session.info.pop("stale_share_images", None)
