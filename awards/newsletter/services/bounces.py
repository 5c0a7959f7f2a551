"""Bounces and complaints read from a mailbox: who to suppress.

Delivery-status notifications are read by flufl.bounce (Mailman's detector: RFC 3464 DSNs
and the known MTA formats); permanent failures are suppressed, temporary ones (a full
mailbox, a delay) only counted. Complaints are ARF feedback reports (RFC 5965): the
recipient is found from the List-Unsubscribe token of the original message, else its
Original-Rcpt-To, else the original message's To.
"""
import email
import logging
import mailbox
import re
from dataclasses import dataclass, field
from email.utils import getaddresses

from flufl.bounce import all_failures
from sqlalchemy import func, select

from awards.extensions import db
from awards.newsletter.models import Subscriber
from awards.newsletter.services.suppression import suppress_address

log = logging.getLogger(__name__)

ORIGINAL_MESSAGE_TYPES = ("message/rfc822", "text/rfc822-headers")
# Feedback-Type values that are a recipient's complaint (RFC 5965); "not-spam" (RFC 6650),
# "auth-failure" (RFC 6591) and "virus" are reports of another kind.
COMPLAINT_TYPES = {"abuse", "fraud"}
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass
class BounceReport:
    """What one mailbox held and what was done about it."""

    messages: int = 0
    bounces: int = 0  # permanent failures found (an address in each of its reports)
    temporary: int = 0  # temporary failures found: counted, never suppressed
    complaints: int = 0  # feedback reports that are complaints
    other_reports: int = 0  # feedback reports of another kind (not-spam, auth-failure...)
    suppressed: int = 0  # subscribers suppressed by this run
    unknown: set = field(default_factory=set)  # addresses that are no subscriber
    unreadable: int = 0  # messages the detectors could not parse


def process_mailbox(path):
    """Read every message of the mbox at `path`, suppress the subscribers who bounced for
    good or complained, and return a BounceReport. The caller commits."""
    report = BounceReport()
    box = mailbox.mbox(path, create=False)
    try:
        for message in box:
            report.messages += 1
            process_message(message, report)
    finally:
        box.close()
    return report


def process_message(message, report):
    """One message of the bounce mailbox: a complaint, a bounce, or neither."""
    if is_feedback_report(message):
        if feedback_type(message) not in COMPLAINT_TYPES:
            report.other_reports += 1
            return
        report.complaints += 1
        for address in complained_addresses(message):
            _suppress(address, "complaint", report, complaint=True)
        return
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # a detector choked on a malformed message: skip it, keep going
        log.warning("could not read a message in the bounce mailbox", exc_info=True)
        report.unreadable += 1
        return
    report.temporary += len(temporary)
    for address in sorted(permanent):
        report.bounces += 1
        _suppress(address.decode("ascii"), "hard_bounce", report)


def is_feedback_report(message):
    """Whether `message` is an ARF feedback report (a recipient's "this is spam")."""
    return (message.get_content_type() == "multipart/report"
            and str(message.get_param("report-type", "")).lower() == "feedback-report")


def feedback_type(report):
    """The Feedback-Type of a feedback report ("abuse" when it does not say)."""
    for part in report.walk():
        if part.get_content_type() == "message/feedback-report":
            return str(_embedded(part).get("Feedback-Type", "abuse")).strip().lower()
    return "abuse"


def complained_addresses(report):
    """The addresses a feedback report complains for, best evidence first."""
    fields, original = None, None
    for part in report.walk():
        content_type = part.get_content_type()
        if content_type == "message/feedback-report" and fields is None:
            fields = _embedded(part)
        elif content_type in ORIGINAL_MESSAGE_TYPES and original is None:
            original = _embedded(part)
    if original is not None:
        by_token = _subscriber_by_token(original.get_all("List-Unsubscribe", []))
        if by_token:
            return [by_token]
    for source, name in ((fields, "Original-Rcpt-To"), (original, "To")):
        if source is not None:
            addresses = [a for _, a in getaddresses(source.get_all(name, [])) if "@" in a]
            if addresses:
                return addresses
    return []


def _embedded(part):
    """The headers (and body) a message/* or text/rfc822-headers part carries."""
    if part.is_multipart():
        return part.get_payload(0)
    payload = part.get_payload(decode=True) or b""
    return email.message_from_bytes(payload)


def _subscriber_by_token(values):
    candidates = {token for value in values for url in re.findall(r"<([^>]*)>", str(value))
                  for token in TOKEN_PATTERN.findall(url)}
    if not candidates:
        return None
    return db.session.scalar(select(Subscriber.email).where(Subscriber.token.in_(candidates)))


def _suppress(address, reason, report, *, complaint=False):
    known = db.session.scalar(
        select(Subscriber.id).where(func.lower(Subscriber.email) == address.lower()))
    if known is None:
        report.unknown.add(address.lower())
    elif suppress_address(address, reason, complaint=complaint):
        report.suppressed += 1
