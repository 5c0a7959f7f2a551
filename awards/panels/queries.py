"""Reads for judging: which nominations a panel judges, and what one member may see."""
from functools import cache
from types import SimpleNamespace

from sqlalchemy import Integer, and_, bindparam, func, null, select, tuple_
from sqlalchemy.orm import aliased, joinedload, lazyload, load_only, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from awards.accounts.models import User
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus
from awards.nominations.models import Area, Category, Consent, Nomination
from awards.nominations.queries import RowsPagination
from awards.panels.enums import Stage
from awards.panels.models import (
    Assignment,
    Comment,
    Decision,
    Declaration,
    Panel,
    PanelMember,
    Review,
    Score,
    panel_category,
)

JUDGED = (NominationStatus.IN_JUDGING, NominationStatus.OUTCOME)
JUDGE_PER_PAGE = 50


def in_scope(panel, stage=None):
    """A select of the panel's nominations in its current round (or `stage`): in judging (or
    decided), in its categories, still consented; past the eligibility round those that
    passed; in the final round the shortlist."""
    stage = stage or panel.stage
    query = (select(Nomination)
             .join(Consent, Consent.nomination_id == Nomination.id)
             .outerjoin(Decision, Decision.nomination_id == Nomination.id)
             .where(Nomination.status.in_(JUDGED),
                    Nomination.category_id.in_(
                        select(panel_category.c.category_id)
                        .where(panel_category.c.panel_id == panel.id)),
                    Consent.status == ConsentStatus.ACCEPTED))
    if stage is not Stage.ELIGIBILITY:
        query = query.where(Decision.passed_eligibility.is_not(False))
    if stage is Stage.FINAL:
        query = query.where(Decision.shortlisted.is_(True))
    return query


def panel_nominations(panel, stage=None, *, listed=False):
    """The nominations the panel judges in its current round (or `stage`), by category then
    reference, with their category, area and photo; `listed` loads only what a list of them
    shows (reference, nominee name, category and area: no story, no photo)."""
    options = [joinedload(Nomination.category), joinedload(Nomination.area)]
    if listed:
        options += [load_only(Nomination.reference, Nomination.nominee_name,
                              Nomination.category_id, Nomination.area_id, Nomination.status),
                    lazyload(Nomination.photo)]
    else:
        options.append(joinedload(Nomination.photo))
    return db.session.scalars(in_scope(panel, stage).options(*options)
                              .order_by(Nomination.category_id, Nomination.reference)).all()


def nominations_by_id(ids):
    """The nominations with these ids, loaded as panel_nominations' `listed` ones (reference,
    nominee name, category and area), in one query."""
    return db.session.scalars(
        select(Nomination).where(Nomination.id.in_(list(ids)))
        .options(joinedload(Nomination.category), joinedload(Nomination.area),
                 load_only(Nomination.reference, Nomination.nominee_name,
                           Nomination.category_id, Nomination.area_id, Nomination.status),
                 lazyload(Nomination.photo))).all()


def listed_by_id(ids):
    """What a list shows of the nominations with these ids, as light records read in one
    query (no ORM objects: loading 300 of them was a third of a results page): id,
    reference, nominee_name, category_id, category (id, name), area (id, name) or None."""
    rows = db.session.execute(
        select(Nomination.id, Nomination.reference, Nomination.nominee_name,
               Nomination.category_id, Category.name.label("category_name"),
               Nomination.area_id, Area.name.label("area_name"))
        .join(Category, Category.id == Nomination.category_id)
        .outerjoin(Area, Area.id == Nomination.area_id)
        .where(Nomination.id.in_(list(ids))))
    categories, areas, listed = {}, {}, []
    for row in rows:
        category = categories.setdefault(row.category_id, SimpleNamespace(
            id=row.category_id, name=row.category_name))
        area = None if row.area_id is None else areas.setdefault(row.area_id, SimpleNamespace(
            id=row.area_id, name=row.area_name))
        listed.append(SimpleNamespace(id=row.id, reference=row.reference,
                                      nominee_name=row.nominee_name,
                                      category_id=row.category_id, category=category,
                                      area=area))
    return listed


def membership(panel_id, user):
    """The user's membership of a panel (with the panel and its cycle; `user` is already
    loaded), or None."""
    return db.session.scalar(_membership_statement(),
                             {"membership_panel_id": panel_id, "membership_user_id": user.id})


@cache
def _membership_statement():
    """`membership`'s statement, built once (every panel page asks it)."""
    return (select(PanelMember).where(
        PanelMember.panel_id == bindparam("membership_panel_id", type_=Integer()),
        PanelMember.user_id == bindparam("membership_user_id", type_=Integer()))
        .options(lazyload(PanelMember.user),
                 joinedload(PanelMember.panel).joinedload(Panel.cycle)))


