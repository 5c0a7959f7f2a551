"""The judging forms give the services what they take (bools and enums, not "yes"/"no")."""
from types import SimpleNamespace

import pytest

from awards.panels.admin_forms import EditPanelForm, PanelForm
from awards.panels.enums import ConflictKind, Outcome
from awards.panels.forms import (
    DecisionForm,
    DeclarationForm,
    EligibilityReviewForm,
    review_form_class,
)
from awards.panels.services.reviews import ABSTAIN


def test_no_conflict_is_false(posted):
    form = posted(DeclarationForm, {"conflicted": "no", "reason": ""})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"conflicted": False, "kind": None, "reason": ""}


def test_a_conflict_gives_its_kind(posted):
    form = posted(DeclarationForm, {"conflicted": "yes", "kind": "other",
                                    "reason": "My cousin"})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"conflicted": True, "kind": ConflictKind.OTHER,
                                   "reason": "My cousin"}


def test_a_conflict_of_another_kind_needs_a_reason(posted):
    form = posted(DeclarationForm, {"conflicted": "yes", "kind": "other"})

    assert not form.validate()
    assert form.reason.errors == ["Say briefly what the conflict is"]


def test_the_conflict_question_must_be_answered(posted):
    form = posted(DeclarationForm, {})

    assert not form.validate()
    assert "Say whether you have a conflict of interest" in form.conflicted.errors


@pytest.mark.parametrize(("posted_value", "passes"), [("yes", True), ("no", False), ("", None)])
def test_eligibility_review_gives_passes_as_a_bool(posted, posted_value, passes):
    form = posted(EligibilityReviewForm, {"passes": posted_value, "overall_comment": "Fine"})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"answers": {}, "passes": passes, "overall_comment": "Fine"}


def test_eligibility_review_is_filled_from_the_saved_review(app):
    class Saved:
        passes, overall_comment = False, "Too young"

    with app.test_request_context():
        form = EligibilityReviewForm.from_review(Saved())
        empty = EligibilityReviewForm.from_review(None)

    assert (form.passes.data, form.overall_comment.data) == (False, "Too young")
    assert [option.checked for option in form.passes] == [False, True]
    assert empty.passes.data is None


# --- the chair's decision ------------------------------------------------------------------

def test_decision_form_coerces_the_outcome_and_gives_record_decisions_arguments(posted):
    form = posted(DecisionForm, {"outcome": "highly_commended", "citation": "Kind.",
                                 "rationale": "Close call", "feedback": "Thank you"})

    assert form.validate(), form.errors
    assert form.outcome.data is Outcome.HIGHLY_COMMENDED
    assert form.to_arguments() == {"outcome": Outcome.HIGHLY_COMMENDED, "citation": "Kind.",
                                   "rationale": "Close call", "feedback": "Thank you",
                                   "feedback_to_nominee": False}


def test_decision_form_needs_a_citation_for_a_public_outcome_only(posted):
    winner = posted(DecisionForm, {"outcome": "winner", "citation": "  "})
    not_selected = posted(DecisionForm, {"outcome": "not_selected", "citation": ""})

    assert not winner.validate()
    assert winner.citation.errors == ["Write the citation: it is the public text about them"]
    assert not_selected.validate(), not_selected.errors
    assert not_selected.to_arguments()["outcome"] is Outcome.NOT_SELECTED


def test_decision_form_is_filled_from_the_decision_or_the_draft(app):
    saved = SimpleNamespace(outcome=Outcome.WINNER, citation="Saved words.",
                            rationale="Why", feedback="Well done", feedback_to_nominee=True)
    undecided = SimpleNamespace(outcome=None, citation="", rationale="", feedback="",
                                feedback_to_nominee=False)

    with app.test_request_context():
        form = DecisionForm.from_decision(saved, "Drafted words.", formdata=None)
        drafted = DecisionForm.from_decision(undecided, "Drafted words.", formdata=None)
        new = DecisionForm.from_decision(None, "Drafted words.", formdata=None)

    assert (form.outcome.data, form.citation.data, form.rationale.data,
            form.feedback.data) == (Outcome.WINNER, "Saved words.", "Why", "Well done")
    assert form.feedback_to_nominee.data is True
    assert [option.checked for option in form.outcome] == [True, False, False]
    assert (drafted.outcome.data, drafted.citation.data) == (None, "Drafted words.")
    assert (new.outcome.data, new.citation.data, new.rationale.data, new.feedback.data) == (
        None, "Drafted words.", "", "")


