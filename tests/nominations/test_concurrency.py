"""200 nominations from 20 simultaneous clients over four gunicorn workers: each stored once."""
import contextlib
import http.client
import re
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from awards import create_app
from awards.core.audit import AuditEvent
from awards.core.mail.models import OutboxMessage
from awards.extensions import db
from awards.nominations.enums import NominationStatus
from awards.nominations.models import Consent, Nomination, today
from awards.nominations.services.setup import save_area, save_category, save_cycle
from config import normalise_database_url as sqlalchemy_url
from tests.conftest import make_config, require
from tests.services import (
    fresh_postgres_database,
    gunicorn,
    postgres_url,
)

CLIENTS = 20
JOURNEYS_PER_CLIENT = 10
NOMINATIONS = CLIENTS * JOURNEYS_PER_CLIENT
REQUEST_TIMEOUT = 60  # seconds, per HTTP request
RUN_TIMEOUT = 300  # seconds, for all the journeys together
DOUBLED_JOURNEYS = 20

pytestmark = pytest.mark.no_app_context


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def site(request, tmp_path, app):
    """A fresh database with the schema and one cycle taking nominations (one award with no
    supporters needed, one area): (database URL, cycle slug, category id, area id)."""
    if request.param == "sqlite":
        if postgres_url():  # CI's SQLite pass covers it; spare the PostgreSQL pass the time
            pytest.skip("SQLite concurrency runs when DATABASE_URL is not PostgreSQL")
        database = contextlib.nullcontext(f"sqlite:///{tmp_path}/nominations.sqlite3")
    else:
        require(postgres_url(), "DATABASE_URL must point at PostgreSQL")
        database = fresh_postgres_database("awards_nominations")
    with database as url:
        application = create_app(make_config(tmp_path, SQLALCHEMY_DATABASE_URI=sqlalchemy_url(url)))
        try:
            with application.app_context():
                db.create_all()
                start = today()
                cycle = save_cycle(None, {
                    "name": "Big Citizen Awards", "slug": "", "description": "",
                    "nominations_open": start - timedelta(days=10),
                    "nominations_close": start + timedelta(days=20),
                    "judging_ends": start + timedelta(days=40),
                    "announcement": start + timedelta(days=60)})
                db.session.flush()
                category = save_category(cycle, None, {
                    "name": "Good Neighbour", "slug": "", "description": "", "eligibility": "",
                    "allows_self_nomination": False, "allows_groups": False,
                    "min_supporters": 0, "min_age": None, "max_age": None, "position": 1})
                area = save_area(None, "Riverside")
                db.session.commit()
                seeded = (url, cycle.slug, category.id, area.id)
                db.session.remove()
                db.engine.dispose()
            yield seeded
        finally:
            with application.app_context():
                db.engine.dispose()


