"""A panel's per-nomination addresses on the chair's overview, built from one `url_for` per
page each.

The overview lists 50 nominations a category a page (300 rows with six categories), each with
two or three links, and `url_for` (routing, quoting, URL defaults) for each was a good part of
its rendering time; core/listing.py `link_maker` builds each from a pattern.
tests/panels/test_chair_fast_paths.py checks they agree with url_for.
"""
from awards.core.listing import link_maker

# The chair's endpoints that take a panel and a nomination's reference.
ENDPOINTS = ("chair.decide", "chair.shortlist", "chair.eligibility")


class NominationLinks:
    """`links(endpoint, reference)`: the same as url_for(endpoint, panel_id=..., reference=...)
    for one panel's ENDPOINTS, made in this request (its host and script root)."""

    def __init__(self, panel_id):
        self.links = {endpoint: link_maker(endpoint, "reference", panel_id=panel_id)
                      for endpoint in ENDPOINTS}

    def __call__(self, endpoint, reference):
        return self.links[endpoint](reference)
