"""Subscribing: double opt-in by e-mail, the same answer for every address, limits per
address, a 72-hour link, unconfirmed addresses deleted after 30 days, the evidence of
consent, and a signed-in resident's account."""
import html
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from awards import factories as f
from awards.core.audit import AuditEvent
from awards.core.db import utcnow
from awards.core.jobs import job_queue
from awards.extensions import db
from awards.newsletter import tasks
from awards.newsletter.enums import SubscriberStatus
from awards.newsletter.models import Subscriber, subscriber_area
from awards.newsletter.services.subscriptions import (
    confirm_token,
    delete_unconfirmed_subscribers,
)
from tests.newsletter.conftest import CONSENT, answer, confirmation_path
from tests.routes import route_objects


def subscriber(email):
    db.session.expire_all()
    return db.session.scalar(select(Subscriber).where(Subscriber.email == email))


def actions():
    """The newsletter's audit events, oldest first."""
    return [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("newsletter.%")).order_by(AuditEvent.id))]


def test_subscribe_double_opt_in_end_to_end(client, subscribe, outbox, north_south):
    north, south, _old = north_south
    page = client.get("/newsletter").get_data(as_text=True)
    # The scheme's current areas, in a fieldset with a legend; never the archived one.
    assert "<legend" in page and "North" in page and "South" in page and "Old Ward" not in page
    wording = html.unescape(CONSENT.search(page)[1])
    assert wording.startswith("Send me the Riverside Big Citizen Awards newsletter")

    before = utcnow()
    response = subscribe("  Reader@Example.COM ", areas=[north], source="/winners/k2/ada")
    assert response.status_code == 200 and "Location" not in response.headers
    assert "Check your email" in response.get_data(as_text=True)

    [message] = outbox()
    assert (message.kind, message.recipient) == ("newsletter/confirm", "reader@example.com")
    assert "72 hours" in message.text_body
    person = subscriber("reader@example.com")
    assert person.is_pending and person.confirmed_at is None
    # The evidence: when, where, the exact sentence shown, in which language.
    assert person.source == "/winners/k2/ada"
    assert person.consent_wording == wording
    assert person.locale == "en"
    assert before <= person.created_at <= utcnow()
    assert person.confirmation_sent_at is not None
    assert person.areas == [north]

    path = confirmation_path(message)
    # Opening the link (as a mail scanner does) changes nothing: it shows a button.
    shown = client.get(path)
    assert shown.status_code == 200
    assert "Confirm my subscription" in shown.get_data(as_text=True)
    assert subscriber("reader@example.com").is_pending

    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert "You are subscribed" in confirmed.get_data(as_text=True)
    person = subscriber("reader@example.com")
    assert person.is_active and person.confirmed_at >= person.created_at
    assert actions() == ["newsletter.requested", "newsletter.confirmed"]
    # Confirming again is harmless.
    assert "You are subscribed" in client.post(path).get_data(as_text=True)
    assert actions() == ["newsletter.requested", "newsletter.confirmed"]
    # No audit detail holds the address.
    details = [str(e.details) for e in db.session.scalars(select(AuditEvent))]
    assert not any("reader@" in d for d in details)


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, subscribe, outbox,
                                                                 north_south):
    north, south, _old = north_south
    f.subscriber("known@example.com", areas=[south], consent_wording="Old words.")
    f.subscriber("paused@example.com", SubscriberStatus.PAUSED)
    f.subscriber("bounced@example.com", SubscriberStatus.SUPPRESSED)
    f.subscriber("left@example.com", SubscriberStatus.UNSUBSCRIBED)
    db.session.commit()
    addresses = ("new@example.com", "known@example.com", "paused@example.com",
                 "bounced@example.com", "left@example.com")
    answers = {address: answer(subscribe(address, areas=[north])) for address in addresses}
    assert len(set(answers.values())) == 1
    assert answers["new@example.com"][0] == 200

    sent = {(m.recipient, m.kind) for m in outbox()}
    assert sent == {("new@example.com", "newsletter/confirm"),
                    ("known@example.com", "newsletter/already_subscribed"),
                    ("paused@example.com", "newsletter/already_subscribed"),
                    ("left@example.com", "newsletter/confirm")}
    # The note leads to the subscriber's choices; a stranger's request changed nothing.
    [note] = outbox("known@example.com")
    known = subscriber("known@example.com")
    assert f"/newsletter/preferences/{known.token}" in note.text_body
    assert known.is_active and known.areas == [south] and known.consent_wording == "Old words."
    assert subscriber("bounced@example.com").status is SubscriberStatus.SUPPRESSED
    # A past subscriber asked again: a new subscription waiting for confirmation.
    left = subscriber("left@example.com")
    assert left.is_pending and left.areas == [north]


