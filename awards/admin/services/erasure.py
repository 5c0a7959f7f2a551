"""Erasure: anonymise or delete everything held about one person, on their request.

Every source erases its own records (sources.py); what must be kept (a published cycle's
decisions) stays without anything that says who it was about. The audit event counts what
changed and records nothing erased; the public pages follow at the commit (the listing and
page cache hooks), and photo files are removed then too (removal.py).
"""
from flask_babel import gettext as _

from awards.admin.services import AdminError
from awards.admin.services.personal_data import Person
from awards.admin.services.sources import SOURCES
from awards.core.addresses import normalise_email
from awards.core.audit import record


def erase_person(email, confirmation, thanks_name="", *, actor=None, sources=SOURCES):
    """Erase the person with this address; `confirmation` is the address typed again.
    Returns {source name: records changed}."""
    if not email or normalise_email(email) != normalise_email(confirmation):
        raise AdminError(_("The two email addresses are not the same"))
    person = Person.find(email, thanks_name)
    erased = {source.name: source.erase(person) for source in sources}
    record("privacy.erasure", actor=actor, erased=erased)
    return erased
