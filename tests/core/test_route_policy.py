"""Every endpoint has an access policy, and each policy holds; the dev tools exist only in dev."""
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient

from awards import create_app
from awards.accounts.enums import Role
from awards.accounts.services import RESET, VERIFY
from awards.core.jobs import init_jobs
from awards.core.mail.compose import queue_email
from awards.core.tokens import issue_token
from awards.extensions import db, limiter

PUBLIC = "public"  # anyone, signed in or not, sees the page
ANY = "anonymous-or-any"  # account entry pages: no sign-in needed, signed-in users allowed
SIGNED_IN = "signed-in"
ADMIN = "role:admin"
DEV = "dev-only"  # only where DEV_TOOLS is on (DevelopmentConfig)

POLICY = {
    "static": PUBLIC,
    "core.home": PUBLIC,
    "core.about": PUBLIC,
    "core.privacy": PUBLIC,
    "core.accessibility": PUBLIC,
    "core.healthz": PUBLIC,
    "accounts.register": ANY,
    "accounts.check_email": ANY,
    "accounts.verify_email": ANY,
    "accounts.sign_in": ANY,
    "accounts.forgot_password": ANY,
    "accounts.reset_password": ANY,
    "accounts.sign_out": SIGNED_IN,
    "accounts.change_password": SIGNED_IN,
    "accounts.profile": SIGNED_IN,
    "dev.mailbox": DEV,
    "dev.message": DEV,
    "dev.message_html": DEV,
}

_PARAM = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")


