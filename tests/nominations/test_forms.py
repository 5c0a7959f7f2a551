"""The nomination forms translate between what a browser posts and the services' arguments."""
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage

from awards.accounts.enums import Role
from awards.nominations.enums import (
    AgeBand,
    ConsentStatus,
    HowLong,
    NameDisplay,
    NominationStatus,
    NomineeKind,
    ReceivedVia,
    Recognition,
)
from awards.nominations.forms import (
    AboutYouStepForm,
    AssistedStartForm,
    ConsentForm,
    HowLongStepForm,
    JoinStatementForm,
    ModerationForm,
    NomineeStepForm,
    PhotoStepForm,
    RecordConsentForm,
    StepForm,
    WithdrawForm,
)
from awards.nominations.services import journey


@pytest.fixture
def shown(app):
    """Build a form on a GET page, inside a request."""
    with app.test_request_context(method="GET"):
        yield


def test_every_step_has_one_form_in_the_journeys_order():
    assert list(StepForm.by_step) == list(journey.STEPS)
    assert all(form.title for form in StepForm.by_step.values())


def test_nominee_step_coerces_enums_and_normalises_the_email(posted, make_nomination,
                                                             make_area):
    nomination, area = make_nomination(), make_area()
    form = posted(NomineeStepForm, {
        "nominee_kind": "group", "nominee_name": "  The  Litter Pickers ",
        "area_id": str(area.id), "age_band": "18_plus",
        "nominee_email": "  Pickers@Example.COM ", "nominee_phone": ""},
        nomination=nomination)

    assert form.validate(), form.errors
    assert form.to_arguments() == {
        "nominee_kind": NomineeKind.GROUP, "nominee_name": "The Litter Pickers",
        "area_id": area.id, "age_band": AgeBand.ADULT,
        "nominee_email": "pickers@example.com", "nominee_phone": ""}


def test_nominee_step_without_an_email_gives_none(posted, make_nomination, make_area):
    nomination, area = make_nomination(), make_area()
    form = posted(NomineeStepForm, {
        "nominee_kind": "person", "nominee_name": "Maria", "area_id": str(area.id),
        "age_band": "16_17",
        "nominee_email": "   "}, nomination=nomination)

    assert form.validate(), form.errors
    assert form.to_arguments()["nominee_email"] is None


def test_how_long_refuses_a_value_that_is_not_a_choice(posted, make_nomination):
    form = posted(HowLongStepForm, {"how_long": "forever"}, nomination=make_nomination())

    assert not form.validate()
    assert form.how_long.errors


def test_step_form_is_filled_from_the_nomination(shown, make_nomination):
    nomination = make_nomination()

    nominee = NomineeStepForm.from_nomination(nomination)
    how_long = HowLongStepForm.from_nomination(nomination)
    about_you = AboutYouStepForm.from_nomination(nomination)

    assert nominee.nominee_kind.data is NomineeKind.PERSON
    assert nominee.age_band.data is AgeBand.ADULT
    assert nominee.area_id.data == nomination.area_id
    assert how_long.how_long.data is HowLong.YEARS_1_5
    assert about_you.nominator_may_be_named.data is False
    assert [option.checked for option in about_you.nominator_may_be_named] == [False, True]


def test_about_you_before_it_is_answered_has_no_choice(shown, make_cycle):
    nomination = journey.start_nomination(make_cycle())

    form = AboutYouStepForm.from_nomination(nomination)

    assert form.nominator_may_be_named.data is None


def test_about_you_to_arguments(posted, make_nomination):
    form = posted(AboutYouStepForm, {
        "nominator_name": "Sam Smith", "nominator_email": " Sam@Example.com ",
        "nominator_relationship": "Neighbour", "nominator_may_be_named": "yes"},
        nomination=make_nomination())

    assert form.validate(), form.errors
    assert form.to_arguments() == {
        "nominator_name": "Sam Smith", "nominator_email": "sam@example.com",
        "nominator_relationship": "Neighbour", "nominator_may_be_named": True}


def test_about_you_may_answer_no(posted, make_nomination):
    form = posted(AboutYouStepForm, {
        "nominator_name": "Sam Smith", "nominator_email": "sam@example.com",
        "nominator_relationship": "Neighbour", "nominator_may_be_named": "no"},
        nomination=make_nomination())

    assert form.validate(), form.errors
    assert form.to_arguments()["nominator_may_be_named"] is False


def test_about_you_needs_an_email_unless_a_helper_entered_it(posted, make_nomination,
                                                              make_user):
    answers = {"nominator_name": "Sam Smith", "nominator_email": "",
               "nominator_relationship": "Neighbour", "nominator_may_be_named": "no"}
    online = make_nomination()
    helper = make_user(roles=[Role.HELPER])
    assisted = make_nomination(entered_by_id=helper.id)

    required = posted(AboutYouStepForm, answers, nomination=online)
    optional = posted(AboutYouStepForm, answers, nomination=assisted)
    forced = posted(AboutYouStepForm, answers, nomination=online, email_optional=True)

    assert not required.validate()
    assert required.nominator_email.errors == ["Enter your email address"]
    assert required.nominator_email.flags.required
    assert optional.validate(), optional.errors
    assert not optional.nominator_email.flags.required
    assert optional.to_arguments()["nominator_email"] == ""
    assert forced.validate(), forced.errors


