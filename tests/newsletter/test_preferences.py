"""The preferences page, from the link in every newsletter (no sign-in): areas, pause and
resume, unsubscribe, and deleting everything held about the subscription."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from awards import factories as f
from awards.core.audit import AuditEvent
from awards.core.mail import queue_email
from awards.core.mail.models import OutboxMessage
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, IssueStatus, SubscriberStatus
from awards.newsletter.models import Delivery, Subscriber, subscriber_area
from tests.newsletter.conftest import delivery


@pytest.fixture
def reader(north_south):
    north, south, _old = north_south
    person = f.subscriber("reader@example.com", areas=[north])
    db.session.commit()
    person.path = f"/newsletter/preferences/{person.token}"
    return person


def test_the_page_shows_the_subscription_and_saves_areas(client, reader, north_south):
    north, south, old = north_south
    response = client.get(reader.path)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    assert "reader@example.com" in page and "Subscribed" in page
    boxes = {int(value): "checked" in attributes for attributes, value in
             re.findall(r'<input ([^>]*)type="checkbox" value="(\d+)"', page)}
    assert boxes == {north.id: True, south.id: False}
    assert "Old Ward" not in page and "<legend" in page

    saved = client.post(reader.path, data={"action": "areas", "areas": [str(south.id)]})
    assert (saved.status_code, saved.headers["Location"]) == (302, reader.path)
    db.session.expire_all()
    assert reader.areas == [south]
    assert "Your areas have been saved" in client.get(reader.path).get_data(as_text=True)
    # None chosen: every area. An archived or made-up area cannot be chosen.
    client.post(reader.path, data={"action": "areas"})
    db.session.expire_all()
    assert reader.areas == []
    refused = client.post(reader.path, data={"action": "areas", "areas": [str(old.id), "999"]})
    assert refused.status_code == 200 and "There is a problem" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert reader.areas == []


def test_pause_skips_the_rest_of_a_send_and_resume_starts_again(client, reader):
    sending = f.newsletter_issue(status=IssueStatus.SENDING)
    pending = delivery(sending, reader)
    db.session.commit()

    client.post(reader.path, data={"action": "pause"})
    db.session.expire_all()
    assert reader.is_paused
    assert db.session.get(Delivery, pending.id).status is DeliveryStatus.SKIPPED
    page = client.get(reader.path).get_data(as_text=True)
    assert "Your subscription is paused" in page and "Resume my subscription" in page

    client.post(reader.path, data={"action": "resume"})
    db.session.expire_all()
    assert reader.is_active


def test_unsubscribe_then_subscribe_again_from_the_same_link(client, reader):
    client.post(reader.path, data={"action": "unsubscribe"})
    db.session.expire_all()
    assert reader.status is SubscriberStatus.UNSUBSCRIBED
    page = client.get(reader.path).get_data(as_text=True)
    assert "You are not receiving the newsletter" in page and "Subscribe again" in page
    client.post(reader.path, data={"action": "resume"})
    db.session.expire_all()
    assert reader.is_active and reader.unsubscribed_at is None


def test_delete_everything_asks_first_then_leaves_nothing_with_the_address(client, reader):
    token, reader_id = reader.token, reader.id
    sent = f.newsletter_issue("Last month", status=IssueStatus.SENT)
    sending = f.newsletter_issue("This month", status=IssueStatus.SENDING)
    old_copy, new_copy = delivery(sent, reader, DeliveryStatus.SENT), delivery(sending, reader)
    queue_email("newsletter/confirm", reader.email, confirm_link="http://x/", hours=72)
    other = f.subscriber("other@example.com")
    theirs = delivery(sending, other)
    db.session.commit()

    asked = client.post(reader.path, data={"action": "delete"})
    assert asked.status_code == 200
    assert "Yes, delete everything" in asked.get_data(as_text=True)
    assert db.session.get(Subscriber, reader_id) is not None  # nothing yet

    done = client.post(reader.path, data={"action": "delete-confirmed"})
    assert done.status_code == 200
    assert "We have deleted your subscription" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Subscriber, reader_id) is None
    assert db.session.scalar(select(func.count()).select_from(subscriber_area).where(
        subscriber_area.c.subscriber_id == reader_id)) == 0
    for copy_id, status in ((old_copy.id, DeliveryStatus.SENT),
                            (new_copy.id, DeliveryStatus.SKIPPED)):
        row = db.session.get(Delivery, copy_id)
        assert (row.address, row.token, row.subscriber_id, row.status) == ("", "", None, status)
    assert db.session.get(Delivery, theirs.id).address == "other@example.com"
    assert db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == "reader@example.com")).all() == []
    # The audit log says it happened, without the address.
    [event] = db.session.scalars(select(AuditEvent).filter_by(
        action="newsletter.forgotten")).all()
    assert event.details == {"subscriber_id": reader_id}
    everything = " ".join(str((e.details, e.object_id)) for e in db.session.scalars(
        select(AuditEvent)))
    assert "reader@example.com" not in everything
    # The link is gone too.
    assert client.get(f"/newsletter/preferences/{token}").status_code == 404


def test_a_paused_subscriber_cannot_be_paused_twice_nor_an_active_one_resumed(client, reader):
    response = client.post(reader.path, data={"action": "resume"}, follow_redirects=True)
    assert "This subscription cannot be resumed" in response.get_data(as_text=True)
    db.session.expire_all()
    assert reader.is_active


def test_unknown_preferences_link_says_how_to_unsubscribe(client):
    response = client.get("/newsletter/preferences/no-such-token")
    assert response.status_code == 404
    assert "How to unsubscribe" in response.get_data(as_text=True)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(action=st.one_of(st.sampled_from(["areas", "pause", "resume", "unsubscribe", "delete",
                                         "<zz-echo>"]), st.text(max_size=20)),
       areas=st.lists(st.one_of(st.text(max_size=20), st.sampled_from(["<zz-echo>", "-1",
                                                                       "9" * 25])), max_size=3))
def test_hostile_input_to_the_preferences_page_never_errs_or_echoes(app, reader, action, areas):
    response = app.test_client().post(reader.path, data={"action": action, "areas": areas},
                                      follow_redirects=True)
    assert response.status_code < 500
    assert "<zz-echo" not in response.get_data(as_text=True)
