"""Erasure: a person's data anonymised or deleted everywhere, published decisions kept
without their name, photos and public pages gone at once, audited without the data."""
import json
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from awards.accounts.enums import Role
from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.nominations.models import Nomination, Photo
from awards.panels.enums import Outcome
from awards.panels.models import Review, Score
from awards.public.models import PublicAward, ThankYou
from tests.admin.conftest import EMAIL, MARKERS, where
from tests.conftest import DEFAULT_PASSWORD

FORM = {"email": EMAIL, "confirm_email": EMAIL.upper(), "thanks_name": "Zara Q",
        "understood": "y"}


def photo_files(*nominations):
    folder = Path(current_app.config["UPLOAD_DIR"])
    return [folder / name for n in nominations
            for name in (n.photo.display_name, n.photo.thumb_name)]


def erase(client, **changes):
    return client.post("/admin/privacy/erase", data={**FORM, **changes})


def test_erasure_removes_every_marker_from_the_database(zara, admin, client):
    assert all(where(marker) for marker in MARKERS.values())  # planted
    response = erase(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/privacy/erase"
    left = {name: where(marker) for name, marker in MARKERS.items()}
    assert {name: places for name, places in left.items() if places} == {}
    assert where(EMAIL) == []
    assert where("Zara") == []


def test_erasure_keeps_published_decisions_anonymised(zara, admin, client):
    kept_id, named_id = zara.kept.id, zara.named.id
    scores = db.session.scalars(select(Score.value).join(Review).where(
        Review.member_id == zara.panel.members[1].id)).all()
    erase(client)
    db.session.expire_all()
    kept = db.session.get(Nomination, kept_id)
    assert kept is not None and kept.decision.outcome is Outcome.WINNER
    assert (kept.nominee_name, kept.nominee_email, kept.what_they_do) == ("Erased", None, "")
    assert kept.decision.citation == ""
    assert kept.photo is None
    # Not published: deleted.
    assert db.session.get(Nomination, named_id) is None
    # The member's scores stay (they made decisions); the words are gone.
    assert db.session.scalars(select(Score.value).join(Review).where(
        Review.member_id == zara.panel.members[1].id)).all() == scores
    # Others' data stays: the nominator of the kept nomination, Olly's nomination and award.
    assert kept.nominator_email == "nina@example.com"
    assert db.session.scalar(select(PublicAward).filter_by(nomination_id=zara.other.id))
    assert zara.made.nominee_name == "Pat Neighbour" and zara.made.nominator_email == ""


def test_erasure_takes_down_public_pages_and_photo_files(zara, admin, client, app):
    files = photo_files(zara.kept, zara.named)
    assert all(f.exists() for f in files)
    visitor = app.test_client()
    page = f"/winners/{zara.award.key}/{zara.award.slug}"
    assert "Quillname" in visitor.get(page).get_data(as_text=True)  # cached now
    assert "Quillname" in visitor.get("/results/past-awards").get_data(as_text=True)
    olly = f"/winners/{zara.other_award.key}/{zara.other_award.slug}"
    assert MARKERS["thanks"] in visitor.get(olly).get_data(as_text=True)
    erase(client)
    assert [f for f in files if f.exists()] == []
    assert db.session.scalars(select(Photo.nomination_id)).all() == []  # only Zara's had one
    assert visitor.get(page).status_code == 404
    assert "Quillname" not in visitor.get("/results/past-awards").get_data(as_text=True)
    assert MARKERS["thanks"] not in visitor.get(olly).get_data(as_text=True)
    assert db.session.scalar(select(ThankYou).filter_by(id=zara.thanks.id)) is None


def test_erasure_signs_the_account_out_and_it_cannot_sign_in(zara, admin, client, app):
    theirs = app.test_client()
    form = {"email": EMAIL, "password": DEFAULT_PASSWORD}
    assert theirs.post("/account/sign-in", data=form).status_code == 302
    assert theirs.get("/account/profile").status_code == 200
    erase(client)
    db.session.expire_all()
    account = zara.account
    assert account.email == f"erased-{account.id}@erased.invalid"
    assert account.roles == []
    assert theirs.get("/account/profile").status_code == 302  # signed out everywhere
    assert theirs.post("/account/sign-in", data=form).status_code == 200  # refused


def test_erasure_is_audited_without_the_erased_data(zara, admin, client):
    erase(client)
    event = db.session.scalar(select(AuditEvent).filter_by(action="privacy.erasure"))
    assert event.actor_id == admin.id
    assert event.details["erased"]["nominee"] == 2
    assert event.details["erased"]["account"] == 1
    assert EMAIL not in json.dumps(event.details)
    assert "Zara" not in json.dumps(event.details)


def test_erasure_needs_the_address_typed_again_and_the_tick(zara, admin, client):
    response = erase(client, confirm_email="someone.else@example.com")
    assert "The two email addresses are not the same" in response.get_data(as_text=True)
    response = erase(client, understood="")
    assert "Confirm that you understand this cannot be undone" in response.get_data(
        as_text=True)
    assert where(MARKERS["nominee"]) != []
    assert db.session.scalar(select(AuditEvent).filter_by(action="privacy.erasure")) is None


def test_erasure_refuses_non_admins(zara, make_user, sign_in, client):
    for roles in ((), (Role.HELPER,), (Role.PANEL_MEMBER,)):
        client.post("/account/sign-out")
        sign_in(make_user(roles=roles))
        assert erase(client).status_code == 403
    client.post("/account/sign-out")
    assert erase(client).status_code == 302  # to sign in
    assert where(MARKERS["nominee"]) != []
