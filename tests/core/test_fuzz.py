"""Random query strings and form fields on every route, as every role: never a server error.

Routes come from the app's `url_map` (through tests/routes.py), so a new route is fuzzed
without anyone adding it here. The field names sent are the route's own (read from the page's
inputs where the page has a form) mixed with names that mean something elsewhere on the site
and with url_for's reserved ones. Hypothesis is derandomised: CI runs the same examples each
time; a failure names the route, the role and the request.
"""
import re
from io import BytesIO

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from awards.accounts.enums import Role
from awards.extensions import db
from awards.panels.services.membership import invite_member
from tests.core import test_route_policy
from tests.core.test_route_policy import POLICY, new_client, signed_in
from tests.routes import paths_for, rules_for

EXAMPLES = 3  # random ones per route, method and role, besides the 3 explicit ones
ROLES = ("anonymous", "resident", "panel-member", "chair", "helper", "admin")
# Names with a meaning somewhere (filters, paging, the journey, redirects) and url_for's own.
KNOWN_NAMES = ("q", "page", "cycle", "category", "area", "year", "status", "round",
               "normalised", "change", "next", "slug", "reference", "step", "token", "action",
               "decision", "email", "name", "_method", "_external", "_anchor", "_scheme", "id")
NUMBERS = ("0", "-1", "1", "2147483647", "2147483648", "9223372036854775808",
           "99999999999999999999", "1e309", "NaN", "١", "0x1")
INPUT_NAME = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"')
FILE_INPUT = re.compile(r'<input\b[^>]*\btype="file"[^>]*\bname="([^"]+)"'
                        r'|<input\b[^>]*\bname="([^"]+)"[^>]*\btype="file"')
objects = test_route_policy.objects  # the routes' real objects (a fixture)
SKIPPED = {"static"}  # files
# Pages that sign someone in or out (a reset or verify link signs its owner in): fuzzed as
# the anonymous visitor only, so the other roles stay signed in as themselves throughout.
SESSION_CHANGING = {"accounts.sign_out", "accounts.sign_in", "accounts.reset_password",
                    "accounts.verify_email", "accounts.change_password", "accounts.register"}


def values_strategy():
    return st.one_of(st.sampled_from(NUMBERS), st.text(max_size=40),
                     st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
                     st.integers().map(str), st.sampled_from(("", " ", "y", "on", "true")))


def every(names, value):
    return [(name, value) for name in names]


def fields_strategy(names):
    name = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12))
    return st.lists(st.tuples(name, values_strategy()), max_size=8)


@pytest.fixture
def clients(app, objects, make_user, sign_in):
    """A client per role, on the real objects of tests/routes.py (see test_route_policy):
    Rosa nominated the draft and sent nominations; Pat chairs the panel; Mo is a member of it."""
    member = make_user(name="Mo Member", email="mo.member@example.com")
    invite_member(objects.panel, member.name, member.email, chair=False, actor=None)
    db.session.commit()
    return {
        "anonymous": new_client(app),
        "resident": signed_in(app, objects.rosa, sign_in),
        "panel-member": signed_in(app, member, sign_in),
        "chair": signed_in(app, objects.judge, sign_in),
        "helper": signed_in(app, objects.helper, sign_in),
        "admin": signed_in(app, make_user(name="Ada Admin", roles=[Role.ADMIN]), sign_in),
    }


def field_names(client, path):
    """The page's own input names (and which are files), else none."""
    response = client.get(path)
    html = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    files = {a or b for a, b in FILE_INPUT.findall(html)}
    return sorted(set(INPUT_NAME.findall(html)) - files), sorted(files)


def fuzz(client, method, path, names, files, where):
    """Hypothesis over one path: random query string, and for a POST random fields."""

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(query=fields_strategy(list(KNOWN_NAMES)), form=fields_strategy(names or ["x"]),
           upload=st.binary(max_size=64))
    # Besides the random ones, every name at once with each awkward number, and with text.
    @example(query=every(KNOWN_NAMES, "99999999999999999999"), form=every(names, "9" * 20),
             upload=b"")
    @example(query=every(KNOWN_NAMES, "-1"), form=every(names, "-1"), upload=b"\x89PNG")
    @example(query=every(KNOWN_NAMES, "<x>\u0000é"), form=every(names, "<x>\u0000é"),
             upload=b"x" * 64)
    def run(query, form, upload):
        data = [(k, v) for k, v in form]
        if files and method == "POST":
            data += [(name, (BytesIO(upload), "photo.png")) for name in files]
        response = client.open(path, method=method, query_string=MultiDict(query),
                               data=MultiDict(data) if method == "POST" else None)
        assert response.status_code < 500, (where, method, path, query, form)

    run()


@pytest.mark.parametrize("role", ROLES)
def test_fuzz_every_route_answers_without_a_server_error(app, objects, clients, role):
    client = clients[role]
    fuzzed, failures = 0, []
    for rule in rules_for(app):
        if rule.endpoint in SKIPPED or (role != "anonymous" and rule.endpoint in SESSION_CHANGING):
            continue
        assert rule.endpoint in POLICY  # a new route is fuzzed once it has a policy
        for path in paths_for(rule, objects.values):
            names, files = field_names(client, path) if "GET" in rule.methods else ([], [])
            names = sorted(set(names) | set(KNOWN_NAMES[:10]))
            for method in sorted(rule.methods & {"GET", "POST"}):
                try:
                    fuzz(client, method, path, names, files, (role, rule.endpoint))
                except Exception as error:  # noqa: BLE001  (every route's failure, at once)
                    failures.append(f"{method} {path} ({rule.endpoint}): {error!r}"[:2000])
                fuzzed += 1
    assert failures == []
    assert fuzzed > 100
    if role != "anonymous":  # it was that role all along
        assert client.get("/account/profile").status_code == 200
