"""Recognition and support given: recorded by an admin on a nomination's page, audited, shown
beside what the nominee asked for."""
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from awards import factories
from awards.accounts.enums import Role
from awards.extensions import db
from awards.nominations.enums import RecognitionKind
from awards.nominations.models import RecognitionGiven, today
from awards.nominations.services import NominationError
from awards.nominations.services.recognition import record_recognition, remove_recognition
from tests.conftest import field_error
from tests.nominations.conftest import audit, page


@pytest.fixture
def admin(client, make_user, sign_in):
    user = make_user(name="Ada Admin", email="ada@example.com", roles=[Role.ADMIN])
    sign_in(user)
    return user


@pytest.fixture
def nomination():
    cycle = factories.cycle()
    made = factories.nomination(cycle, factories.S.SUBMITTED, consent={
        "recognition": ["private_thanks", "grant"], "support_needed": "A shed for the tools"})
    db.session.commit()
    return made


def given_rows():
    db.session.expire_all()
    return db.session.scalars(select(RecognitionGiven).order_by(RecognitionGiven.id)).all()


def test_record_recognition_stores_and_audits(nomination, make_user):
    admin = make_user(roles=[Role.ADMIN])
    day = today() - timedelta(days=3)
    made = record_recognition(nomination, kind=RecognitionKind.CERTIFICATE, given_on=day,
                              note="  Framed,\n at the   fete ", actor=admin)
    db.session.commit()
    assert [(g.kind, g.given_on, g.note, g.recorded_by_id) for g in given_rows()] == [
        (RecognitionKind.CERTIFICATE, day, "Framed, at the fete", admin.id)]
    (event,) = audit("recognition.given", nomination)
    assert (event.actor_id, event.to_state, event.details["recognition_id"]) == (
        admin.id, "certificate", made.id)
    remove_recognition(made, actor=admin)
    db.session.commit()
    assert given_rows() == []
    (event,) = audit("recognition.removed", nomination)
    assert (event.actor_id, event.from_state) == (admin.id, "certificate")


def test_a_draft_cannot_be_given_recognition():
    draft = factories.nomination(factories.cycle())
    with pytest.raises(NominationError):
        record_recognition(draft, kind=RecognitionKind.GRANT)


def test_the_admin_page_shows_what_they_asked_for_and_what_they_got(nomination, admin, client):
    record_recognition(nomination, kind=RecognitionKind.GRANT, note="£150 for a shed")
    db.session.commit()
    body = page(client.get(f"/admin/nominations/{nomination.reference}"))
    assert "<li>A private thank-you</li>" in body
    assert "<li>A small grant or equipment for my cause</li>" in body
    assert '<p class="prewrap">A shed for the tools</p>' in body
    assert "<caption>Recognition and support given</caption>" in body
    assert '<tr><th scope="row">A grant</th><td>not recorded</td><td>£150 for a shed</td></tr>' \
        in body
    assert f'href="/admin/nominations/{nomination.reference}/recognition"' in body


def test_recording_recognition_through_the_page(nomination, admin, client):
    path = f"/admin/nominations/{nomination.reference}/recognition"
    day = today() - timedelta(days=1)
    response = client.post(path, data={"kind": "ceremony", "given_on": day.isoformat(),
                                       "note": "Town hall"})
    assert (response.status_code, response.headers["Location"]) == (
        302, f"/admin/nominations/{nomination.reference}")
    assert [(g.kind, g.given_on, g.note, g.recorded_by_id) for g in given_rows()] == [
        (RecognitionKind.CEREMONY, day, "Town hall", admin.id)]
    assert audit("recognition.given", nomination)[0].actor_id == admin.id
    body = page(client.get(f"/admin/nominations/{nomination.reference}"))
    assert "Recorded: An awards ceremony." in body


def test_bad_input_is_kept_on_the_page_and_nothing_is_recorded(nomination, admin, client):
    path = f"/admin/nominations/{nomination.reference}/recognition"
    body = page(client.post(path, data={"note": "kept note"}))
    assert field_error("kind", "Choose what was given") in body
    assert 'value="kept note"' in body
    future = (today() + timedelta(days=2)).isoformat()
    body = page(client.post(path, data={"kind": "grant", "given_on": future}))
    assert field_error("given_on", "The date cannot be in the future") in body
    assert given_rows() == []


def test_only_admins_record_recognition(nomination, make_user, app, sign_in):
    path = f"/admin/nominations/{nomination.reference}/recognition"
    for roles in ((), (Role.HELPER,), (Role.PANEL_MEMBER,)):
        other = app.test_client()
        sign_in(make_user(roles=roles), target=other)
        assert other.post(path, data={"kind": "grant"}).status_code == 403
    assert given_rows() == []


def test_hostile_input_gives_no_server_error_and_no_unescaped_echo(nomination, admin, client):
    path = f"/admin/nominations/{nomination.reference}/recognition"
    mark = "<i class=zz>"  # never on a page unless an input was echoed unescaped
    hostile = st.one_of(st.text(max_size=600), st.text(max_size=100).map(lambda t: mark + t),
                        st.sampled_from((
                            f"{mark}<script>alert(1)</script>", f"\"'>{mark}", "9999-99-99",
                            "0001-01-01", "-1", "grant", "other", "=1+1")))

    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(kind=hostile, when=hostile, note=hostile)
    def run(kind, when, note):
        response = client.post(path, data={"kind": kind, "given_on": when, "note": note})
        assert response.status_code < 500
        assert mark not in page(response)

    run()
    record_recognition(nomination, kind=RecognitionKind.OTHER, note=f"{mark}<b>x</b>")
    db.session.commit()
    for shown in (path, f"/admin/nominations/{nomination.reference}"):
        body = page(client.get(shown))
        assert mark not in body and "&lt;i class=zz&gt;&lt;b&gt;x&lt;/b&gt;" in body
    for row in given_rows():
        assert row.kind in RecognitionKind and len(row.note) <= 500


def test_removing_a_record_given_by_mistake(nomination, admin, client):
    made = record_recognition(nomination, kind=RecognitionKind.GRANT)
    db.session.commit()
    body = page(client.get(f"/admin/nominations/{nomination.reference}/recognition"))
    assert f'action="/admin/nominations/{nomination.reference}/recognition/{made.id}/remove"' \
        in body
    response = client.post(f"/admin/nominations/{nomination.reference}/recognition/"
                           f"{made.id}/remove")
    assert (response.status_code, response.headers["Location"]) == (
        302, f"/admin/nominations/{nomination.reference}/recognition")
    assert given_rows() == []
    (event,) = audit("recognition.removed", nomination)
    assert (event.actor_id, event.from_state) == (admin.id, "grant")
    assert "Removed: A grant." in page(client.get(response.headers["Location"]))


def test_a_record_is_removed_only_through_its_own_nomination(nomination, admin, client):
    other = factories.nomination(nomination.cycle, factories.S.SUBMITTED, nominee_name="Other")
    made = record_recognition(other, kind=RecognitionKind.GRANT)
    db.session.commit()
    response = client.post(f"/admin/nominations/{nomination.reference}/recognition/"
                           f"{made.id}/remove")
    assert response.status_code == 404
    assert [g.id for g in given_rows()] == [made.id]
