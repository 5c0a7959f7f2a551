"""Deliver due outbox rows over one SMTP connection, recording each outcome at once.

The row is the source of truth: a message is marked sent right after the server accepts it,
so a crash can repeat at most the one message in flight. A claim is a lease naming its worker
(awards/core/mail/leases.py), renewed while the worker works; only the holder records an
outcome, and only expired leases return to the queue. On PostgreSQL several workers claim rows
with FOR UPDATE SKIP LOCKED; on SQLite the claim transaction begins IMMEDIATE, which
serialises the claimers.
"""
import copy
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from awards.core.db import utcnow
from awards.core.mail import leases
from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.core.mail.signing import Signer
from awards.extensions import db


class TemporaryFailure(Exception):
    """The server or network said "try later" (4xx, timeouts, connection refused)."""


class ServerUnavailable(TemporaryFailure):
    """The server cannot be reached or dropped the connection: stop this run."""


class ServerUnreachable(ServerUnavailable):
    """No connection could be made: nothing was tried for the message in hand."""


class PermanentFailure(Exception):
    """The server refused this message for good (5xx)."""


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


def build_mime(message, sender):
    """The MIME message for an outbox row: plain text first, HTML alternative."""
    mime = EmailMessage()
    mime["From"] = sender
    mime["To"] = message.recipient
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(message.created_at)
    mime["Message-ID"] = message.message_id
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.text_body)
    mime.add_alternative(message.html_body, subtype="html")
    return mime


class SMTPBackend:
    """One SMTP connection, opened lazily, reused for every message of a run; every message
    DKIM-signed when a key is configured (`signing.py`)."""

    def __init__(self, config):
        self.config = config
        self.connection = None
        self.signer = Signer.from_config(config)

    def _connect(self):
        cfg = self.config
        context = ssl.create_default_context()  # verifies the certificate and host name
        try:
            if cfg["MAIL_SECURITY"] == "tls":
                connection = smtplib.SMTP_SSL(
                    cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"],
                    context=context,
                )
            else:
                connection = smtplib.SMTP(
                    cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg["MAIL_TIMEOUT"]
                )
                if cfg["MAIL_SECURITY"] == "starttls":
                    connection.starttls(context=context)
            if cfg["MAIL_USERNAME"]:
                connection.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        except (OSError, smtplib.SMTPException) as error:
            raise ServerUnreachable(f"cannot reach the mail server: {error}") from error
        return connection

    def send(self, mime):
        """Send one message; raise TemporaryFailure or PermanentFailure."""
        if self.connection is None:
            self.connection = self._connect()
        sender, recipients = envelope(mime)
        if "Bcc" in mime:  # a blind copy's address is in the envelope only
            mime = copy.copy(mime)
            del mime["Bcc"]
        international = not "".join([sender, *recipients]).isascii()
        data = mime.as_bytes(policy=mime.policy.clone(linesep="\r\n", utf8=international))
        if self.signer is not None:
            data = self.signer.sign(data)
        try:
            self.connection.ehlo_or_helo_if_needed()
            options = ()
            if international:
                if not self.connection.has_extn("smtputf8"):
                    raise smtplib.SMTPNotSupportedError(
                        "an address needs SMTPUTF8, which the server does not offer")
                options = ("SMTPUTF8", "BODY=8BITMIME")
            refused = self.connection.sendmail(sender, recipients, data, options)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise _classify(code, text) from error
        except smtplib.SMTPResponseException as error:
            raise _classify(error.smtp_code, error.smtp_error) from error
        except smtplib.SMTPNotSupportedError as error:
            # Raised before anything is sent (e.g. a non-ASCII address and no SMTPUTF8): the
            # message can never go to this server, and the connection is still good. (It is
            # an OSError, so it must be caught before "connection lost".)
            raise PermanentFailure(f"not supported by the mail server: {error}"[:500]) from error
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self.close()
            raise ServerUnavailable(f"connection lost: {error}") from error
        if refused:
            code, text = next(iter(refused.values()))
            raise _classify(code, text)

    def close(self):
        """Close the connection politely, ignoring a server that has already gone."""
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.connection = None


class StoreBackend:
    """Development and tests: accept every message; the outbox row is the stored copy."""

    def __init__(self, config):
        self.config = config

    def send(self, mime):
        """Accept the message without sending it anywhere."""

    def close(self):
        """Nothing to close."""


BACKENDS = {"smtp": SMTPBackend, "store": StoreBackend}


