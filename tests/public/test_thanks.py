"""Say thank you: leaving a message, moderating it, showing it and passing it on."""
import re

import pytest
from sqlalchemy import func, select

from awards.core.audit import AuditEvent
from awards.core.security import rate_limiter
from awards.extensions import db
from awards.nominations.enums import NameDisplay
from awards.nominations.services.consent import withdraw_consent
from awards.public.enums import ThanksStatus
from awards.public.models import PublicAward, ThankYou
from awards.public.queries import approved_thanks
from awards.public.services import PublicError
from awards.public.services.thanks import leave_thanks, moderate_thanks
from tests.conftest import field_error, link_in, path_of, summary_error
from tests.public.conftest import EVERYTHING

FORWARDED = "public/thanks_forwarded"
REFERENCE = re.compile(r"^T-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$")
NOT_FORWARDING = {**EVERYTHING, "recognition": ["newsletter"]}


def page(response):
    """The response body as text."""
    return response.get_data(as_text=True)


def reload(obj):
    """`obj` fresh from the database (what the requests stored)."""
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def forwarded_mail(outbox):
    """(recipient, kind) of every forwarded message of thanks in the outbox."""
    return [(m.recipient, m.kind) for m in outbox() if m.kind == FORWARDED]


def audit(action):
    """Audit rows for `action`, oldest first."""
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


def count_thanks():
    """How many messages of thanks are stored."""
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(ThankYou))


def award_path(award):
    """The canonical address of a winner's page."""
    return f"/winners/{award.key}/{award.slug}"


def admin_client(app, user, sign_in):
    """A client of its own, signed in as `user`."""
    device = app.test_client()
    assert sign_in(user, target=device).status_code == 302
    return device


# --- services --------------------------------------------------------------------------------

def test_leave_thanks_creates_a_pending_message_with_a_reference_and_audits(published):
    result = published(("winner",))
    award = result.awards[0]

    thanks = leave_thanks(award, "  You kept the lunch club going.\nThank you!  ", "  Jo   Bloggs ")
    db.session.commit()

    thanks = reload(thanks)
    assert REFERENCE.match(thanks.reference)
    assert thanks.status is ThanksStatus.PENDING
    assert thanks.nomination_id == result.nominations[0].id
    assert thanks.message == "You kept the lunch club going.\nThank you!"
    assert thanks.author_name == "Jo Bloggs"
    assert thanks.moderated_at is None and thanks.forwarded_at is None
    assert approved_thanks(award.nomination_id) == []
    [event] = audit("thanks.received")
    assert (event.object_type, event.object_id, event.actor_id) == ("thank_you", thanks.id, None)
    assert (event.from_state, event.to_state) == (None, "pending")
    assert event.details == {"reference": thanks.reference, "award": award.key}


def test_leave_thanks_refuses_an_empty_message(published):
    award = published(("winner",)).awards[0]

    with pytest.raises(PublicError, match="Write your message"):
        leave_thanks(award, "   \n ", "Jo")

    assert count_thanks() == 0


def test_leave_thanks_gives_each_message_its_own_reference(published):
    award = published(("winner",)).awards[0]

    references = {leave_thanks(award, f"Thanks number {n}", "").reference for n in range(20)}

    assert len(references) == 20


