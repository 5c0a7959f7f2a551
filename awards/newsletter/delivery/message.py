"""One recipient's copy of an issue: the stored body with their links, and the list headers.

The issue's body is rendered once (by the admin's compose step) and stored with the
placeholders %%UNSUBSCRIBE_URL%% and %%PREFERENCES_URL%%; a worker reads it once per issue
(`IssueMessage`, cached for the worker's life) and fills in each recipient's links.
"""
import binascii
import secrets
from email.header import Header
from email.message import Message
from email.policy import compat32
from email.utils import format_datetime, formataddr, parseaddr

from awards.core.db import utcnow
from awards.core.urls import external_url

UNSUBSCRIBE_PLACEHOLDER = "%%UNSUBSCRIBE_URL%%"
PREFERENCES_PLACEHOLDER = "%%PREFERENCES_URL%%"
_TOKEN = "TOKEN0PLACEHOLDER0TOKEN"  # stands for the token while the URLs are built once
# Headers are written on one line (up to RFC 5322's 998 characters) rather than folded
# before a long first word such as List-Unsubscribe's URL; encoded words fold themselves.
_UNFOLDED = compat32.clone(max_line_length=998)


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
        self.headers = [("MIME-Version", "1.0"), ("From", _header_address(self.sender)),
                        ("Subject", _header(self.subject)), ("List-Id", self.list_id),
                        ("Precedence", "bulk"), ("Auto-Submitted", "auto-generated")]

    def links(self, token):
        """The recipient's (unsubscribe, preferences) URLs."""
        return (self.unsubscribe_url.replace(_TOKEN, token),
                self.preferences_url.replace(_TOKEN, token))

    def build(self, delivery_id, address, token):
        """The MIME message for one delivery row: text part, then the HTML alternative.

        Built from plain compat32 parts whose headers are set once per issue and whose bodies
        are quoted-printable encoded by binascii: email.message.EmailMessage parses every
        header it is given and made building a copy cost more than sending it."""
        unsubscribe, preferences = self.links(token)
        mime = Message(policy=_UNFOLDED)
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
        mime.set_payload([
            _part("plain", _fill(self.text_body, unsubscribe, preferences)),
            _part("html", _fill(self.html_body, unsubscribe, preferences))])
        return mime


def _header(value):
    """A header value as compat32 wants it: ASCII as it is, anything else RFC 2047 encoded."""
    return value if value.isascii() else Header(value, "utf-8").encode()


def _part(subtype, body):
    part = Message(policy=_UNFOLDED)
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    # One line ending for the encoder; the generator writes CRLF for SMTP.
    part.set_payload(binascii.b2a_qp(body.replace("\r\n", "\n").encode()).decode("ascii"))
    return part


def _header_address(value):
    """A From: such as "Big Citizens <news@example.org>", its name encoded if need be."""
    if value.isascii():
        return value
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8")


def _fill(body, unsubscribe, preferences):
    return body.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe).replace(
        PREFERENCES_PLACEHOLDER, preferences)
