"""Background jobs on Huey: SQLite-backed by default, Redis when REDIS_URL is set.

Task decorators need a Huey instance at import, so one is created here in immediate mode
(in-memory, touches nothing outside the process) and `init_jobs` points its storage at the
configured backend when the app is created. Run workers with `huey_consumer awards.worker.huey`.
"""
import functools

from flask import current_app, has_app_context
from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

huey = Huey("awards", immediate=True)
_bound = {}


def init_jobs(app):
    """Configure the job queue's storage from the app's config."""
    if app.config.get("REDIS_URL"):
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": app.config["REDIS_URL"]}
    else:
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": app.config["HUEY_SQLITE_PATH"]}
    immediate = app.config["HUEY_IMMEDIATE"]
    huey.immediate = immediate
    if not immediate:
        huey.storage = huey.create_storage()
    _bound["app"] = app


def app_task(**options):
    """A Huey task that runs inside an application context (the caller's, or the worker's)."""

    def decorator(function):
        @functools.wraps(function)
        def in_context(*args, **kwargs):
            if has_app_context():
                return function(*args, **kwargs)
            with _bound["app"].app_context():
                return function(*args, **kwargs)

        return huey.task(**options)(in_context)

    return decorator


def app_periodic_task(schedule):
    """A periodic Huey task that runs inside the worker's application context."""

    def decorator(function):
        @functools.wraps(function)
        def in_context():
            with _bound["app"].app_context():
                return function()

        return huey.periodic_task(schedule)(in_context)

    return decorator


def bound_app():
    """The app `init_jobs` last bound the job queue to, or None."""
    return _bound.get("app")


def worker_app():
    """The app the worker's tasks run in (for tests and the CLI)."""
    return _bound.get("app") or current_app._get_current_object()
