"""Shortcuts taken for the chair's overview's speed give exactly what the general path gives:
nomination addresses built from a pattern are url_for's."""
import pytest
from flask import url_for

from awards.panels.links import nomination_url

REFERENCES = ["BC27-4F7KQ", "QC0000001", "bc27-abc", "A B/C?", "Siân&co", ".."]


@pytest.mark.parametrize("endpoint", ["chair.decide", "chair.shortlist", "chair.eligibility"])
def test_nomination_links_are_what_url_for_builds(app, endpoint):
    for script_root in ("", "/awards"):
        with app.test_request_context("/", base_url=f"https://example.org{script_root}"):
            for panel_id in (1, 27):
                for reference in REFERENCES:
                    assert nomination_url(endpoint, panel_id, reference) == url_for(
                        endpoint, panel_id=panel_id, reference=reference), reference
