"""Two-factor sign-in in Chromium: an admin sets up an authenticator app (QR code and key),
keeps the recovery codes, then signs in with a code and with a recovery code; axe on each
page."""
import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from awards import factories
from awards.accounts.enums import Role
from awards.extensions import db
from tests.browser.axe import assert_accessible
from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

EMAIL = "tess.twofactor@example.com"


@pytest.fixture(scope="module")
def admin(live_app):
    with live_app.app_context():
        factories.user("Tess Twofactor", EMAIL, DEFAULT_PASSWORD, roles=[Role.ADMIN])
        db.session.commit()


def sign_in(page, live_server):
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out on every device.")).to_be_visible()


def test_two_factor_journey_set_up_then_sign_in_with_a_code_and_a_recovery_code(
        page, live_server, admin):
    sign_in(page, live_server)
    expect(page.get_by_text("You are signed in.")).to_be_visible()
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    assert_accessible(page)
    page.get_by_role("link", name="Set up two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr).to_be_visible()
    assert_accessible(page)
    secret = page.locator("code.secret-key").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    totp = pyotp.TOTP(secret)
    # A wrong code first: the error summary and the field's error.
    page.get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right.")
    assert_accessible(page)
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my codes").click()
    sign_out(page)

    # Sign in: the password, then a code from the app (the next one: each works once).
    sign_in(page, live_server)
    expect(page).to_have_url(live_server + "/account/two-factor/code")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You are signed in.")).to_be_visible()
    page.goto(live_server + "/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("Users and roles")
    assert_accessible(page)
    page.get_by_role("link", name="Tess Twofactor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tess Twofactor")
    assert_accessible(page)
    sign_out(page)

    # And with a recovery code.
    sign_in(page, live_server)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You used a recovery code. You have 9 left.")).to_be_visible()


PASSKEY_EMAIL, NO_SCRIPT_EMAIL = "pia.passkey@example.com", "nat.noscript@example.com"


@pytest.fixture(scope="module")
def passkey_people(live_app):
    with live_app.app_context():
        for name, email in (("Pia Passkey", PASSKEY_EMAIL), ("Nat Noscript", NO_SCRIPT_EMAIL)):
            factories.user(name, email, DEFAULT_PASSWORD, roles=[Role.ADMIN])
        db.session.commit()


@pytest.fixture
def on_localhost(live_app, live_server):
    """The live server's address by the name localhost: WebAuthn refuses an IP address as
    the relying party's id, so PUBLIC_URL (the RP) and the pages use localhost."""
    address = live_server.replace("127.0.0.1", "localhost")
    before = live_app.config["PUBLIC_URL"]
    live_app.config["PUBLIC_URL"] = address
    yield address
    live_app.config["PUBLIC_URL"] = before


def virtual_authenticator(page):
    """Chromium's virtual authenticator (CDP): a platform passkey that always says yes."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})
    return cdp


def test_two_factor_journey_passkey_added_then_used_to_sign_in(page, on_localhost,
                                                               passkey_people):
    virtual_authenticator(page)
    page.goto(on_localhost + "/account/sign-in")
    page.get_by_label("Email address").fill(PASSKEY_EMAIL)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("You are signed in.")).to_be_visible()
    page.goto(on_localhost + "/account/two-factor")

    # The script shows the passkey part (and hides the note for browsers without it).
    expect(page.get_by_role("button", name="Add a passkey")).to_be_visible()
    expect(page.get_by_text("To add a passkey, use a browser")).to_be_hidden()
    assert_accessible(page)
    page.get_by_label("Name for the new passkey").fill("Test laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("Your passkey has been added.")).to_be_visible()
    expect(page.get_by_role("strong").filter(has_text="Test laptop")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    page.goto(on_localhost + "/account/sign-in")
    page.get_by_label("Email address").fill(PASSKEY_EMAIL)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(on_localhost + "/account/two-factor/code")
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_text("You are signed in.")).to_be_visible()
    expect(page).to_have_url(on_localhost + "/")
    page.goto(on_localhost + "/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("Users and roles")


def test_two_factor_journey_without_javascript_offers_codes_only(browser, on_localhost,
                                                                  passkey_people):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(on_localhost + "/account/sign-in")
    page.get_by_label("Email address").fill(NO_SCRIPT_EMAIL)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(on_localhost + "/account/two-factor")
    expect(page.get_by_role("button", name="Add a passkey")).to_be_hidden()
    expect(page.get_by_role("link", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.get_by_text("To add a passkey, use a browser")).to_be_visible()
    context.close()
