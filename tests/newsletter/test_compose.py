"""Writing, previewing, test-sending, sending and scheduling an issue as an admin."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from awards import factories as f
from awards.accounts.enums import Role
from awards.core.audit import AuditEvent
from awards.core.db import utcnow
from awards.extensions import db
from awards.newsletter import rendering
from awards.newsletter.models import Delivery, NewsletterIssue
from awards.newsletter.services import issues
from awards.nominations.services.consent import withdraw_consent
from tests.newsletter.conftest import REFUSER, STORY, SURNAME, assert_no_markers

pytestmark = pytest.mark.usefixtures("no_workers")


def actions():
    db.session.expire_all()
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith("newsletter.")]


def the_issue():
    db.session.expire_all()
    return db.session.scalars(select(NewsletterIssue)).one()


def draft(winners, **fields):
    issue = issues.create_issue(
        subject=fields.get("subject", "Winter news"), introduction="Hello, *neighbours*.",
        award_ids=[winners.open_award.id, winners.private_award.id],
        area_ids=fields.get("area_ids", ()))
    db.session.commit()
    return issue


def test_people_who_are_not_admins_are_refused(app, winners, make_user, sign_in):
    issue = draft(winners)
    anonymous = app.test_client()
    response = anonymous.get(f"/admin/newsletter/{issue.id}")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    for role in ((), (Role.HELPER,), (Role.PANEL_MEMBER,)):
        client = app.test_client()
        sign_in(make_user(roles=role), target=client)
        for path in ("", "/new", f"/{issue.id}", f"/{issue.id}/preview/email",
                     f"/{issue.id}/progress.json"):
            assert client.get(f"/admin/newsletter{path}").status_code == 403, path
        assert client.post(f"/admin/newsletter/{issue.id}/send",
                           data={"when": "now", "confirmed": "yes"}).status_code == 403
    assert the_issue().is_draft and db.session.scalar(select(Delivery.id)) is None


def test_only_winners_who_agreed_to_the_newsletter_can_be_chosen(app, winners, admin_client):
    page = admin_client.get("/admin/newsletter/new").get_data(as_text=True)
    assert "Cal Open" in page and "Pia Z." in page
    assert REFUSER not in page and SURNAME not in page and STORY not in page
    # Posting the refuser's award anyway is refused, and nothing is saved.
    response = admin_client.post("/admin/newsletter/new", data={
        "subject": "News", "introduction": "Hi", "stories": [winners.refuser_award.id]})
    assert response.status_code == 200
    assert "Choose from the stories listed." in response.get_data(as_text=True)
    assert db.session.scalar(select(NewsletterIssue.id)) is None


def test_a_draft_is_written_and_changed(app, winners, admin_client):
    response = admin_client.post("/admin/newsletter/new", data={
        "subject": "  Winter   news ", "introduction": "Hello **all**",
        "stories": [winners.private_award.id, winners.open_award.id],
        "areas": [winners.areas["Riverside"].id]})
    issue = the_issue()
    assert response.headers["Location"] == f"/admin/newsletter/{issue.id}"
    assert (issue.subject, issue.introduction, issue.is_draft) == ("Winter news", "Hello **all**",
                                                                  True)
    assert [s.nomination_id for s in issue.stories] == [winners.private.id, winners.open.id]
    assert [a.name for a in issue.areas] == ["Riverside"]
    page = admin_client.get(f"/admin/newsletter/{issue.id}/edit").get_data(as_text=True)
    assert 'value="Winter news"' in page
    admin_client.post(f"/admin/newsletter/{issue.id}/edit", data={
        "subject": "Spring news", "introduction": "", "stories": [winners.open_award.id]})
    issue = the_issue()
    assert issue.subject == "Spring news"
    assert [s.nomination_id for s in issue.stories] == [winners.open.id]
    assert issue.areas == []
    assert actions() == ["newsletter.issue_created", "newsletter.issue_updated"]


def test_the_recipient_count_is_shown_and_confirmed_before_sending(app, winners, admin_client):
    riverside = winners.areas["Riverside"]
    f.subscriber("a@example.com", areas=[riverside])
    f.subscriber("b@example.com")
    f.subscriber("c@example.com", areas=[f.area("Elsewhere")])
    f.subscribers(1234, prefix="many")
    issue = draft(winners, area_ids=[riverside.id])
    db.session.commit()
    page = admin_client.get(f"/admin/newsletter/{issue.id}").get_data(as_text=True)
    assert "1,236 people" in page
    first = admin_client.post(f"/admin/newsletter/{issue.id}/send", data={"when": "now"})
    page = first.get_data(as_text=True)
    assert "Send to 1,236 people?" in page and 'name="confirmed" type="hidden" value="yes"' in page
    assert the_issue().is_draft  # nothing happens until confirmed
    done = admin_client.post(f"/admin/newsletter/{issue.id}/send",
                             data={"when": "now", "confirmed": "yes"})
    assert done.headers["Location"] == f"/admin/newsletter/{issue.id}/progress"
    issue = the_issue()
    assert issue.is_sending and issue.html_body and issue.text_body
    assert rendering.UNSUBSCRIBE_PLACEHOLDER in issue.html_body
    addresses = set(db.session.scalars(select(Delivery.address)))
    assert len(addresses) == 1236 and "c@example.com" not in addresses
    assert actions() == ["newsletter.issue_created", "newsletter.send_started"]
    assert_no_markers(issue.html_body, issue.text_body)


def test_a_scheduled_issue_starts_when_its_time_comes(app, winners, admin_client):
    f.subscriber("reader@example.com")
    issue = draft(winners)
    zone = ZoneInfo(app.config["TIMEZONE"])
    local = (datetime.now(zone) + timedelta(days=2)).replace(second=0, microsecond=0,
                                                               tzinfo=None)
    data = {"when": "later", "send_at": local.strftime("%Y-%m-%dT%H:%M")}
    page = admin_client.post(f"/admin/newsletter/{issue.id}/send",
                             data=data).get_data(as_text=True)
    assert "Send to 1 person at" in page
    admin_client.post(f"/admin/newsletter/{issue.id}/send", data={**data, "confirmed": "yes"})
    issue = the_issue()
    assert issue.is_scheduled
    assert issue.scheduled_for == local.replace(tzinfo=zone).astimezone(UTC)
    assert issues.start_due_issues() == 0
    assert the_issue().is_scheduled and db.session.scalar(select(Delivery.id)) is None
    issue.scheduled_for = utcnow() - timedelta(minutes=1)
    db.session.commit()
    # A withdrawal before the time comes is honoured by the render at send time.
    withdraw_consent(winners.open)
    db.session.commit()
    assert issues.start_due_issues() == 1
    issue = the_issue()
    assert issue.is_sending and "Cal Open" not in issue.html_body and "Pia Z." in issue.text_body
    assert db.session.scalars(select(Delivery.address)).all() == ["reader@example.com"]
    assert actions()[-2:] == ["newsletter.send_scheduled", "newsletter.send_started"]


def test_a_time_in_the_past_is_refused(app, winners, admin_client):
    issue = draft(winners)
    response = admin_client.post(f"/admin/newsletter/{issue.id}/send", data={
        "when": "later", "send_at": "2020-01-01T09:00", "confirmed": "yes"})
    assert "Choose a time in the future." in response.get_data(as_text=True)
    assert the_issue().is_draft


def test_the_start_due_issues_job_is_registered(app):
    names = {task.__name__ for task in app.extensions["jobs"].huey._registry._periodic_tasks}
    assert "start_due_newsletters" in names


def test_preview_and_test_send_show_only_what_is_allowed(app, winners, admin_client, outbox):
    issue = draft(winners)
    page = admin_client.get(f"/admin/newsletter/{issue.id}/preview").get_data(as_text=True)
    for width in ("phone", "desktop"):
        assert f"newsletter-preview__frame--{width}" in page
    assert "Cal mends bicycles for free every Saturday." in page  # the plain-text part
    frame = admin_client.get(f"/admin/newsletter/{issue.id}/preview/email")
    assert "frame-ancestors 'self'" in frame.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in frame.headers["Content-Security-Policy"]
    html = frame.get_data(as_text=True)
    assert "/static/css/newsletter-email.css" in html and "Pia Z." in html
    for body in (page, html):
        assert_no_markers(body)
        assert "%%" not in body
    response = admin_client.post(f"/admin/newsletter/{issue.id}/test")
    assert response.headers["Location"] == f"/admin/newsletter/{issue.id}"
    (message,) = [m for m in outbox() if m.kind == issues.TEST_KIND]
    assert message.recipient == winners.admin.email
    assert message.subject == "[Test] Winter news"
    assert_no_markers(message.html_body, message.text_body, message.subject)
    assert "%%" not in message.html_body + message.text_body
    assert "Cal Open" in message.text_body and "Pia Z." in message.html_body
    assert actions()[-1] == "newsletter.test_sent"
    assert the_issue().is_draft and the_issue().html_body is None


def test_after_a_withdrawal_the_preview_drops_the_story(app, winners, admin_client):
    issue = draft(winners)
    withdraw_consent(winners.private)
    db.session.commit()
    page = admin_client.get(f"/admin/newsletter/{issue.id}/preview").get_data(as_text=True)
    assert "Pia Z." not in page and "Cal Open" in page


ECHO = "<zzecho>"
hostile_text = st.one_of(st.text(max_size=60), st.just(ECHO + "'\"&"),
                         st.sampled_from(["-1", "99999999999999999999", "", " ", "\u202e",
                                          "2027-13-45T25:61", "javascript:alert(1)"]))


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(subject=hostile_text, introduction=hostile_text, story=hostile_text, area=hostile_text,
       when=hostile_text, send_at=hostile_text)
def fuzz_forms(client, issue_id, subject, introduction, story, area, when, send_at):
    forms = [
        ("/admin/newsletter/new", {"subject": subject + ECHO, "introduction": introduction + ECHO,
                                   "stories": story, "areas": area}),
        (f"/admin/newsletter/{issue_id}/edit", {"subject": ECHO + subject, "stories": story,
                                                "introduction": ECHO + introduction}),
        (f"/admin/newsletter/{issue_id}/send", {"when": when, "send_at": send_at + ECHO}),
    ]
    for path, data in forms:
        response = client.post(path, data=data)
        assert response.status_code < 500, (path, data)
        assert ECHO not in response.get_data(as_text=True), (path, data)


def test_hostile_input_to_the_admin_forms(app, winners, admin_client):
    issue = draft(winners)
    fuzz_forms(admin_client, issue.id)
    page = admin_client.get(f"/admin/newsletter/{issue.id}").get_data(as_text=True)
    assert ECHO not in page
    # Whatever was saved, its pages and its message escape it too.
    for saved in db.session.scalars(select(NewsletterIssue)):
        for path in (f"/admin/newsletter/{saved.id}/preview",
                     f"/admin/newsletter/{saved.id}/preview/email"):
            response = admin_client.get(path)
            assert response.status_code == 200 and ECHO not in response.get_data(as_text=True)
        assert ECHO not in rendering.render_issue(saved)[1]
