"""Admins' judging pages through the test client: panels, members, rubrics and publication."""
import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from awards import factories
from awards.accounts.enums import Role
from awards.accounts.queries import user_by_email
from awards.extensions import db
from awards.nominations.enums import NominationStatus, Phase
from awards.panels.enums import Stage
from awards.panels.models import Criterion, Panel, PanelMember
from awards.panels.services.rubric import DEFAULT_RUBRIC, criteria_of
from tests.conftest import field_error, path_of, summary_error
from tests.nominations.conftest import audit, count, kinds, move_to, page, reload
from tests.panels.conftest import decide

DEFAULT_NAMES = [name for _key, name, _question, _weight in DEFAULT_RUBRIC]
SIX_ANCHORS = "\n".join(f"Point {n}" for n in range(6))


@pytest.fixture
def site(judging, sign_in):
    """A cycle in judging with three nominations and a panel of three (the first the chair),
    a second category no panel judges yet, and its admin signed in."""
    def build(**options):
        j = judging(3, 3, **options)
        sign_in(j.admin)
        return j
    return build


@pytest.fixture
def spare_category(make_category):
    """Factory: a category of the cycle that no panel judges."""
    def make(j, name="Young Volunteer"):
        return make_category(j.cycle, name=name)
    return make


def checked_ids(text, name):
    """The values of the checked inputs called `name`."""
    return re.findall(rf'<input[^>]*checked[^>]*name="{name}"[^>]*value="(\d+)"', text) + \
        re.findall(rf'<input[^>]*name="{name}"[^>]*value="(\d+)"[^>]*checked', text)


# --- who may open these pages ----------------------------------------------------------------

def requests_for(j):
    """(method, path) of every admin judging page, with real objects."""
    criterion = criteria_of(j.category)[0]
    db.session.commit()
    panel, member, cycle = j.panel.id, j.members[1].id, j.cycle.id
    return [
        ("get", f"/admin/cycles/{cycle}/panels"),
        ("get", f"/admin/cycles/{cycle}/panels/new"),
        ("post", f"/admin/cycles/{cycle}/panels/new"),
        ("get", f"/admin/panels/{panel}/edit"),
        ("post", f"/admin/panels/{panel}/edit"),
        ("get", f"/admin/panels/{panel}"),
        ("post", f"/admin/panels/{panel}"),
        ("post", f"/admin/panels/{panel}/members/{member}/chair"),
        ("post", f"/admin/panels/{panel}/members/{member}/unchair"),
        ("post", f"/admin/panels/{panel}/members/{member}/remove"),
        ("get", f"/admin/categories/{j.category.id}/rubric"),
        ("post", f"/admin/categories/{j.category.id}/rubric"),
        ("get", f"/admin/criteria/{criterion.id}"),
        ("post", f"/admin/criteria/{criterion.id}"),
        ("post", f"/admin/criteria/{criterion.id}/delete"),
        ("get", f"/admin/cycles/{cycle}/publish"),
        ("post", f"/admin/cycles/{cycle}/publish"),
    ]


FORM_DATA = {"name": "Taken over", "email": "intruder@example.com", "categories": "1",
             "reviews": "everyone", "weight": "1", "confirm": "y"}


def snapshot(j):
    """What an unauthorised request must not change."""
    db.session.expire_all()
    return (count(Panel), count(PanelMember), count(Criterion), reload(j.panel).name,
            [m.is_chair for m in reload(j.panel).members], reload(j.cycle).results_published_at)


def test_admin_judging_pages_send_anonymous_visitors_to_sign_in(client, judging):
    j = judging(3, 3)
    before = snapshot(j)

    for method, path in requests_for(j):
        response = getattr(client, method)(path, data=FORM_DATA)
        assert response.status_code == 302, (method, path)
        assert path_of(response.headers["Location"]).startswith("/account/sign-in?next="), path
    assert snapshot(j) == before


@pytest.mark.parametrize("who", ["resident", "member", "chair"])
def test_admin_judging_pages_refuse_residents_and_panel_members(
        client, judging, make_user, sign_in, who):
    j = judging(3, 3)
    user = {"resident": make_user(), "member": j.users[1], "chair": j.users[0]}[who]
    assert who == "resident" or user.has_role(Role.PANEL_MEMBER)
    sign_in(user)
    before = snapshot(j)

    answers = {(method, path): getattr(client, method)(path, data=FORM_DATA).status_code
               for method, path in requests_for(j)}

    assert answers == {request: 403 for request in answers}
    assert snapshot(j) == before


