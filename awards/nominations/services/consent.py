"""The nominee (or a parent or guardian) says yes or no, and how they'd like to be thanked."""
import re

from blinker import Namespace
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.hooks import notify
from awards.core.languages import current_language
from awards.extensions import db
from awards.nominations import emails
from awards.nominations.enums import (
    CONSENT_TRANSITIONS,
    ConsentStatus,
    NameDisplay,
    NominationStatus,
    Recognition,
)
from awards.nominations.models import Consent, Nomination
from awards.nominations.services import NominationError

# Sent (for the app, with `nomination=`) after every answer, so what is public follows it at once.
consent_changed = Namespace().signal("consent-changed")

PUBLICATION_FIELDS = ("name_display", "publish_photo", "publish_story", "publish_area",
                      "in_newsletter")
# What a shared answer copies from the consent the nominee answered.
ANSWER_FIELDS = ("status", *PUBLICATION_FIELDS, "recognition", "support_needed",
                 "guardian_name", "answered_at", "locale")
# Nominations that may still reach (or have reached) the nominee: not spam, not merged away,
# not withdrawn by the nominator, and sent.
LIVE_STATUSES = (NominationStatus.SUBMITTED, NominationStatus.ELIGIBLE,
                 NominationStatus.IN_JUDGING, NominationStatus.OUTCOME)
# Signs of spam the automatic check looks for in the story: a web link.
SPAM_SIGNS = re.compile(r"https?://|www\.", re.IGNORECASE)


def save_consent(nomination, *, status, name_display=NameDisplay.FIRST_INITIAL,
                 publish_photo=False, publish_story=False, publish_area=False,
                 in_newsletter=False, recognition=(), support_needed="", guardian_name=None,
                 recorded_by=None, recorded_how=None):
    """Record the answer and choices; a decline or withdrawal clears what may be published."""
    status = ConsentStatus(status)
    before = (nomination.consent and nomination.consent.status) or ConsentStatus.PENDING
    if status not in CONSENT_TRANSITIONS[before]:
        raise NominationError(_("That answer is not possible now."))
    if recorded_by is not None and not (recorded_how or "").strip():
        raise NominationError(_("Say how the consent was given (for example, on a paper form)."))
    # Only once the answer is allowed: a refused answer leaves no consent row behind.
    consent = nomination.consent or Consent(nomination=nomination)
    if consent.id is None:
        db.session.add(consent)
    consent.status = status
    consent.recognition = sorted({Recognition(r).value for r in recognition})
    consent.support_needed = (support_needed or "").strip()
    consent.guardian_name = (guardian_name or "").strip() or None
    accepted = status is ConsentStatus.ACCEPTED
    consent.name_display = NameDisplay(name_display) if accepted else NameDisplay.ANONYMOUS
    consent.publish_photo = accepted and publish_photo
    consent.publish_story = accepted and publish_story
    consent.publish_area = accepted and publish_area
    consent.in_newsletter = accepted and in_newsletter
    consent.answered_at = utcnow()
    if recorded_by is None:  # the nominee's own answer, in their language
        consent.locale = current_language() or consent.locale
    if recorded_by is not None:
        consent.recorded_by_id, consent.recorded_how = recorded_by.id, recorded_how.strip()
    for sharer in consent.sharers:  # the same person's other nominations, asked once
        _copy_answer(consent, sharer)
    db.session.flush()
    record("consent.changed", nomination, actor=recorded_by, from_state=before, to_state=status,
           reference=nomination.reference, recorded_how=recorded_how,
           publication={f: _plain(getattr(consent, f)) for f in PUBLICATION_FIELDS})
    notify(consent_changed, nomination=nomination)
    for sharer in consent.sharers:
        notify(consent_changed, nomination=sharer.nomination)
    return consent


def withdraw_consent(nomination):
    """Withdraw at once: nothing about the nominee may be published from now on."""
    return save_consent(nomination, status=ConsentStatus.WITHDRAWN)


def request_consent(nomination, *, actor=None):
    """Ask the nominee (or their parent or guardian) for consent, once the nomination has
    been checked: by e-mail, once per person (normalised address) per cycle. A nomination of
    someone already asked in the cycle shares that request and its answer; an answer already
    recorded (on paper) needs no request; no address, no e-mail (consent is then recorded
    on paper)."""
    consent = nomination.consent
    if consent is None or consent.requested_at is not None or consent.asked_with_id:
        return
    if consent.is_answered or not normalised_email(nomination.nominee_email):
        return
    earlier = _earlier_request(nomination)
    if earlier is not None:
        consent.asked_with = earlier
        _copy_answer(earlier, consent)
        db.session.flush()
        record("consent.shared", nomination, actor=actor, reference=nomination.reference,
               asked_with=earlier.nomination.reference)
        if consent.is_answered:
            notify(consent_changed, nomination=nomination)
        return
    consent.requested_at = utcnow()
    emails.send_nominee_invitation(nomination)
    db.session.flush()
    record("consent.requested", nomination, actor=actor, reference=nomination.reference)


def passes_automatic_check(nomination):
    """The scheme's small automatic check at submission: no other live nomination of the
    same person (by e-mail) in the cycle, and no web link in the story (spam's usual sign)."""
    if current_app.config["CONSENT_REQUEST_AFTER"] != "automatic_check":
        return False
    story = " ".join((nomination.what_they_do, nomination.who_benefits,
                      nomination.difference_made, nomination.nominee_name))
    if SPAM_SIGNS.search(story):
        return False
    return db.session.scalar(
        _same_person(nomination).where(Nomination.status.in_(LIVE_STATUSES))
        .with_only_columns(Nomination.id).limit(1)) is None


def thank_nominee(nomination):
    """A nominee who said yes to a nomination that went no further is thanked, kindly and
    once, as the nominator was."""
    consent = nomination.consent
    if not (consent and consent.is_accepted and consent.thanked_at is None
            and nomination.nominee_email):
        return False
    consent.thanked_at = utcnow()
    emails.send_nominee_thanks(nomination)
    db.session.flush()
    record("consent.thanked", nomination, reference=nomination.reference)
    return True


def normalised_email(email):
    """An address as compared: trimmed and lower case ("" when there is none)."""
    return (email or "").strip().lower()


def _same_person(nomination):
    """Other nominations of the cycle for the same nominee address."""
    return select(Nomination).where(
        Nomination.cycle_id == nomination.cycle_id, Nomination.id != nomination.id,
        func.lower(func.trim(Nomination.nominee_email))
        == normalised_email(nomination.nominee_email))


def _earlier_request(nomination):
    """The consent of this person's nomination in the cycle that was sent the request."""
    return db.session.scalar(
        select(Consent).join(Consent.nomination)
        .where(Consent.requested_at.is_not(None),
               Nomination.id.in_(_same_person(nomination).with_only_columns(Nomination.id)))
        .order_by(Consent.requested_at, Consent.id).limit(1))


def _copy_answer(source, consent):
    for name in ANSWER_FIELDS:
        value = getattr(source, name)
        setattr(consent, name, list(value) if isinstance(value, list) else value)


def _plain(value):
    return getattr(value, "value", value)
