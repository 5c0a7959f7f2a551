"""The forms every feature uses: filters and coercions shared across features."""
import pytest

from awards.core.forms import single_line, yes_no


@pytest.mark.parametrize(("posted", "value"), [
    ("yes", True), ("no", False), (True, True), (False, False), ("", None), (None, None),
    ("maybe", None)])
def test_yes_no_gives_a_bool_or_none(posted, value):
    assert yes_no(posted) is value


def test_single_line_folds_white_space():
    assert single_line("  Maria \n  Lopez ") == "Maria Lopez"
    assert single_line(None) is None