def test_admin_judging_pages_open_for_admins(client, site):
    j = site()
    criterion = criteria_of(j.category)[0]
    db.session.commit()
    pages = [
        (f"/admin/cycles/{j.cycle.id}/panels", "<h1>Judging panels</h1>"),
        (f"/admin/cycles/{j.cycle.id}/panels/new",
         f"<h1>Create a judging panel for {j.cycle.name}</h1>"),
        (f"/admin/panels/{j.panel.id}/edit", "<h1>Edit Main panel</h1>"),
        (f"/admin/panels/{j.panel.id}", "<h1>Main panel</h1>"),
        (f"/admin/categories/{j.category.id}/rubric", "<h1>Rubric: Good Neighbour</h1>"),
        (f"/admin/criteria/{criterion.id}", "<h1>Change “Need addressed”</h1>"),
        (f"/admin/cycles/{j.cycle.id}/publish", "<h1>Publish the results</h1>"),
        (f"/admin/cycles/{j.cycle.id}", "Judging panels</a>"),
    ]
    for path, text in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in page(response), path


def test_unknown_objects_are_not_found(client, site):
    j = site()
    for path in ["/admin/cycles/999/panels", "/admin/panels/999", "/admin/panels/999/edit",
                 "/admin/categories/999/rubric", "/admin/criteria/999",
                 "/admin/cycles/999/publish"]:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/admin/panels/{j.panel.id}/members/999/chair").status_code == 404


# --- panels ----------------------------------------------------------------------------------

def test_panels_page_lists_each_panel_with_its_members_chairs_and_options(client, site):
    j = site(blind=True, reviews_per_nomination=2)

    text = page(client.get(f"/admin/cycles/{j.cycle.id}/panels"))

    assert f'<a href="/admin/panels/{j.panel.id}">Main panel</a>' in text
    assert "<td>Good Neighbour</td>" in text
    assert "<td>3</td>" in text
    assert "<td>Member 1</td>" in text
    assert "blind; 2 reviews each" in text
    assert "<td>Scoring</td>" in text
    assert f'href="/admin/cycles/{j.cycle.id}/panels/new"' in text


PANEL_FORM = {"name": "Young people's panel", "reviews": "everyone"}


def test_create_panel_saves_it_with_its_options(client, site, spare_category):
    j = site()
    category = spare_category(j)

    shown = page(client.get(f"/admin/cycles/{j.cycle.id}/panels/new"))
    response = client.post(f"/admin/cycles/{j.cycle.id}/panels/new", data={
        **PANEL_FORM, "categories": [str(category.id)], "blind": "y", "reviews": "number",
        "reviews_per_nomination": "2", "eligibility_round": "y"})

    assert "Good Neighbour (judged by Main panel)" in shown
    panel = db.session.scalar(select(Panel).where(Panel.name == "Young people's panel"))
    assert path_of(response.headers["Location"]) == f"/admin/panels/{panel.id}"
    assert ([c.name for c in panel.categories], panel.blind, panel.reviews_per_nomination,
            panel.eligibility_round, panel.stage) == (
        ["Young Volunteer"], True, 2, True, Stage.ELIGIBILITY)
    assert [c.name for c in criteria_of(category)] == DEFAULT_NAMES
    [event] = audit("panel.created")[1:]  # the first is the fixture's panel
    assert (event.object_id, event.actor_id) == (panel.id, j.admin.id)
    followed = page(client.get(f"/admin/panels/{panel.id}"))
    assert "has been created. Now invite its members." in followed
    assert "This panel has no chair yet." in followed


def test_create_panel_every_member_reviews_ignores_the_number(client, site, spare_category):
    j = site()
    category = spare_category(j)

    response = client.post(f"/admin/cycles/{j.cycle.id}/panels/new", data={
        **PANEL_FORM, "categories": [str(category.id)], "reviews_per_nomination": "abc"})

    assert response.status_code == 302, page(response)
    panel = db.session.scalar(select(Panel).where(Panel.name == "Young people's panel"))
    assert (panel.reviews_per_nomination, panel.blind, panel.eligibility_round,
            panel.stage) == (None, False, False, Stage.SCORING)


