"""Absolute URLs for e-mails: always on the site's one public address, PUBLIC_URL."""
from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint, **values):
    """The absolute URL of `endpoint` on PUBLIC_URL, inside a request or outside one (CLI,
    workers, tests).

    Never from the request: its Host (or X-Forwarded-Host, which ProxyFix believes) is
    whatever the client sent, and a reset link on a forged host hands the token to its owner.
    Every e-mailed link is built here (tests/core/test_headers.py checks)."""
    app = current_app
    origin = urlsplit(app.config["PUBLIC_URL"])
    adapter = app.url_map.bind(origin.netloc, script_name=origin.path or "/",
                               url_scheme=origin.scheme)
    app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)
