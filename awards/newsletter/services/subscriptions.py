"""Subscribing to the newsletter: ask (double opt-in), confirm, change, pause, leave, forget.

Asking never says whether an address is known: the page is the same, and the address is
sent a confirmation link (new, waiting or unsubscribed), a "you are already subscribed" note
with its preferences link (active or paused), or nothing (suppressed after bounces). Either
message counts towards the same per-address limits (`_may_write`). A signed-in resident's
address is proven, so their account subscribes at once.
"""
import hashlib
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from awards.core.addresses import normalise_email
from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.links import make_timed_link_token, read_timed_link_token
from awards.core.mail import queue_email
from awards.core.mail.models import OutboxMessage
from awards.core.mail.throttle import count_recent
from awards.core.services import ServiceError
from awards.core.urls import external_url
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, SubscriberStatus
from awards.newsletter.models import Delivery, Subscriber

CONFIRM_KIND = "newsletter/confirm"
ALREADY_KIND = "newsletter/already_subscribed"
# Both go to an address nobody proved: they share one limit.
ASKING_KINDS = (CONFIRM_KIND, ALREADY_KIND)
CONFIRM_PURPOSE = "newsletter-confirm"
CONFIRM_HOURS = 72
UNCONFIRMED_DAYS = 30


class NewsletterError(ServiceError):
    """A newsletter change the rules refuse."""


def _address_digest(email):
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def confirm_token(subscriber):
    """The token of a subscriber's confirmation link (valid for CONFIRM_HOURS): their id and
    a digest of the address, so a link never confirms another address given the same id."""
    return make_timed_link_token(CONFIRM_PURPOSE,
                                 [subscriber.id, _address_digest(subscriber.email)])


def subscriber_from_confirm_token(token):
    """The subscriber a confirmation link is for; LinkExpired after CONFIRM_HOURS, LinkError
    for a bad link, and None when no such subscriber exists (any more)."""
    value = read_timed_link_token(CONFIRM_PURPOSE, token, CONFIRM_HOURS)
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)
            and isinstance(value[1], str)) or abs(value[0]) > 2**31:
        return None
    subscriber = db.session.get(Subscriber, value[0])
    if subscriber is None or _address_digest(subscriber.email) != value[1]:
        return None
    return subscriber


def subscriber_by_token(token):
    """The subscriber whose preferences and unsubscribe links carry `token`, or None."""
    if not isinstance(token, str) or not token or len(token) > 64:
        return None
    return db.session.scalar(select(Subscriber).where(Subscriber.token == token))


def subscriber_for_user(user):
    """The subscription of a signed-in resident's address, or None."""
    return db.session.scalar(
        select(Subscriber).where(Subscriber.email == normalise_email(user.email)))


def _may_write(email):
    """Whether an unproven address may be sent another confirmation or note now: none in the
    last NEWSLETTER_CONFIRM_RESEND_MINUTES, fewer than NEWSLETTER_CONFIRM_MAX_PER_DAY today."""
    config = current_app.config
    minutes = timedelta(minutes=config["NEWSLETTER_CONFIRM_RESEND_MINUTES"])
    if minutes and count_recent(ASKING_KINDS, email, minutes):
        return False
    return count_recent(ASKING_KINDS, email, timedelta(days=1)) < (
        config["NEWSLETTER_CONFIRM_MAX_PER_DAY"])


def _write(kind, subscriber, **context):
    """Queue `kind` to the subscriber in their language, within the limits; whether it was."""
    if not _may_write(subscriber.email):
        return False
    message = queue_email(kind, subscriber.email, locale=subscriber.locale,
                          unproven=ASKING_KINDS, **context)
    return message is not None


def _existing_or_new(email):
    """The subscriber row of `email`, made (PENDING) when there is none. A second request
    for the same new address at the same moment finds the first one's row."""
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == email))
    if subscriber is not None:
        return subscriber
    subscriber = Subscriber(email=email, status=SubscriberStatus.PENDING, created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(subscriber)
    except IntegrityError:
        subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == email))
    return subscriber


def request_subscription(*, email, areas, source, consent_wording, locale):
    """Someone asked for the newsletter on a page (`source`) agreeing to `consent_wording`:
    a new, waiting or unsubscribed address is sent a confirmation link and records this
    request; a subscribed one is sent a note; a suppressed one nothing. Returns None (the
    page must not tell which)."""
    email = normalise_email(email)
    subscriber = _existing_or_new(email)
    if subscriber.is_subscribed:
        if _write(ALREADY_KIND, subscriber, preferences_link=external_url(
                "newsletter.preferences", token=subscriber.token)):
            record("newsletter.already_subscribed_note", subscriber)
        db.session.flush()
        return None
    if subscriber.status is SubscriberStatus.SUPPRESSED:
        record("newsletter.request_for_suppressed", subscriber)
        db.session.flush()
        return None
    if subscriber.status is SubscriberStatus.UNSUBSCRIBED:
        # A new subscription of a past address: its 30 days to confirm start now.
        subscriber.status, subscriber.created_at = SubscriberStatus.PENDING, utcnow()
        subscriber.confirmed_at = None
    subscriber.areas = list(areas)
    subscriber.source, subscriber.consent_wording = source, consent_wording
    subscriber.locale = locale
    db.session.flush()
    if _write(CONFIRM_KIND, subscriber, confirm_link=external_url(
            "newsletter.confirm", token=confirm_token(subscriber)), hours=CONFIRM_HOURS):
        subscriber.confirmation_sent_at = utcnow()
    record("newsletter.requested", subscriber, to_state=subscriber.status, source=source)
    db.session.flush()
    return None


