"""The progress page: counts of the delivery rows, the rate, the bar, and the controls."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from awards import factories as f
from awards.core.audit import AuditEvent
from awards.core.db import utcnow
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, IssueStatus
from awards.newsletter.models import Delivery, NewsletterIssue
from awards.newsletter.services import issues

pytestmark = pytest.mark.usefixtures("no_workers")


def sending_issue(winners, count=10):
    f.subscribers(count)
    issue = issues.create_issue(subject="Winter news", introduction="Hello",
                                award_ids=[winners.open_award.id])
    issues.send_issue_now(issue)
    rows = db.session.scalars(select(Delivery).order_by(Delivery.id)).all()
    now = utcnow()
    for row in rows[:5]:  # five sent in the last few minutes
        row.status, row.sent_at = DeliveryStatus.SENT, now - timedelta(minutes=1)
    rows[5].status, rows[5].sent_at = DeliveryStatus.SENT, now - timedelta(hours=2)
    rows[6].status, rows[6].last_error = DeliveryStatus.FAILED, "550 <mailbox unknown>"
    rows[6].attempts = 3
    rows[7].status = DeliveryStatus.SKIPPED
    db.session.commit()
    return issue, rows


def audit_actions():
    db.session.expire_all()
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith("newsletter.send") or e.action == "newsletter.failed_retried"]


def test_progress_page_shows_the_counts_of_delivery_rows(app, winners, admin_client):
    issue, rows = sending_issue(winners)
    response = admin_client.get(f"/admin/newsletter/{issue.id}/progress")
    page = response.get_data(as_text=True)
    assert '<dd data-field="sent">6</dd>' in page
    assert '<dd data-field="failed">1</dd>' in page
    assert '<dd data-field="pending">2</dd>' in page
    assert '<dd data-field="skipped">1</dd>' in page
    assert '<dd data-field="rate">1.0</dd>' in page  # 5 in the last 5 minutes
    assert '<dd data-field="left">About 2 minutes</dd>' in page
    assert '<progress id="send-progress" max="10" value="8"' in page
    assert f"data-progress-url=\"/admin/newsletter/{issue.id}/progress.json\"" in page
    assert "js/newsletter-progress.js" in page and ">Refresh</a>" in page
    # The failed address, with its error (escaped).
    assert rows[6].address in page and "550 &lt;mailbox unknown&gt;" in page
    data = admin_client.get(f"/admin/newsletter/{issue.id}/progress.json").get_json()
    assert {k: data[k] for k in ("total", "sent", "failed", "pending", "skipped", "percent",
                                 "finished")} == {
        "total": 10, "sent": 6, "failed": 1, "pending": 2, "skipped": 1, "percent": 80,
        "finished": False}
    assert data["left"] == "About 2 minutes" and data["status"] == "Sending"


def test_pause_resume_retry_and_cancel_are_confirmed_and_audited(app, winners, admin_client):
    issue, rows = sending_issue(winners)
    base = f"/admin/newsletter/{issue.id}"
    page = admin_client.get(f"{base}/pause").get_data(as_text=True)
    assert "Pause the send?" in page
    assert db.session.get(NewsletterIssue, issue.id).is_sending  # asking changes nothing
    assert admin_client.post(f"{base}/pause").headers["Location"] == f"{base}/progress"
    db.session.expire_all()
    assert db.session.get(NewsletterIssue, issue.id).is_paused
    admin_client.post(f"{base}/resume")
    db.session.expire_all()
    assert db.session.get(NewsletterIssue, issue.id).is_sending
    assert "Try 1 failed address again?" in admin_client.get(f"{base}/retry").get_data(
        as_text=True)
    admin_client.post(f"{base}/retry")
    db.session.expire_all()
    assert db.session.get(Delivery, rows[6].id).status is DeliveryStatus.PENDING
    page = admin_client.get(f"{base}/cancel").get_data(as_text=True)
    assert "3 people who have not had it yet never will." in page
    admin_client.post(f"{base}/cancel")
    db.session.expire_all()
    assert db.session.get(NewsletterIssue, issue.id).status is IssueStatus.CANCELLED
    assert db.session.get(Delivery, rows[6].id).status is DeliveryStatus.SKIPPED
    assert audit_actions() == ["newsletter.send_started", "newsletter.send_paused",
                               "newsletter.send_sending", "newsletter.failed_retried",
                               "newsletter.send_cancelled"]
    # A control that no longer applies is refused with a message, and changes nothing.
    response = admin_client.post(f"{base}/pause", follow_redirects=True)
    assert "This send is no longer Sending." in response.get_data(as_text=True)
    assert audit_actions()[-1] == "newsletter.send_cancelled"


def test_a_scheduled_issue_can_go_back_to_a_draft(app, winners, admin_client):
    issue = issues.create_issue(subject="Later", introduction="")
    issues.schedule_issue(issue, utcnow() + timedelta(days=1))
    db.session.commit()
    response = admin_client.post(f"/admin/newsletter/{issue.id}/unschedule")
    assert response.headers["Location"] == f"/admin/newsletter/{issue.id}"
    db.session.expire_all()
    issue = db.session.get(NewsletterIssue, issue.id)
    assert issue.is_draft and issue.scheduled_for is None


def test_the_controls_are_refused_to_non_admins(app, winners, make_user, sign_in):
    issue, _rows = sending_issue(winners)
    client = app.test_client()
    sign_in(make_user(), target=client)
    for action in ("pause", "cancel", "retry"):
        assert client.post(f"/admin/newsletter/{issue.id}/{action}").status_code == 403
    assert client.get(f"/admin/newsletter/{issue.id}/progress").status_code == 403
    db.session.expire_all()
    assert db.session.get(NewsletterIssue, issue.id).is_sending
