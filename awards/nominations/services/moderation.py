"""Admins check submitted nominations, and move the ready ones into judging."""
from dataclasses import dataclass, field

from blinker import Namespace
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from awards.core.hooks import notify
from awards.extensions import db
from awards.nominations import emails, queries
from awards.nominations.enums import NominationStatus
from awards.nominations.models import Nomination
from awards.nominations.services import NominationError
from awards.nominations.services.consent import request_consent, thank_nominee
from awards.nominations.services.status import change_status

S = NominationStatus
# Sent (for the app, with `cycle=`) when nominations enter judging: panels (a feature to the
# right of this one, which it must not import) listen and give the new nominations reviewers.
judging_started = Namespace().signal("judging-started")


def mark_eligible(nomination, *, actor):
    """The nomination meets the rules and goes forward: now the nominee is asked."""
    change_status(nomination, S.ELIGIBLE, actor=actor)
    db.session.flush()
    request_consent(nomination, actor=actor)


def mark_ineligible(nomination, reason, *, actor):
    """Not eligible: the nominator is told why, kindly."""
    reason = (reason or "").strip()
    if not reason:
        raise NominationError(_("Give a reason: the nominator will read it."))
    nomination.moderation_reason = reason
    change_status(nomination, S.INELIGIBLE, actor=actor, reason=reason)
    if nomination.nominator_email:
        emails.send_ineligible_notice(nomination, reason)
    thank_nominee(nomination)  # a nominee who said yes is thanked too (never told the reason)
    db.session.flush()


def mark_duplicate(nomination, kept, *, actor):
    """Merge into `kept`: supporters move across (one per address); this one is closed."""
    if kept.id == nomination.id or kept.cycle_id != nomination.cycle_id:
        raise NominationError(_("Choose another nomination in the same cycle to keep."))
    if kept.status in {S.DUPLICATE, S.SPAM, S.WITHDRAWN, S.INELIGIBLE}:
        raise NominationError(_("%(reference)s is closed; choose an open nomination to keep.",
                                reference=kept.reference))
    kept_emails = {s.email for s in kept.supporters}
    moved = 0
    for supporter in list(nomination.supporters):
        if supporter.email not in kept_emails:
            supporter.nomination = kept
            moved += 1
    nomination.duplicate_of_id = kept.id
    change_status(nomination, S.DUPLICATE, actor=actor, kept=kept.reference,
                  supporters_moved=moved)
    db.session.flush()


def mark_spam(nomination, *, actor):
    """Hide it; nobody is e-mailed."""
    change_status(nomination, S.SPAM, actor=actor)
    db.session.flush()


def decide(nomination, decision, *, keep_reference=None, reason=None, actor):
    """Apply an admin's moderation decision (ELIGIBLE, INELIGIBLE with the `reason`,
    DUPLICATE of the nomination whose reference is `keep_reference`, or SPAM)."""
    decision = NominationStatus(decision)
    if decision is S.ELIGIBLE:
        mark_eligible(nomination, actor=actor)
    elif decision is S.INELIGIBLE:
        mark_ineligible(nomination, reason, actor=actor)
    elif decision is S.DUPLICATE:
        reference = (keep_reference or "").strip()
        kept = queries.nomination_by_reference(reference) if reference else None
        if kept is None:
            raise NominationError(_("There is no nomination %(reference)s.",
                                    reference=reference))
        mark_duplicate(nomination, kept, actor=actor)
    elif decision is S.SPAM:
        mark_spam(nomination, actor=actor)
    else:
        raise ValueError(f"{decision} is not a moderation decision")


@dataclass
class Readiness:
    """Which eligible nominations can go to judging, and what the others lack."""

    ready: list = field(default_factory=list)
    not_ready: list = field(default_factory=list)  # (nomination, [what is missing])
    awaiting_moderation: list = field(default_factory=list)  # received, not checked yet


def judging_readiness(cycle):
    """Eligible nominations of `cycle`: ready (consented and complete) or what is missing."""
    readiness = Readiness()
    for nomination in db.session.scalars(select(Nomination).where(
            Nomination.cycle_id == cycle.id, Nomination.status == S.ELIGIBLE)
            .order_by(Nomination.reference)):
        missing = []
        if not nomination.nominee_consented:
            missing.append(_("the nominee's consent"))
        if not nomination.is_complete:
            needed = nomination.category.min_supporters - nomination.statements_count
            missing.append(ngettext("%(num)d more supporting statement",
                                    "%(num)d more supporting statements", needed))
        if missing:
            readiness.not_ready.append((nomination, missing))
        else:
            readiness.ready.append(nomination)
    readiness.awaiting_moderation = list(db.session.scalars(select(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.status == S.SUBMITTED)
        .order_by(Nomination.reference)))
    return readiness


def start_judging(cycle, *, actor):
    """After nominations close, move every ready nomination into judging."""
    if not cycle.nominations_closed:
        raise NominationError(_("Judging can start only after nominations close."))
    readiness = judging_readiness(cycle)
    for nomination in readiness.ready:
        change_status(nomination, S.IN_JUDGING, actor=actor)
    db.session.flush()
    thank_nominees_left_out(cycle)
    notify(judging_started, cycle=cycle)
    return readiness


def thank_nominees_left_out(cycle):
    """Thank (once) every nominee who said yes to a nomination of `cycle` that is not going
    to the judging panel: never checked, or not ready when judging started, or the cycle is
    published. Returns the nominations thanked now."""
    left_out = db.session.scalars(select(Nomination).where(
        Nomination.cycle_id == cycle.id, Nomination.status.in_((S.SUBMITTED, S.ELIGIBLE)))
        .order_by(Nomination.reference)).all()
    return [nomination for nomination in left_out if thank_nominee(nomination)]