def confirm_subscription(subscriber):
    """The address was proven by the link: a waiting subscription starts. Confirming again
    (or an active subscription) changes nothing; an unsubscribed or suppressed one is not
    restarted by an old link."""
    if subscriber.is_pending:
        subscriber.status, subscriber.confirmed_at = SubscriberStatus.ACTIVE, utcnow()
        subscriber.unsubscribed_at = None
        record("newsletter.confirmed", subscriber, from_state=SubscriberStatus.PENDING,
               to_state=SubscriberStatus.ACTIVE)
    db.session.flush()
    return subscriber


def subscribe_account(user, *, areas, source, consent_wording, locale):
    """A signed-in resident subscribes their account's (verified) address at once."""
    if user.email_verified_at is None:
        raise NewsletterError(_("Please confirm your email address first."))
    subscriber = _existing_or_new(normalise_email(user.email))
    if subscriber.status is SubscriberStatus.SUPPRESSED:
        raise NewsletterError(_(
            "We cannot send the newsletter to your address because messages to it were "
            "returned. Please contact us."))
    before = subscriber.status
    now = utcnow()
    subscriber.status, subscriber.user_id = SubscriberStatus.ACTIVE, user.id
    subscriber.areas = list(areas)
    subscriber.source, subscriber.consent_wording = source, consent_wording
    subscriber.locale = locale
    subscriber.confirmed_at, subscriber.unsubscribed_at = now, None
    db.session.flush()
    record("newsletter.subscribed_from_account", subscriber, actor=user, from_state=before,
           to_state=SubscriberStatus.ACTIVE)
    return subscriber


def _skip_pending_deliveries(subscriber):
    """Copies of an issue not yet sent to this subscriber are not sent (SKIPPED), in the
    caller's transaction: a send in progress passes them by."""
    return db.session.execute(
        update(Delivery)
        .where(Delivery.subscriber_id == subscriber.id,
               Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.SKIPPED)
        .execution_options(synchronize_session=False)).rowcount


def unsubscribe(subscriber, *, how):
    """Stop sending to the subscriber at once, including the rest of a send in progress.
    Safe to repeat. `how`: "one-click", "page", "account" (for the audit log)."""
    before = subscriber.status
    if before in (SubscriberStatus.ACTIVE, SubscriberStatus.PAUSED, SubscriberStatus.PENDING):
        subscriber.status, subscriber.unsubscribed_at = SubscriberStatus.UNSUBSCRIBED, utcnow()
        record("newsletter.unsubscribed", subscriber, from_state=before,
               to_state=SubscriberStatus.UNSUBSCRIBED, how=how)
    _skip_pending_deliveries(subscriber)
    db.session.flush()
    return subscriber


def update_areas(subscriber, *, areas):
    """The areas a subscriber wants news of (none: every area)."""
    subscriber.areas = list(areas)
    record("newsletter.areas_changed", subscriber, areas=[area.id for area in areas])
    db.session.flush()
    return subscriber


def pause_subscription(subscriber):
    """A break: nothing is sent (nor the rest of a send in progress) until resumed."""
    if not subscriber.is_active:
        raise NewsletterError(_("Only an active subscription can be paused."))
    subscriber.status = SubscriberStatus.PAUSED
    _skip_pending_deliveries(subscriber)
    record("newsletter.paused", subscriber, from_state=SubscriberStatus.ACTIVE,
           to_state=SubscriberStatus.PAUSED)
    db.session.flush()
    return subscriber


def resume_subscription(subscriber):
    """After a break (or after unsubscribing, from the same preferences link): issues again."""
    if subscriber.status not in (SubscriberStatus.PAUSED, SubscriberStatus.UNSUBSCRIBED) or (
            subscriber.confirmed_at is None):
        raise NewsletterError(_("This subscription cannot be resumed."))
    before = subscriber.status
    subscriber.status, subscriber.unsubscribed_at = SubscriberStatus.ACTIVE, None
    record("newsletter.resumed", subscriber, from_state=before, to_state=SubscriberStatus.ACTIVE)
    db.session.flush()
    return subscriber


def forget_subscriber(subscriber):
    """Delete everything held about the subscription: the subscriber row and its areas, the
    address and link token on their copies of past issues (the counts stay), copies not yet
    sent, and the confirmation e-mails in the outbox. The audit log keeps that it happened,
    never the address."""
    subscriber_id, email = subscriber.id, subscriber.email
    _skip_pending_deliveries(subscriber)
    db.session.execute(
        update(Delivery).where(Delivery.subscriber_id == subscriber_id)
        .values(address="", token="", subscriber_id=None)
        .execution_options(synchronize_session=False))
    db.session.execute(
        delete(OutboxMessage).where(OutboxMessage.recipient == email,
                                    OutboxMessage.kind.like("newsletter/%"))
        .execution_options(synchronize_session=False))
    db.session.delete(subscriber)
    record("newsletter.forgotten", None, subscriber_id=subscriber_id)
    db.session.flush()


def delete_unconfirmed_subscribers(now=None):
    """Delete subscriptions not confirmed within UNCONFIRMED_DAYS of the request; how many."""
    cutoff = (now or utcnow()) - timedelta(days=UNCONFIRMED_DAYS)
    stale = db.session.scalars(select(Subscriber).where(
        Subscriber.status == SubscriberStatus.PENDING, Subscriber.created_at < cutoff)).all()
    for subscriber in stale:
        db.session.delete(subscriber)
    if stale:
        record("newsletter.unconfirmed_deleted", None, count=len(stale))
    db.session.flush()
    return len(stale)
