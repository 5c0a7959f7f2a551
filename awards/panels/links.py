"""A panel's per-nomination addresses on the chair's overview, built from one `url_for` per
request each, as awards/public/links.py builds award addresses.

The overview lists 50 nominations a category a page (300 rows with six categories), each with
two or three links, and `url_for` (routing, quoting, URL defaults) for each was a good part of
its rendering time. A reference made of letters, digits and dashes (BC27-4F7KQ) fills a
pattern as it is; anything else goes through `url_for`. tests/panels/test_chair_fast_paths.py
checks the two agree.
"""
import re

from flask import request, url_for

_REFERENCE = "__nomination-reference__"
PLAIN = re.compile(r"[A-Za-z0-9-]+")


def _pattern(endpoint, panel_id):
    """The address with a placeholder for the reference, made once per request."""
    patterns = request.environ.setdefault("awards.panel_link_patterns", {})
    name = (endpoint, panel_id)
    if name not in patterns:
        patterns[name] = url_for(endpoint, panel_id=panel_id, reference=_REFERENCE)
    return patterns[name]


def nomination_url(endpoint, panel_id, reference):
    """The same as url_for(endpoint, panel_id=panel_id, reference=reference) for the chair's
    per-nomination endpoints (chair.decide, chair.shortlist, chair.eligibility)."""
    if not PLAIN.fullmatch(reference or ""):
        return url_for(endpoint, panel_id=panel_id, reference=reference)
    return _pattern(endpoint, panel_id).replace(_REFERENCE, reference)
