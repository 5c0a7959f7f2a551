"""Crash safety: worker processes (`flask newsletter work`) killed with SIGKILL at random
moments in the middle of a send, and restarted: nobody is missed, and a copy is repeated only
when the server had accepted it just before a kill (at most one per kill)."""
import contextlib
import random
import signal
import time

import pytest
from sqlalchemy import func, select

from awards import create_app, factories
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus
from awards.newsletter.models import Delivery, NewsletterIssue
from config import normalise_database_url
from tests.conftest import make_config, require
from tests.newsletter.delivery_support import issue_ready, start, worker_process
from tests.newsletter.smtp_sink import SmtpSink
from tests.services import fresh_postgres_database, postgres_url

RECIPIENTS = 1000
KILLS = 10

pytestmark = pytest.mark.no_app_context


@contextlib.contextmanager
def database_with_a_send(url, tmp_path):
    """The schema, RECIPIENTS subscribers and an issue being sent to them; yields the issue
    id and a function that counts its rows by status."""
    application = create_app(make_config(
        tmp_path, SQLALCHEMY_DATABASE_URI=normalise_database_url(url)))
    with application.app_context():
        db.create_all()
        factories.subscribers(RECIPIENTS)
        issue_id = issue_ready().id
        start(db.session.get(NewsletterIssue, issue_id))
        db.session.remove()  # no transaction left open (on SQLite it would hold the lock)

        def states():
            db.session.remove()
            rows = db.session.execute(select(Delivery.status, func.count()).where(
                Delivery.issue_id == issue_id).group_by(Delivery.status)).all()
            finished = db.session.get(NewsletterIssue, issue_id).is_sent
            db.session.remove()
            return dict(rows), finished

        try:
            yield states
        finally:
            db.session.remove()
            db.engine.dispose()


def kill_and_restart(sink, workers, restart, kills, rng):
    """Kill a random worker with SIGKILL once the server has accepted a random number more
    messages (so it dies mid-send), restart it; `kills` times."""
    for _ in range(kills):
        target = sink.total() + rng.randint(1, 40)
        deadline = time.monotonic() + 30
        while sink.total() < target and time.monotonic() < deadline:
            time.sleep(0.005)
        index = rng.randrange(len(workers))
        workers[index].send_signal(signal.SIGKILL)
        workers[index].wait()
        workers[index] = restart()


def wait_until_sent(states, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts, finished = states()
        if finished:
            return counts
        time.sleep(0.2)
    pytest.fail(f"the send did not finish: {states()}")


def crash_test(url, tmp_path, processes):
    rng = random.Random()
    with SmtpSink(tmp_path) as sink, database_with_a_send(url, tmp_path) as states:
        log_path = tmp_path / "workers.log"

        def restart():
            return worker_process(url, sink.port, log_path, lease=1, batch=25)

        workers = [restart() for _ in range(processes)]
        try:
            kill_and_restart(sink, workers, restart, KILLS, rng)
            counts = wait_until_sent(states)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=10)
        received = sink.counts()
    log = log_path.read_text(errors="replace")

    assert counts == {DeliveryStatus.SENT: RECIPIENTS}
    expected = {f"reader{n:06d}@example.com" for n in range(RECIPIENTS)}
    assert set(received) == expected  # nobody missed, nobody else written to
    duplicates = {address: n for address, n in received.items() if n > 1}
    assert sum(n - 1 for n in duplicates.values()) <= KILLS, duplicates
    assert "Traceback" not in log, log[-3000:]


def test_killed_and_restarted_worker_misses_nobody_sqlite(tmp_path):
    if postgres_url():
        pytest.skip("the SQLite crash test runs when DATABASE_URL is not PostgreSQL")
    crash_test(f"sqlite:///{tmp_path}/crash.sqlite3", tmp_path, processes=1)


@pytest.mark.postgres
def test_two_workers_killed_and_restarted_miss_nobody_postgresql(tmp_path):
    require(postgres_url(), "DATABASE_URL must point at PostgreSQL")
    with fresh_postgres_database("delivery_crash") as url:
        crash_test(url, tmp_path, processes=2)
