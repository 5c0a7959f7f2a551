"""CSRF on every state-changing route (with CSRF on), and no GET that changes state."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from awards import create_app
from awards.accounts.enums import Role
from awards.accounts.models import User
from awards.accounts.services import create_verified_user
from awards.core.mail.models import OutboxMessage
from awards.core.tokens import Token
from awards.extensions import db
from awards.newsletter.enums import SubscriberStatus
from awards.newsletter.models import Subscriber
from awards.nominations.enums import ConsentStatus, NominationStatus
from awards.nominations.models import Nomination, Supporter
from tests.conftest import DEFAULT_PASSWORD, make_config, wipe_database
from tests.routes import DUMMY, path_for, route_objects, rules_for

pytestmark = pytest.mark.no_app_context

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The one view without CSRF protection: the newsletter's one-click unsubscribe (RFC 8058),
# which mail programs POST without a session. Nothing else may be exempt.
CSRF_EXEMPT = {"newsletter.unsubscribe"}
EXPIRED = "Your form had expired"
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# Valid-looking answers to every form, so a request that got past CSRF would change something.
FORM = {
    "name": "Mallory Example", "email": "mallory@example.com",
    "password": "a brand new password", "confirm": "a brand new password",
    "current_password": DEFAULT_PASSWORD, "locale": "", "remember": "y",
    "relationship": "Neighbour", "statement": "Mallory was here.", "reason": "Mallory says so",
    "start_token": "mallory-start", "received_via": "phone", "nominee_name": "Mallory",
    "nominator_name": "Mallory", "nominator_email": "mallory@example.com",
    "nominator_relationship": "Neighbour", "nominator_may_be_named": "yes",
}
# Answers that differ between forms with a field of the same name.
FORM_FOR = {
    "moderation.detail": {"decision": "spam"},
    "consent.consent": {"decision": "accepted", "name_display": "full", "publish_story": "y"},
    "moderation.record_consent": {"decision": "accepted", "name_display": "full",
                                  "recorded_how": "On a paper form"},
    "thanks.new": {"message": "Thank you, from Mallory."},
}
# Routes whose own answer to these fields is a refusal (a code or a passkey is needed; Robin
# has no passkey): that answer, not the CSRF page, shows the token was accepted.
OWN_REFUSAL = {"accounts.two_factor_recovery_codes": 400, "accounts.two_factor_disable": 400,
               "accounts.passkey_add": 400, "accounts.passkey_remove": 404,
               "accounts.passkey_sign_in_options": 400, "accounts.passkey_sign_in": 400}


@pytest.fixture(scope="module")
def csrf_app(app, tmp_path_factory):
    application = create_app(make_config(tmp_path_factory.mktemp("csrf"), WTF_CSRF_ENABLED=True))
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _wipe(csrf_app):
    # Requests run outside any app context, as on a server: each gets its own context and
    # database session; the test opens a context only around its own reads and writes.
    yield
    with csrf_app.app_context():
        wipe_database()


def make_objects(application):
    """Real objects behind every route: Robin (an admin) nominated the draft and the sent
    nomination, so each request would be accepted but for its CSRF token."""
    with application.app_context():
        robin = create_verified_user("Robin", "robin@example.com", DEFAULT_PASSWORD,
                                     roles=[Role.ADMIN])
        db.session.commit()
        made = route_objects(nominator=robin)
        return SimpleNamespace(
            values=made.values, tokens=made.tokens, draft=made.draft.reference,
            sent=made.sent.reference, awaiting=made.awaiting.reference,
            joined_id=made.joined.id, spare_area_id=made.spare_area.id)


@pytest.fixture
def objects(csrf_app):
    return make_objects(csrf_app)


def new_client(application):
    return application.test_client()


def unsafe_routes(application, values=None, exempt=False):
    """(method, path, endpoint) for every rule that accepts a state-changing method (the
    CSRF-exempt one too when `exempt`)."""
    return [(method, path_for(rule, values), rule.endpoint)
            for rule in rules_for(application)
            for method in sorted(rule.methods & UNSAFE_METHODS)
            if exempt or rule.endpoint not in CSRF_EXEMPT]


def csrf_token(client, path="/account/register"):
    return _TOKEN.search(client.get(path).get_data(as_text=True))[1]


def snapshot(application):
    """Every row of every table, so any insert, update or delete shows."""
    with application.app_context():
        return {
            table.name: db.session.execute(
                table.select().order_by(*table.primary_key.columns)).all()
            for table in db.metadata.sorted_tables
        }


def users(application):
    """(email, name, verified) of every user."""
    with application.app_context():
        return [(u.email, u.name, u.email_verified_at is not None)
                for u in db.session.scalars(select(User).order_by(User.id))]


def outbox(application):
    """(recipient, kind) of every queued message."""
    with application.app_context():
        return [(m.recipient, m.kind)
                for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def nomination_state(application, objects):
    """What the confirm, consent, supporter and photo routes would change."""
    with application.app_context():
        by_reference = {n.reference: n for n in db.session.scalars(select(Nomination))}
        sent, awaiting = by_reference[objects.sent], by_reference[objects.awaiting]
        return {
            "awaiting": awaiting.status, "sent": sent.status, "consent": sent.consent.status,
            "draft": by_reference[objects.draft].status,
            "photo": by_reference[objects.draft].photo is not None,
            "joined confirmed": db.session.get(Supporter, objects.joined_id).confirmed_at
            is not None,
            "supporters": sorted(s.email for s in sent.supporters),
        }


UNCHANGED = {
    "awaiting": NominationStatus.AWAITING_CONFIRMATION, "sent": NominationStatus.SUBMITTED,
    "consent": ConsentStatus.PENDING, "draft": NominationStatus.DRAFT, "photo": True,
    "joined confirmed": False,
    "supporters": ["ivy.supporter@example.com", "jo.supporter@example.com"],
}


def signed_in_client(application):
    """A client signed in as Robin (an admin, the nominator) through the real form."""
    client = new_client(application)
    response = client.post("/account/sign-in", data={
        "email": "robin@example.com", "password": DEFAULT_PASSWORD,
        "csrf_token": csrf_token(client, "/account/sign-in")})
    assert response.status_code == 302
    assert "robin@example.com" in client.get("/account/profile").get_data(as_text=True)
    return client


def link_client(application, objects):
    """An anonymous browser given access to the draft and the sent nomination by the
    nominator's e-mailed links (a GET each)."""
    client = new_client(application)
    for token in (objects.tokens["nominator-draft"], objects.tokens["nominator"]):
        assert client.get(f"/n/{token}").status_code == 302
    assert client.get(f"/nomination/{objects.sent}").status_code == 200
    assert client.get(f"/nomination/{objects.draft}/check").status_code == 200
    return client


