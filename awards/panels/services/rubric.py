"""Each category's rubric: the default impact-first criteria, and an admin's changes to them."""
from flask_babel import gettext as _
from sqlalchemy import exists, select

from awards.core.audit import record
from awards.extensions import db
from awards.panels.models import Criterion, Score
from awards.panels.services import PanelError

ANCHORS = {
    "need": ["No need is described", "A small or unclear need", "A real need for a few people",
             "A clear need for a group of people", "A pressing need many people share",
             "An urgent need that nobody else was meeting"],
    "difference": ["No difference is described", "Small, occasional help",
                   "Some people's days are better", "People's lives are clearly better",
                   "Life-changing for several people", "Life-changing for many people"],
    "reach": ["Nobody beyond the nominee", "One or two people", "A household or a small group",
              "A street, club or congregation", "A neighbourhood or village",
              "The whole community and beyond"],
    "beyond": ["Nothing beyond what is expected", "A little extra now and then",
               "Regular extra time or effort", "Much more than anyone asks",
               "Sustained sacrifice of time or comfort", "Exceptional, over many years"],
    "lasting": ["Nothing that lasts", "Lasts a few days", "Lasts a season",
                "Lasts for years for some people", "Has changed how the place works",
                "Will outlast the nominee's own involvement"],
}
DEFAULT_RUBRIC = [
    # (key for the anchors, name, guiding question, weight)
    ("need", "Need addressed", "How real and pressing is the need this person meets?", 1.0),
    ("difference", "Difference to people's lives",
     "How much better are people's lives because of what they do?", 2.0),
    ("reach", "Reach", "How many people benefit, directly or indirectly?", 1.0),
    ("beyond", "Going beyond what is expected",
     "How far beyond their duties, job or what anyone could ask do they go?", 1.0),
    ("lasting", "Lasting change", "Will the difference they make last?", 1.0),
]


def criteria_of(category):
    """The category's criteria in order, with the default rubric added if it has none."""
    criteria = db.session.scalars(select(Criterion).where(Criterion.category_id == category.id)
                                  .order_by(Criterion.position, Criterion.id)).all()
    if criteria:
        return criteria
    for position, (key, name, question, weight) in enumerate(DEFAULT_RUBRIC, start=1):
        db.session.add(Criterion(category_id=category.id, name=name, question=question,
                                 weight=weight, anchors=ANCHORS[key], position=position))
    db.session.flush()
    return criteria_of(category)


def scoring_started(category):
    """Whether any review has scored this category's criteria (the rubric is then fixed)."""
    return bool(db.session.scalar(select(exists(
        select(Score.id).join(Criterion).where(Criterion.category_id == category.id)))))


def save_criterion(category, criterion, values, *, actor):
    """Create (criterion None) or change a criterion of a category's rubric."""
    if scoring_started(category) and (criterion is None or values["weight"] != criterion.weight):
        raise PanelError(_("Scoring has started in this category: its criteria and weights are "
                           "fixed, so every member is judged against the same rubric."))
    if not values["weight"] > 0:
        raise PanelError(_("Give a weight above 0."))
    anchors = values.get("anchors") or []
    if criterion is None:
        position = len(criteria_of(category)) + 1
        criterion = Criterion(category_id=category.id, position=position)
        db.session.add(criterion)
    criterion.name = values["name"].strip()
    criterion.question = (values.get("question") or "").strip()
    criterion.weight = values["weight"]
    criterion.anchors = [line.strip() for line in anchors]
    db.session.flush()
    record("criterion.saved", criterion, actor=actor, category=category.name,
           name=criterion.name, weight=criterion.weight)
    return criterion


def delete_criterion(category, criterion, *, actor):
    """Remove a criterion, only before scoring starts and never the last one."""
    if scoring_started(category):
        raise PanelError(_("Scoring has started in this category, so its criteria are fixed."))
    if len(criteria_of(category)) <= 1:
        raise PanelError(_("A rubric needs at least one criterion."))
    record("criterion.deleted", criterion, actor=actor, name=criterion.name)
    db.session.delete(criterion)
    db.session.flush()
