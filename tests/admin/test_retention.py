"""Retention: `flask retention run --dry-run` lists exactly what is due, a run removes exactly
that (and nothing else), audited as counts; the nightly job is scheduled."""
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select, update

from awards import factories
from awards.accounts.enums import Role
from awards.accounts.models import User
from awards.admin.services.retention import months_before, retention_job
from awards.core.audit import AuditEvent
from awards.core.db import utcnow
from awards.core.mail import queue_email
from awards.core.mail.models import OutboxMessage
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus
from awards.nominations.models import Consent, Nomination, Supporter

LONG_AGO = utcnow() - timedelta(days=400)


def _age(model, row_id, **values):
    db.session.execute(update(model).where(model.id == row_id).values(**values))


@pytest.fixture
def due(app):
    """Rows on both sides of every rule's cut-off; returns the due ones' identities."""
    admin = factories.user("Ann Admin", "ann.admin@example.com", roles=[Role.ADMIN])
    cycle = factories.cycle(name="Open Awards", slug="open-awards")
    declined_old = factories.nomination(cycle, NominationStatus.ELIGIBLE, admin=admin,
                                        nominee_email="d1@example.com", statements=1,
                                        photo=factories.photo("teal"))
    declined_new = factories.nomination(cycle, NominationStatus.ELIGIBLE, admin=admin,
                                        nominee_email="d2@example.com")
    for nomination in (declined_old, declined_new):
        factories.give_consent(nomination, ConsentStatus.DECLINED)
    ineligible_old = factories.nomination(cycle, NominationStatus.INELIGIBLE, admin=admin,
                                          nominee_email="i1@example.com")
    ineligible_new = factories.nomination(cycle, NominationStatus.INELIGIBLE, admin=admin,
                                          nominee_email="i2@example.com")
    past = factories.cycle(name="Past Awards", slug="past-awards")
    chair = factories.user("Cal Chair", "cal.chair@example.com")
    loser = factories.nomination(past, NominationStatus.ELIGIBLE, admin=admin,
                                 nominee_email="l1@example.com", consent=True, statements=1)
    winner = factories.nomination(past, NominationStatus.ELIGIBLE, admin=admin,
                                  nominee_email="w1@example.com", consent=True, statements=1)
    factories.start_judging(past, admin)
    panel = factories.panel(past, admin=admin, members=[chair])
    factories.decide(panel, loser, "not_selected", chair)
    factories.decide(panel, winner, "winner", chair)
    factories.publish(past, admin)
    stale = factories.user("Una Unconfirmed", "una@example.com", verified=False)
    fresh = factories.user("Nia New", "nia@example.com", verified=False)
    confirmed = factories.user("Cai Confirmed", "cai@example.com")
    old_mail = queue_email("accounts/verify_email", "old@example.com", user=stale,
                           link="https://x.example/a", hours=48)
    new_mail = queue_email("accounts/verify_email", "new@example.com", user=stale,
                           link="https://x.example/b", hours=48)
    old_event = AuditEvent(action="user.sign_in", ip_address="198.51.100.1")
    new_event = AuditEvent(action="user.sign_in", ip_address="198.51.100.2")
    db.session.add_all([old_event, new_event])
    db.session.flush()
    _age(Consent, declined_old.consent.id, answered_at=LONG_AGO)
    _age(Nomination, ineligible_old.id, updated_at=LONG_AGO)
    past.results_published_at = LONG_AGO
    _age(User, stale.id, created_at=utcnow() - timedelta(days=31))
    _age(User, confirmed.id, created_at=LONG_AGO)
    _age(OutboxMessage, old_mail.id, created_at=utcnow() - timedelta(days=91))
    _age(AuditEvent, old_event.id, at=LONG_AGO)
    photo = [declined_old.photo.display_name, declined_old.photo.thumb_name]
    db.session.commit()
    return {
        "nominations": [declined_old.reference, ineligible_old.reference, loser.reference],
        "kept_nominations": [declined_new.id, ineligible_new.id, winner.id],
        "account": stale.id, "kept_accounts": [fresh.id, confirmed.id],
        "outbox": old_mail.id, "kept_outbox": new_mail.id,
        "audit": old_event.id, "kept_audit": new_event.id, "photo": photo,
        "declined_old": declined_old.id,
    }


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["retention", "run", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_retention_dry_run_lists_exactly_what_is_due_and_changes_nothing(app, due):
    output = run(app, "--dry-run")
    lines = output.splitlines()
    assert "nominations: 3" in lines and "accounts: 1" in lines
    assert "outbox_bodies: 1" in lines and "audit_ip_addresses: 1" in lines
    listed = {line.split()[1] for line in lines if line.startswith("  nomination ")}
    assert listed == set(due["nominations"])
    assert f"  unconfirmed account {due['account']} " in output
    assert f"  e-mail {due['outbox']} " in output
    assert f"  audit event {due['audit']} " in output
    db.session.expire_all()
    assert len(db.session.scalars(select(Nomination)).all()) == 6
    assert db.session.get(User, due["account"]) is not None
    assert db.session.get(OutboxMessage, due["outbox"]).text_body != ""
    assert db.session.get(AuditEvent, due["audit"]).ip_address == "198.51.100.1"
    assert db.session.scalar(select(AuditEvent).filter_by(action="privacy.retention")) is None


def test_retention_run_removes_exactly_the_due_rows(app, due):
    folder = Path(current_app.config["UPLOAD_DIR"])
    assert all((folder / name).exists() for name in due["photo"])
    run(app)
    db.session.expire_all()
    references = set(db.session.scalars(select(Nomination.reference)))
    assert references.isdisjoint(due["nominations"])
    assert set(db.session.scalars(select(Nomination.id))) == set(due["kept_nominations"])
    assert db.session.scalars(select(Supporter).filter_by(
        nomination_id=due["declined_old"])).all() == []
    assert not any((folder / name).exists() for name in due["photo"])
    assert db.session.get(User, due["account"]) is None
    assert all(db.session.get(User, kept) for kept in due["kept_accounts"])
    old, new = (db.session.get(OutboxMessage, due[key]) for key in ("outbox", "kept_outbox"))
    assert (old.text_body, old.html_body) == ("", "")
    assert old.subject == "Confirm your email address" and old.recipient == "old@example.com"
    assert new.text_body != "" and new.html_body != ""
    assert db.session.get(AuditEvent, due["audit"]).ip_address is None
    assert db.session.get(AuditEvent, due["kept_audit"]).ip_address == "198.51.100.2"
    event = db.session.scalar(select(AuditEvent).filter_by(action="privacy.retention"))
    assert event.details == {"nominations": 3, "accounts": 1, "outbox_bodies": 1,
                             "audit_ip_addresses": 1}
    # Nothing is due any more.
    assert "nominations: 0" in run(app, "--dry-run").splitlines()


def test_retention_periods_come_from_the_configuration(app, due, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_NOMINATION_MONTHS", 24)
    monkeypatch.setitem(app.config, "RETENTION_UNCONFIRMED_ACCOUNT_DAYS", 60)
    monkeypatch.setitem(app.config, "RETENTION_OUTBOX_BODY_DAYS", 0)
    every_mail = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert every_mail > 2
    assert retention_job() == {"nominations": 0, "accounts": 0, "outbox_bodies": every_mail,
                               "audit_ip_addresses": 1}


def test_retention_runs_nightly_in_the_workers(app):
    huey = app.extensions["jobs"].huey
    at_night = [t.name for t in huey.read_periodic(datetime(2026, 12, 1, 3, 15))]
    at_noon = [t.name for t in huey.read_periodic(datetime(2026, 12, 1, 12, 0))]
    assert any(name.endswith("retention_daily") for name in at_night), at_night
    assert not any(name.endswith("retention_daily") for name in at_noon)


@pytest.mark.parametrize(("moment", "months", "expected"), [
    (datetime(2026, 3, 31, 12), 1, datetime(2026, 2, 28, 12)),
    (datetime(2026, 1, 15), 12, datetime(2025, 1, 15)),
    (datetime(2026, 1, 15), 13, datetime(2024, 12, 15)),
])
def test_months_before(moment, months, expected):
    assert months_before(moment, months) == expected


def test_privacy_notice_gives_the_configured_periods(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RETENTION_NOMINATION_MONTHS", 18)
    monkeypatch.setitem(app.config, "RETENTION_UNCONFIRMED_ACCOUNT_DAYS", 1)
    page = client.get("/privacy").get_data(as_text=True)
    assert "photo 18 months after that" in page
    assert "never confirmed are deleted after 1 day." in page
    assert "deleted after 90 days; we keep only who was written to" in page
    assert "deleted after 12 months." in page
    assert "we do not tell you who unless they agreed to be named" in page
