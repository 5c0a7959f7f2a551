"""Who may see what of a panel: members and chairs see a nomination's content (story,
statements, reviews, discussion, results, decision) only after declaring no conflict; admins
who are not on the panel keep their oversight; nobody else sees anything."""
from flask import abort, redirect, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from awards.accounts.enums import Role
from awards.extensions import db
from awards.nominations.enums import ConsentStatus
from awards.nominations.models import Consent, Nomination
from awards.panels.enums import Hidden
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
    member = membership(panel_id, current_user)
    if member is not None and member.is_chair:
        return member.panel, member
    if current_user.has_role(Role.ADMIN):
        return (member.panel if member is not None
                else db.get_or_404(Panel, panel_id, options=[joinedload(Panel.cycle)])), None
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


def nomination_to_read(panel, viewer, reference):
    """The one gate of every page that shows a nomination's content to the panel (the
    decision page, the discussion, the photo, the chair's actions on it...): `viewer` is the
    signed-in user's membership, or None for an admin off the panel (oversight: let through).
    A member or chair who has not declared is sent to the declaration first (whatever the
    method: nothing is saved); a conflict is refused (403); a nomination that is not theirs
    to open is 404."""
    if viewer is None:
        return panel_nomination(panel, reference)
    nomination, declaration = nomination_for_member(viewer, reference)
    if not has_declared_no_conflict(declaration):
        abort(redirect(url_for("panels.nomination", panel_id=panel.id,
                               reference=nomination.reference)))
    return nomination


def has_declared_no_conflict(declaration):
    """Whether a member's declaration lets them read the nomination: made, and no conflict."""
    return declaration is not None and not declaration.conflicted


def hidden_results(viewer, nomination_ids, declarations, assigned, submitted):
    """Why each of the nominations' results is hidden from `viewer` (a membership; None for
    an admin off the panel, who sees them all): {nomination id: Hidden}. The same rule as
    the pages: no declaration of no conflict, a conflict, or (so nobody is anchored) a
    nomination on their list they have not reviewed yet. `declarations` by (member id,
    nomination id); `assigned` and `submitted` sets of such pairs."""
    if viewer is None:
        return {}
    hidden = {}
    for nomination_id in nomination_ids:
        pair = (viewer.id, nomination_id)
        declaration = declarations.get(pair)
        if declaration is not None and declaration.conflicted:
            hidden[nomination_id] = Hidden.CONFLICT
        elif not has_declared_no_conflict(declaration):
            hidden[nomination_id] = Hidden.NOT_DECLARED
        elif pair in assigned and pair not in submitted:
            hidden[nomination_id] = Hidden.NOT_REVIEWED
    return hidden


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
