"""Nomination services: the state machine, the journey, privacy, supporters, consent, moderation."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from awards.accounts.enums import Role
from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.nominations.enums import (
    CONSENT_TRANSITIONS,
    TRANSITIONS,
    AgeBand,
    ConsentStatus,
    NameDisplay,
    NominationStatus,
    NomineeKind,
    Phase,
    ReceivedVia,
    Recognition,
)
from awards.nominations.models import Consent, Nomination, Supporter
from awards.nominations.services import NominationError, journey
from awards.nominations.services.consent import save_consent, withdraw_consent
from awards.nominations.services.moderation import (
    decide,
    judging_readiness,
    mark_duplicate,
    mark_eligible,
    mark_ineligible,
    mark_spam,
    start_judging,
)
from awards.nominations.services.status import IllegalTransition, change_status
from awards.nominations.services.supporters import (
    add_statement,
    confirm_supporter,
    invite_supporter,
    join_as_supporter,
)
from tests.nominations.conftest import cycle_dates

S = NominationStatus
C = ConsentStatus
REFERENCE = re.compile(r"^BC\d\d-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{5}$")
NOMINATOR, NOMINEE = "sam@example.com", "maria@example.com"
CONFIRM, RECEIPT = "nominations/confirm_nomination", "nominations/receipt"
NOMINEE_INVITE = "nominations/nominee_invitation"
SUPPORTER_INVITE = "nominations/supporter_invitation"
SUPPORTER_CONFIRM, INELIGIBLE = "nominations/supporter_confirm", "nominations/ineligible"
MARK_NAME, MARK_EMAIL = "ZZNOMINATORZZ", "zzmarker@example.com"
NOT_OPEN_FOR_SUPPORT = "Supporting statements can no longer be added to this nomination."


def audit(action, obj=None):
    """Audit rows for `action` (optionally about `obj`), oldest first."""
    db.session.flush()
    query = select(AuditEvent).where(AuditEvent.action == action)
    if obj is not None:
        query = query.where(AuditEvent.object_type == obj.__tablename__,
                            AuditEvent.object_id == obj.id)
    return db.session.scalars(query.order_by(AuditEvent.id)).all()


def status_changes(nomination):
    """(from, to) of every status change of `nomination`."""
    return [(e.from_state, e.to_state) for e in audit("nomination.status_changed", nomination)]


def count(model):
    db.session.flush()
    return db.session.scalar(select(func.count()).select_from(model))


def close(cycle, phase=Phase.JUDGING):
    """Move the cycle's dates so that today falls in `phase` (nominations closed)."""
    for field, day in cycle_dates(phase).items():
        setattr(cycle, field, day)
    db.session.flush()


def label(status):
    return str(status.label).lower()


@pytest.fixture
def admin(make_user):
    return make_user(name="Ada Admin", email="ada@example.com", roles=[Role.ADMIN])


@pytest.fixture
def submitted(make_nomination, sam):
    """Factory: a SUBMITTED nomination from the verified nominator Sam (consent pending)."""
    def factory(cycle=None, **fields):
        nomination = make_nomination(cycle, submit=True, actor=sam, nominator=sam, **fields)
        assert nomination.status is S.SUBMITTED
        return nomination
    return factory


# --- the state machine -------------------------------------------------------------------

PAIRS = [(before, after) for before in S for after in S]


@pytest.mark.parametrize(("before", "after"), PAIRS,
                         ids=[f"{b.value}-to-{a.value}" for b, a in PAIRS])
def test_change_status_allowed_iff_in_transitions(make_nomination, admin, before, after):
    nomination = make_nomination()
    nomination.status = before
    db.session.commit()

    if after in TRANSITIONS[before]:
        change_status(nomination, after, actor=admin, note="checked")
        db.session.commit()

        assert nomination.status is after
        [event] = audit("nomination.status_changed")
        assert (event.object_type, event.object_id, event.actor_id) == (
            "nomination", nomination.id, admin.id)
        assert (event.from_state, event.to_state) == (before.value, after.value)
        assert event.details == {"reference": nomination.reference, "note": "checked"}
        assert (nomination.submitted_at is not None) is (after is S.SUBMITTED)
        assert (nomination.withdrawn_at is not None) is (after is S.WITHDRAWN)
    else:
        with pytest.raises(IllegalTransition) as error:
            change_status(nomination, after, actor=admin)
        db.session.commit()
        db.session.refresh(nomination)

        assert str(error.value) == \
            f"A nomination that is {label(before)} cannot become {label(after)}."
        assert nomination.status is before
        assert (nomination.submitted_at, nomination.withdrawn_at) == (None, None)
        assert audit("nomination.status_changed") == []


def test_transitions_are_exactly_the_documented_machine():
    legal = {(before.value, after.value) for before, targets in TRANSITIONS.items()
             for after in targets}

    assert set(TRANSITIONS) == set(S)
    assert legal == {
        ("draft", "awaiting_confirmation"), ("draft", "submitted"), ("draft", "withdrawn"),
        ("awaiting_confirmation", "submitted"), ("awaiting_confirmation", "withdrawn"),
        ("awaiting_confirmation", "spam"),
        ("submitted", "eligible"), ("submitted", "ineligible"), ("submitted", "duplicate"),
        ("submitted", "spam"), ("submitted", "withdrawn"),
        ("eligible", "in_judging"), ("eligible", "ineligible"), ("eligible", "duplicate"),
        ("eligible", "withdrawn"),
        ("in_judging", "outcome"),
        ("ineligible", "eligible"),
    }


def test_illegal_transition_message_in_plain_words(make_nomination):
    nomination = make_nomination()
    nomination.status = S.SUBMITTED
    db.session.flush()

    with pytest.raises(IllegalTransition) as error:
        change_status(nomination, S.OUTCOME)

    assert str(error.value) == (
        "A nomination that is received – being checked cannot become decided.")
    assert isinstance(error.value, NominationError)


def test_change_status_accepts_the_value_string(make_nomination):
    nomination = make_nomination()

    change_status(nomination, "withdrawn")

    assert nomination.status is S.WITHDRAWN
    assert status_changes(nomination) == [("draft", "withdrawn")]


CONSENT_PAIRS = [(before, after) for before in C for after in C]


@pytest.mark.parametrize(("before", "after"), CONSENT_PAIRS,
                         ids=[f"{b.value}-to-{a.value}" for b, a in CONSENT_PAIRS])
def test_save_consent_allowed_iff_in_consent_transitions(make_nomination, before, after):
    nomination = make_nomination()
    was_accepted = before is C.ACCEPTED
    nomination.consent = Consent(status=before, publish_story=was_accepted,
                                 name_display=NameDisplay.FIRST_INITIAL)
    db.session.commit()

    choices = {"name_display": NameDisplay.FULL, "publish_photo": True, "publish_story": True,
               "publish_area": True, "in_newsletter": True,
               "recognition": [Recognition.HEAR_IMPACT]}
    if after in CONSENT_TRANSITIONS[before]:
        save_consent(nomination, status=after, **choices)
        db.session.commit()

        consent = nomination.consent
        accepted = after is C.ACCEPTED
        assert consent.status is after
        assert (consent.publish_photo, consent.publish_story, consent.publish_area,
                consent.in_newsletter) == (accepted,) * 4
        assert consent.name_display is (NameDisplay.FULL if accepted else NameDisplay.ANONYMOUS)
        assert nomination.nominee_consented is accepted
        [event] = audit("consent.changed")
        assert (event.object_id, event.from_state, event.to_state) == (
            nomination.id, before.value, after.value)
    else:
        with pytest.raises(NominationError) as error:
            save_consent(nomination, status=after, **choices)
        db.session.commit()
        db.session.refresh(nomination.consent)

        assert str(error.value) == "That answer is not possible now."
        consent = nomination.consent
        assert (consent.status, consent.publish_story, consent.publish_photo,
                consent.name_display, consent.recognition) == (
            before, was_accepted, False, NameDisplay.FIRST_INITIAL, [])
        assert audit("consent.changed") == []