class Browser:
    """One resident's browser: its own cookies; every request and its answer is logged."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.log = []  # (path, status, Location, seconds)

    def post(self, path, fields):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        started = time.monotonic()
        try:
            connection.request("POST", path, body=urlencode(fields), headers=headers)
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        location = response.getheader("Location")
        self.log.append((path, response.status, location, elapsed))
        return response.status, location


def journey_steps(base, category_id, area_id, name, email):
    """(path, fields, where it should lead) for each question page, in order."""
    return [(f"{base}/{step}", fields, f"{base}/{following}") for step, fields, following in [
        ("category", {"category_id": category_id}, "nominee"),
        ("nominee", {"nominee_kind": "person", "nominee_name": f"Neighbour {name}",
                     "area_id": area_id, "age_band": "18_plus"}, "what-they-do"),
        ("what-they-do", {"what_they_do": "Runs the Tuesday lunch club."}, "difference"),
        ("difference", {"who_benefits": "Older neighbours who live alone.",
                        "difference_made": "They are less lonely."}, "how-long"),
        ("how-long", {"how_long": "1_5"}, "photo"),
        ("photo", {"alt_text": ""}, "about-you"),
        ("about-you", {"nominator_name": f"Nominator {name}", "nominator_email": email,
                       "nominator_relationship": "Neighbour",
                       "nominator_may_be_named": "no"}, "check"),
    ]]


def nominate(port, slug, category_id, area_id, client, journey):
    """One full journey, then the start form and the send button posted a second time.

    Returns (start token, nominator e-mail, reference, the browser's log, problems)."""
    browser = Browser(port)
    token = f"{client}-{journey}-{uuid.uuid4().hex}"
    email = f"nominator{client}.{journey}@example.com"
    problems = []

    def expect(answer, location):
        if answer != (302, location):
            problems.append(f"{browser.log[-1][0]}: got {answer}, expected (302, {location!r})")

    start_form = {"start_token": token, "website": ""}
    status, location = browser.post(f"/nominate/{slug}", start_form)
    if status != 302 or not (location or "").endswith("/category"):
        return token, email, None, browser.log, [f"start: got {(status, location)}"]
    reference = location.split("/")[2]
    base = f"/nomination/{reference}"
    steps = journey_steps(base, category_id, area_id, f"{client}.{journey}", email)
    for path, fields, following in steps:
        expect(browser.post(path, fields), following)
    expect(browser.post(f"{base}/check", {"website": ""}), f"{base}/sent")
    # The same forms again: a double click, the back button, a second tab.
    expect(browser.post(f"/nominate/{slug}", start_form), f"{base}/nominee")  # same draft
    expect(browser.post(f"{base}/check", {"website": ""}), f"{base}/sent")
    return token, email, reference, browser.log, problems


def run_clients(port, slug, category_id, area_id):
    def client_run(client):
        return [nominate(port, slug, category_id, area_id, client, journey)
                for journey in range(JOURNEYS_PER_CLIENT)]

    pool = ThreadPoolExecutor(max_workers=CLIENTS)
    try:
        futures = [pool.submit(client_run, client) for client in range(CLIENTS)]
        deadline = time.monotonic() + RUN_TIMEOUT
        return [journey for future in futures
                for journey in future.result(timeout=max(1, deadline - time.monotonic()))]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


@contextlib.contextmanager
def database(tmp_path, database_url):
    """An app context on the served database, for reading what the server stored."""
    config = make_config(tmp_path, SQLALCHEMY_DATABASE_URI=sqlalchemy_url(database_url))
    checker = create_app(config)
    with checker.app_context():
        try:
            yield db.session
        finally:
            db.session.remove()
            db.engine.dispose()


def test_concurrent_nominations_are_all_stored_once(site, tmp_path):
    database_url, slug, category_id, area_id = site
    started = time.monotonic()
    with gunicorn(database_url, tmp_path) as (port, stderr_path):
        journeys = run_clients(port, slug, category_id, area_id)
        log = stderr_path.read_text(errors="replace")
    elapsed = time.monotonic() - started

    requests = [entry for *_, browser_log, _ in journeys for entry in browser_log]
    sends = [entry for path, *entry in requests if path.endswith("/check")]
    first_sends = sorted(browser_log[8][3] for *_, browser_log, _ in journeys
                         if len(browser_log) > 8)  # start, 7 steps, then the send
    p95 = first_sends[int(len(first_sends) * 0.95) - 1] if first_sends else float("nan")
    print(f"\n{NOMINATIONS} nominations, {len(requests)} requests in {elapsed:.1f}s; "
          f"submit POST p95 {p95 * 1000:.0f} ms, median "
          f"{statistics.median(first_sends or [0]) * 1000:.0f} ms")

    assert [(path, status) for path, status, _, _ in requests if status >= 500] == []
    assert [problem for *_, problems in journeys for problem in problems] == []
    assert "database is locked" not in log
    assert "Traceback" not in log
    assert len(requests) == NOMINATIONS * 11  # start, 7 steps, send; start and send again
    assert len(first_sends) == NOMINATIONS
    assert len([1 for status, location, _ in sends
                if status == 302 and location.endswith("/sent")]) == NOMINATIONS * 2

    expected = {email: (token, reference) for token, email, reference, _, _ in journeys}
    assert len(expected) == NOMINATIONS
    assert len({reference for _, reference in expected.values()}) == NOMINATIONS

    with database(tmp_path, database_url) as session:
        stored = session.execute(select(
            Nomination.nominator_email, Nomination.start_token, Nomination.reference,
            Nomination.status)).all()
        mails = session.execute(
            select(OutboxMessage.recipient, OutboxMessage.kind, func.count())
            .group_by(OutboxMessage.recipient, OutboxMessage.kind)).all()

    assert len(stored) == NOMINATIONS
    assert len({reference for _, _, reference, _ in stored}) == NOMINATIONS
    assert {email: (token, reference) for email, token, reference, _ in stored} == expected
    assert {status for *_, status in stored} == {NominationStatus.AWAITING_CONFIRMATION}
    # Exactly one "confirm your nomination" e-mail each, and nothing else was sent.
    assert sorted(mails) == sorted(
        (email, "nominations/confirm_nomination", 1) for email in expected)


def twice_at_once(post):
    """Send the same request from two tabs at the same moment; both answers, in order."""
    barrier, answers = threading.Barrier(2, timeout=REQUEST_TIMEOUT), [None, None]

    def send(index):
        barrier.wait()
        answers[index] = post()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 5)
    assert not any(thread.is_alive() for thread in threads), "a request did not finish"
    return answers


