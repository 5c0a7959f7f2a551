"""Scale-out: two app servers and two workers sharing one PostgreSQL and one Redis.

Two gunicorn servers on different loopback ports, in the production configuration (behind a
proxy: the test sends the proxy's X-Forwarded-* headers), and two Huey consumers, all reading
the same environment. What one node does, the other sees: sessions, rate limits, the page
cache's invalidation, and mail queued on either is delivered once.
"""
import contextlib
import http.client
import os
import re
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import urlencode

import pytest
import redis
from aiosmtpd.controller import Controller
from sqlalchemy.engine import make_url

from awards import create_app
from awards import factories as f
from awards.accounts.enums import Role
from awards.core.links import make_link_token
from awards.extensions import db
from awards.public.models import PublicAward
from config import normalise_database_url
from tests.conftest import DEFAULT_PASSWORD, make_config, require
from tests.services import ROOT, free_port, fresh_postgres_database, postgres_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.no_app_context]

HOST = "awards.test"
SECRET = "two-nodes-test-secret-" + "k" * 32
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class CountingHandler:
    """An SMTP server's handler that counts the messages each address receives."""

    def __init__(self):
        self.delivered = Counter()

    async def handle_DATA(self, server, session, envelope):
        self.delivered.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


class Browser:
    """A visitor's cookies, sent to whichever node a request goes to, as through a proxy."""

    def __init__(self, client_ip="203.0.113.10"):
        self.cookies = {}
        self.client_ip = client_ip

    def request(self, port, method, path, form=None, referrer=None):
        """(status, body) of one request to the node on `port`."""
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-Host": HOST,
                   "X-Forwarded-For": self.client_ip}
        if referrer:  # CSRF protection over https checks that a post comes from the site
            headers["Referer"] = f"https://{HOST}{referrer}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    self.cookies[cookie_name] = rest.split(";", 1)[0]
            return response.status, response.read().decode()
        finally:
            connection.close()

    def post_form(self, port, form_path, action, **fields):
        """Open the form's page on `port`, then post it with its CSRF token."""
        status, page = self.request(port, "GET", form_path)
        assert status == 200, (form_path, status)
        return self.request(port, "POST", action,
                            {"csrf_token": CSRF.search(page).group(1), **fields}, form_path)


def redis_url_for_this_test():
    """The REDIS_URL server, on a database of its own (15), emptied before and after."""
    url = make_url(os.environ["REDIS_URL"].replace("redis://", "redis+x://", 1))
    return f"redis://{url.host}:{url.port or 6379}/15"


def node_environment(database_url, redis_url, smtp_port, instance):
    """What every node and worker of the deployment reads: one database, one Redis."""
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "AWARDS_CONFIG": "production", "SECRET_KEY": SECRET, "DATABASE_URL": database_url,
        "REDIS_URL": redis_url, "PUBLIC_URL": f"https://{HOST}",
        "TRUSTED_HOSTS": f"{HOST},127.0.0.1", "PROXY_FIX_HOPS": "1",
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp_port), "MAIL_SECURITY": "none",
        "RATELIMIT_SIGN_IN": "4 per minute", "INSTANCE_PATH": str(instance),
        "UPLOAD_DIR": str(instance / "uploads"),
    }


@contextlib.contextmanager
def processes(commands, environment, log_dir):
    """Start each (name, argv) with `environment`; stop them all afterwards."""
    started = []
    try:
        for name, argv in commands:
            log = open(log_dir / f"{name}.log", "wb")  # noqa: SIM115 (closed below)
            started.append((subprocess.Popen(argv, cwd=ROOT, env=environment,
                                             stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=subprocess.STDOUT), log))
        yield [process for process, _log in started]
    finally:
        for process, _log in started:
            process.terminate()
        for process, log in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
            log.close()


def wait_until_healthy(port, log, timeout=40):
    """Until /healthz on `port` answers 200 (database and Redis both reachable)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            status, _body = Browser().request(port, "GET", "/healthz")
            if status == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"node on {port} not healthy in {timeout}s:\n{log.read_text(errors='replace')}")


def seed(database_url, instance):
    """The schema, an admin, and a published winner; return the winner's page and the
    nominee's consent link."""
    config = make_config(instance, SQLALCHEMY_DATABASE_URI=normalise_database_url(database_url),
                         SECRET_KEY=SECRET)
    application = create_app(config)
    with application.app_context():
        db.create_all()
        admin = f.user("Ada Admin", "admin@example.com", roles=[Role.ADMIN])
        f.user("Rosa Resident", "rosa@example.com")
        chair = f.user("Chris Chair", "chair@example.com")
        cycle = f.cycle()
        winner = f.nomination(cycle, f.S.ELIGIBLE, nominee_name="Margaret Twonodes",
                              statements=1, consent=f.EVERYTHING, admin=admin)
        f.start_judging(cycle, admin)
        panel = f.panel(cycle, admin=admin, members=[chair])
        f.review(panel.members[0], winner, score=5)
        f.decide(panel, winner, "winner", chair, "Margaret runs the Friday lunch club.")
        f.publish(cycle, admin)
        db.session.commit()
        award = db.session.query(PublicAward).filter_by(nomination_id=winner.id).one()
        page = f"/winners/{award.key}/{award.slug}"
        consent = f"/consent/{make_link_token('nominee', winner.id)}"
        db.session.remove()
        db.engine.dispose()
    return page, consent


