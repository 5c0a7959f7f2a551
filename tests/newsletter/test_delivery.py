"""Sending an issue against a real SMTP server in its own process: the message and its list
headers, each outcome recorded at once, faults, leases, unsubscribes, pauses, suppression."""
import email.utils
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from awards import factories as f
from awards.core.audit import AuditEvent
from awards.core.db import utcnow
from awards.core.jobs import job_queue
from awards.core.mail.sender import SMTPBackend
from awards.extensions import db
from awards.newsletter.delivery import claims, tasks
from awards.newsletter.delivery.worker import Worker
from awards.newsletter.enums import DeliveryStatus, IssueStatus, SubscriberStatus
from awards.newsletter.models import Delivery, NewsletterIssue, Subscriber
from awards.newsletter.services import sending
from awards.newsletter.services.suppression import suppress_address
from tests.newsletter.delivery_support import (
    SENDER,
    deliveries,
    issue_ready,
    mail_settings,
    stand_in_links,
    start,
)
from tests.newsletter.smtp_sink import SmtpSink


@pytest.fixture
def sink(tmp_path):
    """Factory: a recording SMTP server in its own process (stopped after the test)."""
    started = []

    def run(**options):
        server = SmtpSink(tmp_path, **options).__enter__()
        started.append(server)
        return server

    yield run
    for server in started:
        server.__exit__(None, None, None)


@pytest.fixture
def mail_app(build_app):
    """Factory: an app of its own sending to `server` (and its app context, pushed)."""
    contexts = []

    def build(server, **overrides):
        application = stand_in_links(build_app(**mail_settings(server.port, **overrides)))
        context = application.app_context()
        context.push()
        contexts.append(context)
        return application

    yield build
    for context in reversed(contexts):
        db.session.remove()
        context.pop()


def run_worker(issue_id=None):
    """Run a worker to the end; our session ends first (on SQLite it would hold the lock)."""
    db.session.commit()
    return Worker(issue_id=issue_id).run()


def names(count):
    """The addresses `readers(count)` makes."""
    return [f"reader{n:06d}@example.com" for n in range(count)]


def readers(count):
    """`count` active subscribers, committed (in the app of the test's current context)."""
    f.subscribers(count)
    db.session.commit()
    return names(count)


def test_each_copy_has_its_own_links_and_the_exact_list_headers(sink, mail_app):
    server = sink(keep=True)
    mail_app(server)
    ada = f.subscriber("ada@example.com")
    bob = f.subscriber("bob@example.com")
    issue = issue_ready("Winter news")
    start(issue)

    report = run_worker()

    assert (report.sent, report.failed, report.retried) == (2, 0, 0)
    rows = deliveries()
    assert {a: (r.status, r.attempts, r.claimed_by) for a, r in rows.items()} == {
        "ada@example.com": (DeliveryStatus.SENT, 1, None),
        "bob@example.com": (DeliveryStatus.SENT, 1, None)}
    assert all(r.sent_at for r in rows.values())
    db.session.refresh(issue)
    assert issue.is_sent and issue.sent_at
    (message,) = server.messages("ada@example.com")
    unsubscribe = f"https://awards.example.org/newsletter/unsubscribe/{ada.token}"
    preferences = f"https://awards.example.org/newsletter/preferences/{ada.token}"
    assert message["From"] == SENDER and message["To"] == "ada@example.com"
    assert message["Subject"] == "Winter news"
    assert email.utils.parsedate_to_datetime(message["Date"]) > utcnow() - timedelta(minutes=1)
    assert message["List-Id"] == "<newsletter.bigcitizens.example>"
    assert message["List-Unsubscribe"] == (
        f"<{unsubscribe}>, <mailto:unsubscribe@bigcitizens.example?subject=unsubscribe>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Precedence"] == "bulk"
    assert message["Message-ID"] == (
        f"<newsletter.{issue.id}.{rows['ada@example.com'].id}@bigcitizens.example>")
    (bob_copy,) = server.messages("bob@example.com")
    assert bob_copy["Message-ID"] != message["Message-ID"]
    assert bob.token in bob_copy["List-Unsubscribe"] and ada.token not in str(bob_copy)
    text, html = (part.get_content().replace("\r\n", "\n") for part in message.iter_parts())
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert f"Preferences: {preferences}\nUnsubscribe: {unsubscribe}\n" in text
    assert f'<a href="{preferences}">Preferences</a> <a href="{unsubscribe}">' in html
    assert "%%" not in text + html