def test_create_panel_without_categories_shows_the_error_and_keeps_the_values(
        client, site, spare_category):
    j = site()
    spare_category(j)

    response = client.post(f"/admin/cycles/{j.cycle.id}/panels/new",
                           data={**PANEL_FORM, "name": "Kids & <Teens>", "blind": "y"})

    text = page(response)
    message = "Choose at least one category for the panel to judge"
    assert response.status_code == 200
    assert text.startswith("<!doctype html>") and "<title>Error: " in text
    assert summary_error("categories", message) in text
    assert field_error("categories", message) in text
    assert 'value="Kids &amp; &lt;Teens&gt;"' in text
    assert re.search(r'<input[^>]*checked[^>]*id="blind"|<input[^>]*id="blind"[^>]*checked',
                     text)
    assert count(Panel) == 1


def test_create_panel_with_a_category_of_another_panel_is_refused(client, site):
    j = site()

    response = client.post(f"/admin/cycles/{j.cycle.id}/panels/new", data={
        **PANEL_FORM, "categories": [str(j.category.id)]})

    text = page(response)
    assert response.status_code == 200
    assert "<li>Good Neighbour is already judged by Main panel.</li>" in text
    assert checked_ids(text, "categories") == [str(j.category.id)]
    assert count(Panel) == 1


@pytest.mark.parametrize(("number", "message"), [
    ("", "Enter how many members review each nomination"),
    ("0", "Enter a number of reviews from 1 to 20"),
    ("21", "Enter a number of reviews from 1 to 20"),
    ("two", "Enter the number of reviews as a whole number from 1 to 20"),
])
def test_create_panel_with_a_set_number_needs_a_number(
        client, site, spare_category, number, message):
    j = site()
    category = spare_category(j)

    response = client.post(f"/admin/cycles/{j.cycle.id}/panels/new", data={
        **PANEL_FORM, "categories": [str(category.id)], "reviews": "number",
        "reviews_per_nomination": number})

    text = page(response)
    assert summary_error("reviews_per_nomination", message) in text
    assert field_error("reviews_per_nomination", message) in text
    assert re.search(r'<input[^>]*checked[^>]*value="number"|value="number"[^>]*checked', text)
    assert count(Panel) == 1


def test_edit_panel_saves_changes_but_not_the_round_structure(client, site, spare_category):
    j = site()
    category = spare_category(j)

    shown = page(client.get(f"/admin/panels/{j.panel.id}/edit"))
    response = client.post(f"/admin/panels/{j.panel.id}/edit", data={
        "name": "Main panel 2027", "categories": [str(j.category.id), str(category.id)],
        "blind": "y", "reviews": "number", "reviews_per_nomination": "2",
        "eligibility_round": "y"})

    assert 'name="eligibility_round"' not in shown
    assert "This cannot be changed once the panel is made" in shown
    assert checked_ids(shown, "categories") == [str(j.category.id)]
    assert path_of(response.headers["Location"]) == f"/admin/panels/{j.panel.id}"
    panel = reload(j.panel)
    assert (panel.name, [c.name for c in panel.categories], panel.blind,
            panel.reviews_per_nomination, panel.eligibility_round, panel.stage) == (
        "Main panel 2027", ["Good Neighbour", "Young Volunteer"], True, 2, False,
        Stage.SCORING)
    [event] = audit("panel.changed")
    assert (event.object_id, event.details["name"]) == (j.panel.id, "Main panel 2027")


def test_edit_panel_is_prefilled(client, site):
    j = site(reviews_per_nomination=2, blind=True)

    text = page(client.get(f"/admin/panels/{j.panel.id}/edit"))

    assert 'value="Main panel"' in text
    assert re.search(r'<input[^>]*checked[^>]*value="number"|value="number"[^>]*checked', text)
    assert re.search(r'id="reviews_per_nomination"[^>]*value="2"', text)


# --- members ---------------------------------------------------------------------------------

def test_panel_page_shows_options_categories_members_and_links(client, site):
    j = site()

    text = page(client.get(f"/admin/panels/{j.panel.id}"))

    assert f'href="/admin/categories/{j.category.id}/rubric"' in text
    assert f'href="/panel/{j.panel.id}/chair"' in text
    assert "Every member reviews every nomination" in text
    for user in j.users:
        assert f"<th scope=\"row\">{user.name}</th>" in text
        assert f"<td>{user.email}</td>" in text
    assert f"/admin/panels/{j.panel.id}/members/{j.members[0].id}/unchair" in text
    assert f"/admin/panels/{j.panel.id}/members/{j.members[1].id}/chair" in text
    assert "This panel has no chair yet." not in text


