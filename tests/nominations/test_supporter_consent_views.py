"""Supporter and consent pages through the test client: invitations, statements, consent."""
import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from awards.core.links import make_link_token
from awards.extensions import db
from awards.nominations.enums import AgeBand, ConsentStatus, NameDisplay, NominationStatus
from awards.nominations.models import Consent, Supporter
from awards.nominations.services import supporters
from awards.nominations.services.moderation import mark_eligible
from tests.conftest import field_error, link_in, path_of, summary_error
from tests.nominations.conftest import (
    audit,
    count,
    grant,
    page,
    reload,
)

# Strings that must never leak to the pages that are not meant to show them.
NOMINATOR_NAME = "Zebedee Nominatorson"
NOMINATOR_EMAIL = "zebedee.marker@example.com"
OTHER_STATEMENT = "OTHER-SUPPORTER-SECRET-WORDS"
SECRET_STATEMENT = "SUPPORTER-PRIVATE-STATEMENT-MARKER"


@pytest.fixture
def sent_nomination(submitted):
    """Factory: a nomination sent and confirmed by its (anonymous) nominator."""

    def factory(**fields):
        return submitted(**{"nominator_name": NOMINATOR_NAME,
                            "nominator_email": NOMINATOR_EMAIL, **fields})

    return factory


def all_supporters():
    db.session.expire_all()
    return db.session.scalars(select(Supporter).order_by(Supporter.id)).all()


def invited(nomination, email, statement=None, name="Pat Supporter"):
    """A supporter invited by e-mail, who has sent `statement` if given."""
    supporter = supporters.invite_supporter(nomination, email)
    if statement is not None:
        supporters.add_statement(supporter, name=name, relationship="Neighbour",
                                 statement=statement)
    db.session.commit()
    return supporter


def statement_path(supporter):
    return f"/support/{make_link_token('supporter', supporter.id)}"


def consent_path(nomination):
    return f"/consent/{make_link_token('nominee', nomination.id)}"


# --- inviting supporters from the status page ------------------------------------------------

def test_status_page_shows_the_invite_form_and_share_link(client, sent_nomination):
    nomination = sent_nomination()
    grant(client, nomination)

    text = page(client.get(f"/nomination/{nomination.reference}"))

    assert f'action="/nomination/{nomination.reference}/supporters"' in text
    assert '<label class="label" for="email">Supporter\'s email address</label>' in text
    token = make_link_token("supporter-invite", nomination.id)
    assert re.search(rf'<code>https?://[^<]+/support/join/{re.escape(token)}</code>', text)
    assert "0 of the 1 needed" in text


def test_invite_with_a_bad_email_shows_the_error_and_keeps_the_text(
        client, sent_nomination, outbox):
    nomination = sent_nomination()
    grant(client, nomination)
    before = len(outbox())

    response = client.post(f"/nomination/{nomination.reference}/supporters",
                           data={"email": "pat<at>example & co"})

    text = page(response)
    message = "Enter an email address in the correct format, like name@example.com"
    assert response.status_code == 400
    assert summary_error("email", message) in text
    assert field_error("email", message) in text
    assert f'value="{escape("pat<at>example & co")}"' in text
    assert "pat<at>" not in text
    assert all_supporters() == []
    assert len(outbox()) == before


def test_invite_with_the_nominators_own_email_is_refused(client, sent_nomination, outbox):
    nomination = sent_nomination()
    grant(client, nomination)
    before = len(outbox())

    response = client.post(f"/nomination/{nomination.reference}/supporters",
                           data={"email": NOMINATOR_EMAIL.upper()})

    message = "A supporter must be someone other than you or the nominee."
    assert response.status_code == 400
    assert field_error("email", message) in page(response)
    assert all_supporters() == []
    assert len(outbox()) == before


def test_invite_emails_the_supporter_naming_the_nominator_but_not_their_address(
        client, sent_nomination, outbox):
    nomination = sent_nomination()
    grant(client, nomination)
    before = len(outbox())

    response = client.post(f"/nomination/{nomination.reference}/supporters",
                           data={"email": "Pat@Example.com"}, follow_redirects=True)

    assert "We have emailed Pat@Example.com an invitation." in page(response)
    [supporter] = all_supporters()
    assert (supporter.email, supporter.invited_by_nominator) == ("pat@example.com", True)
    assert supporter.confirmed_at is None and supporter.responded_at is None
    [message] = outbox()[before:]
    assert (message.kind, message.recipient) == (
        "nominations/supporter_invitation", "pat@example.com")
    assert message.subject == (
        f"{NOMINATOR_NAME} asked you to support their nomination of Maria Lopez")
    assert NOMINATOR_NAME in message.text_body and NOMINATOR_NAME in message.html_body
    assert NOMINATOR_EMAIL not in message.text_body and NOMINATOR_EMAIL not in message.html_body
    assert path_of(link_in(message, "/support/")) == statement_path(supporter)
    [event] = audit("supporter.invited")
    assert event.object_id == supporter.id
    assert "pat@example.com – invited" in page(response)


