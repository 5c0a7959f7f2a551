"""The declarative base, naming convention, column types and engine tuning."""
from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Named constraints make migrations reproducible and downgrades possible.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model; carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow():
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use awards.core.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def tune_sqlite(engine):
    """Make SQLite safe for several processes: WAL, busy timeout, foreign keys, early write locks.

    pysqlite's own transaction handling starts transactions lazily, so two connections that both
    read and then write can deadlock into "database is locked". We take over BEGIN ourselves:
    every transaction outside a GET/HEAD request begins IMMEDIATE (takes the write lock first and
    waits for it), while page views stay DEFERRED so readers never queue behind writers.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        reading = has_request_context() and request.method in ("GET", "HEAD")
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def enum_type(enum_class):
    """A portable column type storing an enum's values (not names) as short strings."""
    return Enum(
        enum_class,
        native_enum=False,
        length=max(len(member.value) for member in enum_class) + 10,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


# Search structures made by hand-written DDL, not from the models: SQLite's FTS5 index of the
# public awards (with its shadow tables) and PostgreSQL's GIN expression index.
HAND_MADE = ("public_award_search", "ix_public_award_search")


def include_in_migrations(obj, name, type_, reflected, compare_to):
    """Alembic's filter: autogenerate leaves the hand-made search structures alone."""
    return not (type_ in {"table", "index"} and reflected and compare_to is None
                and (name or "").startswith(HAND_MADE))
