"""The public pages' server-side cache and HTTP caching.

Pages are cached whole, for visitors without a session (a signed-in page or one with a flash
message is personal). Every key carries a *generation*; a commit that touches anything the
public pages show starts a new one, so a withdrawal of consent, a publication or a moderated
message empties the cache at once without listing the keys it affects. Browsers get an ETag
and `no-cache`: they may keep a copy but must ask each time, and the answer is a cheap 304.
"""
import functools
import logging
from itertools import chain
from urllib.parse import urlencode

from flask import current_app, make_response, request, session
from flask_babel import get_locale
from sqlalchemy import inspect
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_cookie, parse_etags
from werkzeug.wrappers import Request
from werkzeug.wsgi import get_host

from awards.core.kept import Generation, Recent, cache_store
from awards.core.languages import LANGUAGE_COOKIE
from awards.core.personal import fill, shared_render
from awards.nominations.models import Area, AwardCycle, Category, Nomination
from awards.public.enums import ThanksStatus
from awards.public.models import PublicAward, ThankYou
from awards.public.share_image import remove_share_images

PUBLIC = Generation("public:generation")
# What a kept page does not keep: computed again for each answer, or never shared.
UNCACHED_HEADERS = {"content-length", "set-cookie", "date"}
SHAREABLE = "awards.page_cache.shareable"  # WSGI environ: the view's page may be kept
# Every query-string argument a cached view may read (the hall of fame's filters and pages).
PAGE_ARGUMENTS = ("q", "year", "area", "category", "page")
# What the public pages show: a change to any of these starts a new generation.
WATCHED = (PublicAward, AwardCycle, Category, Area)
# Pages each process also keeps in memory, most recently used first: a hit then reads only the
# generation from the shared store. Few, so a worker's memory stays small.
RECENT_PAGES = 24
log = logging.getLogger(__name__)


def generation(app=None):
    """The current generation of the public cache (started on first use)."""
    return PUBLIC.current(app)


def per_generation(name, compute):
    """`compute()`'s value, kept for the current generation: computed again after a change
    to the public pages (and every time while the cache cannot be reached)."""
    try:
        key = f"public:{name}:{generation()}"
        value = cache_store().get(key)
    except Exception:
        log.exception("The public page cache cannot be reached")
        return compute()
    if value is None:
        value = compute()
        _keep(key, value)
    return value


def invalidate():
    """Start a new generation: every cached public page is stale from now on."""
    try:
        PUBLIC.advance()
    except Exception:  # a cache that cannot be reached holds nothing to invalidate
        log.exception("Could not invalidate the public page cache")


def _is_personal(cookies, config):
    """Whether the visitor has a session (or a remembered sign-in): their pages are theirs."""
    return any(cookies.get(name) for name in
               (config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME",
                                                          "remember_token")))


@functools.lru_cache(maxsize=512)
def _browser_language(accept_language, languages):
    # Browsers send a handful of distinct headers: parse each once per process.
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages)


def _visitor_language(environ, cookies, config):
    """select_locale's answer for a visitor without a session: the language cookie, else the
    browser's Accept-Language, else the default."""
    languages = tuple(config["LANGUAGES"])
    language = cookies.get(LANGUAGE_COOKIE)
    if language in languages:
        return language
    return (_browser_language(environ.get("HTTP_ACCEPT_LANGUAGE", ""), languages)
            or config["BABEL_DEFAULT_LOCALE"])


def _page_key(environ, language, app, kind="page"):
    """The page's key: generation, language, host, path and the arguments pages read.

    Only the arguments the public pages read count: "?utm_source=..." or any other made-up
    argument shares the page's entry instead of filling the cache with copies. The host too:
    feeds, the sitemap and canonical links hold absolute addresses."""
    arguments = []
    if environ.get("QUERY_STRING"):  # parsed as Flask parses them for the view
        given = Request(environ).args
        arguments = sorted((name, value) for name in PAGE_ARGUMENTS
                           for value in given.getlist(name))
    host = get_host(environ)
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return (f"public:{kind}:{generation(app)}:{language}:{environ['wsgi.url_scheme']}://{host}"
            f"{path}?{urlencode(arguments)}")