def test_the_confirmation_is_sent_again_at_most_once_per_10_minutes_and_3_times_a_day(
        client, subscribe, outbox, app):
    assert app.config["NEWSLETTER_CONFIRM_RESEND_MINUTES"] == 10
    assert app.config["NEWSLETTER_CONFIRM_MAX_PER_DAY"] == 3

    def age_messages(minutes):
        for message in outbox():
            message.created_at -= timedelta(minutes=minutes)
        db.session.commit()

    pages = [answer(subscribe("again@example.com")) for _ in range(3)]
    assert len(outbox()) == 1 and len(set(pages)) == 1
    age_messages(9)
    subscribe("again@example.com")
    assert len(outbox()) == 1  # 9 minutes: not yet
    age_messages(2)
    subscribe("again@example.com")
    assert len(outbox()) == 2
    age_messages(11)
    subscribe("again@example.com")
    assert len(outbox()) == 3
    age_messages(11)
    pages.append(answer(subscribe("again@example.com")))
    assert len(outbox()) == 3  # the day's three are used
    assert len(set(pages)) == 1  # and the page never says so
    age_messages(24 * 60)
    subscribe("again@example.com")
    assert len(outbox()) == 4
    # Each address has its own limits.
    subscribe("other@example.com")
    assert len(outbox("other@example.com")) == 1


def make_token_aged(person, hours, monkeypatch):
    made_at = int(datetime.now().timestamp()) - int(hours * 3600)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: made_at)
    token = confirm_token(person)
    monkeypatch.undo()
    return token


def test_the_confirmation_link_works_for_72_hours(client, monkeypatch):
    person = f.subscriber("late@example.com", SubscriberStatus.PENDING)
    db.session.commit()
    fresh = make_token_aged(person, 71.9, monkeypatch)
    stale = make_token_aged(person, 72.1, monkeypatch)
    for method in ("GET", "POST"):
        response = client.open(f"/newsletter/confirm/{stale}", method=method)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "This link has expired" in page and "work for 72 hours" in page
        # A way to ask again: the subscribe form, right there.
        assert 'action="/newsletter"' in page and 'name="email"' in page
    assert subscriber("late@example.com").is_pending
    assert "You are subscribed" in client.post(f"/newsletter/confirm/{fresh}").get_data(
        as_text=True)
    assert subscriber("late@example.com").is_active


def test_a_link_for_a_deleted_or_reused_subscriber_row_confirms_nothing(client):
    person = f.subscriber("gone@example.com", SubscriberStatus.PENDING)
    db.session.commit()
    token = confirm_token(person)
    person.email = "someone.else@example.com"  # the same id, another address
    db.session.commit()
    response = client.post(f"/newsletter/confirm/{token}")
    assert response.status_code == 404
    assert "This link is not valid" in response.get_data(as_text=True)
    assert subscriber("someone.else@example.com").is_pending


def test_an_old_link_does_not_restart_an_ended_subscription(client):
    person = f.subscriber("ended@example.com", SubscriberStatus.PENDING)
    db.session.commit()
    token = confirm_token(person)
    person.status = SubscriberStatus.UNSUBSCRIBED
    db.session.commit()
    response = client.post(f"/newsletter/confirm/{token}")
    assert "This link is no longer valid" in response.get_data(as_text=True)
    assert subscriber("ended@example.com").status is SubscriberStatus.UNSUBSCRIBED


def test_unconfirmed_addresses_are_deleted_after_30_days(north_south):
    north = north_south[0]
    now = utcnow()
    f.subscriber("old.pending@example.com", SubscriberStatus.PENDING, areas=[north],
                 created_at=now - timedelta(days=30, minutes=1))
    f.subscriber("new.pending@example.com", SubscriberStatus.PENDING,
                 created_at=now - timedelta(days=29, hours=23))
    f.subscriber("old.active@example.com", created_at=now - timedelta(days=400))
    f.subscriber("old.left@example.com", SubscriberStatus.UNSUBSCRIBED,
                 created_at=now - timedelta(days=400))
    db.session.commit()

    assert delete_unconfirmed_subscribers() == 1
    db.session.commit()
    left = db.session.scalars(select(Subscriber.email).order_by(Subscriber.email)).all()
    assert left == ["new.pending@example.com", "old.active@example.com", "old.left@example.com"]
    assert db.session.scalar(select(func.count()).select_from(subscriber_area)) == 0
    assert actions() == ["newsletter.unconfirmed_deleted"]
    # The daily task does the same, committed; on the next day the other goes too.
    assert tasks.delete_unconfirmed() == 0
    assert delete_unconfirmed_subscribers(now=now + timedelta(days=1)) == 1


