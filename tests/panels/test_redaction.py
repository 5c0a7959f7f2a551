"""Blind mode's redaction: the nominee's names, and the common short forms of them, become
"the nominee", matched as whole words whatever their case; nothing else changes."""
import pytest

from awards.panels.redaction import THE_NOMINEE, name_forms, redact


def test_every_name_word_and_its_short_forms_are_known():
    forms = name_forms("William Henry Jones")
    assert {"william henry jones", "william", "henry", "jones", "bill", "will",
            "billy", "hal", "harry"} <= forms


def test_a_short_form_given_as_the_name_finds_the_formal_name_too():
    assert {"bill", "william", "bob", "robert"} <= name_forms("Bill") | name_forms("Bob")


def test_a_known_as_name_is_added():
    assert {"margaret", "peggy", "mags"} <= name_forms("Margaret Ode", known_as="Mags")


@pytest.mark.parametrize("text, expected", [
    ("Bill runs the lunch club.", "The nominee runs the lunch club."),
    ("Everyone loves BILL. bill's van is always there.",
     "Everyone loves the nominee. The nominee's van is always there."),
    ("William Jones, known to all as Billy, helps.",
     "The nominee, known to all as the nominee, helps."),
    ("Mrs Jones and Will help.", "Mrs the nominee and the nominee help."),
    ("I have known Bill Jones for years.", "I have known the nominee for years."),
    ("A billboard, a willow and Billingham stay.", "A billboard, a willow and Billingham stay."),
    ("", ""),
])
def test_redact_replaces_whole_words_only_case_insensitively(text, expected):
    assert redact(text, name_forms("William Jones")) == expected


def test_other_names_and_short_forms_are_left():
    text = "Margaret and Peggy thank Robert."
    assert redact(text, name_forms("Elizabeth Hall")) == text
    assert redact("Liz and Beth and Lizzie", name_forms("Elizabeth Hall")) == (
        "The nominee and the nominee and the nominee")


def test_no_names_changes_nothing_and_none_is_empty():
    assert redact("Bill helps.", set()) == "Bill helps."
    assert redact(None, name_forms("Bill")) == ""
    assert THE_NOMINEE == "the nominee"