def test_invite_an_existing_user(client, site, make_user, outbox):
    j = site()
    rita = make_user(name="Rita Resident", email="rita@example.com")
    before = len(outbox("rita@example.com"))

    response = client.post(f"/admin/panels/{j.panel.id}", data={
        "name": "Someone else", "email": " Rita@Example.com "})

    assert path_of(response.headers["Location"]) == f"/admin/panels/{j.panel.id}"
    [member] = [m for m in reload(j.panel).members if m.user_id == rita.id]
    assert member.is_chair is False
    assert reload(rita).has_role(Role.PANEL_MEMBER)
    assert reload(rita).name == "Rita Resident"
    assert kinds(outbox("rita@example.com")[before:]) == [
        ("panels/invitation", "rita@example.com")]
    [event] = [e for e in audit("panel.member_invited")
               if e.details["member"] == "rita@example.com"]
    assert (event.object_id, event.actor_id) == (j.panel.id, j.admin.id)
    followed = page(client.get(f"/admin/panels/{j.panel.id}"))
    assert "rita@example.com has been added to the panel and sent an invitation." in followed


def test_invite_a_new_address_makes_an_account(client, site, outbox):
    j = site()

    client.post(f"/admin/panels/{j.panel.id}", data={
        "name": "Nadia New", "email": "nadia@example.com", "chair": "y"})

    nadia = user_by_email("nadia@example.com")
    assert nadia is not None and nadia.name == "Nadia New"
    assert nadia.has_role(Role.PANEL_MEMBER)
    [member] = [m for m in reload(j.panel).members if m.user_id == nadia.id]
    assert member.is_chair is True
    assert kinds(outbox("nadia@example.com")) == [("panels/invitation", "nadia@example.com")]
    assert "/account/reset/" in outbox("nadia@example.com")[0].text_body  # choose a password
    assert [e.details["member"] for e in audit("panel.member_invited")][-1] == \
        "nadia@example.com"
    assert audit("user.created")[-1].object_id == nadia.id


def test_invite_someone_already_on_the_panel_shows_the_error(client, site, outbox):
    j = site()
    email = j.users[1].email
    before = len(outbox())

    response = client.post(f"/admin/panels/{j.panel.id}", data={
        "name": "Again", "email": email})

    text = page(response)
    assert response.status_code == 200
    assert summary_error("email", f"{email} is already on this panel.") in text
    assert 'value="Again"' in text
    assert len(reload(j.panel).members) == 3
    assert len(outbox()) == before


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"name": "", "email": "x@example.com"}, "name", "Enter their name"),
    ({"name": "X", "email": ""}, "email", "Enter their email address"),
    ({"name": "X", "email": "not-an-address"}, "email",
     "Enter an email address in the correct format, like name@example.com"),
])
def test_invite_with_bad_input_shows_the_error(client, site, data, field, message):
    j = site()

    text = page(client.post(f"/admin/panels/{j.panel.id}", data=data))

    assert field_error(field, message) in text
    assert "<title>Error: Main panel" in text
    assert len(reload(j.panel).members) == 3


def test_make_a_member_chair_and_then_not(client, site):
    j = site()
    second = j.members[1]

    made = client.post(f"/admin/panels/{j.panel.id}/members/{second.id}/chair")
    assert reload(second).is_chair is True
    client.post(f"/admin/panels/{j.panel.id}/members/{second.id}/unchair")

    assert path_of(made.headers["Location"]) == f"/admin/panels/{j.panel.id}"
    assert reload(second).is_chair is False
    assert [e.details["chair"] for e in audit("panel.chair_changed")] == [True, False]


def test_the_last_chair_cannot_stop_being_chair(client, site):
    j = site()

    response = client.post(f"/admin/panels/{j.panel.id}/members/{j.chair.id}/unchair",
                           follow_redirects=True)

    assert "A panel needs at least one chair: make someone else chair first." in page(response)
    assert 'notice--error' in page(response)
    assert reload(j.chair).is_chair is True
    assert audit("panel.chair_changed") == []


