"""The fairness rules in Chromium, on a blind panel: a member reads the story with the
nominee's names taken out (before declaring too), and the chair's first visit to Decide
leads to the declaration; only after declaring no conflict can they decide. axe on every
page."""
import re

import pytest
from playwright.sync_api import expect

from awards.extensions import db
from awards.nominations.enums import AgeBand, ConsentStatus, HowLong, NomineeKind
from awards.nominations.models import Nomination
from awards.nominations.services import journey, moderation, supporters
from awards.nominations.services.consent import save_consent
from awards.nominations.services.setup import save_area, save_category, save_cycle
from tests.browser.axe import assert_accessible
from tests.browser.test_judging_journey import (
    CRITERIA,
    dates,
    judging_panel,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def blind_panel(live_app):
    """A cycle in judging with one ready nomination of William Jones, whose story calls him
    Bill, and a blind panel (chair + member)."""
    with live_app.app_context():
        area = save_area(None, "Millbrook Ward")
        cycle = save_cycle(None, {"name": "Blind Journey Awards", "slug": "blind-journey",
                                  "description": "", **dates(-10, 10, 30, 40)})
        category = save_category(cycle, None, {
            "name": "Good Neighbour", "slug": "", "description": "", "eligibility": "",
            "allows_self_nomination": False, "allows_groups": False, "min_supporters": 1,
            "min_age": None, "max_age": None, "position": 1})
        nomination = journey.start_nomination(cycle, category=category)
        journey.save_step(nomination, {
            "nominee_name": "William Jones", "nominee_kind": NomineeKind.PERSON,
            "age_band": AgeBand.ADULT, "nominee_email": "bill.blind@example.com",
            "area_id": area.id, "what_they_do": "Bill runs the Tuesday lunch club",
            "who_benefits": "Older neighbours.", "difference_made": "Nobody eats alone",
            "how_long": HowLong.OVER_10, "nominator_name": "Sam",
            "nominator_email": "sam.blind@example.com",
            "nominator_relationship": "Neighbour", "nominator_may_be_named": False})
        journey.submit_nomination(nomination)
        journey.confirm_nominator_email(nomination)
        moderation.mark_eligible(nomination, actor=None)
        save_consent(nomination, status=ConsentStatus.ACCEPTED)
        supporter = supporters.invite_supporter(nomination, "friend.blind@example.com")
        supporters.add_statement(supporter, name="Friend", relationship="Friend",
                                 statement="Billy is always there.")
        made = judging_panel(cycle, category, "Millbrook panel", blind=True,
                             admin_email="ada.blind@example.com",
                             members=(("Cleo Chair", "cleo.blind@example.com"),
                                      ("Jay Judge", "jay.blind@example.com")))
        db.session.commit()
        details = {"panel_id": made.id, "reference": nomination.reference,
                   "nomination_id": nomination.id}
        db.session.remove()
    return details


def test_blind_member_reads_the_nominee_and_the_chair_declares_before_deciding(
        page, live_server, live_app, blind_panel):
    panel_id, reference = blind_panel["panel_id"], blind_panel["reference"]
    # The member: the declaration page shows the story with the names taken out.
    sign_in(page, live_server, "jay.blind@example.com")
    page.goto(f"{live_server}/panel/{panel_id}")
    page.get_by_role("link", name=re.compile("^Review the next one")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you read this nomination")
    expect(page.get_by_text("The nominee runs the Tuesday lunch club")).to_be_visible()
    expect(page.get_by_label("I think I know who this is")).to_be_attached()
    assert "Bill" not in page.content() and "William" not in page.content()
    assert_accessible(page)
    page.get_by_label(re.compile("^No, I do not know them")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("The nominee runs the Tuesday lunch club")).to_be_visible()
    expect(page.get_by_text("The nominee is always there.")).to_be_visible()
    for name in ("Bill", "William", "Jones"):
        assert name not in page.content(), name
    assert_accessible(page)
    for criterion in CRITERIA:
        page.get_by_role("group", name=criterion).get_by_label(re.compile("^4 – ")).check()
    page.get_by_role("button", name="Submit review").click()
    expect(page.get_by_text("is submitted")).to_be_visible()
    sign_out(page)

    # The chair: Decide first leads to the declaration.
    sign_in(page, live_server, "cleo.blind@example.com")
    page.goto(f"{live_server}/panel/{panel_id}/chair")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"^Decide {reference}")).click()
    expect(page).to_have_url(f"{live_server}/panel/{panel_id}/{reference}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Before you read this nomination")
    assert_accessible(page)
    page.get_by_label(re.compile("^No, I do not know them")).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("The nominee runs the Tuesday lunch club")).to_be_visible()
    page.goto(f"{live_server}/panel/{panel_id}/{reference}/decision")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^Nomination in Good Neighbour"))
    expect(page.get_by_label(re.compile("^Citation"))).to_have_value(
        re.compile("^The nominee runs the Tuesday lunch club"))
    assert_accessible(page)
    page.get_by_role("radio", name="Not selected").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("stays private until an admin publishes")).to_be_visible()
    with live_app.app_context():
        nomination = db.session.get(Nomination, blind_panel["nomination_id"])
        assert nomination.decision.outcome.label == "Not selected"
        db.session.remove()