@pytest.fixture
def deployment(tmp_path):
    """Two gunicorn nodes and two Huey workers on one PostgreSQL database and one Redis."""
    require(postgres_url() is not None, "DATABASE_URL must point at PostgreSQL")
    require(bool(os.environ.get("REDIS_URL")), "REDIS_URL is not set")
    redis_url = redis_url_for_this_test()
    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    handler = CountingHandler()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with fresh_postgres_database("awards_nodes") as database_url:
            winner_page, consent_link = seed(database_url, tmp_path / "seed")
            ports = [free_port(), free_port()]
            environment = node_environment(database_url, redis_url, smtp.port,
                                           tmp_path / "instance")
            commands = [(f"node{n}", [sys.executable, "-m", "gunicorn", "--workers", "2",
                                      "--bind", f"127.0.0.1:{port}", "wsgi:app"])
                        for n, port in enumerate(ports)]
            commands += [(f"worker{n}", [sys.executable, "-m", "huey.bin.huey_consumer",
                                         "awards.worker.huey", "--workers", "1"])
                         for n in range(2)]
            with processes(commands, environment, tmp_path):
                for n, port in enumerate(ports):
                    wait_until_healthy(port, tmp_path / f"node{n}.log")
                yield ports, handler, winner_page, consent_link, tmp_path
    finally:
        smtp.stop()
        store.flushdb()
        store.close()


def test_two_nodes_share_sessions_limits_cache_and_mail(deployment):
    (a, b), smtp, winner_page, consent_link, logs = deployment

    # A session made on one node is valid on the other.
    rosa = Browser("203.0.113.20")
    status, _ = rosa.post_form(a, "/account/sign-in", "/account/sign-in",
                               email="rosa@example.com", password=DEFAULT_PASSWORD)
    assert status == 302
    status, page = rosa.request(b, "GET", "/account/profile")
    assert status == 200 and "Rosa Resident" in page

    # Rate limits are shared: a burst split across both nodes is limited once, not twice.
    burst = Browser("203.0.113.30")
    statuses = [burst.post_form(port, "/account/sign-in", "/account/sign-in",
                                email="nobody@example.com", password="wrong password")[0]
                for port in (a, b, a, b, a, b)]
    assert 429 not in statuses[:4] and statuses[4:] == [429, 429], statuses

    # A withdrawal on one node removes the winner from the pages the other serves from cache,
    # to visitors without a session and to the signed-in alike.
    visitor = Browser("203.0.113.40")
    for _ in range(2):  # the second answer comes from the shared page cache
        status, page = visitor.request(b, "GET", winner_page)
        assert status == 200 and "Margaret Twonodes" in page
    assert "Margaret Twonodes" in visitor.request(b, "GET", "/hall-of-fame")[1]
    for _ in range(2):  # signed in: the second is made from the page shared by everyone
        assert "Margaret Twonodes" in rosa.request(b, "GET", "/hall-of-fame")[1]
    nominee = Browser("203.0.113.50")
    status, _ = nominee.post_form(a, consent_link, f"{consent_link}/withdraw")
    assert status == 302
    assert visitor.request(b, "GET", winner_page)[0] == 404
    assert "Margaret Twonodes" not in visitor.request(b, "GET", "/hall-of-fame")[1]
    page = rosa.request(b, "GET", "/hall-of-fame")[1]
    assert "Margaret Twonodes" not in page and "Sign out" in page

    # Mail queued on either node is delivered once, by whichever worker takes it.
    for port, number in ((a, 1), (b, 2)):
        status, _ = Browser(f"203.0.113.6{number}").post_form(
            port, "/account/register", "/account/register", name=f"New Person {number}",
            email=f"new{number}@example.com", password=DEFAULT_PASSWORD,
            confirm=DEFAULT_PASSWORD)
        assert status == 302
    expected = {"new1@example.com": 1, "new2@example.com": 1}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(smtp.delivered[k] for k in expected):
        time.sleep(0.2)
    time.sleep(3)  # time for a second delivery, were there to be one
    assert {k: smtp.delivered[k] for k in expected} == expected, (
        (logs / "worker0.log").read_text(errors="replace")[-2000:])