def test_remove_a_member(client, site):
    j = site()
    third = j.members[2]

    response = client.post(f"/admin/panels/{j.panel.id}/members/{third.id}/remove",
                           follow_redirects=True)

    assert "Member 3 has been taken off the panel." in page(response)
    assert [m.name for m in reload(j.panel).members] == ["Member 1", "Member 2"]
    [event] = audit("panel.member_removed")
    assert event.details["member"] == j.users[2].email


def test_removing_a_member_with_a_review_in_progress_asks_first(client, site, review, outbox):
    j = site()
    third = j.members[2]
    review(third, j.nominations[0], submit=False)  # a draft: removing them drops it
    mailed = len(outbox())

    asked = client.post(f"/admin/panels/{j.panel.id}/members/{third.id}/remove")

    text = page(asked)
    assert asked.status_code == 200
    assert "<h1>Take Member 3 off the panel?</h1>" in text
    assert "1 review is unfinished: it will be dropped." in text
    assert "Nobody will be e-mailed." in text
    assert re.search(r'<input[^>]*name="confirmed"[^>]*value="yes"', text)
    assert len(reload(j.panel).members) == 3 and audit("panel.member_removed") == []

    done = client.post(f"/admin/panels/{j.panel.id}/members/{third.id}/remove",
                       data={"confirmed": "yes"}, follow_redirects=True)

    assert "Member 3 has been taken off the panel." in page(done)
    assert [m.name for m in reload(j.panel).members] == ["Member 1", "Member 2"]
    [event] = audit("panel.member_removed")
    assert event.details["member"] == j.users[2].email
    assert len(outbox()) == mailed


def test_publish_page_counts_nominations_awaiting_moderation_and_unfinished_reviews(
        client, site, review, submitted):
    j = site()
    for nomination in j.nominations:
        decide(j.panel, nomination, "winner", j.chair.user)
    review(j.members[1], j.nominations[0], submit=False)
    move_to(j.cycle, Phase.NOMINATING)
    for name in ("Late One", "Late Two"):  # sent in time, never moderated
        submitted(j.cycle, nominee_name=name)
    move_to(j.cycle, Phase.ANNOUNCED)

    shown = page(client.get(f"/admin/cycles/{j.cycle.id}/publish"))

    assert ("<li>2 nominations are still waiting for moderation: they will not be judged.</li>"
            in shown)
    assert "<li>1 review is unfinished.</li>" in shown


def test_a_member_of_another_panel_is_not_found(client, site, spare_category):
    j = site()
    other = Panel(cycle_id=j.cycle.id, name="Other")
    db.session.add(other)
    db.session.commit()

    response = client.post(f"/admin/panels/{other.id}/members/{j.members[1].id}/remove")

    assert response.status_code == 404
    assert len(reload(j.panel).members) == 3


# --- rubrics ---------------------------------------------------------------------------------

def test_rubric_shows_the_default_impact_first_criteria(client, site):
    j = site()

    text = page(client.get(f"/admin/categories/{j.category.id}/rubric"))

    positions = [text.index(str(escape(name))) for name in DEFAULT_NAMES]
    assert positions == sorted(positions)
    assert "How real and pressing is the need this person meets?" in text
    assert "<dt>Weight</dt><dd>2</dd>" in text
    assert "An urgent need that nobody else was meeting" in text
    assert "<caption>What each score means for “Need addressed”</caption>" in text
    assert 'id="weight"' in text  # the add form
    assert "Scoring has started" not in text


def test_rubric_of_a_category_without_criteria_shows_the_default_without_saving_it(
        client, site, spare_category):
    j = site()
    category = spare_category(j)

    shown = page(client.get(f"/admin/categories/{category.id}/rubric"))

    positions = [shown.index(str(escape(name))) for name in DEFAULT_NAMES]
    assert positions == sorted(positions)
    assert "This category has no rubric of its own yet" in shown
    assert "/admin/criteria/" not in shown
    assert count(Criterion) == 5  # only the fixture's category has criteria

    response = client.post(f"/admin/categories/{category.id}/rubric",
                           data={"use_default": "1"})

    assert path_of(response.headers["Location"]) == f"/admin/categories/{category.id}/rubric"
    db.session.expire_all()
    saved = db.session.scalars(select(Criterion).where(Criterion.category_id == category.id)
                               .order_by(Criterion.position)).all()
    assert [c.name for c in saved] == DEFAULT_NAMES
    again = page(client.get(f"/admin/categories/{category.id}/rubric"))
    assert f'href="/admin/criteria/{saved[0].id}"' in again
    assert "This category has no rubric of its own yet" not in again


