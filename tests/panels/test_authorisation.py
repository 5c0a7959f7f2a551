"""Judging pages refuse everyone but the panel: members of another panel, conflicted members,
residents and anonymous users get 403, 404 or the sign-in page on every judging route for a
nomination, and marker strings planted in its story, scores, comments, discussion and
decision never appear in what they receive. Pending decisions reach no public page or e-mail."""
import pytest

from awards.accounts.enums import Role
from awards.extensions import db
from awards.nominations.enums import Phase
from awards.panels.services import declarations, deliberation, membership
from tests.core.test_route_policy import POLICY, PUBLIC
from tests.nominations.conftest import page
from tests.routes import paths_for, rules_for

STORY, SCORE, REVIEW, TALK = "ZZSTORYZZ", "ZZSCORECOMMENTZZ", "ZZREVIEWZZ", "ZZTALKZZ"
RATIONALE, CITATION, FEEDBACK = "ZZRATIONALEZZ", "ZZCITATIONZZ", "ZZFEEDBACKZZ"
MARKS = (STORY, SCORE, REVIEW, TALK, RATIONALE, CITATION, FEEDBACK)


def judging_routes(panel_id, reference):
    """(method, path) of every judging route for one nomination, then the panel's pages."""
    base = f"/panel/{panel_id}/{reference}"
    return [("GET", base), ("POST", base), ("POST", f"{base}/discussion"),
            ("GET", f"{base}/photo"), ("GET", f"{base}/decision"), ("POST", f"{base}/decision"),
            ("POST", f"{base}/recuse"), ("POST", f"{base}/shortlist"),
            ("POST", f"{base}/eligibility")]


def panel_routes(panel_id):
    return [("GET", f"/panel/{panel_id}/chair"), ("GET", f"/panel/{panel_id}/results.csv"),
            ("POST", f"/panel/{panel_id}/round")]


@pytest.fixture
def planted(judging, review, make_user, make_category, eligible):
    """A panel judging a nomination whose story, reviews, discussion and pending decision
    carry markers; a second panel over another category; and who is who."""
    made = judging(3, 3)
    target = made.nominations[0]
    target.what_they_do = f"Runs the lunch club. {STORY}"
    db.session.commit()
    chair, member, conflicted = made.members
    for reviewer in (chair, member):
        review(reviewer, target, 4, comment=f"{SCORE} {REVIEW}")
    declarations.declare(conflicted, target, conflicted=True, kind="friend")
    deliberation.add_comment(made.panel, target, f"Strong. {TALK}", author=member.user)
    deliberation.record_decision(made.panel, target, outcome="winner", citation=CITATION,
                                 rationale=RATIONALE, feedback=FEEDBACK, actor=chair.user)
    other_category = make_category(made.cycle, name="Young Citizen")
    other_panel = membership.save_panel(made.cycle, None, {
        "name": "Other panel", "categories": [other_category], "blind": False,
        "reviews_per_nomination": None, "eligibility_round": False}, actor=made.admin)
    outsider = make_user(name="Olive Other")
    membership.invite_member(other_panel, outsider.name, outsider.email, chair=True,
                             actor=made.admin)
    db.session.commit()
    made.target, made.other_panel, made.outsider = target, other_panel, outsider
    made.conflicted = conflicted
    return made


def client_for(app, sign_in, user=None):
    client = app.test_client()
    if user is not None:
        assert sign_in(user, target=client).status_code == 302
    return client


def assert_refused(client, routes, allowed_statuses, who):
    for method, path in routes:
        response = client.open(path, method=method, data={
            "conflicted": "no", "body": "hi", "outcome": "winner", "citation": "x",
            "member_id": "1", "reason": "x", "shortlisted": "1", "passes": "1",
            "action": "open-final", "submit": "1"})
        assert response.status_code in allowed_statuses, (who, method, path,
                                                          response.status_code)
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/account/sign-in"), (who, path)
        body = page(response)
        for mark in MARKS:
            assert mark not in body, (who, mark, method, path)


def test_the_markers_are_really_shown_to_the_panel(app, planted, sign_in):
    chair = client_for(app, sign_in, planted.members[0].user)
    body = page(chair.get(f"/panel/{planted.panel.id}/{planted.target.reference}/decision"))
    for mark in (STORY, SCORE, REVIEW, TALK, RATIONALE, CITATION, FEEDBACK):
        assert mark in body, mark


def test_anonymous_and_residents_are_refused_everything(app, planted, sign_in, make_user):
    routes = judging_routes(planted.panel.id, planted.target.reference)
    routes += panel_routes(planted.panel.id) + [("GET", f"/panel/{planted.panel.id}")]
    assert_refused(client_for(app, sign_in), routes, {302}, "anonymous")
    assert_refused(client_for(app, sign_in, make_user()), routes, {404}, "resident")
    helper = make_user(roles=[Role.HELPER, Role.PANEL_MEMBER])
    assert_refused(client_for(app, sign_in, helper), routes, {404}, "panel role, no panel")


def test_members_of_another_panel_are_refused(app, planted, sign_in):
    outsider = client_for(app, sign_in, planted.outsider)
    routes = judging_routes(planted.panel.id, planted.target.reference)
    routes += panel_routes(planted.panel.id) + [("GET", f"/panel/{planted.panel.id}")]
    assert_refused(outsider, routes, {404}, "other panel's chair")
    # Through their own panel: the nomination is not one it judges.
    own = judging_routes(planted.other_panel.id, planted.target.reference)
    assert_refused(outsider, own, {404}, "other panel, own panel id")