def test_save_consent_refused_without_earlier_answer_creates_no_consent(make_nomination):
    nomination = make_nomination()

    with pytest.raises(NominationError, match="not possible now"):
        save_consent(nomination, status=C.PENDING)
    db.session.commit()

    assert count(Consent) == 0
    assert audit("consent.changed") == []


# --- starting a nomination ---------------------------------------------------------------

def test_start_nomination_creates_draft_with_reference_and_audit(make_cycle):
    cycle = make_cycle()

    nomination = journey.start_nomination(cycle, category=cycle.categories[0])
    db.session.commit()

    assert REFERENCE.match(nomination.reference)
    assert nomination.reference.startswith(f"BC{cycle.announcement.year % 100:02d}-")
    assert (nomination.status, nomination.received_via, nomination.nominator_id,
            nomination.nominator_name, nomination.nominator_email) == (
        S.DRAFT, ReceivedVia.ONLINE, None, "", "")
    [event] = audit("nomination.started")
    assert (event.object_id, event.actor_id, event.details) == (
        nomination.id, None, {"reference": nomination.reference, "via": "online"})


def test_start_nomination_references_well_formed_and_distinct(make_cycle):
    cycle = make_cycle()

    references = [journey.start_nomination(cycle).reference for _ in range(30)]

    assert all(REFERENCE.match(r) for r in references)
    assert len(set(references)) == 30


def test_start_nomination_reference_taken_draws_again(make_cycle, monkeypatch):
    cycle = make_cycle()
    draws = iter("22222" "22222" "33333")
    monkeypatch.setattr(journey, "secrets", SimpleNamespace(choice=lambda _alphabet: next(draws)))

    first = journey.start_nomination(cycle)
    second = journey.start_nomination(cycle)

    prefix = cycle.reference_prefix
    assert (first.reference, second.reference) == (f"{prefix}-22222", f"{prefix}-33333")


def test_start_nomination_same_start_token_returns_same_draft(make_cycle):
    cycle = make_cycle()

    first = journey.start_nomination(cycle, start_token="tok-1")
    again = journey.start_nomination(cycle, start_token="tok-1")
    other = journey.start_nomination(cycle, start_token="tok-2")
    db.session.commit()

    assert again.id == first.id != other.id
    assert count(Nomination) == 2
    assert len(audit("nomination.started")) == 2


@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.JUDGING, Phase.DECIDING,
                                   Phase.ANNOUNCED])
def test_start_nomination_refused_when_cycle_not_open(make_cycle, phase):
    cycle = make_cycle(phase, name="Awards 2027")

    with pytest.raises(NominationError) as error:
        journey.start_nomination(cycle, category=cycle.categories[0])

    assert str(error.value) == "Nominations for Awards 2027 are not open."
    assert count(Nomination) == 0


def test_start_nomination_refused_when_cycle_archived(make_cycle):
    cycle = make_cycle(name="Old Awards")
    cycle.archived_at = cycle.created_at

    with pytest.raises(NominationError, match="Nominations for Old Awards are not open."):
        journey.start_nomination(cycle)
    assert count(Nomination) == 0


def test_start_nomination_signed_in_nominator_prefilled(make_cycle, make_user):
    cycle = make_cycle()
    user = make_user(name="Pat Resident", email="pat@example.com")

    nomination = journey.start_nomination(cycle, nominator=user)

    assert (nomination.nominator_id, nomination.nominator_name, nomination.nominator_email) == (
        user.id, "Pat Resident", "pat@example.com")
    [event] = audit("nomination.started")
    assert event.actor_id == user.id


def test_start_nomination_by_helper_records_how_received(make_cycle, helper):
    cycle = make_cycle()

    nomination = journey.start_nomination(cycle, entered_by=helper, via="paper")

    assert (nomination.entered_by_id, nomination.received_via, nomination.nominator_id) == (
        helper.id, ReceivedVia.PAPER, None)
    [event] = audit("nomination.started")
    assert (event.actor_id, event.details["via"]) == (helper.id, "paper")


# --- saving steps ------------------------------------------------------------------------

def test_save_step_stores_answers_on_draft(make_cycle):
    cycle = make_cycle()
    nomination = journey.start_nomination(cycle)

    journey.save_step(nomination, {"nominee_name": "Lee Wong", "age_band": AgeBand.AGE_16_17})
    db.session.commit()
    db.session.refresh(nomination)

    assert (nomination.nominee_name, nomination.age_band) == ("Lee Wong", AgeBand.AGE_16_17)


def test_save_step_refused_after_submit(make_nomination):
    nomination = make_nomination(submit=True)

    with pytest.raises(NominationError) as error:
        journey.save_step(nomination, {"nominee_name": "Someone Else"})

    assert str(error.value) == "This nomination has been sent, so it can no longer be changed."
    assert nomination.nominee_name == "Maria Lopez"


def test_save_step_refused_after_close_keeps_answers(make_nomination, make_cycle):
    nomination = make_nomination(make_cycle(name="Awards 2027"))
    close(nomination.cycle)
    db.session.commit()

    with pytest.raises(NominationError) as error:
        journey.save_step(nomination, {"nominee_name": "Someone Else"})
    db.session.rollback()
    db.session.refresh(nomination)

    closed_on = nomination.cycle.nominations_close
    assert str(error.value) == (
        f"Nominations for Awards 2027 closed on {closed_on.day} {closed_on:%B %Y}. Your answers "
        "are kept, but the nomination can no longer be sent.")
    assert (nomination.status, nomination.nominee_name) == (S.DRAFT, "Maria Lopez")


def test_missing_steps_in_journey_order(make_cycle, make_area):
    cycle = make_cycle()
    nomination = journey.start_nomination(cycle)

    assert journey.missing_steps(nomination) == [
        "category", "nominee", "what-they-do", "difference", "how-long", "about-you"]

    journey.save_step(nomination, {"category_id": cycle.categories[0].id,
                                   "nominee_name": "Maria Lopez", "area_id": make_area().id,
                                   "age_band": AgeBand.ADULT, "who_benefits": "Neighbours"})
    assert journey.missing_steps(nomination) == [
        "what-they-do", "difference", "how-long", "about-you"]


def test_missing_steps_none_when_every_answer_given(make_nomination):
    assert journey.missing_steps(make_nomination()) == []


@pytest.mark.parametrize(("field", "step"), [
    ("nominee_name", "nominee"), ("what_they_do", "what-they-do"),
    ("difference_made", "difference"), ("nominator_email", "about-you"),
    ("nominator_relationship", "about-you"),
])
def test_missing_steps_empty_answer_counts_as_missing(make_nomination, field, step):
    assert journey.missing_steps(make_nomination(**{field: ""})) == [step]


