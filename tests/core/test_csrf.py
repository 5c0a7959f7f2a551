"""CSRF on every state-changing route (with CSRF on), and no GET that changes state."""
import re

import pytest
from sqlalchemy import select

from awards import create_app
from awards.accounts.models import User
from awards.accounts.services import RESET, VERIFY, create_verified_user
from awards.core.jobs import init_jobs
from awards.core.mail.models import OutboxMessage
from awards.core.tokens import Token, issue_token
from awards.extensions import db, limiter
from tests.conftest import DEFAULT_PASSWORD, make_config, wipe_database

pytestmark = pytest.mark.no_app_context

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
EXPIRED = "Your form had expired"
_PARAM = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# Valid-looking answers to every form, so a request that got past CSRF would change something.
FORM = {
    "name": "Mallory Example", "email": "mallory@example.com",
    "password": "a brand new password", "confirm": "a brand new password",
    "current_password": DEFAULT_PASSWORD, "locale": "", "remember": "y",
}


@pytest.fixture(scope="module")
def csrf_app(app, tmp_path_factory):
    application = create_app(make_config(tmp_path_factory.mktemp("csrf"), WTF_CSRF_ENABLED=True))
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.engine.dispose()
    # The job queue and the limiter are global: point them back at the session's app.
    init_jobs(app)
    limiter.init_app(app)


@pytest.fixture(autouse=True)
def _wipe(csrf_app):
    # Requests run outside any app context, as on a server: each gets its own context and
    # database session; the test opens a context only around its own reads and writes.
    yield
    with csrf_app.app_context():
        wipe_database()


def new_client(application):
    return application.test_client()


def fill(rule_text, values=None):
    """The rule's path with each parameter filled (by name from `values`, else a dummy)."""
    values = values or {}

    def one(match):
        converter, name = match.group(1), match.group(2)
        if name in values:
            return values[name]
        return "1" if converter == "int" else "dummy-value"

    return _PARAM.sub(one, rule_text)


def unsafe_routes(application):
    """(method, path) for every rule that accepts a state-changing method."""
    return sorted(
        (method, fill(rule.rule))
        for rule in application.url_map.iter_rules()
        for method in rule.methods & UNSAFE_METHODS
    )


def csrf_token(client, path="/account/register"):
    return _TOKEN.search(client.get(path).get_data(as_text=True))[1]


def snapshot(application):
    """Every row of every table, so any insert, update or delete shows."""
    with application.app_context():
        return {
            table.name: db.session.execute(
                table.select().order_by(*table.primary_key.columns)).all()
            for table in db.metadata.sorted_tables
        }


def users(application):
    """(email, name, verified) of every user."""
    with application.app_context():
        return [(u.email, u.name, u.email_verified_at is not None)
                for u in db.session.scalars(select(User).order_by(User.id))]