# --- the scored review -----------------------------------------------------------------------

CRITERIA = [SimpleNamespace(id=7, name="Difference", question="How much?",
                            points=[(value, "") for value in range(6)]),
            SimpleNamespace(id=9, name="Reach", question="How many?",
                            points=[(value, "") for value in range(6)])]


def test_review_form_gives_save_reviews_arguments(posted):
    form = posted(review_form_class(CRITERIA), {
        "score_7": "4", "comment_7": "Lovely", "score_9": ABSTAIN, "overall_comment": "Good"})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"answers": {7: (4, "Lovely"), 9: (ABSTAIN, "")},
                                   "overall_comment": "Good"}


def test_review_form_gives_none_for_a_criterion_not_answered_yet(posted):
    form = posted(review_form_class(CRITERIA), {"score_7": "0", "overall_comment": ""})

    assert form.validate(), form.errors
    assert form.to_arguments() == {"answers": {7: (0, ""), 9: (None, "")},
                                   "overall_comment": ""}


def test_review_form_is_filled_from_the_saved_draft(app):
    saved = SimpleNamespace(overall_comment="So far", scores=[
        SimpleNamespace(criterion_id=7, value=3, comment="Good"),
        SimpleNamespace(criterion_id=9, value=None, comment="")])

    with app.test_request_context():
        form = review_form_class(CRITERIA).from_review(saved)
        empty = review_form_class(CRITERIA).from_review(None)

    assert (form.score_7.data, form.comment_7.data, form.score_9.data) == ("3", "Good", ABSTAIN)
    assert form.overall_comment.data == "So far"
    assert form.to_arguments() == {"answers": {7: (3, "Good"), 9: (ABSTAIN, "")},
                                   "overall_comment": "So far"}
    assert empty.to_arguments() == {"answers": {7: (None, ""), 9: (None, "")},
                                    "overall_comment": ""}


# --- the admin's panel -----------------------------------------------------------------------

def test_panel_form_gives_the_ticked_categories_as_objects(posted):
    lunch, garden = SimpleNamespace(id=3), SimpleNamespace(id=4)
    form = posted(PanelForm, {"name": "  Main   panel ", "categories": ["4"], "blind": "y",
                              "reviews": "number", "reviews_per_nomination": "2",
                              "eligibility_round": "y"})
    form.offer_categories([(lunch, "Lunch"), (garden, "Garden (judged by Other)")])

    assert form.validate(), form.errors
    assert [(c.data, str(c.label.text)) for c in form.categories] == [
        (3, "Lunch"), (4, "Garden (judged by Other)")]
    assert form.to_arguments() == {"values": {
        "name": "Main panel", "categories": [garden], "blind": True,
        "reviews_per_nomination": 2, "eligibility_round": True}}


def test_panel_form_refuses_a_category_not_offered(posted):
    form = posted(PanelForm, {"name": "Main", "categories": ["9"], "reviews": "everyone"})
    form.offer_categories([(SimpleNamespace(id=3), "Lunch")])

    assert not form.validate()
    assert form.categories.errors


def test_edit_panel_form_is_filled_from_the_panel(app):
    panel = SimpleNamespace(name="Main", category_ids={4, 3}, blind=False,
                            reviews_per_nomination=None)
    with app.test_request_context():
        form = EditPanelForm.from_panel(panel)
        form.offer_categories([(SimpleNamespace(id=3), "Lunch"), (SimpleNamespace(id=4), "Ga")])

    assert (form.name.data, form.categories.data, form.blind.data, form.reviews.data) == (
        "Main", [3, 4], False, "everyone")
    assert form.to_arguments() == {"values": {
        "name": "Main", "categories": [form.offered[3], form.offered[4]], "blind": False,
        "reviews_per_nomination": None, "eligibility_round": False}}