def test_missing_steps_helper_entered_needs_no_nominator_email(entered):
    nomination = entered()

    assert nomination.nominator_email == ""
    assert journey.missing_steps(nomination) == []


# --- category rules ----------------------------------------------------------------------

def test_rule_problems_group_refused_unless_category_allows(make_nomination, make_cycle):
    individuals = make_nomination(make_cycle(), nominee_kind=NomineeKind.GROUP)
    groups = make_nomination(make_cycle(allows_groups=True), nominee_kind=NomineeKind.GROUP)

    assert journey.rule_problems(individuals) == [
        "The Good Neighbour award is for individuals, not groups."]
    assert journey.rule_problems(groups) == []


@pytest.mark.parametrize(("limits", "band", "fits"), [
    ({"min_age": 18}, AgeBand.UNDER_16, False),
    ({"min_age": 18}, AgeBand.AGE_16_17, False),
    ({"min_age": 18}, AgeBand.ADULT, True),
    ({"max_age": 17}, AgeBand.ADULT, False),
    ({"max_age": 17}, AgeBand.AGE_16_17, True),
    ({"max_age": 15}, AgeBand.AGE_16_17, False),
    ({"min_age": 16, "max_age": 25}, AgeBand.UNDER_16, False),
    ({"min_age": 16, "max_age": 25}, AgeBand.AGE_16_17, True),
    ({}, AgeBand.UNDER_16, True),
])
def test_rule_problems_age_band_against_category_ages(make_nomination, make_cycle, limits,
                                                      band, fits):
    nomination = make_nomination(make_cycle(**limits), age_band=band)

    expected = [] if fits else ["The nominee's age does not fit the Good Neighbour award."]
    assert journey.rule_problems(nomination) == expected


@pytest.mark.parametrize("fields", [
    {"nominee_email": "SAM@Example.com "},
    {"nominee_email": "sam@example.com", "nominator_email": "Sam@EXAMPLE.com"},
    {"nominee_name": "  sam   SMITH "},
])
def test_rule_problems_self_nomination_refused_unless_allowed(make_nomination, make_cycle,
                                                              fields):
    refused = make_nomination(make_cycle(), **fields)
    allowed = make_nomination(make_cycle(allows_self_nomination=True), **fields)

    assert journey.is_self_nomination(refused) is True
    assert journey.rule_problems(refused) == [
        "You cannot nominate yourself for the Good Neighbour award."]
    assert journey.rule_problems(allowed) == []


@pytest.mark.parametrize("fields", [
    {},
    {"nominee_email": None},
    {"nominee_email": ""},
    {"nominee_name": "", "nominator_name": ""},
    {"nominee_name": "Sam Smithson"},
])
def test_is_self_nomination_false_for_different_or_missing_details(make_nomination, fields):
    assert journey.is_self_nomination(make_nomination(**fields)) is False


def test_rule_problems_lists_every_broken_rule(make_nomination, make_cycle):
    nomination = make_nomination(make_cycle(min_age=18), nominee_kind=NomineeKind.GROUP,
                                 age_band=AgeBand.UNDER_16, nominee_email=NOMINATOR)

    assert journey.rule_problems(nomination) == [
        "The Good Neighbour award is for individuals, not groups.",
        "The nominee's age does not fit the Good Neighbour award.",
        "You cannot nominate yourself for the Good Neighbour award.",
    ]


# --- submitting --------------------------------------------------------------------------

def test_submit_anonymous_awaits_email_confirmation(make_nomination, sent):
    nomination = make_nomination(submit=True)

    assert nomination.status is S.AWAITING_CONFIRMATION
    assert (nomination.nominator_confirmed_at, nomination.submitted_at, nomination.consent) == (
        None, None, None)
    assert status_changes(nomination) == [("draft", "awaiting_confirmation")]
    assert sent() == [(CONFIRM, NOMINATOR)]


def test_submit_verified_signed_in_nominator_goes_straight_to_submitted(submitted, sam, sent):
    nomination = submitted()

    assert nomination.nominator_confirmed_at is not None and nomination.submitted_at is not None
    assert (nomination.consent.status, nomination.consent.given_by_guardian) == (C.PENDING, False)
    [event] = audit("nomination.status_changed", nomination)
    assert (event.from_state, event.to_state, event.actor_id) == ("draft", "submitted", sam.id)
    assert event.details == {"reference": nomination.reference}
    assert sent() == [(RECEIPT, NOMINATOR)]  # the nominee is asked after moderation


@pytest.mark.parametrize("band", [AgeBand.UNDER_16, AgeBand.AGE_16_17])
def test_submit_under_18_invitation_goes_to_guardian(submitted, messages, band):
    nomination = submitted(age_band=band)
    mark_eligible(nomination, actor=None)

    assert nomination.consent.given_by_guardian is True
    [invitation] = messages(NOMINEE)
    assert invitation.subject == "Maria Lopez has been nominated for a Big Citizen award"
    assert "as the parent or guardian of Maria Lopez" in invitation.text_body
    assert "as the parent or guardian of Maria Lopez" in invitation.html_body


def test_submit_adult_invitation_addressed_to_nominee(submitted, messages):
    mark_eligible(submitted(), actor=None)

    [invitation] = messages(NOMINEE)
    assert invitation.subject == "You have been nominated for a Big Citizen award"
    assert "parent or guardian" not in invitation.text_body


def test_submit_verified_user_who_did_not_start_it_must_confirm(make_nomination, make_user,
                                                                sam, sent):
    other = make_user(name="Other", email="other@example.com")

    nomination = make_nomination(submit=True, actor=other, nominator=sam)

    assert nomination.status is S.AWAITING_CONFIRMATION
    assert sent() == [(CONFIRM, NOMINATOR)]


def test_submit_signed_in_nominator_with_changed_email_must_confirm(make_nomination, sam, sent):
    nomination = make_nomination(submit=True, actor=sam, nominator=sam,
                                 nominator_email="someone-else@example.com")

    assert nomination.status is S.AWAITING_CONFIRMATION
    assert sent() == [(CONFIRM, "someone-else@example.com")]


def test_submit_unverified_signed_in_nominator_must_confirm(make_nomination, make_user, sent):
    user = make_user(name="Sam Smith", email=NOMINATOR, verified=False)

    nomination = make_nomination(submit=True, actor=user, nominator=user)

    assert nomination.status is S.AWAITING_CONFIRMATION
    assert sent() == [(CONFIRM, NOMINATOR)]


def test_submit_helper_entered_needs_no_nominator_email(entered, helper, sent):
    nomination = entered()

    journey.submit_nomination(nomination, actor=helper)
    db.session.commit()

    assert nomination.status is S.SUBMITTED
    assert nomination.consent.status is C.PENDING
    [event] = audit("nomination.status_changed", nomination)
    assert (event.from_state, event.to_state, event.actor_id) == ("draft", "submitted", helper.id)
    assert sent() == []
    mark_eligible(nomination, actor=None)
    assert sent() == [(NOMINEE_INVITE, NOMINEE)]


def test_submit_helper_entered_without_any_email_sends_nothing(entered, helper, sent):
    nomination = entered(nominee_email=None)

    journey.submit_nomination(nomination, actor=helper)

    assert nomination.status is S.SUBMITTED
    assert sent() == []


