"""Reads for judging: which nominations a panel judges, and what one member may see."""
from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus
from awards.nominations.models import Consent, Nomination
from awards.panels.enums import Stage
from awards.panels.models import (
    Assignment,
    Comment,
    Decision,
    Declaration,
    Panel,
    PanelMember,
    Review,
)

JUDGED = (NominationStatus.IN_JUDGING, NominationStatus.OUTCOME)


def in_scope(panel, stage=None):
    """A select of the panel's nominations in its current round (or `stage`): in judging (or
    decided), in its categories, still consented; past the eligibility round those that
    passed; in the final round the shortlist."""
    stage = stage or panel.stage
    query = (select(Nomination)
             .join(Consent, Consent.nomination_id == Nomination.id)
             .outerjoin(Decision, Decision.nomination_id == Nomination.id)
             .where(Nomination.status.in_(JUDGED),
                    Nomination.category_id.in_(panel.category_ids or {0}),
                    Consent.status == ConsentStatus.ACCEPTED))
    if stage is not Stage.ELIGIBILITY:
        query = query.where(Decision.passed_eligibility.is_not(False))
    if stage is Stage.FINAL:
        query = query.where(Decision.shortlisted.is_(True))
    return query


def panel_nominations(panel, stage=None):
    """The nominations the panel judges in its current round (or `stage`), by category then
    reference."""
    return db.session.scalars(
        in_scope(panel, stage).options(selectinload(Nomination.category),
                                       selectinload(Nomination.area),
                                       selectinload(Nomination.photo))
        .order_by(Nomination.category_id, Nomination.reference)).all()


def membership(panel_id, user):
    """The user's membership of a panel, or None."""
    return db.session.scalar(select(PanelMember).where(
        PanelMember.panel_id == panel_id, PanelMember.user_id == user.id))


def memberships(user):
    """Every panel membership of the user, newest panel first."""
    return db.session.scalars(
        select(PanelMember).join(Panel).where(PanelMember.user_id == user.id)
        .options(selectinload(PanelMember.panel).selectinload(Panel.cycle))
        .order_by(Panel.created_at.desc())).all()


def panels_of(cycle):
    """A cycle's panels, oldest first."""
    return db.session.scalars(select(Panel).where(Panel.cycle_id == cycle.id)
                              .options(selectinload(Panel.members))
                              .order_by(Panel.id)).all()


def declaration_of(member, nomination):
    """The member's declaration on the nomination, or None."""
    return db.session.scalar(select(Declaration).filter_by(member_id=member.id,
                                                           nomination_id=nomination.id))


def is_assigned(member, nomination):
    """Whether the nomination is on the member's list."""
    return db.session.scalar(select(Assignment.id).filter_by(
        member_id=member.id, nomination_id=nomination.id)) is not None


def declarations_by_pair(panel):
    """Every declaration on the panel, by (member id, nomination id)."""
    rows = db.session.scalars(select(Declaration).join(PanelMember)
                              .where(PanelMember.panel_id == panel.id))
    return {(d.member_id, d.nomination_id): d for d in rows}


def conflicted_pairs(panel):
    """(member id, nomination id) of every declared conflict and recusal on the panel."""
    return {pair for pair, d in declarations_by_pair(panel).items() if d.conflicted}


def assignment_pairs(panel):
    """(member id, nomination id) of every assignment on the panel."""
    return set(db.session.execute(
        select(Assignment.member_id, Assignment.nomination_id).join(PanelMember)
        .where(PanelMember.panel_id == panel.id)).all())


def reviews_of(panel, stage):
    """Every review on the panel in one round (scores loaded), by (member id, nomination id)."""
    rows = db.session.scalars(select(Review).join(PanelMember).where(
        PanelMember.panel_id == panel.id, Review.stage == stage))
    return {(r.member_id, r.nomination_id): r for r in rows}


def decisions_of(panel):
    """The panel's decisions, by nomination id."""
    rows = db.session.scalars(select(Decision).where(Decision.panel_id == panel.id))
    return {d.nomination_id: d for d in rows}


def judge_queue(member):
    """The member's nominations in the panel's current round, with the member's declaration
    and review of each: [(nomination, declaration or None, review or None)], in a fixed
    number of queries however many nominations there are."""
    panel = member.panel
    query = (in_scope(panel)
             .join(Assignment, and_(Assignment.nomination_id == Nomination.id,
                                    Assignment.member_id == member.id))
             .outerjoin(Declaration, and_(Declaration.nomination_id == Nomination.id,
                                          Declaration.member_id == member.id))
             .outerjoin(Review, and_(Review.nomination_id == Nomination.id,
                                     Review.member_id == member.id,
                                     Review.stage == panel.stage))
             .add_columns(Declaration, Review)
             .options(selectinload(Nomination.category), selectinload(Nomination.area))
             .order_by(Nomination.category_id, Nomination.reference))
    return [tuple(row) for row in db.session.execute(query)]


def submitted_reviews(panel, nomination, *, except_member=None):
    """The panel's submitted reviews of a nomination (every round), oldest first."""
    query = (select(Review).join(PanelMember)
             .where(Review.nomination_id == nomination.id, PanelMember.panel_id == panel.id,
                    Review.submitted_at.is_not(None))
             .order_by(Review.stage, Review.submitted_at))
    if except_member is not None:
        query = query.where(Review.member_id != except_member.id)
    return db.session.scalars(query).all()


def discussion(panel, nomination):
    """The panel's discussion of a nomination, oldest first."""
    return db.session.scalars(select(Comment).where(
        Comment.panel_id == panel.id, Comment.nomination_id == nomination.id)
        .order_by(Comment.id)).all()
