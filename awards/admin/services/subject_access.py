"""Subject access: everything held about one person, from every personal data source."""
import json
from datetime import datetime

from awards.admin.services.personal_data import Person
from awards.admin.services.sources import SOURCES
from awards.core.audit import record
from awards.core.db import utcnow


def export_person(email, thanks_name="", *, actor=None, sources=SOURCES):
    """What every source holds about the person with this address: {"email", "made_at",
    "sources": {name: [records]}}, audited (the event names no one: who asked is the
    actor, what was found is counted)."""
    person = Person.find(email, thanks_name)
    found = {source.name: source.export(person) for source in sources}
    record("privacy.subject_access", actor=actor,
           found={name: len(records) for name, records in found.items()})
    return {"email": person.email, "made_at": utcnow(), "sources": found}


def export_json(export):
    """The export as a JSON document (the download)."""
    return json.dumps(export, indent=2, ensure_ascii=False, default=_isoformat)


def _isoformat(value):
    return value.isoformat() if isinstance(value, datetime) else str(value)
