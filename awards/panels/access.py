"""Who may see what of a panel: members see their panel's nominations after declaring no
conflict; chairs and admins see the panel's results; nobody else sees anything."""
from flask import abort
from flask_login import current_user
from sqlalchemy import select

from awards.accounts.enums import Role
from awards.extensions import db
from awards.nominations.enums import ConsentStatus
from awards.nominations.models import Consent, Nomination
from awards.panels.models import Panel
from awards.panels.queries import JUDGED, declaration_of, is_assigned, membership


def member_or_404(panel_id):
    """The signed-in user's membership of the panel; 404 if they are not on it."""
    member = membership(panel_id, current_user)
    if member is None:
        abort(404)
    return member


def chair_view(panel_id):
    """(panel, viewer) for the chair's pages: a chair of the panel (viewer = their
    membership) or an admin (viewer None); a plain member gets 403, anyone else 404."""
    panel = db.get_or_404(Panel, panel_id)
    member = membership(panel_id, current_user)
    if member is not None and member.is_chair:
        return panel, member
    if current_user.has_role(Role.ADMIN):
        return panel, None
    abort(403 if member is not None else 404)


def panel_nomination(panel, reference):
    """A nomination the panel judges (in any round) by reference, or 404."""
    nomination = db.session.scalar(
        select(Nomination).join(Consent, Consent.nomination_id == Nomination.id).where(
            Nomination.reference == (reference or "").strip().upper(),
            Nomination.status.in_(JUDGED),
            Nomination.category_id.in_(panel.category_ids or {0}),
            Consent.status == ConsentStatus.ACCEPTED))
    if nomination is None:
        abort(404)
    return nomination


def nomination_for_member(member, reference):
    """A nomination the member may open: on their list, or judged by their panel when they
    chair it (404 otherwise); 403 once they (or the chair) have declared a conflict."""
    nomination = panel_nomination(member.panel, reference)
    declaration = declaration_of(member, nomination)
    if declaration is not None and declaration.conflicted:
        abort(403)
    if not (member.is_chair or is_assigned(member, nomination) or declaration is not None):
        abort(404)
    return nomination, declaration


def conflicted(panel, viewer, nomination):
    """Refuse (403) a chair who has a conflict on this nomination."""
    if viewer is not None:
        declaration = declaration_of(viewer, nomination)
        if declaration is not None and declaration.conflicted:
            abort(403)
    return nomination


def sees_panel_view(member, nomination, review):
    """Whether the member may see the others' reviews and the discussion: after submitting
    their own review, or as a chair who is not reviewing it (so nobody is anchored)."""
    if review is not None and review.is_submitted:
        return True
    return member.is_chair and not is_assigned(member, nomination)
