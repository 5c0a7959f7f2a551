"""The judging journey in Chromium: a member declares, scores and submits; the chair
shortlists, decides and writes the citation; an admin publishes. axe on every page."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from awards.accounts.enums import Role
from awards.accounts.services import create_verified_user
from awards.extensions import db
from awards.nominations.enums import AgeBand, ConsentStatus, HowLong, NomineeKind
from awards.nominations.models import AwardCycle, today
from awards.nominations.services import journey, moderation, supporters
from awards.nominations.services.consent import save_consent
from awards.nominations.services.setup import save_area, save_category, save_cycle
from awards.panels.services import membership
from tests.browser.axe import assert_accessible
from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser
# Scores by nominee: Maria ranks first whichever nomination the list shows first.
MEMBER_SCORES = {"Maria Lopez": 4, "Tom Okafor": 2}
CHAIR_SCORES = {"Maria Lopez": 5, "Tom Okafor": 3}
CRITERIA = ["Need addressed", "Difference to people's lives", "Reach",
            "Going beyond what is expected", "Lasting change"]


def dates(open_offset, close_offset, judging_offset, announce_offset):
    day = today()
    return {"nominations_open": day + timedelta(days=open_offset),
            "nominations_close": day + timedelta(days=close_offset),
            "judging_ends": day + timedelta(days=judging_offset),
            "announcement": day + timedelta(days=announce_offset)}


def judging_panel(cycle, category, name, *, blind, admin_email, members):
    """Nominations close and judging starts (an admin's action); a panel over `category`
    whose first member of `members` ((name, e-mail), ...) chairs it. Returns the panel."""
    for key, value in dates(-40, -10, 20, 40).items():
        setattr(cycle, key, value)
    admin = create_verified_user("Ada Admin", admin_email, DEFAULT_PASSWORD, roles=[Role.ADMIN])
    moderation.start_judging(cycle, actor=admin)
    made = membership.save_panel(cycle, None, {
        "name": name, "categories": [category], "blind": blind,
        "reviews_per_nomination": None, "eligibility_round": False}, actor=admin)
    for position, (member, email) in enumerate(members):
        create_verified_user(member, email, DEFAULT_PASSWORD)
        membership.invite_member(made, member, email, chair=position == 0, actor=admin)
    return made


@pytest.fixture(scope="module")
def panel(live_app):
    """A cycle in judging with two ready nominations, a panel (chair + member), an admin."""
    with live_app.app_context():
        area = save_area(None, "Riverside Ward")
        cycle = save_cycle(None, {"name": "Judging Journey Awards", "slug": "judging-journey",
                                  "description": "", **dates(-10, 10, 30, 40)})
        category = save_category(cycle, None, {
            "name": "Good Neighbour", "slug": "", "description": "", "eligibility": "",
            "allows_self_nomination": False, "allows_groups": False, "min_supporters": 1,
            "min_age": None, "max_age": None, "position": 1})
        for number, name in enumerate(["Maria Lopez", "Tom Okafor"], start=1):
            nomination = journey.start_nomination(cycle, category=category)
            journey.save_step(nomination, {
                "nominee_name": name, "nominee_kind": NomineeKind.PERSON,
                "age_band": AgeBand.ADULT, "nominee_email": f"judged{number}@example.com",
                "area_id": area.id, "what_they_do": "Runs the Tuesday lunch club",
                "who_benefits": "Older neighbours.", "difference_made": "Nobody eats alone",
                "how_long": HowLong.OVER_10, "nominator_name": "Sam",
                "nominator_email": f"sam{number}@example.com",
                "nominator_relationship": "Neighbour", "nominator_may_be_named": False})
            journey.submit_nomination(nomination)
            journey.confirm_nominator_email(nomination)
            moderation.mark_eligible(nomination, actor=None)
            save_consent(nomination, status=ConsentStatus.ACCEPTED)
            supporter = supporters.invite_supporter(nomination, f"friend{number}@example.com")
            supporters.add_statement(supporter, name="Friend", relationship="Friend",
                                     statement="Always there.")
        made = judging_panel(cycle, category, "Riverside panel", blind=False,
                             admin_email="ada.judging@example.com",
                             members=(("Chris Chair", "chris.judging@example.com"),
                                      ("Jo Judge", "jo.judging@example.com")))
        create_verified_user("Rita Resident", "rita.judging@example.com", DEFAULT_PASSWORD)
        db.session.commit()
        details = {"panel_id": made.id, "cycle_id": cycle.id}
        db.session.remove()
    return details


def sign_in(page, live_server, email):
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def staff_links(page):
    """The header's staff links (Judging, Admin) that are there."""
    navigation = page.get_by_role("navigation", name="Main")
    return [name for name in ("Judging", "Admin")
            if navigation.get_by_role("link", name=name, exact=True).count()]


def review_next(page, scores):
    """From the list: open the next nomination, declare no conflict, score it (`scores` by
    nominee name: the list's order follows the random references), submit."""
    page.get_by_role("link", name=re.compile("^Review the next one")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you read this nomination")
    assert_accessible(page)
    page.get_by_label(re.compile("^No, I do not know them")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Runs the Tuesday lunch club")).to_be_visible()
    assert_accessible(page)
    score = scores[page.get_by_role("heading", level=1).inner_text().strip()]
    for criterion in CRITERIA:
        page.get_by_role("group", name=criterion).get_by_label(
            re.compile(f"^{score} – ")).check()
    page.get_by_label("Overall comment").fill("A real difference to the street.")
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("is submitted")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Your nominations").click()


def test_judging_journey(page, live_server, live_app, panel):
    panel_id = panel["panel_id"]
    # A resident sees no staff links in the header.
    sign_in(page, live_server, "rita.judging@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert staff_links(page) == []
    sign_out(page)

    # A member declares, scores and submits both nominations; the header leads to judging.
    sign_in(page, live_server, "jo.judging@example.com")
    assert staff_links(page) == ["Judging"]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Judging").click()
    expect(page).to_have_url(f"{live_server}/panel/{panel_id}")
    expect(page.get_by_text("0 of 2 reviewed")).to_be_visible()
    assert_accessible(page)
    review_next(page, MEMBER_SCORES)
    expect(page.get_by_text("1 of 2 reviewed")).to_be_visible()
    review_next(page, MEMBER_SCORES)
    expect(page.get_by_text("2 of 2 reviewed")).to_be_visible()
    sign_out(page)

    # The chair reviews too, then shortlists, decides and writes the citation.
    sign_in(page, live_server, "chris.judging@example.com")
    page.goto(f"{live_server}/panel/{panel_id}")
    review_next(page, CHAIR_SCORES)
    review_next(page, CHAIR_SCORES)
    page.get_by_role("link", name=re.compile("^Chair’s overview")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chair’s overview")
    assert_accessible(page)
    top = page.get_by_role("row").filter(has_text="Maria Lopez")
    expect(top.get_by_role("cell").first).to_have_text("1")
    top.get_by_role("button", name=re.compile("^Shortlist")).click()
    expect(page.get_by_text("is on the shortlist")).to_be_visible()
    page.get_by_role("row").filter(has_text="Maria Lopez").get_by_role(
        "link", name=re.compile("^Decide")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maria Lopez")
    assert_accessible(page)
    citation = page.get_by_label(re.compile("^Citation"))
    expect(citation).to_have_value(re.compile("Runs the Tuesday lunch club"))
    page.get_by_role("radio", name="Winner").check()
    citation.fill("Maria makes sure nobody on Mill Street eats alone.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("stays private until an admin publishes")).to_be_visible()
    page.get_by_role("row").filter(has_text="Tom Okafor").get_by_role(
        "link", name=re.compile("^Decide")).click()
    page.get_by_role("radio", name="Not selected").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("stays private until an admin publishes")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # Announcement day: an admin checks what will go out and publishes.
    with live_app.app_context():
        cycle = db.session.get(AwardCycle, panel["cycle_id"])
        for key, value in dates(-60, -40, -5, 0).items():
            setattr(cycle, key, value)
        db.session.commit()
        db.session.remove()
    sign_in(page, live_server, "ada.judging@example.com")
    assert staff_links(page) == ["Admin"]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    page.get_by_role("navigation", name="Admin").get_by_role(
        "link", name="Cycles and areas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Admin")
    assert_accessible(page)
    page.get_by_role("link", name="Publish the results – Judging Journey Awards").click()
    expect(page.get_by_text("Maria makes sure nobody on Mill Street eats alone.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("^I have checked this list")).check()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.get_by_text(re.compile("Results published"))).to_be_visible()
    assert_accessible(page)
    with live_app.app_context():
        assert db.session.get(AwardCycle, panel["cycle_id"]).is_published
        db.session.remove()
