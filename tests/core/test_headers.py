"""Security headers, cookies and inline-code rules on every page; production config checks."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import select

from awards import create_app
from awards.accounts.enums import Role
from awards.accounts.services import create_verified_user
from awards.core.mail.models import OutboxMessage
from awards.core.urls import external_url
from awards.extensions import db
from config import DEVELOPMENT_SECRET_KEY, ProductionConfig
from tests.conftest import DEFAULT_PASSWORD, STRONG_SECRET, link_in
from tests.core.test_route_policy import NOMINATOR, POLICY, queue_dev_message
from tests.routes import DUMMY, paths_for, route_objects, rules_for

AWARDS = Path(__file__).resolve().parents[2] / "awards"
# Endpoints by who may see them: what a GET answers others (see `crawl_as`).
ADMIN_ONLY = {
    "moderation.queue", "moderation.detail", "moderation.readiness", "setup.areas",
    "setup.cycles", "setup.cycle", "setup.new_cycle", "setup.edit_cycle", "setup.copy_cycle",
    "setup.new_category", "setup.edit_category", "setup.edit_area", "setup.index",
}
ADMIN_ONLY |= {"panel_admin.panels", "panel_admin.new_panel", "panel_admin.panel",
               "panel_admin.edit_panel", "panel_admin.rubric", "panel_admin.criterion",
               "panel_admin.publish", "thanks.queue"}
ADMIN_ONLY |= {"admin_dashboard.index", "admin_audit.index", "admin_mail.index"}
ADMIN_ONLY |= {"moderation.record_recognition", "insight.report", "insight.support_queue",
               "insight.review_support"}
ADMIN_ONLY |= {"privacy.index", "privacy.access", "privacy.erase"}
ADMIN_ONLY |= {"newsletter_admin.index", "newsletter_admin.new", "newsletter_admin.issue",
               "newsletter_admin.edit", "newsletter_admin.preview",
               "newsletter_admin.preview_frame", "newsletter_admin.send",
               "newsletter_admin.progress", "newsletter_admin.progress_data",
               "newsletter_admin.control"}
# The newsletter preview's e-mail, shown to the admin in frames of the preview page: our own
# pages may frame it (and only it).
FRAMED_BY_OWN_PAGES = "/preview/email"
ADMIN_ONLY |= {"users.index", "users.detail"}
HELPER_OR_ADMIN = {"assist.start", "moderation.record_consent"}
SIGNED_IN_ONLY = {"accounts.change_password", "accounts.profile", "nominations.mine",
                  "panels.dashboard", "accounts.two_factor_settings", "accounts.two_factor_enrol"}
# Judging pages: for the panel's members only (404 for anyone else signed in); the chair's
# pages for its chairs and admins. The sent nomination is not in judging, so its judging
# pages answer 404 to everyone.
PANEL_ONLY = {"panels.judge", "panels.nomination", "panels.photo"}
CHAIR_OR_ADMIN = {"chair.overview", "chair.results_export"}
# The draft's pages; the crawl opens the nominator's link to the sent nomination (/n/<token>
# sorts before /nomination/...), so that browser may then see the sent one's pages.
DRAFT_PAGES = {"nominations.step", "nominations.check", "nominations.photo"}


@pytest.fixture
def objects(make_user):
    """Real objects for every route; the resident nominated the draft and the sent one."""
    resident = make_user(name="Rosa Resident", email="rosa@example.com")
    made = route_objects(nominator=resident)
    made.resident = resident
    made.admin = make_user(name="Ada Admin", email="ada@example.com", roles=[Role.ADMIN])
    return made


def crawl(client, app, values):
    """Every GET page (each step and photo size) as {path: (endpoint, response)}, plus a
    missing page; every parameter is a real object or link."""
    pages = {}
    for rule in rules_for(app, "GET"):
        for path in paths_for(rule, values):
            assert DUMMY not in path, path
            pages[path] = (rule.endpoint, client.get(path))
    pages["/no-such-page"] = (None, client.get("/no-such-page"))
    assert pages["/no-such-page"][1].status_code == 404
    return pages


def unexpected(pages, expected):
    """(path, status) of every page whose status is not `expected` (by path, else by
    endpoint, else 200)."""
    return [(path, response.status_code) for path, (endpoint, response) in pages.items()
            if endpoint and response.status_code != expected.get(
                path, expected.get(endpoint, 200))]


def crawl_as(who, client, app, objects, sign_in):
    """Crawl as "anonymous", "resident" (the nominator) or "admin"; checks each page
    answered as that visitor should, so the header checks run on the real pages."""
    if who != "anonymous":
        assert sign_in(getattr(objects, who), target=client).status_code == 302
    pages = crawl(client, app, objects.values)
    expected = {"nominations.choose_cycle": 302, "nominations.open_link": 302,
                "core.language": 302,  # sets the language cookie and goes back
                # The second step of signing in: to sign in, or (signed in) on to the home page.
                "accounts.two_factor_verify": 302,
                # A winner's address without the name leads to the one with it.
                f"/winners/{objects.published.award.key}": 302}
    if who == "anonymous":
        expected |= {e: 403 for e in DRAFT_PAGES}
        expected |= {e: 302 for e in ADMIN_ONLY | HELPER_OR_ADMIN | SIGNED_IN_ONLY | PANEL_ONLY
                     | CHAIR_OR_ADMIN | {"chair.decide"}}
    else:
        expected["accounts.sign_in"] = 302  # to the home page
        expected |= {e: 404 for e in PANEL_ONLY | {"chair.decide"}}
    if who == "resident":
        expected |= {e: 403 for e in ADMIN_ONLY | HELPER_OR_ADMIN}
        expected |= {e: 404 for e in CHAIR_OR_ADMIN}
    assert unexpected(pages, expected) == []
    return pages


def csp_directives(response):
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response, path):
    csp = csp_directives(response)
    assert "'self'" in csp["default-src"], path
    assert csp["script-src"] == ["'self'"], path
    assert "'unsafe-inline'" not in csp["script-src"], path
    assert "'unsafe-inline'" not in csp.get("style-src", []), path
    assert "'unsafe-eval'" not in csp["script-src"], path
    framed = path.endswith(FRAMED_BY_OWN_PAGES) and response.status_code == 200
    assert csp["frame-ancestors"] == (["'self'"] if framed else ["'none'"]), path
    assert csp["base-uri"] in (["'self'"], ["'none'"]), path
    assert csp["object-src"] == ["'none'"], path
    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    assert response.headers["Referrer-Policy"] in {
        "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}, path


class InlineCode(HTMLParser):
    """Collects inline scripts, inline styles and event-handler attributes."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        # A JSON-LD block is data the browser never runs (and CSP does not apply to it).
        if tag == "script" and "src" not in names and (
                dict(attrs).get("type") != "application/ld+json"):
            self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style>")
        if "style" in names:
            self.problems.append(f"style= on <{tag}>")
        self.problems += [f"{n}= on <{tag}>" for n in names if n.startswith("on")]


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.problems


