"""With REDIS_URL set, Huey really queues jobs in Redis and Flask-Limiter counts in Redis."""
import os

import pytest
import redis
from limits.storage import RedisStorage as LimitsRedisStorage
from sqlalchemy import select

from awards import create_app
from awards.core.jobs import job_queue
from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.core.security import rate_limiter
from awards.extensions import db
from tests.conftest import DEFAULT_PASSWORD, make_config, require

pytestmark = [pytest.mark.redis, pytest.mark.no_app_context]


@pytest.fixture
def redis_app(app, tmp_path):
    """Factory: an app on Redis (REDIS_URL) and a SQLite file of its own, in its app context.

    Only the Redis database named in REDIS_URL is flushed, before and after."""
    url = os.environ.get("REDIS_URL")
    require(bool(url), "REDIS_URL is not set (Redis tests need a real server)")
    connection = redis.Redis.from_url(url)
    connection.flushdb()
    contexts = []

    def build(**overrides):
        config = make_config(
            tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/redis.sqlite3",
            REDIS_URL=url, RATELIMIT_STORAGE_URI=url, **overrides,
        )
        application = create_app(config)
        context = application.app_context()
        context.push()
        contexts.append(context)
        db.create_all()
        return application, connection

    yield build
    for context in reversed(contexts):
        db.session.remove()
        db.engine.dispose()
        context.pop()
    connection.flushdb()
    connection.close()


def register(client, email):
    return client.post("/account/register", data={
        "name": "Rita Redis", "email": email,
        "password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD,
    })


def test_huey_on_redis_queues_the_delivery_and_a_worker_sends_it(redis_app):
    application, connection = redis_app(HUEY_IMMEDIATE=False)

    response = register(application.test_client(), "rita@example.com")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/register/check-your-email"
    # The commit queued one delivery task, and it sits in Redis, not in this process.
    huey = job_queue(application).huey
    assert huey.pending_count() == 1
    assert connection.llen(f"huey.redis.{huey.name}") == 1
    message = db.session.scalars(select(OutboxMessage)).one()
    assert (message.recipient, message.status) == ("rita@example.com", OutboxStatus.PENDING)
    # Outside a request every SQLite transaction begins IMMEDIATE: end ours so the task can write.
    db.session.rollback()

    huey.execute(huey.dequeue())  # what a worker does

    assert huey.pending_count() == 0
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1


def test_sign_in_limit_counts_in_redis_and_answers_429(redis_app):
    application, connection = redis_app(RATELIMIT_ENABLED=True, RATELIMIT_SIGN_IN="3 per minute")
    client = application.test_client()
    attempt = {"email": "nobody@example.com", "password": "wrong password"}

    answers = [client.post("/account/sign-in", data=attempt) for _ in range(4)]

    assert isinstance(rate_limiter(application).storage, LimitsRedisStorage)
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert "The email address or password is not right" in answers[0].get_data(as_text=True)
    blocked = answers[3].get_data(as_text=True)
    assert "Too many attempts" in blocked
    assert "please wait a few minutes and try again" in blocked
    # The counter lives in Redis, so every worker process shares it.
    assert connection.keys("LIMITS*")
