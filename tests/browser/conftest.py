"""Browser fixtures: Debian's Chromium under pytest-playwright, and a live development server."""
import importlib.util
import os
import threading

import pytest
from werkzeug.serving import make_server

from awards import create_app
from awards.extensions import db
from config import DevelopmentConfig
from tests.conftest import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session", autouse=True)
def _require_chromium():
    """Skip (fail in CI) before pytest-playwright tries to launch a browser that is not there."""
    require(importlib.util.find_spec("playwright") is not None, "the playwright package")
    require(os.access(CHROMIUM, os.X_OK), f"Chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at Debian's Chromium (never `playwright
    install`, which downloads a browser)."""
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url():
    """Tests go to live_server's address. This replaces pytest-playwright's fallback `base_url`
    (an instance-method fixture, which pytest 9 warns is deprecated); None means no base URL."""


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The development app (mailbox at /dev/mail, CSRF on, mail stored) that live_server serves.

    It always uses its own SQLite file, even when DATABASE_URL points the rest of the suite at
    PostgreSQL: these tests check the pages, and must not share the session fixture's tables
    (which the other tests wipe after each test). Tests may set up data in its app context.
    """
    folder = tmp_path_factory.mktemp("live")
    config = DevelopmentConfig()
    config.INSTANCE_PATH = str(folder)
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/browser.sqlite3"
    config.HUEY_SQLITE_PATH = str(folder / "huey.sqlite3")
    config.UPLOAD_DIR = str(folder / "uploads")  # never the project's own instance/uploads
    config.MAIL_BACKEND = "store"
    config.HUEY_IMMEDIATE = True
    config.RATELIMIT_ENABLED = False
    config.WTF_CSRF_ENABLED = True
    config.TEMPLATES_AUTO_RELOAD = False

    app = create_app(config)
    with app.app_context():
        db.create_all()
    yield app

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_app):
    """live_app served on a free port; yields its address (http://127.0.0.1:<port>)."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    address = f"http://127.0.0.1:{server.server_port}"
    live_app.config["PUBLIC_URL"] = address  # e-mailed links lead back to this server
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield address

    server.shutdown()
    thread.join(timeout=10)