def test_the_cleanup_runs_daily():
    huey = job_queue().huey
    at_night = [t.name for t in huey.read_periodic(datetime(2026, 12, 1, 3, 30))]
    at_noon = [t.name for t in huey.read_periodic(datetime(2026, 12, 1, 12, 0))]
    assert any(n.endswith("delete_unconfirmed_subscribers_daily") for n in at_night), at_night
    assert not any(n.endswith("delete_unconfirmed_subscribers_daily") for n in at_noon)


@pytest.mark.parametrize("given, stored", [
    ("/winners/abc/ada-l", "/winners/abc/ada-l"),
    ("/hall-of-fame?page=2&x=<b>", "/hall-of-fame"),
    ("https://evil.example/phish", "/newsletter"),
    ("//evil.example/phish", "/newsletter"),
    ("/\\evil.example", "/newsletter"),
    ("javascript:alert(1)", "/newsletter"),
    ("", "/newsletter"),
    ("/" + "a" * 300, "/" + "a" * 199),
])
def test_the_source_is_a_local_path(subscribe, given, stored):
    subscribe("src@example.com", source=given)
    assert subscriber("src@example.com").source == stored


def test_the_form_is_on_the_home_page_and_winner_pages(client):
    objects = route_objects()
    award = objects.published.award
    winner_path = f"/winners/{award.key}/{award.slug}"
    for path in ("/", winner_path, "/newsletter"):
        page = client.get(path).get_data(as_text=True)
        assert 'action="/newsletter"' in page, path
        assert f'name="source" type="hidden" value="{path}"' in page, path
        assert 'id="newsletter-consent"' in page, path
    subscribe_response = client.post("/newsletter", data={"email": "fan@example.com",
                                                          "source": winner_path})
    assert subscribe_response.status_code == 200
    assert subscriber("fan@example.com").source == winner_path


def test_errors_are_shown_with_a_summary_and_nothing_is_saved(client, subscribe, outbox):
    for email, message in (("", "Enter your email address"),
                           ("not-an-address", "Enter an email address in the correct format")):
        page = subscribe(email).get_data(as_text=True)
        assert "There is a problem" in page and message in page
        assert 'href="#email"' in page
    assert outbox() == [] and db.session.scalars(select(Subscriber)).all() == []
    # A bot filling the hidden field is turned away too.
    subscribe("bot@example.com", website="http://spam.example")
    assert outbox() == []


def test_a_language_shown_is_the_language_stored(client, subscribe):
    subscribe("cymraeg@example.com", locale="cy")
    subscribe("made-up@example.com", locale="xx")
    assert subscriber("cymraeg@example.com").locale == "cy"
    assert subscriber("made-up@example.com").locale == "en"


def test_a_signed_in_resident_subscribes_from_their_account_without_an_email(
        client, make_user, sign_in, outbox, north_south):
    north = north_south[0]
    resident = make_user(name="Rhys Resident", email="Rhys@Example.com")
    sign_in(resident)
    page = client.get("/account/profile").get_data(as_text=True)
    assert "Newsletter" in page and 'action="/newsletter/account/subscribe"' in page
    wording = html.unescape(page.split('id="account-newsletter-consent">')[1].split("</p>")[0])

    response = client.post("/newsletter/account/subscribe",
                           data={"newsletter-areas": [str(north.id)], "newsletter-locale": "en"})
    assert (response.status_code, response.headers["Location"]) == (302, "/account/profile")
    person = subscriber("rhys@example.com")
    assert person.is_active and person.user_id == resident.id and person.confirmed_at
    assert person.areas == [north] and person.consent_wording == wording
    assert person.source == "/account/profile"
    assert outbox() == []  # the address is already proven
    page = client.get("/account/profile").get_data(as_text=True)
    assert "You are subscribed at rhys@example.com" in page
    assert f"/newsletter/preferences/{person.token}" in page

    response = client.post("/newsletter/account/unsubscribe")
    assert (response.status_code, response.headers["Location"]) == (302, "/account/profile")
    assert subscriber("rhys@example.com").status is SubscriberStatus.UNSUBSCRIBED
    assert 'action="/newsletter/account/subscribe"' in client.get("/account/profile").get_data(
        as_text=True)
    assert outbox() == []


