"""Admins set up panels and invite their members and chairs."""
import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from awards.accounts.enums import Role
from awards.accounts.models import User
from awards.accounts.passwords import hash_password
from awards.accounts.queries import normalise_email, user_by_email
from awards.accounts.services import RESET, grant_role
from awards.core.audit import record
from awards.core.tokens import issue_token
from awards.extensions import db
from awards.panels import emails
from awards.panels.enums import Stage
from awards.panels.models import Panel, PanelMember, Review
from awards.panels.services import PanelError
from awards.panels.services.assignments import refresh_assignments
from awards.panels.services.rubric import criteria_of


def save_panel(cycle, panel, values, *, actor):
    """Create (panel None) or change a panel: name, categories and options."""
    categories = values["categories"]
    if not categories:
        raise PanelError(_("Choose at least one category for the panel to judge."))
    if any(category.cycle_id != cycle.id for category in categories):
        raise PanelError(_("Choose categories of this cycle."))
    for other in db.session.scalars(select(Panel).where(Panel.cycle_id == cycle.id)):
        for category in categories:
            if other is not panel and category.id in other.category_ids:
                raise PanelError(_("%(category)s is already judged by %(panel)s.",
                                   category=category.name, panel=other.name))
    creating = panel is None
    if not creating and bool(values["blind"]) != panel.blind and reviews_started(panel):
        raise PanelError(_("Blind mode cannot be switched on or off once the first review is "
                           "saved: members have already read the nominations one way."))
    if creating:
        panel = Panel(cycle_id=cycle.id)
        db.session.add(panel)
    panel.name = values["name"].strip()
    panel.categories = list(categories)
    panel.blind = values["blind"]
    panel.reviews_per_nomination = values["reviews_per_nomination"]
    if creating:
        panel.eligibility_round = values["eligibility_round"]
        panel.stage = Stage.ELIGIBILITY if panel.eligibility_round else Stage.SCORING
    db.session.flush()
    for category in categories:
        criteria_of(category)  # every judged category has a rubric (the default to start)
    record("panel.created" if creating else "panel.changed", panel, actor=actor,
           name=panel.name, blind=panel.blind, reviews=panel.reviews_per_nomination)
    refresh_assignments(panel)
    return panel


def reviews_started(panel):
    """Whether any member of the panel has saved a review (a draft counts)."""
    return db.session.scalar(select(Review.id).join(PanelMember).where(
        PanelMember.panel_id == panel.id).limit(1)) is not None


def invite_member(panel, name, email, *, chair=False, actor):
    """Add someone to the panel by e-mail: an existing account is linked, otherwise one is
    created with a link to choose a password. Either way they are told by e-mail."""
    email = normalise_email(email)
    user = user_by_email(email)
    password_link = None
    if user is None:
        # An unguessable password nobody knows: the invitation's link sets the real one.
        user = User(name=name.strip() or email, email=email,
                    password_hash=hash_password(secrets.token_urlsafe(32)))
        db.session.add(user)
        db.session.flush()
        record("user.created", user, actor=actor, via="panel invitation")
        password_link = issue_token(user, RESET,
                                    current_app.config["TOKEN_HOURS"]["panel_invitation"])
    if any(member.user_id == user.id for member in panel.members):
        raise PanelError(_("%(email)s is already on this panel.", email=email))
    grant_role(user, Role.PANEL_MEMBER, actor=actor)
    member = PanelMember(user=user, is_chair=chair)
    panel.members.append(member)
    db.session.flush()
    record("panel.member_invited", panel, actor=actor, member=user.email, chair=chair)
    emails.send_invitation(member, password_link)
    refresh_assignments(panel)
    return member


def set_chair(member, is_chair, *, actor):
    """Make a member a chair, or not; a panel always keeps at least one chair."""
    if not is_chair and member.is_chair and len(member.panel.chairs) <= 1:
        raise PanelError(_("A panel needs at least one chair: make someone else chair first."))
    member.is_chair = is_chair
    record("panel.chair_changed", member.panel, actor=actor, member=member.user.email,
           chair=is_chair)
    db.session.flush()


def removal_consequences(member):
    """What taking `member` off the panel will do: their unfinished (started, not submitted)
    reviews are dropped; nobody is e-mailed. Confirm first when they have any."""
    unfinished = db.session.scalar(select(func.count(Review.id)).where(
        Review.member_id == member.id, Review.submitted_at.is_(None)))
    return RemovalConsequences(unfinished_reviews=unfinished, recipients=[])


@dataclass
class RemovalConsequences:
    unfinished_reviews: int
    recipients: list

    @property
    def needs_confirmation(self):
        return self.unfinished_reviews > 0


def remove_member(member, *, actor):
    """Take someone off a panel before they have submitted anything."""
    if db.session.scalar(select(Review.id).where(Review.member_id == member.id,
                                                 Review.submitted_at.is_not(None)).limit(1)):
        raise PanelError(_("%(name)s has submitted reviews, which stay part of the record; "
                           "recuse them from single nominations instead.", name=member.name))
    if member.is_chair and len(member.panel.chairs) <= 1:
        raise PanelError(_("A panel needs at least one chair: make someone else chair first."))
    panel = member.panel
    record("panel.member_removed", panel, actor=actor, member=member.user.email)
    panel.members.remove(member)
    db.session.flush()
    refresh_assignments(panel)
