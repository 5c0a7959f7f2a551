"""What recognition and support a nominee was actually given, as an admin records it."""
from flask_babel import gettext as _

from awards.core.audit import record
from awards.extensions import db
from awards.nominations.enums import RecognitionKind
from awards.nominations.models import RecognitionGiven
from awards.nominations.services import NominationError

NOTE_LIMIT = 500


def record_recognition(nomination, *, kind, given_on=None, note="", actor=None):
    """Record one thing given to the nominee of `nomination` (a certificate, a grant...)."""
    if nomination.is_draft:
        raise NominationError(_("A draft nomination cannot be given recognition."))
    note = " ".join((note or "").split())
    if len(note) > NOTE_LIMIT:
        raise NominationError(_("The note is too long."))
    given = RecognitionGiven(nomination=nomination, kind=RecognitionKind(kind),
                             given_on=given_on, note=note,
                             recorded_by_id=getattr(actor, "id", None))
    db.session.add(given)
    db.session.flush()
    record("recognition.given", nomination, actor=actor, to_state=given.kind,
           reference=nomination.reference, recognition_id=given.id,
           given_on=given_on.isoformat() if given_on else None)
    return given


def remove_recognition(given, *, actor=None):
    """Take back a record of recognition given (entered by mistake)."""
    nomination = given.nomination
    record("recognition.removed", nomination, actor=actor, from_state=given.kind,
           reference=nomination.reference, recognition_id=given.id)
    db.session.delete(given)
    db.session.flush()
