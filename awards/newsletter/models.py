"""Subscribers, issues and deliveries.

An issue's body is stored once, on the issue; a delivery row holds only who it goes to and
where it is (never a copy of the body), so 10,000 recipients cost a few hundred kilobytes.
"""
import secrets
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import UTCDateTime, enum_type, utcnow
from awards.extensions import db
from awards.newsletter.enums import DeliveryStatus, IssueStatus, SubscriberStatus
from awards.nominations.models import Area


def new_subscriber_token():
    """The secret in a subscriber's preferences and unsubscribe links."""
    return secrets.token_urlsafe(24)


subscriber_area = Table(
    "newsletter_subscriber_area", db.metadata,
    Column("subscriber_id", ForeignKey("newsletter_subscriber.id", ondelete="CASCADE"),
           primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True),
)

issue_area = Table(
    "newsletter_issue_area", db.metadata,
    Column("issue_id", ForeignKey("newsletter_issue.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True),
)


class Subscriber(db.Model):
    """An address that asked for the newsletter, and what it agreed to, when and where."""

    __tablename__ = "newsletter_subscriber"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # in every preferences and unsubscribe link; replaced when the person deletes everything
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_subscriber_token)
    status: Mapped[SubscriberStatus] = mapped_column(
        enum_type(SubscriberStatus), default=SubscriberStatus.PENDING, index=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # the evidence of consent: the page it was given on and the exact words agreed to
    source: Mapped[str] = mapped_column(String(200), default="")
    consent_wording: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suppressed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hard_bounces: Mapped[int] = mapped_column(default=0)

    areas: Mapped[list[Area]] = relationship(secondary=subscriber_area, lazy="selectin",
                                             order_by=Area.name)

    @property
    def is_active(self):
        """Whether issues are sent to this address now."""
        return self.status is SubscriberStatus.ACTIVE

    @property
    def is_pending(self):
        """Whether the address has yet to be confirmed."""
        return self.status is SubscriberStatus.PENDING

    @property
    def is_paused(self):
        """Whether the subscriber asked for a break."""
        return self.status is SubscriberStatus.PAUSED

    @property
    def is_subscribed(self):
        """Whether the subscription stands (active or paused)."""
        return self.status in (SubscriberStatus.ACTIVE, SubscriberStatus.PAUSED)

    def __repr__(self):
        return f"<Subscriber {self.id} {self.status.value}>"


class NewsletterIssue(db.Model):
    """One issue: written as a draft, its body rendered once when it is sent."""

    __tablename__ = "newsletter_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    subject: Mapped[str] = mapped_column(String(150))
    introduction: Mapped[str] = mapped_column(Text, default="")  # Markdown
    status: Mapped[IssueStatus] = mapped_column(
        enum_type(IssueStatus), default=IssueStatus.DRAFT, index=True)
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The rendered message, stored once; each recipient's links are filled in at send time.
    html_body: Mapped[str | None] = mapped_column(Text)
    text_body: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    send_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last delivery settled

    areas: Mapped[list[Area]] = relationship(secondary=issue_area, lazy="selectin",
                                             order_by=Area.name)
    stories: Mapped[list["IssueStory"]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="IssueStory.position",
        lazy="selectin")

    @property
    def is_draft(self):
        """Whether the issue can still be edited."""
        return self.status is IssueStatus.DRAFT

    @property
    def is_scheduled(self):
        """Whether the issue waits for its scheduled time."""
        return self.status is IssueStatus.SCHEDULED

    @property
    def is_sending(self):
        """Whether deliveries are going out now."""
        return self.status is IssueStatus.SENDING

    @property
    def is_paused(self):
        """Whether an admin paused the send."""
        return self.status is IssueStatus.PAUSED

    @property
    def is_sent(self):
        """Whether the send has finished (it is in the archive)."""
        return self.status is IssueStatus.SENT

    @property
    def is_cancelled(self):
        """Whether an admin cancelled the send."""
        return self.status is IssueStatus.CANCELLED

    def __repr__(self):
        return f"<NewsletterIssue {self.reference} {self.status.value}>"


class IssueStory(db.Model):
    """A published winner featured in an issue. What of them is shown is decided when the
    issue is rendered, from the public listing and the nominee's newsletter consent."""

    __tablename__ = "newsletter_issue_story"
    __table_args__ = (UniqueConstraint("issue_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(
        ForeignKey("newsletter_issue.id", ondelete="CASCADE"), index=True)
    # the nomination, not its public row: the public row is rebuilt and deleted on withdrawal
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    issue: Mapped[NewsletterIssue] = relationship(back_populates="stories")


class Delivery(db.Model):
    """One recipient's copy of an issue: who, where it is, and who holds its claim."""

    __tablename__ = "newsletter_delivery"
    __table_args__ = (
        UniqueConstraint("issue_id", "subscriber_id"),
        Index("ix_newsletter_delivery_due", "issue_id", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("newsletter_issue.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("newsletter_subscriber.id", ondelete="SET NULL"), index=True)
    address: Mapped[str] = mapped_column(String(254))
    token: Mapped[str] = mapped_column(String(64))  # the subscriber's, for their links
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_type(DeliveryStatus), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the lease: which worker holds the row, and until when (renewed while it works)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))

    issue: Mapped[NewsletterIssue] = relationship()
