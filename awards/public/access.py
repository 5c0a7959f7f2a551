"""Which public pages exist: an award is public until its nominee withdraws."""
from flask import abort

from awards.public import queries


def award_or_404(key):
    """The public award with this key, or a 404 (also once its nominee has withdrawn)."""
    award = queries.award_by_key(key)
    if award is None:
        abort(404)
    return award