@pytest.mark.parametrize("verified", [False, True])
def test_submit_twice_is_harmless(make_nomination, sam, sent, verified):
    actor = sam if verified else None
    nomination = make_nomination(submit=True, actor=actor, nominator=sam)
    mail_after_first = sent()

    journey.submit_nomination(nomination, actor=actor)
    db.session.commit()

    assert len(status_changes(nomination)) == 1
    assert sent() == mail_after_first
    assert len(mail_after_first) == 1  # the confirmation link, or the receipt


def test_submit_refused_when_closed(make_nomination, make_cycle, sent):
    nomination = make_nomination(make_cycle(name="Awards 2027"))
    close(nomination.cycle)

    with pytest.raises(NominationError) as error:
        journey.submit_nomination(nomination)

    assert str(error.value).startswith("Nominations for Awards 2027 closed on ")
    assert "Your answers are kept" in str(error.value)
    assert nomination.status is S.DRAFT
    assert status_changes(nomination) == []
    assert sent() == []


def test_submit_refused_with_missing_answers(make_nomination, sent):
    nomination = make_nomination(what_they_do="")

    with pytest.raises(NominationError) as error:
        journey.submit_nomination(nomination)

    assert str(error.value) == "Some questions still need an answer."
    assert nomination.status is S.DRAFT
    assert (status_changes(nomination), sent()) == ([], [])


def test_submit_refused_with_rule_problems(make_nomination, sent):
    nomination = make_nomination(nominee_kind=NomineeKind.GROUP, nominee_email=NOMINATOR)

    with pytest.raises(NominationError) as error:
        journey.submit_nomination(nomination)

    assert str(error.value) == ("The Good Neighbour award is for individuals, not groups. "
                                "You cannot nominate yourself for the Good Neighbour award.")
    assert nomination.status is S.DRAFT
    assert (status_changes(nomination), sent()) == ([], [])


def test_confirm_nominator_email_submits_and_invites(make_nomination, sent):
    nomination = make_nomination(submit=True)

    journey.confirm_nominator_email(nomination)
    db.session.commit()

    assert nomination.status is S.SUBMITTED
    assert nomination.nominator_confirmed_at is not None
    assert nomination.consent.status is C.PENDING
    assert status_changes(nomination) == [("draft", "awaiting_confirmation"),
                                          ("awaiting_confirmation", "submitted")]
    assert audit("nomination.status_changed", nomination)[-1].details == {
        "reference": nomination.reference, "via": "email confirmation"}
    assert sent() == [(CONFIRM, NOMINATOR), (RECEIPT, NOMINATOR)]


def test_confirm_nominator_email_twice_does_nothing_more(make_nomination, sent):
    nomination = make_nomination(submit=True)
    journey.confirm_nominator_email(nomination)
    db.session.commit()

    journey.confirm_nominator_email(nomination)
    db.session.commit()

    assert nomination.status is S.SUBMITTED
    assert len(status_changes(nomination)) == 2
    assert len(sent()) == 2


@pytest.mark.parametrize("status", [S.DRAFT, S.WITHDRAWN, S.SPAM])
def test_confirm_nominator_email_ignored_unless_awaiting(make_nomination, sent, status):
    nomination = make_nomination()
    nomination.status = status
    db.session.flush()

    journey.confirm_nominator_email(nomination)

    assert nomination.status is status
    assert (status_changes(nomination), sent()) == ([], [])


def test_resend_link_mails_nominator_only(make_nomination, sent):
    nomination = make_nomination()

    journey.resend_link(nomination)

    assert sent() == [("nominations/come_back", NOMINATOR)]


# --- withdrawing -------------------------------------------------------------------------

@pytest.mark.parametrize("status", [S.DRAFT, S.AWAITING_CONFIRMATION, S.SUBMITTED, S.ELIGIBLE])
def test_withdraw_allowed_before_judging(make_nomination, sam, status):
    nomination = make_nomination()
    nomination.status = status
    db.session.flush()
    db.session.commit()

    journey.withdraw_nomination(nomination, actor=sam, reason="They asked me to." + "x" * 600)
    db.session.commit()

    assert nomination.status is S.WITHDRAWN and nomination.withdrawn_at is not None
    [event] = audit("nomination.status_changed", nomination)
    assert (event.from_state, event.to_state, event.actor_id) == (status.value, "withdrawn",
                                                                  sam.id)
    assert event.details["reason"] == ("They asked me to." + "x" * 600)[:500]


@pytest.mark.parametrize("status, message", [
    (S.IN_JUDGING, "This nomination can no longer be withdrawn: judging has started."),
    (S.OUTCOME, "This nomination can no longer be withdrawn: judging has started."),
    (S.INELIGIBLE, "This nomination is closed, so there is nothing to withdraw."),
    (S.DUPLICATE, "This nomination is closed, so there is nothing to withdraw."),
    (S.SPAM, "This nomination is closed, so there is nothing to withdraw."),
])
def test_withdraw_refused_for_later_statuses(make_nomination, status, message):
    nomination = make_nomination()
    nomination.status = status
    db.session.flush()

    with pytest.raises(NominationError) as error:
        journey.withdraw_nomination(nomination)

    assert str(error.value) == message
    assert nomination.status is status
    assert status_changes(nomination) == []


def test_withdraw_twice_changes_status_once(make_nomination):
    nomination = make_nomination(submit=True)
    journey.withdraw_nomination(nomination)
    journey.withdraw_nomination(nomination)  # a double click, or two tabs
    db.session.commit()

    assert nomination.status is S.WITHDRAWN
    assert status_changes(nomination) == [("draft", "awaiting_confirmation"),
                                          ("awaiting_confirmation", "withdrawn")]


@pytest.mark.parametrize("phase", [Phase.JUDGING, Phase.DECIDING, Phase.ANNOUNCED])
@pytest.mark.parametrize("status", [S.SUBMITTED, S.ELIGIBLE])
def test_withdraw_refused_once_nominations_closed(submitted, phase, status):
    nomination = submitted()
    nomination.status = status
    db.session.flush()
    close(nomination.cycle, phase)

    with pytest.raises(NominationError, match="judging has started"):
        journey.withdraw_nomination(nomination)

    assert nomination.status is status
    assert status_changes(nomination) == [("draft", "submitted")]


# --- privacy of the nominator ------------------------------------------------------------

def assert_no_nominator(message):
    for part in (message.subject, message.text_body, message.html_body):
        assert MARK_NAME.lower() not in part.lower()
        assert "zzmarker" not in part.lower()


@pytest.mark.parametrize("band", [AgeBand.ADULT, AgeBand.UNDER_16])
def test_nominee_invitation_never_names_unnamed_nominator(make_nomination, messages, band):
    nomination = make_nomination(submit=True, nominator_name=f"Pat {MARK_NAME}",
                                 nominator_email=MARK_EMAIL, age_band=band,
                                 nominator_relationship="Neighbour")
    journey.confirm_nominator_email(nomination)
    mark_eligible(nomination, actor=None)

    [invitation] = messages(NOMINEE)
    assert invitation.kind == NOMINEE_INVITE
    assert_no_nominator(invitation)
    assert "Someone in the community has nominated" in invitation.text_body
    assert "Someone in the community has nominated" in invitation.html_body


