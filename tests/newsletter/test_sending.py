"""Who an issue goes to, the one-statement snapshot, and the admin's controls on a send."""
import pytest
from sqlalchemy import select, text

from awards import factories as f
from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, IssueStatus, SubscriberStatus
from awards.newsletter.models import Delivery
from awards.newsletter.services import NewsletterError, sending


def rendered(issue):
    issue.html_body, issue.text_body = "<p>Hello</p>", "Hello"
    return issue


def addresses(issue):
    return sorted(db.session.scalars(select(Delivery.address).where(
        Delivery.issue_id == issue.id)))


def test_an_issue_for_areas_goes_to_those_areas_and_to_people_who_chose_none(app):
    north, south = f.area("North"), f.area("South")
    f.subscriber("north@example.com", areas=[north])
    f.subscriber("south@example.com", areas=[south])
    f.subscriber("both@example.com", areas=[north, south])
    f.subscriber("any@example.com")
    for status in (SubscriberStatus.PENDING, SubscriberStatus.PAUSED,
                   SubscriberStatus.UNSUBSCRIBED, SubscriberStatus.SUPPRESSED):
        f.subscriber(f"{status.value}@example.com", status)
    issue = rendered(f.newsletter_issue(areas=[north]))
    assert sending.count_audience(issue) == 3
    assert sending.start_sending(issue, None) == 3
    assert addresses(issue) == ["any@example.com", "both@example.com", "north@example.com"]
    everyone = rendered(f.newsletter_issue())
    assert sending.count_audience(everyone) == 4


def test_the_snapshot_copies_address_and_token_into_pending_rows(app):
    person = f.subscriber("reader@example.com")
    issue = rendered(f.newsletter_issue())
    sending.start_sending(issue, None)
    row = db.session.scalars(select(Delivery)).one()
    assert (row.address, row.token, row.subscriber_id) == (person.email, person.token, person.id)
    assert row.status is DeliveryStatus.PENDING and row.attempts == 0
    assert issue.is_sending and issue.send_started_at
    assert db.session.info[sending.SEND_QUEUED] == {issue.id}
    event = db.session.scalars(select(AuditEvent)).one()
    assert event.action == "newsletter.send_started"


def test_an_issue_is_sent_once_and_only_when_rendered(app):
    issue = f.newsletter_issue()
    with pytest.raises(NewsletterError):
        sending.start_sending(issue, None)
    sending.start_sending(rendered(issue), None)
    with pytest.raises(NewsletterError):
        sending.start_sending(issue, None)


def test_pause_resume_cancel_and_retry_change_only_the_right_rows(app):
    f.subscribers(5)
    issue = rendered(f.newsletter_issue())
    sending.start_sending(issue, None)
    rows = db.session.scalars(select(Delivery).order_by(Delivery.id)).all()
    rows[0].status, rows[1].status, rows[1].attempts = (DeliveryStatus.SENT,
                                                        DeliveryStatus.FAILED, 3)
    assert sending.progress(issue) == sending.Progress(pending=3, sent=1, failed=1, skipped=0)
    sending.pause_sending(issue, None)
    assert issue.is_paused
    with pytest.raises(NewsletterError):
        sending.pause_sending(issue, None)
    sending.resume_sending(issue, None)
    assert sending.retry_failed(issue, None) == 1
    db.session.expire_all()
    assert db.session.get(Delivery, rows[1].id).attempts == 0
    sending.cancel_sending(issue, None)
    db.session.expire_all()
    progress = sending.progress(issue)
    assert progress == sending.Progress(pending=0, sent=1, failed=0, skipped=4)
    assert progress.percent == 100 and issue.status is IssueStatus.CANCELLED


def table_bytes(table):
    """What `table` occupies in the database now (PostgreSQL: with its indexes and TOAST;
    SQLite: its pages and its indexes' pages, from the dbstat table)."""
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        return db.session.scalar(text(f"SELECT pg_total_relation_size('{table}')"))
    return db.session.scalar(text(
        "SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name = :table "
        "OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = :table)"), {"table": table})


def test_ten_thousand_recipients_add_less_than_five_megabytes(app):
    """One small row per recipient, never a copy of the body (which is stored once, on the
    issue, however large it is)."""
    f.subscribers(10_000)
    issue = rendered(f.newsletter_issue())
    issue.html_body = "<p>" + "A story worth telling. " * 4_000 + "</p>"  # about 90 KB
    before = table_bytes("newsletter_delivery")

    assert sending.start_sending(issue, None) == 10_000

    added = table_bytes("newsletter_delivery") - before
    print(f"10,000 deliveries: {added:,} bytes")
    assert 0 < added < 5_000_000, added
