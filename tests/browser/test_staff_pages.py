"""Every staff page fits a 390 × 844 phone (nothing wider than the screen) and passes axe,
signed in as the chair and as the admin."""
import pytest

from awards import factories as f
from awards.accounts.enums import Role
from awards.extensions import db
from awards.nominations.enums import Phase, RecognitionKind
from awards.nominations.services.recognition import record_recognition
from awards.public.models import PublicAward
from awards.public.services.thanks import leave_thanks
from tests.browser.axe import report, violations
from tests.conftest import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
NAMES = ["Margaret Featherstonehaugh-Okonkwo", "Tom Okafor", "Priya Raman"]


@pytest.fixture(scope="module")
def staff(live_app):
    """A cycle in judging (three ready nominations, one with a photo, a panel with a chair
    who has reviewed one), a published past cycle with a thank-you message waiting, an admin."""
    with live_app.app_context():
        admin = f.user("Ada Admin", "ada.staff@example.com", roles=[Role.ADMIN])
        chair = f.user("Chris Chair", "chris.staff@example.com")
        judge = f.user("Jo Judge", "jo.staff@example.com")
        past = f.cycle(Phase.NOMINATING, name="Staff Awards Past")
        won = f.nomination(past, f.S.ELIGIBLE, statements=1, consent=f.EVERYTHING,
                           nominee_name="Winnie Winner", admin=admin)
        f.start_judging(past, admin)
        past_panel = f.panel(past, "Past panel", members=[chair], admin=admin)
        f.decide(past_panel, won, "winner", chair, "Runs the Tuesday lunch club.")
        f.publish(past, admin)
        award = db.session.scalar(db.select(PublicAward).filter_by(nomination_id=won.id))
        leave_thanks(award, "Thank you for everything you do for the street.", "Neighbour")

        cycle = f.cycle(Phase.NOMINATING, name="Staff Journey Awards 2027")
        made = [f.nomination(cycle, f.S.ELIGIBLE, statements=1, consent=True, admin=admin,
                             nominee_name=name,
                             photo=f.photo("teal") if number == 0 else None,
                             photo_alt="At the lunch club")
                for number, name in enumerate(NAMES)]
        waiting = f.nomination(cycle, f.S.SUBMITTED, nominee_name="Sam Submitted")
        f.start_judging(cycle, admin)
        panel = f.panel(cycle, "Riverside and Mill Street panel", members=[chair, judge],
                        admin=admin)
        f.review(panel.members[0], made[0], score=4, comment="A real difference.")
        f.give_consent(made[0], recognition=["private_thanks", "grant"],
                       support_needed="A shed for the tools, and someone to help lift.")
        record_recognition(made[0], kind=RecognitionKind.CERTIFICATE, note="Framed.")
        db.session.commit()
        details = {"panel": panel.id, "cycle": cycle.id, "category": cycle.categories[0].id,
                   "reviewed": made[0].reference, "waiting": waiting.reference,
                   "consent": made[0].consent.id, "chair_user": chair.id}
        db.session.remove()
    return details


def staff_pages(d):
    """(role, e-mail, [(what, path)]) for each staff role."""
    panel, cycle, reviewed = d["panel"], d["cycle"], d["reviewed"]
    return {
        "chair": ("chris.staff@example.com", [
            ("judging dashboard", "/panel"),
            ("review", f"/panel/{panel}/{reviewed}"),
            ("chair overview", f"/panel/{panel}/chair"),
            ("decision", f"/panel/{panel}/{reviewed}/decision"),
        ]),
        "admin": ("ada.staff@example.com", [
            ("admin dashboard", "/admin"),
            ("admin setup index", "/admin/setup"),
            ("audit log", "/admin/audit"),
            ("mail status", "/admin/mail"),
            ("moderation queue", "/admin/nominations"),
            ("moderation detail", f"/admin/nominations/{reviewed}"),
            ("moderation detail (to decide)", f"/admin/nominations/{d['waiting']}"),
            ("cycles", "/admin/cycles"),
            ("cycle page", f"/admin/cycles/{cycle}"),
            ("panels", f"/admin/cycles/{cycle}/panels"),
            ("panel page", f"/admin/panels/{panel}"),
            ("rubric", f"/admin/categories/{d['category']}/rubric"),
            ("publish", f"/admin/cycles/{cycle}/publish"),
            ("thanks queue", "/admin/thanks"),
            ("readiness", f"/admin/nominations/cycle/{cycle}/judging"),
            ("record recognition", f"/admin/nominations/{reviewed}/recognition"),
            ("insight report", f"/admin/insight?cycle={cycle}"),
            ("insight support queue", f"/admin/insight/support?cycle={cycle}"),
            ("review support", f"/admin/insight/support/{d['consent']}"),
            ("users and roles", "/admin/users"),
            ("a user's page", f"/admin/users/{d['chair_user']}"),
            ("two-factor sign-in", "/account/two-factor"),
            ("setting up two-factor sign-in", "/account/two-factor/set-up"),
        ]),
    }


def sign_in(page, live_server, email):
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


@pytest.mark.parametrize("role", ["chair", "admin"])
def test_staff_pages_fit_a_phone_and_pass_axe(browser, live_server, staff, role):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    email, pages = staff_pages(staff)[role]
    sign_in(page, live_server, email)
    assert_fit_a_phone_and_pass_axe(page, live_server, pages)
    context.close()


def assert_fit_a_phone_and_pass_axe(page, live_server, pages):
    """Open each (what, path) on a phone-wide page: each answers 200, is no wider than the
    phone and has no axe violation; one failure lists every page that fell short."""
    too_wide, inaccessible = {}, {}
    for what, path in pages:
        response = page.goto(live_server + path)
        assert response.status == 200, (what, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[what] = width
        found = violations(page)
        if found:
            inaccessible[what] = report(found)
    wide = "".join(f"{what}: {width} px wide\n" for what, width in too_wide.items())
    found = "\n\n".join(f"{what}:\n{text}" for what, text in inaccessible.items())
    assert not too_wide and not inaccessible, f"{wide}\n{found}"