def memberships(user):
    """Every panel membership of the user, newest panel first."""
    return db.session.scalars(
        select(PanelMember).join(Panel).where(PanelMember.user_id == user.id)
        .options(selectinload(PanelMember.panel).selectinload(Panel.cycle))
        .order_by(Panel.created_at.desc())).all()


def members_of(panel):
    """The panel's members with their names (not their roles), oldest first, in one query;
    `panel.members` is then loaded too."""
    members = db.session.scalars(
        select(PanelMember).where(PanelMember.panel_id == panel.id)
        .options(joinedload(PanelMember.user).lazyload(User.roles))
        .order_by(PanelMember.id)).all()
    set_committed_value(panel, "members", members)
    return members


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


def declarations_on(panel, nomination):
    """The panel's declarations on one nomination, oldest first, with their member."""
    return db.session.scalars(
        select(Declaration).join(PanelMember)
        .where(PanelMember.panel_id == panel.id, Declaration.nomination_id == nomination.id)
        .options(joinedload(Declaration.member).joinedload(PanelMember.user)
                 .lazyload(User.roles))
        .order_by(Declaration.id)).all()


def declared_pairs(panel):
    """Every declaration on the panel as a light row (member_id, nomination_id, conflicted),
    by (member id, nomination id): what the results need, without loading whole rows."""
    rows = db.session.execute(
        select(Declaration.member_id, Declaration.nomination_id, Declaration.conflicted)
        .join(PanelMember).where(PanelMember.panel_id == panel.id))
    return {(row.member_id, row.nomination_id): row for row in rows}


def conflicts_on(panel):
    """The panel's declared conflicts and recusals, in the order they were declared, with
    their member and nomination."""
    return db.session.scalars(
        select(Declaration).join(PanelMember)
        .where(PanelMember.panel_id == panel.id, Declaration.conflicted.is_(True))
        .options(joinedload(Declaration.nomination).lazyload("*"),
                 joinedload(Declaration.member).joinedload(PanelMember.user)
                 .lazyload(User.roles))
        .order_by(Declaration.declared_at, Declaration.id)).all()


def review_scores(panel, stage):
    """Every review on the panel in one round as a light record, by (member id, nomination
    id): member_id, nomination_id, is_submitted, passes and scores ({criterion id as text:
    value or None}), in one query without loading whole rows."""
    rows = db.session.execute(
        select(Review.member_id, Review.nomination_id,
               Review.submitted_at.is_not(None).label("submitted"), Review.passes,
               Score.criterion_id, Score.value)
        .join(PanelMember).outerjoin(Score, Score.review_id == Review.id)
        .where(PanelMember.panel_id == panel.id, Review.stage == stage))
    reviews = {}
    for row in rows:
        pair = (row.member_id, row.nomination_id)
        review = reviews.get(pair)
        if review is None:
            review = reviews[pair] = SimpleNamespace(
                member_id=row.member_id, nomination_id=row.nomination_id,
                is_submitted=bool(row.submitted), passes=row.passes, scores={})
        if row.criterion_id is not None:
            review.scores[str(row.criterion_id)] = row.value
    return reviews


def member_progress(panel):
    """For each member of the panel with nominations in the current round: (assigned,
    submitted, drafts) counted by the database, by member id."""
    rows = db.session.execute(
        in_scope(panel)
        .join(Assignment, Assignment.nomination_id == Nomination.id)
        .join(PanelMember, and_(PanelMember.id == Assignment.member_id,
                                PanelMember.panel_id == panel.id))
        .outerjoin(Review, and_(Review.nomination_id == Nomination.id,
                                Review.member_id == Assignment.member_id,
                                Review.stage == panel.stage))
        .with_only_columns(Assignment.member_id, func.count(Assignment.id),
                           func.count(Review.submitted_at), func.count(Review.id))
        .group_by(Assignment.member_id))
    return {member_id: (assigned, submitted, reviewed - submitted)
            for member_id, assigned, submitted, reviewed in rows}


def conflicted_pairs(panel):
    """(member id, nomination id) of every declared conflict and recusal on the panel."""
    return {pair for pair, d in declared_pairs(panel).items() if d.conflicted}


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


def _assigned(member):
    """A select of the member's nominations in the panel's current round (those assigned to
    them), with no other joins."""
    return in_scope(member.panel).join(
        Assignment, and_(Assignment.nomination_id == Nomination.id,
                         Assignment.member_id == member.id))


def _with_own_answers(query, member):
    """`query` joined to the member's declaration and review of each nomination (outer)."""
    return (query
            .outerjoin(Declaration, and_(Declaration.nomination_id == Nomination.id,
                                         Declaration.member_id == member.id))
            .outerjoin(Review, and_(Review.nomination_id == Nomination.id,
                                    Review.member_id == member.id,
                                    Review.stage == member.panel.stage)))