def test_nominee_invitation_from_verified_nominator_never_names_them(make_nomination, make_user,
                                                                     messages):
    user = make_user(name=f"Pat {MARK_NAME}", email=MARK_EMAIL)

    mark_eligible(make_nomination(submit=True, actor=user, nominator=user,
                                  nominator_name=user.name, nominator_email=MARK_EMAIL),
                  actor=None)

    [invitation] = messages(NOMINEE)
    assert_no_nominator(invitation)


def test_nominee_invitation_names_nominator_who_agreed(make_nomination, messages):
    nomination = make_nomination(submit=True, nominator_name=f"Pat {MARK_NAME}",
                                 nominator_email=MARK_EMAIL, nominator_may_be_named=True)
    journey.confirm_nominator_email(nomination)
    mark_eligible(nomination, actor=None)

    [invitation] = messages(NOMINEE)
    assert f"Pat {MARK_NAME} has nominated you" in invitation.text_body
    assert f"Pat {MARK_NAME} has nominated" in invitation.html_body
    assert "zzmarker" not in (invitation.text_body + invitation.html_body).lower()


@pytest.mark.parametrize("may_be_named", [False, True])
def test_supporter_invitation_says_who_asked_but_the_walk_in_confirmation_does_not(
        make_nomination, messages, may_be_named):
    """The invitation goes to someone the nominator chose to ask: it names the nominator as
    they gave their name (never their address), whether or not the nominee may learn it."""
    nomination = make_nomination(submit=True, nominator_name=f"Pat {MARK_NAME}",
                                 nominator_email=MARK_EMAIL, nominator_may_be_named=may_be_named)
    journey.confirm_nominator_email(nomination)

    invite_supporter(nomination, "friend@example.com")
    join_as_supporter(nomination, email="walkin@example.com", name="Kim", relationship="Friend",
                      statement="Kind.")

    [invitation] = messages("friend@example.com")
    [confirmation] = messages("walkin@example.com")
    assert (invitation.kind, confirmation.kind) == (SUPPORTER_INVITE, SUPPORTER_CONFIRM)
    asked = f"Pat {MARK_NAME} asked you to support their nomination of Maria Lopez"
    assert invitation.subject == f"{asked}"
    assert asked in invitation.text_body and asked in invitation.html_body
    for part in (invitation.subject, invitation.text_body, invitation.html_body):
        assert "zzmarker" not in part.lower()
    assert_no_nominator(confirmation)


def test_supporter_invitation_without_a_nominator_name_says_someone_asked(
        make_nomination, messages):
    nomination = make_nomination(submit=True, nominator_email=MARK_EMAIL)
    journey.confirm_nominator_email(nomination)
    nomination.nominator_name = "  "  # e.g. a paper nomination entered without one

    invite_supporter(nomination, "friend@example.com")

    [invitation] = messages("friend@example.com")
    assert invitation.subject == "Will you support the nomination of Maria Lopez?"
    assert "Maria Lopez has been nominated" in invitation.text_body
    assert_no_nominator(invitation)


# --- supporters --------------------------------------------------------------------------

def test_invite_supporter_normalises_email_and_mails_them(make_nomination, sent):
    nomination = make_nomination(submit=True)

    supporter = invite_supporter(nomination, "  Friend@Example.COM ")
    db.session.commit()

    assert (supporter.email, supporter.invited_by_nominator, supporter.counts) == (
        "friend@example.com", True, False)
    assert sent("friend@example.com") == [(SUPPORTER_INVITE, "friend@example.com")]
    [event] = audit("supporter.invited")
    assert (event.object_id, event.details) == (supporter.id,
                                                {"reference": nomination.reference})


def test_invite_supporter_again_resends_without_second_row(make_nomination, sent):
    nomination = make_nomination(submit=True)
    first = invite_supporter(nomination, "friend@example.com")

    again = invite_supporter(nomination, "FRIEND@example.com")
    db.session.commit()

    assert again.id == first.id
    assert count(Supporter) == 1
    assert sent("friend@example.com") == [(SUPPORTER_INVITE, "friend@example.com")] * 2
    assert len(audit("supporter.invited")) == 1


def test_invite_supporter_who_already_responded_refused(make_nomination, sent):
    nomination = make_nomination(submit=True)
    supporter = invite_supporter(nomination, "friend@example.com")
    add_statement(supporter, name="Jo", relationship="Friend", statement="Kind.")

    with pytest.raises(NominationError) as error:
        invite_supporter(nomination, "Friend@example.com")

    assert str(error.value) == "friend@example.com has already sent a statement."
    assert len(sent("friend@example.com")) == 1


@pytest.mark.parametrize("email", [" SAM@example.com", "Maria@Example.com "])
def test_invite_supporter_refuses_nominator_and_nominee(make_nomination, sent, email):
    nomination = make_nomination(submit=True)

    with pytest.raises(NominationError) as error:
        invite_supporter(nomination, email)

    assert str(error.value) == "A supporter must be someone other than you or the nominee."
    assert count(Supporter) == 0
    assert sent() == [(CONFIRM, NOMINATOR)]


def test_invite_supporter_refused_after_close(submitted, sent):
    nomination = submitted()
    close(nomination.cycle)
    before = sent()

    with pytest.raises(NominationError) as error:
        invite_supporter(nomination, "friend@example.com")

    assert str(error.value) == NOT_OPEN_FOR_SUPPORT
    assert count(Supporter) == 0
    assert sent() == before


@pytest.mark.parametrize("status", [S.DRAFT, S.WITHDRAWN, S.SPAM, S.INELIGIBLE, S.IN_JUDGING])
def test_invite_supporter_refused_unless_sent_and_open(make_nomination, sent, status):
    nomination = make_nomination()
    nomination.status = status
    db.session.flush()

    with pytest.raises(NominationError, match=NOT_OPEN_FOR_SUPPORT):
        invite_supporter(nomination, "friend@example.com")

    assert count(Supporter) == 0
    assert sent() == []


def test_add_statement_confirms_and_counts(make_nomination):
    nomination = make_nomination(submit=True)
    supporter = invite_supporter(nomination, "friend@example.com")

    add_statement(supporter, name=" Jo Bloggs ", relationship=" Friend ",
                  statement="  She changed our street. ")
    db.session.commit()

    assert (supporter.name, supporter.relationship_to_nominee, supporter.statement) == (
        "Jo Bloggs", "Friend", "She changed our street.")
    assert supporter.confirmed_at is not None and supporter.responded_at is not None
    assert supporter.counts is True
    assert (nomination.statements_count, nomination.is_complete) == (1, True)
    [event] = audit("supporter.statement_sent")
    assert (event.object_id, event.from_state, event.to_state) == (supporter.id, "invited",
                                                                   "responded")


def test_add_statement_edit_keeps_one_statement(make_nomination):
    nomination = make_nomination(submit=True)
    supporter = invite_supporter(nomination, "friend@example.com")
    add_statement(supporter, name="Jo", relationship="Friend", statement="First.")

    add_statement(supporter, name="Jo", relationship="Friend", statement="Second.")

    assert (supporter.statement, nomination.statements_count) == ("Second.", 1)
    assert [(e.from_state, e.to_state) for e in audit("supporter.statement_sent")] == [
        ("invited", "responded"), ("responded", "responded")]