def assert_all_rejected(client, application, objects, extra=None):
    before = snapshot(application)
    routes = unsafe_routes(application, objects.values)
    # Every parameter is a real object or link, so only CSRF stands in the way.
    assert not [path for _, path, _ in routes if DUMMY in path]
    for method, path, endpoint in routes:
        data = {**FORM, **FORM_FOR.get(endpoint, {}), **(extra or {})}
        response = client.open(path, method=method, data=data)
        body = response.get_data(as_text=True)
        assert response.status_code == 400, (method, path)
        assert f"<h1>{EXPIRED}</h1>" in body, (method, path)
    assert snapshot(application) == before
    assert nomination_state(application, objects) == UNCHANGED
    return routes


def test_csrf_enumeration_covers_known_forms(csrf_app, objects):
    routes = unsafe_routes(csrf_app, objects.values)
    paths = {path for _, path, _ in routes}
    assert {"/account/register", "/account/sign-in", "/account/sign-out",
            "/account/profile", "/account/password", "/account/forgot-password",
            "/assist", "/admin/areas", "/admin/cycles/new",
            f"/nomination/{objects.draft}/check", f"/nomination/{objects.draft}/photo/remove",
            f"/nomination/{objects.sent}/supporters", f"/nomination/{objects.sent}/withdraw",
            f"/admin/nominations/{objects.sent}", f"/admin/nominations/{objects.sent}/consent",
            f"/admin/areas/{objects.spare_area_id}/archive",
            f"/nominate/{objects.values['slug']}",
            f"/n/{objects.tokens['nominator-awaiting']}/confirm",
            f"/consent/{objects.tokens['nominee']}",
            f"/consent/{objects.tokens['nominee']}/withdraw",
            f"/support/{objects.tokens['supporter']}",
            f"/support/{objects.tokens['supporter-joined']}/confirm",
            f"/support/join/{objects.tokens['supporter-invite']}",
            "/admin/newsletter/new"} <= paths
    assert len(routes) == 80  # a new POST route changes this count: check it is covered
    every = unsafe_routes(csrf_app, objects.values, exempt=True)
    assert {endpoint for _, _, endpoint in every} - {e for _, _, e in routes} == CSRF_EXEMPT


