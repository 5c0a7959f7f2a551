"""Setting up award cycles, categories and areas: dates, slugs, copying, archiving, audit."""
from datetime import date

import pytest
from sqlalchemy import func, select

from awards.core.audit import AuditEvent
from awards.core.slugs import slugify
from awards.extensions import db
from awards.nominations.enums import Phase
from awards.nominations.models import Area, AwardCycle, Category
from awards.nominations.services import NominationError
from awards.nominations.services.setup import (
    archive,
    check_dates,
    copy_cycle,
    restore,
    save_area,
    save_category,
    save_cycle,
)

DATE_ORDER = ("The dates must be in order: nominations open, nominations close, judging ends, "
              "announcement.")


def audit(action):
    db.session.flush()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def count(model):
    db.session.flush()
    return db.session.scalar(select(func.count()).select_from(model))


def cycle_data(name="Big Citizen Awards 2027", slug="", **dates):
    return {"name": name, "slug": slug, "description": "Our awards.",
            "nominations_open": date(2027, 3, 1), "nominations_close": date(2027, 3, 31),
            "judging_ends": date(2027, 4, 30), "announcement": date(2027, 5, 20), **dates}


def category_data(name="Good Neighbour", **fields):
    return {"name": name, "slug": "", "description": "Helps the street.",
            "eligibility": "Anyone living here.", "allows_self_nomination": False,
            "allows_groups": False, "min_supporters": 1, "min_age": None, "max_age": None,
            "position": 1, **fields}


# --- cycles ------------------------------------------------------------------------------

@pytest.fixture
def admin(make_user):
    return make_user(name="Ada Admin")


def test_save_cycle_creates_with_slug_from_name_and_audits(admin):
    cycle = save_cycle(None, cycle_data(name="Big Citizen Awards: 2027!"), actor=admin)
    db.session.commit()

    assert (cycle.name, cycle.slug) == ("Big Citizen Awards: 2027!", "big-citizen-awards-2027")
    assert cycle.nominations_close == date(2027, 3, 31)
    [event] = audit("cycle.created")
    assert (event.object_type, event.object_id, event.actor_id) == ("award_cycle", cycle.id,
                                                                    admin.id)
    assert event.details["slug"] == [None, "big-citizen-awards-2027"]


def test_save_cycle_given_slug_is_slugified():
    cycle = save_cycle(None, cycle_data(slug="My Awards/2027"))

    assert cycle.slug == "my-awards-2027"


@pytest.mark.parametrize(("wrong", "dates"), [
    ("open after close", {"nominations_open": date(2027, 4, 1)}),
    ("close on judging end", {"nominations_close": date(2027, 4, 30)}),
    ("close after judging end", {"nominations_close": date(2027, 5, 1)}),
    ("judging end after announcement", {"judging_ends": date(2027, 5, 21)}),
    ("announcement before open", {"announcement": date(2027, 2, 1)}),
    ("all reversed", {"nominations_open": date(2027, 5, 20), "nominations_close": date(2027, 4, 30),
                      "judging_ends": date(2027, 3, 31), "announcement": date(2027, 3, 1)}),
])
def test_save_cycle_dates_out_of_order_refused(wrong, dates):
    with pytest.raises(NominationError) as error:
        save_cycle(None, cycle_data(**dates))

    assert str(error.value) == DATE_ORDER
    assert count(AwardCycle) == 0
    assert audit("cycle.created") == []


@pytest.mark.parametrize("dates", [
    {"nominations_close": date(2027, 3, 1)},   # open and close on the same day
    {"judging_ends": date(2027, 5, 20)},       # judging ends on announcement day
    {"nominations_close": date(2027, 4, 29)},  # close the day before judging ends
])
def test_save_cycle_touching_dates_allowed(dates):
    cycle = save_cycle(None, cycle_data(**dates))

    assert cycle.id is not None