def test_add_statement_refused_after_close(submitted):
    nomination = submitted()
    supporter = invite_supporter(nomination, "friend@example.com")
    close(nomination.cycle)

    with pytest.raises(NominationError, match=NOT_OPEN_FOR_SUPPORT):
        add_statement(supporter, name="Jo", relationship="Friend", statement="Late.")

    assert (supporter.statement, supporter.responded_at, nomination.statements_count) == (
        "", None, 0)


def test_join_as_supporter_counts_only_after_confirmation(make_nomination, sent):
    nomination = make_nomination(submit=True)

    supporter = join_as_supporter(nomination, email=" Kim@Example.com ", name=" Kim ",
                                  relationship="Neighbour", statement=" Always there. ")
    db.session.commit()

    assert (supporter.email, supporter.name, supporter.statement,
            supporter.invited_by_nominator) == ("kim@example.com", "Kim", "Always there.", False)
    assert (supporter.counts, nomination.statements_count) == (False, 0)
    assert sent("kim@example.com") == [(SUPPORTER_CONFIRM, "kim@example.com")]
    assert [e.object_id for e in audit("supporter.joined")] == [supporter.id]

    confirm_supporter(supporter)
    confirm_supporter(supporter)
    db.session.commit()

    assert (supporter.counts, nomination.statements_count) == (True, 1)
    [event] = audit("supporter.confirmed")
    assert (event.from_state, event.to_state) == ("unconfirmed", "confirmed")


def test_join_as_supporter_same_address_refused_once_responded(make_nomination, sent):
    nomination = make_nomination(submit=True)
    join_as_supporter(nomination, email="kim@example.com", name="Kim", relationship="Friend",
                      statement="First.")

    with pytest.raises(NominationError) as error:
        join_as_supporter(nomination, email="KIM@example.com", name="Kim", relationship="Friend",
                          statement="Again.")

    assert str(error.value) == "A statement from this email address has already been sent."
    assert count(Supporter) == 1
    assert len(sent("kim@example.com")) == 1


def test_join_as_supporter_invited_address_uses_the_invitation_row(make_nomination):
    nomination = make_nomination(submit=True)
    invited = invite_supporter(nomination, "friend@example.com")

    joined = join_as_supporter(nomination, email="friend@example.com", name="Jo",
                               relationship="Friend", statement="Kind.")

    assert joined.id == invited.id
    assert count(Supporter) == 1
    assert joined.counts is False  # the shared link does not prove the address


@pytest.mark.parametrize("email", ["sam@example.com", " MARIA@example.com"])
def test_join_as_supporter_refuses_nominator_and_nominee(make_nomination, email):
    nomination = make_nomination(submit=True)

    with pytest.raises(NominationError) as error:
        join_as_supporter(nomination, email=email, name="X", relationship="Y", statement="Z")

    assert str(error.value) == "A supporter must be someone other than the nominator or nominee."
    assert count(Supporter) == 0


def test_join_as_supporter_refused_for_withdrawn(make_nomination):
    nomination = make_nomination(submit=True)
    journey.withdraw_nomination(nomination)

    with pytest.raises(NominationError, match=NOT_OPEN_FOR_SUPPORT):
        join_as_supporter(nomination, email="kim@example.com", name="Kim", relationship="F",
                          statement="S")
    assert count(Supporter) == 0


def add_supporters(nomination, number, start=0):
    """`number` counting statements from invited supporters."""
    for i in range(start, start + number):
        supporter = invite_supporter(nomination, f"supporter{i}@example.com")
        add_statement(supporter, name=f"Supporter {i}", relationship="Friend",
                      statement="Kind.")


def test_is_complete_against_category_min_supporters(make_nomination, make_cycle):
    nomination = make_nomination(make_cycle(min_supporters=2), submit=True)
    add_supporters(nomination, 1)
    join_as_supporter(nomination, email="kim@example.com", name="Kim", relationship="Friend",
                      statement="Kind.")

    incomplete = (nomination.statements_count, nomination.is_complete)
    confirm_supporter(nomination.supporters[-1])

    assert incomplete == (1, False)
    assert (nomination.statements_count, nomination.is_complete) == (2, True)


# --- consent -----------------------------------------------------------------------------

def test_accept_consent_stores_choices(submitted):
    nomination = submitted()

    consent = save_consent(
        nomination, status="accepted", name_display="full", publish_photo=True,
        publish_story=True, publish_area=False, in_newsletter=True,
        recognition=[Recognition.GRANT, "private_thanks", Recognition.GRANT],
        support_needed="  A new gazebo. ", guardian_name="  ")
    db.session.commit()

    assert (consent.status, consent.name_display, consent.publish_photo, consent.publish_story,
            consent.publish_area, consent.in_newsletter) == (
        C.ACCEPTED, NameDisplay.FULL, True, True, False, True)
    assert consent.recognition == ["grant", "private_thanks"]
    assert (consent.support_needed, consent.guardian_name) == ("A new gazebo.", None)
    assert consent.answered_at is not None and nomination.nominee_consented is True
    [event] = audit("consent.changed", nomination)
    assert (event.from_state, event.to_state, event.actor_id) == ("pending", "accepted", None)
    assert event.details["publication"] == {
        "name_display": "full", "publish_photo": True, "publish_story": True,
        "publish_area": False, "in_newsletter": True}


def test_accept_consent_by_guardian_keeps_their_name(submitted):
    nomination = submitted(age_band=AgeBand.UNDER_16)

    consent = save_consent(nomination, status=C.ACCEPTED, guardian_name=" Ana Lopez ")

    assert (consent.given_by_guardian, consent.guardian_name) == (True, "Ana Lopez")


@pytest.mark.parametrize("how", ["decline", "withdraw"])
def test_decline_or_withdraw_clears_every_publication_choice(submitted, how):
    nomination = submitted()
    everything = {"name_display": NameDisplay.FULL, "publish_photo": True, "publish_story": True,
                  "publish_area": True, "in_newsletter": True}
    if how == "withdraw":
        save_consent(nomination, status=C.ACCEPTED, **everything)
        consent = withdraw_consent(nomination)
        expected = (C.WITHDRAWN, ("accepted", "withdrawn"))
    else:
        consent = save_consent(nomination, status=C.DECLINED, **everything)
        expected = (C.DECLINED, ("pending", "declined"))
    db.session.commit()

    assert consent.status is expected[0]
    assert consent.name_display is NameDisplay.ANONYMOUS
    assert (consent.publish_photo, consent.publish_story, consent.publish_area,
            consent.in_newsletter) == (False, False, False, False)
    assert nomination.nominee_consented is False
    last = audit("consent.changed", nomination)[-1]
    assert (last.from_state, last.to_state) == expected[1]
    assert last.details["publication"] == {
        "name_display": "anonymous", "publish_photo": False, "publish_story": False,
        "publish_area": False, "in_newsletter": False}


def test_withdrawn_consent_can_be_given_again(submitted):
    nomination = submitted()
    save_consent(nomination, status=C.ACCEPTED, publish_story=True)
    withdraw_consent(nomination)

    consent = save_consent(nomination, status=C.ACCEPTED, publish_story=True)

    assert (consent.status, consent.publish_story) == (C.ACCEPTED, True)
    assert [(e.from_state, e.to_state) for e in audit("consent.changed", nomination)] == [
        ("pending", "accepted"), ("accepted", "withdrawn"), ("withdrawn", "accepted")]


