"""A visitor to the public pages in Chromium, on a phone: the latest winners on the home page,
the hall of fame filtered by year and award and searched, a winner's page with their photo,
and a thank-you message sent (an error first, then a reference number). The results, area and
category pages on a desktop screen, and the hall of fame with JavaScript off. axe on every
page."""
import re

import pytest
from playwright.sync_api import expect

from awards.extensions import db
from awards.public.enums import ThanksStatus
from awards.public.models import ThankYou
from tests.browser.axe import assert_accessible
from tests.public.showcase import CASTLE_HILL, SEARCH_WORD, build_showcase

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
REPAIR_CAFE = "Castle Hill Repair Café"
MESSAGE = "Thank you for mending my grandmother's lamp: it lights her reading chair again."


@pytest.fixture(scope="module")
def show(live_app):
    """The published record of showcase.py in the live app."""
    with live_app.app_context():
        made = build_showcase()
        details = {"current_year": made.current_year, "past_year": made.past_year,
                   "current_slug": made.current.slug, "area_id": made.areas[CASTLE_HILL].id,
                   "total": len(made.awards)}
        db.session.remove()
    return details


@pytest.fixture
def open_context(browser):
    """Factory: a new browser context (closed after the test) with the given options."""
    contexts = []

    def make(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


def count_text(number):
    return re.compile(rf"^{number} awards?\b")


def result_count(page):
    return page.get_by_role("status").filter(has_text=re.compile(r"\d+ awards?"))


def cards(page):
    """The names on the award cards listed, in order."""
    return page.locator(".award-card__title")


def filter_hall_of_fame(page, *, year="Any", award="Any", area="Any", search=""):
    """Fill the hall of fame's GET form and send it."""
    page.get_by_label("Search names and stories").fill(search)
    page.get_by_label("Year").select_option(label=str(year))
    page.get_by_label("Award", exact=True).select_option(label=award)
    page.get_by_label("Area", exact=True).select_option(label=area)
    page.get_by_role("button", name="Show awards").click()


def test_a_visitor_on_a_phone_finds_a_winner_and_says_thank_you(
        live_server, live_app, show, open_context):
    page = open_context(**PHONE).new_page()
    total = show["total"]

    # Home: the latest winners.
    page.goto(live_server + "/")
    latest = page.get_by_role("region", name="Latest winners")
    expect(latest).to_be_visible()
    expect(latest.get_by_role("link", name="Margaret Ellis", exact=True)).to_be_visible()
    expect(latest.get_by_role("link", name=REPAIR_CAFE, exact=True)).to_be_visible()
    expect(latest.get_by_text("Joyce Pemberton")).to_have_count(1)
    assert_accessible(page)

    # The hall of fame: everyone, then filtered by year, then by year and award.
    page.get_by_role("link", name="See every winner in the hall of fame").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hall of fame")
    expect(result_count(page)).to_have_text(count_text(total))
    assert_accessible(page)

    filter_hall_of_fame(page, year=show["past_year"])
    expect(page).to_have_url(re.compile(rf"[?&]year={show['past_year']}\b"))
    expect(result_count(page)).to_have_text(count_text(1))
    expect(cards(page)).to_have_text(["Joyce Pemberton"])
    expect(page.get_by_label("Year")).to_have_value(str(show["past_year"]))
    assert_accessible(page)

    filter_hall_of_fame(page, year=show["current_year"], award="Good Neighbour")
    expect(page).to_have_url(re.compile(r"[?&]category=good-neighbour\b"))
    expect(result_count(page)).to_have_text(count_text(3))
    # Winners first, by the name shown; then the highly commended.
    expect(cards(page)).to_have_text(["A Big Citizen", "Margaret Ellis", "Desmond C."])
    assert_accessible(page)

    # A word from one citation: one result, whatever the year.
    page.get_by_role("link", name="Clear filters").click()
    expect(result_count(page)).to_have_text(count_text(total))
    filter_hall_of_fame(page, search=SEARCH_WORD)
    expect(page).to_have_url(re.compile(rf"[?&]q={SEARCH_WORD}\b"))
    expect(result_count(page)).to_have_text(count_text(1))
    expect(cards(page)).to_have_text([REPAIR_CAFE])
    assert_accessible(page)

    # The winner's page: the name as shown, the photo described, the citation.
    page.get_by_role("link", name=REPAIR_CAFE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REPAIR_CAFE)
    photo = page.get_by_role("img", name=f"Photo of {REPAIR_CAFE}", exact=True)
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0  # it really loaded
    expect(page.get_by_text(re.compile(f"mends lamps, {SEARCH_WORD}"))).to_be_visible()
    assert_accessible(page)

    # Say thank you: nothing written is an error, then a real message gets a reference.
    page.get_by_role("link", name="Say thank you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Say thank you to {REPAIR_CAFE}")
    assert_accessible(page)
    send = page.get_by_role("main").get_by_role("button", name=re.compile("^Send"))
    send.click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Write your message")).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)
    summary.get_by_role("link", name="Write your message").click()
    expect(page.get_by_label("Your message")).to_be_focused()
    page.get_by_label("Your message").fill(MESSAGE)
    page.get_by_label("Your name").fill("Ravi from Castle Hill")
    send.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    reference = page.locator(".reference").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9-]{4,20}", reference), reference
    expect(page.get_by_text("Your reference number")).to_be_visible()
    expect(page.get_by_text(MESSAGE)).to_have_count(0)  # the confirmation does not echo it
    assert_accessible(page)
    with live_app.app_context():
        saved = db.session.scalar(db.select(ThankYou).filter_by(reference=reference))
        assert (saved.message, saved.author_name, saved.status) == (
            MESSAGE, "Ravi from Castle Hill", ThanksStatus.PENDING)
        db.session.remove()


