"""The public archive: sent issues as live web pages and an Atom feed, only what consent
allows now, and no subscriber's links."""
import pytest
from sqlalchemy import select

from awards.extensions import db
from awards.newsletter.models import IssueStory, NewsletterIssue
from awards.newsletter.services import issues, sending
from awards.nominations.services.consent import withdraw_consent
from tests.newsletter.conftest import assert_no_markers

pytestmark = pytest.mark.usefixtures("no_workers")


def sent_issue(winners, subject="Winter news"):
    issue = issues.create_issue(subject=subject, introduction="Hello, **neighbours**.",
                                award_ids=[winners.open_award.id, winners.private_award.id])
    # The refuser forced in past the form's checks: the archive must leave them out anyway.
    issue.stories.append(IssueStory(nomination_id=winners.refuser.id, position=9))
    db.session.flush()
    assert len(issue.stories) == 3
    issues.send_issue_now(issue)
    assert len(issue.stories) == 3
    db.session.commit()
    return issue


def test_the_archive_lists_issues_that_went_out_and_nothing_else(app, winners, client):
    sent = sent_issue(winners)
    draft = issues.create_issue(subject="Unfinished draft", introduction="")
    cancelled = sent_issue(winners, subject="Cancelled issue")
    sending.cancel_sending(cancelled, None)
    db.session.commit()
    page = client.get("/newsletter/archive").get_data(as_text=True)
    assert "Winter news" in page and f"/newsletter/archive/{sent.reference}" in page
    assert "Unfinished draft" not in page and "Cancelled issue" not in page
    assert client.get(f"/newsletter/archive/{draft.reference}").status_code == 404
    assert client.get(f"/newsletter/archive/{cancelled.reference}").status_code == 404
    assert client.get("/newsletter/archive/N-NOPE").status_code == 404


def test_an_archived_issue_shows_only_what_is_allowed_and_no_personal_links(app, winners,
                                                                           client):
    issue = sent_issue(winners)
    page = client.get(f"/newsletter/archive/{issue.reference}").get_data(as_text=True)
    assert "<strong>neighbours</strong>" in page
    assert "Cal Open" in page and "Cal mends bicycles for free every Saturday." in page
    assert f"/winners/{winners.open_award.key}/photo-display.jpg" in page
    assert "Pia Z." in page and f"/winners/{winners.private_award.key}/photo" not in page
    assert_no_markers(page)
    assert "%%" not in page and "unsubscribe" not in page.lower()
    feed = client.get("/newsletter/archive.atom")
    assert feed.mimetype == "application/atom+xml"
    xml = feed.get_data(as_text=True)
    assert "<title>Winter news</title>" in xml and "Cal Open" in xml
    assert_no_markers(xml)


def test_a_winner_who_withdraws_after_the_send_is_gone_from_the_archive_at_once(
        app, winners, client):
    issue = sent_issue(winners)
    path = f"/newsletter/archive/{issue.reference}"
    assert "Cal Open" in client.get(path).get_data(as_text=True)
    assert "Cal Open" in client.get("/newsletter/archive.atom").get_data(as_text=True)
    withdraw_consent(winners.open)
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert "Cal Open" not in page and "Cal mends bicycles" not in page
    assert winners.open_award.key not in page
    assert "Pia Z." in page
    assert "Cal Open" not in client.get("/newsletter/archive.atom").get_data(as_text=True)
    # The stored e-mail body is the send's record; the archive never shows it.
    stored = db.session.scalars(select(NewsletterIssue.html_body)).one()
    assert "Cal Open" in stored


def test_the_home_page_links_to_the_archive(app, client):
    assert 'href="/newsletter/archive"' in client.get("/").get_data(as_text=True)
