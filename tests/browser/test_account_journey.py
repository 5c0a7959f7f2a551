"""Account journeys in Chromium: register, verify from /dev/mail, sign in and out; forms,
keyboard, no JS."""
import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

_numbers = itertools.count(1)
REGISTER_ERRORS = {  # field id -> the message the summary links to it
    "name": "Enter your name",
    "email": "Enter your email address",
    "password": "Enter a password",
    "confirm": "Type your password again",
}


def new_email():
    """A fresh address: every test in the module shares the live server's database."""
    return f"walker{next(_numbers)}@example.com"


def nav(page):
    return page.get_by_role("navigation", name="Main")


def test_account_journey_register_verify_sign_in_sign_out(page, live_server):
    email = new_email()

    page.goto(live_server + "/")
    expect(nav(page).get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert_accessible(page)
    # The home page offers the account in its own words ("create one" today).
    create = re.compile(r"^create (an account|one)$", re.IGNORECASE)
    page.get_by_role("link", name=create).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    assert_accessible(page)
    page.get_by_label("Your name").fill("Wendy Walker")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(DEFAULT_PASSWORD)
    page.get_by_label("Type the password again").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(live_server + "/account/register/check-your-email")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    # There is no link to the development mailbox: a developer types its address.
    page.goto(live_server + "/dev/mail")
    row = page.get_by_role("row").filter(has_text=email)
    expect(row).to_have_count(1)
    assert_accessible(page)
    row.get_by_role("link", name="Confirm your email address").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    expect(page.locator(".summary-list")).to_contain_text(email)
    assert_accessible(page)
    verify_link = page.locator("pre.mail-text a[href*='/account/verify/']")
    expect(verify_link).to_have_count(1)
    verify_link.click()

    expect(page).to_have_url(re.compile(re.escape(live_server) + r"/account/verify/[^/]+$"))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my email address").click()

    expect(page).to_have_url(live_server + "/account/sign-in")
    expect(page.get_by_role("status")).to_have_text(
        "Thank you: your email address is confirmed. You can now sign in.")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("status")).to_have_text("You are signed in.")
    expect(nav(page).get_by_role("link", name="Sign in")).to_have_count(0)
    assert_accessible(page)
    nav(page).get_by_role("link", name="Your account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator(".summary-list")).to_contain_text(email)
    expect(page.get_by_label("Your name")).to_have_value("Wendy Walker")
    assert_accessible(page)
    nav(page).get_by_role("button", name="Sign out", exact=True).click()

    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("status")).to_have_text("You are signed out on every device.")
    expect(nav(page).get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(nav(page).get_by_role("link", name="Your account")).to_have_count(0)
    page.goto(live_server + "/account/profile")
    expect(page).to_have_url(live_server + "/account/sign-in?next=%2Faccount%2Fprofile")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_register_empty_shows_error_summary_linked_to_fields(page, live_server):
    page.goto(live_server + "/account/register")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Create an account"))
    expect(summary).to_be_focused()  # static/js/app.js moves focus to [data-autofocus]
    links = summary.get_by_role("link")
    expect(links).to_have_text(list(REGISTER_ERRORS.values()))
    for field_id, message in REGISTER_ERRORS.items():
        assert summary.get_by_role("link", name=message).get_attribute("href") == f"#{field_id}"
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#{field_id}-error")).to_have_text(f"Error: {message}")
    assert_accessible(page)

    summary.get_by_role("link", name="Enter your email address").click()
    expect(page).to_have_url(live_server + "/account/register#email")

    page.get_by_label("Your name").fill("Nadia Named")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_label("Your name")).to_have_value("Nadia Named")
    expect(page.locator(".error-summary").get_by_role("link")).to_have_text(
        [REGISTER_ERRORS[key] for key in ("email", "password", "confirm")])


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, live_server):
    page.goto(live_server + "/about")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # visually hidden until focused
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert_accessible(page)


def test_register_without_javascript_submits_and_shows_errors(new_context, live_server):
    page = new_context(java_script_enabled=False).new_page()
    email = new_email()
    page.goto(live_server + "/account/register")
    page.get_by_label("Your name").fill("Nora Noscript")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Create a password").fill(DEFAULT_PASSWORD)
    page.get_by_label("Type the password again").fill("something else entirely")
    page.get_by_role("button", name="Create account").click()

    summary = page.locator(".error-summary")
    expect(summary.get_by_role("link")).to_have_text(["The passwords do not match"])
    expect(summary).not_to_be_focused()  # proves app.js did not run: JavaScript is off
    expect(page.get_by_label("Your name")).to_have_value("Nora Noscript")
    expect(page.get_by_label("Email address")).to_have_value(email)

    page.get_by_label("Create a password").fill(DEFAULT_PASSWORD)
    page.get_by_label("Type the password again").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(live_server + "/account/register/check-your-email")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