def test_moderate_thanks_approves_and_forwards_once_when_the_nominee_agreed(published, outbox):
    result = published(("winner",))
    award, admin = result.awards[0], result.admin
    assert award.forwards_thanks
    thanks = leave_thanks(award, "The lunch club changed my week.", "Jo Bloggs")
    db.session.commit()

    moderate_thanks(thanks, True, admin)
    db.session.commit()

    thanks = reload(thanks)
    assert thanks.status is ThanksStatus.APPROVED
    assert thanks.moderated_by_id == admin.id
    assert thanks.moderated_at is not None
    assert thanks.forwarded_at is not None
    assert [t.id for t in approved_thanks(award.nomination_id)] == [thanks.id]
    assert forwarded_mail(outbox) == [("nominee1@example.com", FORWARDED)]
    [mail] = [m for m in outbox() if m.kind == FORWARDED]
    assert mail.subject == "A message of thanks from someone in the community"
    assert "The lunch club changed my week." in mail.text_body
    assert "Jo Bloggs" in mail.text_body
    assert "Hello Nominee Person1," in mail.text_body
    assert path_of(link_in(mail, "/winners/")) == award_path(award)
    assert "The lunch club changed my week." in mail.html_body
    [event] = audit("thanks.approved")
    assert (event.object_id, event.actor_id) == (thanks.id, admin.id)
    assert (event.from_state, event.to_state) == ("pending", "approved")
    assert event.details == {"reference": thanks.reference, "forwarded": True}

    # Taken down, then shown again: the nominee does not get the message a second time.
    moderate_thanks(thanks, False, admin)
    db.session.commit()
    moderate_thanks(thanks, True, admin)
    db.session.commit()

    assert reload(thanks).status is ThanksStatus.APPROVED
    assert forwarded_mail(outbox) == [("nominee1@example.com", FORWARDED)]
    assert [e.details["forwarded"] for e in audit("thanks.approved")] == [True, False]
    [taken_down] = audit("thanks.rejected")
    assert (taken_down.from_state, taken_down.to_state) == ("approved", "rejected")


def test_moderate_thanks_forwards_after_an_earlier_rejection_is_undone(published, outbox):
    result = published(("winner",))
    thanks = leave_thanks(result.awards[0], "Thank you for the garden.", "")
    db.session.commit()

    moderate_thanks(thanks, False, result.admin)
    db.session.commit()
    assert forwarded_mail(outbox) == []
    moderate_thanks(thanks, True, result.admin)
    db.session.commit()

    assert forwarded_mail(outbox) == [("nominee1@example.com", FORWARDED)]
    [mail] = [m for m in outbox() if m.kind == FORWARDED]
    assert "Someone who wanted to say thank you" in mail.text_body


def test_moderate_thanks_does_not_forward_when_the_nominee_did_not_ask(published, outbox):
    result = published(("winner",), choices=[NOT_FORWARDING])
    award = result.awards[0]
    assert not award.forwards_thanks
    thanks = leave_thanks(award, "Thank you.", "Jo")
    db.session.commit()

    moderate_thanks(thanks, True, result.admin)
    db.session.commit()

    thanks = reload(thanks)
    assert thanks.status is ThanksStatus.APPROVED
    assert thanks.forwarded_at is None
    assert forwarded_mail(outbox) == []
    assert audit("thanks.approved")[0].details == {"reference": thanks.reference,
                                                   "forwarded": False}


def test_moderate_thanks_does_not_forward_without_the_nominees_email(published, outbox):
    result = published(("winner",))
    thanks = leave_thanks(result.awards[0], "Thank you.", "Jo")
    result.nominations[0].nominee_email = None
    db.session.commit()

    moderate_thanks(thanks, True, result.admin)
    db.session.commit()

    assert reload(thanks).forwarded_at is None
    assert forwarded_mail(outbox) == []


def test_moderate_thanks_rejected_is_not_shown_or_forwarded(published, outbox):
    result = published(("winner",))
    thanks = leave_thanks(result.awards[0], "Rude words here.", "")
    db.session.commit()

    moderate_thanks(thanks, False, result.admin)
    db.session.commit()

    thanks = reload(thanks)
    assert thanks.status is ThanksStatus.REJECTED
    assert thanks.moderated_by_id == result.admin.id
    assert approved_thanks(result.awards[0].nomination_id) == []
    assert forwarded_mail(outbox) == []
    [event] = audit("thanks.rejected")
    assert (event.from_state, event.to_state, event.actor_id) == (
        "pending", "rejected", result.admin.id)


@pytest.mark.parametrize("approve", [True, False])
def test_moderate_thanks_refuses_the_same_decision_twice(published, outbox, approve):
    result = published(("winner",))
    thanks = leave_thanks(result.awards[0], "Thank you.", "")
    moderate_thanks(thanks, approve, result.admin)
    db.session.commit()
    action = "thanks.approved" if approve else "thanks.rejected"
    state = "shown" if approve else "not shown"

    with pytest.raises(PublicError, match=f"Message {thanks.reference} is already {state}."):
        moderate_thanks(thanks, approve, result.admin)
    db.session.rollback()

    assert reload(thanks).status is (ThanksStatus.APPROVED if approve else ThanksStatus.REJECTED)
    assert len(audit(action)) == 1
    assert len(forwarded_mail(outbox)) == (1 if approve else 0)


