"""Every web worker imports the app: libraries only rare pages, commands or background
workers need are imported where they are used, so they do not sit in every worker's memory
(issue 15: a worker's resident memory after the public pages)."""
import subprocess
import sys

import pytest

from tests.services import ROOT

# What a worker serving the public pages from SQLite without Redis would otherwise hold:
ONLY_WHERE_USED = [
    "fpdf", "fontTools",  # fpdf2 with fontTools, about 25 MB: certificate downloads
    "lxml",  # never needed: the Atom feeds are a template (awards/core/atom.py)
    "PIL",  # photo uploads and the demo/test factories' images
    "webauthn", "cryptography", "OpenSSL", "pyasn1", "cbor2",  # passkey ceremonies
    "segno", "pyotp",  # two-factor set-up and sign-in
    "psycopg", "redis",  # PostgreSQL and Redis clients: imported by huey when it is installed
    "alembic", "flask_migrate", "mako", "pygments",  # `flask db` and the migrations
    "css_inline",  # composing e-mails
    "flufl.bounce", "mailbox",  # `flask newsletter bounces`
    "nh3", "markdown_it",  # writing newsletter issues
    "argon2", "_cffi_backend",  # password hashing: signing in, registering (0.5 MB)
    "tarfile",  # `flask backup` and restore (0.4 MB)
    "email.policy", "email.headerregistry",  # the development mailbox's newsletter copies
]

# A production-like worker: SQLite, no Redis (gunicorn imports `wsgi`, which builds the app).
CHECK = ("import sys, wsgi; "
         f"print([name for name in {ONLY_WHERE_USED!r} if name in sys.modules])")


# The public pages a worker serves most (make bench), each asked as a visitor without and with
# a session; the Atom feeds are made from a template (awards/core/atom.py), not with lxml.
PUBLIC_PAGES = ("/", "/hall-of-fame", "/hall-of-fame?q=garden", "/feeds/winners.atom",
                "/sitemap.xml", "/robots.txt")
SERVE = ("import sys, wsgi\n"
         "from awards.extensions import db\n"
         "with wsgi.app.app_context():\n"
         "    db.create_all()\n"
         "client = wsgi.app.test_client()\n"
         f"for path in {PUBLIC_PAGES!r}:\n"
         "    for headers in ({}, {'Cookie': 'session=x'}):\n"
         "        response = client.get(path, headers=headers, base_url='https://127.0.0.1')\n"
         "        assert response.status_code == 200, (path, response.status_code)\n"
         f"print([name for name in {ONLY_WHERE_USED!r} if name in sys.modules])")


def run_worker_like(code, tmp_path):
    """Run `code` in a fresh interpreter with production settings; its output."""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, env={
                                "AWARDS_CONFIG": "production", "SECRET_KEY": "k" * 64,
                                "INSTANCE_PATH": str(tmp_path),
                                "DATABASE_URL": f"sqlite:///{tmp_path}/site.sqlite3",
                                "TRUSTED_HOSTS": "127.0.0.1", "PUBLIC_URL": "https://127.0.0.1",
                                "PROXY_FIX_HOPS": "0", "RATELIMIT_ENABLED": "0", "PATH": ""})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.no_app_context
def test_importing_the_app_leaves_heavy_libraries_unloaded(tmp_path):
    assert run_worker_like(CHECK, tmp_path) == "[]"


@pytest.mark.no_app_context
def test_serving_the_public_pages_and_feed_leaves_heavy_libraries_unloaded(tmp_path):
    assert run_worker_like(SERVE, tmp_path) == "[]"
