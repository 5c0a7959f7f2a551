"""Account services: registration, verification, sign-in checks, passwords, profile and roles."""
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from awards.accounts import services
from awards.accounts.enums import Role
from awards.accounts.models import User
from awards.accounts.passwords import needs_rehash, verify_password
from awards.accounts.queries import user_for_session
from awards.core.audit import AuditEvent
from awards.core.db import utcnow
from awards.core.tokens import Token, issue_token
from awards.extensions import db
from tests.conftest import DEFAULT_PASSWORD, link_in

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(autouse=True)
def _request(app):
    """Services build e-mailed links with url_for, which needs a request (no SERVER_NAME)."""
    with app.test_request_context():
        yield


def audit(action):
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


def tokens(user, purpose):
    return db.session.scalars(
        select(Token).where(Token.user_id == user.id, Token.purpose == purpose).order_by(Token.id)
    ).all()


def raw_token_from(message, path_part):
    return link_in(message, path_part).rsplit("/", 1)[1]


# --- register and verify ----------------------------------------------------------------

def test_register_user_creates_unverified_account_and_mails_link(outbox):
    user = services.register_user("  Sam Example ", " Sam@Example.COM", "a long enough password")
    db.session.commit()

    assert (user.name, user.email, user.is_verified) == ("Sam Example", "sam@example.com", False)
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "a long enough password")
    [message] = outbox()
    assert (message.kind, message.recipient) == ("accounts/verify_email", "sam@example.com")
    [token] = tokens(user, "verify_email")
    assert token.expires_at - utcnow() > timedelta(hours=47)
    [event] = audit("user.registered")
    assert (event.actor_id, event.object_id) == (user.id, user.id)


def test_register_user_with_the_kelvin_sign_is_the_existing_account(make_user, outbox):
    """Regression: the Kelvin sign (U+212A) registered a second account beside rt-kelvin@."""
    owner = make_user(name="Rita Kelvin", email="rt-kelvin@example.com")

    result = services.register_user("Mallory", "rt-\u212aelvin@example.com", "another password 1")
    db.session.commit()

    assert result is None
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert [(m.kind, m.recipient) for m in outbox()] == [
        ("accounts/account_exists", "rt-kelvin@example.com")]
    assert [e.object_id for e in audit("user.register_existing")] == [owner.id]


@pytest.mark.parametrize("lookalike", [
    "rt-kelvi\u0307n@example.com",  # i with a combining dot above
    "rt-k\u0435lvin@example.com",  # Cyrillic e
    "rt-ke1vin@example.com",  # one for l
    "rt-kélvin@example.com",
])
def test_register_user_with_a_lookalike_of_an_account_creates_nothing_and_sends_nothing(
        make_user, outbox, lookalike):
    """Regression: rt-kelvi\u0307n@ registered separately from rt-kelvin@. A look-alike makes
    no second account, and no mail (the look-alike's owner is told nothing about the other
    account, whose owner is not pestered); the page is the same as for any registration."""
    owner = make_user(name="Rita Kelvin", email="rt-kelvin@example.com")

    result = services.register_user("Mallory", lookalike, "another password 1")
    db.session.commit()

    assert result is None
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert outbox() == []
    [event] = audit("user.register_lookalike")
    assert event.object_id == owner.id


def test_register_user_existing_address_mails_the_owner_only(make_user, outbox):
    owner = make_user(name="Sam Original", email="sam@example.com")
    old_hash = owner.password_hash

    result = services.register_user("Someone Else", "SAM@example.com ", "another password 1")
    db.session.commit()

    assert result is None
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    db.session.refresh(owner)
    assert (owner.name, owner.password_hash) == ("Sam Original", old_hash)
    assert [(m.kind, m.recipient) for m in outbox()] == [
        ("accounts/account_exists", "sam@example.com")
    ]
    assert tokens(owner, "verify_email") == []
    assert [e.object_id for e in audit("user.register_existing")] == [owner.id]


def test_verify_email_marks_verified_once(outbox):
    user = services.register_user("Sam", "sam@example.com", "a long enough password")
    db.session.commit()
    raw = raw_token_from(outbox()[0], "/account/verify/")

    assert services.verify_email(raw) is user
    db.session.commit()

    assert user.is_verified
    assert len(audit("user.email_verified")) == 1
    with pytest.raises(services.AccountError, match="This link has already been used."):
        services.verify_email(raw)


def test_verify_email_for_an_already_verified_user_adds_no_audit(make_user):
    user = make_user()
    verified_at = user.email_verified_at
    raw = issue_token(user, services.VERIFY, 1)

    services.verify_email(raw)
    db.session.commit()

    assert user.email_verified_at == verified_at
    assert audit("user.email_verified") == []