def test_csrf_only_the_one_click_unsubscribe_is_exempt(csrf_app):
    """Exactly one view is exempt, by name, and no blueprint is."""
    protect = csrf_app.extensions["csrf"]
    exempt = {endpoint for endpoint, view in csrf_app.view_functions.items()
              if f"{view.__module__}.{view.__name__}" in protect._exempt_views}
    assert exempt == CSRF_EXEMPT
    assert not protect._exempt_blueprints


def test_csrf_one_click_unsubscribe_needs_no_token_or_session(csrf_app, objects):
    """RFC 8058: the mail program POSTs with no cookie and no token: 200, unsubscribed."""
    token = objects.values["newsletter.unsubscribe"]["token"]
    response = new_client(csrf_app).post(f"/newsletter/unsubscribe/{token}",
                                         data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    with csrf_app.app_context():
        reader = db.session.scalar(select(Subscriber).filter_by(token=token))
        assert reader.status is SubscriberStatus.UNSUBSCRIBED


def test_csrf_missing_token_rejected_anonymous(csrf_app, objects):
    assert_all_rejected(link_client(csrf_app, objects), csrf_app, objects)
    assert users(csrf_app) == [("robin@example.com", "Robin", True),
                               ("pat.route@example.com", "Pat Panel", True),
                               ("kim.route@example.com", "Kim Unverified", False),
                               ("chair.route@example.com", "Chris Chair", True)]


def test_csrf_missing_token_rejected_signed_in(csrf_app, objects):
    client = signed_in_client(csrf_app)
    before = outbox(csrf_app)
    assert_all_rejected(client, csrf_app, objects)
    # Still signed in (sign-out refused) with the same name and password.
    assert "robin@example.com" in client.get("/account/profile").get_data(as_text=True)
    assert users(csrf_app) == [("robin@example.com", "Robin", True),
                               ("pat.route@example.com", "Pat Panel", True),
                               ("kim.route@example.com", "Kim Unverified", False),
                               ("chair.route@example.com", "Chris Chair", True)]
    assert outbox(csrf_app) == before


def test_csrf_token_from_other_session_rejected_anonymous(csrf_app, objects):
    stolen = csrf_token(new_client(csrf_app))
    victim = link_client(csrf_app, objects)
    assert csrf_token(victim) != stolen  # the victim has a session token of its own
    assert_all_rejected(victim, csrf_app, objects, {"csrf_token": stolen})


def test_csrf_token_from_other_session_rejected_signed_in(csrf_app, objects):
    stolen = csrf_token(new_client(csrf_app))
    client = signed_in_client(csrf_app)
    assert_all_rejected(client, csrf_app, objects, {"csrf_token": stolen})
    assert "robin@example.com" in client.get("/account/profile").get_data(as_text=True)


def test_csrf_valid_token_reaches_every_post_route(csrf_app):
    # The control for the tests above: each request, sent with the client's own token to a
    # fresh set of objects, is accepted (no 403/404, no sign-in), and most change rows; so
    # the requests above were refused for their token alone.
    changed = set()
    for index in range(len(unsafe_routes(csrf_app))):
        with csrf_app.app_context():
            wipe_database()
        objects = make_objects(csrf_app)
        client = signed_in_client(csrf_app)
        method, path, endpoint = unsafe_routes(csrf_app, objects.values)[index]
        if endpoint.startswith(("panels.", "chair.")):
            # Robin is on no panel and the route objects have nothing in judging, so these
            # answer 404 whatever the token. They are controlled elsewhere: the browser
            # journey (tests/browser/test_judging_journey.py) posts each with CSRF on.
            continue
        data = {**FORM, **FORM_FOR.get(endpoint, {}), "csrf_token": csrf_token(client)}
        before = snapshot(csrf_app)
        response = client.open(path, method=method, data=data)
        expected = (OWN_REFUSAL[endpoint],) if endpoint in OWN_REFUSAL else (200, 302)
        assert response.status_code in expected, (path, response.status_code)
        assert EXPIRED not in response.get_data(as_text=True), path
        assert "/account/sign-in?next=" not in response.headers.get("Location", ""), path
        if snapshot(csrf_app) != before:
            changed.add(endpoint)
    assert {
        "nominations.start", "nominations.step", "nominations.check", "nominations.invite",
        "nominations.remove_photo", "nominations.withdraw", "nominations.confirm_link",
        "consent.consent", "supporters.statement", "supporters.join", "supporters.confirm",
        "moderation.detail", "moderation.record_consent", "setup.archive", "setup.areas",
        "accounts.register", "accounts.profile", "accounts.change_password",
        "accounts.reset_password", "thanks.new", "thanks.moderate",
    } <= changed


def test_csrf_garbage_token_rejected(csrf_app):
    client = new_client(csrf_app)
    csrf_token(client)
    response = client.post("/account/register", data={**FORM, "csrf_token": "garbage"})
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert users(csrf_app) == []


def test_csrf_valid_token_register_through_form(csrf_app):
    client = new_client(csrf_app)
    response = client.post("/account/register",
                           data={**FORM, "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/register/check-your-email"
    assert users(csrf_app) == [("mallory@example.com", "Mallory Example", False)]
    assert outbox(csrf_app) == [("mallory@example.com", "accounts/verify_email")]


def test_csrf_valid_token_sign_out_through_form(csrf_app):
    with csrf_app.app_context():
        create_verified_user("Robin", "robin@example.com", DEFAULT_PASSWORD)
        db.session.commit()
    client = signed_in_client(csrf_app)
    token = csrf_token(client, "/account/profile")
    response = client.post("/account/sign-out", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 302  # signed out


def crawl_get(client, application, values=None):
    """GET every route; {endpoint: (status, body)}."""
    pages = {}
    for rule in rules_for(application, "GET"):
        response = client.get(path_for(rule, values))
        assert response.status_code in (200, 302, 400, 403, 404), rule.rule
        body = response.get_data(as_text=response.mimetype.startswith("text/"))
        pages[rule.endpoint] = (response.status_code, body)
        # The language link sets a preference cookie (the one GET that may): keep reading
        # the other pages in English.
        client.delete_cookie("language")
    return pages


def test_no_get_route_changes_state(csrf_app, objects):
    client = signed_in_client(csrf_app)
    before = snapshot(csrf_app)
    # Real, unused links: opening them (as mail scanners do) must not use them.
    anonymous = crawl_get(new_client(csrf_app), csrf_app, objects.values)
    granted = crawl_get(link_client(csrf_app, objects), csrf_app, objects.values)
    admin = crawl_get(client, csrf_app, objects.values)
    crawl_get(new_client(csrf_app), csrf_app)  # dummy values
    crawl_get(client, csrf_app)
    assert snapshot(csrf_app) == before
    assert nomination_state(csrf_app, objects) == UNCHANGED
    # The confirm pages were really shown (with a button), not refused.
    for pages in (anonymous, granted, admin):
        assert pages["nominations.confirm_link"][0] == 200
        assert "Confirm my nomination" in pages["nominations.confirm_link"][1]
        assert pages["supporters.confirm"][0] == 200
        assert "Confirm my email address" in pages["supporters.confirm"][1]
        assert pages["consent.consent"][0] == 200
        assert "Save my answer" in pages["consent.consent"][1]
        assert pages["accounts.verify_email"][0] == 200
        assert pages["accounts.reset_password"][0] == 200
    assert granted["nominations.photo"][0] == admin["nominations.photo"][0] == 200
    assert anonymous["moderation.detail"][0] == 302  # to the sign-in page
    assert admin["moderation.detail"][0] == 200
    assert users(csrf_app) == [("robin@example.com", "Robin", True),
                               ("pat.route@example.com", "Pat Panel", True),
                               ("kim.route@example.com", "Kim Unverified", False),
                               ("chair.route@example.com", "Chris Chair", True)]
    with csrf_app.app_context():
        assert [t.used_at for t in db.session.scalars(select(Token))] == [None, None]


def test_a_page_with_several_forms_gives_no_two_elements_one_id(csrf_app):
    """The header's "Sign out" and the account page's own forms each carry a token; ids must
    be unique on a page, so the tokens' inputs have none (and the token still works)."""
    with csrf_app.app_context():
        create_verified_user("Robin", "robin@example.com", DEFAULT_PASSWORD)
        db.session.commit()
    client = signed_in_client(csrf_app)
    page = client.get("/account/profile").get_data(as_text=True)

    ids = re.findall(r'\sid="([^"]+)"', page)
    assert page.count('name="csrf_token"') >= 2
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    response = client.post("/account/sign-out", data={"csrf_token": _TOKEN.search(page)[1]})
    assert response.status_code == 302
