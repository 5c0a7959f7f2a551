"""One recipient's copy of an issue: the stored body with their links, and the list headers.

The issue's body is rendered once (by the admin's compose step) and stored with the
placeholders %%UNSUBSCRIBE_URL%% and %%PREFERENCES_URL%%; a worker reads it once per issue
(`IssueMessage`, cached for the worker's life) and fills in each recipient's links.
"""
from email.message import EmailMessage
from email.utils import format_datetime

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

    def links(self, token):
        """The recipient's (unsubscribe, preferences) URLs."""
        return (self.unsubscribe_url.replace(_TOKEN, token),
                self.preferences_url.replace(_TOKEN, token))

    def build(self, delivery_id, address, token):
        """The MIME message for one delivery row: text part, then the HTML alternative."""
        unsubscribe, preferences = self.links(token)
        mime = EmailMessage()
        mime["From"] = self.sender
        mime["To"] = address
        mime["Subject"] = self.subject
        mime["Date"] = format_datetime(utcnow())
        # One per delivery row; a retry of the same row keeps it, so a receiver can tell.
        mime["Message-ID"] = f"<newsletter.{self.issue_id}.{delivery_id}@{self.domain}>"
        mime["List-Id"] = self.list_id
        # RFC 2369 and RFC 8058: one-click unsubscribe by POST to the HTTPS link.
        mime["List-Unsubscribe"] = f"<{unsubscribe}>, <{self.mailto}>"
        mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        mime["Precedence"] = "bulk"
        mime["Auto-Submitted"] = "auto-generated"
        mime.set_content(_fill(self.text_body, unsubscribe, preferences))
        mime.add_alternative(_fill(self.html_body, unsubscribe, preferences), subtype="html")
        return mime


def _fill(body, unsubscribe, preferences):
    return body.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe).replace(
        PREFERENCES_PLACEHOLDER, preferences)