def test_temporary_permanent_and_dropped_each_end_in_the_right_state(sink, mail_app):
    everyone = names(30)
    later, gone, dropped = everyone[3], everyone[7], everyone[12]
    server = sink(temporary={later}, permanent={gone}, drop={dropped})
    mail_app(server)
    readers(30)
    issue = issue_ready()
    start(issue)

    report = run_worker()

    rows = deliveries()
    assert (rows[later].status, rows[later].attempts) == (DeliveryStatus.PENDING, 1)
    assert rows[later].last_error.startswith("451")
    assert rows[later].next_attempt_at > utcnow()
    assert (rows[gone].status, rows[gone].attempts) == (DeliveryStatus.FAILED, 1)
    assert rows[gone].last_error.startswith("550")
    # The connection dropped at that copy: it and the rest of its batch went back to the
    # queue, the worker reconnected and sent them.
    assert rows[dropped].status is DeliveryStatus.SENT
    assert {r.status for a, r in rows.items() if a not in (later, gone)} == {
        DeliveryStatus.SENT}
    assert (report.sent, report.retried, report.failed) == (28, 1, 1)
    assert server.counts() == {a: 1 for a in everyone if a not in (later, gone)}
    assert db.session.get(Subscriber, rows[gone].subscriber_id).hard_bounces == 1
    db.session.refresh(issue)
    assert issue.is_sending  # a copy still waits for its retry

    # 72 hours after the send started the temporary failure is final.
    db.session.execute(update(NewsletterIssue).values(
        send_started_at=utcnow() - timedelta(hours=72, seconds=1)))
    db.session.execute(update(Delivery).where(Delivery.address == later).values(
        next_attempt_at=utcnow()))
    db.session.commit()
    run_worker()

    rows = deliveries()
    assert (rows[later].status, rows[later].attempts) == (DeliveryStatus.FAILED, 2)
    db.session.refresh(issue)
    assert issue.is_sent
    assert server.counts() == {a: 1 for a in everyone if a not in (later, gone)}


def test_retries_back_off_and_stay_within_the_72_hours(sink, mail_app):
    (address,) = names(1)
    server = sink(temporary={address})
    mail_app(server)
    readers(1)
    issue = issue_ready()
    start(issue)
    db.session.execute(update(NewsletterIssue).values(
        send_started_at=utcnow() - timedelta(hours=71, minutes=59, seconds=30)))
    db.session.execute(update(Delivery).values(attempts=9))
    db.session.commit()

    run_worker()

    row = deliveries()[address]
    started = db.session.get(NewsletterIssue, issue.id).send_started_at
    assert row.status is DeliveryStatus.PENDING and row.attempts == 10
    assert row.next_attempt_at == started + timedelta(hours=72)  # not the six-hour back-off


def test_a_subscriber_is_suppressed_after_repeated_hard_bounces(sink, mail_app):
    server = sink(permanent={"gone@example.com"})
    mail_app(server, NEWSLETTER_SUPPRESS_AFTER_BOUNCES=3)
    person = f.subscriber("gone@example.com", hard_bounces=2)
    first, second = issue_ready("First"), issue_ready("Second")
    start(first)
    start(second)
    db.session.execute(update(NewsletterIssue).where(NewsletterIssue.id == second.id)
                       .values(status=IssueStatus.PAUSED))
    db.session.commit()

    run_worker(first.id)

    db.session.refresh(person)
    assert person.status is SubscriberStatus.SUPPRESSED and person.suppressed_at
    assert person.hard_bounces == 3
    assert deliveries(first.id)["gone@example.com"].status is DeliveryStatus.FAILED
    assert deliveries(second.id)["gone@example.com"].status is DeliveryStatus.SKIPPED
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "newsletter.subscriber_suppressed")).one()
    assert (event.action, event.object_id, event.to_state, event.details) == (
        "newsletter.subscriber_suppressed", person.id, "suppressed",
        {"reason": "hard bounces", "complaint": False, "deliveries_skipped": 1})


def test_suppress_address_skips_what_waits_and_is_idempotent(app):
    person = f.subscriber("Complainer@Example.com")
    issue = issue_ready()
    sending.start_sending(issue, None)
    assert suppress_address("complainer@example.com ", "complaint", complaint=True) is True
    assert suppress_address("complainer@example.com", "complaint", complaint=True) is False
    assert suppress_address("nobody@example.com", "complaint", complaint=True) is False
    assert person.status is SubscriberStatus.SUPPRESSED and person.suppressed_at
    assert db.session.scalars(select(Delivery.status)).all() == [DeliveryStatus.SKIPPED]
    assert [e.action for e in db.session.scalars(select(AuditEvent))] == [
        "newsletter.send_started", "newsletter.subscriber_suppressed"]


