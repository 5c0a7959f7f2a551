"""Nomination models: phases from dates, age bands, and what a nomination allows in each phase."""
from datetime import date, timedelta

import pytest

from awards.core.db import utcnow
from awards.nominations.enums import AgeBand, ConsentStatus, NominationStatus, Phase
from awards.nominations.models import AwardCycle, Category, Consent, Nomination, Supporter
from tests.nominations.conftest import cycle_dates

S = NominationStatus
U16, TEEN, ADULT = AgeBand.UNDER_16, AgeBand.AGE_16_17, AgeBand.ADULT


def dated_cycle(**overrides):
    """An unsaved cycle: open 1 Mar, close 31 Mar, judging ends 30 Apr, announced 20 May 2027."""
    dates = {"nominations_open": date(2027, 3, 1), "nominations_close": date(2027, 3, 31),
             "judging_ends": date(2027, 4, 30), "announcement": date(2027, 5, 20), **overrides}
    return AwardCycle(name="Awards 2027", slug="awards-2027", **dates)


def cycle_in(phase, archived=False):
    """An unsaved cycle in `phase` today."""
    return AwardCycle(name="Awards", slug="awards", **cycle_dates(phase),
                      archived_at=utcnow() if archived else None)


# --- phase from dates --------------------------------------------------------------------

@pytest.mark.parametrize(("day", "phase"), [
    (date(2027, 2, 28), Phase.UPCOMING),      # the day before opening
    (date(2027, 3, 1), Phase.NOMINATING),     # opening day
    (date(2027, 3, 31), Phase.NOMINATING),    # close day is inclusive
    (date(2027, 4, 1), Phase.JUDGING),        # the day after close
    (date(2027, 4, 30), Phase.JUDGING),       # judging_ends is inclusive
    (date(2027, 5, 1), Phase.DECIDING),       # the day after judging ends
    (date(2027, 5, 19), Phase.DECIDING),      # the day before announcement
    (date(2027, 5, 20), Phase.ANNOUNCED),     # announcement day
    (date(2030, 1, 1), Phase.ANNOUNCED),
])
def test_phase_on_boundary_days(day, phase):
    assert dated_cycle().phase_on(day) is phase


def test_phase_on_single_day_nominating_window():
    cycle = dated_cycle(nominations_close=date(2027, 3, 1))

    assert [cycle.phase_on(date(2027, 3, d)) for d in (1, 2)] == [Phase.NOMINATING, Phase.JUDGING]


def test_phase_on_judging_ends_on_announcement_day_goes_straight_to_announced():
    cycle = dated_cycle(judging_ends=date(2027, 5, 20))

    assert cycle.phase_on(date(2027, 5, 20)) is Phase.ANNOUNCED
    assert cycle.phase_on(date(2027, 5, 19)) is Phase.JUDGING


@pytest.mark.parametrize("phase", list(Phase))
def test_phase_today_follows_the_dates(phase):
    assert cycle_in(phase).phase is phase


@pytest.mark.parametrize(("phase", "archived", "is_open"), [
    (Phase.NOMINATING, False, True),
    (Phase.NOMINATING, True, False),
    (Phase.UPCOMING, False, False),
    (Phase.JUDGING, False, False),
    (Phase.DECIDING, False, False),
    (Phase.ANNOUNCED, False, False),
])
def test_is_open_only_while_nominating_and_not_archived(phase, archived, is_open):
    assert cycle_in(phase, archived=archived).is_open is is_open


@pytest.mark.parametrize(("year", "prefix"), [(2027, "BC27"), (2030, "BC30"), (2105, "BC05")])
def test_reference_prefix_is_two_digits_of_the_announcement_year(year, prefix):
    assert dated_cycle(announcement=date(year, 5, 20)).reference_prefix == prefix


# --- categories and age bands ------------------------------------------------------------

@pytest.mark.parametrize(("min_age", "max_age", "accepted"), [
    (None, None, {U16, TEEN, ADULT}),
    (18, None, {ADULT}),
    (16, None, {TEEN, ADULT}),
    (17, None, {TEEN, ADULT}),       # a 17-year-old could qualify
    (15, None, {U16, TEEN, ADULT}),  # a 15-year-old could qualify
    (65, None, {ADULT}),
    (None, 17, {U16, TEEN}),
    (None, 15, {U16}),
    (None, 16, {U16, TEEN}),
    (None, 18, {U16, TEEN, ADULT}),
    (None, 25, {U16, TEEN, ADULT}),
    (16, 17, {TEEN}),
    (16, 25, {TEEN, ADULT}),
    (10, 15, {U16}),
    (0, 0, {U16}),
])
def test_category_accepts_age_band(min_age, max_age, accepted):
    category = Category(name="Any", slug="any", min_age=min_age, max_age=max_age)

    assert {band for band in AgeBand if category.accepts_age_band(band)} == accepted