# --- the supporter's statement ---------------------------------------------------------------

def test_supporter_page_names_the_nominee_but_never_the_nominator_or_other_statements(
        other_client, sent_nomination):
    nomination = sent_nomination(nominator_may_be_named=True)
    invited(nomination, "other@example.com", statement=OTHER_STATEMENT, name="Olive Other")
    supporter = invited(nomination, "pat@example.com")

    response = other_client.get(statement_path(supporter))

    text = page(response)
    assert response.status_code == 200
    assert "<h1>Support the nomination of Maria Lopez</h1>" in text
    assert "It is not shown to the person who nominated them" in text
    for marker in (NOMINATOR_NAME, NOMINATOR_EMAIL, OTHER_STATEMENT, "Olive Other",
                   "other@example.com"):
        assert marker not in text


def test_supporter_statement_is_saved(other_client, sent_nomination):
    nomination = sent_nomination()
    supporter = invited(nomination, "pat@example.com")

    response = other_client.post(statement_path(supporter), data={
        "name": "Pat Jones", "relationship": "I go to the lunch club",
        "statement": "She made me feel welcome."})

    assert response.status_code == 200
    assert "Thank you for your support" in page(response)
    saved = reload(supporter)
    assert (saved.name, saved.relationship_to_nominee, saved.statement) == (
        "Pat Jones", "I go to the lunch club", "She made me feel welcome.")
    assert saved.confirmed_at is not None and saved.responded_at is not None
    assert saved.counts is True
    assert reload(nomination).statements_count == 1
    [event] = audit("supporter.statement_sent")
    assert (event.from_state, event.to_state) == ("invited", "responded")

    # The link opens the statement again, to edit it.
    again = page(other_client.get(statement_path(supporter)))
    assert "She made me feel welcome." in again


def test_supporter_statement_with_missing_answers_shows_errors_and_keeps_the_text(
        other_client, sent_nomination):
    nomination = sent_nomination()
    supporter = invited(nomination, "pat@example.com")

    response = other_client.post(statement_path(supporter), data={
        "name": "Pat <Jones>", "relationship": "", "statement": "Kind & <generous>"})

    text = page(response)
    assert response.status_code == 200
    assert summary_error("relationship", "Tell us how you know them") in text
    assert field_error("relationship", "Tell us how you know them") in text
    assert 'value="Pat &lt;Jones&gt;"' in text
    assert "Kind &amp; &lt;generous&gt;</textarea>" in text
    saved = reload(supporter)
    assert saved.responded_at is None and saved.statement == ""


def test_status_page_shows_who_responded_but_not_what_they_wrote(
        client, other_client, sent_nomination):
    nomination = sent_nomination()
    supporter = invited(nomination, "pat@example.com")
    invited(nomination, "quiet@example.com")
    other_client.post(statement_path(supporter), data={
        "name": "Pat Jones", "relationship": "Neighbour", "statement": SECRET_STATEMENT})
    grant(client, nomination)

    text = page(client.get(f"/nomination/{nomination.reference}"))

    assert "Pat Jones – has sent a statement" in text
    assert "quiet@example.com – invited" in text
    assert "1 of the 1 needed" in text
    assert SECRET_STATEMENT not in text


def test_bad_supporter_link_is_404(other_client, sent_nomination):
    nomination = sent_nomination()
    supporter = invited(nomination, "pat@example.com")

    for token in (make_link_token("supporter", supporter.id)[:-3] + "xyz",
                  make_link_token("nominator", supporter.id),
                  make_link_token("supporter", 999_999)):
        assert other_client.get(f"/support/{token}").status_code == 404
        assert other_client.post(f"/support/{token}/confirm").status_code == 404


# --- the shared join link --------------------------------------------------------------------