def outbox(application):
    """(recipient, kind) of every queued message."""
    with application.app_context():
        return [(m.recipient, m.kind)
                for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def signed_in_client(application):
    """A client signed in through the real form, with its token."""
    with application.app_context():
        create_verified_user("Robin", "robin@example.com", DEFAULT_PASSWORD)
        db.session.commit()
    client = new_client(application)
    response = client.post("/account/sign-in", data={
        "email": "robin@example.com", "password": DEFAULT_PASSWORD,
        "csrf_token": csrf_token(client, "/account/sign-in")})
    assert response.status_code == 302
    assert "robin@example.com" in client.get("/account/profile").get_data(as_text=True)
    return client


def assert_all_rejected(client, application, extra=None):
    before = snapshot(application)
    routes = unsafe_routes(application)
    for method, path in routes:
        response = client.open(path, method=method, data={**FORM, **(extra or {})})
        body = response.get_data(as_text=True)
        assert response.status_code == 400, (method, path)
        assert f"<h1>{EXPIRED}</h1>" in body, (method, path)
    assert snapshot(application) == before
    return routes


def test_csrf_enumeration_covers_known_forms(csrf_app):
    paths = {path for _, path in unsafe_routes(csrf_app)}
    assert {"/account/register", "/account/sign-in", "/account/sign-out",
            "/account/profile", "/account/password", "/account/verify/dummy-value",
            "/account/reset/dummy-value", "/account/forgot-password"} <= paths


def test_csrf_missing_token_rejected_anonymous(csrf_app):
    assert_all_rejected(new_client(csrf_app), csrf_app)
    assert users(csrf_app) == []
    assert outbox(csrf_app) == []


def test_csrf_missing_token_rejected_signed_in(csrf_app):
    client = signed_in_client(csrf_app)
    assert_all_rejected(client, csrf_app)
    # Still signed in (sign-out refused) with the same name and password.
    assert "robin@example.com" in client.get("/account/profile").get_data(as_text=True)
    assert users(csrf_app) == [("robin@example.com", "Robin", True)]
    assert outbox(csrf_app) == []


def test_csrf_token_from_other_session_rejected_anonymous(csrf_app):
    stolen = csrf_token(new_client(csrf_app))
    victim = new_client(csrf_app)
    assert csrf_token(victim) != stolen  # the victim has a session token of its own
    assert_all_rejected(victim, csrf_app, {"csrf_token": stolen})
    assert users(csrf_app) == []
    assert outbox(csrf_app) == []


def test_csrf_token_from_other_session_rejected_signed_in(csrf_app):
    stolen = csrf_token(new_client(csrf_app))
    client = signed_in_client(csrf_app)
    assert_all_rejected(client, csrf_app, {"csrf_token": stolen})
    assert "robin@example.com" in client.get("/account/profile").get_data(as_text=True)


def test_csrf_garbage_token_rejected(csrf_app):
    client = new_client(csrf_app)
    csrf_token(client)
    response = client.post("/account/register", data={**FORM, "csrf_token": "garbage"})
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert users(csrf_app) == []


def test_csrf_valid_token_register_through_form(csrf_app):
    client = new_client(csrf_app)
    response = client.post("/account/register",
                           data={**FORM, "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/register/check-your-email"
    assert users(csrf_app) == [("mallory@example.com", "Mallory Example", False)]
    assert outbox(csrf_app) == [("mallory@example.com", "accounts/verify_email")]


def test_csrf_valid_token_sign_out_through_form(csrf_app):
    client = signed_in_client(csrf_app)
    token = csrf_token(client, "/account/profile")
    response = client.post("/account/sign-out", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 302  # signed out


def crawl_get(client, application, values):
    for rule in application.url_map.iter_rules():
        if "GET" in rule.methods:
            response = client.get(fill(rule.rule, values))
            assert response.status_code in (200, 302, 400, 404), rule.rule


def test_no_get_route_changes_state(csrf_app):
    client = signed_in_client(csrf_app)
    with csrf_app.app_context():
        user = create_verified_user("Kim", "kim@example.com", DEFAULT_PASSWORD)
        user.email_verified_at = None
        # Real, unused links: opening them (as mail scanners do) must not use them.
        verify = issue_token(user, VERIFY, 48)
        reset = issue_token(user, RESET, 1)
        db.session.commit()
    before = snapshot(csrf_app)
    static = {"filename": "css/main.css"}
    crawl_get(new_client(csrf_app), csrf_app, {**static, "token": verify})
    crawl_get(client, csrf_app, {**static, "token": verify})
    crawl_get(new_client(csrf_app), csrf_app, {**static, "token": reset})
    crawl_get(client, csrf_app, {**static, "token": "dummy-value"})
    assert snapshot(csrf_app) == before
    assert users(csrf_app) == [("robin@example.com", "Robin", True),
                               ("kim@example.com", "Kim", False)]
    with csrf_app.app_context():
        assert [t.used_at for t in db.session.scalars(select(Token))] == [None, None]
