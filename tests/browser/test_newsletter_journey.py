"""The newsletter on a phone: subscribe from the home page, confirm from /dev/mail, change
choices, and unsubscribe with one button; without JavaScript, axe on every page."""
import re

import pytest
from playwright.sync_api import expect

from awards import factories
from awards.extensions import db
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def areas(live_app):
    with live_app.app_context():
        factories.area("Riverside North")
        factories.area("Riverside South")
        db.session.commit()
        db.session.remove()


def heading(page):
    return page.get_by_role("heading", level=1)


def test_subscribe_confirm_change_and_unsubscribe_on_a_phone(browser, live_server, areas):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        form = page.get_by_role("region", name="Get the newsletter")
        expect(form).to_be_visible()
        assert_accessible(page)
        # A first visit has no session: the cached home page links to the form.
        form.get_by_role("link", name="Subscribe to the newsletter").click()
        expect(page).to_have_url(live_server + "/newsletter?source=/")
        assert_accessible(page)
        # Nothing typed: the error summary linked to the field.
        page.get_by_role("button", name="Subscribe").click()
        expect(page).to_have_url(live_server + "/newsletter")
        expect(page.get_by_role("alert")).to_contain_text("Enter your email address")
        assert_accessible(page)

        page.get_by_label("Your email address").fill("phone.reader@example.com")
        page.get_by_role("group", name="Which areas would you like news of?").get_by_label(
            "Riverside North").check()
        page.get_by_role("button", name="Subscribe").click()
        expect(heading(page)).to_have_text("Check your email")
        assert_accessible(page)

        page.goto(live_server + "/dev/mail")
        page.get_by_role("row").filter(has_text="phone.reader@example.com").get_by_role(
            "link").first.click()
        page.locator("pre.mail-text a[href*='/newsletter/confirm/']").click()
        expect(heading(page)).to_have_text("Confirm your subscription")
        assert_accessible(page)
        page.get_by_role("button", name="Confirm my subscription").click()
        expect(heading(page)).to_have_text("You are subscribed")
        assert_accessible(page)

        page.get_by_role("link", name="Change your areas, pause or unsubscribe").click()
        expect(heading(page)).to_have_text("Your newsletter choices")
        assert_accessible(page)
        expect(page.get_by_label("Riverside North")).to_be_checked()
        page.get_by_label("Riverside South").check()
        page.get_by_role("button", name="Save my areas").click()
        expect(page.get_by_role("status")).to_have_text("Your areas have been saved.")
        preferences = page.url

        unsubscribe = re.sub(r"/preferences/", "/unsubscribe/", preferences)
        page.goto(unsubscribe)
        expect(heading(page)).to_have_text("Unsubscribe from the newsletter")
        assert_accessible(page)
        page.get_by_role("button", name="Unsubscribe").click()
        expect(heading(page)).to_have_text("You have unsubscribed")
        assert_accessible(page)
        # With a session now, the home page carries the whole form.
        page.goto(live_server + "/")
        expect(page.get_by_role("region", name="Get the newsletter").get_by_label(
            "Your email address")).to_be_visible()
        assert_accessible(page)
    finally:
        context.close()
