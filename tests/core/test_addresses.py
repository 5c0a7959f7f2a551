"""E-mail addresses: one normal form for storing and comparing, and a skeleton for look-alikes."""
import pytest

from awards.accounts.queries import normalise_email as accounts_normalise_email
from awards.core.addresses import email_skeleton, normalise_email


@pytest.mark.parametrize(("typed", "stored"), [
    (" Sam@Example.COM ", "sam@example.com"),
    ("rt-\u212aelvin@example.com", "rt-kelvin@example.com"),  # the Kelvin sign
    ("ｓａｍ@example.com", "sam@example.com"),  # fullwidth
    ("STRASSE@example.com", "strasse@example.com"),
    ("e\u0301@example.com", "\u00e9@example.com"),  # composed
    (None, ""),
])
def test_normalise_email_is_nfkc_and_case_folded(typed, stored):
    assert normalise_email(typed) == stored
    assert accounts_normalise_email(typed) == stored  # the one function, everywhere


@pytest.mark.parametrize("lookalike", [
    "rt-kelvi\u0307n@example.com", "rt-k\u0435lvin@example.com", "rt-ke1vin@example.com",
    "rt-kélvin@example.com", "RT-KELVIN@EXAMPLE.COM", "rt-kelvin@examp1e.com",
    "rt-ke\u217cvin@example.com",
])
def test_email_skeleton_matches_lookalikes(lookalike):
    assert email_skeleton(lookalike) == email_skeleton("rt-kelvin@example.com")


def test_email_skeleton_tells_different_addresses_apart():
    assert email_skeleton("rt-kelvin@example.com") != email_skeleton("rt-kevin@example.com")
    assert email_skeleton("sam@example.com") != email_skeleton("pam@example.com")
