"""Helpers for pages that list many rows (the staff lists show 50 a page): each row's link
built from one `url_for`, and labels translated once a page rather than once a row.

`url_for` (routing, quoting, URL defaults) for each of 50 rows, and a translation looked up
for each row's label, were a large part of rendering such a page. The built links equal
`url_for`'s: `tests/core/test_listing.py` checks awkward values too.
"""
import re

from flask import has_app_context, url_for
from flask_babel import get_translations

_PLACEHOLDER = "__listed-value__"
# What `url_for` puts into a path as it is: characters no URL quoting changes. Any other
# value (never a reference today) goes through `url_for` itself.
_AS_IS = re.compile(r"[A-Za-z0-9_.~-]+")


def link_maker(endpoint, name, **values):
    """A function of one value giving `url_for(endpoint, **{name: value}, **values)`, made
    from one `url_for` call (inside a request, whose host and script root it holds)."""
    pattern = url_for(endpoint, **{name: _PLACEHOLDER}, **values)
    if pattern.count(_PLACEHOLDER) != 1:
        return lambda value: url_for(endpoint, **{name: value}, **values)
    before, _, after = pattern.partition(_PLACEHOLDER)

    def link(value):
        value = str(value)
        if _AS_IS.fullmatch(value):
            return before + value + after
        return url_for(endpoint, **{name: value}, **values)

    return link


_LABELS = {}


def labels_of(members, audience=None):
    """{member: its label as text} in the language of the moment: `.label`, or with an
    `audience`, `.label_for(audience)`. A `LabelledEnum`'s label is looked up in the catalogue
    each time it is printed; these are looked up once per language and process (kept with
    the catalogue they came from)."""
    members = tuple(members)
    if not has_app_context():  # no kept catalogue: each call would be a new key
        return _labels(members, audience)
    key = (get_translations(), members, audience)
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = _labels(members, audience)
    return labels


def _labels(members, audience):
    return {member: str(member.label if audience is None else member.label_for(audience))
            for member in members}
