"""Helpers for tests that use real services: free ports, throwaway PostgreSQL databases,
gunicorn on loopback."""
import contextlib
import http.client
import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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


ROOT = Path(__file__).resolve().parents[1]


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
    """Wait for /healthz to answer 200; fail with gunicorn's stderr if it died."""
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
