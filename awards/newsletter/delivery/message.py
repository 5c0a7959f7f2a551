"""One recipient's copy of an issue: the stored body with their links, and the list headers.

The issue's body is rendered once (by the admin's compose step) and stored with the
placeholders %%UNSUBSCRIBE_URL%% and %%PREFERENCES_URL%%; a worker reads it once per issue
(`IssueMessage`, cached for the worker's life) and fills in each recipient's links.
"""
import binascii
import secrets
from email.header import Header
from email.message import Message
from email.policy import Compat32
from email.utils import format_datetime, formataddr, parseaddr

from awards.core.db import utcnow
from awards.core.urls import external_url

UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"
PREFERENCES_PLACEHOLDER = "%%PREFERENCES_URL%%"
_TOKEN = "TOKEN0PLACEHOLDER0TOKEN"  # stands for the token while the URLs are built once


def sender_domain(config):
    """The domain of the newsletter's From: address."""
    sender = config.get("NEWSLETTER_SENDER") or config["MAIL_DEFAULT_SENDER"]
    return sender.rpartition("@")[2].rstrip(">").strip() or "localhost"


def list_id(config):
    """List-Id's value: <newsletter.DOMAIN> unless NEWSLETTER_LIST_ID says otherwise."""
    value = config.get("NEWSLETTER_LIST_ID") or f"newsletter.{sender_domain(config)}"
    return value if value.startswith("<") else f"<{value}>"


class IssueMessage:
    """What every copy of one issue shares, read once; `build` makes one recipient's copy."""

    def __init__(self, issue, config):
        self.issue_id = issue.id
        self.subject = issue.subject
        self.text_body = issue.text_body or ""
        self.html_body = issue.html_body or ""
        self.send_started_at = issue.send_started_at or utcnow()
        self.sender = config.get("NEWSLETTER_SENDER") or config["MAIL_DEFAULT_SENDER"]
        self.domain = sender_domain(config)
        self.list_id = list_id(config)
        mailto = (config.get("NEWSLETTER_UNSUBSCRIBE_MAILTO")
                  or f"unsubscribe@{self.domain}")
        self.mailto = f"mailto:{mailto}?subject=unsubscribe"
        # Built once with a stand-in token (URL building is the slow part), filled per copy.
        self.unsubscribe_url = external_url("newsletter.unsubscribe", token=_TOKEN)
        self.preferences_url = external_url("newsletter.preferences", token=_TOKEN)
        # "=" never appears unescaped in a quoted-printable body: no part can contain it.
        self.boundary = f"==newsletter.{secrets.token_hex(12)}=="
        part = '--{}\r\nContent-Type: text/{}; charset="utf-8"\r\n' \
               "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        self.text_head = part.format(self.boundary, "plain")
        self.html_head = "\r\n" + part.format(self.boundary, "html")
        self.closing = f"\r\n--{self.boundary}--\r\n"
        self.headers = [("MIME-Version", "1.0"), ("From", _header_address(self.sender)),
                        ("Subject", _header(self.subject)), ("List-Id", self.list_id),
                        ("Precedence", "bulk"), ("Auto-Submitted", "auto-generated")]

    def links(self, token):
        """The recipient's (unsubscribe, preferences) URLs."""
        return (self.unsubscribe_url.replace(_TOKEN, token),
                self.preferences_url.replace(_TOKEN, token))

    def build(self, delivery_id, address, token):
        """The MIME message for one delivery row: text part, then the HTML alternative.

        Written directly rather than through email's generator: a Message whose headers are
        ready-encoded single lines (the `_WIRE` policy writes them as they are) and whose
        multipart body is one string built from quoted-printable parts (binascii). Building
        an EmailMessage and flattening it cost more than sending it (docs/newsletter.md)."""
        unsubscribe, preferences = self.links(token)
        mime = Message(policy=_WIRE)
        for name, value in self.headers:
            mime[name] = value
        mime["To"] = _header(address)
        mime["Date"] = format_datetime(utcnow())
        # One per delivery row; a retry of the same row keeps it, so a receiver can tell.
        mime["Message-ID"] = f"<newsletter.{self.issue_id}.{delivery_id}@{self.domain}>"
        # RFC 2369 and RFC 8058: one-click unsubscribe by POST to the HTTPS link.
        mime["List-Unsubscribe"] = f"<{unsubscribe}>, <{self.mailto}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        mime["Content-Type"] = f'multipart/alternative; boundary="{self.boundary}"'
        mime.set_payload("".join((
            self.text_head, _qp(_fill(self.text_body, unsubscribe, preferences)),
            self.html_head, _qp(_fill(self.html_body, unsubscribe, preferences)),
            self.closing)))
        return mime


class _WirePolicy(Compat32):
    """compat32, writing each header as it was given: every value set by `build` is already
    one line of ASCII (encoded words where needed), so folding it again is wasted work."""

    # Asked for by the sender like any policy's; the headers are ASCII already.
    utf8 = False

    def fold(self, name, value):
        return f"{name}: {value}{self.linesep}"

    def fold_binary(self, name, value):
        return self.fold(name, value).encode("ascii", "surrogateescape")


_WIRE = _WirePolicy(linesep="\r\n", max_line_length=998)


def _header(value):
    """A header value on one line: ASCII as it is, anything else RFC 2047 encoded."""
    value = " ".join(value.split())  # no line breaks: a subject cannot add headers
    return value if value.isascii() else Header(value, "utf-8").encode(maxlinelen=0)


def _qp(body):
    """A body quoted-printable encoded, with CRLF line ends (written to the wire as is)."""
    data = binascii.b2a_qp(body.replace("\r\n", "\n").encode())
    return data.decode("ascii").replace("\n", "\r\n")


def _header_address(value):
    """A From: such as "Big Citizens <news@example.org>", its name encoded if need be."""
    if value.isascii():
        return value
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8")


def _fill(body, unsubscribe, preferences):
    return body.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe).replace(
        PREFERENCES_PLACEHOLDER, preferences)
