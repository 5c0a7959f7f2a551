"""The judging e-mails, rendered with real objects through the services that send them: their
subjects and what they say, both formats, and nothing private (the rationale) in any of them."""
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from awards.extensions import db
from awards.nominations.enums import Phase
from awards.nominations.models import today
from awards.nominations.services.consent import withdraw_consent
from awards.panels.enums import Outcome
from awards.panels.services import deliberation, membership
from awards.panels.services.publication import publish_cycle
from awards.panels.services.reminders import send_reminders
from awards.public.models import PublicAward
from tests.conftest import link_in, path_of
from tests.nominations.conftest import move_to

KINDS = ["invitation", "reminder", "winner", "commended", "thank_you", "outcome"]
RATIONALE = "PRIVATE-RATIONALE-7Q"
FEEDBACK = "The supporting statements were moving; do tell us more next year."


def one(messages, kind, recipient):
    """The single outbox message of `kind` to `recipient`."""
    found = [m for m in messages if m.kind == f"panels/{kind}" and m.recipient == recipient]
    assert len(found) == 1, [(m.kind, m.recipient) for m in messages]
    return found[0]


def everything(message):
    """Subject, text and HTML of a message, to search for what must never appear."""
    return "\n".join([message.subject, message.text_body, message.html_body])


@pytest.mark.parametrize("kind", KINDS)
def test_email_templates_have_text_and_html(app, kind):
    folder = Path(app.template_folder) / "email" / "panels"
    assert (folder / f"{kind}.html").is_file()
    text = (folder / f"{kind}.txt").read_text()
    assert text.startswith("Subject: ")


# --- invitation ------------------------------------------------------------------------------

def test_invitation_new_account_links_to_choose_a_password(judging, outbox):
    j = judging(2, 1)
    member = membership.invite_member(j.panel, "Nia Newcomer", "nia@example.com", actor=j.admin)
    db.session.commit()
    message = one(outbox(), "invitation", "nia@example.com")
    day = j.cycle.judging_ends.strftime("%-d %B %Y")
    assert message.subject == f"You are invited to join the Main panel for the {j.cycle.name}"
    text = message.text_body
    assert text.startswith("Hello Nia Newcomer,")
    assert f"judge the nominations for the {j.cycle.name}" in text
    assert "conflict of interest" in text
    assert "rubric" in text
    assert f"Submit your scores by {day}, when judging ends." in text
    assert "Choose a password here to start (the link works once, for 7 days):" in text
    assert "chair" not in text.split("What judging involves")[0]
    link = link_in(message, "/account/reset/")
    assert link in message.html_body
    assert "Choose a password" in message.html_body
    assert "7 days" in message.html_body
    assert member.user.email == "nia@example.com"


def test_invitation_existing_account_links_to_the_dashboard(judging, outbox):
    j = judging(2, 2)
    chair, member = j.members
    chair_text = one(outbox(), "invitation", chair.user.email).text_body
    member_message = one(outbox(), "invitation", member.user.email)
    text = member_message.text_body
    assert text.startswith(f"Hello {member.user.name},")
    assert "Sign in with your existing account to see your judging dashboard:" in text
    assert "password" not in text
    assert path_of(link_in(member_message, "/panel")) == "/panel"
    assert "Go to my judging dashboard" in member_message.html_body
    assert "You are also the panel's chair" in chair_text
    assert "You are also the panel's chair" not in text
    assert "You are also the panel's chair" in one(outbox(), "invitation",
                                                   chair.user.email).html_body


def test_invitation_to_a_blind_panel_mentions_area_and_category(judging, outbox):
    j = judging(1, 1, blind=True)
    text = one(outbox(), "invitation", j.chair.user.email).text_body
    assert "you will see its area and category" in text
    assert "who it is about" not in text


# --- reminder --------------------------------------------------------------------------------

def test_reminder_says_how_many_are_left_and_when_judging_ends(judging, review, outbox):
    j = judging(3, 2)
    review(j.members[1], j.nominations[0])
    review(j.members[1], j.nominations[1])
    j.cycle.judging_ends = today() + timedelta(days=2)
    db.session.commit()
    assert send_reminders() == 2
    db.session.commit()
    day = j.cycle.judging_ends.strftime("%-d %B %Y")
    chair = one(outbox(), "reminder", j.chair.user.email)
    assert chair.subject == f"Judging ends on {day}: 3 nominations still to review"
    assert "You have 3 nominations still to review on the Main panel." in chair.text_body
    assert f"judging for the {j.cycle.name} ends on {day}." in chair.text_body
    assert path_of(link_in(chair, "/panel/")) == f"/panel/{j.panel.id}"
    assert "Carry on judging" in chair.html_body
    member = one(outbox(), "reminder", j.members[1].user.email)
    assert member.subject == f"Judging ends on {day}: 1 nomination still to review"
    assert "You have 1 nomination still to review" in member.text_body


