"""Render a message from templates/email/<feature>/<name>.html + .txt and queue it."""
import email.utils
import functools

from flask import current_app, render_template
from flask_babel import force_locale

from awards.core.jobs import job_queue
from awards.core.mail.models import OutboxMessage
from awards.core.mail.tasks import deliver_outbox
from awards.core.mail.throttle import may_send, normalise_recipient
from awards.extensions import db


@functools.cache
def _inliner():
    """The CSS inliner, made (and css_inline imported) where an e-mail is first composed: every
    web worker imports this module, few of them write e-mails (tests/core/test_imports.py)."""
    import css_inline

    return css_inline.CSSInliner(load_remote_stylesheets=False)


def render_email(kind, **context):
    """Return (subject, text, html) for template `kind` ("accounts/verify_email")."""
    context.setdefault("scheme_name", current_app.config["SCHEME_NAME"])
    text = render_template(f"email/{kind}.txt", **context)
    html = render_template(f"email/{kind}.html", **context)
    subject, _, text_body = text.partition("\n")
    return subject.removeprefix("Subject:").strip(), text_body.lstrip("\n"), _inliner().inline(html)


def recipient_locale(recipient):
    """The language to write to `recipient` in: their account's saved choice, else the
    default. Never the current request's: whoever acted (an admin) may not be the recipient;
    a caller that knows the recipient's language passes it to queue_email."""
    # Accounts (right of core) know who has an account: the factory hands over the lookup.
    saved = current_app.extensions["saved_locale"](recipient)
    if saved in current_app.config["LANGUAGES"]:
        return saved
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def queue_email(kind, recipient, *, locale=None, unproven=False, **context):
    """Add an outbox row for one recipient, written in their language (`locale`, from a
    caller that knows it, else `recipient_locale`); it is delivered after the caller's
    commit. Return the row.

    `unproven`: the person asking has not proven they own `recipient`, so at most one such
    message goes to it per MAIL_UNPROVEN_WINDOW (`throttle.may_send`); True limits this
    kind, a tuple of kinds makes them share the limit. A message held back returns None
    and the caller carries on as if it were sent (its page must answer the same).
    """
    if unproven:
        recipient = normalise_recipient(recipient)
        if not may_send(kind if unproven is True else unproven, recipient):
            return None
    if locale not in current_app.config["LANGUAGES"]:
        locale = recipient_locale(recipient)
    with force_locale(locale):
        subject, text, html = render_email(kind, **context)
    return queue_message(kind, recipient, subject=subject, text_body=text, html_body=html)


def queue_message(kind, recipient, *, subject, text_body, html_body):
    """Add an outbox row for a message already rendered (queue_email renders its own); it
    is delivered after the caller's commit. Return the row."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].rstrip(">") or None
    message = OutboxMessage(
        kind=kind,
        recipient=recipient,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        message_id=email.utils.make_msgid(domain=domain),
    )
    db.session.add(message)
    db.session.info["outbox_added"] = True
    return message


def deliver_after_commit(app, session):
    """Session hook: ask the job queue to deliver once the rows are committed (never before)."""
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction is still open
    if session.info.pop("outbox_added", False):
        job_queue(app).enqueue(deliver_outbox)


def forget_after_rollback(app, session):
    """Session hook: rolled-back rows were never added."""
    session.info.pop("outbox_added", None)