@pytest.mark.parametrize("how", [None, "", "   "])
def test_recorded_consent_needs_how_it_was_given(entered, helper, how):
    nomination = entered()
    journey.submit_nomination(nomination, actor=helper)
    db.session.commit()

    with pytest.raises(NominationError) as error:
        save_consent(nomination, status=C.ACCEPTED, recorded_by=helper, recorded_how=how)
    db.session.rollback()

    assert str(error.value) == "Say how the consent was given (for example, on a paper form)."
    assert nomination.consent.status is C.PENDING
    assert nomination.consent.recorded_by_id is None
    assert audit("consent.changed") == []


def test_recorded_consent_stores_who_and_how(entered, helper, admin):
    nomination = entered()
    journey.submit_nomination(nomination, actor=helper)

    consent = save_consent(nomination, status=C.ACCEPTED, publish_story=True, recorded_by=admin,
                           recorded_how="Signed paper form at the library")
    db.session.commit()

    assert (consent.recorded_by_id, consent.recorded_how) == (
        admin.id, "Signed paper form at the library")
    [event] = audit("consent.changed", nomination)
    assert (event.actor_id, event.from_state, event.to_state) == (admin.id, "pending", "accepted")
    assert event.details["recorded_how"] == "Signed paper form at the library"


# --- moderation --------------------------------------------------------------------------

def test_mark_eligible(submitted, admin, sent):
    nomination = submitted()
    before = sent()

    mark_eligible(nomination, actor=admin)
    db.session.commit()

    assert nomination.status is S.ELIGIBLE
    event = audit("nomination.status_changed", nomination)[-1]
    assert (event.from_state, event.to_state, event.actor_id) == ("submitted", "eligible",
                                                                  admin.id)
    assert sent() == [*before, (NOMINEE_INVITE, NOMINEE)]  # now the nominee is asked


def test_mark_eligible_refused_before_nominator_confirms(make_nomination, admin):
    nomination = make_nomination(submit=True)

    with pytest.raises(IllegalTransition):
        mark_eligible(nomination, actor=admin)

    assert nomination.status is S.AWAITING_CONFIRMATION


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_mark_ineligible_needs_a_reason(submitted, admin, sent, reason):
    nomination = submitted()
    before = sent()

    with pytest.raises(NominationError) as error:
        mark_ineligible(nomination, reason, actor=admin)

    assert str(error.value) == "Give a reason: the nominator will read it."
    assert (nomination.status, nomination.moderation_reason) == (S.SUBMITTED, None)
    assert sent() == before


def test_mark_ineligible_tells_nominator_kindly(submitted, admin, messages):
    nomination = submitted()
    already = len(messages())

    mark_ineligible(nomination, "  The nominee lives outside our area. ", actor=admin)
    db.session.commit()

    assert (nomination.status, nomination.moderation_reason) == (
        S.INELIGIBLE, "The nominee lives outside our area.")
    new = messages()[already:]
    assert [(m.kind, m.recipient) for m in new] == [(INELIGIBLE, NOMINATOR)]
    assert "The nominee lives outside our area." in new[0].text_body
    assert "The nominee lives outside our area." in new[0].html_body
    event = audit("nomination.status_changed", nomination)[-1]
    assert (event.from_state, event.to_state, event.actor_id) == ("submitted", "ineligible",
                                                                  admin.id)
    assert event.details == {"reference": nomination.reference,
                             "reason": "The nominee lives outside our area."}


def test_mark_ineligible_without_nominator_email_sends_nothing(entered, helper, admin, sent):
    nomination = entered()
    journey.submit_nomination(nomination, actor=helper)
    before = sent()

    mark_ineligible(nomination, "Not in the area.", actor=admin)

    assert nomination.status is S.INELIGIBLE
    assert sent() == before


def test_ineligible_can_be_reversed_to_eligible(submitted, admin):
    nomination = submitted()
    mark_ineligible(nomination, "Mistake.", actor=admin)

    mark_eligible(nomination, actor=admin)

    assert nomination.status is S.ELIGIBLE
    assert status_changes(nomination)[-2:] == [("submitted", "ineligible"),
                                               ("ineligible", "eligible")]


def test_mark_duplicate_moves_supporters_one_per_address(submitted, make_cycle, admin):
    cycle = make_cycle()
    kept, duplicate = submitted(cycle), submitted(cycle)
    invite_supporter(kept, "shared@example.com")
    shared_on_duplicate = invite_supporter(duplicate, "shared@example.com")
    only_on_duplicate = invite_supporter(duplicate, "new@example.com")
    add_statement(only_on_duplicate, name="New", relationship="Friend", statement="Kind.")
    db.session.commit()

    mark_duplicate(duplicate, kept, actor=admin)
    db.session.commit()
    db.session.expire_all()

    assert (duplicate.status, duplicate.duplicate_of_id) == (S.DUPLICATE, kept.id)
    assert sorted(s.email for s in kept.supporters) == ["new@example.com", "shared@example.com"]
    assert [s.id for s in duplicate.supporters] == [shared_on_duplicate.id]
    assert kept.statements_count == 1
    event = audit("nomination.status_changed", duplicate)[-1]
    assert (event.from_state, event.to_state, event.actor_id) == ("submitted", "duplicate",
                                                                  admin.id)
    assert event.details == {"reference": duplicate.reference, "kept": kept.reference,
                             "supporters_moved": 1}
    assert kept.status is S.SUBMITTED


def test_mark_duplicate_of_itself_or_other_cycle_refused(submitted, make_cycle, admin):
    nomination = submitted()
    elsewhere = submitted(make_cycle())

    for kept in (nomination, elsewhere):
        with pytest.raises(NominationError) as error:
            mark_duplicate(nomination, kept, actor=admin)
        assert str(error.value) == "Choose another nomination in the same cycle to keep."

    assert (nomination.status, nomination.duplicate_of_id) == (S.SUBMITTED, None)
    assert status_changes(nomination) == [("draft", "submitted")]


@pytest.mark.parametrize("closed", [S.DUPLICATE, S.SPAM, S.WITHDRAWN, S.INELIGIBLE])
def test_mark_duplicate_keeping_a_closed_one_refused(submitted, make_cycle, admin, closed):
    cycle = make_cycle()
    kept, nomination = submitted(cycle), submitted(cycle)
    invite_supporter(nomination, "friend@example.com")
    kept.status = closed
    db.session.flush()

    with pytest.raises(NominationError) as error:
        mark_duplicate(nomination, kept, actor=admin)

    assert str(error.value) == f"{kept.reference} is closed; choose an open nomination to keep."
    assert (nomination.status, nomination.duplicate_of_id) == (S.SUBMITTED, None)
    assert [s.email for s in nomination.supporters] == ["friend@example.com"]


@pytest.mark.parametrize("verified", [False, True])
def test_mark_spam_hides_without_email(make_nomination, sam, admin, sent, verified):
    nomination = make_nomination(submit=True, actor=sam if verified else None, nominator=sam)
    before = sent()

    mark_spam(nomination, actor=admin)
    db.session.commit()

    assert nomination.status is S.SPAM
    event = audit("nomination.status_changed", nomination)[-1]
    assert (event.to_state, event.actor_id) == ("spam", admin.id)
    assert sent() == before