def envelope(mime):
    """The envelope sender (Sender, else From) and recipients (To, Cc, Bcc) of `mime`."""
    sender = getaddresses([mime["Sender"] or mime["From"]])[0][1]
    fields = [value for name in ("To", "Cc", "Bcc") for value in mime.get_all(name, [])]
    return sender, [address for _, address in getaddresses(fields)]


def _classify(code, text):
    detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    error_class = TemporaryFailure if 400 <= code < 500 else PermanentFailure
    return error_class(f"{code} {detail}"[:500])


def backoff(attempts):
    """Wait before retry number `attempts`: 1, 2, 4... minutes, at most six hours."""
    return timedelta(minutes=min(2 ** (attempts - 1), 360))


def _claim(session, size, lease):
    now = utcnow()
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    ).all()
    values = lease.values()
    for row in rows:
        row.status, row.claimed_at = OutboxStatus.SENDING, now
        row.claimed_by, row.lease_until = values["claimed_by"], values["lease_until"]
    session.commit()
    return rows


def release_expired_claims(session):
    """Return rows whose worker died or stalled past its lease to the queue (never a row a
    live worker still holds, however long ago it was claimed)."""
    leases.release_expired(session, OutboxMessage, sending=OutboxStatus.SENDING,
                           pending=OutboxStatus.PENDING)


def deliver_pending(max_messages=None):
    """Deliver every due message (or up to `max_messages`); return a DeliveryReport."""
    config = current_app.config
    backend = BACKENDS[config["MAIL_BACKEND"]](config)
    report = DeliveryReport()
    lease = leases.Lease(OutboxMessage, leases.worker_id(), config["MAIL_LEASE_SECONDS"],
                         sending=OutboxStatus.SENDING)
    # A session of its own: delivery runs after the caller's commit, even inside its hook.
    with Session(db.engine, expire_on_commit=False) as session:
        release_expired_claims(session)
        try:
            _deliver_batches(session, backend, config, report, max_messages, lease)
        finally:
            backend.close()
    return report


def _deliver_batches(session, backend, config, report, max_messages, lease):
    remaining = max_messages
    while remaining is None or remaining > 0:
        size = config["MAIL_BATCH_SIZE"]
        if remaining is not None:
            size = min(size, remaining)
        rows = _claim(session, size, lease)
        if not rows:
            return
        for index, row in enumerate(rows):
            try:
                lease.renew_if_due(session, len(rows) - index)
                delivered = _deliver_one(session, backend, config, row, report, lease)
            except leases.LeaseLost:
                delivered = False  # another worker has the row: leave it, give back the rest
            if not delivered:
                # the server is down, or a lease was lost: give back the rows still held, stop
                lease.release(session, [r.id for r in rows[index + 1:]],
                              status=OutboxStatus.PENDING)
                return
        if remaining is not None:
            remaining -= len(rows)


def _deliver_one(session, backend, config, row, report, lease):
    """Try one row and record the outcome; False when the server cannot be reached.
    Raises LeaseLost when another worker holds the row now."""
    attempts = row.attempts + 1
    try:
        backend.send(build_mime(row, config["MAIL_DEFAULT_SENDER"]))
    except ServerUnreachable as error:
        # Not the message's fault: it keeps its attempts and stays due, so an outage of any
        # length never fails mail, and the first run after the server is back delivers it.
        _record(session, lease, row, status=OutboxStatus.PENDING, last_error=str(error)[:500])
        report.retried += 1
        return False
    except TemporaryFailure as error:
        if attempts >= config["MAIL_MAX_ATTEMPTS"]:
            outcome = {"status": OutboxStatus.FAILED}
            report.failed += 1
        else:
            outcome = {"status": OutboxStatus.PENDING,
                       "next_attempt_at": utcnow() + backoff(attempts)}
            report.retried += 1
        _record(session, lease, row, attempts=attempts, last_error=str(error)[:500], **outcome)
        return not isinstance(error, ServerUnavailable)
    except PermanentFailure as error:
        _record(session, lease, row, attempts=attempts, status=OutboxStatus.FAILED,
                last_error=str(error)[:500])
        report.failed += 1
    else:
        _record(session, lease, row, attempts=attempts, status=OutboxStatus.SENT,
                sent_at=utcnow(), last_error=None)
        report.sent += 1
    return True


def _record(session, lease, row, **values):
    # Only while this worker holds the row: UPDATE ... WHERE id = ... AND claimed_by = me.
    if not lease.settle(session, row.id, **values):
        raise leases.LeaseLost(f"row {row.id} is no longer held by {lease.owner}")
    # what the row now holds, without making the ORM write it again
    for name, value in {**values, "claimed_by": None, "lease_until": None}.items():
        set_committed_value(row, name, value)
