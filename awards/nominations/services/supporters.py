"""Supporters add their voice to a nomination."""
from flask_babel import gettext as _
from sqlalchemy import select

from awards.accounts.queries import normalise_email
from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.languages import current_language
from awards.extensions import db
from awards.nominations import emails
from awards.nominations.models import Supporter
from awards.nominations.services import NominationError


def _check_open(nomination):
    if not nomination.can_invite_supporters:
        raise NominationError(_("Supporting statements can no longer be added to this nomination."))


def _check_not_a_party(nomination, email, message):
    """A supporter is a third voice: not the nominator, not the nominee."""
    if email in {normalise_email(nomination.nominator_email),
                 normalise_email(nomination.nominee_email)}:
        raise NominationError(message)


def _existing(nomination, email):
    return db.session.scalar(select(Supporter).where(
        Supporter.nomination_id == nomination.id, Supporter.email == email))


def invite_supporter(nomination, email, *, actor=None):
    """E-mail an invitation to add a statement; inviting the same address again re-sends it."""
    _check_open(nomination)
    email = normalise_email(email)
    _check_not_a_party(nomination, email,
                       _("A supporter must be someone other than you or the nominee."))
    supporter = _existing(nomination, email)
    if supporter is None:
        supporter = Supporter(nomination=nomination, email=email)
        db.session.add(supporter)
        db.session.flush()
        record("supporter.invited", supporter, actor=actor, reference=nomination.reference)
    elif supporter.responded_at is not None:
        raise NominationError(_("%(email)s has already sent a statement.", email=email))
    emails.send_supporter_invitation(supporter)
    db.session.flush()
    return supporter


def add_statement(supporter, *, name, relationship, statement):
    """A supporter who followed their e-mailed link sends their statement (and may edit it)."""
    _check_open(supporter.nomination)
    before = "responded" if supporter.responded_at else "invited"
    supporter.name, supporter.relationship_to_nominee = name.strip(), relationship.strip()
    supporter.statement = statement.strip()
    supporter.confirmed_at = supporter.confirmed_at or utcnow()  # the link came by e-mail
    supporter.responded_at = utcnow()
    supporter.locale = current_language() or supporter.locale
    record("supporter.statement_sent", supporter, from_state=before, to_state="responded",
           reference=supporter.nomination.reference)
    db.session.flush()
    return supporter


def join_as_supporter(nomination, *, email, name, relationship, statement):
    """Someone with the nominator's shared link sends a statement; it counts once they
    confirm their e-mail address."""
    _check_open(nomination)
    email = normalise_email(email)
    _check_not_a_party(nomination, email,
                       "A supporter must be someone other than the nominator or nominee.")
    supporter = _existing(nomination, email)
    if supporter is not None and supporter.responded_at is not None:
        raise NominationError(_("A statement from this email address has already been sent."))
    if supporter is not None:
        # Invited by the nominator and not answered yet: the shared link never takes over
        # that address (whoever holds the link could type it). Nothing is saved; the address
        # is sent its own invitation again, so if it was them they write it there. The
        # person joining sees the same page as anyone joining: nothing says who was invited.
        record("supporter.join_refused", supporter, reference=nomination.reference)
        emails.send_supporter_invitation(supporter)
        db.session.flush()
        return supporter
    supporter = Supporter(nomination=nomination, email=email, invited_by_nominator=False)
    db.session.add(supporter)
    supporter.name, supporter.relationship_to_nominee = name.strip(), relationship.strip()
    supporter.statement = statement.strip()
    supporter.responded_at = utcnow()
    supporter.locale = current_language() or supporter.locale
    db.session.flush()
    record("supporter.joined", supporter, reference=nomination.reference)
    emails.send_supporter_confirmation(supporter)
    return supporter


def confirm_supporter(supporter):
    """The supporter proved their address: their statement now counts."""
    if supporter.confirmed_at is None:
        supporter.confirmed_at = utcnow()
        record("supporter.confirmed", supporter, from_state="unconfirmed", to_state="confirmed",
               reference=supporter.nomination.reference)
    db.session.flush()
    return supporter
