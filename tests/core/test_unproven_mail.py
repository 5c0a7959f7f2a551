"""Mail to addresses the requester has not proven: at most one per address per window, a
per-client limit on every such route, and the same answer whether or not a message went.

An explicit registry rather than a crawl: each route needs its own real request (a draft, an
unverified account, a winner's message...) to reach the code that mails, so a crawl posting
a marker address everywhere would mostly stop at validation and prove little. Instead every
POST endpoint of the url_map must be classified here (a new one fails
`test_every_post_route_is_classified` until it is), and every route that can mail an unproven
address is hit N times with one address.
"""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from awards.accounts.enums import Role
from awards.accounts.services import create_verified_user
from awards.core.mail.models import OutboxMessage
from awards.core.mail.throttle import may_send
from awards.extensions import db
from awards.public.models import ThankYou
from awards.public.services.thanks import leave_thanks
from tests.conftest import DEFAULT_PASSWORD
from tests.core.test_route_policy import finish_draft
from tests.routes import route_objects

N = 5
VICTIM = "Victim@Example.com"  # as typed; the throttle compares the normalised form

# Routes that can e-mail an address the requester has not proven, and the setting of the
# per-client limit that guards them (the route's own `rate_limit` mark, unless named).
UNPROVEN_MAIL = {
    "accounts.register": "RATELIMIT_REGISTER",  # verification, or "you have an account"
    "accounts.sign_in": "RATELIMIT_SIGN_IN",  # an unverified account: a fresh verification
    "accounts.forgot_password": "RATELIMIT_RESET",
    "nominations.step": "RATELIMIT_SAVE_FOR_LATER",  # save and come back later
    "nominations.check": "RATELIMIT_NOMINATE_SUBMIT",  # once per nomination (see below)
    "nominations.invite": "RATELIMIT_SUPPORT",
    "supporters.join": "RATELIMIT_SUPPORT",
    # An admin approves, but the message came from anyone: limited where it is left.
    "thanks.moderate": ("thanks.new", "RATELIMIT_THANKS"),
    "newsletter.subscribe": "RATELIMIT_NEWSLETTER",  # confirmation, or "already subscribed"
}
# Every other POST route, and why it cannot.
NO_UNPROVEN_MAIL = {
    **dict.fromkeys(("accounts.change_password", "accounts.profile", "accounts.sign_out"),
                    "signed in: mails only the account's own (verified) address"),
    **dict.fromkeys(("accounts.two_factor_enrol", "accounts.two_factor_recovery_codes",
                     "accounts.two_factor_disable", "accounts.passkey_options",
                     "accounts.passkey_add", "accounts.passkey_remove"),
                    "signed in: mails nobody"),
    **dict.fromkeys(("accounts.two_factor_verify", "accounts.passkey_sign_in_options",
                     "accounts.passkey_sign_in"),
                    "mails nobody (the password was right just before)"),
    **dict.fromkeys(("users.detail", "users.deactivate", "users.reactivate"),
                    "admins only: mails nobody"),
    "accounts.reset_password": "the link proves the address",
    "accounts.verify_email": "the link proves the address",
    "nominations.confirm_link": "the link proves the nominator's address; the nominee is "
                                "mailed once per nomination",
    "nominations.start": "mails nobody",
    "nominations.remove_photo": "mails nobody",
    "nominations.withdraw": "mails nobody",
    "consent.consent": "the nominee's own link",
    "consent.withdraw": "the nominee's own link",
    "supporters.statement": "the supporter's own link",
    "supporters.confirm": "the supporter's own link",
    "thanks.new": "mails nobody (the message waits for a moderator)",
    "assist.start": "staff (helper or admin)",
    **dict.fromkeys(("privacy.access", "privacy.erase"), "admin only; mails nobody"),
    "newsletter.confirm": "the link proves the address",
    "newsletter.preferences": "the subscriber's own link; mails nobody",
    "newsletter.unsubscribe": "the subscriber's own link; mails nobody",
    **dict.fromkeys(("newsletter.account_subscribe", "newsletter.account_unsubscribe"),
                    "signed in: mails nobody"),
    **dict.fromkeys((
        "moderation.detail", "moderation.readiness", "moderation.record_consent",
        "setup.archive", "setup.areas", "setup.copy_cycle", "setup.edit_area",
        "setup.edit_category", "setup.edit_cycle", "setup.new_category", "setup.new_cycle",
        "panel_admin.criterion", "panel_admin.delete_criterion", "panel_admin.edit_panel",
        "panel_admin.member", "panel_admin.new_panel", "panel_admin.panel",
        "panel_admin.publish", "panel_admin.rubric", "chair.change_round", "chair.decide",
        "chair.eligibility", "chair.recuse", "chair.shortlist", "panels.discuss",
        "panels.nomination"), "staff only, to addresses the scheme holds"),
    **dict.fromkeys(("admin_mail.retry", "admin_mail.retry_all"),
                    "admins only: sends again mail already queued, to the same addresses"),
    "admin_audit.export": "mails nobody (a download, recorded in the audit log)",
    **dict.fromkeys(("moderation.record_recognition", "moderation.remove_recognition",
                     "insight.report",
                     "insight.review_support"), "mails nobody (admins only)"),
    "newsletter_admin.send_test": "admin only, to the admin's own (verified) address",
    **dict.fromkeys((
        "newsletter_admin.new", "newsletter_admin.edit", "newsletter_admin.send",
        "newsletter_admin.control"),
        "admin only; a send goes to confirmed subscribers (the delivery workers)"),
}


