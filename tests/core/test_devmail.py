"""The development mailbox at /dev/mail: every queued message, readable in the browser."""
import re

import pytest

from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus
from awards.newsletter.models import Delivery


@pytest.fixture
def dev_app(build_app, tmp_path, monkeypatch):
    """A development-config app on a throwaway SQLite file, with its schema."""
    for name in ("DATABASE_URL", "REDIS_URL", "MAIL_BACKEND", "HUEY_IMMEDIATE", "SERVER_NAME",
                 "PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    # CSRF and rate limits have their own tests; here they would only get in the way.
    return build_app("development", WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)


def register(client, name, email):
    return client.post("/account/register", data={
        "name": name, "email": email,
        "password": "long enough password", "confirm": "long enough password",
    })


def test_dev_mailbox_lists_shows_and_renders_registration_mail(dev_app):
    assert dev_app.config["MAIL_BACKEND"] == "store"
    assert dev_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    client = dev_app.test_client()

    response = register(client, "Ada Lovelace", "ada@example.com")
    assert response.headers["Location"] == "/account/register/check-your-email"
    with dev_app.app_context():
        message = db.session.scalars(db.select(OutboxMessage)).one()
        assert message.status is OutboxStatus.SENT  # stored, delivered inline in development
        message_id = message.id

    listing = client.get("/dev/mail").get_data(as_text=True)
    assert "<td>ada@example.com</td>" in listing
    assert f'<a href="/dev/mail/{message_id}">Confirm your email address</a>' in listing

    page = client.get(f"/dev/mail/{message_id}").get_data(as_text=True)
    assert "Hello Ada Lovelace," in page
    # On the development server's address (PUBLIC_URL), whatever host the request used.
    link = re.search(r'<a href="(http://127\.0\.0\.1:5000/account/verify/[^"]+)">\1</a>', page)
    assert link, page  # the verify link in the plain text is clickable
    assert f'src="/dev/mail/{message_id}/html"' in page and "sandbox=" in page

    html = client.get(f"/dev/mail/{message_id}/html")
    assert html.mimetype == "text/html"
    body = html.get_data(as_text=True)
    assert f'href="{link.group(1)}"' in body and "<style" not in body
    policy = html.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'") and "sandbox" in policy
    assert "script-src" not in policy

    # The verify link from the mailbox works.
    verify_path = link.group(1).removeprefix("http://127.0.0.1:5000")
    assert "Confirm my email address</button>" in client.get(verify_path).get_data(as_text=True)


def test_dev_mailbox_missing_message_is_404(dev_app):
    client = dev_app.test_client()
    assert client.get("/dev/mail/999").status_code == 404
    assert client.get("/dev/mail/999/html").status_code == 404


def test_dev_mailbox_is_not_registered_outside_development(client, app):
    assert app.config["DEV_TOOLS"] is False
    assert "dev.mailbox" not in app.view_functions
    assert client.get("/dev/mail").status_code == 404


def test_a_newsletter_sent_in_development_is_in_the_mailbox(dev_app):
    """Newsletter copies are not outbox rows (the body is stored once, on the issue): the
    mailbox rebuilds each copy sent, as its recipient got it, with their own links."""
    from awards import factories as f
    from awards.newsletter.services import issues

    with dev_app.app_context():
        reader = f.subscriber("reader@example.com")
        issue = issues.create_issue(subject="Winter news", introduction="Hello, **neighbours**.")
        issues.send_issue_now(issue)
        db.session.commit()  # delivered inline in development, by the store backend
        token, delivery_id = reader.token, db.session.scalar(
            db.select(Delivery.id).where(Delivery.status == DeliveryStatus.SENT))
    client = dev_app.test_client()

    listing = client.get("/dev/mail").get_data(as_text=True)
    assert f'<a href="/dev/mail/newsletter/{delivery_id}">Winter news</a>' in listing
    page = client.get(f"/dev/mail/newsletter/{delivery_id}").get_data(as_text=True)
    assert "reader@example.com" in page and "Hello, neighbours." in page
    assert f"http://127.0.0.1:5000/newsletter/unsubscribe/{token}" in page
    html = client.get(f"/dev/mail/newsletter/{delivery_id}/html")
    assert html.status_code == 200 and "<strong>neighbours</strong>" in html.get_data(as_text=True)
    assert client.get("/dev/mail/newsletter/999999").status_code == 404
