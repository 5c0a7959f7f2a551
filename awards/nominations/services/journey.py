"""A resident's nomination, from the first step to submission, confirmation or withdrawal."""
import secrets

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from awards.core.addresses import normalise_email
from awards.core.audit import record
from awards.core.dates import format_day
from awards.core.db import utcnow
from awards.core.languages import current_language
from awards.core.references import REFERENCE_ALPHABET
from awards.extensions import db
from awards.nominations import emails
from awards.nominations.enums import NominationStatus, NomineeKind, ReceivedVia
from awards.nominations.models import Consent, Nomination
from awards.nominations.services import NominationError
from awards.nominations.services.consent import passes_automatic_check, request_consent
from awards.nominations.services.status import change_status

CLOSED_STATUSES = {NominationStatus.INELIGIBLE, NominationStatus.DUPLICATE,
                   NominationStatus.SPAM}

# The steps of the journey, in order, with the fields each must fill before submission.
STEPS = {
    "category": ("category_id",),
    "nominee": ("nominee_name", "area_id", "age_band"),
    "what-they-do": ("what_they_do",),
    "difference": ("who_benefits", "difference_made"),
    "how-long": ("how_long",),
    "photo": (),
    "about-you": ("nominator_name", "nominator_email", "nominator_relationship"),
}


def new_reference(cycle):
    """A short unused reference such as BC27-4F7KQ."""
    while True:
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(5))
        reference = f"{cycle.reference_prefix}-{code}"
        taken = select(Nomination.id).where(Nomination.reference == reference)
        if db.session.scalar(taken) is None:
            return reference


def start_nomination(cycle, *, category=None, nominator=None, entered_by=None,
                     via=ReceivedVia.ONLINE, start_token=None):
    """Create a draft (or return the one this start form already made).

    `start_token` comes from the start form: the same form posted twice returns the same
    draft instead of a second one (double click, back button, two tabs).
    """
    if not cycle.is_open:
        raise NominationError(_("Nominations for %(cycle)s are not open.", cycle=cycle.name))
    if start_token:
        existing = db.session.scalar(
            select(Nomination).where(Nomination.start_token == start_token))
        if existing is not None:
            return existing
    nomination = Nomination(
        reference=new_reference(cycle), cycle=cycle, category=category,
        received_via=ReceivedVia(via), start_token=start_token,
        nominator_id=getattr(nominator, "id", None),
        nominator_name=getattr(nominator, "name", ""),
        nominator_email=getattr(nominator, "email", ""),
        entered_by_id=getattr(entered_by, "id", None), locale=current_language(),
    )
    try:
        with db.session.begin_nested():  # the same form posted twice at once: one insert wins
            db.session.add(nomination)
    except IntegrityError:
        existing = start_token and db.session.scalar(
            select(Nomination).where(Nomination.start_token == start_token))
        if not existing:
            raise
        return existing
    record("nomination.started", nomination, actor=nominator or entered_by,
           reference=nomination.reference, via=nomination.received_via.value)
    return nomination


def save_step(nomination, values):
    """Save one step's answers to a draft (values: field name → value)."""
    if not nomination.is_editable:
        raise NominationError(_not_editable_message(nomination))
    for field, value in values.items():
        setattr(nomination, field, value)
    nomination.locale = current_language() or nomination.locale
    db.session.flush()


def missing_steps(nomination):
    """The steps whose required answers are still empty, in journey order."""
    def required(field):
        # A nomination taken on paper or by phone may have no e-mail for the nominator.
        return not (field == "nominator_email" and nomination.entered_by_id is not None)

    return [step for step, fields in STEPS.items()
            if any(getattr(nomination, f) in (None, "") for f in fields if required(f))]


def rule_problems(nomination):
    """What the category's rules forbid about this nomination, as messages."""
    category, problems = nomination.category, []
    if category is None:
        return problems
    if nomination.nominee_kind is NomineeKind.GROUP and not category.allows_groups:
        problems.append(_("The %(category)s award is for individuals, not groups.",
                          category=category.name))
    if nomination.age_band and not category.accepts_age_band(nomination.age_band):
        problems.append(_("The nominee's age does not fit the %(category)s award.",
                          category=category.name))
    if not category.allows_self_nomination and is_self_nomination(nomination):
        problems.append(_("You cannot nominate yourself for the %(category)s award.",
                          category=category.name))
    return problems


