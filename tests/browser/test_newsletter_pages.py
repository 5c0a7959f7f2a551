"""The newsletter's admin pages and public archive fit a phone and pass axe; the preview's
frames show the styled e-mail; the progress page refreshes its figures by itself."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from awards import factories as f
from awards.accounts.enums import Role
from awards.core.mail.models import OutboxMessage
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus
from awards.newsletter.models import Delivery, NewsletterIssue
from awards.newsletter.services import issues
from awards.newsletter.services.sending import SEND_QUEUED
from awards.nominations.enums import Phase
from awards.public.models import PublicAward
from tests.browser.axe import assert_accessible
from tests.browser.test_staff_pages import PHONE, assert_fit_a_phone_and_pass_axe, sign_in

pytestmark = pytest.mark.browser
ADMIN = "ada.newsletter@example.com"


@pytest.fixture(scope="module")
def newsletter(live_app):
    """A published winner who agreed to the newsletter, a draft featuring them, and an issue
    being sent to three subscribers."""
    with live_app.app_context():
        admin = f.user("Ada Admin", ADMIN, roles=[Role.ADMIN])
        cycle = f.cycle(Phase.NOMINATING, name="Newsletter Awards Past")
        won = f.nomination(cycle, f.S.ELIGIBLE, statements=1, admin=admin,
                           consent={**f.EVERYTHING, "in_newsletter": True},
                           nominee_name="Winnie Winner", photo=f.photo("teal"),
                           photo_alt="At the lunch club")
        f.start_judging(cycle, admin)
        panel = f.panel(cycle, "Past panel", members=[f.user("Chris Chair")], admin=admin)
        f.decide(panel, won, "winner", panel.members[0].user, "Runs the Tuesday lunch club.")
        f.publish(cycle, admin)
        award = db.session.scalar(select(PublicAward).filter_by(nomination_id=won.id))
        draft = issues.create_issue(subject="Winter news", introduction="Hello, **all**.",
                                    award_ids=[award.id])
        sending = issues.create_issue(subject="Autumn news", introduction="Hello.",
                                      award_ids=[award.id])
        for n in range(3):
            f.subscriber(f"reader{n}@example.com")
        issues.send_issue_now(sending)
        # No worker: the progress test plays it (in tests a send is otherwise delivered
        # inline when it commits).
        db.session.info.pop(SEND_QUEUED, None)
        db.session.commit()
        made = {"draft": draft.id, "sending": sending.id, "reference": sending.reference}
        db.session.remove()
    return made


def test_newsletter_pages_fit_a_phone_and_pass_axe(browser, live_server, newsletter):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, ADMIN)
    draft, sending = newsletter["draft"], newsletter["sending"]
    pages = [("issues", "/admin/newsletter"), ("new", "/admin/newsletter/new"),
             ("draft", f"/admin/newsletter/{draft}"),
             ("edit", f"/admin/newsletter/{draft}/edit"),
             ("preview", f"/admin/newsletter/{draft}/preview"),
             ("send", f"/admin/newsletter/{draft}/send"),
             ("progress", f"/admin/newsletter/{sending}/progress"),
             ("pause", f"/admin/newsletter/{sending}/pause"),
             ("archive", "/newsletter/archive"),
             ("archived issue", f"/newsletter/archive/{newsletter['reference']}")]
    assert_fit_a_phone_and_pass_axe(page, live_server, pages)
    context.close()


def test_the_preview_frames_show_the_styled_email(browser, live_server, newsletter):
    page = browser.new_page()
    sign_in(page, live_server, ADMIN)
    page.goto(live_server + f"/admin/newsletter/{newsletter['draft']}/preview")
    widths = []
    for frame_element in page.locator("iframe").element_handles():
        frame = frame_element.content_frame()
        frame.wait_for_load_state()
        assert "Winnie Winner" in frame.content()
        background = frame.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(244, 241, 234)"  # the e-mail's stylesheet applies
        widths.append(frame.evaluate("document.documentElement.clientWidth"))
    assert [round(w, -1) for w in widths] == [370, 700] or widths[0] < 380 <= widths[1]
    page.close()


def test_the_progress_page_refreshes_by_itself(browser, live_server, live_app, newsletter):
    page = browser.new_page()
    sign_in(page, live_server, ADMIN)
    page.goto(live_server + f"/admin/newsletter/{newsletter['sending']}/progress")
    assert page.locator('[data-field="sent"]').inner_text() == "0"
    with live_app.app_context():
        db.session.execute(update(Delivery).values(status=DeliveryStatus.SENT))
        db.session.commit()
        db.session.remove()
    expect(page.locator('dd[data-field="sent"]')).to_have_text("3", timeout=8000)
    expect(page.locator('[data-field="percent"]')).to_have_text("100")
    assert page.locator("#send-progress").get_attribute("max") == "3"
    assert page.evaluate("document.querySelector('#send-progress').value") == 3
    page.close()


def test_an_admin_writes_previews_tests_sends_and_watches_it_go(browser, live_server, live_app,
                                                                  newsletter):
    """The whole of an admin's send, with axe on every page: write a draft from a consented
    story, preview it, send a test to themselves, send it, and the bar reaches 100%."""
    page = browser.new_page()
    sign_in(page, live_server, ADMIN)
    page.goto(live_server + "/admin/newsletter")
    assert_accessible(page)
    page.get_by_role("link", name="Write a new issue").click()
    page.get_by_label("Subject").fill("Spring news")
    page.get_by_label("Introduction").fill("Hello, **everyone**.")
    page.get_by_label(re.compile("^Winnie Winner")).check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft has been saved.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Preview it on a phone and a computer").click()
    expect(page.locator("iframe")).to_have_count(2)
    assert_accessible(page)
    page.go_back()
    page.get_by_role("button", name="Send a test to myself").click()
    expect(page.get_by_text(f"A test copy is on its way to {ADMIN}.")).to_be_visible()

    page.get_by_role("link", name="Send it now or at a time").click()
    page.get_by_label("Now").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text(re.compile(r"\b3 people\b")).first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, send it now").click()
    expect(page.get_by_text("Sending to 3 people.")).to_be_visible()
    expect(page.locator('dd[data-field="sent"]')).to_have_text("3", timeout=8000)
    expect(page.locator('[data-field="percent"]')).to_have_text("100")
    assert_accessible(page)
    page.close()

    with live_app.app_context():
        issue = db.session.scalar(select(NewsletterIssue).filter_by(subject="Spring news"))
        assert issue.is_sent
        assert sorted(db.session.scalars(select(Delivery.address).filter_by(
            issue_id=issue.id, status=DeliveryStatus.SENT))) == [
            "reader0@example.com", "reader1@example.com", "reader2@example.com"]
        test_copy = db.session.scalar(select(OutboxMessage).filter_by(recipient=ADMIN))
        assert test_copy.subject == "[Test] Spring news" and "Winnie Winner" in test_copy.text_body
        db.session.remove()
