"""Who reviews what: stored assignments, kept balanced and clear of declared conflicts."""
from sqlalchemy import delete, exists, select

from awards.extensions import db
from awards.nominations.models import Nomination
from awards.panels import assignment
from awards.panels.enums import Stage
from awards.panels.models import Assignment, Declaration, PanelMember, Review
from awards.panels.queries import assignment_pairs, conflicted_pairs, in_scope, panels_of


def _current(panel):
    """The panel's assignments as nomination id -> member ids."""
    current = {}
    for member_id, nomination_id in assignment_pairs(panel):
        current.setdefault(nomination_id, []).append(member_id)
    return current


def refresh_assignments(panel):
    """Give reviewers to the round's nominations that need them.

    Every member reviews everything (reviews_per_nomination None, and the final round), or
    N each, balanced by awards.panels.assignment: from scratch while nobody has declared or
    reviewed anything (members are still being invited), afterwards by topping up only, so
    nothing a member has started ever leaves their list. Run whenever a panel's members,
    options or nominations change.
    """
    member_ids = [member.id for member in panel.members]
    nomination_ids = db.session.scalars(in_scope(panel).with_only_columns(Nomination.id)).all()
    conflicts = conflicted_pairs(panel)
    current = _current(panel)
    if panel.reviews_per_nomination is None or panel.stage is Stage.FINAL:
        wanted = assignment.assign(nomination_ids, member_ids, conflicts, None)
    elif not _started(panel):
        db.session.execute(delete(Assignment).where(Assignment.member_id.in_(member_ids or [0])))
        current = {}
        wanted = assignment.assign(nomination_ids, member_ids, conflicts,
                                   panel.reviews_per_nomination)
    else:
        wanted = assignment.top_up(current, nomination_ids, member_ids, conflicts,
                                   panel.reviews_per_nomination)
    added = 0
    for nomination_id, members in wanted.items():
        for member_id in set(members) - set(current.get(nomination_id, [])):
            db.session.add(Assignment(member_id=member_id, nomination_id=nomination_id))
            added += 1
    db.session.flush()
    return added


def _started(panel):
    """Whether any member of the panel has declared on or reviewed a nomination."""
    members = select(PanelMember.id).where(PanelMember.panel_id == panel.id)
    return db.session.scalar(select(
        exists().where(Declaration.member_id.in_(members))
        | exists().where(Review.member_id.in_(members))))


def after_conflict(member, nomination):
    """A conflict was declared or a member recused: drop their assignment and, with N
    reviews each, give the nomination to the least-loaded member with no conflict."""
    panel = member.panel
    before = _current(panel)
    after = assignment.reassign_after_conflict(
        before, member.id, nomination.id, [m.id for m in panel.members],
        conflicted_pairs(panel), None if panel.stage is Stage.FINAL
        else panel.reviews_per_nomination)
    db.session.execute(delete(Assignment).where(Assignment.member_id == member.id,
                                                Assignment.nomination_id == nomination.id))
    for member_id in set(after.get(nomination.id, [])) - set(before.get(nomination.id, [])):
        db.session.add(Assignment(member_id=member_id, nomination_id=nomination.id))
    db.session.flush()


def assign_new_nominations(app, cycle):
    """Nominations just entered judging: give them reviewers on every panel of the cycle."""
    for panel in panels_of(cycle):
        refresh_assignments(panel)