def test_join_link_statement_counts_only_after_the_email_is_confirmed(
        client, other_client, sent_nomination, outbox):
    nomination = sent_nomination()
    join = f"/support/join/{make_link_token('supporter-invite', nomination.id)}"
    before = len(outbox())

    form = page(other_client.get(join))
    assert '<label class="label" for="email">Your email address</label>' in form
    assert "<h1>Support the nomination of Maria Lopez</h1>" in form
    assert NOMINATOR_NAME not in form and NOMINATOR_EMAIL not in form

    response = other_client.post(join, data={
        "email": "Joiner@Example.com", "name": "Jo Joiner", "relationship": "Friend",
        "statement": "Always there for us.", "website": ""})

    text = page(response)
    assert "<h1>Check your email</h1>" in text
    assert "We have sent a link to joiner@example.com." in text
    [supporter] = all_supporters()
    assert (supporter.email, supporter.name, supporter.invited_by_nominator) == (
        "joiner@example.com", "Jo Joiner", False)
    assert supporter.responded_at is not None and supporter.confirmed_at is None
    assert reload(nomination).statements_count == 0
    [message] = outbox()[before:]
    assert (message.kind, message.recipient) == ("nominations/supporter_confirm",
                                                 "joiner@example.com")
    confirm = path_of(link_in(message, "/confirm"))
    assert confirm == f"/support/{make_link_token('supporter', supporter.id)}/confirm"

    shown = other_client.get(confirm)
    assert "Confirm my email address" in page(shown)
    assert reload(supporter).confirmed_at is None

    done = other_client.post(confirm)

    assert "Thank you for your support" in page(done)
    assert reload(supporter).confirmed_at is not None
    assert reload(nomination).statements_count == 1
    [event] = audit("supporter.confirmed")
    assert (event.from_state, event.to_state) == ("unconfirmed", "confirmed")
    grant(client, nomination)
    status = page(client.get(f"/nomination/{nomination.reference}"))
    assert "Jo Joiner – has sent a statement" in status
    assert "1 of the 1 needed" in status
    assert "Always there for us." not in status


def test_join_link_never_takes_over_an_invited_supporters_address(
        client, other_client, app, sent_nomination, outbox):
    """Regression: anyone with the shared link could join under an invited supporter's
    address before they answered; the impostor's statement then pre-filled the real
    supporter's form and the nominator's page showed the impostor's name."""
    nomination = sent_nomination()
    ivy = invited(nomination, "ivy@example.com")
    join = f"/support/join/{make_link_token('supporter-invite', nomination.id)}"
    before = len(outbox())

    impostor = other_client.post(join, data={
        "email": "IVY@example.com", "name": "Mallory Impostor", "relationship": "Friend",
        "statement": "IMPOSTOR-STATEMENT", "website": ""})

    # The impostor sees what anyone joining sees; nothing tells them Ivy was invited.
    text = page(impostor)
    assert "<h1>Check your email</h1>" in text
    assert "We have sent a link to ivy@example.com." in text
    [row] = all_supporters()
    assert row.id == ivy.id
    assert (row.name, row.statement, row.relationship_to_nominee) == ("", "", "")
    assert row.responded_at is None and row.confirmed_at is None
    assert row.invited_by_nominator is True
    # Ivy is sent her own invitation again (her personal link), nothing else.
    [message] = outbox()[before:]
    assert (message.kind, message.recipient) == ("nominations/supporter_invitation",
                                                 "ivy@example.com")
    assert path_of(link_in(message, "/support/")) == statement_path(ivy)
    assert "IMPOSTOR" not in message.text_body and "Mallory" not in message.text_body
    [event] = audit("supporter.join_refused")
    assert event.object_id == ivy.id
    # Ivy's own form is empty; the nominator's page shows no impostor.
    own = page(app.test_client().get(statement_path(ivy)))
    assert "IMPOSTOR-STATEMENT" not in own and "Mallory" not in own
    grant(client, nomination)
    status = page(client.get(f"/nomination/{nomination.reference}"))
    assert "Mallory" not in status
    assert "ivy@example.com – invited" in status
    assert reload(nomination).statements_count == 0


def test_join_link_with_a_bad_email_shows_the_error_and_keeps_the_text(
        other_client, sent_nomination, outbox):
    nomination = sent_nomination()
    join = f"/support/join/{make_link_token('supporter-invite', nomination.id)}"
    before = len(outbox())

    response = other_client.post(join, data={
        "email": "jo<at>example", "name": "Jo", "relationship": "Friend",
        "statement": "Kind & <generous>"})

    text = page(response)
    message = "Enter an email address in the correct format, like name@example.com"
    assert field_error("email", message) in text
    assert 'value="jo&lt;at&gt;example"' in text
    assert "Kind &amp; &lt;generous&gt;</textarea>" in text
    assert all_supporters() == []
    assert len(outbox()) == before