def test_moderating_a_withdrawn_nominees_message_does_not_forward(published, outbox):
    result = published(("winner",))
    thanks = leave_thanks(result.awards[0], "Thank you.", "Jo")
    db.session.commit()
    withdraw_consent(result.nominations[0])
    db.session.commit()
    assert db.session.scalar(select(PublicAward)) is None

    moderate_thanks(thanks, True, result.admin)
    db.session.commit()

    thanks = reload(thanks)
    assert thanks.status is ThanksStatus.APPROVED
    assert thanks.forwarded_at is None
    assert forwarded_mail(outbox) == []
    assert audit("thanks.approved")[0].details["forwarded"] is False


# --- the form and the confirmation -----------------------------------------------------------

def test_thank_you_form_happy_path_shows_the_message_once_approved(app, client, published,
                                                                   sign_in, outbox):
    result = published(("winner",))
    award = result.awards[0]
    visitor = app.test_client()  # no session: sees the cached public page
    assert "No messages yet" in page(visitor.get(award_path(award)))

    form = client.get(f"/winners/{award.key}/thank-you")
    assert form.status_code == 200
    assert "Say thank you to Nominee Person1" in page(form)
    assert "If they asked to hear from people, we will also pass your message on" in page(form)

    sent = client.post(f"/winners/{award.key}/thank-you", data={
        "message": "Your lunch club got me out of the house.", "author_name": "Jo Bloggs"})

    thanks = db.session.scalar(select(ThankYou))
    assert sent.status_code == 302
    assert path_of(sent.headers["Location"]) == f"/thank-you/{thanks.reference}"
    assert thanks.status is ThanksStatus.PENDING
    assert (thanks.message, thanks.author_name) == ("Your lunch club got me out of the house.",
                                                    "Jo Bloggs")
    confirmation = client.get(f"/thank-you/{thanks.reference}")
    assert confirmation.status_code == 200
    text = page(confirmation)
    assert ("Thank you — your message to Nominee Person1 will appear once we have checked it."
            in text)
    assert thanks.reference in text
    assert f'href="{award_path(award)}"' in text
    assert "lunch club got me out" not in text
    assert "Jo Bloggs" not in text
    assert "lunch club got me out" not in page(visitor.get(award_path(award)))
    assert forwarded_mail(outbox) == []

    admin = admin_client(app, result.admin, sign_in)
    approved = admin.post(f"/admin/thanks/{thanks.id}/approve")
    assert approved.status_code == 302
    assert path_of(approved.headers["Location"]) == "/admin/thanks"
    assert (f"Message {thanks.reference} is now shown, and we have passed it on to the nominee."
            in page(admin.get("/admin/thanks")))

    shown = page(visitor.get(award_path(award)))
    assert "Your lunch club got me out of the house." in shown
    assert '<p class="thanks-list__author">Jo Bloggs</p>' in shown
    assert forwarded_mail(outbox) == [("nominee1@example.com", FORWARDED)]


def test_thank_you_form_works_for_highly_commended(client, published):
    award = published(("winner", "highly_commended")).awards[1]

    response = client.post(f"/winners/{award.key}/thank-you", data={"message": "Thanks!"})

    assert response.status_code == 302
    assert db.session.scalar(select(ThankYou.nomination_id)) == award.nomination_id


def test_thank_you_form_does_not_tell_whether_the_winner_hears_from_people(client, published):
    made = published(("winner", "winner"), choices=[EVERYTHING, NOT_FORWARDING])
    forwarding, private = (
        page(client.get(f"/winners/{award.key}/thank-you"))
        .replace(award.key, "KEY").replace(award.display_name, "NAME")
        .replace(award.slug, "SLUG")
        for award in made.awards)

    assert "Your message will appear on their page once we have checked it." in private
    assert forwarding == private


def test_thank_you_form_honeypot_creates_nothing(client, published):
    award = published(("winner",)).awards[0]

    response = client.post(f"/winners/{award.key}/thank-you", data={
        "message": "Buy cheap watches", "author_name": "Bot", "website": "http://spam.example"})

    assert response.status_code == 200
    assert count_thanks() == 0
    assert audit("thanks.received") == []


