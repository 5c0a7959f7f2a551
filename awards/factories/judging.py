"""Judging through the panels' services: start judging, panels with members and chairs,
declarations, reviews, decisions and comments, and publication of the results."""
from datetime import UTC, datetime, time

from awards.extensions import db
from awards.factories import scheme
from awards.nominations.enums import Phase
from awards.nominations.services import moderation
from awards.panels.enums import Outcome
from awards.panels.queries import declaration_of
from awards.panels.services import declarations, deliberation, membership, publication, reviews
from awards.panels.services.rubric import criteria_of


def start_judging(cycle, admin=None, *, dates=None, audit=False, move=True):
    """Close nominations (move the calendar into judging, or to `dates`; see scheme.move_to
    for `audit`; `move=False` leaves it) and send every ready nomination (eligible,
    consented, enough statements) to IN_JUDGING. Returns the readiness."""
    if move:
        scheme.move_to(cycle, Phase.JUDGING, dates=dates, audit=audit)
    return moderation.start_judging(cycle, actor=admin)


def panel(cycle, name="Main panel", *, categories=None, blind=False,
          reviews_per_nomination=None, eligibility_round=False, admin=None, members=()):
    """A panel (save_panel) judging `categories` (default: all of the cycle's), then each of
    `members` invited (a User, or a (name, email) pair); the first chairs. Returns the panel;
    its PanelMembers are `panel.members`, in that order."""
    made = membership.save_panel(cycle, None, {
        "name": name, "categories": list(categories or cycle.categories), "blind": blind,
        "reviews_per_nomination": reviews_per_nomination,
        "eligibility_round": eligibility_round}, actor=admin)
    for number, person in enumerate(members):
        member(made, person, chair=number == 0, admin=admin)
    return made


def member(panel, person, *, chair=False, admin=None):
    """Invite `person` (a User, or a (name, email) pair: an account is made if needed, with
    a password link in the invitation) to the panel; returns the PanelMember."""
    name, email = (person.name, person.email) if hasattr(person, "email") else person
    return membership.invite_member(panel, name, email, chair=chair, actor=admin)


def declare(member, nomination, *, conflicted=False, kind=None, reason=""):
    """The member's declaration of (no) conflict on a nomination."""
    return declarations.declare(member, nomination, conflicted=conflicted, kind=kind,
                                reason=reason)


def review(member, nomination, values=None, *, score=3, comment="", criterion_comment="",
           submit=True):
    """Declare no conflict (if not yet) and save a review (submitted unless `submit=False`).
    `values` has one item per criterion of the rubric, in order: a score, reviews.ABSTAIN,
    None (not answered yet) or a (value, comment) pair; default `score` for every one.
    `comment` is the overall comment; `criterion_comment` goes with every plain value."""
    if declaration_of(member, nomination) is None:
        declare(member, nomination)
    criteria = criteria_of(nomination.category)
    values = values if values is not None else [score] * len(criteria)
    answers = {criterion.id: value if isinstance(value, tuple) else (value, criterion_comment)
               for criterion, value in zip(criteria, values, strict=True)}
    return reviews.save_review(member, nomination, answers=answers, overall_comment=comment,
                               submit=submit)


def decide(panel, nomination, outcome, actor, citation="A generous neighbour.", *,
           rationale="Strong support.", feedback="", feedback_to_nominee=False,
           shortlist=False):
    """The chair (`actor`) records an outcome; the citation is kept for public outcomes
    only. `shortlist=True` first puts the nomination on the shortlist."""
    if shortlist:
        deliberation.set_shortlisted(panel, nomination, True, actor=actor)
    return deliberation.record_decision(panel, nomination, outcome=Outcome(outcome),
                                        citation=citation, rationale=rationale,
                                        feedback=feedback,
                                        feedback_to_nominee=feedback_to_nominee, actor=actor)


def comment(panel, nomination, body, author):
    """A panel comment on a nomination (`author` a User)."""
    return deliberation.add_comment(panel, nomination, body, author=author)


def publish(cycle, admin=None, *, dates=None, audit=False, published_on=None):
    """Move the calendar to announcement day (or to `dates`) and publish the results
    (publish_cycle: outcomes fixed, e-mails sent, public pages filled). `published_on` (a
    date) backdates the publication stamp to 18:00 that day. Returns the plan."""
    scheme.move_to(cycle, Phase.ANNOUNCED, dates=dates, audit=audit)
    plan = publication.publish_cycle(cycle, actor=admin)
    if published_on is not None:
        cycle.results_published_at = datetime.combine(published_on, time(18), tzinfo=UTC)
        db.session.flush()
    return plan