def test_check_dates_strict_between_close_and_judging_end():
    check_dates(date(2027, 1, 1), date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 2))
    with pytest.raises(NominationError, match="must be in order"):
        check_dates(date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 2), date(2027, 1, 3))


def test_save_cycle_slug_must_be_unique():
    save_cycle(None, cycle_data(name="Big Citizen Awards 2027"))
    db.session.commit()

    with pytest.raises(NominationError) as error:
        save_cycle(None, cycle_data(name="Big Citizen Awards, 2027"))

    assert str(error.value) == \
        "Another cycle already uses the web address “big-citizen-awards-2027”."
    assert count(AwardCycle) == 1


def test_save_cycle_update_keeps_own_slug_and_audits_only_changes(admin):
    cycle = save_cycle(None, cycle_data())
    db.session.commit()

    save_cycle(cycle, cycle_data(name="Big Citizen Awards 2027", slug=cycle.slug,
                                 nominations_close=date(2027, 4, 7)), actor=admin)
    db.session.commit()

    assert (cycle.slug, cycle.nominations_close) == ("big-citizen-awards-2027", date(2027, 4, 7))
    [event] = audit("cycle.updated")
    assert (event.object_id, event.actor_id) == (cycle.id, admin.id)
    assert event.details == {"nominations_close": ["2027-03-31", "2027-04-07"]}


def test_save_cycle_update_with_bad_dates_changes_nothing():
    cycle = save_cycle(None, cycle_data())
    db.session.commit()

    with pytest.raises(NominationError, match="must be in order"):
        save_cycle(cycle, cycle_data(nominations_close=date(2027, 6, 1)))

    db.session.refresh(cycle)
    assert cycle.nominations_close == date(2027, 3, 31)
    assert audit("cycle.updated") == []


def test_save_cycle_update_to_another_cycles_slug_refused():
    save_cycle(None, cycle_data(name="Awards 2026"))
    cycle = save_cycle(None, cycle_data(name="Awards 2027"))
    db.session.commit()

    with pytest.raises(NominationError, match="awards-2026"):
        save_cycle(cycle, cycle_data(name="Awards 2027", slug="awards-2026"))

    db.session.refresh(cycle)
    assert cycle.slug == "awards-2027"


