"""Retention: what is kept no longer than the schedule in the configuration says.

- nominations that went no further (the nominee declined, found ineligible, not selected in
  a published cycle), with their statements and photo: RETENTION_NOMINATION_MONTHS after;
- accounts whose address was never confirmed: RETENTION_UNCONFIRMED_ACCOUNT_DAYS;
- the bodies of e-mails (the row and subject stay): RETENTION_OUTBOX_BODY_DAYS;
- the IP address in audit events: RETENTION_AUDIT_IP_MONTHS.

`plan_retention()` lists what is due; `apply_retention()` removes it and audits the counts.
"""
from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import or_, select

from awards.accounts.models import User
from awards.admin.services.removal import delete_nomination
from awards.core.audit import AuditEvent, record
from awards.core.db import utcnow
from awards.core.mail.models import OutboxMessage
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus
from awards.nominations.models import AwardCycle, Consent, Nomination
from awards.panels.enums import Outcome
from awards.panels.models import Decision


class Due(NamedTuple):
    """What a rule would remove now: the rows (for counting and listing) and how to list
    each one."""

    rows: list
    describe: object

    def lines(self):
        return [self.describe(row) for row in self.rows]


def months_before(moment, months):
    """The same time `months` calendar months earlier (the last day of a shorter month)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    for day in range(moment.day, 0, -1):
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    raise ValueError(moment)


def _cut_offs(now):
    config = current_app.config
    return {
        "nominations": months_before(now, config["RETENTION_NOMINATION_MONTHS"]),
        "accounts": now - timedelta(days=config["RETENTION_UNCONFIRMED_ACCOUNT_DAYS"]),
        "outbox_bodies": now - timedelta(days=config["RETENTION_OUTBOX_BODY_DAYS"]),
        "audit_ip_addresses": months_before(now, config["RETENTION_AUDIT_IP_MONTHS"]),
    }


def due_nominations(before):
    """Declined (answered before the cut-off), ineligible (last changed before it) and not
    selected (results published before it) nominations."""
    declined = (select(Nomination.id).join(Consent, Consent.nomination_id == Nomination.id)
                .where(Consent.status == ConsentStatus.DECLINED, Consent.answered_at < before))
    ineligible = select(Nomination.id).where(Nomination.status == NominationStatus.INELIGIBLE,
                                             Nomination.updated_at < before)
    unsuccessful = (select(Nomination.id).join(Decision, Decision.nomination_id == Nomination.id)
                    .join(AwardCycle, AwardCycle.id == Nomination.cycle_id)
                    .where(Decision.outcome == Outcome.NOT_SELECTED,
                           AwardCycle.results_published_at < before))
    return db.session.scalars(select(Nomination).where(or_(
        Nomination.id.in_(declined), Nomination.id.in_(ineligible),
        Nomination.id.in_(unsuccessful))).order_by(Nomination.id)).all()


def due_accounts(before):
    return db.session.scalars(select(User).where(User.email_verified_at.is_(None),
                                                 User.created_at < before)
                              .order_by(User.id)).all()


def due_outbox_bodies(before):
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.created_at < before,
        or_(OutboxMessage.text_body != "", OutboxMessage.html_body != ""))
        .order_by(OutboxMessage.id)).all()


def due_audit_ip_addresses(before):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.at < before,
                                                       AuditEvent.ip_address.is_not(None))
                              .order_by(AuditEvent.id)).all()


def plan_retention(now=None):
    """What each rule would remove now, by rule name (the dry run lists it)."""
    cut = _cut_offs(now or utcnow())
    return {
        "nominations": Due(due_nominations(cut["nominations"]),
                           lambda n: f"nomination {n.reference} ({n.status.value})"),
        "accounts": Due(due_accounts(cut["accounts"]),
                        lambda u: f"unconfirmed account {u.id} (created {u.created_at:%Y-%m-%d})"),
        "outbox_bodies": Due(due_outbox_bodies(cut["outbox_bodies"]),
                             lambda m: f"e-mail {m.id} ({m.kind}, {m.created_at:%Y-%m-%d})"),
        "audit_ip_addresses": Due(due_audit_ip_addresses(cut["audit_ip_addresses"]),
                                  lambda e: f"audit event {e.id} ({e.at:%Y-%m-%d})"),
    }


def apply_retention(now=None):
    """Remove what is due; audit the counts (never what went). Returns the counts."""
    plan = plan_retention(now)
    for nomination in plan["nominations"].rows:
        delete_nomination(nomination)
    for user in plan["accounts"].rows:
        db.session.delete(user)  # roles and links go with it; their nominations stay
    for message in plan["outbox_bodies"].rows:
        message.text_body = message.html_body = ""
    for event in plan["audit_ip_addresses"].rows:
        event.ip_address = None
    counts = {name: len(due.rows) for name, due in plan.items()}
    record("privacy.retention", **counts)
    db.session.flush()
    return counts


def retention_job():
    """The daily task: apply the schedule and commit."""
    counts = apply_retention()
    db.session.commit()
    return counts