def test_a_conflicted_member_is_refused_the_nomination(app, planted, sign_in):
    conflicted = client_for(app, sign_in, planted.conflicted.user)
    routes = judging_routes(planted.panel.id, planted.target.reference)
    assert_refused(conflicted, routes, {403}, "conflicted member")
    assert_refused(conflicted, panel_routes(planted.panel.id), {403}, "member on chair pages")
    # Their list works, without the nomination.
    listing = conflicted.get(f"/panel/{planted.panel.id}")
    assert listing.status_code == 200
    assert planted.target.reference not in page(listing)


def test_a_member_sees_nothing_of_others_until_they_submit(app, judging, review, sign_in):
    made = judging(2, 3)
    chair, member, late = made.members
    target = made.nominations[0]
    review(member, target, 5, comment=SCORE)
    deliberation.add_comment(made.panel, target, TALK, author=member.user)
    db.session.commit()
    client = client_for(app, sign_in, late.user)
    path = f"/panel/{made.panel.id}/{target.reference}"
    client.post(path, data={"conflicted": "no"})
    before = page(client.get(path))
    assert STORY not in before and SCORE not in before and TALK not in before
    assert "once you have submitted your own review" in before
    assert client.post(f"{path}/discussion", data={"body": "hi"}).status_code == 403
    review(late, target, 2)
    after = page(client.get(path))
    assert SCORE in after and TALK in after


def test_pending_decisions_reach_no_public_page_or_email(app, planted, outbox, sign_in):
    anonymous = client_for(app, sign_in)
    crawled = 0
    for rule in rules_for(app, "GET"):
        if POLICY.get(rule.endpoint) != PUBLIC or rule.endpoint == "static":
            continue
        for path in paths_for(rule, {"slug": planted.cycle.slug}):
            response = anonymous.get(path)
            for mark in (CITATION, RATIONALE, FEEDBACK, SCORE, TALK):
                assert mark not in page(response), (mark, path)
            crawled += 1
    assert crawled >= 6
    for message in outbox():
        for mark in (CITATION, RATIONALE, FEEDBACK, SCORE, TALK):
            assert mark not in message.text_body + message.html_body, (mark, message.kind)


def test_after_judging_members_read_only(app, planted, sign_in):
    from tests.nominations.conftest import move_to
    move_to(planted.cycle, Phase.DECIDING)
    member = client_for(app, sign_in, planted.members[1].user)
    path = f"/panel/{planted.panel.id}/{planted.target.reference}"
    response = member.get(path)
    assert response.status_code == 200
    assert SCORE in page(response) and "Submit review" not in page(response)
    other = planted.nominations[1]
    refused = member.post(f"/panel/{planted.panel.id}/{other.reference}",
                          data={"conflicted": "no"})
    assert "only while judging is open" in page(refused)


def test_the_chair_declares_before_the_decision_page_shows_or_accepts_anything(
        app, judging, review, sign_in):
    made = judging(2, 3)
    target = made.nominations[1]
    target.what_they_do = f"Runs the lunch club. {STORY}"
    db.session.commit()
    review(made.members[1], target, 4, comment=REVIEW)
    chair = client_for(app, sign_in, made.chair.user)
    path = f"/panel/{made.panel.id}/{target.reference}"
    # First visit to Decide leads to the declaration; nothing of the story is shown.
    response = chair.get(f"{path}/decision")
    assert response.status_code == 302 and response.headers["Location"] == path
    assert STORY not in page(response) and REVIEW not in page(response)
    declaration_page = page(chair.get(path))
    assert "Before you read this nomination" in declaration_page
    assert STORY not in declaration_page
    # A decision posted before declaring is not saved.
    posted = chair.post(f"{path}/decision", data={"outcome": "winner", "citation": CITATION})
    assert posted.status_code == 302 and posted.headers["Location"] == path
    db.session.expire_all()
    assert target.decision is None
    for route in (f"{path}/recuse",):
        refused = chair.post(route, data={"member_id": made.members[1].id, "reason": "x"})
        assert refused.status_code == 302 and refused.headers["Location"] == path
    # Declared: the page shows the story and takes the decision.
    assert chair.post(path, data={"conflicted": "no"}).headers["Location"] == path
    assert STORY in page(chair.get(f"{path}/decision"))
    saved = chair.post(f"{path}/decision", data={"outcome": "winner", "citation": CITATION})
    assert saved.status_code == 302
    db.session.expire_all()
    assert target.decision.outcome.value == "winner"


def test_a_conflicted_chair_can_neither_see_nor_decide(app, judging, sign_in):
    made = judging(2, 3)
    target = made.nominations[0]
    target.what_they_do = f"Runs the lunch club. {STORY}"
    declarations.declare(made.chair, target, conflicted=True, kind="family")
    db.session.commit()
    chair = client_for(app, sign_in, made.chair.user)
    routes = [(method, path) for method, path in judging_routes(made.panel.id, target.reference)]
    assert_refused(chair, routes, {403}, "conflicted chair")
    db.session.expire_all()
    assert target.decision is None


def test_an_admin_off_the_panel_keeps_oversight_of_the_decision_page(app, planted, sign_in):
    admin = client_for(app, sign_in, planted.admin)
    body = page(admin.get(f"/panel/{planted.panel.id}/{planted.target.reference}/decision"))
    for mark in (STORY, SCORE, TALK, RATIONALE, CITATION):
        assert mark in body, mark