def test_an_account_whose_address_bounced_is_told_why(client, make_user, sign_in):
    resident = make_user(email="bounce@example.com")
    f.subscriber("bounce@example.com", SubscriberStatus.SUPPRESSED)
    db.session.commit()
    sign_in(resident)
    client.post("/newsletter/account/subscribe", data={})
    page = client.get("/account/profile").get_data(as_text=True)
    assert "messages to it were returned" in page
    assert subscriber("bounce@example.com").status is SubscriberStatus.SUPPRESSED


@pytest.fixture
def resident_client(app, make_user, sign_in):
    """A client signed in as a resident (the account form), with an anonymous one beside."""
    client = app.test_client()
    assert sign_in(make_user(email="fuzz@example.com"), target=client).status_code == 302
    client.anonymous = app.test_client()
    return client


HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["<zz-echo>", '"><zz-echo x="', "</p><zz-echo>", "9" * 30, "-1",
                     "a@b.c<zz-echo>", "//evil.example", "\u202e<zz-echo>", "é" * 300]))


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(email=HOSTILE, areas=st.lists(HOSTILE, max_size=3), source=HOSTILE, locale=HOSTILE,
       website=st.sampled_from(["", "<zz-echo>"]))
@example(email="<zz-echo>@example.com", areas=["<zz-echo>"], source="<zz-echo>",
         locale="<zz-echo>", website="")
def test_hostile_input_to_the_subscribe_forms_never_errs_or_echoes(
        resident_client, email, areas, source, locale, website):
    for client, path, data in (
            (resident_client.anonymous, "/newsletter", {
                "email": email, "areas": areas, "source": source, "locale": locale,
                "website": website}),
            (resident_client, "/newsletter/account/subscribe", {
                "newsletter-areas": areas, "newsletter-locale": locale})):
        response = client.post(path, data=data, follow_redirects=True)
        assert response.status_code < 500, (path, data)
        assert "<zz-echo" not in response.get_data(as_text=True), (path, data)


@pytest.mark.no_app_context
def test_with_csrf_on_cached_pages_link_to_the_form_until_the_visitor_has_a_session(build_app):
    """A form's CSRF token would give every visitor a session and keep the home and winner
    pages out of the page cache: without a session they link to /newsletter (with the page
    as the source); with one, the form is there."""
    app = build_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        award = route_objects().published.award
        winner = f"/winners/{award.key}/{award.slug}"
    client = app.test_client()
    for path in ("/", winner):
        response = client.get(path)
        page = response.get_data(as_text=True)
        assert "Set-Cookie" not in response.headers, path
        assert "public" in response.headers["Cache-Control"], path
        assert f'href="/newsletter?source={path}"' in page, path
        assert 'name="email"' not in page and "csrf_token" not in page, path
    newsletter = client.get(f"/newsletter?source={winner}")
    assert f'name="source" type="hidden" value="{winner}"' in newsletter.get_data(as_text=True)
    assert 'name="csrf_token"' in newsletter.get_data(as_text=True)
    # Now the visitor has a session (and a token): the home page carries the whole form.
    home = client.get("/").get_data(as_text=True)
    assert 'name="email"' in home and 'name="csrf_token"' in home


def test_the_privacy_notice_says_what_the_newsletter_records_and_for_how_long(client):
    page = html.unescape(client.get("/privacy").get_data(as_text=True))
    section = page.split('id="newsletter"')[1].split("<h2")[0]
    for words in ("your email address, and the areas you chose",
                  "the exact sentence you agreed to", "the page you subscribed on",
                  "If you do not confirm within 30 days, we delete your address",
                  "works for 72 hours", "at most 3 times a day",
                  "never your email address", "delete everything we hold about your subscription"):
        assert words in section, words
    # The form's own link leads there.
    assert 'href="/privacy#newsletter"' in client.get("/newsletter").get_data(as_text=True)


@pytest.mark.no_app_context
def test_subscribe_posts_are_limited_per_client(build_app):
    app = build_app(RATELIMIT_ENABLED=True, RATELIMIT_NEWSLETTER="2 per hour")
    with app.app_context():
        from awards.core.security import rate_limiter
        rate_limiter().reset()
    client = app.test_client()
    answers = [client.post("/newsletter", data={"email": f"r{n}@example.com"}).status_code
               for n in range(3)]
    assert answers == [200, 200, 429]
    assert client.get("/newsletter").status_code == 200  # only POSTs count
