"""A supporter of a nomination and their statement."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from awards.core.db import UTCDateTime, utcnow
from awards.extensions import db
from awards.nominations.models.nomination import Nomination


class Supporter(db.Model):
    """Someone the nominator invited to add a statement."""

    __tablename__ = "supporter"
    __table_args__ = (UniqueConstraint("nomination_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120), default="")
    relationship_to_nominee: Mapped[str] = mapped_column(String(200), default="")
    statement: Mapped[str] = mapped_column(Text, default="")
    invited_by_nominator: Mapped[bool] = mapped_column(default=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # e-mail proven
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # statement sent
    # The language they wrote in (their e-mails are written in it); None: not answered yet.
    locale: Mapped[str | None] = mapped_column(String(10))

    @property
    def counts(self):
        """Whether this statement counts towards the nomination being complete."""
        return self.confirmed_at is not None and self.responded_at is not None

    nomination: Mapped[Nomination] = relationship(
        back_populates="supporters", foreign_keys=[nomination_id]
    )
