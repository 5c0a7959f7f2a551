"""Admin and helper pages through the test client: setup, moderation, consent, judging, assist."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from awards.accounts.enums import Role
from awards.extensions import db
from awards.nominations.enums import (
    AgeBand,
    ConsentStatus,
    HowLong,
    NominationStatus,
    Phase,
    ReceivedVia,
)
from awards.nominations.models import Area, AwardCycle, Category, Nomination
from awards.nominations.services import journey, supporters
from tests.conftest import field_error, path_of, summary_error
from tests.nominations.conftest import (
    audit,
    count,
    move_to,
    page,
    reload,
)


def queue_references(response):
    """The references listed in the moderation queue, in order."""
    return re.findall(r'<td><a href="/admin/nominations/([^"/]+)">', page(response))


def day(value):
    return f"{value.day} {value:%B %Y}"


@pytest.fixture
def admin(client, make_user, sign_in):
    """An admin signed in on `client`."""
    user = make_user(name="Ada Admin", email="ada@example.com", roles=[Role.ADMIN])
    sign_in(user)
    return user


# --- who may open the admin pages ------------------------------------------------------------

def admin_pages(cycle, category, area, nomination):
    """(path, text an admin sees on it) for every admin page."""
    return [
        ("/admin/cycles", "<h1>Award cycles</h1>"),
        ("/admin/cycles/new", "<h1>Create an award cycle</h1>"),
        (f"/admin/cycles/{cycle.id}", f"<h1>{cycle.name}</h1>"),
        (f"/admin/cycles/{cycle.id}/edit", f"<h1>Edit {cycle.name}</h1>"),
        (f"/admin/cycles/{cycle.id}/copy", f"<h1>Copy {cycle.name} as a new cycle</h1>"),
        (f"/admin/cycles/{cycle.id}/categories/new", f"<h1>Add a category to {cycle.name}</h1>"),
        (f"/admin/categories/{category.id}/edit", f"<h1>Edit {category.name}</h1>"),
        ("/admin/areas", "<h1>Areas</h1>"),
        (f"/admin/areas/{area.id}/edit", f"<h1>Rename {area.name}</h1>"),
        ("/admin/nominations", "<h1>Nominations</h1>"),
        (f"/admin/nominations/{nomination.reference}", f"<h1>{nomination.nominee_name}</h1>"),
        (f"/admin/nominations/{nomination.reference}/consent",
         f"<h1>Record consent for {nomination.nominee_name}</h1>"),
        (f"/admin/nominations/cycle/{cycle.id}/judging", "<h1>Ready for judging</h1>"),
        ("/assist", "<h1>Enter a nomination for someone</h1>"),
    ]


@pytest.fixture
def site(make_cycle, make_area, submitted):
    """A cycle with a category, an area and one submitted nomination."""
    cycle = make_cycle(name="Awards 2027")
    area = make_area("Riverside")
    nomination = submitted(cycle, area=area)
    return cycle, cycle.categories[0], area, nomination


def archive_posts(cycle, category, area):
    return [f"/admin/cycles/{cycle.id}/archive", f"/admin/categories/{category.id}/archive",
            f"/admin/areas/{area.id}/archive"]


def test_admin_pages_send_anonymous_visitors_to_sign_in(client, site):
    cycle, category, area, _nomination = site

    answers = {path: client.get(path) for path, _text in admin_pages(*site)}
    posts = {path: client.post(path) for path in archive_posts(cycle, category, area)}

    for path, response in {**answers, **posts}.items():
        assert response.status_code == 302, path
        assert path_of(response.headers["Location"]).startswith("/account/sign-in?next="), path
    assert [reload(x).archived_at for x in (cycle, category, area)] == [None, None, None]


def test_admin_pages_refuse_residents(client, make_user, sign_in, site):
    cycle, category, area, _nomination = site
    sign_in(make_user())

    answers = {path: client.get(path).status_code for path, _text in admin_pages(*site)}
    posts = {path: client.post(path).status_code
             for path in archive_posts(cycle, category, area)}

    assert answers == {path: 403 for path in answers}
    assert posts == {path: 403 for path in posts}
    assert [reload(x).archived_at for x in (cycle, category, area)] == [None, None, None]


def test_admin_pages_open_for_admins(client, admin, site):
    for path, text in admin_pages(*site):
        response = client.get(path)
        assert response.status_code == 200, path
        assert text in page(response), path


def test_helpers_may_assist_and_record_consent_only_for_what_they_entered(
        client, app, make_user, sign_in, site, make_nomination):
    cycle, category, area, nomination = site
    helper = make_user(name="Hal Helper", roles=[Role.HELPER])
    entered = journey.start_nomination(cycle, category=category, entered_by=helper,
                                       via=ReceivedVia.PAPER)
    journey.save_step(entered, {"nominee_name": "Paper Person", "area_id": area.id,
                                "age_band": AgeBand.ADULT, "what_they_do": "Helps.",
                                "who_benefits": "All.", "difference_made": "Lots.",
                                "how_long": HowLong.OVER_10, "nominator_name": "Nell",
                                "nominator_relationship": "Aunt"})
    journey.submit_nomination(entered, actor=helper)
    db.session.commit()
    sign_in(helper)

    answers = {path: client.get(path).status_code for path, _text in admin_pages(*site)}

    allowed = {"/assist"}
    assert answers == {path: (200 if path in allowed else 403) for path in answers}
    own = client.get(f"/admin/nominations/{entered.reference}/consent")
    assert own.status_code == 200
    assert "<h1>Record consent for Paper Person</h1>" in page(own)
    # Another helper may not record consent for it.
    other = app.test_client()
    sign_in(make_user(roles=[Role.HELPER]), target=other)
    assert other.get(f"/admin/nominations/{entered.reference}/consent").status_code == 403
    assert other.post(f"/admin/nominations/{entered.reference}/consent", data={
        "recorded_how": "Phone", "decision": "accepted"}).status_code == 403
    assert reload(entered).consent.status is ConsentStatus.PENDING


# --- confirming what a change will do -------------------------------------------------------

def test_archiving_a_cycle_asks_first_and_says_what_will_happen(
        client, admin, make_cycle, make_nomination, submitted, outbox):
    cycle = make_cycle()
    make_nomination(cycle)  # a draft
    for name in ("Ann", "Bob"):
        submitted(cycle, nominee_name=name)

    mailed = len(outbox())
    asked = client.post(f"/admin/cycles/{cycle.id}/archive")

    text = page(asked)
    assert asked.status_code == 200
    assert f"<h1>Archive {cycle.name}?</h1>" in text
    assert "2 nominations are still waiting for moderation." in text
    assert "1 draft nomination can no longer be sent." in text
    assert "Nobody will be e-mailed." in text
    assert re.search(r'<input[^>]*name="confirmed"[^>]*value="yes"', text)
    assert reload(cycle).archived_at is None and audit("award_cycle.archived") == []

    done = client.post(f"/admin/cycles/{cycle.id}/archive", data={"confirmed": "yes"})

    assert path_of(done.headers["Location"]) == "/admin/cycles"
    assert reload(cycle).archived_at is not None
    [event] = audit("award_cycle.archived")
    assert event.actor_id == admin.id
    assert len(outbox()) == mailed  # nobody e-mailed


def test_moving_dates_so_the_current_phase_ends_early_asks_first(
        client, admin, make_cycle, make_nomination, submitted):
    cycle = make_cycle()  # taking nominations today
    make_nomination(cycle)
    submitted(cycle)
    before = reload(cycle).nominations_close
    yesterday = date.today().fromordinal(date.today().toordinal() - 1)
    data = {"name": cycle.name, "slug": cycle.slug, "description": "",
            "nominations_open": cycle.nominations_open.isoformat(),
            "nominations_close": yesterday.isoformat(),
            "judging_ends": cycle.judging_ends.isoformat(),
            "announcement": cycle.announcement.isoformat()}

    asked = client.post(f"/admin/cycles/{cycle.id}/edit", data=data)

    text = page(asked)
    assert asked.status_code == 200
    assert "<h1>Save the new dates?</h1>" in text
    assert (f"Taking nominations ends early: these dates end it on {day(yesterday)} instead of "
            f"{day(before)}.") in text
    assert "1 nomination is still waiting for moderation." in text
    assert "1 draft nomination can no longer be sent." in text
    assert f'<input type="hidden" name="nominations_close" value="{yesterday.isoformat()}">' in text
    assert reload(cycle).nominations_close == before

    done = client.post(f"/admin/cycles/{cycle.id}/edit", data={**data, "confirmed": "yes"})

    assert path_of(done.headers["Location"]) == f"/admin/cycles/{cycle.id}"
    assert reload(cycle).nominations_close == yesterday


def test_moving_dates_later_saves_without_asking(client, admin, make_cycle):
    cycle = make_cycle()
    later = date.fromordinal(cycle.nominations_close.toordinal() + 1)
    response = client.post(f"/admin/cycles/{cycle.id}/edit", data={
        "name": cycle.name, "slug": cycle.slug, "description": "",
        "nominations_open": cycle.nominations_open.isoformat(),
        "nominations_close": later.isoformat(), "judging_ends": cycle.judging_ends.isoformat(),
        "announcement": cycle.announcement.isoformat()})

    assert path_of(response.headers["Location"]) == f"/admin/cycles/{cycle.id}"
    assert reload(cycle).nominations_close == later


# --- award cycles ----------------------------------------------------------------------------

CYCLE_FORM = {"name": "Awards & More 2030", "slug": "", "description": "Our <first> year",
              "nominations_open": "2030-01-10", "nominations_close": "2030-03-01",
              "judging_ends": "2030-04-01", "announcement": "2030-05-01"}


def test_create_cycle_saves_it(client, admin):
    response = client.post("/admin/cycles/new", data=CYCLE_FORM)

    [cycle] = db.session.scalars(select(AwardCycle)).all()
    assert path_of(response.headers["Location"]) == f"/admin/cycles/{cycle.id}"
    assert (cycle.name, cycle.slug, cycle.description) == (
        "Awards & More 2030", "awards-more-2030", "Our <first> year")
    assert (cycle.nominations_open, cycle.nominations_close, cycle.judging_ends,
            cycle.announcement) == (date(2030, 1, 10), date(2030, 3, 1), date(2030, 4, 1),
                                    date(2030, 5, 1))
    [event] = audit("cycle.created")
    assert (event.object_id, event.actor_id) == (cycle.id, admin.id)


@pytest.mark.parametrize("dates", [
    {"nominations_close": "2030-01-09"},  # closes before it opens
    {"judging_ends": "2030-03-01"},  # judging ends the day nominations close
    {"announcement": "2030-03-31"},  # announced before judging ends
])
def test_create_cycle_with_dates_out_of_order_shows_the_error_and_keeps_the_values(
        client, admin, dates):
    data = {**CYCLE_FORM, **dates}

    response = client.post("/admin/cycles/new", data=data)

    text = page(response)
    assert response.status_code == 200
    assert ("<li>The dates must be in order: nominations open, nominations close, judging ends, "
            "announcement.</li>") in text
    assert 'value="Awards &amp; More 2030"' in text
    assert "Our &lt;first&gt; year</textarea>" in text
    for name in ("nominations_open", "nominations_close", "judging_ends", "announcement"):
        assert re.search(rf'<input[^>]* id="{name}"[^>]* value="{data[name]}"', text), name
    assert count(AwardCycle) == 0
    assert audit("cycle.created") == []


def test_create_cycle_with_a_missing_date_shows_the_error_next_to_it(client, admin):
    response = client.post("/admin/cycles/new", data={**CYCLE_FORM, "judging_ends": ""})

    text = page(response)
    assert summary_error("judging_ends", "Enter the date judging ends") in text
    assert field_error("judging_ends", "Enter the date judging ends") in text
    assert count(AwardCycle) == 0


def test_edit_cycle_saves_changes(client, admin, make_cycle):
    cycle = make_cycle(name="Awards 2027")

    response = client.post(f"/admin/cycles/{cycle.id}/edit", data={
        **CYCLE_FORM, "name": "Big Citizen Awards 2030", "slug": "bca-2030"})

    assert path_of(response.headers["Location"]) == f"/admin/cycles/{cycle.id}"
    saved = reload(cycle)
    assert (saved.name, saved.slug, saved.nominations_close) == (
        "Big Citizen Awards 2030", "bca-2030", date(2030, 3, 1))
    [event] = audit("cycle.updated")
    assert event.details["name"] == ["Awards 2027", "Big Citizen Awards 2030"]


def test_edit_cycle_with_dates_out_of_order_changes_nothing(client, admin, make_cycle):
    cycle = make_cycle(name="Awards 2027")
    before = (cycle.name, cycle.nominations_open, cycle.nominations_close)

    response = client.post(f"/admin/cycles/{cycle.id}/edit", data={
        **CYCLE_FORM, "name": "Renamed <Awards>", "announcement": "2030-02-01"})

    text = page(response)
    assert "The dates must be in order" in text
    assert 'value="Renamed &lt;Awards&gt;"' in text
    assert 'value="2030-02-01"' in text
    saved = reload(cycle)
    assert (saved.name, saved.nominations_open, saved.nominations_close) == before
    assert audit("cycle.updated") == []


def test_copy_cycle_copies_live_categories_and_moves_dates_on_a_year(
        client, admin, make_cycle, make_category):
    source = make_cycle(name="Awards 2027", min_supporters=2)
    make_category(source, name="Young Volunteer", min_age=16, max_age=25)
    gone = make_category(source, name="Old Category")
    gone.archived_at = source.created_at
    db.session.commit()

    response = client.post(f"/admin/cycles/{source.id}/copy", data={"name": "Awards 2028"})

    copy = db.session.scalar(select(AwardCycle).where(AwardCycle.name == "Awards 2028"))
    assert path_of(response.headers["Location"]) == f"/admin/cycles/{copy.id}/edit"
    assert copy.slug == "awards-2028"
    assert copy.nominations_open == source.nominations_open.replace(
        year=source.nominations_open.year + 1)
    assert copy.announcement == source.announcement.replace(year=source.announcement.year + 1)
    assert [(c.name, c.min_supporters, c.min_age, c.max_age) for c in copy.categories] == [
        ("Good Neighbour", 2, None, None), ("Young Volunteer", 1, 16, 25)]
    [event] = audit("cycle.copied")
    assert (event.object_id, event.details["source"]) == (copy.id, source.slug)


def test_copy_cycle_without_a_name_shows_the_error(client, admin, make_cycle):
    source = make_cycle()

    response = client.post(f"/admin/cycles/{source.id}/copy", data={"name": ""})

    assert field_error("name", "Enter a name") in page(response)
    assert count(AwardCycle) == 1


def test_archive_and_restore_cycle(client, admin, make_cycle):
    cycle = make_cycle()

    client.post(f"/admin/cycles/{cycle.id}/archive", data={"confirmed": "yes"})
    archived = reload(cycle).archived_at
    shown = page(client.get("/admin/cycles"))
    client.post(f"/admin/cycles/{cycle.id}/restore")

    assert archived is not None
    assert 'tag--grey">Archived</span>' in shown
    assert reload(cycle).archived_at is None
    assert [e.action for e in audit("award_cycle.archived") + audit("award_cycle.restored")] == [
        "award_cycle.archived", "award_cycle.restored"]


# --- categories ------------------------------------------------------------------------------

CATEGORY_FORM = {"name": "Young Volunteer", "slug": "", "description": "For young people",
                 "eligibility": "Aged 16 to 25", "allows_groups": "y", "min_supporters": "2",
                 "min_age": "16", "max_age": "25", "position": "5"}


def test_add_category_saves_it(client, admin, make_cycle):
    cycle = make_cycle()

    response = client.post(f"/admin/cycles/{cycle.id}/categories/new", data=CATEGORY_FORM)

    assert path_of(response.headers["Location"]) == f"/admin/cycles/{cycle.id}"
    category = db.session.scalar(select(Category).where(Category.name == "Young Volunteer"))
    assert (category.cycle_id, category.slug, category.min_supporters, category.min_age,
            category.max_age, category.allows_groups, category.allows_self_nomination,
            category.position) == (cycle.id, "young-volunteer", 2, 16, 25, True, False, 5)
    assert category.eligibility == "Aged 16 to 25"
    assert audit("category.created")[-1].actor_id == admin.id


def test_add_category_with_the_order_left_empty_is_saved(client, admin, make_cycle):
    cycle = make_cycle()

    response = client.post(f"/admin/cycles/{cycle.id}/categories/new",
                           data={**CATEGORY_FORM, "position": "", "min_age": "", "max_age": ""})

    assert response.status_code == 302, page(response)
    category = db.session.scalar(select(Category).where(Category.name == "Young Volunteer"))
    assert (category.position, category.min_age, category.max_age) == (0, None, None)


def test_add_category_with_min_age_above_max_age_shows_the_error(client, admin, make_cycle):
    cycle = make_cycle()

    response = client.post(f"/admin/cycles/{cycle.id}/categories/new", data={
        **CATEGORY_FORM, "name": "Kids & <Teens>", "min_age": "30", "max_age": "20"})

    text = page(response)
    assert response.status_code == 200
    assert "<li>The minimum age must not be more than the maximum age.</li>" in text
    assert 'value="Kids &amp; &lt;Teens&gt;"' in text
    assert re.search(r'<input[^>]* id="min_age"[^>]* value="30"', text)
    assert re.search(r'<input[^>]* id="max_age"[^>]* value="20"', text)
    assert [c.name for c in reload(cycle).categories] == ["Good Neighbour"]


def test_edit_category_saves_changes(client, admin, make_cycle):
    cycle = make_cycle()
    category = cycle.categories[0]

    response = client.post(f"/admin/categories/{category.id}/edit", data={
        **CATEGORY_FORM, "name": "Great Neighbour", "min_age": "", "max_age": ""})

    assert path_of(response.headers["Location"]) == f"/admin/cycles/{cycle.id}"
    saved = reload(category)
    assert (saved.name, saved.slug, saved.min_supporters) == (
        "Great Neighbour", "great-neighbour", 2)
    [event] = audit("category.updated")
    assert event.details["name"] == ["Good Neighbour", "Great Neighbour"]


def test_edit_category_with_min_age_above_max_age_changes_nothing(client, admin, make_cycle):
    cycle = make_cycle()
    category = cycle.categories[0]

    response = client.post(f"/admin/categories/{category.id}/edit",
                           data={**CATEGORY_FORM, "min_age": "18", "max_age": "17"})

    assert "The minimum age must not be more than the maximum age." in page(response)
    saved = reload(category)
    assert (saved.name, saved.min_age, saved.max_age) == ("Good Neighbour", None, None)


def test_archive_and_restore_category(client, admin, make_cycle):
    cycle = make_cycle()
    category = cycle.categories[0]

    archived = client.post(f"/admin/categories/{category.id}/archive")
    assert path_of(archived.headers["Location"]) == f"/admin/cycles/{cycle.id}"
    assert reload(category).archived_at is not None
    shown = page(client.get(f"/admin/cycles/{cycle.id}"))
    assert 'Good Neighbour <span class="tag tag--grey">Archived</span>' in shown
    assert f'/admin/categories/{category.id}/restore"' in shown
    assert reload(cycle).live_categories == []

    client.post(f"/admin/categories/{category.id}/restore")

    assert reload(category).archived_at is None
    assert len(audit("category.archived")) == 1 and len(audit("category.restored")) == 1


# --- areas -----------------------------------------------------------------------------------

def test_add_area(client, admin):
    response = client.post("/admin/areas", data={"name": "  Riverside  "}, follow_redirects=True)

    [area] = db.session.scalars(select(Area)).all()
    assert area.name == "Riverside"
    assert "Riverside has been added." in page(response)
    assert audit("area.created")[-1].actor_id == admin.id


def test_add_area_with_a_duplicate_name_shows_the_error(client, admin, make_area):
    make_area("Riverside")

    response = client.post("/admin/areas", data={"name": "RIVERSIDE"})

    text = page(response)
    message = "There is already an area called “RIVERSIDE”."
    assert summary_error("name", message) in text
    assert field_error("name", message) in text
    assert 'value="RIVERSIDE"' in text
    assert count(Area) == 1


def test_rename_area(client, admin, make_area):
    area = make_area("Riverside")

    response = client.post(f"/admin/areas/{area.id}/edit", data={"name": "Riverside North"})

    assert path_of(response.headers["Location"]) == "/admin/areas"
    assert reload(area).name == "Riverside North"
    [event] = audit("area.updated")
    assert event.details["name"] == ["Riverside", "Riverside North"]


def test_rename_area_to_an_existing_name_is_refused(client, admin, make_area):
    make_area("Hillside")
    area = make_area("Riverside")

    response = client.post(f"/admin/areas/{area.id}/edit", data={"name": "hillside"})

    assert field_error("name", "There is already an area called “hillside”.") in page(response)
    assert reload(area).name == "Riverside"


def test_archive_area_hides_it_from_nominators(client, app, admin, make_area, make_cycle):
    cycle = make_cycle()
    kept = make_area("Hillside")
    area = make_area("Marshfield")

    response = client.post(f"/admin/areas/{area.id}/archive")

    assert path_of(response.headers["Location"]) == "/admin/areas"
    assert reload(area).archived_at is not None
    listed = page(client.get("/admin/areas"))
    assert 'Marshfield <span class="tag tag--grey">Archived</span>' in listed
    nominator = app.test_client()
    started = nominator.post(f"/nominate/{cycle.slug}?category={cycle.categories[0].slug}",
                             data={"start_token": "t"})
    step = page(nominator.get(path_of(started.headers["Location"])))
    assert f'<option value="{kept.id}">Hillside</option>' in step
    assert "Marshfield" not in step
    client.post(f"/admin/areas/{area.id}/restore")
    assert reload(area).archived_at is None


# --- the moderation queue --------------------------------------------------------------------

@pytest.fixture
def queue(make_cycle, make_category, make_area, make_nomination, submitted, eligible):
    """Nominations across two cycles, two categories and two areas, in several states."""
    one, two = make_cycle(name="Awards One"), make_cycle(name="Awards Two")
    other_category = make_category(one, name="Young Volunteer")
    north, south = make_area("North"), make_area("South")
    rows = {
        "alice": submitted(one, area=north, nominee_name="Alice Archer"),
        "bob": eligible(one, category=other_category, area=south, nominee_name="Bob Baker"),
        "carol": make_nomination(two, submit=True, area=north, nominee_name="Carol Cooper"),
        "draft": make_nomination(one, area=north, nominee_name="Dan Draft"),
    }
    return rows, {"one": one, "two": two, "young": other_category, "north": north,
                  "south": south}


def test_queue_filters_return_exactly_the_matching_nominations(client, admin, queue):
    rows, things = queue
    ref = {name: n.reference for name, n in rows.items()}

    def listed(query):
        return sorted(queue_references(client.get(f"/admin/nominations{query}")))

    def refs(*names):
        return sorted(ref[n] for n in names)

    assert listed("") == refs("alice", "bob", "carol")
    assert listed("?status=submitted") == refs("alice")
    assert listed("?status=eligible") == refs("bob")
    assert listed("?status=awaiting_confirmation") == refs("carol")
    assert listed("?status=draft") == []  # drafts are never listed
    assert listed(f"?area={things['north'].id}") == refs("alice", "carol")
    assert listed(f"?area={things['south'].id}") == refs("bob")
    assert listed(f"?category={things['young'].id}") == refs("bob")
    assert listed(f"?cycle={things['two'].id}") == refs("carol")
    assert listed(f"?cycle={things['one'].id}&area={things['north'].id}") == refs("alice")
    assert listed(f"?q={ref['bob']}") == refs("bob")
    assert listed(f"?q={ref['alice'].lower()}") == refs("alice")
    assert listed("?q=baker") == refs("bob")
    assert listed("?q=Carol+Cooper") == refs("carol")
    assert listed("?q=Dan+Draft") == []
    assert listed("?q=nobody-at-all") == []


def test_queue_ignores_numbers_out_of_range_or_not_numbers(client, admin, queue):
    """Regression: ?cycle=99999999999999999999 was a server error (OverflowError)."""
    rows, _things = queue
    everything = sorted(n.reference for name, n in rows.items() if name != "draft")
    for query in ("?cycle=99999999999999999999", "?area=-1", "?category=1e3", "?cycle=%EF%BC%91",
                  "?area=9223372036854775808", "?cycle=0x10", "?category= 1"):
        response = client.get(f"/admin/nominations{query}")
        assert response.status_code == 200, query
        assert sorted(queue_references(response)) == everything, query


def test_queue_shows_the_count_and_keeps_the_filters(client, admin, queue):
    _rows, things = queue

    text = page(client.get(f"/admin/nominations?status=submitted&area={things['north'].id}"
                           "&q=Alice"))

    assert "<p>1 nomination</p>" in text
    assert '<option value="submitted" selected>' in text
    assert f'<option value="{things["north"].id}" selected>North</option>' in text
    assert 'name="q" type="search" value="Alice"' in text


# --- moderation decisions --------------------------------------------------------------------

def decide(client, nomination, **data):
    return client.post(f"/admin/nominations/{nomination.reference}", data=data)


def status_changes(nomination):
    return [(e.from_state, e.to_state, e.actor_id) for e in audit("nomination.status_changed")
            if e.object_id == nomination.id]


def test_decision_eligible(client, admin, submitted, outbox):
    nomination = submitted()
    before = len(outbox())

    response = decide(client, nomination, decision="eligible")

    assert path_of(response.headers["Location"]) == "/admin/nominations"
    assert reload(nomination).status is NominationStatus.ELIGIBLE
    assert status_changes(nomination)[-1] == ("submitted", "eligible", admin.id)
    assert [(m.kind, m.recipient) for m in outbox()[before:]] == [
        ("nominations/nominee_invitation", "maria@example.com")]  # asked once it is checked
    assert (f"{nomination.reference} is now: Accepted for judging."
            in page(client.get("/admin/nominations")))


def test_decision_ineligible_without_a_reason_shows_the_error(client, admin, submitted, outbox):
    nomination = submitted()
    before = len(outbox())

    response = decide(client, nomination, decision="ineligible", reason="  ")

    text = page(response)
    assert response.status_code == 200
    assert summary_error("reason", "Give a reason: the nominator will read it") in text
    assert field_error("reason", "Give a reason: the nominator will read it") in text
    assert reload(nomination).status is NominationStatus.SUBMITTED
    assert len(outbox()) == before


def test_decision_ineligible_with_a_reason_tells_the_nominator(client, admin, submitted, outbox):
    nomination = submitted()
    before = len(outbox())

    decide(client, nomination, decision="ineligible", reason="They live outside the area.")

    saved = reload(nomination)
    assert saved.status is NominationStatus.INELIGIBLE
    assert saved.moderation_reason == "They live outside the area."
    assert status_changes(nomination)[-1] == ("submitted", "ineligible", admin.id)
    [message] = outbox()[before:]
    assert (message.kind, message.recipient) == ("nominations/ineligible", "sam@example.com")
    assert "They live outside the area." in message.text_body


def test_decision_duplicate_with_an_unknown_reference_shows_the_error(client, admin, submitted):
    nomination = submitted()

    response = decide(client, nomination, decision="duplicate", duplicate_of="BC27-ZZZZZ")

    assert "<li>There is no nomination BC27-ZZZZZ.</li>" in page(response)
    assert 'value="BC27-ZZZZZ"' in page(response)
    assert reload(nomination).status is NominationStatus.SUBMITTED


def test_decision_duplicate_without_a_reference_shows_the_error(client, admin, submitted):
    nomination = submitted()

    response = decide(client, nomination, decision="duplicate", duplicate_of="")

    message = "Enter the reference of the nomination to keep"
    assert field_error("duplicate_of", message) in page(response)
    assert reload(nomination).status is NominationStatus.SUBMITTED


def test_decision_duplicate_merges_into_the_kept_nomination(
        client, admin, make_cycle, submitted, outbox):
    cycle = make_cycle()
    kept = submitted(cycle)
    duplicate = submitted(cycle)
    supporter = supporters.invite_supporter(duplicate, "pat@example.com")
    db.session.commit()

    decide(client, duplicate, decision="duplicate", duplicate_of=kept.reference.lower())

    saved = reload(duplicate)
    assert saved.status is NominationStatus.DUPLICATE
    assert saved.duplicate_of_id == kept.id
    assert reload(supporter).nomination_id == kept.id
    event = audit("nomination.status_changed")[-1]
    assert event.details["kept"] == kept.reference and event.details["supporters_moved"] == 1


def test_decision_spam_hides_it_and_emails_nobody(client, admin, submitted, outbox):
    nomination = submitted()
    before = len(outbox())

    decide(client, nomination, decision="spam")

    assert reload(nomination).status is NominationStatus.SPAM
    assert status_changes(nomination)[-1] == ("submitted", "spam", admin.id)
    assert len(outbox()) == before


def test_decision_without_a_choice_shows_the_error(client, admin, submitted):
    nomination = submitted()

    response = decide(client, nomination, reason="Some words & <things>")

    text = page(response)
    assert field_error("decision", "Choose a decision") in text
    assert "Some words &amp; &lt;things&gt;</textarea>" in text
    assert reload(nomination).status is NominationStatus.SUBMITTED


def test_detail_shows_statements_to_admins(client, admin, submitted):
    nomination = submitted()
    supporter = supporters.invite_supporter(nomination, "pat@example.com")
    supporters.add_statement(supporter, name="Pat", relationship="Friend",
                             statement="She is wonderful.")
    db.session.commit()

    text = page(client.get(f"/admin/nominations/{nomination.reference}"))

    assert "She is wonderful." in text
    assert "Runs the Tuesday lunch club." in text


def test_detail_and_queue_say_how_it_came_and_the_consent_in_words(client, admin, make_cycle,
                                                                   eligible):
    cycle = make_cycle()
    by_phone = eligible(cycle, consented=True, via=ReceivedVia.PHONE, nominee_name="Pia Phone")
    waiting = eligible(cycle, nominee_name="Wes Waiting", nominee_email="wes@example.com")

    detail = page(client.get(f"/admin/nominations/{by_phone.reference}"))
    pending = page(client.get(f"/admin/nominations/{waiting.reference}"))
    listed = page(client.get(f"/admin/nominations?cycle={cycle.id}"))

    assert "<dt>Received</dt><dd>By phone, " in detail
    assert "<dt>Consent</dt><dd>Yes, I am happy to be considered" in detail
    assert "<dt>Received</dt><dd>Online, " in pending
    assert "<dt>Consent</dt><dd>Waiting for an answer" in pending
    assert "<td>Yes, I am happy to be considered</td>" in listed
    assert "<td>Waiting for an answer</td>" in listed
    for text in (detail, pending, listed):
        assert ">accepted<" not in text and ">pending<" not in text
        assert ">phone," not in text and ">online," not in text


# --- recording consent -----------------------------------------------------------------------

def test_record_consent_requires_how_it_was_given(client, admin, submitted):
    nomination = submitted()

    response = client.post(f"/admin/nominations/{nomination.reference}/consent", data={
        "recorded_how": "", "decision": "accepted", "name_display": "full",
        "support_needed": "A <van> & fuel"})

    text = page(response)
    assert summary_error("recorded_how", "Say how consent was given") in text
    assert field_error("recorded_how", "Say how consent was given") in text
    assert "A &lt;van&gt; &amp; fuel</textarea>" in text
    consent = reload(nomination).consent
    assert consent.status is ConsentStatus.PENDING and consent.recorded_how is None
    assert audit("consent.changed") == []


def test_record_consent_saves_who_and_how(client, admin, submitted):
    nomination = submitted()

    response = client.post(f"/admin/nominations/{nomination.reference}/consent", data={
        "recorded_how": "Paper form signed 3 March", "decision": "accepted",
        "name_display": "first_initial", "publish_story": "y", "recognition": ["grant"]})

    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}"
    consent = reload(nomination).consent
    assert consent.status is ConsentStatus.ACCEPTED
    assert (consent.recorded_by_id, consent.recorded_how) == (admin.id,
                                                             "Paper form signed 3 March")
    assert consent.publish_story is True and consent.recognition == ["grant"]
    [event] = audit("consent.changed")
    assert (event.from_state, event.to_state, event.actor_id) == ("pending", "accepted", admin.id)
    assert event.details["recorded_how"] == "Paper form signed 3 March"


# --- ready for judging -----------------------------------------------------------------------

def test_readiness_lists_ready_and_not_ready_and_waits_for_nominations_to_close(
        client, admin, make_cycle, submitted, eligible):
    cycle = make_cycle()
    ready = eligible(cycle, consented=True, statements=1, nominee_name="Rita Ready",
                     nominee_email="rita@example.com")
    no_consent = eligible(cycle, statements=1, nominee_name="Nina Noconsent",
                          nominee_email="nina@example.com")
    no_statement = eligible(cycle, consented=True, nominee_name="Sid Nostatement",
                            nominee_email="sid@example.com")
    unchecked = submitted(cycle, nominee_name="Una Unchecked")

    text = page(client.get(f"/admin/nominations/cycle/{cycle.id}/judging"))

    assert "Ready (1)" in text and "Not ready (2)" in text
    assert f">{ready.reference}</a> – Rita Ready</li>" in text
    assert (f">{no_consent.reference}</a> – Nina Noconsent</td><td>the nominee&#39;s consent"
            "</td>") in text
    assert (f">{no_statement.reference}</a> – Sid Nostatement</td><td>1 more supporting "
            "statement</td>") in text
    assert ("<h2>Still waiting for moderation (1)</h2>" in text
            and f">{unchecked.reference}</a> – Una Unchecked</li>" in text)
    assert f"Judging can start after nominations close on {day(cycle.nominations_close)}." in text
    assert "Send the" not in text

    refused = client.post(f"/admin/nominations/cycle/{cycle.id}/judging", follow_redirects=True)

    assert "Judging can start only after nominations close." in page(refused)
    assert reload(ready).status is NominationStatus.ELIGIBLE


def test_start_judging_moves_only_the_ready_ones(client, admin, make_cycle, eligible):
    cycle = make_cycle()
    ready = eligible(cycle, consented=True, statements=1, nominee_email="rita@example.com")
    not_ready = eligible(cycle, statements=1, nominee_email="nina@example.com")
    move_to(cycle, Phase.JUDGING)
    shown = page(client.get(f"/admin/nominations/cycle/{cycle.id}/judging"))
    assert "Send the 1 ready nomination to judging" in shown

    response = client.post(f"/admin/nominations/cycle/{cycle.id}/judging", follow_redirects=True)

    assert "1 nomination is now with the judging panels." in page(response)
    assert reload(ready).status is NominationStatus.IN_JUDGING
    assert reload(not_ready).status is NominationStatus.ELIGIBLE
    assert status_changes(ready)[-1] == ("eligible", "in_judging", admin.id)
    assert status_changes(not_ready)[-1][1] == "eligible"


@pytest.mark.parametrize(("n", "button", "flashed"), [
    (1, "Send the 1 ready nomination to judging", "1 nomination is now with the judging panels."),
    (2, "Send the 2 ready nominations to judging",
     "2 nominations are now with the judging panels."),
])
def test_start_judging_counts_in_the_right_plural(client, admin, make_cycle, eligible,
                                                   n, button, flashed):
    cycle = make_cycle()
    for _ in range(n):
        eligible(cycle, consented=True, statements=1)
    move_to(cycle, Phase.JUDGING)

    assert button in page(client.get(f"/admin/nominations/cycle/{cycle.id}/judging"))
    response = client.post(f"/admin/nominations/cycle/{cycle.id}/judging", follow_redirects=True)
    assert flashed in page(response)


def test_readiness_lists_the_nominations_still_waiting_for_moderation(
        client, admin, make_cycle, submitted, eligible):
    cycle = make_cycle()
    eligible(cycle, consented=True, statements=1)
    waiting = [submitted(cycle, nominee_name=name) for name in ("Una Unchecked", "Vic Waiting")]

    text = page(client.get(f"/admin/nominations/cycle/{cycle.id}/judging"))

    assert "<h2>Still waiting for moderation (2)</h2>" in text
    assert "They will not go to judging until they are checked and accepted." in text
    for nomination in waiting:
        assert (f'<a href="/admin/nominations/{nomination.reference}">{nomination.reference}'
                f"</a> – {nomination.nominee_name}</li>") in text


@pytest.mark.parametrize(("needed", "said"), [(1, "1 supporting statement;"),
                                               (2, "2 supporting statements;")])
def test_cycle_page_says_supporting_statements_in_the_right_plural(
        client, admin, make_cycle, needed, said):
    cycle = make_cycle(min_supporters=needed, allows_self_nomination=True)
    text = page(client.get(f"/admin/cycles/{cycle.id}"))
    assert f"<td>{said} self-nomination" in text


# --- nominations entered by a helper ---------------------------------------------------------

def test_helper_enters_a_phone_nomination_without_the_nominators_email(
        client, make_user, sign_in, make_cycle, make_area, outbox):
    cycle = make_cycle(name="Awards 2027")
    make_cycle(Phase.JUDGING, name="Closed Awards")
    area = make_area("Riverside")
    helper = make_user(name="Hal Helper", roles=[Role.HELPER])
    sign_in(helper)

    form = page(client.get("/assist"))
    assert f'<option value="{cycle.id}">Awards 2027</option>' in form
    assert "Closed Awards" not in form

    response = client.post("/assist", data={"cycle_id": cycle.id, "received_via": "phone"})

    [nomination] = db.session.scalars(select(Nomination)).all()
    ref = nomination.reference
    assert path_of(response.headers["Location"]) == f"/nomination/{ref}/category"
    assert (nomination.received_via, nomination.entered_by_id, nomination.nominator_id) == (
        ReceivedVia.PHONE, helper.id, None)
    steps = [
        ("category", {"category_id": cycle.categories[0].id}),
        ("nominee", {"nominee_kind": "person", "nominee_name": "Phone Person",
                     "area_id": area.id, "age_band": "18_plus"}),
        ("what-they-do", {"what_they_do": "Drives people to hospital."}),
        ("difference", {"who_benefits": "Patients.", "difference_made": "They get there."}),
        ("how-long", {"how_long": "over_10"}),
        ("photo", {}),
        ("about-you", {"nominator_name": "Nell Caller", "nominator_email": "",
                       "nominator_relationship": "Neighbour", "nominator_may_be_named": "no"}),
    ]
    for step, data in steps:
        answer = client.post(f"/nomination/{ref}/{step}", data=data)
        assert answer.status_code == 302, (step, page(answer))
    saved = reload(nomination)
    assert (saved.nominator_name, saved.nominator_email) == ("Nell Caller", "")
    check = page(client.get(f"/nomination/{ref}/check"))
    assert "Some questions still need an answer" not in check

    sent = client.post(f"/nomination/{ref}/check", data={})

    assert path_of(sent.headers["Location"]) == f"/nomination/{ref}/sent"
    saved = reload(nomination)
    assert saved.status is NominationStatus.SUBMITTED
    assert saved.received_via is ReceivedVia.PHONE
    assert status_changes(saved) == [("draft", "submitted", helper.id)]
    assert saved.consent.status is ConsentStatus.PENDING
    assert outbox() == []  # neither the nominator nor the nominee gave an email address
    assert "<h1>Nomination sent</h1>" in page(client.get(f"/nomination/{ref}/sent"))

    recorded = client.post(f"/admin/nominations/{ref}/consent", data={
        "recorded_how": "Said yes on the phone", "decision": "accepted",
        "name_display": "anonymous"})
    assert path_of(recorded.headers["Location"]) == f"/nomination/{ref}"
    assert reload(nomination).consent.recorded_by_id == helper.id


def test_helper_about_you_still_checks_an_email_if_given(client, make_user, sign_in, make_cycle):
    cycle = make_cycle()
    sign_in(make_user(roles=[Role.HELPER]))
    client.post("/assist", data={"cycle_id": cycle.id, "received_via": "paper"})
    [nomination] = db.session.scalars(select(Nomination)).all()

    response = client.post(f"/nomination/{nomination.reference}/about-you", data={
        "nominator_name": "Nell", "nominator_email": "nell@", "nominator_relationship": "Aunt",
        "nominator_may_be_named": "no"})

    assert field_error("nominator_email",
                       "Enter an email address in the correct format, like name@example.com"
                       ) in page(response)
    assert reload(nomination).nominator_name == ""


def test_assist_without_a_choice_shows_the_errors(client, make_user, sign_in, make_cycle):
    make_cycle()
    sign_in(make_user(roles=[Role.HELPER]))

    response = client.post("/assist", data={})

    assert field_error("received_via", "Choose how it was received") in page(response)
    assert count(Nomination) == 0


def test_online_about_you_requires_the_nominators_email(client, make_cycle):
    cycle = make_cycle()
    started = client.post(f"/nominate/{cycle.slug}", data={"start_token": "t"})
    reference = path_of(started.headers["Location"]).split("/")[2]

    response = client.post(f"/nomination/{reference}/about-you", data={
        "nominator_name": "Sam", "nominator_email": "", "nominator_relationship": "Friend",
        "nominator_may_be_named": "no"})

    assert field_error("nominator_email", "Enter your email address") in page(response)
    assert 'value="Sam"' in page(response)
