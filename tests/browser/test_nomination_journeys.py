"""Nomination journeys in Chromium: nominate, confirm, support, consent, withdraw; axe checks."""
import itertools
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from awards.extensions import db
from awards.nominations.models import Nomination, today
from awards.nominations.services.moderation import mark_eligible
from awards.nominations.services.setup import save_area, save_category, save_cycle
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"BC\d\d-[A-Z0-9]{5}")
AREAS = ["Castle Hill", "Old Town"]
CATEGORIES = [
    dict(name="Good Neighbour", description="Someone who looks out for the people around them.",
         eligibility="Anyone living or helping in the area.", min_supporters=1),
    dict(name="Lifetime of Service", description="Ten years or more of giving time to others.",
         eligibility="At least ten years of volunteering.", min_supporters=2),
]
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def cycle(live_app):
    """A cycle taking nominations, with two awards and two areas, in the live database."""
    day = today()
    with live_app.app_context():
        for name in AREAS:
            save_area(None, name)
        made = save_cycle(None, {
            "name": f"Big Citizen Awards {day.year + 1}", "slug": "journey-awards",
            "description": "Recognising the residents who give their time to others.",
            "nominations_open": day - timedelta(days=7),
            "nominations_close": day + timedelta(days=30),
            "judging_ends": day + timedelta(days=60),
            "announcement": day + timedelta(days=80),
        })
        for position, data in enumerate(CATEGORIES):
            save_category(made, None, {**data, "position": position})
        db.session.commit()
        details = {"name": made.name, "slug": made.slug, "prefix": made.reference_prefix}
        db.session.remove()
    return details


def people():
    """Fresh addresses: every test in the module shares the live server's database."""
    number = next(_numbers)
    return f"nominator{number}@example.com", f"nominee{number}@example.com"


def heading(page):
    return page.get_by_role("heading", level=1)


def answer(page, question):
    """The answer beside `question` on the check-your-answers page."""
    row = page.locator(".summary-list__row").filter(
        has=page.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(question)}$")))
    return row.get_by_role("definition").first


def save_and_continue(page):
    page.get_by_role("button", name="Save and continue").click()


def open_mail(page, live_server, recipient, subject, check=False):
    """Open the development mailbox, then the message to `recipient` whose subject matches."""
    page.goto(live_server + "/dev/mail")
    row = page.get_by_role("row").filter(has_text=recipient).filter(has_text=subject)
    expect(row).to_have_count(1)
    if check:
        assert_accessible(page)
    row.get_by_role("link", name=subject).click()
    expect(heading(page)).to_contain_text(subject)


def follow_mail_link(page, path_part):
    """Click the one link in the plain-text part whose address contains `path_part`."""
    link = page.locator(f"pre.mail-text a[href*='{path_part}']")
    expect(link).to_have_count(1)
    link.click()


