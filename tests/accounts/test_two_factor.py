"""Two-factor sign-in: setting up an authenticator app, the second step after the password
(a code or a recovery code), turning it off, and the staff pages that require it where
REQUIRE_TWO_FACTOR is on (production)."""
import hashlib
import re
from types import SimpleNamespace

import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import config
from awards import factories
from awards.accounts import two_factor
from awards.accounts.enums import Role
from awards.accounts.models import Passkey, RecoveryCode, TwoFactor, User
from awards.core.audit import AuditEvent
from awards.core.db import utcnow
from awards.core.security import rate_limiter
from awards.extensions import db
from tests.conftest import DEFAULT_PASSWORD

START = 1_800_000_000  # a fixed moment, on a 30-second boundary


def text(response):
    return response.get_data(as_text=True)


def reload(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def actions(user):
    db.session.expire_all()
    return [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == user.id)
        .order_by(AuditEvent.id))]


@pytest.fixture
def clock(monkeypatch):
    """The time two_factor sees: fixed, moved on with `clock.step()` (30 seconds)."""
    now = SimpleNamespace(value=START)
    monkeypatch.setattr(two_factor, "time", SimpleNamespace(time=lambda: now.value))

    def step(steps=1):
        now.value += 30 * steps

    now.step = step
    return now


def code(secret, clock, offset=0):
    return pyotp.TOTP(secret).at(clock.value + 30 * offset)


def enrol_page_secret(client):
    page = text(client.get("/account/two-factor/set-up"))
    match = re.search(r'<code class="secret-key" translate="no">([A-Z2-7 ]+)</code>', page)
    return match.group(1).replace(" ", ""), page


@pytest.fixture
def enrolled(app, make_user, sign_in, clock):
    """Factory: a user (an admin unless told) with the app set up through the pages; returns
    (user, secret, recovery codes, the client that set it up)."""

    def make(roles=(Role.ADMIN,), **kwargs):
        user = make_user(roles=roles, **kwargs)
        client = app.test_client()
        sign_in(user, target=client)
        secret, _page = enrol_page_secret(client)
        response = client.post("/account/two-factor/set-up",
                               data={"code": code(secret, clock)})
        codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", text(response))
        assert len(codes) == 10
        clock.step()
        return reload(user), secret, codes, client

    return make


def test_two_factor_enrol_shows_qr_and_secret_and_needs_a_right_code(app, make_user, sign_in,
                                                                      clock):
    user = make_user(name="Ada Admin", roles=[Role.ADMIN])
    client = app.test_client()
    sign_in(user, target=client)
    secret, page = enrol_page_secret(client)
    assert len(secret) == 32
    # The QR code is inline SVG, titled, of the otpauth address.
    assert re.search(r'<svg role="img" [^>]*class="qr-code"[^>]*><title>QR code to scan with '
                     r'your authenticator app</title>', page)
    assert "<script" not in page.split("<main")[1].split("</main>")[0]
    # The secret stays the same on a reload (the QR code the person scanned stays right).
    assert enrol_page_secret(client)[0] == secret

    wrong = client.post("/account/two-factor/set-up", data={"code": "000000"})
    assert wrong.status_code == 200
    assert ("That code is not right. Enter the 6-digit code your authenticator app shows "
            "now.") in text(wrong)
    assert reload(user).two_factor is None

    done = client.post("/account/two-factor/set-up", data={"code": code(secret, clock)})
    page = text(done)
    assert "Your recovery codes" in page and "They will not be shown again." in page
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page)
    assert len(set(codes)) == 10
    user = reload(user)
    assert user.has_two_factor and user.two_factor.secret == secret
    assert "user.two_factor_enabled" in actions(user)
    # Only the hashes are stored.
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(
        RecoveryCode.user_id == user.id)).all()
    assert sorted(stored) == sorted(hashlib.sha256(c.replace("-", "").encode()).hexdigest()
                                    for c in codes)
    assert not any(c in "".join(stored) or c.replace("-", "") in "".join(stored) for c in codes)
    # This browser carries on; the page says it is on; a second set-up is refused.
    settings_page = text(client.get("/account/two-factor"))
    assert "Two-factor sign-in with an authenticator app is on." in settings_page
    assert "You have 10 unused recovery codes." in settings_page
    assert client.get("/account/two-factor/set-up").headers["Location"] == "/account/two-factor"


