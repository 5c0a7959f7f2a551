"""Every column that may hold personal data is exported and erased by a personal data source
(awards/admin/services/sources.py), or is listed below as not personal, with the reason.

A new table or column (the newsletter's subscribers, say) fails here until its feature adds
a source to SOURCES or a reasoned entry to NOT_PERSONAL."""
import re

from sqlalchemy import JSON, Enum, String, Text

from awards.admin.services.personal_data import covered_columns
from awards.admin.services.sources import SOURCES
from awards.extensions import db

# Names that suggest a person: their address, name, phone, words, language, network address.
PERSONAL_NAME = re.compile(
    r"email|name|phone|address|(^|_)ip(_|$)|locale|relationship|statement|comment|reason"
    r"|body|message|citation|recipient|subject|details|alt_text|support|guardian|recorded_how"
    r"|password|token|story|what_they|who_|difference")

NOT_PERSONAL = {
    # The scheme's own set-up, written by admins about the scheme.
    "area.name": "a ward's name",
    "award_cycle.name": "a year's awards", "award_cycle.description": "about the cycle",
    "category.name": "a category", "category.description": "about the category",
    "category.eligibility": "the category's rules",
    "panel.name": "a panel's name",
    "criterion.name": "the rubric", "criterion.question": "the rubric",
    "criterion.anchors": "the rubric's scale",
    # Random or derived identifiers that name no one.
    "token.digest": "a hash of a random link value; the account's tokens go with it",
    "nomination.start_token": "a random value (blanked when a nomination is anonymised)",
    "photo.display_name": "a random file name (the row and file go with the photo)",
    "photo.thumb_name": "a random file name (the row and file go with the photo)",
    "outbox_message.message_id": "a random Message-ID",
    "outbox_message.kind": "the template's name",
    "audit_event.action": "what was done, a fixed code",
    "audit_event.object_type": "a table's name",
    # What the scheme publishes: an issue is written by admins for every subscriber, and
    # features winners only through their public rows, as their consent allows.
    "newsletter_issue.subject": "an issue's subject, written by admins",
    "newsletter_issue.introduction": "an issue's introduction, written by admins",
    "newsletter_issue.html_body": "an issue as sent to everyone (no subscriber's details)",
    "newsletter_issue.text_body": "an issue as sent to everyone (no subscriber's details)",
}


def candidate_columns():
    """Every "table.column" that may hold personal data: free text (Text, JSON) and any
    column whose name looks personal (enums excepted: a fixed list of codes)."""
    found = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, Enum):
                continue
            free_text = isinstance(column.type, (Text, JSON))
            if free_text or (isinstance(column.type, String)
                             and PERSONAL_NAME.search(column.name)):
                found.add(f"{table.name}.{column.name}")
    return found


def test_every_personal_column_is_exported_and_erased_or_said_not_personal():
    uncovered = candidate_columns() - covered_columns(SOURCES) - set(NOT_PERSONAL)
    assert uncovered == set(), (
        "Add these to a personal data source (awards/admin/services/sources.py) or, with "
        "the reason, to NOT_PERSONAL here")


def test_the_registry_and_the_allow_list_name_real_columns_and_do_not_overlap():
    real = {f"{t.name}.{c.name}" for t in db.metadata.sorted_tables for c in t.columns}
    assert covered_columns(SOURCES) - real == set()
    assert set(NOT_PERSONAL) - real == set()
    assert covered_columns(SOURCES) & set(NOT_PERSONAL) == set()
    assert len({source.name for source in SOURCES}) == len(SOURCES)


def test_the_pattern_finds_what_it_should():
    candidates = candidate_columns()
    for column in ("user.email", "nomination.nominee_phone", "audit_event.ip_address",
                   "supporter.statement", "thank_you.author_name", "consent.locale"):
        assert column in candidates
    assert "nomination.status" not in candidates  # an enum