def test_headers_on_every_page_anonymous(app, client, objects, sign_in):
    pages = crawl_as("anonymous", client, app, objects, sign_in)
    assert len(pages) == 123  # 106 GET rules, each step, photo size and send control, a
    # missing page
    for path, (_endpoint, response) in pages.items():
        assert_security_headers(response, path)
        assert "Strict-Transport-Security" not in response.headers, path


@pytest.mark.parametrize("who", ["resident", "admin"])
def test_headers_on_every_page_signed_in(app, client, objects, sign_in, who):
    pages = crawl_as(who, client, app, objects, sign_in)
    email = getattr(objects, who).email
    assert email in client.get("/account/profile").get_data(as_text=True)  # really signed in
    for path, (_endpoint, response) in pages.items():
        assert_security_headers(response, path)
        assert "no-store" in response.headers["Cache-Control"], path
        assert "Strict-Transport-Security" not in response.headers, path


def test_headers_anonymous_pages_may_be_cached(client):
    # no-store is for signed-in pages only; public pages stay cacheable.
    assert "no-store" not in client.get("/about").headers.get("Cache-Control", "")


def test_headers_pages_opened_from_emailed_links_are_never_stored(app, objects):
    # Every page whose address holds a secret link (consent, supporter, the nominator's link,
    # password reset, e-mail verification) and every nominator's page, opened without an
    # account by a browser that followed the nominator's links: never kept in any cache.
    client = app.test_client()
    for token in (objects.tokens["nominator-draft"], objects.tokens["nominator"]):
        assert client.get(f"/n/{token}").status_code == 302
    checked = {}
    for rule in rules_for(app, "GET"):
        if "<token>" not in rule.rule and POLICY[rule.endpoint] != NOMINATOR:
            continue
        for path in paths_for(rule, objects.values):
            response = client.get(path)
            assert response.status_code in (200, 302), path
            checked[path] = response.headers.get("Cache-Control", "")
    assert len([r for r in rules_for(app, "GET") if "<token>" in r.rule]) == 12
    assert len(checked) == 12 + 13  # the link pages; the nominator's (each step, photo size)
    assert {path: cache for path, cache in checked.items() if "no-store" not in cache} == {}
    # A link's page answers no-store even when the link is bad.
    bad = client.get("/consent/not-a-token")
    assert bad.status_code == 404 and "no-store" in bad.headers["Cache-Control"]


