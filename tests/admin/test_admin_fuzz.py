"""Hypothesis over the dashboard, audit log and mail status pages as an admin: random and
hostile query strings and form fields give no server error and are never echoed unescaped."""
import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from awards.accounts.enums import Role
from awards.core.audit import record
from awards.core.mail.models import OutboxMessage, OutboxStatus
from awards.extensions import db

MARK = "<zz\"'x>"  # what an unescaped echo would show as it is
FIELDS = ("actor", "action", "object_type", "object_id", "date_from", "date_to", "page",
          "message_id", "csrf_token", "cycle", "next")
HOSTILE = (MARK, "=HYPERLINK(\"x\")", "-1", "0", "99999999999999999999", "2026-02-30",
           "9999-12-31", "0001-01-01", "1e309", "NaN", "١٢", "' OR 1=1 --", "%", "_", "\\",
           "\u202e", "a" * 500, "<script>alert(1)</script>", "javascript:alert(1)")
ROUTES = (("GET", "/admin"), ("GET", "/admin/audit"), ("POST", "/admin/audit/export"),
          ("GET", "/admin/mail"), ("POST", "/admin/mail/retry"))


def values():
    return st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60),
                     st.text(max_size=20).map(lambda t: MARK + t))


def pairs():
    return st.lists(st.tuples(st.sampled_from(FIELDS), values()), max_size=8)


@pytest.fixture
def admin_client(client, make_user, sign_in):
    admin = make_user(name="Ada Admin", roles=[Role.ADMIN])
    sign_in(admin)
    record("user.profile_updated", admin, actor=admin, note=MARK)
    db.session.add(OutboxMessage(
        kind="accounts/verify_email", recipient="gone@example.com", subject=MARK,
        text_body="x", html_body="x", message_id="<gone@example.com>",
        status=OutboxStatus.FAILED, last_error=MARK))
    db.session.commit()
    return client


def echoed(text):
    """The hostile mark as markup (unescaped), anywhere in the page."""
    return MARK in text or re.search(r"<script>alert", text)


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_admin_pages_survive_hostile_input(admin_client, method, path):

    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(query=pairs(), form=pairs())
    @example(query=[(name, MARK) for name in FIELDS], form=[(name, MARK) for name in FIELDS])
    @example(query=[(name, "99999999999999999999") for name in FIELDS],
             form=[(name, "-1") for name in FIELDS])
    def run(query, form):
        response = admin_client.open(path, method=method, query_string=MultiDict(query),
                                     data=MultiDict(form) if method == "POST" else None)
        assert response.status_code < 500, (method, path, query, form)
        if response.mimetype == "text/html":
            assert not echoed(response.get_data(as_text=True)), (method, path, query, form)

    run()


def test_marks_planted_in_the_data_are_shown_escaped(admin_client):
    for path in ("/admin/audit", "/admin/mail"):
        text = admin_client.get(path).get_data(as_text=True)
        assert "&lt;zz&#34;&#39;x&gt;" in text, path
        assert not echoed(text), path