def test_join_link_with_the_honeypot_filled_adds_nobody(other_client, sent_nomination, outbox):
    nomination = sent_nomination()
    join = f"/support/join/{make_link_token('supporter-invite', nomination.id)}"
    before = len(outbox())

    response = other_client.post(join, data={
        "email": "bot@example.com", "name": "Bot", "relationship": "Bot",
        "statement": "Buy now", "website": "http://spam.example"})

    assert summary_error("website", "Please leave this field empty.") in page(response)
    assert all_supporters() == []
    assert len(outbox()) == before


def test_join_link_of_another_purpose_is_404(other_client, sent_nomination):
    nomination = sent_nomination()

    assert other_client.get(
        f"/support/join/{make_link_token('nominator', nomination.id)}").status_code == 404


# --- the nominee's consent page --------------------------------------------------------------

def test_consent_link_comes_in_the_nominee_invitation(sent_nomination, outbox):
    nomination = sent_nomination()
    assert outbox("maria@example.com") == []  # not before the nomination is checked
    mark_eligible(nomination, actor=None)
    db.session.commit()

    [message] = outbox("maria@example.com")

    assert message.kind == "nominations/nominee_invitation"
    assert path_of(link_in(message, "/consent/")) == consent_path(nomination)


@pytest.mark.parametrize("may_be_named", [True, False], ids=["named", "not-named"])
def test_consent_page_shows_what_was_said_and_names_the_nominator_only_if_agreed(
        other_client, sent_nomination, may_be_named):
    nomination = sent_nomination(nominator_may_be_named=may_be_named,
                                 difference_made="They are less lonely & <happier>.")
    invited(nomination, "pat@example.com", statement=SECRET_STATEMENT)

    response = other_client.get(consent_path(nomination))

    text = page(response)
    assert response.status_code == 200
    assert "You have been nominated for an award" in text
    assert "Runs the Tuesday lunch club." in text
    assert "Older neighbours who live alone." in text
    assert "They are less lonely &amp; &lt;happier&gt;." in text
    if may_be_named:
        assert (f"{NOMINATOR_NAME} has nominated you for the Good Neighbour award"
                in text)
    else:
        assert "Someone in the community has nominated you for the Good Neighbour award" in text
        assert NOMINATOR_NAME not in text
    assert NOMINATOR_EMAIL not in text
    assert SECRET_STATEMENT not in text
    assert "Pat Supporter" not in text


def test_consent_page_for_a_child_addresses_the_guardian(other_client, sent_nomination):
    nomination = sent_nomination(age_band=AgeBand.UNDER_16)

    text = page(other_client.get(consent_path(nomination)))

    assert "<h1>Maria Lopez has been nominated for an award</h1>" in text
    assert 'name="guardian_name"' in text


def test_consent_accept_with_choices_saves_them(other_client, sent_nomination):
    nomination = sent_nomination()

    response = other_client.post(consent_path(nomination), data={
        "decision": "accepted", "name_display": "full", "publish_story": "y",
        "publish_area": "y", "recognition": ["private_thanks", "grant"],
        "support_needed": "A bigger van"})

    assert path_of(response.headers["Location"]) == consent_path(nomination)
    consent = reload(nomination).consent
    assert consent.status is ConsentStatus.ACCEPTED
    assert consent.name_display is NameDisplay.FULL
    assert (consent.publish_story, consent.publish_area, consent.publish_photo,
            consent.in_newsletter) == (True, True, False, False)
    assert consent.recognition == ["grant", "private_thanks"]
    assert consent.support_needed == "A bigger van"
    assert consent.answered_at is not None and consent.recorded_by_id is None
    [event] = audit("consent.changed")
    assert (event.from_state, event.to_state) == ("pending", "accepted")
    assert event.details["publication"]["name_display"] == "full"
    shown = page(other_client.get(consent_path(nomination)))
    assert "You have said yes. Thank you!" in shown
    assert re.search(r'<input checked [^>]*id="name_display-0"', shown)
    assert "Withdraw from the awards" in shown


