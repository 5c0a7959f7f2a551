"""Factories for the public pages: a published cycle whose nominees made given choices."""
from types import SimpleNamespace

import pytest

from awards import factories
from awards.extensions import db
from awards.factories import EVERYTHING, NOTHING_BUT_YES  # noqa: F401  (tests import them)
from awards.nominations.enums import Phase
from awards.public.models import PublicAward
from tests.nominations.conftest import (  # noqa: F401  (fixtures shared)
    eligible,
    make_area,
    make_category,
    make_cycle,
    make_nomination,
    move_to,
    submitted,
)
from tests.panels.conftest import decide, judging  # noqa: F401  (fixture shared)

# Everything a nominee can allow, and nothing (EVERYTHING, NOTHING_BUT_YES, from the
# factories): pass one of these (or your own) as choices.


@pytest.fixture
def published(judging):  # noqa: F811  (the fixture imported above)
    """Factory: a cycle judged and published. `outcomes` gives each nomination's outcome
    ("winner", "highly_commended", "not_selected"); `choices` each nominee's consent choices
    (a dict per nomination, default EVERYTHING); `citations` and `names` override the
    defaults. `publish=False` stops before publication (decided, announcement day).

    Returns a namespace: cycle, panel, admin, chair (User), nominations, awards (the
    PublicAward of each nomination, or None).
    """

    def factory(outcomes=("winner", "highly_commended", "not_selected"), *, choices=None,
                citations=None, names=None, publish=True):
        count = len(outcomes)
        names = names or [f"Nominee Person{number + 1}" for number in range(count)]
        j = judging(nominations=count, members=1, names=names)
        chair = j.chair.user
        for number, (nomination, outcome) in enumerate(zip(j.nominations, outcomes)):
            citation = (citations[number] if citations
                        else f"{names[number]} keeps the lunch club going every week.")
            decide(j.panel, nomination, outcome, chair, citation=citation)
            wanted = (choices[number] if choices else None) or EVERYTHING
            factories.give_consent(nomination, **wanted)
        db.session.commit()
        if publish:
            factories.publish(j.cycle, j.admin)
        else:
            factories.move_to(j.cycle, Phase.ANNOUNCED)
        db.session.commit()
        awards = [db.session.scalar(db.select(PublicAward).filter_by(nomination_id=n.id))
                  for n in j.nominations]
        return SimpleNamespace(cycle=j.cycle, panel=j.panel, admin=j.admin, chair=chair,
                               nominations=j.nominations, awards=awards)

    return factory
