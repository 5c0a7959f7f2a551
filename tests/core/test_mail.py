"""The one e-mail path against a real SMTP server (aiosmtpd): render, queue, deliver, retry."""
import email
import email.policy
import email.utils
import socket
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from awards.accounts.models import User
from awards.core.db import utcnow
from awards.core.jobs import job_queue
from awards.core.mail import queue_email, sender
from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.core.mail.sender import (
    SMTPBackend,
    TemporaryFailure,
    backoff,
    build_mime,
    deliver_pending,
)
from awards.extensions import db

SENDER = "Big Citizen Awards <awards@bigcitizens.example>"


def free_port():
    """A loopback port nothing listens on (yet)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Records what arrives; refuses chosen recipients with a given reply; counts greetings."""

    def __init__(self):
        self.received = []  # SimpleNamespace(mail_from, rcpt_tos, message, peer)
        self.rcpt_attempts = []
        self.greetings = 0  # one EHLO/HELO per connection (smtplib greets once)
        self.refuse = {}  # address -> "450 ..." / "550 ..."

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.greetings += 1
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        self.greetings += 1
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_attempts.append(address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(SimpleNamespace(
            mail_from=envelope.mail_from, rcpt_tos=list(envelope.rcpt_tos), message=message,
            peer=session.peer,
        ))
        return "250 Message accepted for delivery"

    def recipients(self):
        return [r for item in self.received for r in item.rcpt_tos]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def start_smtp():
    """Factory: start a recording SMTP server on a port; every server stops after the test."""
    controllers = []

    def start(port, **server_options):
        handler = RecordingHandler()
        controller = Controller(handler, hostname="127.0.0.1", port=port,
                                server_hostname="smtp.test", **server_options)
        controller.start()
        controllers.append(controller)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def smtp_config(app, monkeypatch, smtp_port):
    """Point the session app's mail at 127.0.0.1:smtp_port over SMTP (restored afterwards)."""
    settings = {
        "MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port,
        "MAIL_SECURITY": "none", "MAIL_USERNAME": None, "MAIL_TIMEOUT": 5.0,
        "MAIL_DEFAULT_SENDER": SENDER, "MAIL_MAX_ATTEMPTS": 8,
    }
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def smtp(smtp_config, start_smtp, smtp_port):
    """A running server the app delivers to."""
    return start_smtp(smtp_port)


def queue(recipient, name="Ada"):
    """Queue a verification e-mail (a real template) for one recipient."""
    return queue_email(
        "accounts/verify_email", recipient, user=SimpleNamespace(name=name),
        link=f"https://awards.test/account/verify/token-for-{name}", hours=48,
    )


def add_rows(*recipients, **fields):
    """Outbox rows added directly (no after-commit delivery), committed."""
    rows = [
        OutboxMessage(kind="test/plain", recipient=r, subject=f"Hello {r}", text_body="Hi",
                      html_body="<p>Hi</p>", message_id=email.utils.make_msgid(), **fields)
        for r in recipients
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def run_sender(**kwargs):
    """Deliver in the sender's own session; end ours first (SQLite: it holds the write lock)."""
    db.session.commit()
    return deliver_pending(**kwargs)


def make_due(*rows):
    """Move retries back to now, as if their back-off had passed."""
    for row in rows:
        db.session.get(OutboxMessage, row.id).next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_queue_email_renders_subject_text_and_inlined_html(outbox):
    queue("ada@example.com", name="Ada")
    queue("bob@example.com", name="Bob")
    db.session.flush()

    ada, bob = outbox()
    assert [ada.recipient, bob.recipient] == ["ada@example.com", "bob@example.com"]
    assert ada.subject == "Confirm your email address"
    assert ada.kind == "accounts/verify_email"
    assert ada.text_body.startswith("Hello Ada,")
    assert "Subject:" not in ada.text_body
    assert "https://awards.test/account/verify/token-for-Ada" in ada.text_body
    assert "Riverside Big Citizen Awards" in ada.text_body
    # CSS is inlined for mail clients: no <style> block left, style attributes instead.
    assert "<style" not in ada.html_body
    assert 'style="' in ada.html_body
    assert 'href="https://awards.test/account/verify/token-for-Ada"' in ada.html_body
    assert "Bob" in bob.text_body and "Ada" not in bob.text_body
    assert ada.message_id != bob.message_id
    assert ada.message_id.endswith("@bigcitizens.example>")
    assert ada.status is OutboxStatus.PENDING and ada.attempts == 0


def test_queue_email_delivers_only_after_commit(smtp, outbox):
    queue("ada@example.com", name="Ada")
    queue("bob@example.com", name="Bob")
    db.session.flush()
    assert smtp.received == []  # nothing leaves before the caller's commit

    db.session.commit()

    rows = outbox()
    assert [(r.status, r.attempts) for r in rows] == [(OutboxStatus.SENT, 1)] * 2
    assert all(r.sent_at is not None and r.last_error is None for r in rows)
    assert smtp.recipients() == ["ada@example.com", "bob@example.com"]
    for row, item in zip(rows, smtp.received, strict=True):
        message = item.message
        assert item.mail_from == "awards@bigcitizens.example"
        assert message["From"] == SENDER
        assert message["To"] == row.recipient
        assert message["Subject"] == "Confirm your email address"
        assert message["Message-ID"] == row.message_id
        assert email.utils.parsedate_to_datetime(message["Date"]) == row.created_at.replace(
            microsecond=0)
        assert message.get_content_type() == "multipart/alternative"
        plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        html = message.get_body(("html",)).get_content()
        assert row.text_body.strip() in plain
        assert "<style" not in html and 'style="' in html


def test_deliver_pending_sends_many_messages_over_one_connection(smtp, outbox):
    for number in range(5):
        queue(f"person{number}@example.com", name=f"P{number}")
    db.session.commit()

    assert [r.status for r in outbox()] == [OutboxStatus.SENT] * 5
    assert len(smtp.received) == 5
    assert smtp.greetings == 1
    assert len({item.peer for item in smtp.received}) == 1


def test_rollback_queues_and_sends_nothing(smtp, outbox, make_user, monkeypatch):
    enqueued = []
    monkeypatch.setattr(job_queue(), "enqueue", lambda task: enqueued.append(1))
    queue("ada@example.com")
    db.session.flush()
    db.session.rollback()

    make_user()  # a later, unrelated commit must not ask for delivery either

    assert outbox() == []
    assert enqueued == []
    assert run_sender().sent == 0
    assert smtp.received == [] and smtp.rcpt_attempts == []


def test_temporary_refusal_retries_later_with_backoff(smtp, outbox):
    smtp.refuse["busy@example.com"] = "450 4.2.1 Mailbox busy, try later"
    before = utcnow()
    busy = queue("busy@example.com")
    queue("fine@example.com")
    db.session.commit()
    after = utcnow()

    busy_row, fine_row = outbox()
    assert fine_row.status is OutboxStatus.SENT  # one refusal does not stop the run
    assert busy_row.status is OutboxStatus.PENDING
    assert busy_row.attempts == 1
    assert before + backoff(1) <= busy_row.next_attempt_at <= after + backoff(1)
    assert busy_row.last_error.startswith("450 4.2.1 Mailbox busy")
    assert smtp.recipients() == ["fine@example.com"]

    del smtp.refuse["busy@example.com"]
    assert run_sender().sent == 0  # not due yet: the back-off is respected

    make_due(busy)
    report = run_sender()

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    busy_row = outbox("busy@example.com")[0]
    assert (busy_row.status, busy_row.attempts, busy_row.last_error) == (
        OutboxStatus.SENT, 2, None)
    assert smtp.recipients() == ["fine@example.com", "busy@example.com"]


def test_backoff_doubles_up_to_six_hours():
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(30) == timedelta(hours=6)


def test_permanent_refusal_fails_without_retry(smtp, outbox):
    smtp.refuse["nobody@example.com"] = "550 5.1.1 No such user"
    row = queue("nobody@example.com")
    db.session.commit()

    row = outbox()[0]
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert row.last_error.startswith("550 5.1.1 No such user")

    make_due(row)
    assert run_sender().sent == 0
    assert smtp.rcpt_attempts == ["nobody@example.com"]  # never asked again
    assert smtp.received == []


def test_non_ascii_address_without_smtputf8_fails_that_message_only(
    smtp_config, smtp_port, start_smtp, outbox
):
    server = start_smtp(smtp_port, enable_SMTPUTF8=False)  # a server that cannot take it
    queue("ada@example.com")
    queue("zoë@example.com")
    queue("bob@example.com")
    db.session.commit()

    rows = {row.recipient: row for row in outbox()}
    unsendable = rows["zoë@example.com"]
    assert (unsendable.status, unsendable.attempts) == (OutboxStatus.FAILED, 1)
    assert "SMTPUTF8" in unsendable.last_error
    # The rest of the batch went out over the same connection, in the same run.
    assert [rows[r].status for r in ("ada@example.com", "bob@example.com")] == [
        OutboxStatus.SENT, OutboxStatus.SENT]
    assert server.recipients() == ["ada@example.com", "bob@example.com"]
    assert server.greetings == 1
    make_due(unsendable)
    assert run_sender().sent == 0  # never tried again


def test_temporary_refusal_fails_when_attempts_run_out(smtp, outbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    smtp.refuse["busy@example.com"] = "451 4.3.0 Try again"
    row = queue("busy@example.com")
    db.session.commit()
    assert outbox()[0].status is OutboxStatus.PENDING

    make_due(row)
    report = run_sender()

    row = outbox()[0]
    assert (report.failed, row.status, row.attempts) == (1, OutboxStatus.FAILED, 2)
    assert row.last_error.startswith("451")
    assert smtp.rcpt_attempts == ["busy@example.com"] * 2


def test_smtp_down_site_works_and_mail_goes_out_when_back(
    client, app, outbox, smtp_config, smtp_port, start_smtp
):
    for name in ("Ada", "Bob"):
        response = client.post("/account/register", data={
            "name": name, "email": f"{name.lower()}@example.com",
            "password": "long enough password", "confirm": "long enough password",
        })
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/register/check-your-email"

    assert db.session.scalar(select(db.func.count(User.id))) == 2
    rows = outbox()
    assert [(r.recipient, r.status, r.attempts) for r in rows] == [
        ("ada@example.com", OutboxStatus.PENDING, 0), ("bob@example.com", OutboxStatus.PENDING, 0),
    ]  # an unreachable server uses up no attempts and delays nothing
    assert "cannot reach the mail server" in rows[0].last_error

    server = start_smtp(smtp_port)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send-pending"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 2, to retry 0, failed 0"
    assert [r.status for r in outbox()] == [OutboxStatus.SENT] * 2
    assert server.recipients() == ["ada@example.com", "bob@example.com"]
    assert all(i.message["Subject"] == "Confirm your email address" for i in server.received)


def test_stale_claims_are_released_and_delivered(smtp, outbox):
    stale, fresh = add_rows(
        "stale@example.com", "fresh@example.com", status=OutboxStatus.SENDING,
    )
    stale.claimed_by, stale.lease_until = "dead:1:aa", utcnow() - timedelta(minutes=1)
    # a live worker still holds it
    fresh.claimed_by, fresh.lease_until = "alive:2:bb", utcnow() + timedelta(minutes=1)
    db.session.commit()

    report = run_sender()

    assert report.sent == 1
    assert [(r.recipient, r.status) for r in outbox()] == [
        ("stale@example.com", OutboxStatus.SENT), ("fresh@example.com", OutboxStatus.SENDING),
    ]
    assert smtp.recipients() == ["stale@example.com"]


def test_max_messages_limits_one_run(smtp, outbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BATCH_SIZE", 2)  # the limit falls inside a batch
    add_rows(*(f"p{n}@example.com" for n in range(5)))

    report = run_sender(max_messages=3)

    assert report.sent == 3
    assert [r.status for r in outbox()] == [OutboxStatus.SENT] * 3 + [OutboxStatus.PENDING] * 2
    assert smtp.recipients() == ["p0@example.com", "p1@example.com", "p2@example.com"]


def test_crash_repeats_at_most_the_message_in_flight(smtp, outbox, monkeypatch):
    class Crash(Exception):
        """The worker dies."""

    real_send = SMTPBackend.send

    def send_then_crash_on_second(self, mime):
        real_send(self, mime)  # the server accepts the message...
        if mime["To"] == "second@example.com":
            raise Crash  # ...and the worker dies before recording it

    monkeypatch.setattr(SMTPBackend, "send", send_then_crash_on_second)
    first, second, third = add_rows("first@example.com", "second@example.com", "third@example.com")
    with pytest.raises(Crash):
        run_sender()

    # Each row is marked sent as soon as the server accepts it: only the one in flight is open.
    assert [r.status for r in outbox()] == [
        OutboxStatus.SENT, OutboxStatus.SENDING, OutboxStatus.SENDING,
    ]
    monkeypatch.setattr(SMTPBackend, "send", real_send)
    for row in outbox()[1:]:
        row.lease_until = utcnow() - timedelta(seconds=1)  # the dead worker's lease ran out
    db.session.commit()

    assert run_sender().sent == 2
    assert [r.status for r in outbox()] == [OutboxStatus.SENT] * 3
    assert smtp.recipients() == [
        "first@example.com", "second@example.com", "second@example.com", "third@example.com",
    ]


def test_starttls_required_but_unsupported_sends_nothing(smtp, outbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SECURITY", "starttls")
    row = queue("ada@example.com")
    db.session.commit()

    row = outbox()[0]
    assert row.status is OutboxStatus.PENDING
    assert "STARTTLS" in row.last_error
    with pytest.raises(TemporaryFailure, match="STARTTLS"):
        SMTPBackend(app.config).send(build_mime(row, SENDER))
    # No plaintext fallback: the server never saw a sender, recipient or message.
    assert smtp.rcpt_attempts == [] and smtp.received == []
    assert smtp.greetings == 2  # it was only greeted, once per attempt


def test_releasing_a_savepoint_does_not_deliver_before_the_real_commit(monkeypatch):
    calls = []
    monkeypatch.setattr(job_queue(), "enqueue", lambda task: calls.append(task.__name__))
    queue_email("accounts/password_changed", "early@example.com", user={"name": "Early"},
                reset_link="http://localhost/reset")
    with db.session.begin_nested():
        pass
    assert calls == []  # the outer transaction is still open: nothing may be sent yet
    db.session.commit()
    assert calls == ["deliver_outbox"]


class SlowBackend:
    """A backend that takes `delay` seconds a message and runs `during(mime)` while sending."""

    delay = 0.0
    during = None
    sent = []

    def __init__(self, config):
        self.config = config

    def send(self, mime):
        time.sleep(self.delay)
        type(self).sent.append(mime["To"])
        if self.during:
            self.during(mime)

    def close(self):
        pass


@pytest.fixture
def slow_backend(app, monkeypatch):
    """MAIL_BACKEND=slow: SlowBackend, with a one-second lease."""
    monkeypatch.setitem(sender.BACKENDS, "slow", SlowBackend)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "slow")
    monkeypatch.setitem(app.config, "MAIL_LEASE_SECONDS", 1)
    # Before leases the claim went stale after a fixed time: make that as short, to compare.
    monkeypatch.setattr(sender, "STALE_CLAIM", timedelta(seconds=1), raising=False)  # noqa
    monkeypatch.setattr(SlowBackend, "sent", [])
    return SlowBackend


def test_a_slow_batch_renews_its_lease_and_is_never_sent_twice(slow_backend, outbox,
                                                                monkeypatch):
    other_runs = []

    def second_worker(mime):
        # While the first worker is busy with its third message (past its first lease), a
        # second worker starts: it must find nothing to release or claim.
        if mime["To"] == "c@example.com" and not other_runs:
            other_runs.append(deliver_pending())

    monkeypatch.setattr(slow_backend, "delay", 0.7)
    monkeypatch.setattr(slow_backend, "during", staticmethod(second_worker))
    add_rows("a@example.com", "b@example.com", "c@example.com", "d@example.com")

    report = run_sender()

    assert slow_backend.sent == ["a@example.com", "b@example.com", "c@example.com",
                                 "d@example.com"]
    assert other_runs[0].sent == 0 and report.sent == 4
    assert [(r.status, r.claimed_by) for r in outbox()] == [(OutboxStatus.SENT, None)] * 4


def test_a_worker_that_lost_its_lease_cannot_mark_the_row_sent(slow_backend, outbox,
                                                                monkeypatch):
    def taken_over(mime):
        # The worker stalled past its lease; another worker released the row and claimed it.
        if mime["To"] == "a@example.com":
            db.session.execute(
                update(OutboxMessage).where(OutboxMessage.recipient == "a@example.com")
                .values(claimed_by="other-host:1:abcd",
                        lease_until=utcnow() + timedelta(minutes=5)))
            db.session.commit()

    monkeypatch.setattr(slow_backend, "during", staticmethod(taken_over))
    add_rows("a@example.com", "b@example.com")

    report = run_sender()

    a, b = outbox()
    # The row stays with the worker that holds it now; the one that lost it stops its batch.
    assert (a.status, a.claimed_by, a.sent_at) == (OutboxStatus.SENDING, "other-host:1:abcd", None)
    assert report.sent == 0
    assert slow_backend.sent == ["a@example.com"]
    assert b.status is OutboxStatus.PENDING and b.claimed_by is None


def test_only_expired_leases_are_released(smtp, outbox):
    expired, held = add_rows("expired@example.com", "held@example.com",
                             status=OutboxStatus.SENDING)
    expired.claimed_by, expired.lease_until = "dead:1:aa", utcnow() - timedelta(seconds=1)
    # claimed long ago, but its worker keeps renewing
    held.claimed_by, held.lease_until = "alive:2:bb", utcnow() + timedelta(minutes=1)
    held.claimed_at = utcnow() - timedelta(hours=1)
    db.session.commit()

    assert run_sender().sent == 1
    assert [(r.recipient, r.status, r.claimed_by) for r in outbox()] == [
        ("expired@example.com", OutboxStatus.SENT, None),
        ("held@example.com", OutboxStatus.SENDING, "alive:2:bb"),
    ]
    assert smtp.recipients() == ["expired@example.com"]
