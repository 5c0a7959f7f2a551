"""The states of a subscriber, an issue and one delivery of an issue."""
from flask_babel import lazy_gettext as _l

from awards.core.enums import LabelledEnum


class SubscriberStatus(LabelledEnum):
    """Where a subscription is: only ACTIVE subscribers are sent issues."""

    PENDING = "pending", _l("Waiting for confirmation")
    ACTIVE = "active", _l("Subscribed")
    PAUSED = "paused", _l("Paused")
    UNSUBSCRIBED = "unsubscribed", _l("Unsubscribed")
    # too many hard bounces or a complaint: never sent anything again
    SUPPRESSED = "suppressed", _l("Suppressed")


class IssueStatus(LabelledEnum):
    """An issue is written, maybe scheduled, sent (pausable), and then finished."""

    DRAFT = "draft", _l("Draft")
    SCHEDULED = "scheduled", _l("Scheduled")
    SENDING = "sending", _l("Sending")
    PAUSED = "paused", _l("Paused")
    SENT = "sent", _l("Sent")
    CANCELLED = "cancelled", _l("Cancelled")


class DeliveryStatus(LabelledEnum):
    """One recipient's copy of an issue."""

    PENDING = "pending", _l("Waiting to be sent")
    SENDING = "sending", _l("Being sent")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")
    # the subscriber left, or the send was cancelled, before this copy went
    SKIPPED = "skipped", _l("Not sent")
