"""Say thank you: a message left for a winner waits for a moderator, is shown once approved,
and is passed on to the nominee if they asked to hear from people."""
import secrets
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from awards.accounts.models import User
from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.references import REFERENCE_ALPHABET
from awards.extensions import db
from awards.public import emails
from awards.public.enums import THANKS_TRANSITIONS, ThanksStatus
from awards.public.forms import MESSAGE_LIMIT
from awards.public.models import PublicAward, ThankYou
from awards.public.services import PublicError

QUEUE_LIMIT = 100
RECENT_LIMIT = 20


class QueueItem(NamedTuple):
    """A message on the moderation page, with its public award (None once the nominee has
    withdrawn) and the name of whoever last checked it."""

    thanks: ThankYou
    award: PublicAward | None
    moderator: str | None = None


# --- reads -----------------------------------------------------------------------------------
# Only this feature's pages need these, so they live beside its changes rather than in
# queries.py, which holds the reads of the public pages themselves.

def thanks_by_reference(reference):
    """The message with this reference (any case), or None."""
    return db.session.scalar(
        select(ThankYou).where(ThankYou.reference == (reference or "").strip().upper()))


def award_for(thanks):
    """The public award the message was left for, or None once the nominee has withdrawn."""
    return db.session.scalar(
        select(PublicAward).where(PublicAward.nomination_id == thanks.nomination_id))


def pending_count():
    """How many messages wait to be checked."""
    return db.session.scalar(select(func.count()).select_from(ThankYou)
                             .where(ThankYou.status == ThanksStatus.PENDING))


def pending_thanks(limit=QUEUE_LIMIT):
    """Messages waiting to be checked, oldest first (the first to arrive is the first seen)."""
    messages = db.session.scalars(
        select(ThankYou).where(ThankYou.status == ThanksStatus.PENDING)
        .options(joinedload(ThankYou.nomination))  # the name they keep private, for admins
        .order_by(ThankYou.created_at, ThankYou.id).limit(limit)).all()
    return _with_awards([(message, None) for message in messages])


def recently_moderated(limit=RECENT_LIMIT):
    """The messages checked most recently, newest first, with who checked them."""
    rows = db.session.execute(
        select(ThankYou, User.name).outerjoin(User, User.id == ThankYou.moderated_by_id)
        .where(ThankYou.status != ThanksStatus.PENDING)
        .options(joinedload(ThankYou.nomination))
        .order_by(ThankYou.moderated_at.desc(), ThankYou.id.desc()).limit(limit)).all()
    return _with_awards(rows)


def _with_awards(rows):
    # A second statement rather than an outer join: PublicAward's joined relationships are
    # inner joins, which would drop the messages of a nominee who has withdrawn.
    ids = {thanks.nomination_id for thanks, _ in rows}
    awards = {award.nomination_id: award for award in db.session.scalars(
        select(PublicAward).where(PublicAward.nomination_id.in_(ids)))} if ids else {}
    return [QueueItem(thanks, awards.get(thanks.nomination_id), moderator)
            for thanks, moderator in rows]


# --- changes ---------------------------------------------------------------------------------

def new_thanks_reference():
    """A short unused reference such as T-7KQ2M9, easy to read aloud (no 0/O or 1/I/L)."""
    while True:
        reference = "T-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        taken = select(ThankYou.id).where(ThankYou.reference == reference)
        if db.session.scalar(taken) is None:
            return reference


def leave_thanks(award, message, author_name):
    """Leave a message for a published award; it waits for a moderator before it is shown."""
    message = (message or "").strip()
    if not message:
        raise PublicError(_("Write your message"))
    if len(message) > MESSAGE_LIMIT:
        raise PublicError(_("Keep your message to %(limit)d characters or fewer",
                            limit=MESSAGE_LIMIT))
    thanks = ThankYou(reference=new_thanks_reference(), nomination_id=award.nomination_id,
                      message=message, author_name=" ".join((author_name or "").split())[:80],
                      status=ThanksStatus.PENDING)
    db.session.add(thanks)
    db.session.flush()
    # The message itself stays out of the audit log: it is kept, and deleted, with its row.
    record("thanks.received", thanks, to_state=ThanksStatus.PENDING,
           reference=thanks.reference, award=award.key)
    return thanks


def moderate_thanks(thanks, approve, actor):
    """Approve (show) or reject (hide) a message; the first approval passes it on to the
    nominee if they asked to hear from people. Also undoes an earlier decision."""
    # Lock the row and re-read it (PostgreSQL; SQLite writes are serialised anyway), so that
    # two moderators pressing "Approve" at once forward the message once, not twice.
    db.session.refresh(thanks, ["status", "forwarded_at"], with_for_update=True)
    before = thanks.status
    after = ThanksStatus.APPROVED if approve else ThanksStatus.REJECTED
    if after not in THANKS_TRANSITIONS[before]:
        raise PublicError(_("Message %(reference)s is already shown.", reference=thanks.reference)
                          if before is ThanksStatus.APPROVED else
                          _("Message %(reference)s is already not shown.",
                            reference=thanks.reference))
    thanks.status = after
    thanks.moderated_at = utcnow()
    thanks.moderated_by_id = actor.id
    forwarded = after is ThanksStatus.APPROVED and _forward(thanks)
    record(f"thanks.{after.value}", thanks, actor=actor, from_state=before, to_state=after,
           reference=thanks.reference, forwarded=forwarded)
    db.session.flush()
    return thanks


def _forward(thanks):
    """Send the message on, once, if the nominee still has a public award that forwards."""
    if thanks.forwarded_at is not None:  # approved before, taken down, approved again
        return False
    award = award_for(thanks)  # None: the nominee withdrew, and hears nothing more from us
    nomination = thanks.nomination
    if award is None or not award.forwards_thanks or not nomination.nominee_email:
        return False
    if emails.send_thanks(thanks, award) is None:
        return False  # another message reached them moments ago; this one is shown, not sent
    thanks.forwarded_at = utcnow()
    return True