def test_a_cached_page_carries_no_nonce_another_answer_reused(client):
    """Scripts are the site's own files: no nonce in the policy or the page, so a page kept in
    the page cache and served many times holds nothing that belonged to one answer."""
    first, second = client.get("/"), client.get("/")
    assert first.get_data() == second.get_data()
    for response in (first, second):
        assert "nonce" not in response.headers["Content-Security-Policy"]
        assert "nonce=" not in response.get_data(as_text=True)


def test_no_inline_code_on_any_page(app, objects, sign_in):
    html_pages = []
    for who in ("anonymous", "resident", "admin"):
        pages = crawl_as(who, app.test_client(), app, objects, sign_in)
        html_pages += [(path, response) for path, (_e, response) in pages.items()
                       if response.mimetype == "text/html"]
    assert len(html_pages) == 327
    for path, response in html_pages:
        assert inline_code(response.get_data(as_text=True)) == [], path


def test_inline_code_checker_catches_inline_code():
    problems = inline_code('<script>x()</script><style>p{}</style><p style="c" onclick="y">')
    assert problems == ["<script> without src", "<style>", "style= on <p>", "onclick= on <p>"]
    assert inline_code('<script src="/static/js/app.js" nonce="n"></script>') == []
    assert inline_code('<script type="application/ld+json">{"@type": "WebPage"}</script>') == []


def test_cookies_http_only_same_site_lax(client, make_user, sign_in):
    response = sign_in(make_user(), remember=True)
    cookies = set_cookies(response)
    assert set(cookies) >= {"session", "remember_token"}
    for name in ("session", "remember_token"):
        assert "httponly" in cookies[name], name
        assert cookies[name].get("samesite") == "lax", name


def set_cookies(response):
    """{name: {attribute: value}} from the Set-Cookie headers (attribute names lower-cased)."""
    cookies = {}
    for header in response.headers.getlist("Set-Cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        name = first.partition("=")[0]
        cookies[name] = {a.partition("=")[0].lower(): a.partition("=")[2].lower()
                         for a in attributes}
    return cookies


@pytest.mark.no_app_context
def test_production_sends_hsts_and_secure_cookies(environment_app):
    production = environment_app("production")
    with production.app_context():
        create_verified_user("Sam", "sam@example.com", DEFAULT_PASSWORD)
        db.session.commit()
    client = production.test_client()
    https = {"base_url": "https://localhost"}

    page = client.get("/account/sign-in", **https)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(re.search(r"max-age=(\d+)", page.headers["Strict-Transport-Security"])[1]) \
        >= 31536000
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      page.get_data(as_text=True))[1]
    response = client.post(
        "/account/sign-in", **https,
        data={"email": "sam@example.com", "password": DEFAULT_PASSWORD, "remember": "y",
              "csrf_token": token},
        headers={"Referer": "https://localhost/account/sign-in"},
    )
    assert response.status_code == 302
    cookies = set_cookies(response)
    for name in ("session", "remember_token"):
        assert {"secure", "httponly"} <= set(cookies[name]), name
        assert cookies[name]["samesite"] == "lax", name

    profile = client.get("/account/profile", **https)
    assert "sam@example.com" in profile.get_data(as_text=True)
    assert_security_headers(profile, "/account/profile")
    assert "no-store" in profile.headers["Cache-Control"]
    assert "Strict-Transport-Security" in profile.headers


@pytest.mark.no_app_context
def test_dev_mailbox_pages_have_no_inline_code(environment_app):
    development = environment_app("development")
    message_id = queue_dev_message(development)
    client = development.test_client()
    for path in ("/dev/mail", f"/dev/mail/{message_id}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response, path)
        assert inline_code(response.get_data(as_text=True)) == [], path
    # The e-mail body keeps its inline styles but runs sandboxed under its own strict policy.
    body = client.get(f"/dev/mail/{message_id}/html")
    policy = body.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'") and "sandbox" in policy
    assert "script-src" not in policy


def test_production_refuses_missing_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/unused.sqlite3")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_short_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 31)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/unused.sqlite3")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_missing_database_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")


def test_production_trusted_hosts_from_environment(monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "awards.example, www.awards.example,")
    assert ProductionConfig().TRUSTED_HOSTS == ["awards.example", "www.awards.example"]
    monkeypatch.delenv("TRUSTED_HOSTS")
    assert ProductionConfig().TRUSTED_HOSTS is None


@pytest.mark.no_app_context
def test_production_rejects_untrusted_host(environment_app, monkeypatch):
    monkeypatch.setenv("TRUSTED_HOSTS", "awards.example")
    monkeypatch.setenv("PUBLIC_URL", "https://awards.example")
    production = environment_app("production")
    client = production.test_client()
    assert client.get("/about", base_url="https://awards.example").status_code == 200
    assert client.get("/about", base_url="https://evil.example").status_code == 400