# --- publication -----------------------------------------------------------------------------

def decide(j, number, outcome, citation="", feedback="", feedback_to_nominee=False):
    """Record an outcome for the nomination `number` with the private rationale."""
    deliberation.record_decision(j.panel, j.nominations[number], outcome=outcome,
                                 citation=citation, rationale=RATIONALE, feedback=feedback,
                                 feedback_to_nominee=feedback_to_nominee, actor=j.chair.user)


@pytest.fixture
def published(judging, outbox):
    """A cycle with a winner, a highly commended, one not selected and one whose nominee
    withdrew consent, published; returns (the judging namespace, the outbox rows)."""

    def make(before_publishing=None):
        j = judging(4, 2)
        withdraw_consent(j.nominations[3])
        decide(j, 0, Outcome.WINNER, citation="Mo & friends' Tuesday lunch club <3",
               feedback=FEEDBACK)
        decide(j, 1, Outcome.HIGHLY_COMMENDED, citation="A steady hand at the food bank.")
        decide(j, 2, Outcome.NOT_SELECTED, feedback=FEEDBACK)
        if before_publishing:
            before_publishing(j)
        db.session.commit()
        move_to(j.cycle, Phase.ANNOUNCED)
        publish_cycle(j.cycle, actor=j.admin)
        db.session.commit()
        return j, outbox()

    return make


def test_winner_email_quotes_the_citation(published):
    j, messages = published()
    message = one(messages, "winner", "nominee1@example.com")
    assert message.subject == "Congratulations: you have won the Good Neighbour award"
    text = message.text_body
    assert text.startswith("Hello Nominee 1,")
    assert (f"the panel of local people who judged the {j.cycle.name} has chosen you as a "
            "winner of the Good Neighbour award.") in text
    assert "\"Mo & friends' Tuesday lunch club <3\"" in text
    assert "Mo &amp; friends' Tuesday lunch club &lt;3" in message.html_body
    assert "1 person wrote to support the nomination." in text
    assert "parent or guardian" not in text


def test_commended_email_quotes_the_citation(published):
    j, messages = published()
    message = one(messages, "commended", "nominee2@example.com")
    assert message.subject == "Congratulations: you have been highly commended"
    assert "you have been highly commended in the Good Neighbour award" in message.text_body
    assert '"A steady hand at the food bank."' in message.text_body
    assert "A steady hand at the food bank." in message.html_body


def test_thank_you_email_is_kind_and_never_blunt(published):
    j, messages = published()
    message = one(messages, "thank_you", "nominee3@example.com")
    assert message.subject == "Thank you for all you do"
    text = message.text_body
    assert text.startswith("Hello Nominee 3,")
    assert "The panel had many remarkable nominations this year" in text
    assert "Someone in your community cared enough to put your name forward." in text
    for blunt in ("lost", "not selected", "unsuccessful", "rejected", "failed"):
        assert blunt not in everything(message).lower()
    assert FEEDBACK not in everything(message)  # feedback is for the nominator


def test_result_email_to_a_guardian_names_the_child(published):
    def guardian(j):
        consent = j.nominations[0].consent
        consent.given_by_guardian = True
        consent.guardian_name = "Gina Guardian"

    j, messages = published(guardian)
    message = one(messages, "winner", "nominee1@example.com")
    assert message.subject == "Congratulations: Nominee 1 has won the Good Neighbour award"
    text = message.text_body
    assert text.startswith("Hello Gina Guardian,\n\nWe are writing to you as the parent or "
                           "guardian of Nominee 1.")
    assert "has chosen Nominee 1 as a winner" in text
    assert "Please pass on our warmest thanks" in text


def test_outcome_emails_tell_each_nominator_with_feedback(published):
    j, messages = published()
    winner = one(messages, "outcome", "nominator1@example.com")
    assert winner.subject == "Your nomination of Nominee 1: the results"
    assert winner.text_body.startswith("Hello Sam Smith,")
    assert "Nominee 1 is one of this year's winners" in winner.text_body
    assert "Mo & friends' Tuesday lunch club <3" in winner.text_body
    assert "A note from the panel for you:\n\n" + FEEDBACK in winner.text_body
    assert "do tell us more next year." in winner.html_body
    link = link_in(winner, "/n/")
    assert link in winner.html_body

    commended = one(messages, "outcome", "nominator2@example.com")
    assert "Nominee 2 has been highly commended" in commended.text_body
    assert "A note from the panel" not in commended.text_body  # no feedback given

    not_selected = one(messages, "outcome", "nominator3@example.com")
    assert "This time Nominee 3 was not selected for one." in not_selected.text_body
    assert FEEDBACK in not_selected.text_body
    assert FEEDBACK in not_selected.html_body

    withdrawn = one(messages, "outcome", "nominator4@example.com")
    assert "did not go forward to the panel's final decisions" in withdrawn.text_body
    assert not [m for m in messages if m.recipient == "nominee4@example.com"
                and m.kind.startswith("panels/")]


