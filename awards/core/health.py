"""Whether the service's dependencies answer (for the health check)."""
from flask import current_app
from sqlalchemy import text

from awards.extensions import db


def database_answers():
    """True when the database answers a trivial query; else False, the session rolled back."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database means "unhealthy"
        db.session.rollback()
        return False
    return True


def redis_answers(url):
    """True when the Redis server at `url` answers PING within a second."""
    import redis  # only where Redis is used: the client is about 8 MB of a web worker

    try:
        with redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1) as client:
            return bool(client.ping())
    except (redis.RedisError, OSError):
        return False


def service_health():
    """Each service this configuration uses, "ok" or "unreachable": the database always,
    Redis when REDIS_URL is set (the queue, rate limits and page cache every node shares)."""
    checks = {"database": database_answers}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = lambda: redis_answers(current_app.config["REDIS_URL"])
    return {name: "ok" if answers() else "unreachable" for name, answers in checks.items()}