def test_verify_email_refuses_a_reset_token(make_user):
    user = make_user(verified=False)
    raw = issue_token(user, services.RESET, 1)

    with pytest.raises(services.AccountError, match="This link is not valid."):
        services.verify_email(raw)
    assert not user.is_verified


# --- sign in and out --------------------------------------------------------------------

def test_authenticate_matches_address_case_insensitively(make_user):
    user = make_user(email="sam@example.com")

    assert services.authenticate(" SAM@example.com", DEFAULT_PASSWORD) is user
    assert audit("user.sign_in_failed") == []


def test_authenticate_failures_are_audited_without_an_actor(make_user):
    user = make_user(email="sam@example.com")

    assert services.authenticate("sam@example.com", "wrong password!") is None
    assert services.authenticate("Nobody@Example.com", DEFAULT_PASSWORD) is None
    db.session.commit()

    assert [(e.actor_id, e.object_type, e.object_id, e.details)
            for e in audit("user.sign_in_failed")] == [
        (None, "user", user.id, {"email": "sam@example.com"}),
        (None, None, None, {"email": "nobody@example.com"}),
    ]


def test_authenticate_upgrades_a_weak_hash(make_user):
    user = make_user()
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(
        DEFAULT_PASSWORD)
    assert needs_rehash(user.password_hash)

    assert services.authenticate(user.email, DEFAULT_PASSWORD) is user

    assert not needs_rehash(user.password_hash)
    assert verify_password(user.password_hash, DEFAULT_PASSWORD)


def test_record_sign_in_sets_time_and_audits(make_user):
    user = make_user()

    services.record_sign_in(user)
    db.session.commit()

    assert abs(utcnow() - user.last_sign_in_at) < timedelta(minutes=1)
    [event] = audit("user.signed_in")
    assert (event.actor_id, event.object_id) == (user.id, user.id)


def test_sign_out_everywhere_invalidates_every_session_id(make_user):
    user = make_user()
    old_session_id = user.get_id()
    assert user_for_session(old_session_id) is user

    services.sign_out_everywhere(user)
    db.session.commit()

    assert user.get_id() != old_session_id
    assert user_for_session(old_session_id) is None
    assert user_for_session(user.get_id()) is user
    assert [e.object_id for e in audit("user.signed_out")] == [user.id]


# --- passwords --------------------------------------------------------------------------

def test_request_password_reset_unknown_address_does_nothing(make_user, outbox):
    make_user(email="sam@example.com")

    assert services.send_password_reset("nobody@example.com") is None
    services.request_password_reset("nobody@example.com")
    db.session.commit()

    assert outbox() == []
    assert db.session.scalar(select(func.count()).select_from(Token)) == 0
    assert audit("user.password_reset_requested") == []


def test_reset_password_sets_password_and_revokes_everything(make_user, outbox):
    user = make_user(verified=False)
    old_session_id = user.get_id()
    services.request_password_reset(user.email)
    services.request_password_reset(user.email)
    db.session.commit()
    older, newer = (raw_token_from(m, "/account/reset/") for m in outbox())

    services.reset_password(newer, NEW_PASSWORD)
    db.session.commit()

    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert user_for_session(old_session_id) is None
    assert all(t.used_at is not None for t in tokens(user, "reset_password"))
    assert user.is_verified  # the link arrived by e-mail, so the address is proven
    assert [m.kind for m in outbox()][-1] == "accounts/password_changed"
    assert [e.object_id for e in audit("user.password_reset")] == [user.id]
    for raw in (newer, older):
        with pytest.raises(services.AccountError, match="This link has already been used."):
            services.reset_password(raw, "yet another password")


def test_reset_password_refuses_an_expired_link(make_user):
    user = make_user()
    raw = issue_token(user, services.RESET, 1)
    tokens(user, services.RESET)[0].expires_at = utcnow() - timedelta(minutes=1)
    old_hash = user.password_hash

    with pytest.raises(services.AccountError, match="This link has expired."):
        services.reset_password(raw, NEW_PASSWORD)
    assert user.password_hash == old_hash


def test_change_password_wrong_current_password_changes_nothing(make_user, outbox):
    user = make_user()
    old = (user.password_hash, user.session_token)

    with pytest.raises(services.AccountError, match="Your current password is not right."):
        services.change_password(user, "not my password", NEW_PASSWORD)

    assert (user.password_hash, user.session_token) == old
    assert outbox() == []


def test_change_password_rotates_sessions_and_notifies(make_user, outbox):
    user = make_user()
    old_session_id = user.get_id()

    services.change_password(user, DEFAULT_PASSWORD, NEW_PASSWORD)
    db.session.commit()

    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert user_for_session(old_session_id) is None
    assert [(m.kind, m.recipient) for m in outbox()] == [
        ("accounts/password_changed", user.email)
    ]
    assert [e.object_id for e in audit("user.password_changed")] == [user.id]


