"""Shared fixtures: one app and database per test session, cleaned after every test.

DATABASE_URL selects PostgreSQL (CI runs the suite on both); REDIS_URL switches Huey,
rate limits and caching to Redis. Fixtures return factories (flaskr / pretalx style).
"""
import os
import re

import pytest
from sqlalchemy import select, text
from werkzeug.datastructures import MultiDict

from awards import create_app, factories
from awards.core.mail.models import OutboxMessage
from awards.extensions import cache, db
from config import TestingConfig, normalise_database_url

IN_CI = os.environ.get("CI", "").lower() == "true"
DEFAULT_PASSWORD = factories.DEFAULT_PASSWORD
STRONG_SECRET = "a-production-secret-key-of-40-bytes-long!"  # passes production's check


def require(available, reason):
    """Skip when a service is missing on a developer's machine; fail in CI (CI=true)."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def make_config(tmp_dir, **overrides):
    """A TestingConfig pointing at a throwaway instance folder and the test database."""
    config = TestingConfig()
    config.INSTANCE_PATH = str(tmp_dir)
    config.HUEY_SQLITE_PATH = str(tmp_dir / "huey.sqlite3")
    url = os.environ.get("DATABASE_URL")
    config.UPLOAD_DIR = str(tmp_dir / "uploads")
    config.TEMPLATE_CACHE_DIR = str(tmp_dir / "template-cache")
    config.SQLALCHEMY_DATABASE_URI = (
        normalise_database_url(url) if url else f"sqlite:///{tmp_dir}/test.sqlite3"
    )
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The application under test, with an empty schema."""
    application = create_app(make_config(tmp_path_factory.mktemp("instance")))
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(request, app):
    """Each test runs inside an app context and leaves no rows behind."""
    if "browser" in request.keywords or "no_app_context" in request.keywords:
        yield
        return
    with app.app_context():
        yield
        db.session.remove()
        wipe_database()
        cache.clear()  # cached public pages belong to this test's rows


@pytest.fixture
def build_app(app, tmp_path):
    """Factory: a separate app with its schema, for a test that needs its own config or routes.

    `build_app(**overrides)` builds from `make_config` (a folder of its own under tmp_path: own
    SQLite file, or the test PostgreSQL database); `build_app("production", **overrides)` from
    a named config and the environment (set it with monkeypatch first). `blueprint` is
    registered before the first request; `schema=False` makes no tables (and wipes none: for a
    database that cannot be reached). Afterwards each app's rows are wiped and its engine
    disposed.
    """
    built = []

    def build(config=None, blueprint=None, schema=True, **overrides):
        if config is None:
            config = make_config(tmp_path / f"app{len(built)}", **overrides)
            overrides = {}
        application = create_app(config, **overrides)
        if blueprint is not None:
            application.register_blueprint(blueprint)
        built.append((application, schema))
        if schema:
            with application.app_context():
                db.create_all()
        return application

    yield build
    for application, schema in built:
        with application.app_context():
            db.session.remove()
            if schema:
                wipe_database()  # on PostgreSQL, make_config's apps share the session database
            db.engine.dispose()


@pytest.fixture
def environment_app(build_app, tmp_path, monkeypatch):
    """Factory: `build_app(name)` for a named config read from an environment pointed at
    tmp_path (SQLite file, jobs inline, a strong SECRET_KEY, no Redis or SERVER_NAME) with
    what production requires for the test client's host: PUBLIC_URL https://localhost,
    TRUSTED_HOSTS localhost, one proxy, one worker; set more variables with monkeypatch
    before calling it."""
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite3")
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.setenv("HUEY_IMMEDIATE", "1")
    monkeypatch.setenv("PUBLIC_URL", "https://localhost")
    monkeypatch.setenv("TRUSTED_HOSTS", "localhost")
    monkeypatch.setenv("PROXY_FIX_HOPS", "1")
    monkeypatch.setenv("WEB_CONCURRENCY", "1")  # no Redis: rate limits counted in-process
    for name in ("REDIS_URL", "SERVER_NAME", "MAIL_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    return build_app


def wipe_database():
    """Delete every row (quicker than recreating the schema)."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    """A test client (CSRF off; see tests/core/test_csrf.py for CSRF on)."""
    return app.test_client()


@pytest.fixture
def make_user():
    """Factory: a verified user with optional roles; the password is DEFAULT_PASSWORD."""
    counter = iter(range(1, 10_000))

    def factory(name=None, email=None, password=DEFAULT_PASSWORD, roles=(), verified=True):
        number = next(counter)
        user = factories.user(name or f"Person {number}", email or f"person{number}@example.com",
                              password, roles=roles, verified=verified)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def sign_in(client):
    """Sign a user in through the real form; returns the response."""

    def do(user, password=DEFAULT_PASSWORD, remember=False, target=client):
        data = {"email": user.email, "password": password}
        if remember:
            data["remember"] = "y"
        return target.post("/account/sign-in", data=data)

    return do


@pytest.fixture
def outbox():
    """Factory: the outbox rows (optionally for one recipient), oldest first."""

    def rows(recipient=None):
        db.session.expire_all()
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if recipient:
            query = query.where(OutboxMessage.recipient == recipient)
        return db.session.scalars(query).all()

    return rows


def field_error(field_id, message):
    """The error as rendered next to its field by the form macro."""
    return (f'<p id="{field_id}-error" class="field-error"><span class="visually-hidden">'
            f"Error:</span> {message}</p>")


def summary_error(field_id, message):
    """The error as a link in the error summary at the top of the page."""
    return f'<li><a href="#{field_id}">{message}</a></li>'


def link_in(message, path_part):
    """The first link in a message's plain text that contains `path_part`."""
    match = re.search(r"https?://\S*" + re.escape(path_part) + r"\S*", message.text_body)
    assert match, f"no link with {path_part!r} in:\n{message.text_body}"
    return match.group(0)


def path_of(url):
    """The path part of an absolute URL (what the test client requests)."""
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def posted(app):
    """Factory: `form_class(**kwargs)` built from a POST of `data`, inside a request."""
    contexts = []

    def build(form_class, data, **kwargs):
        context = app.test_request_context(method="POST", data=MultiDict(data))
        context.push()
        contexts.append(context)
        return form_class(**kwargs)

    yield build
    for context in reversed(contexts):
        context.pop()