def test_photo_step_to_arguments(posted, make_nomination):
    nomination = make_nomination()
    without = posted(PhotoStepForm, {"alt_text": "Maria in the garden"}, nomination=nomination)
    upload = FileStorage(BytesIO(b"bytes"), filename="maria.jpg", content_type="image/jpeg")
    with_file = posted(PhotoStepForm, {"alt_text": "", "photo": upload},
                       nomination=nomination)

    assert without.to_arguments() == {"upload": None, "alt_text": "Maria in the garden"}
    assert with_file.to_arguments()["upload"].read() == b"bytes"


def test_consent_form_coerces_and_gives_save_consents_arguments(posted):
    form = posted(ConsentForm, {
        "decision": "accepted", "name_display": "full", "publish_story": "y",
        "recognition": ["private_thanks", "grant"],
        "support_needed": "A van", "guardian_name": ""})

    assert form.validate(), form.errors
    arguments = form.to_arguments()
    assert arguments["status"] is ConsentStatus.ACCEPTED
    assert arguments["name_display"] is NameDisplay.FULL
    assert arguments["recognition"] == [Recognition.PRIVATE_THANKS, Recognition.GRANT]
    assert arguments["publish_story"] is True and arguments["publish_photo"] is False
    assert set(arguments) == {"status", "name_display", "publish_photo", "publish_story",
                              "publish_area", "in_newsletter", "recognition",
                              "support_needed", "guardian_name"}


def test_consent_without_a_name_display_keeps_the_default(posted):
    form = posted(ConsentForm, {"decision": "accepted"})

    assert form.validate(), form.errors
    assert form.to_arguments()["name_display"] is NameDisplay.FIRST_INITIAL


def test_record_consent_adds_how_it_was_given(posted):
    form = posted(RecordConsentForm, {"decision": "declined", "recorded_how": "Paper form"})

    assert form.validate(), form.errors
    assert form.to_arguments()["recorded_how"] == "Paper form"
    assert form.to_arguments()["status"] is ConsentStatus.DECLINED


def test_consent_form_is_filled_from_the_saved_answer(shown, submitted):
    consent = submitted().consent

    form = ConsentForm.from_consent(consent)

    assert form.decision.data is None  # pending: no answer yet
    assert form.name_display.data is consent.name_display


def test_assisted_start_coerces_how_it_was_received(posted, make_cycle):
    cycle = make_cycle()
    form = posted(AssistedStartForm, {"cycle_id": str(cycle.id), "received_via": "phone"})
    form.cycle_id.choices = [(cycle.id, cycle.name)]

    assert form.validate(), form.errors
    assert form.received_via.data is ReceivedVia.PHONE


def options(field):
    """A radio's (value, label) pairs, as the page offers them."""
    return [(option.data, str(option.label.text)) for option in field]


def test_the_radios_offer_the_enums_labels(posted, make_nomination, make_cycle):
    """The words come from the enums (one place, translated once), the values are stored."""
    nominee = posted(NomineeStepForm, {}, nomination=make_nomination())
    consent = posted(ConsentForm, {})
    assisted = posted(AssistedStartForm, {})

    assert options(nominee.nominee_kind) == [("person", "A person"),
                                             ("group", "A group or organisation")]
    assert options(consent.decision) == [("accepted", "Yes, I am happy to be considered"),
                                         ("declined", "No, thank you")]
    assert options(consent.name_display) == [
        ("full", "My full name"),
        ("first_initial", "My first name and the initial of my surname"),
        ("anonymous", "Do not show my name")]
    assert options(assisted.received_via) == [("paper", "On a paper form"),
                                              ("phone", "By phone"), ("in_person", "In person")]
    assert [str(member.label) for member in (ConsentStatus.PENDING, ReceivedVia.ONLINE)] == [
        "Waiting for an answer", "Online"]


def test_join_statement_to_arguments(posted):
    form = posted(JoinStatementForm, {"email": "kim@example.com", "name": " Kim ",
                                      "relationship": "Friend", "statement": "Kind."})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"email": "kim@example.com", "name": "Kim",
                                   "relationship": "Friend", "statement": "Kind."}


def test_withdraw_reason_is_never_none(posted):
    assert posted(WithdrawForm, {}).to_arguments() == {"reason": ""}


@pytest.mark.parametrize(("data", "arguments"), [
    ({"decision": "eligible", "reason": "", "duplicate_of": ""},
     {"decision": NominationStatus.ELIGIBLE}),
    ({"decision": "ineligible", "reason": "Outside the area", "duplicate_of": "BCA-9"},
     {"decision": NominationStatus.INELIGIBLE, "reason": "Outside the area"}),
    ({"decision": "duplicate", "duplicate_of": "bca-123", "reason": "Same person"},
     {"decision": NominationStatus.DUPLICATE, "keep_reference": "bca-123"}),
    ({"decision": "spam"}, {"decision": NominationStatus.SPAM}),
])
def test_moderation_form_gives_decides_arguments(posted, data, arguments):
    form = posted(ModerationForm, data)

    assert form.validate(), form.errors
    assert form.to_arguments() == arguments


@pytest.mark.parametrize(("data", "field", "message"), [
    ({}, "decision", "Choose a decision"),
    ({"decision": "withdrawn"}, "decision", "Not a valid choice."),
    ({"decision": "ineligible", "reason": "  "}, "reason",
     "Give a reason: the nominator will read it"),
    ({"decision": "duplicate"}, "duplicate_of", "Enter the reference of the nomination to keep"),
])
def test_moderation_form_refuses_what_the_decision_needs(posted, data, field, message):
    form = posted(ModerationForm, data)

    assert not form.validate()
    assert form[field].errors == [message]
