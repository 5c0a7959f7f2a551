"""What follows a change, connected per app: domain signals and the unit of work's moments.

Flask's own idiom (its `request_started` and friends): every signal is sent with the current
app as its sender, and `register_hooks` in the factory connects each receiver for one app
(`signal.connect(receiver, sender=app)`). So two apps in one process never run each other's
hooks, and nothing is connected by importing a module.

The SQLAlchemy session's moments (after a flush, a commit, a rollback) become such signals:
`relay_session_events` listens on the app's `db.session` only (its own session class), never
on SQLAlchemy's `Session` class, so a session the mail sender opens for itself runs none.
"""
from blinker import Namespace
from flask import current_app, has_app_context
from sqlalchemy import event

_signals = Namespace()
# Sent with the app as sender and `session=` the app's session.
session_flushed = _signals.signal("session-flushed")
session_committed = _signals.signal("session-committed")
session_rolled_back = _signals.signal("session-rolled-back")


def notify(signal, **data):
    """Send a domain signal for the current app (receivers are connected per app)."""
    signal.send(current_app._get_current_object(), **data)


def _relay(signal):
    def relay(session, *_context):
        if has_app_context():
            signal.send(current_app._get_current_object(), session=session)

    return relay


_RELAYS = {"after_flush": _relay(session_flushed),
           "after_commit": _relay(session_committed),
           "after_rollback": _relay(session_rolled_back)}


def relay_session_events(scoped_session):
    """Turn the session's flush, commit and rollback into the signals above (once per
    process: `db.session` is one registry shared by every app, each bound to its own engine)."""
    for name, relay in _RELAYS.items():
        if not event.contains(scoped_session, name, relay):
            event.listen(scoped_session, name, relay)