@pytest.fixture
def throttled(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_UNPROVEN_WINDOW", 600)


@pytest.fixture
def objects(make_user):
    made = route_objects(nominator=make_user(name="Rosa Resident", email="rosa@example.com"))
    made.other = route_objects(prefix="other")
    return made


def mail_to(address):
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == address.lower())).all()


def answer(response):
    """What the person sees: status, where they are sent, the page (nonce and the per-form
    tokens blanked)."""
    body = re.sub(r'(nonce|value)="[^"]*"', r'\1=""', response.get_data(as_text=True))
    return response.status_code, response.headers.get("Location"), body


def anonymous_draft(client, objects):
    response = client.post(f"/nominate/{objects.cycle.slug}", data={"start_token": "t"})
    return response.headers["Location"].split("/")[2]


def hit_register(client, objects):
    return [client.post("/account/register", data={
        "name": "Vic", "email": VICTIM, "password": "long enough password",
        "confirm": "long enough password"}) for _ in range(N)]


def hit_sign_in(client, objects):
    user = create_verified_user("Vic", VICTIM, DEFAULT_PASSWORD)  # registered by an attacker
    user.email_verified_at = None
    db.session.commit()
    return [client.post("/account/sign-in", data={"email": VICTIM, "password": DEFAULT_PASSWORD})
            for _ in range(N)]


def hit_forgot_password(client, objects):
    create_verified_user("Vic", VICTIM, DEFAULT_PASSWORD)
    db.session.commit()
    return [client.post("/account/forgot-password", data={"email": VICTIM}) for _ in range(N)]


def hit_step(client, objects):
    reference = anonymous_draft(client, objects)
    return [client.post(f"/nomination/{reference}/about-you", data={
        "nominator_name": "Vic", "nominator_email": VICTIM, "nominator_relationship": "Friend",
        "nominator_may_be_named": "no", "action": "save-and-exit"}) for _ in range(N)]


def hit_check(client, objects):
    reference = anonymous_draft(client, objects)
    draft = db.session.scalar(select(objects.sent.__class__).filter_by(reference=reference))
    finish_draft(draft, objects.area, category_id=objects.category.id,
                 nominator_email=VICTIM.lower())  # as the form stores it
    db.session.commit()
    return [client.post(f"/nomination/{reference}/check") for _ in range(N)]


def hit_invite(client, objects):
    assert client.get(f"/n/{objects.tokens['nominator']}").status_code == 302
    return [client.post(f"/nomination/{objects.sent.reference}/supporters",
                        data={"email": VICTIM}) for _ in range(N)]


def hit_join(client, objects):
    # One statement per nomination and address, so: the shared links of two nominations.
    return [client.post(f"/support/join/{made.tokens['supporter-invite']}", data={
        "email": VICTIM, "name": "Vic", "relationship": "Friend", "statement": "Kind."})
        for made in (objects, objects.other)]


