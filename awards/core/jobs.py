"""Background jobs on Huey: a queue per app, in `app.extensions["jobs"]`.

SQLite-backed by default, Redis when REDIS_URL is set, in memory and inline (immediate) in
development and tests. Tasks are plain functions that the factory registers
(`register_jobs`); each runs inside its app's context. Workers run
`huey_consumer awards.worker.huey`, the queue of an app built from the environment.

Huey is imported when the queue is first used, not when the app is built: importing it imports
the Redis and PostgreSQL clients whenever they are installed (huey.storage), about 20 MB of a
web worker that only serves pages (tests/core/test_imports.py).
"""
import functools
import threading

from flask import current_app, has_app_context


class JobQueue:
    """One app's Huey queue and the tasks registered on it, by function."""

    def __init__(self, app):
        self.app = app
        self._huey = None
        self._lock = threading.Lock()
        self._registrations = []  # functions of the Huey, called on it once it is built
        self._tasks = {}

    @property
    def huey(self):
        """The Huey instance, built (and the tasks registered on it) on first use."""
        return self._built()

    def _built(self):
        if self._huey is None:
            with self._lock:
                if self._huey is None:
                    huey = self._new_huey()
                    for register in self._registrations:
                        register(huey)
                    self._huey = huey
        return self._huey

    def _new_huey(self):
        from huey import MemoryHuey, RedisHuey, SqliteHuey  # see the module's docstring

        config = self.app.config
        if config["HUEY_IMMEDIATE"]:
            return MemoryHuey("awards", immediate=True)
        if config.get("REDIS_URL"):
            return RedisHuey("awards", url=config["REDIS_URL"])
        return SqliteHuey("awards", filename=config["HUEY_SQLITE_PATH"])

    def _in_app_context(self, function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            if has_app_context() and current_app._get_current_object() is self.app:
                return function(*args, **kwargs)
            with self.app.app_context():
                return function(*args, **kwargs)

        return run

    def _register(self, register):
        if self._huey is None:
            self._registrations.append(register)
        else:
            register(self._huey)

    def task(self, function, **options):
        """Register `function` as a task; `enqueue(function, ...)` then queues it."""
        def register(huey):
            self._tasks[function] = huey.task(**options)(self._in_app_context(function))
        self._register(register)

    def periodic(self, function, name, **schedule):
        """Run `function` in the workers on the huey.crontab `schedule` (minute="*", ...)."""
        def register(huey):
            from huey import crontab  # see the module's docstring
            huey.periodic_task(crontab(**schedule), name=name)(self._in_app_context(function))
        self._register(register)

    def enqueue(self, function, *args, **kwargs):
        """Queue a registered task (run at once in immediate mode)."""
        self._built()  # the queue and its tasks are made on first use
        return self._tasks[function](*args, **kwargs)


def init_jobs(app):
    """Give the app its job queue."""
    app.extensions["jobs"] = JobQueue(app)
    return app.extensions["jobs"]


def job_queue(app=None):
    """The job queue of `app`, or of the current app."""
    return (app or current_app).extensions["jobs"]
