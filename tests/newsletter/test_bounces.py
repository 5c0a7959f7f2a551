"""`flask newsletter bounces FILE`: real DSNs and feedback reports suppress subscribers."""
from pathlib import Path

from sqlalchemy import select

from awards import factories as f
from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, SubscriberStatus
from awards.newsletter.models import Delivery, Subscriber
from awards.newsletter.services.suppression import suppress_address

FIXTURES = Path(__file__).parent / "fixtures"
COMPLAINER_TOKEN = "Tok3nOfTheComplainer_0123456789ab"  # in arf_complaint.mbox's List-Unsubscribe


def run_bounces(app, *names, tmp_path=None):
    """Commit our rows, run the command on one fixture (or several joined), return its output."""
    db.session.commit()
    if len(names) == 1:
        path = FIXTURES / names[0]
    else:
        path = tmp_path / "joined.mbox"
        path.write_bytes(b"".join((FIXTURES / name).read_bytes() for name in names))
    result = app.test_cli_runner().invoke(args=["newsletter", "bounces", str(path)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def status_of(email):
    return db.session.scalar(select(Subscriber.status).where(Subscriber.email == email))


def summary(output):
    return dict(line.rsplit(": ", 1) for line in output.strip().splitlines())


def waiting_delivery(subscriber, issue, status=DeliveryStatus.PENDING):
    row = Delivery(issue_id=issue.id, subscriber_id=subscriber.id, address=subscriber.email,
                   token=subscriber.token, status=status)
    db.session.add(row)
    db.session.flush()
    return row


def test_suppress_address_suppresses_skips_waiting_copies_and_audits_without_the_address(app):
    reader = f.subscriber("reader@example.com")
    other = f.subscriber("other@example.com")
    first, second, third = (f.newsletter_issue() for _ in range(3))
    pending = waiting_delivery(reader, first)
    sending = waiting_delivery(reader, second, DeliveryStatus.SENDING)
    sent = waiting_delivery(reader, third, DeliveryStatus.SENT)
    others = waiting_delivery(other, first)

    assert suppress_address("Reader@Example.com", "hard_bounce") is True

    assert reader.status is SubscriberStatus.SUPPRESSED
    assert reader.suppressed_at is not None and reader.hard_bounces == 1
    db.session.expire_all()
    # The copy being sent now is its worker's to skip: it checks the subscriber before sending.
    assert [db.session.get(Delivery, row.id).status for row in (pending, sending, sent, others)] \
        == [DeliveryStatus.SKIPPED, DeliveryStatus.SENDING, DeliveryStatus.SENT,
            DeliveryStatus.PENDING]
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.object_type, event.object_id, event.from_state,
            event.to_state) == ("newsletter.subscriber_suppressed", "newsletter_subscriber",
                                reader.id, "active", "suppressed")
    assert event.details == {"reason": "hard_bounce", "complaint": False,
                             "deliveries_skipped": 1}
    assert "reader@example.com" not in str(event.details).lower()


def test_suppress_address_refuses_unknown_and_already_suppressed_addresses(app):
    f.subscriber("gone@example.com", SubscriberStatus.SUPPRESSED)
    complainer = f.subscriber("complainer@example.com", SubscriberStatus.UNSUBSCRIBED)
    assert suppress_address("nobody@example.com", "hard_bounce") is False
    assert suppress_address("gone@example.com", "hard_bounce") is False
    assert suppress_address("complainer@example.com", "complaint", complaint=True) is True
    assert (complainer.status, complainer.hard_bounces) == (SubscriberStatus.SUPPRESSED, 0)
    assert [e.details["complaint"] for e in db.session.scalars(select(AuditEvent))] == [True]


def test_a_5_1_1_failure_suppresses_the_subscriber(app):
    gone = f.subscriber("gone@example.com")
    waiting_delivery(gone, f.newsletter_issue())
    f.subscriber("stays@example.com")
    output = run_bounces(app, "dsn_failed.mbox")
    assert summary(output) == {
        "messages read": "1", "bounces found": "1", "temporary failures (not suppressed)": "0",
        "complaints": "0", "addresses suppressed": "1", "unknown addresses": "0"}
    assert status_of("gone@example.com") is SubscriberStatus.SUPPRESSED
    assert status_of("stays@example.com") is SubscriberStatus.ACTIVE
    assert db.session.scalar(select(Delivery.status)) is DeliveryStatus.SKIPPED
    assert db.session.scalar(select(AuditEvent.details))["reason"] == "hard_bounce"


def test_a_delay_is_counted_but_not_suppressed(app):
    f.subscriber("slow@example.net")
    output = run_bounces(app, "dsn_delayed.mbox")
    assert summary(output)["temporary failures (not suppressed)"] == "1"
    assert summary(output)["bounces found"] == "0"
    assert summary(output)["addresses suppressed"] == "0"
    assert status_of("slow@example.net") is SubscriberStatus.ACTIVE
    assert db.session.scalars(select(AuditEvent)).all() == []


def test_postfix_bounces_old_and_new_suppress_whatever_the_case(app):
    f.subscriber("moved.away@example.org")
    f.subscriber("retired.reader@example.org")
    output = run_bounces(app, "postfix.mbox")
    assert summary(output)["messages read"] == "2"
    assert summary(output)["addresses suppressed"] == "2"
    assert status_of("moved.away@example.org") is SubscriberStatus.SUPPRESSED
    assert status_of("retired.reader@example.org") is SubscriberStatus.SUPPRESSED


def test_complaints_suppress_by_unsubscribe_token_else_original_recipient(app):
    complainer = f.subscriber("complainer@example.com", token=COMPLAINER_TOKEN)
    f.subscriber("grumpy@example.net")
    f.subscriber("redacted@feedback.example.com")  # the first report's (rewritten) To
    f.subscriber("happy@example.net")  # the third report is a "not-spam": no complaint
    output = run_bounces(app, "arf_complaint.mbox")
    assert summary(output)["messages read"] == "3"
    assert summary(output)["complaints"] == "2"
    assert summary(output)["other feedback reports (not complaints)"] == "1"
    assert status_of("happy@example.net") is SubscriberStatus.ACTIVE
    assert summary(output)["addresses suppressed"] == "2"
    assert summary(output)["bounces found"] == "0"
    assert status_of("complainer@example.com") is SubscriberStatus.SUPPRESSED
    assert status_of("grumpy@example.net") is SubscriberStatus.SUPPRESSED
    assert status_of("redacted@feedback.example.com") is SubscriberStatus.ACTIVE
    assert db.session.get(Subscriber, complainer.id).hard_bounces == 0
    events = db.session.scalars(select(AuditEvent)).all()
    assert [(e.details["reason"], e.details["complaint"]) for e in events] == [
        ("complaint", True), ("complaint", True)]


def test_a_message_that_is_not_a_bounce_changes_nothing(app):
    f.subscriber("reader@example.com")
    f.subscriber("old.me@example.com")
    output = run_bounces(app, "not_bounce.mbox")
    assert summary(output) == {
        "messages read": "1", "bounces found": "0", "temporary failures (not suppressed)": "0",
        "complaints": "0", "addresses suppressed": "0", "unknown addresses": "0"}
    assert {status_of("reader@example.com"), status_of("old.me@example.com")} == {
        SubscriberStatus.ACTIVE}


def test_a_mailbox_of_everything_is_summed_up_and_unknown_addresses_counted(app, tmp_path):
    f.subscriber("gone@example.com")
    f.subscriber("grumpy@example.net")
    f.subscriber("already@example.com", SubscriberStatus.SUPPRESSED)
    output = run_bounces(app, "dsn_failed.mbox", "dsn_delayed.mbox", "postfix.mbox",
                         "arf_complaint.mbox", "not_bounce.mbox", "dsn_failed.mbox",
                         tmp_path=tmp_path)
    # gone@ bounced twice (suppressed once); moved.away@, retired.reader@ and the first
    # complaint's redacted@ are nobody's; the delay is only counted.
    assert summary(output) == {
        "messages read": "9", "bounces found": "4", "temporary failures (not suppressed)": "1",
        "complaints": "2", "addresses suppressed": "2", "unknown addresses": "3",
        "other feedback reports (not complaints)": "1"}
    assert db.session.scalar(select(Subscriber.hard_bounces).where(
        Subscriber.email == "gone@example.com")) == 1


def test_the_command_refuses_a_missing_file(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["newsletter", "bounces", str(tmp_path / "missing.mbox")])
    assert result.exit_code == 2
    assert "does not exist" in result.output