def is_self_nomination(nomination):
    """Whether the nominator seems to be the nominee (same e-mail address or same name)."""
    same_email = bool(nomination.nominee_email) and (
        normalise_email(nomination.nominee_email) == normalise_email(nomination.nominator_email))
    same_name = _fold(nomination.nominee_name) == _fold(nomination.nominator_name) != ""
    return same_email or same_name


def _fold(name):
    return " ".join((name or "").lower().split())


def submit_nomination(nomination, *, actor=None):
    """Send a finished draft. Verified nominators (signed-in, or a helper entering it) go
    straight to SUBMITTED; others must confirm their e-mail first. Sending twice is harmless."""
    _lock(nomination)
    if nomination.status is not NominationStatus.DRAFT:
        return nomination  # already sent: a double click or a second tab
    if not nomination.cycle.is_open:
        raise NominationError(_not_editable_message(nomination))
    if missing_steps(nomination):
        raise NominationError(_("Some questions still need an answer."))
    problems = rule_problems(nomination)
    if problems:
        raise NominationError(" ".join(problems))
    if _nominator_is_verified(nomination, actor):
        nomination.nominator_confirmed_at = utcnow()
        change_status(nomination, NominationStatus.SUBMITTED, actor=actor)
        _after_submission(nomination)
    else:
        change_status(nomination, NominationStatus.AWAITING_CONFIRMATION, actor=actor)
        emails.send_confirm_nomination(nomination)
    db.session.flush()
    return nomination


def _lock(nomination):
    """Lock the nomination's row until commit and re-read its status (PostgreSQL; SQLite
    writes are serialised anyway), so that of two sends or confirmations at once only one
    goes through."""
    db.session.refresh(nomination, ["status"], with_for_update=True)


def _nominator_is_verified(nomination, actor):
    if nomination.entered_by_id is not None:
        return True
    return (actor is not None and getattr(actor, "is_verified", False)
            and actor.id == nomination.nominator_id
            and actor.email == normalise_email(nomination.nominator_email))


def confirm_nominator_email(nomination):
    """The nominator followed the e-mailed link: the nomination now counts."""
    _lock(nomination)
    if nomination.status is not NominationStatus.AWAITING_CONFIRMATION:
        return nomination
    nomination.nominator_confirmed_at = utcnow()
    change_status(nomination, NominationStatus.SUBMITTED, via="email confirmation")
    _after_submission(nomination)
    db.session.flush()
    return nomination


def _after_submission(nomination):
    """Open the nominee's consent (recorded on paper, or asked by e-mail once the nomination
    is checked: by an admin, or where the scheme allows by the automatic check now), and send
    the nominator a receipt."""
    if nomination.consent is None:
        nomination.consent = Consent(
            given_by_guardian=bool(nomination.age_band and nomination.age_band.needs_guardian))
    db.session.flush()
    if passes_automatic_check(nomination):
        request_consent(nomination)
    if nomination.nominator_email:
        emails.send_nomination_receipt(nomination)


def withdraw_nomination(nomination, *, actor=None, reason=""):
    """The nominator withdraws, until judging starts (twice at once withdraws once)."""
    _lock(nomination)
    if nomination.status is NominationStatus.WITHDRAWN:
        return
    if not nomination.can_withdraw:
        if nomination.status in CLOSED_STATUSES:
            raise NominationError(_("This nomination is closed, so there is nothing to withdraw."))
        raise NominationError(_("This nomination can no longer be withdrawn: judging has started."))
    change_status(nomination, NominationStatus.WITHDRAWN, actor=actor, reason=reason[:500])
    db.session.flush()


def save_for_later(nomination, values):
    """"Save and come back later" from any step: save the answers given (only the valid,
    non-empty ones: the caller leaves out the rest), e-mail the link back when the
    nominator's address is known, and return the steps that still need an answer."""
    save_step(nomination, values)
    if nomination.nominator_email:
        resend_link(nomination)
    return missing_steps(nomination)


def resend_link(nomination):
    """E-mail the nominator a fresh link back to their nomination."""
    emails.send_come_back_link(nomination)


def _not_editable_message(nomination):
    cycle = nomination.cycle
    if not cycle.is_open:
        return _("Nominations for %(cycle)s closed on %(day)s. Your answers are kept, "
                 "but the nomination can no longer be sent.",
                 cycle=cycle.name, day=format_day(cycle.nominations_close))
    return _("This nomination has been sent, so it can no longer be changed.")