def judge_queue(member):
    """The member's nominations in the panel's current round, with the member's declaration
    and review of each: [(nomination, declaration or None, review or None)], by category then
    reference, in one query however many nominations there are."""
    query = _with_own_answers(_assigned(member), member).add_columns(Declaration, Review)
    return [tuple(row) for row in db.session.execute(
        query.options(joinedload(Nomination.category), joinedload(Nomination.area),
                      lazyload(Review.scores))
        .order_by(Nomination.category_id, Nomination.reference))]


def judge_page(member, page, *, total, per_page=JUDGE_PER_PAGE):
    """A page of the member's list (a Pagination; `total`, from `judge_progress`, saves
    counting), by category then reference, as light rows of what the list shows: reference,
    nominee_name (None on a blind panel), category, area (names), declared, conflicted,
    reviewed, submitted. Its ids are picked from the list first, and only they are joined
    (PostgreSQL planned the joined list for 39 ms and scanned every judged nomination); plain
    columns, not whole nominations, declarations and reviews (building those was a third of
    the page)."""
    rows, ids = _page_statements(member.panel.stage, member.panel.blind)
    return RowsPagination(select=rows, ids=ids, params=_bound_values(member),
                          session=db.session(), page=page, per_page=per_page,
                          max_per_page=None, error_out=False, count=True, total=total)


def _bound_member(stage):
    """A stand-in for a member of a panel in its round `stage`, for statements built once
    (building the judge's list's statements was a fifth of its page): its id and its panel's
    id are bound parameters, given by `_bound_values`."""
    return SimpleNamespace(id=bindparam("listed_member_id", type_=Integer()),
                           panel=SimpleNamespace(id=bindparam("listed_panel_id", type_=Integer()),
                                                 stage=stage))


def _bound_values(member):
    """The values of `_bound_member`'s parameters for `member`."""
    return {"listed_member_id": member.id, "listed_panel_id": member.panel_id}


@cache
def _page_statements(stage, blind):
    """The judge's list's page rows and ids (see `judge_page`) in round `stage`."""
    member = _bound_member(stage)
    order = (Nomination.category_id, Nomination.reference)
    rows = _with_own_answers(select(
        Nomination.reference,
        (null() if blind else Nomination.nominee_name).label("nominee_name"),
        Category.name.label("category"), Area.name.label("area"),
        Declaration.id.is_not(None).label("declared"),
        func.coalesce(Declaration.conflicted, False).label("conflicted"),
        Review.id.is_not(None).label("reviewed"),
        Review.submitted_at.is_not(None).label("submitted"))
        .select_from(Nomination)
        .join(Category, Category.id == Nomination.category_id)
        .outerjoin(Area, Area.id == Nomination.area_id), member)
    return (rows.order_by(*order),
            _assigned(member).with_only_columns(Nomination.id).order_by(*order))


def neighbours(member, nomination):
    """The references just before and after `nomination` on the member's list (by category,
    then reference), or (None, None) when it is not on it: three small reads, so that a
    nomination page does not load the whole list for its two links."""
    listed = _assigned(member).with_only_columns(Nomination.reference)
    if db.session.scalar(listed.where(Nomination.id == nomination.id)) is None:
        return None, None
    place = tuple_(Nomination.category_id, Nomination.reference)
    here = tuple_(nomination.category_id, nomination.reference)
    previous = db.session.scalar(listed.where(place < here).order_by(
        Nomination.category_id.desc(), Nomination.reference.desc()).limit(1))
    following = db.session.scalar(listed.where(place > here).order_by(
        Nomination.category_id, Nomination.reference).limit(1))
    return previous, following


def judge_progress(member):
    """How far the member has got with their list in the current round: total, done
    (submitted) and next_up (the reference of the first one not submitted, or None), in one
    statement."""
    total, done, next_up = db.session.execute(_progress_statement(member.panel.stage),
                                              _bound_values(member)).one()
    return SimpleNamespace(total=total, done=done, next_up=next_up)


@cache
def _progress_statement(stage):
    """`judge_progress`'s statement in round `stage`."""
    member = _bound_member(stage)
    # The first without a submitted review: its reference is picked from the list alone, a
    # NOT EXISTS for each, which PostgreSQL reads from the member's assignments instead of
    # scanning every judged nomination for the outer-joined list.
    submitted = (select(Review.id)
                 .where(Review.nomination_id == Nomination.id, Review.member_id == member.id,
                        Review.stage == stage, Review.submitted_at.is_not(None))
                 .exists())
    next_up = (_assigned(member).with_only_columns(Nomination.reference).where(~submitted)
               .order_by(Nomination.category_id, Nomination.reference).limit(1)
               .correlate(None).scalar_subquery())
    own = aliased(Review)
    return (_assigned(member)
            .outerjoin(own, and_(own.nomination_id == Nomination.id, own.member_id == member.id,
                                 own.stage == stage))
            .with_only_columns(func.count(Nomination.id), func.count(own.submitted_at),
                               next_up))


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