def test_production_refuses_the_development_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/unused.sqlite3")
    with pytest.raises(RuntimeError, match="SECRET_KEY is a key published in the repository"):
        create_app("production")


def test_production_refuses_to_start_without_public_url_or_trusted_hosts(monkeypatch):
    """With only SECRET_KEY and DATABASE_URL set, e-mailed links would follow the Host a
    request claims (a reset link to https://evil.example/...)."""
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/unused.sqlite3")
    for name in ("PUBLIC_URL", "BASE_URL", "TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_URL must be set"):
        create_app("production")
    monkeypatch.setenv("PUBLIC_URL", "https://awards.example")
    with pytest.raises(RuntimeError, match="TRUSTED_HOSTS must be set"):
        create_app("production")


@pytest.mark.no_app_context
def test_production_emailed_links_start_with_public_url_whatever_the_host(
        environment_app, monkeypatch):
    """A forgot-password POST to another trusted name, or with X-Forwarded-Host (which
    ProxyFix believes), still mails a link on PUBLIC_URL."""
    monkeypatch.setenv("PUBLIC_URL", "https://awards.example")
    monkeypatch.setenv("TRUSTED_HOSTS", "awards.example,www.awards.example,localhost")
    monkeypatch.setenv("MAIL_BACKEND", "store")
    monkeypatch.setenv("MAIL_UNPROVEN_WINDOW", "0")  # both requests mail a link
    production = environment_app("production", WTF_CSRF_ENABLED=False)
    with production.app_context():
        create_verified_user("Sam", "sam@example.com", DEFAULT_PASSWORD)
        db.session.commit()
    client = production.test_client()
    asked = [({"base_url": "https://www.awards.example"}),
             ({"base_url": "https://localhost",
               "headers": {"X-Forwarded-Host": "www.awards.example"}})]
    for request in asked:
        response = client.post("/account/forgot-password", data={"email": "sam@example.com"},
                               **request)
        assert response.status_code == 200
        assert "sam@example.com" in response.get_data(as_text=True)
    with production.app_context():
        messages = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "sam@example.com")
            .order_by(OutboxMessage.id)).all()
        links = [link_in(message, "/account/reset/") for message in messages]
    assert len(links) == 2
    assert all(link.startswith("https://awards.example/account/reset/") for link in links), links


def test_external_url_ignores_the_request_host(app):
    """Every e-mailed link is built by external_url, from PUBLIC_URL alone."""
    with app.test_request_context("/", base_url="https://evil.example",
                                  headers={"X-Forwarded-Host": "evil.example"}):
        assert external_url("accounts.reset_password", token="abc") == (
            app.config["PUBLIC_URL"] + "/account/reset/abc")
    assert external_url("accounts.sign_in") == app.config["PUBLIC_URL"] + "/account/sign-in"


def test_emailed_links_are_built_only_by_external_url():
    """No e-mail or service module builds a link itself (url_for uses the request's host)."""
    modules = [path for pattern in ("**/emails.py", "**/services.py", "**/services/*.py")
               for path in AWARDS.glob(pattern)]
    assert len(modules) > 8
    builders = [str(path.relative_to(AWARDS)) for path in modules
                if re.search(r"url_for\(|_external\s*=", path.read_text())]
    assert builders == []


@pytest.mark.no_app_context
@pytest.mark.parametrize("hops", [1, 0])
def test_rate_limits_trust_exactly_proxy_fix_hops(environment_app, monkeypatch, hops):
    """With one proxy, the client is the last X-Forwarded-For entry (what our proxy saw):
    changing the entries before it gives no fresh counter. With none, the header is ignored."""
    monkeypatch.setenv("PROXY_FIX_HOPS", str(hops))
    monkeypatch.setenv("RATELIMIT_SIGN_IN", "2 per minute")
    production = environment_app("production", WTF_CSRF_ENABLED=False)
    client = production.test_client()
    attempt = {"email": "someone@example.com", "password": "guessing"}

    def sign_in(forwarded_for):
        return client.post("/account/sign-in", data=attempt, base_url="https://localhost",
                           headers={"X-Forwarded-For": forwarded_for}).status_code

    spoofed = ["1.2.3.4, 5.6.7.8", "9.9.9.9, 5.6.7.8", "10.0.0.1, 5.6.7.8"]
    assert [sign_in(value) for value in spoofed] == [200, 200, 429]
    # Another client as seen by the proxy: a counter of its own only if a proxy is trusted.
    assert sign_in("1.2.3.4, 5.6.7.9") == (200 if hops else 429)
