"""Simultaneous registrations over four gunicorn workers: none lost, none doubled, no errors."""
import contextlib
import http.client
from concurrent.futures import ThreadPoolExecutor
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
    fresh_postgres_database,
    gunicorn,
    postgres_url,
)

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
