"""The nominee (or a parent or guardian) says yes or no, and how they'd like to be thanked."""
from blinker import Namespace
from flask_babel import gettext as _

from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.hooks import notify
from awards.extensions import db
from awards.nominations.enums import (
    CONSENT_TRANSITIONS,
    ConsentStatus,
    NameDisplay,
    Recognition,
)
from awards.nominations.models import Consent
from awards.nominations.services import NominationError

# Sent (for the app, with `nomination=`) after every answer, so what is public follows it at once.
consent_changed = Namespace().signal("consent-changed")

PUBLICATION_FIELDS = ("name_display", "publish_photo", "publish_story", "publish_area",
                      "in_newsletter")


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
    if recorded_by is not None:
        consent.recorded_by_id, consent.recorded_how = recorded_by.id, recorded_how.strip()
    db.session.flush()
    record("consent.changed", nomination, actor=recorded_by, from_state=before, to_state=status,
           reference=nomination.reference, recorded_how=recorded_how,
           publication={f: _plain(getattr(consent, f)) for f in PUBLICATION_FIELDS})
    notify(consent_changed, nomination=nomination)
    return consent


def withdraw_consent(nomination):
    """Withdraw at once: nothing about the nominee may be published from now on."""
    return save_consent(nomination, status=ConsentStatus.WITHDRAWN)


def _plain(value):
    return getattr(value, "value", value)
