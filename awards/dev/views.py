"""The development mailbox: every message the app has queued, readable in the browser."""
from types import SimpleNamespace

from flask import Blueprint, abort, current_app, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from awards.core.mail.models import OutboxMessage
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus
from awards.newsletter.models import Delivery

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.route("/mail")
def mailbox():
    """The newest messages first."""
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    copies = db.session.scalars(
        select(Delivery).options(joinedload(Delivery.issue))
        .where(Delivery.status == DeliveryStatus.SENT).order_by(Delivery.id.desc()).limit(200)
    ).all()
    return render_template("dev/mailbox.html", messages=messages, copies=copies)


@bp.route("/mail/<int:message_id>")
def message(message_id):
    """One message: headers, the plain-text part, and the HTML part in a sandboxed frame."""
    return render_template("dev/message.html", message=db.get_or_404(OutboxMessage, message_id),
                           html_url=url_for(".message_html", message_id=message_id))


@bp.route("/mail/<int:message_id>/html")
def message_html(message_id):
    """The HTML part on its own, for the sandboxed frame."""
    message = db.get_or_404(OutboxMessage, message_id)
    if not message.html_body:
        abort(404)
    return _framed(message.html_body)


@bp.route("/mail/newsletter/<int:delivery_id>")
def newsletter_copy(delivery_id):
    """One newsletter copy sent, rebuilt as its recipient got it (their own links)."""
    return render_template("dev/message.html", message=_copy(delivery_id),
                           html_url=url_for(".newsletter_copy_html", delivery_id=delivery_id))


@bp.route("/mail/newsletter/<int:delivery_id>/html")
def newsletter_copy_html(delivery_id):
    """A newsletter copy's HTML part, for the sandboxed frame."""
    return _framed(_copy(delivery_id).html_body)


def _copy(delivery_id):
    # A copy is not stored (the issue's body is, once): build it as the worker did.
    # Imported here: every web worker imports this module, and what a copy is built with
    # (email.policy, 0.4 MB) is of use only in the development mailbox.
    import email.policy

    from awards.newsletter.delivery.message import IssueMessage

    delivery = db.get_or_404(Delivery, delivery_id)
    if delivery.status is not DeliveryStatus.SENT:
        abort(404)
    built = IssueMessage(delivery.issue, current_app.config).build(
        delivery.id, delivery.address, delivery.token)
    mime = email.message_from_bytes(built.as_bytes(), policy=email.policy.default)
    return SimpleNamespace(
        subject=str(mime["Subject"]), recipient=delivery.address, status=delivery.status,
        message_id=str(mime["Message-ID"]), text_body=mime.get_body(("plain",)).get_content(),
        html_body=mime.get_body(("html",)).get_content())


def _framed(html):
    """An e-mail's HTML on its own, for a sandboxed frame of the mailbox."""
    # The e-mail's own inline styles need 'unsafe-inline'; the frame is sandboxed (no scripts).
    return html, 200, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                   "img-src 'self' data:; frame-ancestors 'self'; sandbox "
                                   "allow-popups allow-popups-to-escape-sandbox "
                                   "allow-top-navigation-by-user-activation",
        "X-Frame-Options": "SAMEORIGIN",
    }
