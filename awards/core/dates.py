"""Dates and times for people, in the reader's language and the scheme's time zone.

Dates (`date`) have no zone. Datetimes are stored in UTC and shown in TIMEZONE (through
Flask-Babel's BABEL_DEFAULT_TIMEZONE), with the zone's abbreviation ("18:00 GMT", "18:00 BST")
so that nobody has to guess. Machine formats (feeds, JSON-LD, sitemaps) stay ISO 8601.
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import format_date, format_datetime, to_user_timezone

# Day, month name and year in every language ("5 December 2026", "5 Rhagfyr 2026").
FORMATS = {"long": "d MMMM y", "short": "d MMM y"}


def format_day(value, format="long"):
    """'5 December 2026' (or 'short': '5 Dec 2026'); a datetime gives its local day."""
    if value is None:
        return ""
    return format_date(value, FORMATS.get(format, format))


def format_moment(value, format="long"):
    """'5 December 2026, 18:00 GMT': the day and time where the scheme is, and the zone."""
    if value is None:
        return ""
    zone = to_user_timezone(value).tzname()
    return f"{format_datetime(value, FORMATS.get(format, format) + ', HH:mm')} {zone}"


def scheme_today():
    """Today's date where the scheme is (TIMEZONE): a cycle "closing on 30 June" closes at
    midnight there, not at midnight UTC. Outside an app, the UTC date."""
    now = datetime.now(UTC)
    if has_app_context():
        now = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return now.date()