def nominate(page, live_server, cycle, *, nominee, nominee_email, nominator_email, check=False):
    """Nominate `nominee` anonymously through every page, keeping the nominator's name private,
    and confirm the nominator's email from /dev/mail; return the reference.

    With check=True, every page is checked with axe and the "Change" link is tried."""
    def a11y():
        if check:
            assert_accessible(page)

    page.goto(live_server + "/")
    a11y()
    page.get_by_role("link", name="Nominate someone").click()

    expect(page).to_have_url(f"{live_server}/nominate/{cycle['slug']}")
    expect(heading(page)).to_have_text(f"Nominate someone for the {cycle['name']}")
    a11y()
    page.get_by_role("button", name="Start now").click()

    expect(heading(page)).to_have_text("Which award")
    expect(page.get_by_text("Step 1 of 8")).to_be_visible()
    a11y()
    page.get_by_role("group", name="Which award are you nominating them for?").get_by_label(
        "Good Neighbour").check()
    save_and_continue(page)

    expect(heading(page)).to_have_text("Who you are nominating")
    a11y()
    page.get_by_label("A person", exact=True).check()
    page.get_by_label("Their name").fill(nominee)
    page.get_by_label("Where do they help?").select_option(label="Old Town")
    page.get_by_label("18 or over").check()
    page.get_by_label("Their email address, if you know it").fill(nominee_email)
    save_and_continue(page)

    expect(heading(page)).to_have_text("What they do")
    a11y()
    page.get_by_label("What do they do?").fill("Runs the Tuesday lunch club at the church hall.")
    save_and_continue(page)

    expect(heading(page)).to_have_text("The difference they make")
    a11y()
    page.get_by_label("Who benefits?").fill("Older neighbours who live on their own.")
    page.get_by_label("What has changed for them?").fill(
        "“I used to go days without talking to anyone. "
        "Now Tuesday is the best day of my week.”")
    save_and_continue(page)

    expect(heading(page)).to_have_text("How long")
    a11y()
    page.get_by_label("5 to 10 years").check()
    save_and_continue(page)

    expect(heading(page)).to_have_text("A photo")
    a11y()
    save_and_continue(page)  # no photo: the step is optional

    expect(heading(page)).to_have_text("About you")
    a11y()
    page.get_by_label("Your name").fill("Olive Private")
    page.get_by_label("Your email address").fill(nominator_email)
    page.get_by_label("How do you know them?").fill("I help at the lunch club")
    page.get_by_label("No, keep my name private").check()
    save_and_continue(page)

    expect(heading(page)).to_have_text("Check your answers before sending")
    expect(answer(page, "What they do")).to_have_text(
        "Runs the Tuesday lunch club at the church hall.")
    expect(answer(page, "May we tell them it was you?")).to_have_text("No")
    if check:
        assert_accessible(page)
        page.get_by_role("link", name="Change what they do").click()
        expect(heading(page)).to_have_text("What they do")
        expect(page.get_by_label("What do they do?")).to_have_value(
            "Runs the Tuesday lunch club at the church hall.")
        page.get_by_label("What do they do?").fill(
            "Runs the Tuesday lunch club and drives people home afterwards.")
        save_and_continue(page)
        expect(heading(page)).to_have_text("Check your answers before sending")
        expect(answer(page, "What they do")).to_have_text(
            "Runs the Tuesday lunch club and drives people home afterwards.")
    page.get_by_role("button", name="Send nomination").click()

    expect(heading(page)).to_have_text("Almost done: check your email")
    reference = page.locator(".reference").inner_text()
    assert REFERENCE.fullmatch(reference), reference
    assert reference.startswith(cycle["prefix"] + "-")
    expect(page.get_by_text(f"We have sent a link to {nominator_email}.")).to_be_visible()
    a11y()

    open_mail(page, live_server, nominator_email, f"Confirm your nomination {reference}",
              check=check)
    expect(page.locator("pre.mail-text")).to_contain_text(f"Thank you for nominating {nominee}.")
    a11y()
    follow_mail_link(page, "/confirm")

    expect(page).to_have_url(re.compile(re.escape(live_server) + r"/n/[^/]+/confirm$"))
    expect(heading(page)).to_have_text("Confirm your nomination")
    expect(page.get_by_text(f"(reference {reference})")).to_be_visible()
    a11y()
    page.get_by_role("button", name="Confirm my nomination").click()

    expect(page).to_have_url(f"{live_server}/nomination/{reference}/sent")
    expect(heading(page)).to_have_text("Nomination sent")
    expect(page.locator(".reference")).to_have_text(reference)
    expect(page.get_by_text(f"We have sent a confirmation to {nominator_email}.")).to_be_visible()
    a11y()
    return reference


def checked_by_an_admin(live_app, reference):
    """An admin marks the nomination eligible (the moderation queue's "Eligible"): only now
    is the nominee asked."""
    with live_app.app_context():
        nomination = db.session.scalar(db.select(Nomination).filter_by(reference=reference))
        mark_eligible(nomination, actor=None)
        db.session.commit()


def status_tag(page):
    return page.locator(".summary-list__row").filter(has_text="Status").locator(".tag")


