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
    "feedgen", "lxml",  # the Atom feeds (public and newsletter archive)
    "PIL",  # photo uploads and the demo/test factories' images
    "webauthn", "cryptography", "OpenSSL", "pyasn1", "cbor2",  # passkey ceremonies
    "segno", "pyotp",  # two-factor set-up and sign-in
    "psycopg", "redis",  # PostgreSQL and Redis clients: imported by huey when it is installed
    "alembic", "flask_migrate", "mako", "pygments",  # `flask db` and the migrations
    "css_inline",  # composing e-mails
    "flufl.bounce", "mailbox",  # `flask newsletter bounces`
    "nh3", "markdown_it",  # writing newsletter issues
]

# A production-like worker: SQLite, no Redis (gunicorn imports `wsgi`, which builds the app).
CHECK = ("import sys, wsgi; "
         f"print([name for name in {ONLY_WHERE_USED!r} if name in sys.modules])")


@pytest.mark.no_app_context
def test_importing_the_app_leaves_heavy_libraries_unloaded(tmp_path):
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True,
                            text=True, env={
                                "AWARDS_CONFIG": "production", "SECRET_KEY": "k" * 64,
                                "INSTANCE_PATH": str(tmp_path),
                                "DATABASE_URL": f"sqlite:///{tmp_path}/site.sqlite3",
                                "TRUSTED_HOSTS": "127.0.0.1", "PUBLIC_URL": "https://127.0.0.1",
                                "PROXY_FIX_HOPS": "0", "RATELIMIT_ENABLED": "0", "PATH": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
