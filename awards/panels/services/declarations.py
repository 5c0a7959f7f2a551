"""Conflicts of interest: declared by a member before they see a nomination, or a recusal."""
from flask_babel import gettext as _

from awards.core.audit import record
from awards.extensions import db
from awards.panels.enums import ConflictKind, declarable
from awards.panels.models import Declaration
from awards.panels.queries import declaration_of
from awards.panels.services import PanelError
from awards.panels.services.assignments import after_conflict


def declare(member, nomination, *, conflicted, kind=None, reason=""):
    """Record a member's declaration on a nomination (once: it cannot be changed by them)."""
    if not member.panel.takes_declarations_from(member):
        raise PanelError(_("Declarations can be made only while judging is open."))
    if declaration_of(member, nomination) is not None:
        raise PanelError(_("You have already answered for this nomination. If something has "
                           "changed, tell the chair, who can recuse you."))
    reason = (reason or "").strip()
    if conflicted:
        kind = ConflictKind(kind) if kind else None
        if kind is None or kind not in declarable(member.panel.blind):
            raise PanelError(_("Choose how you know them."))
        if kind is ConflictKind.OTHER and not reason:
            raise PanelError(_("Say briefly what the conflict is."))
    declaration = Declaration(member_id=member.id, nomination_id=nomination.id,
                              conflicted=conflicted, kind=kind if conflicted else None,
                              reason=reason if conflicted else "", recorded_by_id=member.user_id)
    db.session.add(declaration)
    db.session.flush()
    record("panel.declared", nomination, actor=member.user, conflicted=conflicted,
           kind=kind.value if conflicted else None, member=member.user.email,
           panel=member.panel_id)
    if conflicted:
        after_conflict(member, nomination)
    return declaration


def recuse(member, nomination, reason, *, actor):
    """A chair or admin takes a member off a nomination; their reviews leave its results."""
    if member.panel.cycle.is_published:
        raise PanelError(_("The results are published; nothing can change now."))
    reason = (reason or "").strip()
    if not reason:
        raise PanelError(_("Give a reason for the recusal: the panel's record keeps it."))
    declaration = declaration_of(member, nomination)
    if declaration is None:
        declaration = Declaration(member_id=member.id, nomination_id=nomination.id)
        db.session.add(declaration)
    declaration.conflicted = True
    declaration.kind = ConflictKind.RECUSED
    declaration.reason = reason
    declaration.recorded_by_id = actor.id
    db.session.flush()
    record("panel.recused", nomination, actor=actor, member=member.user.email, reason=reason,
           panel=member.panel_id)
    after_conflict(member, nomination)
    return declaration