class PageCache:
    """WSGI middleware: serve cached public pages before Flask (no routing, session, rate
    limiter or user lookup), and keep the pages that `cached_page` views mark as shareable,
    exactly as they went out (security headers included; the site's pages carry no nonce).

    Only GET and HEAD from visitors without a session are looked up. A page is stored only
    after Flask served it, so its host passed TRUSTED_HOSTS and its arguments were valid.
    """

    def __init__(self, wsgi_app, app):
        self.wsgi_app = wsgi_app
        self.app = app
        self.recent = Recent.for_app(app, RECENT_PAGES)
        # The shared pages (shared_page) each process keeps too.
        app.extensions["shared_pages"] = Recent.for_app(app, RECENT_PAGES)

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        raw_cookies = environ.get("HTTP_COOKIE")
        cookies = parse_cookie(raw_cookies) if raw_cookies else {}
        if _is_personal(cookies, self.app.config):
            return self.wsgi_app(environ, start_response)
        try:
            key = _page_key(environ, _visitor_language(environ, cookies, self.app.config),
                            self.app)
            entry = self.recent.get(key)
            if entry is None:
                entry = cache_store(self.app).get(key)
                if entry is not None:
                    self.recent.put(key, entry)
        except Exception:  # serve the page uncached rather than fail
            log.exception("The public page cache cannot be reached")
            return self.wsgi_app(environ, start_response)
        if entry is not None:
            return _serve(entry, environ, start_response)
        return self._render_and_keep(key, environ, start_response)

    def _render_and_keep(self, key, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        if (not environ.get(SHAREABLE) or environ["REQUEST_METHOD"] != "GET"
                or not captured["status"].startswith("200")):
            return body
        try:
            content = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        headers = [(name, value) for name, value in captured["headers"]
                   if name.lower() not in UNCACHED_HEADERS]
        try:
            cache_store(self.app).set(key, (content, headers))
            self.recent.put(key, (content, headers))
        except Exception:  # the page was served; keeping it is only an optimisation
            log.exception("Could not keep a public page in the cache")
        return [content]


def _serve(entry, environ, start_response):
    """Answer from a kept page: 304 when the browser's copy is current, no body for HEAD."""
    body, headers = entry
    etag = next((value for name, value in headers if name.lower() == "etag"), None)
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if etag and if_none_match and parse_etags(if_none_match).contains_raw(etag):
        start_response("304 Not Modified",
                       [(name, value) for name, value in headers
                        if not name.lower().startswith("content-")])
        return []
    start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def cached_page(view):
    """Keep this view's page for every visitor, and make every answer conditional (ETag,
    `If-None-Match` → 304). The view may read no query-string argument outside
    PAGE_ARGUMENTS.

    Kept twice: the shared page (`shared_page`), from which any visitor's page is made by
    filling in their personal parts, and, for visitors without a session, the finished page,
    which PageCache serves before Flask."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        response = shared_page(view, args, kwargs)
        if _is_personal(request.cookies, current_app.config):
            response.cache_control.private = True  # never kept by a shared cache
            response.cache_control.no_cache = True
            return response
        if response.status_code == 200 and not response.direct_passthrough:
            # A page that wrote to the session (a flash, a form's CSRF token) is this visitor's.
            if not session.modified:
                request.environ[SHAREABLE] = True
            # The language comes from the cookie or Accept-Language (a session is personal).
            response.vary.update(("Cookie", "Accept-Language"))
            response.cache_control.public = True
            response.cache_control.no_cache = True
            response.add_etag()
            response.make_conditional(request)
        return response

    return wrapped


def shared_page(view, args, kwargs):
    """The view's response with this visitor's personal parts filled in, from the page every
    visitor shares: kept per generation, language and address, so the view itself (its
    queries and its template) runs once per change, whoever asks."""
    recent = current_app.extensions["shared_pages"]
    try:
        key = _page_key(request.environ, str(get_locale()), current_app, kind="shared")
        kept = recent.get(key) or cache_store().get(key)
    except Exception:  # a cache that cannot be reached: the page is made as if none were kept
        log.exception("The public page cache cannot be reached")
        key = kept = None
    if kept is not None:
        body, headers = kept
        response = current_app.response_class(body, headers=headers)
    else:
        modified = session.modified
        with shared_render():
            response = make_response(view(*args, **kwargs))
        if (key and response.status_code == 200 and not response.direct_passthrough
                and (modified or not session.modified)):
            kept = (response.get_data(), [(name, value) for name, value in response.headers
                                          if name.lower() not in UNCACHED_HEADERS])
            recent.put(key, kept)
            _keep(key, kept)
    if response.mimetype == "text/html" and not response.direct_passthrough:
        response.set_data(fill(response.get_data(as_text=True)))
    return response


def _keep(key, kept):
    try:
        cache_store().set(key, kept)
    except Exception:  # the page was rendered; keeping it is only an optimisation
        log.exception("Could not keep a public page in the cache")


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