def test_consent_decline_saves_no_and_clears_publication(other_client, sent_nomination):
    nomination = sent_nomination()

    other_client.post(consent_path(nomination), data={
        "decision": "declined", "name_display": "full", "publish_story": "y"})

    consent = reload(nomination).consent
    assert consent.status is ConsentStatus.DECLINED
    assert consent.name_display is NameDisplay.ANONYMOUS
    assert consent.publish_story is False
    [event] = audit("consent.changed")
    assert (event.from_state, event.to_state) == ("pending", "declined")
    shown = page(other_client.get(consent_path(nomination)))
    assert "You have said no, thank you. Nothing about you will be published." in shown
    assert "Withdraw from the awards" not in shown


def test_consent_can_be_changed_later_from_the_same_link(other_client, app, sent_nomination):
    nomination = sent_nomination()
    link = consent_path(nomination)
    other_client.post(link, data={"decision": "declined"})

    later = app.test_client()  # days later, another device: the same link still works
    response = later.post(link, data={"decision": "accepted", "name_display": "anonymous",
                                      "in_newsletter": "y"})

    assert response.status_code == 302
    consent = reload(nomination).consent
    assert consent.status is ConsentStatus.ACCEPTED
    assert consent.name_display is NameDisplay.ANONYMOUS
    assert consent.in_newsletter is True
    assert [(e.from_state, e.to_state) for e in audit("consent.changed")] == [
        ("pending", "declined"), ("declined", "accepted")]


def test_consent_without_a_decision_shows_the_error_and_saves_nothing(
        other_client, sent_nomination):
    nomination = sent_nomination()

    response = other_client.post(consent_path(nomination), data={
        "support_needed": "Help with <printing> & posters"})

    text = page(response)
    assert response.status_code == 200
    assert summary_error("decision", "Choose yes or no") in text
    assert field_error("decision", "Choose yes or no") in text
    assert "Help with &lt;printing&gt; &amp; posters</textarea>" in text
    consent = reload(nomination).consent
    assert consent.status is ConsentStatus.PENDING
    assert consent.support_needed == ""
    assert audit("consent.changed") == []


def test_consent_withdraw_button_withdraws_at_once(other_client, sent_nomination):
    nomination = sent_nomination()
    link = consent_path(nomination)
    other_client.post(link, data={"decision": "accepted", "name_display": "full",
                                  "publish_story": "y", "publish_photo": "y"})

    response = other_client.post(f"{link}/withdraw", follow_redirects=True)

    consent = reload(nomination).consent
    assert consent.status is ConsentStatus.WITHDRAWN
    assert (consent.publish_story, consent.publish_photo) == (False, False)
    assert consent.name_display is NameDisplay.ANONYMOUS
    assert [(e.from_state, e.to_state) for e in audit("consent.changed")] == [
        ("pending", "accepted"), ("accepted", "withdrawn")]
    text = page(response)
    assert "You have withdrawn. Nothing about you will be published." in text
    assert reload(nomination).nominee_consented is False


def test_consent_withdraw_before_saying_yes_changes_nothing(other_client, sent_nomination):
    nomination = sent_nomination()

    other_client.post(f"{consent_path(nomination)}/withdraw")

    assert reload(nomination).consent.status is ConsentStatus.PENDING
    assert audit("consent.changed") == []


@pytest.mark.parametrize("purpose", ["nominator", "supporter", "supporter-invite", "tampered"])
def test_consent_page_with_another_kind_of_token_is_404(other_client, sent_nomination, purpose):
    nomination = sent_nomination()
    supporter = invited(nomination, "pat@example.com")
    token = {
        "nominator": make_link_token("nominator", nomination.id),
        "supporter": make_link_token("supporter", supporter.id),
        "supporter-invite": make_link_token("supporter-invite", nomination.id),
        "tampered": make_link_token("nominee", nomination.id)[:-3] + "abc",
    }[purpose]

    assert other_client.get(f"/consent/{token}").status_code == 404
    assert other_client.post(f"/consent/{token}", data={"decision": "declined"}).status_code == 404
    assert other_client.post(f"/consent/{token}/withdraw").status_code == 404
    assert reload(nomination).consent.status is ConsentStatus.PENDING


def test_consent_page_before_the_nomination_is_confirmed_is_404(other_client, make_nomination):
    nomination = make_nomination(submit=True)  # awaiting the nominator's confirmation
    assert count(Consent) == 0

    assert other_client.get(consent_path(nomination)).status_code == 404
    assert reload(nomination).status is NominationStatus.AWAITING_CONFIRMATION