# --- one moderation decision (the admin's form) -------------------------------------------

def test_decide_eligible_asks_the_nominee(submitted, admin, messages):
    nomination = submitted()

    decide(nomination, S.ELIGIBLE, reason="ignored", keep_reference="ignored", actor=admin)

    assert (nomination.status, nomination.moderation_reason) == (S.ELIGIBLE, None)
    assert status_changes(nomination)[-1] == ("submitted", "eligible")
    assert nomination.consent.requested_at is not None


def test_decide_ineligible_keeps_the_reason(submitted, admin):
    nomination = submitted()

    decide(nomination, S.INELIGIBLE, reason="  Outside our area. ", actor=admin)

    assert (nomination.status, nomination.moderation_reason) == (S.INELIGIBLE,
                                                                 "Outside our area.")
    event = audit("nomination.status_changed", nomination)[-1]
    assert (event.to_state, event.actor_id, event.details["reason"]) == (
        "ineligible", admin.id, "Outside our area.")


def test_decide_ineligible_without_a_reason_is_refused(submitted, admin):
    nomination = submitted()

    with pytest.raises(NominationError) as error:
        decide(nomination, S.INELIGIBLE, actor=admin)

    assert str(error.value) == "Give a reason: the nominator will read it."
    assert nomination.status is S.SUBMITTED


def test_decide_duplicate_keeps_the_nomination_of_that_reference(submitted, make_cycle,
                                                                  admin):
    cycle = make_cycle()
    kept, duplicate = submitted(cycle), submitted(cycle)

    decide(duplicate, S.DUPLICATE, keep_reference=f" {kept.reference} ", actor=admin)

    assert (duplicate.status, duplicate.duplicate_of_id) == (S.DUPLICATE, kept.id)
    event = audit("nomination.status_changed", duplicate)[-1]
    assert (event.to_state, event.actor_id, event.details["kept"]) == (
        "duplicate", admin.id, kept.reference)


@pytest.mark.parametrize("reference", ["NOPE-1", "  NOPE-1 ", None])
def test_decide_duplicate_of_an_unknown_reference_is_refused(submitted, admin, reference):
    nomination = submitted()

    with pytest.raises(NominationError) as error:
        decide(nomination, S.DUPLICATE, keep_reference=reference, actor=admin)

    assert str(error.value) == f"There is no nomination {(reference or '').strip()}."
    assert (nomination.status, nomination.duplicate_of_id) == (S.SUBMITTED, None)


def test_decide_spam_hides_it(submitted, admin):
    nomination = submitted()

    decide(nomination, S.SPAM, actor=admin)

    assert nomination.status is S.SPAM
    assert status_changes(nomination)[-1] == ("submitted", "spam")


def test_decide_takes_only_a_moderation_decision(submitted, admin):
    nomination = submitted()

    with pytest.raises(ValueError, match="not a moderation decision"):
        decide(nomination, S.WITHDRAWN, actor=admin)

    assert nomination.status is S.SUBMITTED


def eligible(submitted, cycle, consent=True, statements=0):
    """An ELIGIBLE nomination of `cycle`, optionally consented, with `statements` counting;
    each of another nominee (a person is asked once per cycle, and answers once)."""
    nomination = submitted(cycle, nominee_email=f"nominee{next(NOMINEES)}@example.com")
    mark_eligible(nomination, actor=None)
    if consent:
        save_consent(nomination, status=C.ACCEPTED)
    add_supporters(nomination, statements)
    db.session.commit()
    return nomination


NOMINEES = iter(range(1, 1_000_000))


def test_judging_readiness_lists_what_is_missing(submitted, make_cycle):
    cycle = make_cycle(min_supporters=2)
    ready = eligible(submitted, cycle, statements=2)
    no_consent = eligible(submitted, cycle, consent=False, statements=1)
    declined = eligible(submitted, cycle, consent=False, statements=3)
    save_consent(declined, status=C.DECLINED)
    no_statements = eligible(submitted, cycle, statements=0)
    unchecked = submitted(cycle)  # not yet moderated: listed as waiting
    elsewhere = eligible(submitted, make_cycle(min_supporters=0))  # another cycle

    readiness = judging_readiness(cycle)

    assert readiness.ready == [ready]
    assert {n.reference: missing for n, missing in readiness.not_ready} == {
        no_consent.reference: ["the nominee's consent", "1 more supporting statement"],
        declined.reference: ["the nominee's consent"],
        no_statements.reference: ["2 more supporting statements"],
    }
    assert [n.reference for n, _ in readiness.not_ready] == sorted(
        [no_consent.reference, declined.reference, no_statements.reference])
    assert readiness.awaiting_moderation == [unchecked]
    assert judging_readiness(elsewhere.cycle).ready == [elsewhere]


def test_start_judging_refused_while_nominating(submitted, make_cycle, admin):
    cycle = make_cycle(min_supporters=0)
    nomination = eligible(submitted, cycle)

    with pytest.raises(NominationError) as error:
        start_judging(cycle, actor=admin)

    assert str(error.value) == "Judging can start only after nominations close."
    assert nomination.status is S.ELIGIBLE


def test_start_judging_refused_before_opening(make_cycle, admin):
    with pytest.raises(NominationError, match="only after nominations close"):
        start_judging(make_cycle(Phase.UPCOMING), actor=admin)


def test_start_judging_moves_only_ready_nominations(submitted, make_cycle, admin):
    cycle = make_cycle(min_supporters=1)
    ready = eligible(submitted, cycle, statements=1)
    not_ready = eligible(submitted, cycle, consent=False, statements=1)
    unmoderated = submitted(cycle)
    close(cycle)

    readiness = start_judging(cycle, actor=admin)
    db.session.commit()

    assert readiness.ready == [ready]
    assert [(n.reference, missing) for n, missing in readiness.not_ready] == [
        (not_ready.reference, ["the nominee's consent"])]
    assert (ready.status, not_ready.status, unmoderated.status) == (
        S.IN_JUDGING, S.ELIGIBLE, S.SUBMITTED)
    event = audit("nomination.status_changed", ready)[-1]
    assert (event.from_state, event.to_state, event.actor_id) == ("eligible", "in_judging",
                                                                  admin.id)
    assert [e.to_state for e in audit("nomination.status_changed")].count("in_judging") == 1

    again = start_judging(cycle, actor=admin)

    assert (again.ready, len(again.not_ready)) == ([], 1)
    assert [e.to_state for e in audit("nomination.status_changed")].count("in_judging") == 1


def test_save_for_later_saves_the_answers_given_mails_the_link_and_says_what_is_missing(
        make_nomination, sent):
    nomination = make_nomination(how_long=None, nominator_email=NOMINATOR)
    before = nomination.what_they_do

    missing = journey.save_for_later(nomination, {"who_benefits": "Children at the club"})

    assert missing == ["how-long"]
    assert (nomination.who_benefits, nomination.what_they_do) == ("Children at the club", before)
    assert sent(NOMINATOR) == [("nominations/come_back", NOMINATOR)]


def test_save_for_later_without_an_address_sends_nothing(make_nomination, sent):
    nomination = make_nomination(nominator_email="")

    assert journey.save_for_later(nomination, {}) == ["about-you"]
    assert sent() == []