@pytest.mark.parametrize(("text", "slug"), [
    ("Good Neighbour", "good-neighbour"), ("  Young -- Big  Citizen! ", "young-big-citizen"),
    ("Élan 2027", "lan-2027"), ("!!!", "item"), ("", "item"), ("a" * 100, "a" * 80),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


# --- copying a cycle ---------------------------------------------------------------------

def test_copy_cycle_copies_live_categories_and_moves_dates_a_year(admin):
    source = save_cycle(None, cycle_data(name="Awards 2027"))
    young = save_category(source, None, category_data(
        "Young Big Citizen", max_age=17, min_supporters=2, allows_groups=True, position=2))
    save_category(source, None, category_data("Good Neighbour", allows_self_nomination=True,
                                              position=1))
    old = save_category(source, None, category_data("Retired Category", position=3))
    archive(old)
    db.session.commit()

    copy = copy_cycle(source, "Awards 2028", actor=admin)
    db.session.commit()

    assert (copy.name, copy.slug, copy.description) == ("Awards 2028", "awards-2028", "Our awards.")
    assert (copy.nominations_open, copy.nominations_close, copy.judging_ends,
            copy.announcement) == (date(2028, 3, 1), date(2028, 3, 31), date(2028, 4, 30),
                                   date(2028, 5, 20))
    copied = [(c.name, c.slug, c.min_age, c.max_age, c.min_supporters, c.allows_groups,
               c.allows_self_nomination, c.position, c.archived_at) for c in copy.categories]
    assert copied == [
        ("Good Neighbour", "good-neighbour", None, None, 1, False, True, 1, None),
        ("Young Big Citizen", "young-big-citizen", None, 17, 2, True, False, 2, None),
    ]
    assert young.cycle_id == source.id and len(source.categories) == 3
    [event] = audit("cycle.copied")
    assert (event.object_id, event.actor_id, event.details) == (copy.id, admin.id,
                                                                 {"source": "awards-2027"})


def test_copy_cycle_29_february_becomes_28_february():
    source = save_cycle(None, cycle_data(
        name="Leap Awards", nominations_open=date(2028, 2, 29), nominations_close=date(2028, 3, 31),
        judging_ends=date(2028, 4, 30), announcement=date(2028, 5, 20)))

    copy = copy_cycle(source, "Leap Awards Next")

    assert (copy.nominations_open, copy.announcement) == (date(2029, 2, 28), date(2029, 5, 20))


def test_copy_cycle_name_clash_refused():
    source = save_cycle(None, cycle_data(name="Awards 2027"))
    db.session.commit()

    with pytest.raises(NominationError, match="awards-2027"):
        copy_cycle(source, "Awards 2027")


# --- categories --------------------------------------------------------------------------

@pytest.fixture
def cycle():
    cycle = save_cycle(None, cycle_data())
    db.session.commit()
    return cycle


def test_save_category_min_age_above_max_refused(cycle):
    with pytest.raises(NominationError) as error:
        save_category(cycle, None, category_data(min_age=18, max_age=17))

    assert str(error.value) == "The minimum age must not be more than the maximum age."
    assert count(Category) == 0


def test_save_category_equal_ages_and_single_limits_allowed(cycle):
    same = save_category(cycle, None, category_data("Sixteen", min_age=16, max_age=16))
    young = save_category(cycle, None, category_data("Young", min_age=None, max_age=17))

    assert [(c.slug, c.min_age, c.max_age) for c in (same, young)] == [
        ("sixteen", 16, 16), ("young", None, 17)]


def test_save_category_slug_unique_within_cycle_only(cycle):
    save_category(cycle, None, category_data("Good Neighbour"))
    other = save_cycle(None, cycle_data(name="Other Awards"))

    with pytest.raises(NominationError) as error:
        save_category(cycle, None, category_data("Good  Neighbour"))
    in_other = save_category(other, None, category_data("Good Neighbour"))

    assert str(error.value) == "This cycle already has a category called “Good  Neighbour”."
    assert in_other.slug == "good-neighbour"
    assert count(Category) == 2


def test_save_category_update_audits_changes(cycle, admin):
    category = save_category(cycle, None, category_data())
    db.session.commit()

    save_category(cycle, category, category_data(slug="good-neighbour", min_supporters=3,
                                                 eligibility="Over 18s."), actor=admin)
    db.session.commit()

    [created] = audit("category.created")
    [updated] = audit("category.updated")
    assert created.object_id == updated.object_id == category.id
    assert updated.actor_id == admin.id
    assert updated.details == {"eligibility": ["Anyone living here.", "Over 18s."],
                               "min_supporters": ["1", "3"]}


# --- areas -------------------------------------------------------------------------------

def test_save_area_strips_name_and_audits(admin):
    area = save_area(None, "  North Ward ", actor=admin)

    [event] = audit("area.created")
    assert area.name == "North Ward"
    assert (event.object_id, event.actor_id, event.details) == (area.id, admin.id,
                                                                 {"name": [None, "North Ward"]})


def test_save_area_name_unique_case_insensitively():
    save_area(None, "North Ward")
    db.session.commit()

    with pytest.raises(NominationError) as error:
        save_area(None, " north WARD ")

    assert str(error.value) == "There is already an area called “north WARD”."
    assert count(Area) == 1


def test_save_area_rename_same_area_changing_case_allowed_but_not_onto_another():
    north = save_area(None, "North Ward")
    save_area(None, "South Ward")
    db.session.commit()

    save_area(north, "NORTH ward")
    with pytest.raises(NominationError, match="South Ward"):
        save_area(north, "South Ward")

    db.session.refresh(north)
    assert north.name == "NORTH ward"
    [renamed] = audit("area.updated")
    assert renamed.details == {"name": ["North Ward", "NORTH ward"]}


# --- archive and restore -----------------------------------------------------------------

@pytest.fixture
def things(cycle):
    """One saved object of each kind that can be archived, by its table name."""
    category = save_category(cycle, None, category_data())
    area = save_area(None, "North Ward")
    db.session.commit()
    return {"award_cycle": cycle, "category": category, "area": area}


@pytest.mark.parametrize("kind", ["award_cycle", "category", "area"])
def test_archive_and_restore_are_audited_and_idempotent(things, admin, kind):
    thing = things[kind]

    archive(thing, actor=admin)
    db.session.commit()
    archived_at = thing.archived_at
    archive(thing, actor=admin)
    db.session.commit()

    assert archived_at is not None and thing.archived_at == archived_at
    [archived] = audit(f"{kind}.archived")
    assert (archived.object_id, archived.actor_id) == (thing.id, admin.id)

    restore(thing, actor=admin)
    restore(thing, actor=admin)
    db.session.commit()

    assert thing.archived_at is None
    [restored] = audit(f"{kind}.restored")
    assert (restored.object_id, restored.actor_id) == (thing.id, admin.id)


def test_restore_of_live_object_records_nothing(things):
    restore(things["area"])

    assert things["area"].archived_at is None
    assert audit("area.restored") == []


def test_archived_cycle_is_closed_and_restored_cycle_open_again(make_cycle):
    cycle = make_cycle(Phase.NOMINATING)

    archive(cycle)
    closed = cycle.is_open
    restore(cycle)

    assert (closed, cycle.is_open) == (False, True)


def test_archived_category_not_live(cycle):
    kept = save_category(cycle, None, category_data("Kept"))
    gone = save_category(cycle, None, category_data("Gone"))
    archive(gone)
    db.session.commit()
    db.session.refresh(cycle)

    assert cycle.live_categories == [kept]


def test_copy_cycle_28_and_29_february_keep_their_order():
    source = save_cycle(None, cycle_data(
        name="Leap Close", nominations_open=date(2028, 1, 10), nominations_close=date(2028, 2, 28),
        judging_ends=date(2028, 2, 29), announcement=date(2028, 2, 29)))

    copy = copy_cycle(source, "Leap Close Next")

    assert (copy.nominations_close, copy.judging_ends, copy.announcement) == (
        date(2029, 2, 28), date(2029, 3, 1), date(2029, 3, 1))


def test_archive_consequences_count_what_is_left_waiting(make_cycle, make_nomination, submitted):
    from awards.nominations.services.setup import archive_consequences
    cycle = make_cycle()
    make_nomination(cycle)
    submitted(cycle)

    consequences = archive_consequences(cycle)

    assert (consequences.awaiting_moderation, consequences.drafts,
            consequences.recipients) == (1, 1, [])


def test_date_change_consequences_only_when_the_current_phase_ends_early(make_cycle, submitted):
    from datetime import timedelta

    from awards.nominations.models import today
    from awards.nominations.services.setup import date_change_consequences
    cycle = make_cycle(Phase.NOMINATING)
    submitted(cycle)
    dates = {name: getattr(cycle, name) for name in (
        "nominations_open", "nominations_close", "judging_ends", "announcement")}

    assert date_change_consequences(cycle, dates) is None
    assert date_change_consequences(cycle, {
        **dates, "nominations_close": dates["nominations_close"] + timedelta(days=3)}) is None
    early = date_change_consequences(cycle, {
        **dates, "nominations_close": today() - timedelta(days=1)})
    assert (early.ending, early.ends_on, early.was_ending_on, early.awaiting_moderation) == (
        Phase.NOMINATING, today() - timedelta(days=1), dates["nominations_close"], 1)