def test_anonymous_nomination_journey_confirmed_from_dev_mail(page, live_app, live_server,
                                                              cycle):
    nominator_email, nominee_email = people()
    reference = nominate(page, live_server, cycle, nominee="Grace Green",
                         nominee_email=nominee_email, nominator_email=nominator_email,
                         check=True)

    page.get_by_role("link", name="Invite supporters and follow your nomination").click()
    expect(page).to_have_url(f"{live_server}/nomination/{reference}")
    expect(heading(page)).to_have_text("Grace Green")
    expect(status_tag(page)).to_have_text("Received – being checked")
    expect(page.get_by_text("0 of the 1 needed")).to_be_visible()
    assert_accessible(page)

    # The nominator got their messages once the address was confirmed; the nominee hears
    # nothing until an admin has checked the nomination.
    page.goto(live_server + "/dev/mail")
    expect(page.get_by_role("row").filter(has_text=nominee_email)).to_have_count(0)
    checked_by_an_admin(live_app, reference)
    page.goto(live_server + "/dev/mail")
    expect(page.get_by_role("row").filter(has_text=nominee_email)).to_have_text(
        [re.compile("You have been nominated for a Big Citizen award")])
    expect(page.get_by_role("row").filter(has_text=nominator_email)).to_have_text([
        re.compile(f"Nomination received: {reference}"),
        re.compile(f"Confirm your nomination {reference}"),
    ])