@pytest.mark.parametrize(("band", "needs"), [(U16, True), (TEEN, True), (ADULT, False)])
def test_age_band_needs_guardian_for_under_18s(band, needs):
    assert band.needs_guardian is needs


# --- what a nomination allows, in each phase ---------------------------------------------

SENT_OPEN = {S.AWAITING_CONFIRMATION, S.SUBMITTED, S.ELIGIBLE}
BEFORE_JUDGING = {Phase.UPCOMING, Phase.NOMINATING}
PAIRS = [(phase, status) for phase in Phase for status in S]


def nomination_in(phase, status, archived=False):
    return Nomination(reference="BC27-22222", status=status, cycle=cycle_in(phase, archived))


@pytest.mark.parametrize(("phase", "status"), PAIRS)
def test_can_withdraw_until_judging_starts(phase, status):
    expected = status in SENT_OPEN | {S.DRAFT} and phase in BEFORE_JUDGING

    assert nomination_in(phase, status).can_withdraw is expected


@pytest.mark.parametrize(("phase", "status"), PAIRS)
def test_can_invite_supporters_once_sent_until_close(phase, status):
    expected = status in SENT_OPEN and phase in BEFORE_JUDGING

    assert nomination_in(phase, status).can_invite_supporters is expected


@pytest.mark.parametrize(("phase", "status"), PAIRS)
def test_is_editable_only_for_drafts_while_nominating(phase, status):
    expected = status is S.DRAFT and phase is Phase.NOMINATING

    assert nomination_in(phase, status).is_editable is expected


def test_is_editable_false_for_draft_of_archived_cycle():
    assert nomination_in(Phase.NOMINATING, S.DRAFT, archived=True).is_editable is False


def test_close_day_still_allows_changes_and_the_next_day_does_not():
    close_today = AwardCycle(name="A", slug="a", nominations_open=date.today() - timedelta(days=5),
                             nominations_close=date.today(),
                             judging_ends=date.today() + timedelta(days=5),
                             announcement=date.today() + timedelta(days=9))
    closed_yesterday = AwardCycle(name="B", slug="b",
                                  nominations_open=date.today() - timedelta(days=5),
                                  nominations_close=date.today() - timedelta(days=1),
                                  judging_ends=date.today() + timedelta(days=5),
                                  announcement=date.today() + timedelta(days=9))
    draft_open = Nomination(reference="BC27-22222", status=S.DRAFT, cycle=close_today)
    draft_closed = Nomination(reference="BC27-33333", status=S.DRAFT, cycle=closed_yesterday)

    assert (draft_open.is_editable, draft_open.can_withdraw) == (True, True)
    assert (draft_closed.is_editable, draft_closed.can_withdraw) == (False, False)


# --- supporters, completeness and consent ------------------------------------------------

@pytest.mark.parametrize(("confirmed", "responded", "counts"), [
    (False, False, False), (True, False, False), (False, True, False), (True, True, True),
])
def test_supporter_counts_only_when_confirmed_and_responded(confirmed, responded, counts):
    now = utcnow()
    supporter = Supporter(email="a@example.com", confirmed_at=now if confirmed else None,
                          responded_at=now if responded else None)

    assert supporter.counts is counts


@pytest.mark.parametrize(("min_supporters", "counting", "complete"), [
    (0, 0, True), (1, 0, False), (1, 1, True), (2, 1, False), (2, 2, True), (2, 3, True),
])
def test_is_complete_against_category_minimum(min_supporters, counting, complete):
    now = utcnow()
    category = Category(name="C", slug="c", min_supporters=min_supporters)
    nomination = Nomination(reference="BC27-22222", category=category, cycle=dated_cycle())
    nomination.supporters = [Supporter(email=f"s{i}@example.com", confirmed_at=now,
                                       responded_at=now) for i in range(counting)]
    nomination.supporters.append(Supporter(email="pending@example.com", responded_at=now))

    assert nomination.statements_count == counting
    assert nomination.is_complete is complete


@pytest.mark.parametrize(("status", "consented"), [
    (None, False), (ConsentStatus.PENDING, False), (ConsentStatus.ACCEPTED, True),
    (ConsentStatus.DECLINED, False), (ConsentStatus.WITHDRAWN, False),
])
def test_nominee_consented_only_when_accepted(status, consented):
    nomination = Nomination(reference="BC27-22222", cycle=dated_cycle())
    if status is not None:
        nomination.consent = Consent(status=status)

    assert nomination.nominee_consented is consented
