"""Nominees are contacted only when it is right to: the consent request goes after the
nomination is checked (moderation, or the scheme's automatic check), never for spam, and
once per person per cycle; a nominee who said yes and never reached judging is thanked."""
import pytest
from sqlalchemy import select

from awards.accounts.enums import Role
from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus, Phase
from awards.nominations.services import journey
from awards.nominations.services.consent import save_consent, withdraw_consent
from awards.nominations.services.moderation import (
    mark_duplicate,
    mark_eligible,
    mark_ineligible,
    mark_spam,
    start_judging,
)
from tests.nominations.conftest import cycle_dates, grant, page

S, C = NominationStatus, ConsentStatus
NOMINATOR, NOMINEE = "sam@example.com", "maria@example.com"
RECEIPT, INVITE = "nominations/receipt", "nominations/nominee_invitation"
THANKS = "nominations/nominee_thanks"


@pytest.fixture
def admin(make_user):
    return make_user(name="Ada Admin", email="ada@example.com", roles=[Role.ADMIN])


@pytest.fixture
def submitted(make_nomination, sam):
    def factory(cycle=None, **fields):
        nomination = make_nomination(cycle, submit=True, actor=sam, nominator=sam, **fields)
        assert nomination.status is S.SUBMITTED
        return nomination
    return factory


@pytest.fixture
def automatic(app):
    app.config["CONSENT_REQUEST_AFTER"] = "automatic_check"
    yield
    app.config["CONSENT_REQUEST_AFTER"] = "moderation"


def audit(action):
    db.session.flush()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


def close(cycle, phase=Phase.JUDGING):
    for field, day in cycle_dates(phase).items():
        setattr(cycle, field, day)
    db.session.flush()


# --- the consent request ---------------------------------------------------------------------

def test_submission_sends_only_the_receipt_not_the_consent_request(submitted, sent):
    nomination = submitted()

    assert sent() == [(RECEIPT, NOMINATOR)]
    assert nomination.consent.status is C.PENDING
    assert nomination.consent.requested_at is None


def test_confirming_the_nominator_email_does_not_contact_the_nominee(make_nomination, sent):
    nomination = make_nomination(submit=True)

    journey.confirm_nominator_email(nomination)

    assert sent() == [("nominations/confirm_nomination", NOMINATOR), (RECEIPT, NOMINATOR)]


def test_mark_eligible_sends_the_consent_request(submitted, admin, messages, sent):
    nomination = submitted()

    mark_eligible(nomination, actor=admin)
    db.session.commit()

    assert sent() == [(RECEIPT, NOMINATOR), (INVITE, NOMINEE)]
    [invitation] = messages(NOMINEE)
    assert invitation.subject == "You have been nominated for a Big Citizen award"
    assert nomination.consent.requested_at is not None
    [event] = audit("consent.requested")
    assert (event.object_id, event.actor_id) == (nomination.id, admin.id)
    assert event.details == {"reference": nomination.reference}


def test_spam_ineligible_and_duplicate_never_reach_the_nominee(submitted, make_cycle, admin,
                                                                 sent):
    cycle = make_cycle()
    kept = submitted(cycle, nominee_email="kept@example.com")
    spam, ineligible, duplicate = submitted(cycle), submitted(cycle), submitted(cycle)

    mark_spam(spam, actor=admin)
    mark_ineligible(ineligible, "Outside the area.", actor=admin)
    mark_duplicate(duplicate, kept, actor=admin)

    assert sent(NOMINEE) == []


def test_one_consent_request_per_person_per_cycle(submitted, make_cycle, admin, sent):
    cycle = make_cycle()
    first = submitted(cycle)
    second = submitted(cycle, nominee_email="  Maria@Example.COM ")
    elsewhere = submitted(make_cycle())

    mark_eligible(first, actor=admin)
    mark_eligible(second, actor=admin)
    mark_eligible(elsewhere, actor=admin)
    db.session.commit()

    assert [kind for kind, _ in sent(NOMINEE)] == [INVITE, INVITE]  # one per cycle
    assert [e.object_id for e in audit("consent.requested")] == [first.id, elsewhere.id]
    assert second.consent.asked_with_id == first.consent.id
    assert second.consent.requested_at is None

    # The nominee answers through the one link they have: the answer counts for both.
    save_consent(first, status=C.ACCEPTED, publish_story=True)
    assert (second.consent.status, second.consent.publish_story) == (C.ACCEPTED, True)
    assert elsewhere.consent.status is C.PENDING
    withdraw_consent(first)
    assert second.consent.status is C.WITHDRAWN


def test_a_later_eligible_duplicate_uses_the_answer_already_given(submitted, make_cycle,
                                                                   admin, sent):
    cycle = make_cycle()
    first = submitted(cycle)
    mark_eligible(first, actor=admin)
    save_consent(first, status=C.ACCEPTED, publish_area=True)
    second = submitted(cycle)

    mark_eligible(second, actor=admin)

    assert [kind for kind, _ in sent(NOMINEE)] == [INVITE]
    assert (second.consent.status, second.consent.publish_area) == (C.ACCEPTED, True)
    assert second.nominee_consented


