"""One-click unsubscribe (RFC 8058): a POST with no cookie and no CSRF token answers 200, sets
no cookie, never redirects, and is safe to repeat; the rest of a send in progress skips the
address."""
import re

from sqlalchemy import select

from awards import factories as f
from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, IssueStatus, SubscriberStatus
from awards.newsletter.models import Delivery
from tests.newsletter.conftest import answer, delivery


def unsubscribe_events():
    return db.session.scalars(select(AuditEvent).filter_by(
        action="newsletter.unsubscribed")).all()


def test_one_click_post_unsubscribes_at_once_with_200_no_cookie_no_redirect(app):
    reader = f.subscriber("reader@example.com")
    db.session.commit()
    client = app.test_client()  # a mail program: no cookie, no CSRF token
    path = f"/newsletter/unsubscribe/{reader.token}"

    first = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert first.status_code == 200
    assert "Location" not in first.headers
    assert "Set-Cookie" not in first.headers
    assert "no-store" in first.headers["Cache-Control"]
    assert "You have unsubscribed" in first.get_data(as_text=True)
    db.session.expire_all()
    assert reader.status is SubscriberStatus.UNSUBSCRIBED and reader.unsubscribed_at
    [event] = unsubscribe_events()
    assert event.details == {"how": "one-click"}
    assert (event.from_state, event.to_state) == ("active", "unsubscribed")

    # Again (a mail program retrying, a second click): the same answer, nothing new.
    again = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert answer(again) == answer(first)
    assert "Set-Cookie" not in again.headers
    assert len(unsubscribe_events()) == 1
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None


def test_one_click_post_needs_no_body_at_all(client):
    reader = f.subscriber("bare@example.com")
    db.session.commit()
    response = client.post(f"/newsletter/unsubscribe/{reader.token}")
    assert response.status_code == 200
    db.session.expire_all()
    assert reader.status is SubscriberStatus.UNSUBSCRIBED


def test_get_shows_one_button_and_changes_nothing(client):
    reader = f.subscriber("look@example.com")
    db.session.commit()
    response = client.get(f"/newsletter/unsubscribe/{reader.token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    forms = re.findall(r"<form\b[^>]*>.*?</form>", page.split('id="main"')[1], re.S)
    [form] = forms
    assert 'method="post"' in form and "action=" not in form  # posts to this address
    assert form.count("<button") == 1 and "Unsubscribe" in form
    assert "csrf_token" not in form
    db.session.expire_all()
    assert reader.is_active and unsubscribe_events() == []


def test_an_unknown_token_is_a_404_that_says_how_to_unsubscribe(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "NEWSLETTER_UNSUBSCRIBE_MAILTO", "leave@bigcitizens.example")
    for token in ("nope", "x" * 500, "%C3%A9", "..", "0"):
        for method in ("GET", "POST"):
            response = client.open(f"/newsletter/unsubscribe/{token}", method=method)
            page = response.get_data(as_text=True)
            assert response.status_code == 404, (method, token)
            assert "How to unsubscribe" in page
            assert 'href="mailto:leave@bigcitizens.example"' in page


def test_an_unsubscribe_during_a_send_skips_only_that_address(client):
    reader, other = f.subscriber("leaving@example.com"), f.subscriber("staying@example.com")
    sending = f.newsletter_issue("This month", status=IssueStatus.SENDING)
    earlier = f.newsletter_issue("Last month", status=IssueStatus.SENT)
    mine = delivery(sending, reader)
    sent_before = delivery(earlier, reader, DeliveryStatus.SENT)
    theirs = delivery(sending, other)
    db.session.commit()

    assert client.post(f"/newsletter/unsubscribe/{reader.token}").status_code == 200

    db.session.expire_all()
    assert db.session.get(Delivery, mine.id).status is DeliveryStatus.SKIPPED
    assert db.session.get(Delivery, sent_before.id).status is DeliveryStatus.SENT
    assert db.session.get(Delivery, theirs.id).status is DeliveryStatus.PENDING
    assert other.is_active