def confirm_path(session, email):
    """The path of the confirmation link e-mailed to `email`."""
    body = session.scalar(select(OutboxMessage.text_body).where(
        OutboxMessage.recipient == email, OutboxMessage.kind == "nominations/confirm_nomination"))
    session.remove()
    return re.search(r"https?://[^/\s]+(/n/\S+/confirm)\b", body).group(1)


def test_simultaneous_double_posts_make_one_nomination_one_status_change_one_email(
        site, tmp_path):
    database_url, slug, category_id, area_id = site
    answers, emails = [], {}
    with gunicorn(database_url, tmp_path) as (port, stderr_path), \
            database(tmp_path, database_url) as session:
        for number in range(DOUBLED_JOURNEYS):
            browser = Browser(port)
            email = f"double{number}@example.com"
            start_form = {"start_token": uuid.uuid4().hex, "website": ""}
            starts = twice_at_once(lambda: browser.post(f"/nominate/{slug}", start_form))
            answers.append(("start", starts))
            location = next((where for status, where in starts if status == 302), "")
            reference = location.split("/")[2]
            emails[email] = (start_form["start_token"], reference)
            base = f"/nomination/{reference}"
            assert starts == [(302, f"{base}/category")] * 2
            for path, fields, following in journey_steps(base, category_id, area_id,
                                                         str(number), email):
                assert browser.post(path, fields) == (302, following)
            sends = twice_at_once(lambda: browser.post(f"{base}/check", {"website": ""}))
            answers.append(("send", sends))
            link = confirm_path(session, email)
            confirms = twice_at_once(lambda: browser.post(link, {}))
            answers.append(("confirm", confirms))
        log = stderr_path.read_text(errors="replace")

        stored = session.execute(select(
            Nomination.nominator_email, Nomination.start_token, Nomination.reference,
            Nomination.status, Nomination.id)).all()
        ids = [row.id for row in stored]
        changes = session.execute(
            select(AuditEvent.from_state, AuditEvent.to_state, func.count())
            .where(AuditEvent.action == "nomination.status_changed")
            .group_by(AuditEvent.from_state, AuditEvent.to_state)).all()
        started = session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "nomination.started"))
        consents = session.scalar(select(func.count()).select_from(Consent)
                                  .where(Consent.nomination_id.in_(ids)))
        mails = session.execute(
            select(OutboxMessage.recipient, OutboxMessage.kind, func.count())
            .group_by(OutboxMessage.recipient, OutboxMessage.kind)).all()

    assert [(what, pair) for what, pair in answers if any(s >= 500 for s, _ in pair)] == []
    assert {(what, tuple(status for status, _ in pair)) for what, pair in answers} == {
        ("start", (302, 302)), ("send", (302, 302)), ("confirm", (302, 302))}
    assert "Traceback" not in log
    assert "database is locked" not in log
    assert {email: (token, reference) for email, token, reference, _, _ in stored} == emails
    assert len(stored) == DOUBLED_JOURNEYS
    assert {status for _, _, _, status, _ in stored} == {NominationStatus.SUBMITTED}
    assert started == DOUBLED_JOURNEYS
    assert sorted(changes) == [("awaiting_confirmation", "submitted", DOUBLED_JOURNEYS),
                               ("draft", "awaiting_confirmation", DOUBLED_JOURNEYS)]
    assert consents == DOUBLED_JOURNEYS
    assert sorted(mails) == sorted(
        (email, kind, 1) for email in emails
        for kind in ("nominations/confirm_nomination", "nominations/receipt"))
