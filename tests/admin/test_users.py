"""Users and roles (/admin/users): finding people, roles given and taken (audited), accounts
closed and reopened (their sessions end at once), and the last admin kept."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from awards import factories
from awards.accounts.enums import Role
from awards.core.audit import AuditEvent
from awards.core.db import utcnow
from awards.extensions import db
from tests.conftest import DEFAULT_PASSWORD


def page_text(response):
    return response.get_data(as_text=True)


def audit_of(user, action):
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == "user",
        AuditEvent.object_id == user.id).order_by(AuditEvent.id)).all()


def reload(user):
    db.session.expire_all()
    return db.session.get(type(user), user.id)


@pytest.fixture
def ada(make_user):
    return make_user(name="Ada Admin", email="ada@example.com", roles=[Role.ADMIN])


@pytest.fixture
def admin_client(app, ada, sign_in):
    client = app.test_client()
    assert sign_in(ada, target=client).status_code == 302
    return client


def test_users_search_by_name_or_email_a_page_at_a_time(admin_client, make_user):
    for number in range(30):
        make_user(name=f"Walker {number:02d}", email=f"walker{number:02d}@example.com")
    make_user(name="Zoë Green", email="zoe.green@example.org")
    make_user(name="100% Percent", email="percent@example.com")

    first = page_text(admin_client.get("/admin/users?q=walker"))
    assert "30 users" in first and "page 1 of 2" in first
    assert first.count('href="/admin/users/') == 25
    assert "Walker 00" in first and "Walker 25" not in first
    second = page_text(admin_client.get("/admin/users?q=walker&page=2"))
    assert "Walker 25" in second and "Walker 29" in second and "Walker 00" not in second

    by_email = page_text(admin_client.get("/admin/users?q=ZOE.GREEN@example"))
    assert "1 user" in by_email and "Zoë Green" in by_email
    # LIKE's wildcards are taken literally: "%" finds the one name that has one.
    literal = page_text(admin_client.get("/admin/users?q=%25"))
    assert "1 user" in literal and "100% Percent" in literal
    assert "No user matches your search." in page_text(admin_client.get("/admin/users?q=nobody"))


def test_users_grant_and_remove_roles_audited(admin_client, ada, make_user):
    sam = make_user(name="Sam Staff", email="sam@example.com")
    response = admin_client.post(f"/admin/users/{sam.id}", data={"roles": ["admin", "helper"]})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{sam.id}"
    sam = reload(sam)
    assert sam.is_admin and sam.has_role(Role.HELPER)
    granted = audit_of(sam, "user.role_granted")
    assert [(e.details["role"], e.actor_id) for e in granted] == [("admin", ada.id),
                                                                   ("helper", ada.id)]
    detail = page_text(admin_client.get(f"/admin/users/{sam.id}"))
    assert "The roles of Sam Staff have been saved." in detail
    assert re.search(r'<input[^>]*checked[^>]*value="admin"', detail)

    admin_client.post(f"/admin/users/{sam.id}", data={"roles": ["helper"]})
    sam = reload(sam)
    assert not sam.is_admin and sam.has_role(Role.HELPER)
    revoked = audit_of(sam, "user.role_revoked")
    assert [(e.details["role"], e.actor_id) for e in revoked] == [("admin", ada.id)]
    # Saving the same roles again changes and records nothing.
    admin_client.post(f"/admin/users/{sam.id}", data={"roles": ["helper"]})
    assert len(audit_of(sam, "user.role_granted")) == 2
    assert len(audit_of(sam, "user.role_revoked")) == 1


def test_users_panel_role_cannot_be_given_here(admin_client, make_user):
    sam = make_user(name="Sam Staff", email="sam@example.com")
    response = admin_client.post(f"/admin/users/{sam.id}", data={"roles": ["panel_member"]})
    assert response.status_code == 400
    assert '<li><a href="#roles">Choose roles from the list.</a></li>' in page_text(response)
    assert not reload(sam).has_role(Role.PANEL_MEMBER)


def test_users_panel_places_are_shown(admin_client, make_user):
    chair = make_user(name="Cho Chair", email="cho@example.com")
    cycle = factories.cycle()
    panel = factories.panel(cycle, "Riverside panel", members=[chair])
    db.session.commit()
    detail = page_text(admin_client.get(f"/admin/users/{chair.id}"))
    assert f'<a href="/admin/panels/{panel.id}">Riverside panel</a> (chair)' in detail
    listing = page_text(admin_client.get("/admin/users?q=cho"))
    assert "Resident, Panel member, on a panel" in listing


def test_users_last_admin_cannot_remove_their_own_admin_role(admin_client, ada, make_user):
    response = admin_client.post(f"/admin/users/{ada.id}", data={"roles": ["helper"]})
    assert response.status_code == 400
    assert ("You are the only admin. Make someone else an admin before you give up the role "
            "or close your account.") in page_text(response)
    ada = reload(ada)
    assert ada.is_admin and not ada.has_role(Role.HELPER)
    assert audit_of(ada, "user.role_revoked") == []
    # With a second admin, Ada may step down.
    make_user(name="Bea Admin", roles=[Role.ADMIN])
    assert admin_client.post(f"/admin/users/{ada.id}", data={"roles": []}).status_code == 302
    assert not reload(ada).is_admin
    assert admin_client.get("/admin/users").status_code == 403


def test_users_last_admin_cannot_be_deactivated(admin_client, ada, make_user):
    response = admin_client.post(f"/admin/users/{ada.id}/deactivate", follow_redirects=True)
    assert "You are the only admin." in page_text(response)
    assert reload(ada).deactivated_at is None
    # A deactivated admin does not count: the one active admin is still the last.
    bea = make_user(name="Bea Admin", roles=[Role.ADMIN])
    assert admin_client.post(f"/admin/users/{bea.id}/deactivate").status_code == 302
    assert reload(bea).is_deactivated
    admin_client.post(f"/admin/users/{ada.id}", data={"roles": []})
    assert reload(ada).is_admin
    # With another active admin, an admin still cannot close their own account.
    make_user(name="Cy Admin", roles=[Role.ADMIN])
    response = admin_client.post(f"/admin/users/{ada.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account. Ask another admin." in page_text(response)
    assert reload(ada).deactivated_at is None


def test_users_deactivation_ends_sessions_and_refuses_sign_in(app, admin_client, ada,
                                                               make_user, sign_in):
    helper = make_user(name="Hal Helper", email="hal@example.com", roles=[Role.HELPER])
    theirs = app.test_client()
    assert sign_in(helper, target=theirs, remember=True).status_code == 302
    assert theirs.get("/assist").status_code == 200
    old_cookies = [(c.key, c.value) for c in theirs._cookies.values()]

    response = admin_client.post(f"/admin/users/{helper.id}/deactivate", follow_redirects=True)
    assert "The account of Hal Helper is deactivated and signed out everywhere." in page_text(
        response)
    assert "This account is deactivated: its owner cannot sign in." in page_text(response)
    (event,) = audit_of(helper, "user.deactivated")
    assert event.actor_id == ada.id

    # The old session (and its remember cookie) opens nothing now.
    replay = app.test_client()
    for key, value in old_cookies:
        replay.set_cookie(key, value)
    for client in (theirs, replay):
        response = client.get("/assist")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/sign-in")
        assert client.get("/account/profile").status_code == 302
    # Nor does the right password.
    refused = sign_in(helper, target=app.test_client())
    assert refused.status_code == 200
    assert "This account has been closed." in page_text(refused)
    assert len(audit_of(helper, "user.sign_in_refused")) == 1

    # Reactivated, the owner signs in with their password again.
    response = admin_client.post(f"/admin/users/{helper.id}/reactivate", follow_redirects=True)
    assert "The account of Hal Helper is active again." in page_text(response)
    assert audit_of(helper, "user.reactivated")[0].actor_id == ada.id
    again = app.test_client()
    assert sign_in(helper, password=DEFAULT_PASSWORD, target=again).status_code == 302
    assert again.get("/assist").status_code == 200


def test_users_pages_are_for_admins_only(app, make_user, sign_in):
    helper = make_user(roles=[Role.HELPER])
    target = make_user(name="Tess Target")
    client = app.test_client()
    sign_in(helper, target=client)
    for method, path in (("GET", "/admin/users"), ("GET", f"/admin/users/{target.id}"),
                         ("POST", f"/admin/users/{target.id}"),
                         ("POST", f"/admin/users/{target.id}/deactivate")):
        assert client.open(path, method=method, data={"roles": ["admin"]}).status_code == 403
    target = reload(target)
    assert not target.is_admin and not target.is_deactivated


HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
                     "admin", "helper", "panel_member", "resident", "%", "_", "\\", "' OR 1=1 --",
                     "9" * 30, "-1", "é\u202e", "</textarea>"]))


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(search=HOSTILE, page=HOSTILE, roles=st.lists(HOSTILE, max_size=4), extra=HOSTILE)
def test_users_forms_hostile_input_no_error_no_echo(admin_client, ada, search, page, roles,
                                                    extra):
    listing = admin_client.get("/admin/users", query_string={"q": search, "page": page})
    assert listing.status_code == (400 if "\x00" in search + page else 200)
    body = page_text(listing)
    for dangerous in ("<script>alert", "<img src=x", "</textarea>"):
        if dangerous in search[:100]:
            assert dangerous not in body
    response = admin_client.post(f"/admin/users/{ada.id}",
                                 data={"roles": roles, "x": extra})
    assert response.status_code in (302, 400)
    body = page_text(response)
    for value in [*roles, extra]:
        for dangerous in ("<script>alert", "<img src=x", "</textarea>"):
            if dangerous in value:
                assert dangerous not in body
    assert reload(ada).is_admin  # the last admin stays one, whatever was posted
    for action in ("deactivate", "reactivate"):
        assert admin_client.post(f"/admin/users/{ada.id}/{action}",
                                 data={"x": extra}).status_code in (302, 400)
    assert reload(ada).is_active


def test_users_deactivated_account_is_refused_by_the_user_loader(app, make_user, sign_in):
    # Even were its session token left unchanged (closed by hand in the database), a
    # deactivated account's session opens nothing: Flask-Login's loader refuses it.
    user = make_user()
    client = app.test_client()
    sign_in(user, target=client)
    assert client.get("/account/profile").status_code == 200
    token = user.session_token
    user.deactivated_at = utcnow()
    db.session.commit()
    assert reload(user).session_token == token
    assert client.get("/account/profile").headers["Location"].startswith("/account/sign-in")
