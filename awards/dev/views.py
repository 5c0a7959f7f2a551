"""The development mailbox: every message the app has queued, readable in the browser."""
from flask import Blueprint, abort, render_template
from sqlalchemy import select

from awards.core.mail.models import OutboxMessage
from awards.extensions import db

bp = Blueprint("dev", __name__, url_prefix="/dev")


@bp.route("/mail")
def mailbox():
    """The newest messages first."""
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    ).all()
    return render_template("dev/mailbox.html", messages=messages)


@bp.route("/mail/<int:message_id>")
def message(message_id):
    """One message: headers, the plain-text part, and the HTML part in a sandboxed frame."""
    return render_template("dev/message.html", message=db.get_or_404(OutboxMessage, message_id))


@bp.route("/mail/<int:message_id>/html")
def message_html(message_id):
    """The HTML part on its own, for the sandboxed frame."""
    message = db.get_or_404(OutboxMessage, message_id)
    if not message.html_body:
        abort(404)
    # The e-mail's own inline styles need 'unsafe-inline'; the frame is sandboxed (no scripts).
    return message.html_body, 200, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                   "img-src 'self' data:; frame-ancestors 'self'; sandbox "
                                   "allow-popups allow-popups-to-escape-sandbox "
                                   "allow-top-navigation-by-user-activation",
        "X-Frame-Options": "SAMEORIGIN",
    }