def test_results_area_and_category_pages_on_a_desktop(live_server, show, open_context):
    page = open_context(**DESKTOP).new_page()

    page.goto(f"{live_server}/results/{show['current_slug']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("the winners")
    for category, names in (("Good Neighbour", ["A Big Citizen", "Margaret Ellis",
                                                "Desmond C."]),
                            ("Community Group", [REPAIR_CAFE])):
        section = page.get_by_role("region", name=category)
        expect(section.locator(".award-card__title")).to_have_text(names)
    expect(page.get_by_text("Tom Okafor")).to_have_count(0)  # not selected: not public
    assert_accessible(page)

    # A nominee who chose first name and initial: the page never shows the surname.
    page.get_by_role("link", name="Desmond C.", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Desmond C.")
    expect(page.get_by_text("Carter")).to_have_count(0)
    assert "Carter" not in page.content()
    assert_accessible(page)

    page.get_by_role("link", name=CASTLE_HILL, exact=True).click()
    expect(page).to_have_url(f"{live_server}/areas/{show['area_id']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Big Citizens of {CASTLE_HILL}")
    expect(cards(page)).to_have_text(["Desmond C.", REPAIR_CAFE])
    assert_accessible(page)

    page.goto(f"{live_server}/categories/good-neighbour")
    expect(page.get_by_role("heading", level=1)).to_have_text("Good Neighbour award")
    expect(result_count(page)).to_have_text(count_text(4))  # across both years
    assert_accessible(page)


def test_the_hall_of_fame_filters_and_searches_without_javascript(
        live_server, show, open_context):
    page = open_context(java_script_enabled=False, **PHONE).new_page()
    page.goto(live_server + "/hall-of-fame")
    expect(result_count(page)).to_have_text(count_text(show["total"]))

    filter_hall_of_fame(page, year=show["current_year"], award="Community Group")
    expect(result_count(page)).to_have_text(count_text(1))
    expect(cards(page)).to_have_text([REPAIR_CAFE])

    filter_hall_of_fame(page, search="Joyce")
    expect(page).to_have_url(re.compile(r"[?&]q=Joyce\b"))
    expect(result_count(page)).to_have_text(count_text(1))
    expect(cards(page)).to_have_text(["Joyce Pemberton"])

    filter_hall_of_fame(page, search="nobodyhasthisword")
    expect(result_count(page)).to_have_text(count_text(0))
    expect(page.get_by_text("No awards match")).to_be_visible()
    # axe needs scripts (it never finishes without them): check this state with them on.
    with_scripts = open_context(**PHONE).new_page()
    with_scripts.goto(page.url)
    expect(with_scripts.get_by_text("No awards match")).to_be_visible()
    assert_accessible(with_scripts)


def test_on_a_phone_a_card_without_a_photo_is_not_a_full_height_placeholder(
        live_server, show, open_context):
    """The hall of fame on a 390 px phone: an award without a photo shows a small mark, not an
    empty 4:3 box, so its card is under half the height of one with a photo."""
    page = open_context(**PHONE).new_page()
    page.goto(live_server + "/hall-of-fame")
    with_photo = page.locator(".award-card:has(img.award-photo)")
    without = page.locator(".award-card:has(.award-card__placeholder)")
    expect(with_photo.first).to_be_visible()
    expect(without.first).to_be_visible()
    photo_height = min(box["height"] for box in
                       (card.bounding_box() for card in with_photo.all()))
    plain_height = max(box["height"] for box in
                       (card.bounding_box() for card in without.all()))
    assert plain_height < photo_height / 2, (plain_height, photo_height)
    assert_accessible(page)