def test_adding_to_a_category_without_criteria_keeps_the_default_first(
        client, site, spare_category):
    j = site()
    category = spare_category(j)

    client.post(f"/admin/categories/{category.id}/rubric", data={
        "name": "Kindness", "question": "", "weight": "1", "anchors": ""})

    assert [c.name for c in criteria_of(category)] == [*DEFAULT_NAMES, "Kindness"]


def test_add_a_criterion(client, site):
    j = site()

    response = client.post(f"/admin/categories/{j.category.id}/rubric", data={
        "name": "Working with others", "question": "Do they bring people together?",
        "weight": "1.5", "anchors": SIX_ANCHORS + "\n\n"})

    assert path_of(response.headers["Location"]) == f"/admin/categories/{j.category.id}/rubric"
    names = [c.name for c in criteria_of(j.category)]
    assert names == [*DEFAULT_NAMES, "Working with others"]
    added = criteria_of(j.category)[-1]
    assert (added.question, added.weight, added.anchors) == (
        "Do they bring people together?", 1.5, [f"Point {n}" for n in range(6)])
    [event] = audit("criterion.saved")
    assert (event.object_id, event.actor_id) == (added.id, j.admin.id)


def test_add_a_criterion_without_anchors(client, site):
    j = site()

    client.post(f"/admin/categories/{j.category.id}/rubric", data={
        "name": "Kindness", "question": "", "weight": "1", "anchors": "  \n"})

    added = criteria_of(j.category)[-1]
    assert (added.name, added.anchors, added.weight) == ("Kindness", [], 1.0)


@pytest.mark.parametrize(("weight", "message"), [
    ("0", "Give a weight above 0"),
    ("-1", "Give a weight above 0"),
    ("NaN", "Give a weight above 0"),
    ("1000", "Give a weight of 100 or less"),
    ("heavy", "Enter the weight as a number, like 1 or 1.5"),
    ("", "Enter a weight"),
])
def test_add_a_criterion_with_a_bad_weight_is_refused(client, site, weight, message):
    j = site()
    before = count(Criterion)

    response = client.post(f"/admin/categories/{j.category.id}/rubric", data={
        "name": "Kindness & <care>", "question": "", "weight": weight, "anchors": ""})

    text = page(response)
    assert summary_error("weight", message) in text
    assert field_error("weight", message) in text
    assert 'value="Kindness &amp; &lt;care&gt;"' in text
    assert count(Criterion) == before


@pytest.mark.parametrize("lines", [5, 7])
def test_anchors_must_be_six_lines_or_none(client, site, lines):
    j = site()
    before = count(Criterion)
    anchors = "\n".join(f"Point {n}" for n in range(lines))

    response = client.post(f"/admin/categories/{j.category.id}/rubric", data={
        "name": "Kindness", "question": "", "weight": "1", "anchors": anchors})

    message = (f"Write exactly 6 descriptions, one per line for the points 0 to 5 "
               f"(you wrote {lines}), or leave it empty")
    text = page(response)
    assert field_error("anchors", message) in text
    assert f"Point {lines - 1}</textarea>" in text
    assert count(Criterion) == before


def test_edit_a_criterion(client, site):
    j = site()
    difference = criteria_of(j.category)[1]
    db.session.commit()

    shown = page(client.get(f"/admin/criteria/{difference.id}"))
    response = client.post(f"/admin/criteria/{difference.id}", data={
        "name": "Difference made", "question": "What changed?", "weight": "3",
        "anchors": SIX_ANCHORS})

    assert re.search(r'id="weight"[^>]*value="2"', shown)
    assert "Life-changing for many people</textarea>" in shown
    assert path_of(response.headers["Location"]) == f"/admin/categories/{j.category.id}/rubric"
    saved = reload(difference)
    assert (saved.name, saved.question, saved.weight, saved.anchors[0]) == (
        "Difference made", "What changed?", 3.0, "Point 0")
    assert audit("criterion.saved")[-1].details["name"] == "Difference made"