class FreshClient(FlaskClient):
    """Starts every request with an empty `g`, as a real server does: the autouse app context
    of conftest otherwise carries `g` (the signed-in user) across requests and clients."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


def new_client(application):
    return FreshClient(application, application.response_class, use_cookies=True)


def endpoints(application):
    return {rule.endpoint for rule in application.url_map.iter_rules()}


@pytest.fixture
def values(make_user):
    """Real values for path parameters, so each page answers as it does for a real visitor."""
    owner = make_user(verified=False)
    links = {"verify": issue_token(owner, VERIFY, 48), "reset": issue_token(owner, RESET, 1)}
    db.session.commit()
    return {"filename": "css/main.css", "token": links, "message_id": "1"}


def with_token(values, path_rule):
    token = values["token"]["reset" if "/reset/" in path_rule else "verify"]
    return {**values, "token": token}


def build_requests(application, policy, values):
    # Token routes need the link of their own purpose.
    out = []
    for rule in application.url_map.iter_rules():
        if POLICY.get(rule.endpoint) == policy:
            filled = with_token(values, rule.rule)
            method = "GET" if "GET" in rule.methods else min(rule.methods - {"OPTIONS"})
            out.append((method, _PARAM.sub(lambda m, f=filled: str(f[m.group(1)]), rule.rule)))
    return sorted(out)


def signed_in(application, make_user, sign_in, roles=()):
    client = new_client(application)
    assert sign_in(make_user(roles=roles), target=client).status_code == 302
    return client


@pytest.fixture
def config_app(app, tmp_path, monkeypatch):
    """Factory: an app from a named config and the environment (SQLite under tmp)."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret-key-of-40-bytes-long!")
    monkeypatch.setenv("HUEY_IMMEDIATE", "1")
    for name in ("REDIS_URL", "SERVER_NAME", "TRUSTED_HOSTS", "MAIL_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    built = []

    def build(name):
        application = create_app(name)
        with application.app_context():
            db.create_all()
        built.append(application)
        return application

    yield build
    for application in built:
        with application.app_context():
            db.engine.dispose()
    # The job queue and the limiter are global: point them back at the session's app.
    init_jobs(app)
    limiter.init_app(app)


@pytest.mark.no_app_context
def test_route_policy_table_covers_exactly_the_endpoints(app, config_app):
    assert set(POLICY.values()) <= {PUBLIC, ANY, SIGNED_IN, ADMIN, DEV}
    development = config_app("development")
    # A new route without a policy entry (or a stale entry) fails here.
    assert endpoints(development) == set(POLICY)
    assert endpoints(app) == {e for e, p in POLICY.items() if p != DEV}


def test_route_policy_public_answers_anonymous_and_signed_in(app, values, make_user, sign_in):
    checks = build_requests(app, PUBLIC, values)
    assert len(checks) == 6
    for client in (new_client(app), signed_in(app, make_user, sign_in)):
        for method, path in checks:
            response = client.open(path, method=method)
            assert response.status_code == 200, path
            assert "Location" not in response.headers, path


def test_route_policy_anonymous_or_any(app, values, make_user, sign_in):
    checks = build_requests(app, ANY, values)
    assert len(checks) == 6
    anonymous = new_client(app)
    for method, path in checks:
        response = anonymous.open(path, method=method)
        assert response.status_code == 200, path
        assert "<h1" in response.get_data(as_text=True), path
    member = signed_in(app, make_user, sign_in)
    for method, path in checks:
        response = member.open(path, method=method)
        # Allowed (or sent on, e.g. sign-in to the home page), never refused.
        assert response.status_code in (200, 302), path
        assert not response.headers.get("Location", "").startswith("/account/sign-in"), path


def assert_sends_to_sign_in(response, path):
    assert response.status_code == 302, path
    location = urlsplit(response.headers["Location"])
    assert location.path == "/account/sign-in", path
    assert parse_qs(location.query)["next"] == [path], path


def test_route_policy_signed_in(app, values, make_user, sign_in):
    checks = build_requests(app, SIGNED_IN, values)
    assert len(checks) == 3
    anonymous = new_client(app)
    for method, path in checks:
        assert_sends_to_sign_in(anonymous.open(path, method=method), path)
    member = signed_in(app, make_user, sign_in)
    for method, path in checks:
        response = member.open(path, method=method)
        if method == "GET":
            assert response.status_code == 200, path
        else:  # sign-out: done, back to the home page
            assert (response.status_code, response.headers["Location"]) == (302, "/"), path


def test_route_policy_admin(app, values, make_user, sign_in):
    checks = build_requests(app, ADMIN, values)
    if not checks:
        pytest.skip("no role:admin routes yet (role_required itself: test_errors.py 403)")
    anonymous = new_client(app)
    resident = signed_in(app, make_user, sign_in)
    admin = signed_in(app, make_user, sign_in, roles=[Role.ADMIN])
    for method, path in checks:
        assert_sends_to_sign_in(anonymous.open(path, method=method), path)
        assert resident.open(path, method=method).status_code == 403, path
        assert admin.open(path, method=method).status_code in (200, 302), path


def test_route_policy_dev_only_absent_in_testing(app, client):
    assert not any(e.startswith("dev.") for e in endpoints(app))
    for path in ("/dev/mail", "/dev/mail/1", "/dev/mail/1/html"):
        assert client.get(path).status_code == 404, path


@pytest.mark.no_app_context
def test_route_policy_dev_only_present_in_development(config_app):
    development = config_app("development")
    assert development.config["DEV_TOOLS"] is True
    with development.app_context():
        message = queue_email("accounts/password_changed", "sam@example.com",
                              user={"name": "Sam"}, reset_link="http://localhost/reset")
        db.session.commit()
        message_id = message.id
    client = development.test_client()
    mailbox = client.get("/dev/mail")
    assert mailbox.status_code == 200
    assert "sam@example.com" in mailbox.get_data(as_text=True)
    assert client.get(f"/dev/mail/{message_id}").status_code == 200
    assert "Sam" in client.get(f"/dev/mail/{message_id}/html").get_data(as_text=True)


@pytest.mark.no_app_context
def test_route_policy_dev_only_absent_in_production(config_app):
    production = config_app("production")
    assert not any(e.startswith("dev.") for e in endpoints(production))
    response = production.test_client().get("/dev/mail", base_url="https://localhost")
    assert response.status_code == 404
