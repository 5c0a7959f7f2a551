"""Enums carry their labels (LabelledEnum); the values stored in the database never change."""
import pytest
from flask_babel import lazy_gettext as _l

from awards.accounts.enums import Role
from awards.core.db import enum_type
from awards.core.enums import LabelledEnum
from awards.core.mail.models import OutboxStatus
from awards.nominations.enums import (
    AgeBand,
    ConsentStatus,
    HowLong,
    NameDisplay,
    NominationStatus,
    NomineeKind,
    Phase,
    ReceivedVia,
    Recognition,
)
from awards.panels.enums import DECLARABLE, ConflictKind, Outcome, Recipient, Stage
from awards.public.enums import ThanksStatus

STORED = {
    Role: ["resident", "panel_member", "helper", "admin"],
    Phase: ["upcoming", "nominating", "judging", "deciding", "announced"],
    NominationStatus: ["draft", "awaiting_confirmation", "submitted", "eligible", "in_judging",
                       "outcome", "withdrawn", "ineligible", "duplicate", "spam"],
    AgeBand: ["under_16", "16_17", "18_plus"],
    HowLong: ["under_1", "1_5", "5_10", "over_10"],
    Recognition: ["private_thanks", "hear_impact", "newsletter", "public_page",
                  "press_or_ceremony", "grant", "training_or_expenses", "no_thanks"],
    ConflictKind: ["family", "friend", "colleague", "same_organisation", "recognised", "other",
                   "recused"],
    Stage: ["eligibility", "scoring", "final"],
    Outcome: ["winner", "highly_commended", "not_selected"],
    ThanksStatus: ["pending", "approved", "rejected"],
    NomineeKind: ["person", "group"],
    ReceivedVia: ["online", "paper", "phone", "in_person"],
    ConsentStatus: ["pending", "accepted", "declined", "withdrawn"],
    NameDisplay: ["full", "first_initial", "anonymous"],
    OutboxStatus: ["pending", "sending", "sent", "failed"],
    Recipient: ["nominee", "nominator"],
}


class Colour(LabelledEnum):
    RED = "red", _l("Red")
    DARK_BLUE = "dark_blue", _l("Dark blue")


@pytest.mark.parametrize("enum_class", list(STORED), ids=lambda e: e.__name__)
def test_labelled_enums_store_the_same_values_through_their_columns(app, enum_class):
    assert issubclass(enum_class, LabelledEnum)
    assert [member.value for member in enum_class] == STORED[enum_class]
    assert enum_type(enum_class).enums == STORED[enum_class]
    assert all(str(member.label) for member in enum_class)


def test_a_labelled_member_has_its_value_label_and_lookup(app):
    assert Colour("dark_blue") is Colour.DARK_BLUE
    assert Colour.DARK_BLUE.value == "dark_blue"
    assert str(Colour.DARK_BLUE.label) == "Dark blue"
    assert str(Role.PANEL_MEMBER.label) == "Panel member"


def test_choices_pair_values_with_labels_for_wtforms(app):
    assert [(value, str(label)) for value, label, *_ in Colour.choices()] == [
        ("red", "Red"), ("dark_blue", "Dark blue")]
    assert [choice.value for choice in ConflictKind.choices(DECLARABLE)] == [
        "family", "friend", "colleague", "same_organisation", "other"]
