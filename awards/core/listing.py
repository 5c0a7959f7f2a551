"""Helpers for pages that list many rows (the staff lists show 50 a page): each row's link
built from one `url_for`, and labels translated once a page rather than once a row.

`url_for` (routing, quoting, URL defaults) for each of 50 rows, and a translation looked up
for each row's label, were a large part of rendering such a page. The built links equal
`url_for`'s: `tests/core/test_listing.py` checks awkward values too.
"""
import re

from flask import url_for

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


def labels_of(members, label=lambda member: member.label):
    """{member: its label as text}, each translated once (a `LabelledEnum`'s `.label` is
    looked up in the catalogue each time it is printed)."""
    return {member: str(label(member)) for member in members}
