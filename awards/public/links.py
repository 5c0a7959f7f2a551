"""An award's addresses (its page, its photos), built from one `url_for` per request.

A list page shows dozens of awards, and `url_for` (routing, quoting, URL defaults) for each
was a quarter of a card's rendering time. Keys are hex and slugs are slugified, so both can
fill a pattern as they are: `tests/public/test_links.py` checks the two agree.
"""
from flask import request, url_for

_KEY, _SLUG = "__award-key__", "__award-slug__"


def _pattern(endpoint, **values):
    """The address with placeholders, made once per request: kept with the request, whose
    host and script root it holds."""
    patterns = request.environ.setdefault("awards.award_link_patterns", {})
    name = (endpoint, *sorted(values.items()))
    if name not in patterns:
        patterns[name] = url_for(endpoint, key=_KEY, **values)
    return patterns[name]


def award_url(award):
    """The award's page: the same as url_for("public.award", key=..., slug=...)."""
    return _pattern("public.award", slug=_SLUG).replace(_KEY, award.key).replace(
        _SLUG, award.slug)


def photo_url(award, size):
    """The award's photo in this size ("thumb" or "display")."""
    return _pattern("public.photo", size=size).replace(_KEY, award.key)


def init_link_templates(app):
    """Let every template build award addresses this way."""
    app.jinja_env.globals.update(award_url=award_url, photo_url=photo_url)
