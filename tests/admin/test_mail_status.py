"""Mail status (/admin/mail): failed messages with their errors and never their bodies, the
pending count, and "send again" for one or all: back to pending, audited, then delivered."""
import re

import pytest
from sqlalchemy import select

from awards.accounts.enums import Role
from awards.admin.services.mail import MailStatusError, retry_messages
from awards.core.audit import AuditEvent
from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.extensions import db


def page(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def message(name, status=OutboxStatus.FAILED, error="550 5.1.1 No such user"):
    row = OutboxMessage(
        kind="nominations/nominee_invitation", recipient=f"{name}@example.com",
        subject=f"Subject for {name}", text_body=f"BODY-{name}-TEXT",
        html_body=f"<p>BODY-{name}-HTML</p>", message_id=f"<{name}@example.com>",
        status=status, attempts=8 if status is OutboxStatus.FAILED else 0,
        last_error=error if status is OutboxStatus.FAILED else None)
    db.session.add(row)
    db.session.commit()
    return row


def retried_events():
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.retried")
                              .order_by(AuditEvent.object_id)).all()


def test_mail_status_lists_failed_messages_without_bodies(client, admin):
    failed = message("gone")
    message("waiting", OutboxStatus.PENDING)
    message("waiting2", OutboxStatus.PENDING)
    message("done", OutboxStatus.SENT)

    text = page(client.get("/admin/mail"))

    assert '<dd id="pending-count">2</dd>' in text
    assert '<dd id="failed-count">1</dd>' in text
    table = re.search(r'<table class="table" id="failed-mail">.*?</table>', text, re.S).group(0)
    for shown in ("gone@example.com", "nominations/nominee_invitation", "Subject for gone",
                  "550 5.1.1 No such user", "<td>8</td>"):
        assert shown in table, shown
    assert f'action="/admin/mail/{failed.id}/retry"' in table
    assert "BODY-" not in text  # personal data stays in the outbox
    assert "waiting@example.com" not in text and "done@example.com" not in text
    assert "<caption" in table and '<th scope="col">' in table


def test_mail_status_with_nothing_failed(client, admin):
    text = page(client.get("/admin/mail"))

    assert "No mail has failed." in text
    assert "/admin/mail/retry" not in text


def test_retry_one_puts_it_back_to_pending_audited_and_delivered(client, admin, outbox):
    failed, _other = message("gone"), message("other")

    response = client.post(f"/admin/mail/{failed.id}/retry")

    assert (response.status_code, response.headers["Location"]) == (302, "/admin/mail")
    rows = {row.recipient: row for row in outbox()}
    # Delivery ran after the commit (tests deliver inline with the store backend).
    assert rows["gone@example.com"].status is OutboxStatus.SENT
    assert rows["gone@example.com"].attempts == 1
    assert rows["other@example.com"].status is OutboxStatus.FAILED
    [event] = retried_events()
    assert (event.actor_id, event.object_type, event.object_id, event.from_state,
            event.to_state) == (admin.id, "outbox_message", failed.id, "failed", "pending")
    assert "The message to gone@example.com will be sent again." in page(
        client.get("/admin/mail"))


def test_retry_all_puts_every_failed_message_back_and_delivers_them(client, admin, outbox):
    first, second = message("one"), message("two")
    sent = message("done", OutboxStatus.SENT)

    response = client.post("/admin/mail/retry")

    assert (response.status_code, response.headers["Location"]) == (302, "/admin/mail")
    assert {row.recipient: row.status for row in outbox()} == {
        "one@example.com": OutboxStatus.SENT, "two@example.com": OutboxStatus.SENT,
        "done@example.com": OutboxStatus.SENT}
    assert [e.object_id for e in retried_events()] == [first.id, second.id]
    assert sent.id not in [e.object_id for e in retried_events()]
    assert "2 messages will be sent again." in page(client.get("/admin/mail"))


def test_retry_service_sets_pending_and_resets_attempts(admin):
    failed = message("gone")

    assert retry_messages([failed], actor=admin) == 1

    assert (failed.status, failed.attempts, failed.claimed_at) == (
        OutboxStatus.PENDING, 0, None)
    assert failed.next_attempt_at is not None
    db.session.rollback()


def test_retry_refuses_what_has_not_failed(client, admin, outbox):
    pending = message("waiting", OutboxStatus.PENDING)

    with pytest.raises(MailStatusError):
        retry_messages([pending], actor=admin)
    db.session.rollback()
    with pytest.raises(MailStatusError):
        retry_messages([], actor=admin)
    db.session.rollback()
    # Through the page: a message that has not failed is not found; "all" with none says so.
    assert client.post(f"/admin/mail/{pending.id}/retry").status_code == 404
    response = client.post("/admin/mail/retry", follow_redirects=True)
    assert "There is no failed mail to send again." in page(response)
    assert retried_events() == []
    assert outbox()[0].attempts == 0


@pytest.mark.parametrize("roles", [(), (Role.HELPER,), (Role.PANEL_MEMBER,)])
def test_mail_status_is_for_admins_only(app, client, make_user, sign_in, outbox, roles):
    failed = message("gone")
    anonymous = app.test_client()
    for method, path in (("GET", "/admin/mail"), ("POST", f"/admin/mail/{failed.id}/retry"),
                         ("POST", "/admin/mail/retry")):
        response = anonymous.open(path, method=method)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/sign-in?next=")
    sign_in(make_user(roles=roles))
    for method, path in (("GET", "/admin/mail"), ("POST", f"/admin/mail/{failed.id}/retry"),
                         ("POST", "/admin/mail/retry")):
        assert client.open(path, method=method).status_code == 403
    assert outbox()[0].status is OutboxStatus.FAILED
    assert retried_events() == []
