"""Helpers for tests that use real services: free ports, throwaway PostgreSQL databases,
and putting back the module-global state (Huey, limiter, logging) that a second app changes."""
import contextlib
import logging
import os
import socket
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from awards.core.jobs import init_jobs
from awards.extensions import limiter
from config import normalise_database_url


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_url():
    """DATABASE_URL when it points at PostgreSQL, else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql")) else None


@contextlib.contextmanager
def fresh_postgres_database(prefix="awards_tmp"):
    """Create an empty database on the DATABASE_URL server, yield its URL, drop it afterwards.

    A database of its own keeps the session's test tables out of the way."""
    server = make_url(normalise_database_url(postgres_url()))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def restore_session_app(app):
    """create_app re-points the global Huey and limiter: point them back at the session app."""
    init_jobs(app)
    limiter.init_app(app)


@contextlib.contextmanager
def logging_preserved():
    """Alembic's env.py runs logging.fileConfig, which disables every existing logger and
    replaces the root handlers; undo that so later tests still see the app's log records."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = [
        logger for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    states = {logger: (logger.disabled, logger.level, logger.handlers[:]) for logger in loggers}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for logger, (disabled, logger_level, logger_handlers) in states.items():
            logger.disabled = disabled
            logger.setLevel(logger_level)
            logger.handlers[:] = logger_handlers
