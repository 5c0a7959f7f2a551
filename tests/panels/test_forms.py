"""The judging forms give the services what they take (bools and enums, not "yes"/"no")."""
import pytest

from awards.panels.enums import ConflictKind
from awards.panels.forms import DeclarationForm, EligibilityReviewForm


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
