"""Subject access: one admin action gathers everything held about a person, as a page and
as a JSON file; the nominator is withheld unless they agreed; the request is audited."""
import json

from sqlalchemy import select

from awards.accounts.enums import Role
from awards.admin.services.subject_access import export_person
from awards.core.audit import AuditEvent
from awards.extensions import db
from tests.admin.conftest import EMAIL, HIDDEN_NOMINATOR, MARKERS, NAME


def download(client, email=EMAIL, **extra):
    return client.post("/admin/privacy/access",
                       data={"email": email, "download": "json", **extra})


def test_subject_access_export_holds_every_marker(zara, admin, client):
    response = download(client, thanks_name="Zara Q")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    missing = [name for name, marker in MARKERS.items() if marker not in text]
    assert missing == []
    export = json.loads(text)
    assert export["email"] == EMAIL
    sources = export["sources"]
    assert [n["name"] for n in sources["nominee"]] == [NAME, NAME]
    assert sources["account"][0]["email"] == EMAIL
    assert [s["statement"] for s in sources["supporter"]] == [
        f"{MARKERS['supporter']} Olly is great."]
    assert sources["thanks"][0]["message"] == f"{MARKERS['thanks']} thank you Olly"
    assert {m["to"] for m in sources["outbox"]} == {EMAIL}


def test_subject_access_withholds_a_nominator_who_did_not_agree(zara, admin, client):
    export = json.loads(download(client).get_data(as_text=True))
    by_reference = {n["reference"]: n for n in export["sources"]["nominee"]}
    assert by_reference[zara.kept.reference]["nominator"] == "withheld"
    assert by_reference[zara.named.reference]["nominator"] == {
        "name": "Ned Namedfriend", "relationship": "Neighbour"}
    assert HIDDEN_NOMINATOR not in json.dumps(export)
    assert "nina@example.com" not in json.dumps(export)


def test_subject_access_page_shows_the_export_escaped(zara, admin, client):
    zara.made.nominator_relationship = "<script>alert(1)</script>"
    db.session.commit()
    response = client.post("/admin/privacy/access", data={"email": EMAIL, "download": "html"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"What we hold about {EMAIL}" in page
    for marker in ("ZQSTORY", "ZQSTATEMENT", "ZQREVIEW", "ZQCOMMENT", "203.0.113.77"):
        assert marker in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert HIDDEN_NOMINATOR not in page


def test_subject_access_is_audited_without_the_data(zara, admin, client):
    download(client)
    event = db.session.scalar(select(AuditEvent).filter_by(action="privacy.subject_access"))
    assert event.actor_id == admin.id
    assert event.details["found"]["nominee"] == 2
    assert EMAIL not in json.dumps(event.details)


def test_subject_access_of_nobody_is_empty(app, admin):
    export = export_person("nobody@example.com")
    assert all(records == [] for records in export["sources"].values())


def test_subject_access_refuses_non_admins(zara, make_user, sign_in, client):
    for roles in ((), (Role.HELPER,), (Role.PANEL_MEMBER,)):
        client.post("/account/sign-out")
        sign_in(make_user(roles=roles))
        assert download(client).status_code == 403
        assert client.get("/admin/privacy/access").status_code == 403
    assert db.session.scalar(select(AuditEvent).filter_by(
        action="privacy.subject_access")) is None


def test_subject_access_form_errors(admin, client):
    response = client.post("/admin/privacy/access", data={"email": "not-an-address"})
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.get_data(as_text=True)


def test_data_protection_is_linked_from_admin_with_the_schedule(admin, client):
    assert 'href="/admin/privacy">Data protection</a>' in client.get("/admin").get_data(
        as_text=True)
    page = client.get("/admin/privacy").get_data(as_text=True)
    assert 'href="/admin/privacy/access"' in page and 'href="/admin/privacy/erase"' in page
    assert "never confirmed are deleted after 30 days." in page