def test_two_factor_enrol_signs_out_other_sessions(app, make_user, sign_in, clock):
    user = make_user(roles=[Role.ADMIN])
    other, this = app.test_client(), app.test_client()
    sign_in(user, target=other)
    sign_in(user, target=this)
    secret, _page = enrol_page_secret(this)
    this.post("/account/two-factor/set-up", data={"code": code(secret, clock)})
    assert this.get("/account/profile").status_code == 200
    assert other.get("/account/profile").status_code == 302


def test_two_factor_sign_in_asks_for_the_code_after_the_password(app, enrolled, sign_in, clock):
    user, secret, _codes, _client = enrolled()
    client = app.test_client()
    response = sign_in(user, target=client)
    assert response.headers["Location"] == "/account/two-factor/code"
    # Signed in with the password only: nothing is open yet.
    assert client.get("/account/profile").headers["Location"].startswith("/account/sign-in")
    assert client.get("/admin").status_code == 302
    assert "user.password_accepted" in actions(user)
    page = text(client.get("/account/two-factor/code"))
    assert "Enter your code" in page and 'autocomplete="one-time-code"' in page

    wrong = client.post("/account/two-factor/code", data={"code": "123456"})
    assert wrong.status_code == 200
    assert "That code is not right. Check your app and try again." in text(wrong)
    assert actions(user).count("user.two_factor_failed") == 1
    assert client.get("/account/profile").status_code == 302

    right = client.post("/account/two-factor/code", data={"code": code(secret, clock)})
    assert right.headers["Location"] == "/"
    assert client.get("/account/profile").status_code == 200
    assert client.get("/admin").status_code == 200
    signed_in = [e for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user.signed_in", AuditEvent.object_id == user.id))]
    assert signed_in[-1].details == {"method": "authenticator"}


def test_two_factor_a_code_works_once(app, enrolled, sign_in, clock):
    user, secret, _codes, _client = enrolled()
    first, second = app.test_client(), app.test_client()
    sign_in(user, target=first)
    sign_in(user, target=second)
    used = code(secret, clock)
    assert first.post("/account/two-factor/code", data={"code": used}).status_code == 302
    replay = second.post("/account/two-factor/code", data={"code": used})
    assert "That code is not right." in text(replay)
    assert second.get("/account/profile").status_code == 302


def test_two_factor_sign_in_keeps_next_and_remember(app, enrolled, clock):
    user, secret, _codes, _client = enrolled()
    client = app.test_client()
    response = client.post("/account/sign-in?next=/admin/users",
                           data={"email": user.email, "password": DEFAULT_PASSWORD,
                                 "remember": "y"})
    assert response.headers["Location"] == "/account/two-factor/code"
    response = client.post("/account/two-factor/code", data={"code": code(secret, clock)})
    assert response.headers["Location"] == "/admin/users"
    assert "remember_token" in {cookie.key for cookie in client._cookies.values()}


def test_two_factor_recovery_codes_work_once(app, enrolled, sign_in):
    user, _secret, codes, _client = enrolled()
    client = app.test_client()
    sign_in(user, target=client)
    # Typed in capitals with a space: still the code.
    typed = codes[3].upper().replace("-", " ")
    response = client.post("/account/two-factor/code", data={"code": typed},
                           follow_redirects=True)
    assert "You used a recovery code. You have 9 left." in text(response)
    assert client.get("/account/profile").status_code == 200
    user = reload(user)
    assert sum(1 for c in user.recovery_codes if c.is_used) == 1

    again = app.test_client()
    sign_in(user, target=again)
    refused = again.post("/account/two-factor/code", data={"code": codes[3]})
    assert "That code is not right." in text(refused)
    assert again.get("/account/profile").status_code == 302


def test_two_factor_too_many_wrong_codes_refuse_every_code(app, enrolled, sign_in, clock):
    user, secret, _codes, _client = enrolled()
    client = app.test_client()
    sign_in(user, target=client)
    for _attempt in range(two_factor.MAX_FAILURES):
        client.post("/account/two-factor/code", data={"code": "000000"})
    locked = client.post("/account/two-factor/code", data={"code": code(secret, clock)})
    assert "Too many wrong codes. Wait 15 minutes, then try again." in text(locked)
    assert client.get("/account/profile").status_code == 302


@pytest.mark.no_app_context
def test_two_factor_code_step_is_rate_limited(build_app):
    other = build_app(RATELIMIT_ENABLED=True, RATELIMIT_TWO_FACTOR="3 per minute")
    with other.app_context():
        rate_limiter(other).reset()
        user = factories.user("Ada Admin", "ada@example.com", DEFAULT_PASSWORD,
                              roles=[Role.ADMIN])
        user.two_factor = TwoFactor(secret=two_factor.new_secret(), confirmed_at=utcnow())
        db.session.commit()
    client = other.test_client()
    client.post("/account/sign-in", data={"email": "ada@example.com",
                                          "password": DEFAULT_PASSWORD})
    statuses = [client.post("/account/two-factor/code", data={"code": "000000"}).status_code
                for _attempt in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/account/two-factor/code").status_code == 200  # the page still shows


def test_two_factor_step_without_a_password_step_goes_to_sign_in(client):
    response = client.get("/account/two-factor/code")
    assert response.headers["Location"] == "/account/sign-in"
    assert client.post("/account/two-factor/code", data={"code": "123456"}).status_code == 302


def test_two_factor_disable_needs_a_code(app, enrolled, clock):
    user, secret, _codes, client = enrolled()
    refused = client.post("/account/two-factor/turn-off", data={"off-code": "000000"})
    assert refused.status_code == 400
    assert "That code is not right." in text(refused)
    assert reload(user).has_two_factor
    done = client.post("/account/two-factor/turn-off", data={"off-code": code(secret, clock)},
                       follow_redirects=True)
    assert "Two-factor sign-in with an app is off." in text(done)
    user = reload(user)
    assert not user.has_two_factor and user.recovery_codes == []
    assert "user.two_factor_disabled" in actions(user)


def test_two_factor_new_recovery_codes_replace_the_old(app, enrolled, sign_in, clock):
    user, secret, codes, client = enrolled()
    response = client.post("/account/two-factor/recovery-codes",
                           data={"code": code(secret, clock)})
    new_codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", text(response))
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    other = app.test_client()
    sign_in(user, target=other)
    assert "That code is not right." in text(
        other.post("/account/two-factor/code", data={"code": codes[0]}))
    assert other.post("/account/two-factor/code",
                      data={"code": new_codes[0]}).status_code == 302


def test_two_factor_required_only_where_configured():
    assert config.ProductionConfig().REQUIRE_TWO_FACTOR is True
    assert config.DevelopmentConfig().REQUIRE_TWO_FACTOR is False
    assert config.TestingConfig().REQUIRE_TWO_FACTOR is False


@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_TWO_FACTOR", True)


def test_two_factor_required_sends_staff_to_set_it_up(app, required, make_user, sign_in,
                                                      clock):
    admin = make_user(roles=[Role.ADMIN])
    client = app.test_client()
    sign_in(admin, target=client)
    for path in ("/admin", "/admin/users?q=a", "/admin/nominations", "/assist"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/account/two-factor/set-up?next="), path
    followed = client.get("/admin/nominations", follow_redirects=True)
    assert "Set up two-factor sign-in to open staff pages." in text(followed)
    # Their own pages still open.
    assert client.get("/account/profile").status_code == 200
    # Set up: the page asked for opens.
    secret, _page = enrol_page_secret(client)
    done = client.post("/account/two-factor/set-up?next=/admin/nominations",
                       data={"code": code(secret, clock)})
    assert 'href="/admin/nominations"' in text(done)
    assert client.get("/admin/nominations").status_code == 200


def test_two_factor_required_for_panel_members(app, required, make_user, sign_in):
    judge = make_user(name="Jo Judge")
    panel = factories.panel(factories.cycle(), members=[judge])
    db.session.commit()
    client = app.test_client()
    sign_in(judge, target=client)
    response = client.get(f"/panel/{panel.id}")
    assert response.headers["Location"].startswith("/account/two-factor/set-up")
    # A resident is not asked (the page's own check answers).
    resident = app.test_client()
    sign_in(make_user(), target=resident)
    assert resident.get("/admin").status_code == 403


def test_two_factor_required_password_only_session_is_not_enough(app, required, enrolled,
                                                                 clock):
    user, secret, _codes, _client = enrolled()
    client = app.test_client()
    client.post("/account/sign-in", data={"email": user.email,
                                          "password": DEFAULT_PASSWORD, "remember": "y"})
    client.post("/account/two-factor/code", data={"code": code(secret, clock)})
    assert client.get("/admin").status_code == 200
    # Only the remember cookie left (the browser was closed): signed in, but the second
    # step was not done in this session.
    remembered = app.test_client()
    remembered.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert remembered.get("/account/profile").status_code == 200
    response = remembered.get("/admin/users")
    assert response.headers["Location"] == "/account/two-factor/code?next=/admin/users"
    clock.step()
    response = remembered.post("/account/two-factor/code?next=/admin/users",
                               data={"code": code(secret, clock)})
    assert response.headers["Location"] == "/admin/users"
    assert remembered.get("/admin/users").status_code == 200


def test_two_factor_not_required_in_development_config(app, make_user, sign_in):
    admin = make_user(roles=[Role.ADMIN])
    client = app.test_client()
    sign_in(admin, target=client)
    assert app.config["REQUIRE_TWO_FACTOR"] is False
    assert client.get("/admin").status_code == 200
    assert client.get("/admin/users").status_code == 200


HOSTILE = st.one_of(st.text(max_size=50), st.sampled_from([
    "<script>alert(1)</script>", '"><svg onload=alert(1)>', "123456", "0" * 6, "９９９９９９",
    "abcde-fghij", "-", " ", "1" * 200, "</code>"]))


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(value=HOSTILE, name=st.sampled_from(["code", "off-code", "x"]))
def test_two_factor_forms_hostile_input(app, enrolled, value, name):
    user, _secret, _codes, client = enrolled()
    for path in ("/account/two-factor/set-up", "/account/two-factor/code",
                 "/account/two-factor/turn-off", "/account/two-factor/recovery-codes"):
        response = client.post(path, data={name: value})
        assert response.status_code < 500, path
        body = text(response)
        for dangerous in ("<script>alert", "<svg onload", "</code>"):
            if dangerous in value:
                assert dangerous not in body, path
    assert reload(user).has_two_factor


# --- Passkeys (the browser test adds and uses a real one with Chromium's virtual
# authenticator: tests/browser/test_two_factor_journey.py) -----------------------------

def a_passkey(user, name="Old phone"):
    user.passkeys.append(Passkey(credential_id=b"credential-" + name.encode(),
                                 public_key=b"not-a-key", sign_count=0, name=name))
    db.session.commit()
    return user.passkeys[-1]


def test_two_factor_passkey_options_name_the_site_and_the_account(app, make_user, sign_in):
    user = make_user(name="Ada Admin", roles=[Role.ADMIN])
    client = app.test_client()
    sign_in(user, target=client)
    a_passkey(user)
    options = client.post("/account/passkeys/options").json
    assert options["rp"] == {"id": "localhost", "name": app.config["SCHEME_NAME"]}
    assert options["user"]["name"] == user.email
    # The passkey already added is excluded (no second copy on the same authenticator).
    assert [c["id"] for c in options["excludeCredentials"]] == ["Y3JlZGVudGlhbC1PbGQgcGhvbmU"]


def test_two_factor_passkey_forged_answers_are_refused(app, make_user, sign_in):
    user = make_user(roles=[Role.ADMIN])
    a_passkey(user)
    client = app.test_client()
    # Half-way through signing in: a made-up answer to the challenge signs nobody in.
    assert sign_in(user, target=client).headers["Location"] == "/account/two-factor/code"
    assert client.post("/account/two-factor/passkey/options").status_code == 200
    forged = {"id": "Y3JlZGVudGlhbC1PbGQgcGhvbmU", "rawId": "Y3JlZGVudGlhbC1PbGQgcGhvbmU",
              "type": "public-key", "response": {"clientDataJSON": "e30",
                                                 "authenticatorData": "AAAA",
                                                 "signature": "AAAA"}}
    response = client.post("/account/two-factor/passkey", json=forged)
    assert response.status_code == 400
    assert response.json == {"error": "The passkey was not accepted. Try again, or enter a code."}
    assert client.get("/account/profile").status_code == 302
    assert actions(user).count("user.two_factor_failed") == 1
    # Without asking for a challenge first, even a well-formed answer has nothing to answer.
    assert client.post("/account/two-factor/passkey", json=forged).status_code == 400
    # A made-up passkey to add: refused, nothing kept.
    other = make_user()
    adder = app.test_client()
    sign_in(other, target=adder)
    adder.post("/account/passkeys/options")
    response = adder.post("/account/passkeys", json={"name": "<b>Mine</b>",
                                                     "credential": forged})
    assert response.status_code == 400
    assert response.json == {"error": "The passkey could not be added. Please try again."}
    assert reload(other).passkeys == []


def test_two_factor_passkey_removed_by_its_owner_only(app, make_user, sign_in):
    owner, other = make_user(), make_user()
    client, intruder = app.test_client(), app.test_client()
    sign_in(owner, target=client)
    sign_in(other, target=intruder)
    passkey = a_passkey(owner, "Work laptop")
    assert intruder.post(f"/account/passkeys/{passkey.id}/remove").status_code == 404
    assert len(reload(owner).passkeys) == 1
    page = text(client.get("/account/two-factor"))
    assert "<strong>Work laptop</strong>" in page
    response = client.post(f"/account/passkeys/{passkey.id}/remove", follow_redirects=True)
    assert "The passkey has been removed." in text(response)
    assert reload(owner).passkeys == []
    assert "user.passkey_removed" in actions(owner)


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30),
              st.sampled_from(["<script>alert(1)</script>", "AAAA", "e30", "public-key"])),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from(
                                   ["id", "rawId", "type", "response", "clientDataJSON",
                                    "authenticatorData", "signature", "attestationObject",
                                    "name", "credential"]), children, max_size=5)),
    max_leaves=12)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(body=JSON_VALUES)
def test_two_factor_passkey_endpoints_hostile_json(app, make_user, sign_in, body):
    user = make_user(roles=[Role.ADMIN])
    client = app.test_client()
    sign_in(user, target=client)
    assert client.post("/account/passkeys/options").status_code == 200
    added = client.post("/account/passkeys", json=body)
    assert added.status_code == 400
    assert "<script>alert" not in added.get_data(as_text=True)
    a_passkey(user, f"Phone {user.id}")
    half_way = app.test_client()
    sign_in(user, target=half_way)
    half_way.post("/account/two-factor/passkey/options")
    response = half_way.post("/account/two-factor/passkey", json=body)
    assert response.status_code == 400
    assert half_way.get("/account/profile").status_code == 302
