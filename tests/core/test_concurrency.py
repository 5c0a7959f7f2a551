"""Simultaneous registrations over four gunicorn workers: none lost, none doubled, no errors."""
import contextlib
import http.client
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from awards import create_app
from awards.accounts.models import User
from awards.core.mail.models import OutboxMessage
from awards.extensions import db
from config import normalise_database_url as sqlalchemy_url
from tests.conftest import DEFAULT_PASSWORD, make_config, require
from tests.services import (
    free_port,
    fresh_postgres_database,
    postgres_url,
    restore_session_app,
)

ROOT = Path(__file__).resolve().parents[2]
REGISTRATIONS = 100
CLIENTS = 16

pytestmark = pytest.mark.no_app_context


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path, app):
    """A fresh database holding the schema: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        if postgres_url():  # CI's SQLite pass covers it; spare the PostgreSQL pass a minute
            pytest.skip("SQLite concurrency runs when DATABASE_URL is not PostgreSQL")
        database = contextlib.nullcontext(f"sqlite:///{tmp_path}/concurrency.sqlite3")
    else:
        require(postgres_url(), "DATABASE_URL must point at PostgreSQL")
        database = fresh_postgres_database("awards_concurrency")
    with database as url:
        config = make_config(tmp_path, SQLALCHEMY_DATABASE_URI=sqlalchemy_url(url))
        application = create_app(config)
        try:
            with application.app_context():
                db.create_all()
                db.engine.dispose()
            yield url
        finally:
            with application.app_context():
                db.engine.dispose()
            restore_session_app(app)


@contextlib.contextmanager
def gunicorn(database_url, tmp_path, workers=4):
    """Serve wsgi:app with TestingConfig (no CSRF, no limits, mail stored) on a free port."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(AWARDS_CONFIG="testing", DATABASE_URL=database_url, INSTANCE_PATH=str(tmp_path))
    stderr_path = tmp_path / "gunicorn.err"
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5",
             "wsgi:app"],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
        )
    try:
        wait_until_serving(process, port, stderr_path)
        yield port, stderr_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_until_serving(process, port, stderr_path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{stderr_path.read_text(errors='replace')}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer /healthz in {timeout}s")


def register(port, number):
    """POST one registration; return (status, Location)."""
    body = urlencode({
        "name": f"Runner {number}", "email": f"runner{number}@example.com",
        "password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD,
    })
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", "/account/register", body=body,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def test_concurrent_registrations_are_all_stored_once(database_url, tmp_path):
    with gunicorn(database_url, tmp_path) as (port, stderr_path):
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            answers = list(pool.map(lambda n: register(port, n), range(REGISTRATIONS)))
        log = stderr_path.read_text(errors="replace")

    assert [status for status, _ in answers if status >= 500] == []
    assert set(answers) == {(302, "/account/register/check-your-email")}
    assert "database is locked" not in log
    assert "Traceback" not in log

    expected = {f"runner{n}@example.com": 1 for n in range(REGISTRATIONS)}
    config = make_config(tmp_path, SQLALCHEMY_DATABASE_URI=sqlalchemy_url(database_url))
    checker = create_app(config)
    with checker.app_context():
        users = dict(
            db.session.execute(select(User.email, func.count()).group_by(User.email)).all()
        )
        mails = dict(db.session.execute(
            select(OutboxMessage.recipient, func.count()).group_by(OutboxMessage.recipient)
        ).all())
        db.session.remove()
        db.engine.dispose()
    assert users == expected
    assert mails == expected  # one verification message each: none lost, none doubled