def patch_send(monkeypatch, during):
    """SMTPBackend.send really sends, then runs `during(to)` (what happens meanwhile)."""
    real_send = SMTPBackend.send

    def send(self, mime):
        real_send(self, mime)
        during(mime["To"])

    monkeypatch.setattr(SMTPBackend, "send", send)


def test_an_unsubscribe_during_the_send_stops_the_copies_still_to_go(sink, mail_app,
                                                                     monkeypatch):
    server = sink()
    mail_app(server)
    everyone = readers(5)
    issue = issue_ready()
    start(issue)

    def unsubscribe_the_last(to):
        if to == everyone[0]:  # the whole batch is claimed; the last one unsubscribes now
            db.session.execute(update(Subscriber).where(Subscriber.email == everyone[4])
                               .values(status=SubscriberStatus.UNSUBSCRIBED))
            db.session.commit()

    patch_send(monkeypatch, unsubscribe_the_last)
    report = run_worker()

    assert server.counts() == {a: 1 for a in everyone[:4]}
    assert deliveries()[everyone[4]].status is DeliveryStatus.SKIPPED
    assert (report.sent, report.skipped) == (4, 1)
    db.session.refresh(issue)
    assert issue.is_sent


@pytest.mark.parametrize(("control", "left"), [
    (sending.pause_sending, DeliveryStatus.PENDING),
    (sending.cancel_sending, DeliveryStatus.SKIPPED)])
def test_pause_and_cancel_stop_the_worker_between_messages(sink, mail_app, monkeypatch,
                                                           control, left):
    server = sink()
    mail_app(server)
    everyone = readers(20)
    issue = issue_ready()
    start(issue)

    def admin_acts(to):
        if to == everyone[1]:
            control(db.session.get(NewsletterIssue, issue.id), None)
            db.session.commit()

    patch_send(monkeypatch, admin_acts)
    run_worker()

    assert server.counts() == {everyone[0]: 1, everyone[1]: 1}
    rows = deliveries()
    assert {a: r.status for a, r in rows.items() if a not in everyone[:2]} == {
        a: left for a in everyone[2:]}
    assert all(r.claimed_by is None for r in rows.values())


def test_a_slow_batch_renews_its_lease_and_is_never_handed_to_a_second_worker(
        sink, mail_app, monkeypatch):
    server = sink()
    mail_app(server, NEWSLETTER_LEASE_SECONDS=1)
    everyone = readers(4)
    issue = issue_ready()
    start(issue)
    second = []

    def slow(to):
        time.sleep(0.7)  # four messages take 2.8 s against a one-second lease
        if to == everyone[2] and not second:
            second.append(run_worker())  # another worker looks in meanwhile

    patch_send(monkeypatch, slow)
    report = run_worker()

    assert second[0].sent == 0 and second[0].released == 0
    assert report.sent == 4
    assert server.counts() == {a: 1 for a in everyone}


def test_a_worker_that_lost_its_lease_cannot_mark_the_row_sent(sink, mail_app, monkeypatch):
    server = sink()
    mail_app(server)
    first, second = readers(2)
    issue = issue_ready()
    start(issue)

    def taken_over(to):
        if to == first:  # stalled past its lease: another worker released and claimed it
            db.session.execute(update(Delivery).where(Delivery.address == first).values(
                claimed_by="other:1:ab", lease_until=utcnow() + timedelta(minutes=5)))
            db.session.commit()

    patch_send(monkeypatch, taken_over)
    report = run_worker()

    rows = deliveries()
    assert (rows[first].status, rows[first].claimed_by, rows[first].sent_at) == (
        DeliveryStatus.SENDING, "other:1:ab", None)
    assert report.sent == 1  # the second copy, in a later batch
    assert server.counts() == {first: 1, second: 1}


def test_expired_leases_are_released_and_live_ones_kept(sink, mail_app):
    server = sink()
    mail_app(server)
    dead, alive = readers(2)
    issue = issue_ready()
    start(issue)
    db.session.execute(update(Delivery).where(Delivery.address == dead).values(
        status=DeliveryStatus.SENDING, claimed_by="dead:1:aa",
        lease_until=utcnow() - timedelta(seconds=1)))
    db.session.execute(update(Delivery).where(Delivery.address == alive).values(
        status=DeliveryStatus.SENDING, claimed_by="alive:2:bb",
        lease_until=utcnow() + timedelta(minutes=1)))
    db.session.commit()

    report = run_worker()

    assert (report.released, report.sent) == (1, 1)
    assert server.counts() == {dead: 1}
    assert deliveries()[alive].claimed_by == "alive:2:bb"