def test_delete_a_criterion(client, site):
    j = site()
    reach = criteria_of(j.category)[2]
    db.session.commit()

    response = client.post(f"/admin/criteria/{reach.id}/delete", follow_redirects=True)

    assert "Reach has been removed from the rubric." in page(response)
    assert [c.name for c in criteria_of(j.category)] == [
        n for n in DEFAULT_NAMES if n != "Reach"]
    [event] = audit("criterion.deleted")
    assert event.object_id == reach.id


def test_the_rubric_is_fixed_once_a_review_is_submitted(client, site, review):
    j = site()
    review(j.members[1], j.nominations[0])
    need = criteria_of(j.category)[0]
    before = count(Criterion)
    fixed = "Scoring has started in this category"

    shown = page(client.get(f"/admin/categories/{j.category.id}/rubric"))
    added = page(client.post(f"/admin/categories/{j.category.id}/rubric", data={
        "name": "Kindness", "question": "", "weight": "1", "anchors": ""}))
    reweighted = page(client.post(f"/admin/criteria/{need.id}", data={
        "name": "Need", "question": need.question, "weight": "4", "anchors": ""}))
    deleted = page(client.post(f"/admin/criteria/{need.id}/delete", follow_redirects=True))

    assert fixed in shown and 'id="weight"' not in shown
    assert f"<li>{fixed}: its criteria and weights are fixed" in added
    assert 'value="Kindness"' in added
    assert f"<li>{fixed}: its criteria and weights are fixed" in reweighted
    assert f"{fixed}, so its criteria are fixed." in deleted
    assert count(Criterion) == before
    assert (reload(need).name, reload(need).weight) == ("Need addressed", 1.0)
    # The wording can still be corrected.
    reworded = client.post(f"/admin/criteria/{need.id}", data={
        "name": "Need met", "question": need.question, "weight": "1",
        "anchors": "\n".join(need.anchors)})
    assert reworded.status_code == 302
    assert reload(need).name == "Need met"


# --- publication -----------------------------------------------------------------------------

def publish_button(text):
    return 'name="confirm"' in text


def test_publish_is_refused_before_the_announcement_date(client, site):
    j = site()
    for number, outcome in enumerate(["winner", "highly_commended", "not_selected"]):
        decide(j.panel, j.nominations[number], outcome, j.chair.user)

    shown = page(client.get(f"/admin/cycles/{j.cycle.id}/publish"))
    posted = page(client.post(f"/admin/cycles/{j.cycle.id}/publish", data={"confirm": "y"}))

    day = f"{j.cycle.announcement.day} {j.cycle.announcement:%B %Y}"
    message = f"Results can be published from the announcement date, {day}."
    assert message in shown and not publish_button(shown)
    assert f"<li>{message}</li>" in posted
    assert reload(j.cycle).results_published_at is None
    assert reload(j.nominations[0]).status is NominationStatus.IN_JUDGING


def test_publish_is_refused_with_undecided_nominations(client, site, outbox):
    j = site()
    decide(j.panel, j.nominations[0], "winner", j.chair.user)
    move_to(j.cycle, Phase.ANNOUNCED)
    before = len(outbox())

    shown = page(client.get(f"/admin/cycles/{j.cycle.id}/publish"))
    posted = page(client.post(f"/admin/cycles/{j.cycle.id}/publish", data={"confirm": "y"}))

    assert "2 nominations have no outcome yet: the panels must decide them first." in shown
    undecided = shown[shown.index("Not decided yet (2)"):]
    for nomination in j.nominations[1:]:
        assert nomination.reference in undecided
    assert not publish_button(shown)
    assert "2 nominations have no outcome yet" in posted
    assert reload(j.cycle).results_published_at is None
    assert len(outbox()) == before


def test_publish_needs_the_confirmation_ticked(client, site):
    j = site()
    for nomination in j.nominations:
        decide(j.panel, nomination, "winner", j.chair.user)
    move_to(j.cycle, Phase.ANNOUNCED)

    response = client.post(f"/admin/cycles/{j.cycle.id}/publish", data={})

    text = page(response)
    assert summary_error("confirm", "Confirm that you have checked the list") in text
    assert "<title>Error: " in text
    assert reload(j.cycle).results_published_at is None