def test_nomination_step_with_bad_input_shows_errors_and_keeps_typing(page, live_server, cycle):
    page.goto(f"{live_server}/nominate/{cycle['slug']}")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Lifetime of Service").check()
    save_and_continue(page)
    expect(heading(page)).to_have_text("Who you are nominating")

    page.get_by_label("Their email address, if you know it").fill("not-an-address")
    page.get_by_label("Their phone number, if you know it").fill("01234 567890")
    save_and_continue(page)

    expect(page).to_have_title(re.compile(r"^Error: Who you are nominating"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()  # static/js/app.js moves focus to [data-autofocus]
    expected = {
        "nominee_name": "Enter their name",
        "area_id": "Choose the area where they help",
        "age_band": "Choose their age group",
        "nominee_email": "Enter an email address in the correct format, like name@example.com",
    }
    expect(summary.get_by_role("link")).to_have_text(list(expected.values()))
    for field_id, message in expected.items():
        assert summary.get_by_role("link", name=message).get_attribute("href") == f"#{field_id}"
        expect(page.locator(f"#{field_id}-error")).to_have_text(f"Error: {message}")
    expect(page.get_by_label("Their email address, if you know it")).to_have_attribute(
        "aria-invalid", "true")
    expect(page.get_by_label("Their email address, if you know it")).to_have_value(
        "not-an-address")
    expect(page.get_by_label("Their phone number, if you know it")).to_have_value("01234 567890")
    expect(page.get_by_label("A person", exact=True)).to_be_checked()
    assert_accessible(page)

    summary.get_by_role("link", name="Enter their name").click()
    expect(page).to_have_url(re.compile(r"/nomination/[^/]+/nominee#nominee_name$"))
    page.get_by_label("Their name").fill("Frank Fixed")
    page.get_by_label("Where do they help?").select_option(label="Castle Hill")
    page.get_by_label("18 or over").check()
    page.get_by_label("Their email address, if you know it").fill("frank@example.com")
    save_and_continue(page)
    expect(heading(page)).to_have_text("What they do")
    expect(page.locator(".caption")).to_contain_text("Frank Fixed")


def test_supporter_statement_shows_as_sent_to_nominator_without_its_words(
        page, new_context, live_server, cycle):
    nominator_email, nominee_email = people()
    supporter_email = nominee_email.replace("nominee", "supporter")
    reference = nominate(page, live_server, cycle, nominee="Sam Singer",
                         nominee_email=nominee_email, nominator_email=nominator_email)
    page.get_by_role("link", name="Invite supporters and follow your nomination").click()

    page.get_by_label("Supporter's email address").fill(supporter_email)
    page.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_url(f"{live_server}/nomination/{reference}")
    expect(page.get_by_role("status")).to_have_text(
        f"We have emailed {supporter_email} an invitation.")
    supporters = page.locator("main ul.plain-list")
    expect(supporters.get_by_role("listitem")).to_have_text([f"{supporter_email} – invited"])
    assert_accessible(page)

    supporter = new_context().new_page()
    open_mail(supporter, live_server, supporter_email,
              "Olive Private asked you to support their nomination of Sam Singer")
    assert_accessible(supporter)
    follow_mail_link(supporter, "/support/")

    expect(heading(supporter)).to_have_text("Support the nomination of Sam Singer")
    assert_accessible(supporter)
    statement = "Sam taught my dad to use a tablet so he can video-call his grandchildren."
    supporter.get_by_label("Your name").fill("Sunita Supporter")
    supporter.get_by_label("How do you know them?").fill("My father goes to the lunch club")
    supporter.get_by_label("What difference have they made to you or others?").fill(statement)
    supporter.get_by_role("button", name="Send my statement").click()

    expect(heading(supporter)).to_have_text("Thank you for your support")
    expect(supporter.get_by_text(
        "Your statement for the nomination of Sam Singer has been received.")).to_be_visible()
    assert_accessible(supporter)

    page.reload()
    expect(supporters.get_by_role("listitem")).to_have_text(
        ["Sunita Supporter – has sent a statement"])
    expect(page.get_by_text("1 of the 1 needed")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("video-call")
    expect(page.locator("main")).not_to_contain_text("My father goes to the lunch club")
    assert_accessible(page)


def test_nominee_consents_with_preferences_then_withdraws(page, new_context, live_app,
                                                         live_server, cycle):
    nominator_email, nominee_email = people()
    reference = nominate(page, live_server, cycle, nominee="Nina Newton",
                         nominee_email=nominee_email, nominator_email=nominator_email)
    checked_by_an_admin(live_app, reference)

    nominee = new_context().new_page()
    open_mail(nominee, live_server, nominee_email,
              "You have been nominated for a Big Citizen award")
    expect(nominee.locator("pre.mail-text")).to_contain_text("Someone in the community")
    expect(nominee.locator("main")).not_to_contain_text("Olive")
    follow_mail_link(nominee, "/consent/")

    expect(heading(nominee)).to_have_text("You have been nominated for an award")
    expect(nominee.locator(".lead")).to_have_text(
        f"Someone in the community has nominated you for the Good Neighbour award in the "
        f"{cycle['name']}.")
    expect(nominee.locator("body")).not_to_contain_text("Olive")
    expect(nominee.locator("body")).not_to_contain_text(nominator_email)
    assert_accessible(nominee)
    consent_url = nominee.url

    nominee.get_by_label("Yes, I am happy to be considered").check()
    nominee.get_by_label("My first name and the initial of my surname").check()
    nominee.get_by_label("My story may be published").check()
    nominee.get_by_label("The area where I help may be shown").check()
    nominee.get_by_label("A private thank-you").check()
    nominee.get_by_label("A small grant or equipment for my cause").check()
    nominee.get_by_label("What support would help you do more?").fill(
        "A van to take people home after lunch.")
    nominee.get_by_role("button", name="Save my answer").click()

    expect(nominee).to_have_url(consent_url)
    expect(nominee.get_by_role("status")).to_have_text(
        "Thank you. Your answer has been saved. You can change it at any time from the link "
        "in your email.")
    expect(nominee.get_by_text("You have said yes. Thank you!")).to_be_visible()
    assert_accessible(nominee)

    nominee.reload()
    expect(nominee.get_by_role("status")).to_have_count(0)
    expect(nominee.get_by_label("Yes, I am happy to be considered")).to_be_checked()
    expect(nominee.get_by_label("My first name and the initial of my surname")).to_be_checked()
    expect(nominee.get_by_label("My story may be published")).to_be_checked()
    expect(nominee.get_by_label("The area where I help may be shown")).to_be_checked()
    expect(nominee.get_by_label("My photo may be published")).not_to_be_checked()
    expect(nominee.get_by_label("I may appear in the awards newsletter")).not_to_be_checked()
    thanks = nominee.get_by_role("group", name="How would you like to be recognised? Choose any.")
    checked = [label for label in (
        "A private thank-you", "Hearing about the difference I made",
        "A mention in the newsletter", "A public page about what I do",
        "Local press or an awards ceremony", "A small grant or equipment for my cause",
        "Training or help with expenses", "No thanks needed",
    ) if thanks.get_by_label(label).is_checked()]
    assert checked == ["A private thank-you", "A small grant or equipment for my cause"]
    expect(nominee.get_by_label("What support would help you do more?")).to_have_value(
        "A van to take people home after lunch.")

    nominee.get_by_role("button", name="Withdraw from the awards").click()
    expect(nominee).to_have_url(consent_url)
    expect(nominee.get_by_role("status")).to_have_text(
        "You have withdrawn. Nothing about you will be published.")
    expect(nominee.locator(".notice--info")).to_have_text(
        "You have withdrawn. Nothing about you will be published. You can change your mind "
        "below.")
    expect(nominee.get_by_role("button", name="Withdraw from the awards")).to_have_count(0)
    assert_accessible(nominee)


def test_nominator_withdraws_nomination_after_confirmation_page(page, live_server, cycle):
    nominator_email, nominee_email = people()
    reference = nominate(page, live_server, cycle, nominee="Walter Wood",
                         nominee_email=nominee_email, nominator_email=nominator_email)
    page.get_by_role("link", name="Invite supporters and follow your nomination").click()
    expect(status_tag(page)).to_have_text("Received – being checked")
    page.get_by_role("link", name="Withdraw this nomination").click()

    expect(page).to_have_url(f"{live_server}/nomination/{reference}/withdraw")
    expect(heading(page)).to_have_text("Withdraw your nomination of Walter Wood?")
    assert_accessible(page)
    page.get_by_label("Why are you withdrawing it?").fill("He would rather not be in the news.")
    page.get_by_role("button", name="Withdraw nomination").click()

    expect(page).to_have_url(f"{live_server}/nomination/{reference}")
    expect(page.get_by_role("status")).to_have_text(
        f"Your nomination {reference} has been withdrawn.")
    expect(status_tag(page)).to_have_text("Withdrawn")
    expect(page.get_by_role("link", name="Withdraw this nomination")).to_have_count(0)
    expect(page.get_by_role("button", name="Send invitation")).to_have_count(0)
    assert_accessible(page)


def test_story_field_counts_characters_politely_and_never_cuts(page, live_server, cycle):
    page.goto(f"{live_server}/nominate/{cycle['slug']}")
    page.get_by_role("button", name="Start now").click()
    award = page.get_by_role("group", name="Which award are you nominating them for?")
    good_neighbour = award.get_by_label("Good Neighbour")
    # The award's description is the radio's own hint, read with it.
    expect(good_neighbour).to_have_accessible_description(re.compile(
        r"^Someone who looks out for the people around them\."))
    good_neighbour.check()
    save_and_continue(page)
    page.get_by_label("A person", exact=True).check()
    page.get_by_label("Their name").fill("Counted Person")
    page.get_by_label("Where do they help?").select_option(label="Old Town")
    page.get_by_label("18 or over").check()
    save_and_continue(page)
    expect(heading(page)).to_have_text("What they do")

    story = page.get_by_label("What do they do?")
    count = page.locator("#what_they_do-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_text("Characters left: 3,000")
    story.fill("x" * 3010)
    expect(count).to_have_text("Too long: shorten it by 10 characters")
    expect(story).to_have_value("x" * 3010)  # nothing cut
    assert_accessible(page)
    save_and_continue(page)
    expect(page.locator("#what_they_do-error")).to_contain_text(
        "Your answer is 3,010 characters: please shorten it by 10")
    expect(story).to_have_value("x" * 3010)
    story.fill("Runs the lunch club.")
    expect(count).to_have_text("Characters left: 2,980")
