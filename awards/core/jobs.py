"""Background jobs on Huey: a queue per app, in `app.extensions["jobs"]`.

SQLite-backed by default, Redis when REDIS_URL is set, in memory and inline (immediate) in
development and tests. Tasks are plain functions that the factory registers
(`register_jobs`); each runs inside its app's context. Workers run
`huey_consumer awards.worker.huey`, the queue of an app built from the environment.
"""
import functools

from flask import current_app, has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey


class JobQueue:
    """One app's Huey queue and the tasks registered on it, by function."""

    def __init__(self, app):
        self.app = app
        config = app.config
        if config["HUEY_IMMEDIATE"]:
            self.huey = MemoryHuey("awards", immediate=True)
        elif config.get("REDIS_URL"):
            self.huey = RedisHuey("awards", url=config["REDIS_URL"])
        else:
            self.huey = SqliteHuey("awards", filename=config["HUEY_SQLITE_PATH"])
        self._tasks = {}

    def _in_app_context(self, function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            if has_app_context() and current_app._get_current_object() is self.app:
                return function(*args, **kwargs)
            with self.app.app_context():
                return function(*args, **kwargs)

        return run

    def task(self, function, **options):
        """Register `function` as a task; `enqueue(function, ...)` then queues it."""
        self._tasks[function] = self.huey.task(**options)(self._in_app_context(function))

    def periodic(self, function, schedule, name):
        """Run `function` on `schedule` (a huey.crontab) in the workers."""
        self.huey.periodic_task(schedule, name=name)(self._in_app_context(function))

    def enqueue(self, function, *args, **kwargs):
        """Queue a registered task (run at once in immediate mode)."""
        return self._tasks[function](*args, **kwargs)


def init_jobs(app):
    """Give the app its job queue."""
    app.extensions["jobs"] = JobQueue(app)
    return app.extensions["jobs"]


def job_queue(app=None):
    """The job queue of `app`, or of the current app."""
    return (app or current_app).extensions["jobs"]