def test_publish_fixes_the_outcomes_and_sends_the_emails(client, site, outbox):
    j = site()
    decide(j.panel, j.nominations[0], "winner", j.chair.user, citation="Runs the <lunch> club.")
    decide(j.panel, j.nominations[1], "highly_commended", j.chair.user)
    decide(j.panel, j.nominations[2], "not_selected", j.chair.user, citation="")
    move_to(j.cycle, Phase.ANNOUNCED)
    before = len(outbox())

    shown = page(client.get(f"/admin/cycles/{j.cycle.id}/publish"))
    response = client.post(f"/admin/cycles/{j.cycle.id}/publish", data={"confirm": "y"})

    assert publish_button(shown)
    assert "Runs the &lt;lunch&gt; club." in shown
    assert "E-mails that will be sent (6)" in shown
    for number in (1, 2, 3):
        assert f"<td>nominee{number}@example.com</td>" in shown
        assert f"<td>nominator{number}@example.com</td>" in shown
        assert re.search(rf"<td>Nominee</td>\s*<td>nominee{number}@example.com</td>", shown)
        assert re.search(rf"<td>Nominator</td>\s*<td>nominator{number}@example.com</td>", shown)
    assert path_of(response.headers["Location"]) == f"/admin/cycles/{j.cycle.id}"
    followed = page(client.get(f"/admin/cycles/{j.cycle.id}"))
    assert "Results published: 6 e-mails are on their way." in followed
    assert reload(j.cycle).results_published_at is not None
    assert [reload(n).status for n in j.nominations] == [NominationStatus.OUTCOME] * 3
    sent = kinds(outbox()[before:])
    assert sorted(sent) == sorted([
        ("panels/winner", "nominee1@example.com"),
        ("panels/commended", "nominee2@example.com"),
        ("panels/thank_you", "nominee3@example.com"),
        ("panels/outcome", "nominator1@example.com"),
        ("panels/outcome", "nominator2@example.com"),
        ("panels/outcome", "nominator3@example.com"),
    ])
    [event] = audit("cycle.results_published")
    assert (event.object_id, event.actor_id, event.details["winners"],
            event.details["commended"], event.details["emails"]) == (
        j.cycle.id, j.admin.id, 1, 1, 6)

    # A second publication is refused, and the page says when it happened.
    again = page(client.post(f"/admin/cycles/{j.cycle.id}/publish", data={"confirm": "y"}))
    later = page(client.get(f"/admin/cycles/{j.cycle.id}/publish"))
    assert "<li>These results were published on" in again
    assert "These results were published on" in later and not publish_button(later)
    assert len(outbox()) == before + 6
    assert len(audit("cycle.results_published")) == 1


def test_publish_page_lists_the_feedback_going_to_a_nominee(client, site):
    j = site()
    factories.decide(j.panel, j.nominations[0], "winner", j.chair.user,
                     feedback="Keep going.", feedback_to_nominee=True)
    factories.decide(j.panel, j.nominations[1], "highly_commended", j.chair.user,
                     feedback="Only for the nominator.")
    factories.decide(j.panel, j.nominations[2], "not_selected", j.chair.user, citation="")
    db.session.commit()
    move_to(j.cycle, Phase.ANNOUNCED)

    shown = page(client.get(f"/admin/cycles/{j.cycle.id}/publish"))

    rows = re.findall(r"<tr>(.*?)</tr>", shown, re.S)
    nominee1 = [row for row in rows if "<td>nominee1@example.com</td>" in row]
    nominee2 = [row for row in rows if "<td>nominee2@example.com</td>" in row]
    nominator1 = [row for row in rows if "<td>nominator1@example.com</td>" in row]
    assert len(nominee1) == 1 and "with the panel’s feedback" in nominee1[0]
    assert len(nominee2) == 1 and "feedback" not in nominee2[0]
    assert len(nominator1) == 1 and "feedback" not in nominator1[0]


def test_blind_mode_cannot_be_switched_once_a_review_is_saved(client, site, review):
    j = site()
    review(j.members[1], j.nominations[0], 3, submit=False)

    response = client.post(f"/admin/panels/{j.panel.id}/edit", data={
        "name": "Main panel", "categories": [str(j.category.id)], "blind": "y",
        "reviews": "everyone"})

    text = page(response)
    assert response.status_code == 200
    assert "Blind mode cannot be switched on or off once the first review is saved" in text
    assert reload(j.panel).blind is False
    assert audit("panel.changed") == []