def test_no_email_ever_contains_the_rationale(published):
    j, messages = published()
    panel_messages = [m for m in messages if m.kind.startswith("panels/")]
    assert len(panel_messages) == 3 + 4 + 2  # nominees with consent, nominators, invitations
    for message in panel_messages:
        assert RATIONALE not in everything(message)
        assert not re.search(r"\{\{|\{%|\}\}", everything(message))  # nothing left unrendered


def test_a_nominee_who_withdrew_after_the_decision_is_not_revealed_to_the_nominator(published):
    j, messages = published(before_publishing=lambda j: withdraw_consent(j.nominations[0]))

    message = one(messages, "outcome", "nominator1@example.com")
    assert "did not go forward to the panel's final decisions" in message.text_body
    for hidden in ("one of this year's winners", "Tuesday lunch club", FEEDBACK):
        assert hidden not in everything(message)
    assert not [m for m in messages if m.recipient == "nominee1@example.com"
                and m.kind.startswith("panels/")]


def test_feedback_the_chair_ticks_goes_to_the_nominee_with_their_result(published):
    def tick(j):
        decide(j, 0, Outcome.WINNER, citation="Mo & friends' Tuesday lunch club <3",
               feedback=FEEDBACK, feedback_to_nominee=True)
        decide(j, 2, Outcome.NOT_SELECTED, feedback=FEEDBACK, feedback_to_nominee=True)
        decide(j, 3, Outcome.NOT_SELECTED, feedback=FEEDBACK, feedback_to_nominee=True)

    j, messages = published(tick)
    winner = one(messages, "winner", "nominee1@example.com")
    assert "A note from the panel for you:\n\n" + FEEDBACK in winner.text_body
    assert "do tell us more next year." in winner.html_body
    thanks = one(messages, "thank_you", "nominee3@example.com")
    assert "A note from the panel for you:\n\n" + FEEDBACK in thanks.text_body
    assert "do tell us more next year." in thanks.html_body
    commended = one(messages, "commended", "nominee2@example.com")
    assert "A note from the panel" not in everything(commended)  # not ticked, none written
    # The nominee who withdrew hears nothing, ticked or not; the rationale goes to no one.
    assert not [m for m in messages if m.recipient == "nominee4@example.com"
                and m.kind.startswith("panels/")]
    for message in messages:
        assert RATIONALE not in everything(message)
    # The nominators still have it.
    assert FEEDBACK in one(messages, "outcome", "nominator1@example.com").text_body


def test_a_winners_email_links_to_their_public_page_and_certificate(published, app):
    j, messages = published()
    public = app.config["PUBLIC_URL"].rstrip("/")
    award = db.session.scalar(select(PublicAward).filter_by(nomination_id=j.nominations[0].id))
    page = f"{public}/winners/{award.key}/{award.slug}"
    certificate = f"{public}/winners/{award.key}/certificate"
    winner = one(messages, "winner", "nominee1@example.com")
    assert page in winner.text_body and certificate in winner.text_body
    assert f'href="{page}"' in winner.html_body
    assert f'href="{certificate}"' in winner.html_body
    commended = one(messages, "commended", "nominee2@example.com")
    row = db.session.scalar(select(PublicAward).filter_by(nomination_id=j.nominations[1].id))
    assert f"{public}/winners/{row.key}/{row.slug}" in commended.text_body
    assert f"{public}/winners/{row.key}/certificate" in commended.html_body
    assert "/winners/" not in everything(one(messages, "thank_you", "nominee3@example.com"))


def test_public_links_are_none_without_a_public_row(published, app):
    j, messages = published()
    links = app.extensions["public_links"]
    assert links(j.nominations[0])["page"].startswith(app.config["PUBLIC_URL"].rstrip("/"))
    assert links(j.nominations[2]) is None  # not selected: no public page
    assert links(j.nominations[3]) is None  # withdrew


def test_a_winner_with_no_public_row_gets_no_link(published, app, monkeypatch):
    monkeypatch.setitem(app.extensions, "public_links", lambda nomination: None)
    j, messages = published()
    winner = one(messages, "winner", "nominee1@example.com")
    assert "/winners/" not in everything(winner)
    assert "certificate" not in everything(winner).lower()