def test_thank_you_form_empty_message_shows_the_error_and_keeps_the_name(client, published):
    award = published(("winner",)).awards[0]

    response = client.post(f"/winners/{award.key}/thank-you",
                           data={"message": "   ", "author_name": "Jo Bloggs"})

    text = page(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert summary_error("message", "Write your message") in text
    assert field_error("message", "Write your message") in text
    assert 'value="Jo Bloggs"' in text
    assert "<title>Error: Say thank you to Nominee Person1" in text
    assert count_thanks() == 0


def test_thank_you_form_too_long_message_shows_the_error_and_keeps_the_text(client, published):
    award = published(("winner",)).awards[0]
    typed = "Thank you & well done. " + "x" * 500

    response = client.post(f"/winners/{award.key}/thank-you",
                           data={"message": typed, "author_name": "Jo"})

    text = page(response)
    error = "Keep your message to 500 characters or fewer"
    assert summary_error("message", error) in text
    assert field_error("message", error) in text
    assert "Thank you &amp; well done. " + "x" * 500 + "</textarea>" in text
    assert count_thanks() == 0


def test_thank_you_pages_of_a_withdrawn_winner_are_not_found(client, published):
    result = published(("winner",))
    award = result.awards[0]
    key, path = award.key, award_path(award)
    thanks = leave_thanks(award, "Thank you.", "")
    db.session.commit()
    withdraw_consent(result.nominations[0])
    db.session.commit()

    assert client.get(path).status_code == 404
    assert client.get(f"/winners/{key}/thank-you").status_code == 404
    assert client.post(f"/winners/{key}/thank-you", data={"message": "Hi"}).status_code == 404
    assert client.get(f"/thank-you/{thanks.reference}").status_code == 404
    assert count_thanks() == 1


def test_thank_you_confirmation_of_an_unknown_reference_is_not_found(client, published):
    published(("winner",))

    assert client.get("/thank-you/T-ZZZZZZ").status_code == 404


@pytest.mark.no_app_context
def test_thank_you_posts_are_rate_limited_but_the_form_is_not(build_app, published):
    other = build_app(RATELIMIT_ENABLED=True, RATELIMIT_THANKS="2 per hour",
                      RATELIMIT_STORAGE_URI="memory://")
    with other.app_context():
        rate_limiter().reset()
        key = published(("winner",)).awards[0].key
    device = other.test_client()

    answers = [device.post(f"/winners/{key}/thank-you", data={"message": f"Thanks {n}"})
               for n in range(2)]
    blocked = device.post(f"/winners/{key}/thank-you", data={"message": "Thanks again"})

    assert [r.status_code for r in answers] == [302, 302]
    assert blocked.status_code == 429
    assert device.get(f"/winners/{key}/thank-you").status_code == 200
    with other.app_context():
        assert db.session.scalars(select(ThankYou.message).order_by(ThankYou.id)).all() == [
            "Thanks 0", "Thanks 1"]


# --- the moderation queue --------------------------------------------------------------------

def test_thanks_queue_is_for_admins_only(client, published, make_user, sign_in):
    result = published(("winner",))
    thanks = leave_thanks(result.awards[0], "Thank you.", "")
    db.session.commit()

    anonymous = client.get("/admin/thanks")
    assert anonymous.status_code == 302
    assert path_of(anonymous.headers["Location"]).startswith("/account/sign-in?next=")
    anonymous_post = client.post(f"/admin/thanks/{thanks.id}/approve")
    assert anonymous_post.status_code == 302
    assert path_of(anonymous_post.headers["Location"]).startswith("/account/sign-in?next=")

    sign_in(make_user())  # a resident
    assert client.get("/admin/thanks").status_code == 403
    assert client.post(f"/admin/thanks/{thanks.id}/approve").status_code == 403
    assert client.post(f"/admin/thanks/{thanks.id}/reject").status_code == 403

    assert reload(thanks).status is ThanksStatus.PENDING
    assert audit("thanks.approved") == [] and audit("thanks.rejected") == []


def test_thanks_queue_lists_pending_then_recent_with_undo(app, published, sign_in, outbox):
    result = published(("winner", "highly_commended"),
                       names=["Maria Lopez", "Tom Okafor"])
    first = leave_thanks(result.awards[0], "The lunch club is wonderful.", "Jo Bloggs")
    second = leave_thanks(result.awards[1], "Thanks for the garden.", "")
    checked = leave_thanks(result.awards[1], "Already seen.", "Sam")
    db.session.commit()
    moderate_thanks(checked, True, result.admin)
    db.session.commit()
    admin = admin_client(app, result.admin, sign_in)

    text = page(admin.get("/admin/thanks"))

    pending_part, recent_part = text.split("Checked recently")
    assert pending_part.index("The lunch club is wonderful.") < pending_part.index(
        "Thanks for the garden.")
    assert "Maria Lopez" in pending_part and "Tom Okafor" in pending_part
    assert "Jo Bloggs" in pending_part and "No name given" in pending_part
    assert f'action="/admin/thanks/{first.id}/approve"' in pending_part
    assert f'action="/admin/thanks/{second.id}/reject"' in pending_part
    assert "Already seen." not in pending_part
    assert "Already seen." in recent_part and "by Ada Admin" in recent_part
    assert f'action="/admin/thanks/{checked.id}/reject"' in recent_part
    assert "Take it down" in recent_part

    taken_down = admin.post(f"/admin/thanks/{checked.id}/reject")

    assert path_of(taken_down.headers["Location"]) == "/admin/thanks"
    assert reload(checked).status is ThanksStatus.REJECTED
    after = page(admin.get("/admin/thanks"))
    assert f"Message {checked.reference} will not be shown." in after
    assert f'action="/admin/thanks/{checked.id}/approve"' in after.split("Checked recently")[1]
    assert "Already seen." not in page(app.test_client().get(award_path(result.awards[1])))


def test_thanks_queue_moderating_twice_flashes_the_error(app, published, sign_in):
    result = published(("winner",))
    thanks = leave_thanks(result.awards[0], "Thank you.", "")
    db.session.commit()
    admin = admin_client(app, result.admin, sign_in)

    admin.post(f"/admin/thanks/{thanks.id}/approve")
    again = admin.post(f"/admin/thanks/{thanks.id}/approve")

    assert path_of(again.headers["Location"]) == "/admin/thanks"
    assert f"Message {thanks.reference} is already shown." in page(admin.get("/admin/thanks"))
    assert len(audit("thanks.approved")) == 1


def test_thanks_queue_shows_a_withdrawn_nominees_message_and_does_not_forward(
        app, published, sign_in, outbox):
    result = published(("winner",))
    thanks = leave_thanks(result.awards[0], "Thank you.", "")
    db.session.commit()
    withdraw_consent(result.nominations[0])
    db.session.commit()
    admin = admin_client(app, result.admin, sign_in)

    assert "No longer public: the nominee withdrew their consent" in page(
        admin.get("/admin/thanks"))
    admin.post(f"/admin/thanks/{thanks.id}/approve")

    assert f"Message {thanks.reference} is now shown." in page(admin.get("/admin/thanks"))
    assert reload(thanks).forwarded_at is None
    assert forwarded_mail(outbox) == []


def test_thanks_queue_unknown_message_is_not_found(app, published, sign_in):
    result = published(("winner",))
    admin = admin_client(app, result.admin, sign_in)

    assert admin.post("/admin/thanks/999/approve").status_code == 404
    assert admin.post("/admin/thanks/1/delete").status_code == 404


def test_nominations_queue_links_to_the_thanks_queue(app, published, sign_in):
    admin = admin_client(app, published(("winner",)).admin, sign_in)

    assert '<a href="/admin/thanks">Messages of thanks to check</a>' in page(
        admin.get("/admin/nominations"))


def test_thanks_queue_tells_admins_the_name_a_winner_keeps_private(app, published, sign_in):
    result = published(("winner", "winner"), names=["Maria Lopez", "Tom Okafor"],
                       choices=[{**EVERYTHING, "name_display": NameDisplay.FIRST_INITIAL},
                                EVERYTHING])
    for award in result.awards:
        leave_thanks(award, "Well done!", "")
    db.session.commit()

    text = page(admin_client(app, result.admin, sign_in).get("/admin/thanks"))

    assert "Shown without their full name (Maria Lopez)" in text
    assert "(Tom Okafor)" not in text
