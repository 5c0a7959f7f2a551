"""Reads of the audit log: filtered, newest first, a page at a time or every row for export.

Read only: nothing here (or anywhere) changes or removes an AuditEvent.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_, select

from awards.accounts.models import User
from awards.core.audit import AuditEvent
from awards.extensions import db

PER_PAGE = 50
# The most rows one export writes (a narrower filter gives the rest).
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class AuditFilters:
    """What to show: an actor (part of a name or e-mail), an action, an object (its kind and
    id) and a date range (days in the scheme's time zone, both inclusive)."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_args(self):
        """The filters as query arguments (for links to other pages of the same list)."""
        args = {"actor": self.actor, "action": self.action, "object_type": self.object_type,
                "object_id": self.object_id,
                "date_from": self.date_from and self.date_from.isoformat(),
                "date_to": self.date_to and self.date_to.isoformat()}
        return {name: value for name, value in args.items() if value not in (None, "")}


def _start_of(day):
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.combine(day, time.min, tzinfo=zone)


def _filtered(filters, *columns):
    query = (select(AuditEvent, *columns).outerjoin(User, User.id == AuditEvent.actor_id))
    if filters.actor:
        like = f"%{filters.actor}%"
        query = query.where(or_(User.name.ilike(like), User.email.ilike(like)))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id is not None:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.date_from:
        query = query.where(AuditEvent.at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.at < _start_of(filters.date_to + timedelta(days=1)))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def audit_page(filters, page=1):
    """One page of the events matching `filters`, newest first."""
    return db.paginate(_filtered(filters), page=page, per_page=PER_PAGE, error_out=False,
                       count=True)


def actors_of(events):
    """{user id: User} for the actors of `events`."""
    ids = {event.actor_id for event in events if event.actor_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def audit_rows(filters):
    """Every (event, actor) row matching `filters` (up to EXPORT_LIMIT), newest first."""
    return db.session.execute(_filtered(filters, User).limit(EXPORT_LIMIT)).all()


def actions():
    """Every action recorded so far, alphabetically."""
    return db.session.scalars(select(AuditEvent.action).distinct()
                              .order_by(AuditEvent.action)).all()


def object_types():
    """Every kind of object events were recorded about, alphabetically."""
    return db.session.scalars(select(AuditEvent.object_type).distinct()
                              .where(AuditEvent.object_type.is_not(None))
                              .order_by(AuditEvent.object_type)).all()
