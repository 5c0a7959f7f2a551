"""The audit log: who did what, when, to which object, from which state to which."""
from datetime import datetime

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from awards.core.db import UTCDateTime, utcnow
from awards.extensions import db


class AuditEvent(db.Model):
    """One recorded change of state or security-relevant event."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    def __repr__(self):
        return f"<AuditEvent {self.action} {self.object_type}:{self.object_id}>"


def record(action, obj=None, *, actor=None, from_state=None, to_state=None, **details):
    """Add an audit event to the session (the caller commits with the change it describes)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    # Views pass `current_user`, a proxy: record the User it stands for, not the proxy's type.
    obj = getattr(obj, "_get_current_object", lambda: obj)()
    actor = getattr(actor, "_get_current_object", lambda: actor)()
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=type(obj).__tablename__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        from_state=_state(from_state),
        to_state=_state(to_state),
        details=details,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def _state(value):
    return getattr(value, "value", value)