def test_consent_recorded_on_paper_first_means_no_request(entered, helper, admin, sent):
    nomination = entered()
    journey.submit_nomination(nomination, actor=helper)
    save_consent(nomination, status=C.ACCEPTED, recorded_by=helper,
                 recorded_how="Signed paper form")

    mark_eligible(nomination, actor=admin)

    assert sent(NOMINEE) == []


def test_reversing_ineligible_asks_once(submitted, admin, sent):
    nomination = submitted()
    mark_eligible(nomination, actor=admin)
    mark_ineligible(nomination, "Mistake.", actor=admin)

    mark_eligible(nomination, actor=admin)

    assert sent(NOMINEE) == [(INVITE, NOMINEE)]


# --- the automatic check ---------------------------------------------------------------------

def test_automatic_check_asks_at_submission_and_not_again(automatic, submitted, admin, sent):
    nomination = submitted()

    assert sent() == [(INVITE, NOMINEE), (RECEIPT, NOMINATOR)]
    mark_eligible(nomination, actor=admin)
    assert sent(NOMINEE) == [(INVITE, NOMINEE)]


def test_automatic_check_holds_back_a_possible_duplicate(automatic, submitted, make_cycle,
                                                         admin, sent):
    cycle = make_cycle()
    first = submitted(cycle)
    second = submitted(cycle, nominee_email="MARIA@example.com")

    assert sent(NOMINEE) == [(INVITE, NOMINEE)]
    assert second.consent.requested_at is None
    mark_duplicate(second, first, actor=admin)
    assert sent(NOMINEE) == [(INVITE, NOMINEE)]


def test_automatic_check_holds_back_obvious_spam(automatic, submitted, admin, sent):
    nomination = submitted(what_they_do="Cheap loans at https://spam.example now")

    assert sent(NOMINEE) == []
    mark_spam(nomination, actor=admin)
    assert sent(NOMINEE) == []


def test_the_setting_refuses_an_unknown_value(build_app):
    with pytest.raises(RuntimeError, match="CONSENT_REQUEST_AFTER"):
        build_app(CONSENT_REQUEST_AFTER="submission")


# --- kind outcomes -----------------------------------------------------------------------------

def test_a_consented_nominee_found_ineligible_is_thanked_once(submitted, admin, messages):
    nomination = submitted()
    mark_eligible(nomination, actor=admin)
    save_consent(nomination, status=C.ACCEPTED)

    mark_ineligible(nomination, "Lives outside the area.", actor=admin)
    mark_eligible(nomination, actor=admin)
    mark_ineligible(nomination, "Lives outside the area.", actor=admin)

    [thanks] = [m for m in messages(NOMINEE) if m.kind == THANKS]
    assert thanks.subject == "Thank you for all you do"
    assert "Hello Maria Lopez," in thanks.text_body
    assert ("Someone in your community cared enough to nominate you for the Good Neighbour "
            "award") in thanks.text_body
    assert "Lives outside the area." not in thanks.text_body + thanks.html_body
    assert "Thank you for agreeing to take part" in thanks.html_body
    assert nomination.consent.thanked_at is not None


def test_a_nominee_who_did_not_say_yes_is_not_thanked(submitted, admin, sent):
    nomination = submitted()
    mark_eligible(nomination, actor=admin)

    mark_ineligible(nomination, "Lives outside the area.", actor=admin)

    assert sent(NOMINEE) == [(INVITE, NOMINEE)]


def test_consented_nominees_left_out_of_judging_are_thanked(submitted, make_cycle, admin,
                                                             messages):
    cycle = make_cycle(min_supporters=1)
    left_out = submitted(cycle, nominee_email="left@example.com")
    mark_eligible(left_out, actor=admin)
    save_consent(left_out, status=C.ACCEPTED)
    close(cycle)

    start_judging(cycle, actor=admin)
    start_judging(cycle, actor=admin)  # twice: still one thank-you

    assert [m.kind for m in messages("left@example.com")] == [INVITE, THANKS]


# --- what the nominator reads ----------------------------------------------------------------

CHECK_FIRST = ("We check every nomination first. Only after that check do we contact "
               "Maria Lopez to ask whether they would like to take part.")


def test_sent_page_says_the_nominee_is_contacted_only_after_the_check(client, submitted):
    nomination = submitted()
    grant(client, nomination)

    text = page(client.get(f"/nomination/{nomination.reference}/sent"))

    assert f"<li>{CHECK_FIRST}</li>" in text
    assert "We ask Maria Lopez whether" not in text


def test_status_page_says_what_happens_next(client, submitted, admin):
    nomination = submitted()
    grant(client, nomination)

    assert f"<p>{CHECK_FIRST}</p>" in page(client.get(f"/nomination/{nomination.reference}"))

    mark_eligible(nomination, actor=admin)
    db.session.commit()
    text = page(client.get(f"/nomination/{nomination.reference}"))
    assert CHECK_FIRST not in text
    assert ("<p>We have checked your nomination and asked Maria Lopez whether they would like "
            "to take part.</p>") in text
