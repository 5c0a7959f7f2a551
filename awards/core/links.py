"""Signed links for people without accounts (nominator, nominee, supporter).

A link carries the object's id signed with SECRET_KEY and salted with its purpose, so a
nominee's link cannot open a supporter's page. Links can be issued again in every e-mail and
stay valid (a nominee must be able to change their answer later "from the same link").
"""
from flask import abort, current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from awards.extensions import db


class LinkError(Exception):
    """A link that was altered, or made for another purpose."""


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
