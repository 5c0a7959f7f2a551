"""A panel's per-nomination addresses on the chair's overview, built from one `url_for` per
page each, as awards/public/links.py builds award addresses.

The overview lists 50 nominations a category a page (300 rows with six categories), each with
two or three links, and `url_for` (routing, quoting, URL defaults) for each was a good part of
its rendering time. A reference made of letters, digits and dashes (BC27-4F7KQ) fills a
pattern as it is; anything else goes through `url_for`. tests/panels/test_chair_fast_paths.py
checks the two agree.
"""
import re

from flask import url_for

_REFERENCE = "__nomination-reference__"
PLAIN = re.compile(r"[A-Za-z0-9-]+")
# The chair's endpoints that take a panel and a nomination's reference.
ENDPOINTS = ("chair.decide", "chair.shortlist", "chair.eligibility")


class NominationLinks:
    """`links(endpoint, reference)`: the same as url_for(endpoint, panel_id=..., reference=...)
    for one panel's ENDPOINTS, made in this request (its host and script root)."""

    def __init__(self, panel_id):
        self.panel_id = panel_id
        self.patterns = {endpoint: url_for(endpoint, panel_id=panel_id, reference=_REFERENCE)
                         for endpoint in ENDPOINTS}

    def __call__(self, endpoint, reference):
        if not PLAIN.fullmatch(reference or ""):
            return url_for(endpoint, panel_id=self.panel_id, reference=reference)
        return self.patterns[endpoint].replace(_REFERENCE, reference)
