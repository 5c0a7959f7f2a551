"""The audit log: record() captures actor, address, object, states and details."""
import enum
from datetime import timedelta

from flask import g
from flask_login import login_user
from sqlalchemy import select

from awards.core.audit import AuditEvent, record
from awards.core.db import utcnow
from awards.extensions import db


class Stage(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


def saved(event):
    db.session.commit()
    db.session.expire_all()
    return db.session.get(AuditEvent, event.id)


def test_record_in_a_request_captures_the_signed_in_actor_and_address(app, make_user):
    actor, subject = make_user(), make_user()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        login_user(actor)
        event = record("nomination.submitted", subject, from_state=Stage.DRAFT,
                       to_state=Stage.SUBMITTED, reason="complete", count=3)
    g.pop("_login_user", None)  # Flask-Login caches the user on the shared app context

    event = saved(event)
    assert (event.action, event.actor_id, event.ip_address) == (
        "nomination.submitted", actor.id, "203.0.113.7")
    assert (event.object_type, event.object_id) == ("user", subject.id)
    assert (event.from_state, event.to_state) == ("draft", "submitted")
    assert event.details == {"reason": "complete", "count": 3}
    assert abs(utcnow() - event.at) < timedelta(minutes=1)


def test_record_explicit_actor_wins_over_the_signed_in_user(app, make_user):
    signed_in, named = make_user(), make_user()
    with app.test_request_context():
        login_user(signed_in)
        event = record("user.role_granted", signed_in, actor=named, role="helper")
    g.pop("_login_user", None)

    assert saved(event).actor_id == named.id


def test_record_anonymous_request_has_no_actor_but_keeps_the_address(app):
    with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.4"}):
        event = record("user.sign_in_failed", email="nobody@example.com")

    event = saved(event)
    assert (event.actor_id, event.ip_address) == (None, "198.51.100.4")
    assert (event.object_type, event.object_id) == (None, None)
    assert event.details == {"email": "nobody@example.com"}


def test_record_outside_a_request_has_no_actor_or_address(make_user):
    user = make_user()

    event = saved(record("user.created", user, from_state="none", to_state="active"))

    assert (event.actor_id, event.ip_address) == (None, None)
    assert (event.object_type, event.object_id) == ("user", user.id)
    assert (event.from_state, event.to_state) == ("none", "active")
    assert event.details == {}


def test_record_is_committed_with_the_change_it_describes(make_user):
    user = make_user()
    record("user.profile_updated", user, name=["A", "B"])
    db.session.rollback()

    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.profile_updated")).all() == []