def test_the_send_rate_is_kept(sink, mail_app):
    server = sink()
    mail_app(server, NEWSLETTER_SEND_RATE=10)
    readers(6)
    start(issue_ready())
    began = time.monotonic()
    assert run_worker().sent == 6
    assert time.monotonic() - began >= 0.5  # six messages at ten a second
    assert server.total() == 6


def test_the_smtp_server_down_leaves_every_row_waiting(mail_app, tmp_path):
    mail_app(SmtpSink(tmp_path))  # never started: nothing listens on its port
    readers(3)
    issue = issue_ready()
    start(issue)

    report = run_worker()

    assert report.stopped.startswith("cannot reach the mail server")
    assert {(r.status, r.attempts, r.claimed_by) for r in deliveries().values()} == {
        (DeliveryStatus.PENDING, 0, None)}


def test_a_committed_send_queues_its_delivery_tasks_and_a_rollback_none(app, monkeypatch):
    calls = []
    monkeypatch.setattr(job_queue(), "enqueue",
                        lambda task, *args: calls.append((task.__name__, *args)))
    f.subscriber("ada@example.com")
    issue = issue_ready()
    sending.start_sending(issue, None)
    db.session.rollback()
    assert calls == []
    issue = issue_ready()
    sending.start_sending(issue, None)
    with db.session.begin_nested():
        pass
    assert calls == []  # the outer transaction is still open
    db.session.commit()
    assert calls == [("deliver_issue", issue.id)] * app.config["NEWSLETTER_WORKERS"]


def test_the_periodic_task_finishes_empty_issues_and_starts_due_ones(mail_app, sink,
                                                                     monkeypatch):
    server = sink()
    mail_app(server)
    nobody = issue_ready("To nobody")
    start(nobody)
    (address,) = readers(1)
    due = issue_ready("Due")
    start(due)
    calls = []
    monkeypatch.setattr(job_queue(), "enqueue",
                        lambda task, *args: calls.append((task.__name__, *args)))

    due_id = due.id
    db.session.commit()
    assert tasks.deliver_due_newsletters() == [due_id]

    assert calls == [("deliver_issue", due.id)]
    assert db.session.get(NewsletterIssue, nobody.id).is_sent
    assert db.session.get(NewsletterIssue, due.id).is_sending
    db.session.commit()
    tasks.deliver_issue(due_id)
    assert server.counts() == {address: 1}
    db.session.expire_all()
    assert db.session.get(NewsletterIssue, due.id).is_sent


def test_a_claim_takes_only_due_rows_of_sending_issues(mail_app, sink):
    mail_app(sink())
    readers(3)
    paused, live = issue_ready("Paused"), issue_ready("Live")
    start(paused)
    start(live)
    db.session.execute(update(NewsletterIssue).where(NewsletterIssue.id == paused.id)
                       .values(status=IssueStatus.PAUSED))
    db.session.execute(update(Delivery).where(Delivery.address == "reader000000@example.com")
                       .values(next_attempt_at=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    lease = claims.new_lease("me:1:aa", 60)

    with db.session.no_autoflush:
        claimed = claims.claim_batch(db.session, lease, 10)

    assert sorted((r.issue_id, r.address) for r in claimed) == [
        (live.id, "reader000001@example.com"), (live.id, "reader000002@example.com")]
    assert {(r.status, r.claimed_by) for r in db.session.scalars(
        select(Delivery).where(Delivery.id.in_([c.id for c in claimed])))} == {
        (DeliveryStatus.SENDING, "me:1:aa")}


def test_welsh_subject_sender_and_body_arrive_intact(sink, mail_app):
    server = sink(keep=True)
    mail_app(server, NEWSLETTER_SENDER="Dinasyddion Mawr – Cylchlythyr <news@bigcitizens.example>")
    f.subscriber("ada@example.com")
    issue = issue_ready("Newyddion y gaeaf: ŵyl y dref")
    issue.text_body = "Croeso i’r cylchlythyr – ŵyl.\n" + issue.text_body
    issue.html_body = "<p>Croeso – ŵyl</p>" + issue.html_body
    start(issue)

    assert run_worker().sent == 1

    (message,) = server.messages("ada@example.com")
    assert message["Subject"] == "Newyddion y gaeaf: ŵyl y dref"
    assert message["From"] == "Dinasyddion Mawr – Cylchlythyr <news@bigcitizens.example>"
    text, html = (part.get_content() for part in message.iter_parts())
    assert text.startswith("Croeso i’r cylchlythyr – ŵyl.") and "<p>Croeso – ŵyl</p>" in html