@pytest.mark.parametrize("change", [
    lambda user: services.change_password(user, DEFAULT_PASSWORD, NEW_PASSWORD),
    services.sign_out_everywhere,
], ids=["change_password", "sign_out_everywhere"])
def test_password_change_and_sign_out_everywhere_revoke_reset_links(make_user, outbox, change):
    user = make_user()
    services.request_password_reset(user.email)
    db.session.commit()
    raw = raw_token_from(outbox()[0], "/account/reset/")

    change(user)
    db.session.commit()

    assert all(t.used_at is not None for t in tokens(user, services.RESET))
    password_hash = user.password_hash
    with pytest.raises(services.AccountError, match="This link has already been used."):
        services.reset_password(raw, "an attacker's password")
    assert user.password_hash == password_hash
    # A link asked for afterwards works.
    services.request_password_reset(user.email)
    db.session.commit()
    services.reset_password(raw_token_from(outbox()[-1], "/account/reset/"), "the newest one")
    assert verify_password(user.password_hash, "the newest one")


# --- profile ----------------------------------------------------------------------------

def test_update_profile_records_from_and_to(make_user):
    user = make_user(name="Old Name")

    services.update_profile(user, "  New Name ", "en")
    db.session.commit()

    assert (user.name, user.locale) == ("New Name", "en")
    [event] = audit("user.profile_updated")
    assert event.details == {"name": ["Old Name", "New Name"], "locale": [None, "en"]}


def test_update_profile_without_changes_records_nothing(make_user):
    user = make_user(name="Same Name")

    services.update_profile(user, "Same Name", "")
    db.session.commit()

    assert (user.name, user.locale) == ("Same Name", None)
    assert audit("user.profile_updated") == []


# --- roles ------------------------------------------------------------------------------

def test_everyone_is_a_resident(make_user):
    user = make_user()

    assert user.has_role(Role.RESIDENT) and user.has_role("resident")
    assert not user.has_role(Role.ADMIN)
    assert user.role_names == ["Resident"]


def test_grant_role_is_audited_once(make_user):
    admin = make_user(roles=[Role.ADMIN])
    user = make_user()

    services.grant_role(user, Role.PANEL_MEMBER, actor=admin)
    services.grant_role(user, "panel_member", actor=admin)  # already held: no change
    services.grant_role(user, Role.HELPER, actor=admin)
    db.session.commit()

    assert user.has_role(Role.PANEL_MEMBER) and user.has_role(Role.HELPER)
    assert user.role_names == ["Resident", "Helper", "Panel member"]
    granted = [e for e in audit("user.role_granted") if e.object_id == user.id]
    assert [(e.actor_id, e.details) for e in granted] == [
        (admin.id, {"role": "panel_member"}), (admin.id, {"role": "helper"}),
    ]


def test_granting_resident_changes_nothing(make_user):
    user = make_user()

    services.grant_role(user, Role.RESIDENT)
    db.session.commit()

    assert user.roles == []
    assert audit("user.role_granted") == []


def test_revoke_role_is_audited(make_user):
    admin = make_user(roles=[Role.ADMIN])
    user = make_user(roles=[Role.HELPER, Role.PANEL_MEMBER])

    services.revoke_role(user, Role.HELPER, actor=admin)
    db.session.commit()

    db.session.expire_all()
    assert not user.has_role(Role.HELPER)
    assert user.has_role(Role.PANEL_MEMBER)
    [event] = audit("user.role_revoked")
    assert (event.actor_id, event.object_id, event.details) == (
        admin.id, user.id, {"role": "helper"})


def test_create_verified_user_refuses_a_taken_address(make_user):
    make_user(email="sam@example.com")

    with pytest.raises(services.AccountError,
                       match="An account for sam@example.com already exists."):
        services.create_verified_user("Sam Again", "Sam@Example.com", "another password 1")


@pytest.mark.parametrize(("hours", "said"), [(1, "1 hour"), (2, "2 hours")])
@pytest.mark.parametrize("kind", ["accounts/verify_email", "accounts/reset_password"])
def test_account_emails_say_how_long_the_link_works_in_the_right_plural(
        app, make_user, kind, hours, said):
    from awards.core.mail.compose import render_email
    user = make_user(name="Sam Jones")
    with app.test_request_context():
        _subject, text, html = render_email(kind, user=user, link="https://x.test/t", hours=hours)
    assert f" {said}." in text and f" {said}." in html
    wrong = "1 hours" if hours == 1 else "2 hour."
    assert wrong not in text and wrong not in html
