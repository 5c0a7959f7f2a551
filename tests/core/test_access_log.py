"""Access logs never show the single-use tokens of e-mailed links (they are in the paths)."""
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config as GunicornConfig
from gunicorn.glogging import Logger as GunicornLogger

TOKEN = "Zx9-s3cret_T0ken.value"


def test_every_route_with_a_token_is_redacted(app):
    """The routes come from the url_map (every rule with <token>); each keeps its shape."""
    from awards.core.access_log import redact_tokens

    paths = {"/account/reset/{}": "/account/reset/…", "/account/verify/{}": "/account/verify/…",
             "/n/{}/confirm": "/n/…/confirm", "/consent/{}/withdraw": "/consent/…/withdraw",
             "/support/join/{}": "/support/join/…", "/support/{}": "/support/…",
             "/newsletter/confirm/{}": "/newsletter/confirm/…",
             "/newsletter/preferences/{}": "/newsletter/preferences/…",
             "/newsletter/unsubscribe/{}": "/newsletter/unsubscribe/…"}
    for path, shown in paths.items():
        assert redact_tokens(app, f'"GET {path.format(TOKEN)}?step=2 HTTP/1.1" 200') == (
            f'"GET {shown}?step=2 HTTP/1.1" 200')
    assert redact_tokens(app, "GET /winners/5/ada-lovelace") == "GET /winners/5/ada-lovelace"


def test_development_server_access_log_shows_no_token(app, caplog):
    """What werkzeug's server logs for each request (its own call, reproduced)."""
    line = f'"GET /account/reset/{TOKEN} HTTP/1.1" 200 -'
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info("%s - - [%s] %s\n", "127.0.0.1",
                                           "01/Jun/2026 10:00:00", line)
    assert TOKEN not in caplog.text
    assert '"GET /account/reset/… HTTP/1.1" 200 -' in caplog.text


@pytest.fixture
def gunicorn_access_log(tmp_path):
    """gunicorn's logger writing its access log to a file, as `--access-logfile` does."""
    config = GunicornConfig()
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = GunicornLogger(config)
    yield logger, tmp_path / "access.log"
    for handler in list(logger.access_log.handlers):
        logger.access_log.removeHandler(handler)
        handler.close()
    logger.access_log.propagate = True


def test_gunicorn_access_log_shows_no_token(app, gunicorn_access_log):
    logger, path = gunicorn_access_log
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": f"/account/reset/{TOKEN}",
               "PATH_INFO": f"/account/reset/{TOKEN}", "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.9",
               "HTTP_REFERER": f"https://awards.example/account/reset/{TOKEN}",
               "HTTP_USER_AGENT": "Firefox"}
    response = SimpleNamespace(status="302 FOUND", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])

    logger.access(response, request, environ, timedelta(milliseconds=12))

    logged = path.read_text()
    assert TOKEN not in logged
    assert '"POST /account/reset/… HTTP/1.1" 302 0 "https://awards.example/account/reset/…"' \
        in logged
