"""Background jobs: a Huey queue per app, on a SQLite file without Redis, inline (immediate)
in tests and development."""
from pathlib import Path
from types import SimpleNamespace

import pytest
from huey.storage import MemoryStorage, SqliteStorage

from awards import create_app
from awards.core.jobs import job_queue
from awards.core.mail import queue_email
from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.extensions import db
from tests.conftest import make_config


def queue(recipient):
    return queue_email(
        "accounts/verify_email", recipient, user=SimpleNamespace(name="Ada"),
        link="https://awards.test/account/verify/abc", hours=48,
    )


@pytest.fixture
def queued_app(app, tmp_path):
    """An app whose jobs go to a SQLite-backed queue of its own."""
    application = create_app(make_config(tmp_path, HUEY_IMMEDIATE=False, REDIS_URL=None))
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_queued_app_uses_a_sqlite_queue_without_redis(queued_app, tmp_path):
    huey = job_queue(queued_app).huey
    assert huey.immediate is False
    assert isinstance(huey.storage, SqliteStorage)
    assert huey.storage.filename == str(tmp_path / "huey.sqlite3")
    assert Path(tmp_path / "huey.sqlite3").is_file()

    with queued_app.app_context():
        queue("ada@example.com")
        assert huey.pending_count() == 0  # nothing is enqueued before the commit
        db.session.commit()
        assert huey.pending_count() == 1  # exactly one delivery task per commit
        row = db.session.scalars(db.select(OutboxMessage)).one()
        assert row.status is OutboxStatus.PENDING  # the worker has not run yet
        db.session.commit()  # end our read (SQLite: the task writes from its own session)

        task = huey.dequeue()
        assert task.name.endswith("deliver_outbox")
        huey.execute(task)

        assert huey.pending_count() == 0
        db.session.expire_all()
        row = db.session.scalars(db.select(OutboxMessage)).one()
        assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)


def test_a_worker_runs_a_task_in_its_own_app_context(queued_app):
    with queued_app.app_context():
        queue("ada@example.com")
        db.session.commit()
    huey = job_queue(queued_app).huey

    huey.execute(huey.dequeue())  # as a worker does: no app context of its own

    with queued_app.app_context():
        row = db.session.scalars(db.select(OutboxMessage)).one()
        assert row.status is OutboxStatus.SENT


def test_immediate_mode_delivers_inline(app, outbox):
    huey = job_queue().huey
    assert huey.immediate is True
    assert isinstance(huey.storage, MemoryStorage)  # touches nothing outside the process

    queue("ada@example.com")
    db.session.commit()

    [row] = outbox()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
    assert huey.pending_count() == 0


def test_each_app_has_its_own_queue(app, queued_app):
    assert job_queue(app) is not job_queue(queued_app)
    assert job_queue(app).huey.immediate is True  # building another app changed nothing here
