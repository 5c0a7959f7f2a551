"""Friendly error pages (400-500) that leak nothing, and the health check."""
import os

import pytest
from flask import Blueprint
from sqlalchemy import func, select

from awards.accounts.enums import Role
from awards.accounts.services import create_verified_user
from awards.core.audit import AuditEvent
from awards.core.security import role_required
from awards.extensions import db
from tests.conftest import DEFAULT_PASSWORD, require

LEAKS = ("Traceback", 'File "', ".py", "Werkzeug", "sqlalchemy", "Exception")


def assert_friendly(response, code, title):
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert f"<title>{title} – " in body
    assert f"<h1>{title}</h1>" in body
    for leak in LEAKS:
        assert leak not in body, leak
    return body


def add_user(application, email, roles=()):
    with application.app_context():
        create_verified_user("Someone", email, DEFAULT_PASSWORD, roles=roles)
        db.session.commit()


def sign_in(client, email):
    response = client.post("/account/sign-in", data={"email": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


@pytest.mark.no_app_context
def test_error_400_csrf_is_friendly(build_app):
    application = build_app(WTF_CSRF_ENABLED=True)
    response = application.test_client().post("/account/sign-in", data={"email": "a@b.example"})
    body = assert_friendly(response, 400, "Your form had expired")
    assert "The CSRF token is missing" not in body


def admin_only_blueprint():
    blueprint = Blueprint("test_admin", __name__)

    @blueprint.route("/test-only/admin")
    @role_required(Role.ADMIN)
    def admin_page():
        return "admin area"

    return blueprint


@pytest.mark.no_app_context
def test_error_403_role_required_is_friendly(build_app):
    application = build_app(blueprint=admin_only_blueprint())
    add_user(application, "resident@example.com")
    add_user(application, "admin@example.com", roles=[Role.ADMIN])

    anonymous = application.test_client().get("/test-only/admin")
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/account/sign-in?next=")

    resident = application.test_client()
    sign_in(resident, "resident@example.com")
    body = assert_friendly(resident.get("/test-only/admin"), 403,
                           "You do not have access to this page")
    assert "admin area" not in body

    admin = application.test_client()
    sign_in(admin, "admin@example.com")
    allowed = admin.get("/test-only/admin")
    assert (allowed.status_code, allowed.get_data(as_text=True)) == (200, "admin area")


def test_error_404_is_friendly(client):
    assert_friendly(client.get("/no/such/page"), 404, "Page not found")


def test_error_404_static_file_is_plain(client):
    # Missing static files keep the bare 404 (no page render for each broken asset).
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404
    assert "Page not found" not in response.get_data(as_text=True)


def test_error_405_get_sign_out_is_friendly(client):
    response = client.get("/account/sign-out")
    assert_friendly(response, 405, "That action is not available here")
    assert "POST" in response.headers["Allow"]


@pytest.mark.no_app_context
def test_error_413_body_too_large_is_friendly(build_app):
    application = build_app(MAX_CONTENT_LENGTH=1024)
    response = application.test_client().post("/account/register", data={
        "name": "x" * 5000, "email": "big@example.com",
        "password": "long enough password", "confirm": "long enough password"})
    assert_friendly(response, 413, "That file is too large")
    with application.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


@pytest.mark.no_app_context
def test_error_429_rate_limited_is_friendly(build_app):
    # In-memory counts: a shared Redis (REDIS_URL) may hold attempts from other tests.
    application = build_app(RATELIMIT_ENABLED=True, RATELIMIT_SIGN_IN="2 per minute",
                            RATELIMIT_STORAGE_URI="memory://")
    client = application.test_client()
    wrong = {"email": "nobody@example.com", "password": "not the password"}
    assert [client.post("/account/sign-in", data=wrong).status_code for _ in range(2)] == [200, 200]
    response = client.post("/account/sign-in", data=wrong)
    assert_friendly(response, 429, "Too many attempts")
    assert int(response.headers["Retry-After"]) > 0
    with application.app_context():
        # The third attempt never reached the view: two failures audited, not three.
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert actions == ["user.sign_in_failed", "user.sign_in_failed"]


SECRET_DETAIL = "secret-internal-detail at /srv/awards/private_module.py line 42"


def failing_blueprint():
    blueprint = Blueprint("test_boom", __name__)

    @blueprint.route("/test-only/boom")
    def boom():
        raise RuntimeError(SECRET_DETAIL)

    return blueprint


@pytest.mark.no_app_context
def test_error_500_unexpected_exception_is_friendly(build_app):
    application = build_app(blueprint=failing_blueprint(), PROPAGATE_EXCEPTIONS=False)
    response = application.test_client().get("/test-only/boom")
    body = assert_friendly(response, 500, "Sorry, there is a problem with the service")
    assert "secret-internal-detail" not in body and "RuntimeError" not in body
    assert "Content-Security-Policy" in response.headers


def test_healthz_ok(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    redis = {"redis": "ok"} if app.config.get("REDIS_URL") else {}
    assert response.get_json() == {"status": "ok", "database": "ok", **redis}


@pytest.mark.no_app_context
@pytest.mark.parametrize("url", [
    "sqlite:///{tmp}/missing-directory/nested/awards.sqlite3",
    "postgresql+psycopg://nobody@127.0.0.1:1/awards?connect_timeout=2",  # a closed port
])
def test_healthz_database_unreachable_is_503(build_app, tmp_path, url):
    application = build_app(schema=False, SQLALCHEMY_DATABASE_URI=url.format(tmp=tmp_path))
    response = application.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    for leak in LEAKS + ("OperationalError", "127.0.0.1", "missing-directory"):
        assert leak not in response.get_data(as_text=True), leak


@pytest.mark.no_app_context
def test_healthz_names_redis_when_it_is_configured_and_unreachable(build_app):
    """Redis holds the queue, the rate limits and the page cache of every node: a node that
    cannot reach it must leave the pool, and say which service failed."""
    application = build_app(REDIS_URL="redis://127.0.0.1:1/0")  # a closed port
    response = application.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "ok",
                                   "redis": "unreachable"}


@pytest.mark.redis
@pytest.mark.no_app_context
def test_healthz_checks_redis_when_it_is_configured(build_app):
    url = os.environ.get("REDIS_URL")
    require(bool(url), "REDIS_URL is not set (Redis tests need a real server)")
    response = build_app(REDIS_URL=url).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.mark.parametrize("method, path, data", [
    ("GET", "/nominate/any-cycle?category=a%00b", None),
    ("GET", "/winners/a%00b/name", None),
    ("POST", "/account/forgot-password", {"email": "a\x00@example.com"}),
    ("POST", "/account/sign-in", {"email": "someone@example.com", "password": "x\x00y"}),
])
def test_a_nul_character_anywhere_is_a_400_not_a_500(client, method, path, data):
    """PostgreSQL cannot store NUL: found by the fuzz test on PostgreSQL (a 500 before)."""
    response = client.open(path, method=method, data=data)
    assert response.status_code == 400
    assert "Something was wrong with that request" in response.get_data(as_text=True)
