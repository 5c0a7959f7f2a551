"""Numbers in the query string go through one helper that bounds them."""
import re
from pathlib import Path

import pytest

from awards.core.arguments import MAX_ID, int_arg

ROOT = Path(__file__).resolve().parents[2] / "awards"


@pytest.mark.parametrize(("query", "expected"), [
    ("n=1", 1), ("n=42", 42), (f"n={MAX_ID}", MAX_ID), ("n=007", 7),
    ("", None), ("n=", None), ("n=0", None), ("n=-1", None), ("n=+1", None), ("n=1e3", None),
    ("n=0x10", None), ("n=1_000", None), ("n=%201", None), ("n=1.0", None),
    (f"n={MAX_ID + 1}", None), ("n=99999999999999999999", None), ("n=" + "9" * 5000, None),
    ("n=%EF%BC%91", None), ("n=%D9%A1", None),  # fullwidth and Arabic-Indic one
])
def test_int_arg_takes_only_plain_numbers_in_range(app, query, expected):
    with app.test_request_context(f"/?{query}"):
        assert int_arg("n") == expected


def test_int_arg_default_and_bounds(app):
    with app.test_request_context("/?page=12&n=x"):
        assert int_arg("page", 1, maximum=10) == 1
        assert int_arg("page", 1, maximum=100) == 12
        assert int_arg("page", 1, minimum=13) == 1
        assert int_arg("n", 5) == 5
        assert int_arg("missing", 3) == 3


def test_no_view_reads_a_number_from_the_query_string_any_other_way():
    """`request.args.get(..., type=int)` and `int(request.args...)` are unbounded: SQLite
    raises OverflowError on a 20-digit id. Views use `int_arg`."""
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"args\.get\([^)]*type\s*=\s*int|int\(\s*(request\.)?args", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
