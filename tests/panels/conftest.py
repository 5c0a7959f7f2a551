"""Factories for judging tests: a cycle in judging with nominations ready, a panel with
members and a chair, and helpers to declare, review and decide."""
from types import SimpleNamespace

import pytest

from awards import factories
from awards.accounts.enums import Role
from awards.extensions import db
from awards.nominations.enums import Phase
from awards.panels.services.rubric import criteria_of
from tests.nominations.conftest import (  # noqa: F401  (fixtures shared with these tests)
    eligible,
    make_area,
    make_category,
    make_cycle,
    make_nomination,
    move_to,
    other_client,
    submitted,
)


@pytest.fixture
def judging(make_cycle, make_category, eligible, make_user):  # noqa: F811  (imported above)
    """Factory: a cycle moved into judging with `nominations` ready ones (consented, one
    statement each) in its first category, a panel over that category with `members` members
    (the first is the chair), and an admin. Options pass through to the panel.

    Returns a namespace: cycle, category, panel, members (PanelMember, chair first), chair,
    nominations, admin, users (the members' User rows).
    """

    def factory(nominations=3, members=3, *, blind=False, reviews_per_nomination=None,
                eligibility_round=False, phase=Phase.JUDGING, categories=1, names=None):
        cycle = make_cycle(Phase.NOMINATING)
        extra = [make_category(cycle) for _ in range(categories - 1)]
        all_categories = [cycle.categories[0], *extra]
        made = []
        for number in range(nominations):
            category = all_categories[number % len(all_categories)]
            name = names[number] if names else f"Nominee {number + 1}"
            made.append(eligible(cycle, consented=True, statements=1, category=category,
                                 nominee_name=name,
                                 nominee_email=f"nominee{number + 1}@example.com",
                                 nominator_email=f"nominator{number + 1}@example.com"))
        move_to(cycle, Phase.JUDGING)
        admin = make_user(name="Ada Admin", roles=[Role.ADMIN])
        factories.start_judging(cycle, admin, move=False)
        users = [make_user(name=f"Member {number + 1}") for number in range(members)]
        panel = factories.panel(cycle, "Main panel", categories=all_categories, blind=blind,
                                reviews_per_nomination=reviews_per_nomination,
                                eligibility_round=eligibility_round, admin=admin,
                                members=users)
        panel_members = list(panel.members)
        db.session.commit()
        if phase is not Phase.JUDGING:
            move_to(cycle, phase)
        return SimpleNamespace(cycle=cycle, category=all_categories[0],
                               categories=all_categories, panel=panel, members=panel_members,
                               chair=panel_members[0] if panel_members else None,
                               nominations=made, admin=admin, users=users)

    return factory


def answers_for(category, values, comment=""):
    """Review answers giving each criterion of `category` the next of `values` (an int,
    reviews.ABSTAIN or None), in rubric order."""
    criteria = criteria_of(category)
    return {c.id: (value, comment) for c, value in zip(criteria, values, strict=True)}


@pytest.fixture
def review():
    """Factory: `member` declares no conflict (if not yet) and submits scores for
    `nomination` (every criterion `score` unless `values` is given)."""

    def do(member, nomination, score=3, values=None, comment="", submit=True):
        made = factories.review(member, nomination, values, score=score, comment=comment,
                                criterion_comment=comment, submit=submit)
        db.session.commit()
        return made

    return do


def decide(panel, nomination, outcome, actor, citation="A generous neighbour."):
    """Record an outcome (with a citation) and commit."""
    decision = factories.decide(panel, nomination, outcome, actor, citation)
    db.session.commit()
    return decision
