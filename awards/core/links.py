"""Signed links for people without accounts (nominator, nominee, supporter).

A link carries the object's id signed with SECRET_KEY and salted with its purpose, so a
nominee's link cannot open a supporter's page. Links can be issued again in every e-mail and
stay valid (a nominee must be able to change their answer later "from the same link").
An expiring link (`make_timed_link_token`) also carries when it was made, and is refused
after its lifetime (a newsletter confirmation: 72 hours).
"""
from flask import abort, current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

from awards.extensions import db


class LinkError(Exception):
    """A link that was altered, or made for another purpose."""


class LinkExpired(LinkError):
    """An expiring link that was genuine but is too old."""


def _serializer(purpose):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"link:{purpose}")


def make_link_token(purpose, object_id):
    """The token for a link to object `object_id` for `purpose`."""
    return _serializer(purpose).dumps(object_id)


def read_link_token(purpose, token):
    """The object id in a link token, or raise LinkError."""
    try:
        value = _serializer(purpose).loads(token)
    except BadSignature as error:
        raise LinkError(
            _("This link is not valid. Please use the link from your latest email.")) from error
    if not isinstance(value, int):
        raise LinkError(_("This link is not valid."))
    return value


def object_from_link(purpose, model, token):
    """The `model` row a signed link for `purpose` points to; 404 for a bad link or no row."""
    try:
        object_id = read_link_token(purpose, token)
    except LinkError as error:
        abort(404, str(error))
    return db.get_or_404(model, object_id)


def _timed_serializer(purpose):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"timed-link:{purpose}")


def make_timed_link_token(purpose, value):
    """The token of an expiring link for `purpose` carrying `value` (JSON: ids, digests)."""
    return _timed_serializer(purpose).dumps(value)


def read_timed_link_token(purpose, token, hours):
    """The value in an expiring link token made at most `hours` ago; LinkExpired for a
    genuine but older one, LinkError for anything else."""
    try:
        return _timed_serializer(purpose).loads(token, max_age=hours * 3600)
    except SignatureExpired as error:
        raise LinkExpired(_("This link has expired.")) from error
    except BadSignature as error:
        raise LinkError(_("This link is not valid.")) from error