def hit_moderate(client, objects, make_user, sign_in):
    award = objects.published.award
    award.forwards_thanks = True
    nominee = objects.published.nomination
    nominee.nominee_email = VICTIM.lower()
    messages = [leave_thanks(award, f"Thank you {n}", "Fan") for n in range(N)]
    db.session.commit()
    admin = make_user(roles=[Role.ADMIN])
    assert sign_in(admin, target=client).status_code == 302
    responses = [client.post(f"/admin/thanks/{m.id}/approve") for m in messages]
    db.session.expire_all()
    assert all(db.session.get(ThankYou, m.id).status.value == "approved" for m in messages)
    return responses


def hit_newsletter(client, objects):
    return [client.post("/newsletter", data={"email": VICTIM, "source": "/"})
            for _ in range(N)]


SCENARIOS = {
    "accounts.register": hit_register, "accounts.sign_in": hit_sign_in,
    "accounts.forgot_password": hit_forgot_password, "nominations.step": hit_step,
    "nominations.check": hit_check, "nominations.invite": hit_invite,
    "supporters.join": hit_join, "thanks.moderate": hit_moderate,
    "newsletter.subscribe": hit_newsletter,
}


def post_endpoints(application):
    return {rule.endpoint for rule in application.url_map.iter_rules() if "POST" in rule.methods}


def test_every_post_route_is_classified(app):
    assert not set(UNPROVEN_MAIL) & set(NO_UNPROVEN_MAIL)
    # A new POST route fails here until it is put in one table (and, if it can mail an
    # unproven address, given a scenario below).
    assert post_endpoints(app) == set(UNPROVEN_MAIL) | set(NO_UNPROVEN_MAIL)
    assert set(SCENARIOS) == set(UNPROVEN_MAIL)


@pytest.mark.parametrize("endpoint", sorted(UNPROVEN_MAIL))
def test_unproven_mail_route_has_a_per_client_limit(app, endpoint):
    limited = UNPROVEN_MAIL[endpoint]
    limited_endpoint, key = limited if isinstance(limited, tuple) else (endpoint, limited)
    view = app.view_functions[limited_endpoint]
    assert key in [marked for marked, _when in view.rate_limits]
    assert app.config[key]  # a documented setting with a default


@pytest.mark.parametrize("endpoint", sorted(UNPROVEN_MAIL))
def test_unproven_mail_route_sends_one_message_per_address_and_answers_the_same(
        app, objects, throttled, endpoint, make_user, sign_in):
    client = app.test_client()
    scenario = SCENARIOS[endpoint]
    extra = (make_user, sign_in) if endpoint == "thanks.moderate" else ()
    responses = scenario(client, objects, *extra)

    assert len(mail_to(VICTIM)) == 1, [m.kind for m in mail_to(VICTIM)]
    answers = {answer(r) for r in responses}
    if endpoint == "supporters.join":  # two links: the same page but for the link itself
        answers = {(s, loc, re.sub(r"/support/join/[\w.-]+", "LINK", body))
                   for s, loc, body in answers}
    assert len(answers) == 1, endpoint
    assert responses[0].status_code in (200, 302)


def test_the_window_passes_and_the_next_message_goes(app, objects, throttled):
    client = app.test_client()
    hit_forgot_password(client, objects)
    [message] = mail_to(VICTIM)
    message.created_at -= timedelta(seconds=601)
    db.session.commit()
    client.post("/account/forgot-password", data={"email": VICTIM})
    assert len(mail_to(VICTIM)) == 2
    assert may_send("accounts/reset_password", VICTIM) is False
    assert may_send("accounts/reset_password", VICTIM, window=timedelta(0)) is True


@pytest.mark.no_app_context
def test_save_and_exit_is_limited_per_client_but_other_step_posts_are_not(build_app):
    other = build_app(RATELIMIT_ENABLED=True, RATELIMIT_SAVE_FOR_LATER="2 per hour")
    with other.app_context():
        from awards.core.security import rate_limiter
        rate_limiter().reset()
        made = route_objects(prefix="limit")
        reference = made.draft.reference
        token = made.tokens["nominator-draft"]
    client = other.test_client()
    assert client.get(f"/n/{token}").status_code == 302
    exits = [client.post(f"/nomination/{reference}/how-long",
                         data={"how_long": "1_5", "action": "save-and-exit"})
             for _ in range(3)]
    assert [r.status_code for r in exits] == [302, 302, 429]
    saved = client.post(f"/nomination/{reference}/how-long", data={"how_long": "1_5"})
    assert saved.status_code == 302
