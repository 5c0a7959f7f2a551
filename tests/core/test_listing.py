"""The list pages' shortcuts give exactly what the general path gives: a row's link built
from one url_for pattern equals url_for's own, for awkward values too; labels translated
once a page are the labels."""
import pytest
from flask import url_for
from flask_babel import force_locale

from awards.core.listing import labels_of, link_maker
from awards.nominations.enums import ConsentStatus, NominationStatus

AWKWARD = ["B5001234", "QC0000001", "ABC-12", "a b", "x/y", "Zoë", "%41", "?q=1#top", ".",
           "..", "-_.~", "a:b@c", "a+b&c", "semi;colon", "", "__listed-value__", "1"]


@pytest.mark.parametrize("script_root", ["", "/awards"])
@pytest.mark.parametrize("endpoint, values", [
    ("panels.nomination", {"panel_id": 7}),
    ("moderation.detail", {}),
    ("panels.photo", {"panel_id": 12}),
])
def test_built_links_are_what_url_for_builds(app, script_root, endpoint, values):
    with app.test_request_context("/", base_url=f"https://example.org{script_root}"):
        link = link_maker(endpoint, "reference", **values)
        for reference in AWKWARD:
            if not reference:
                continue  # url_for refuses an empty path segment; a reference is never empty
            assert link(reference) == url_for(endpoint, reference=reference, **values), reference


def test_labels_translated_once_are_the_labels(app):
    with app.test_request_context("/"):
        for locale in ("en", "cy"):
            with force_locale(locale):
                labels = labels_of(NominationStatus, "admin")
                assert labels == {s: str(s.label_for("admin")) for s in NominationStatus}
                assert all(type(text) is str for text in labels.values())
                assert labels_of(ConsentStatus) == {s: str(s.label) for s in ConsentStatus}
        # Kept per language (per catalogue): after Welsh, English again is English.
        with force_locale("en"):
            assert labels_of(ConsentStatus)[ConsentStatus.ACCEPTED] == \
                "Yes, I am happy to be considered"


def test_labels_are_kept_between_requests(app):
    """Looked up once per language and process: the next request gets the same labels."""
    with app.test_request_context("/"):
        first = labels_of(ConsentStatus)
    with app.test_request_context("/"):
        assert labels_of(ConsentStatus) is first
        assert labels_of(NominationStatus, "admin") is labels_of(NominationStatus, "admin")
