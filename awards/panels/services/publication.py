"""Publishing a cycle's results: a plan to confirm, then outcomes fixed and e-mails sent."""
from dataclasses import dataclass, field

from blinker import Namespace
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from awards.core.audit import record
from awards.core.dates import format_day
from awards.core.db import utcnow
from awards.core.hooks import notify
from awards.extensions import db
from awards.nominations.enums import NominationStatus
from awards.nominations.models import AwardCycle, Nomination, today
from awards.nominations.services.moderation import thank_nominees_left_out
from awards.nominations.services.status import change_status
from awards.panels import emails
from awards.panels.enums import Outcome, Recipient
from awards.panels.models import Review
from awards.panels.services import PanelError

# Sent (for the app, with `cycle=`) once its results are public, so the public pages can list them.
results_published = Namespace().signal("results-published")


@dataclass
class Message:
    """One e-mail publication will send."""

    kind: str  # a template under templates/email/panels/
    recipient: str
    nomination: object
    to: Recipient  # whom it is for: the nominee or the nominator
    with_feedback: bool = False  # the panel's feedback goes with it (to a nominee: ticked)


@dataclass
class PublicationPlan:
    """What publishing would do, and what stops it."""

    cycle: object
    by_outcome: dict = field(default_factory=dict)  # Outcome -> [nomination]
    undecided: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    awaiting_moderation: int = 0  # received, never checked: they will not be judged
    unfinished_reviews: int = 0  # started by a panel member, never submitted

    @property
    def can_publish(self):
        """Whether nothing stops publication."""
        return not self.problems


def _in_judging(cycle):
    return db.session.scalars(
        select(Nomination).where(Nomination.cycle_id == cycle.id,
                                 Nomination.status == NominationStatus.IN_JUDGING)
        .options(selectinload(Nomination.consent), selectinload(Nomination.category))
        .order_by(Nomination.category_id, Nomination.reference)).all()


def publication_plan(cycle, day=None):
    """Everything publishing `cycle` would fix and send, and any reason it cannot yet."""
    day = day or today()
    plan = PublicationPlan(cycle, {outcome: [] for outcome in Outcome})
    for nomination in _in_judging(cycle):
        decision = nomination.decision
        consented = nomination.nominee_consented
        if consented and (decision is None or decision.outcome is None):
            plan.undecided.append(nomination)
            continue
        outcome = decision.outcome if decision and decision.outcome else None
        if outcome is not None:
            plan.by_outcome[outcome].append(nomination)
        if consented and nomination.nominee_email:
            kind = {Outcome.WINNER: "winner", Outcome.HIGHLY_COMMENDED: "commended"}.get(
                outcome, "thank_you")
            plan.messages.append(Message(kind, nomination.nominee_email, nomination,
                                         Recipient.NOMINEE,
                                         bool(emails.feedback_for_nominee(nomination))))
        if nomination.nominator_email:
            plan.messages.append(Message("outcome", nomination.nominator_email, nomination,
                                         Recipient.NOMINATOR))
    plan.awaiting_moderation = db.session.scalar(select(func.count(Nomination.id)).where(
        Nomination.cycle_id == cycle.id, Nomination.status == NominationStatus.SUBMITTED))
    plan.unfinished_reviews = db.session.scalar(
        select(func.count(Review.id)).join(Nomination, Review.nomination_id == Nomination.id)
        .where(Nomination.cycle_id == cycle.id, Review.submitted_at.is_(None)))
    if cycle.is_published:
        plan.problems.append(_("These results were published on %(day)s.",
                               day=format_day(cycle.results_published_at)))
    if day < cycle.announcement:
        plan.problems.append(_("Results can be published from the announcement date, "
                               "%(day)s.", day=format_day(cycle.announcement)))
    if plan.undecided:
        count = len(plan.undecided)
        plan.problems.append(ngettext(
            "%(num)d nomination has no outcome yet: the panels must decide them first.",
            "%(num)d nominations have no outcome yet: the panels must decide them first.",
            count))
    if not any(plan.by_outcome.values()):
        plan.problems.append(_("No panel has recorded an outcome yet."))
    return plan


def publish_cycle(cycle, *, actor, day=None):
    """Fix the outcomes, send every e-mail of the plan through the outbox, and make the
    results public. Refused (PanelError) if anything in the plan stops it."""
    # Hold the cycle's row (PostgreSQL) until the commit: a consent withdrawn meanwhile
    # waits, then finds the cycle published and takes its row off the public pages.
    db.session.execute(select(AwardCycle.id).where(AwardCycle.id == cycle.id)
                       .with_for_update())
    plan = publication_plan(cycle, day)
    if not plan.can_publish:
        raise PanelError(plan.problems[0])
    cycle.results_published_at = utcnow()
    for nomination in _in_judging(cycle):
        change_status(nomination, NominationStatus.OUTCOME, actor=actor)
    db.session.flush()
    # The public listing first: the winners' e-mails link to the pages it has just made.
    notify(results_published, cycle=cycle)
    for message in plan.messages:
        emails.send_result(message.kind, message.recipient, message.nomination)
    # Nominees who said yes to a nomination that never reached judging are thanked (once).
    thanked = thank_nominees_left_out(cycle)
    record("cycle.results_published", cycle, actor=actor,
           winners=len(plan.by_outcome[Outcome.WINNER]),
           commended=len(plan.by_outcome[Outcome.HIGHLY_COMMENDED]),
           emails=len(plan.messages), thanked=len(thanked))
    db.session.flush()
    return plan
