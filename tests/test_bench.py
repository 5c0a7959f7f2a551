"""`make bench`'s own code, quickly and without wrk or gunicorn: the JSON it writes, how it
reads wrk, and the browser that signs staff in and sends nominations (here through the
Flask test client, on a small database built by the same bulk factories)."""
import json

import pyotp
import pytest
from sqlalchemy import select

from awards import factories as f
from awards.accounts.enums import Role
from awards.accounts.models import TwoFactor
from awards.core.db import utcnow
from awards.extensions import db
from awards.factories.bulk import judging_workload, public_record
from awards.nominations.enums import NominationStatus
from awards.nominations.models import AwardCycle, Nomination
from bench import report, submit
from bench.browser import Browser, final_submit, flask_client_transport, sign_in, walk_to_check
from bench.database import StatementCounter, advance_sequences, postgresql_url
from bench.wrk import bracket, parse

WRK_OUTPUT = """Running 2s test @ http://127.0.0.1:5000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    10.61ms    2.10ms  30.00ms   80.00%
    Req/Sec   750.00    100.00     1.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%   12.00ms
     90%   14.00ms
     99%    1.20s
  3000 requests in 2.00s, 500.00KB read
  Socket errors: connect 1, read 7, write 2, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:   1500.50
Transfer/sec:    250.00KB
"""


def run(rps, p99, p50=5.0, errors=0, requests=100):
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": requests}


def test_wrk_report_is_read_with_p50_p99_and_errors_but_not_read_errors():
    figures = parse(WRK_OUTPUT)

    assert figures == {"rps": 1500.5, "p50": 0.812, "p99": 1200.0, "errors": 4 + 1 + 2 + 3,
                       "requests": 3000}


def test_wrk_report_without_an_answer_has_no_latency():
    text = WRK_OUTPUT.replace("3000 requests", "0 requests")

    assert parse(text)["p99"] is None and parse(text)["p50"] is None


def test_json_has_the_schema_from_fake_measurements(tmp_path):
    hello = run(1000, 20.0)
    results = [
        {"mode": "cached", "name": "home", "rounds": [(run(950, 25.0), hello)] * 3},
        {"mode": "uncached", "name": "home", "rounds": [(run(150, 90.0), hello)] * 3},
        {"mode": "signed-in", "name": "judge dashboard",
         "rounds": [(run(50, 400.0), hello), (run(0, None, None, requests=0), hello)]},
    ]
    document = report.build(
        database="sqlite", command="python bench/public_pages.py", results=results,
        hello_runs=[hello, run(1200, 10.0, 4.0)],
        queries={"home": 3, "judge dashboard": 6},
        submit={"p95_ms": 123.456, "p50_ms": 50.0, "lost": 0, "errors": 0, "submits": 200,
                "stored": 200, "clients": 16, "seconds": 30.0},
        rss={"app": 48.25, "hello": 29.4, "requests": 5000})

    written = json.loads(report.write(document, tmp_path / "results" / "latest.json")
                         .read_text())

    assert set(written) >= {"machine", "database", "command", "date", "hello", "pages",
                            "submit", "worker_rss_mb"}
    assert "cores" in written["machine"] and "Python" in written["machine"]
    assert written["database"] == "sqlite"
    assert written["hello"] == {"rps": 1100.0, "p50_ms": 4.5, "p99_ms": 15.0}
    home = written["pages"]["home"]
    assert set(home["cached"]) >= {"rps", "p99_ms", "ratio_to_hello", "p99_ratio"}
    assert (home["cached"]["rps"], home["cached"]["ratio_to_hello"],
            home["cached"]["p99_ratio"], home["cached"]["met"]) == (950, 0.95, 1.25, True)
    assert (home["uncached"]["ratio_to_hello"], home["uncached"]["met"]) == (0.15, False)
    assert home["queries"] == 3
    judge = written["pages"]["judge dashboard"]
    assert "cached" not in judge
    assert judge["queries"] == 6
    assert judge["uncached"]["rps"] == 25.0  # the median of 50 and 0 req/s
    assert judge["uncached"]["p99_ms"] == 400.0  # from the round that answered
    assert (judge["uncached"]["ratio_to_hello"], judge["uncached"]["met"]) == (0.025, False)
    assert written["submit"] == {"p95_ms": 123.46, "lost": 0, "errors": 0, "p50_ms": 50.0,
                                 "submits": 200, "stored": 200, "clients": 16, "met": True}
    assert (written["worker_rss_mb"], written["hello_worker_rss_mb"],
            written["worker_rss_met"]) == (48.2, 29.4, True)
    table = report.table(written, 3)
    assert "NOT MET" in table and "judge dashboard" in table and "p95 123.5 ms" in table


def test_a_page_and_the_hello_world_around_it():
    assert bracket(run(1000, 10.0), run(2000, 30.0)) == {
        "rps": 1500, "p50": 5.0, "p99": 20.0, "errors": 0}


# --- The browser, through the test client ---------------------------------------------------

@pytest.fixture
def small_bench(build_app):
    """An app as production has it for staff (CSRF, two-factor required) on a small bench
    database: one published year, the open cycle with 12 nominations, 6 of them judged."""
    application = build_app(WTF_CSRF_ENABLED=True, REQUIRE_TWO_FACTOR=True)
    with application.app_context():
        public_record(nominations=32, years=(2025,), per_published_cycle=20,
                      awards_per_cycle=5, featured_thanks=1)
        if db.engine.dialect.name == "postgresql":
            advance_sequences(db.session, db.metadata)
        staff = {}
        for key, role in (("admin", Role.ADMIN), ("chair", Role.PANEL_MEMBER),
                          ("judge", Role.PANEL_MEMBER)):
            user = f.user(f"Bench {key}", f"bench-{key}@example.org", roles=[role])
            secret = pyotp.random_base32()
            db.session.add(TwoFactor(user=user, secret=secret, confirmed_at=utcnow()))
            staff[key] = (user.email, secret, user.id)
        open_cycle = db.session.scalars(select(AwardCycle).where(
            AwardCycle.results_published_at.is_(None))).one()
        work = judging_workload(open_cycle.id, chair_id=staff["chair"][2],
                                judge_id=staff["judge"][2], count=6, reviewed=2)
        db.session.commit()
        target = {"slug": open_cycle.slug, "category": "good-neighbour", "area_id": 1}
    return application, staff, work, target


def test_staff_sign_in_with_csrf_and_totp_and_see_the_workload(small_bench):
    application, staff, work, _target = small_bench
    pages = [("judge", f"/panel/{work['panel_id']}", "2 of 6 reviewed"),
             ("chair", f"/panel/{work['panel_id']}/chair", "2 of 6"),
             ("admin", "/admin/nominations", "32 nominations")]  # every one sent

    for who, path, shown in pages:
        browser = Browser(flask_client_transport(application.test_client(use_cookies=False)))
        email, secret, _id = staff[who]

        text = sign_in(browser, email, f.DEFAULT_PASSWORD, secret, path)

        assert shown in text, who
        assert work["queued"] == 6
        # the session cookie alone opens the page (as wrk sends it)
        other = Browser(flask_client_transport(application.test_client(use_cookies=False)))
        other.cookies = dict(browser.cookies)
        assert shown in other.get(path)


def test_nominations_walked_and_sent_are_stored_as_sent(small_bench):
    application, _staff, _work, target = small_bench
    transport = flask_client_transport(application.test_client(use_cookies=False))
    browser = Browser(transport)

    reference = walk_to_check(browser, target["slug"], target["category"], target["area_id"], 1)
    assert final_submit(browser, reference)
    measured = submit.run_submits(None, target, total=2, clients=1, send=transport)

    references = {reference} | {r for r, _ok, _ms in measured["answers"]}
    with application.app_context():
        sent = dict(db.session.execute(select(Nomination.reference, Nomination.status)
                                       .where(Nomination.reference.in_(references))).all())
    assert sent == {r: NominationStatus.AWAITING_CONFIRMATION for r in references}
    assert len(references) == 3
    assert (measured["errors"], measured["walk_errors"]) == ([], [])
    assert submit.summarise(measured, set(sent))["lost"] == 0
    assert submit.summarise(measured, set())["lost"] == 2


def test_statement_counter_counts_only_while_measuring(small_bench):
    application = small_bench[0]
    with application.app_context():
        counter = StatementCounter(db.engine)
        db.session.scalar(select(Nomination.id).limit(1))
        _result, count = counter.measure(lambda: [db.session.scalar(select(Nomination.id)
                                                                    .limit(1))
                                                  for _ in range(3)])
        counter.close()
    assert count == 3


def test_only_a_bench_postgresql_database_is_accepted():
    assert postgresql_url("postgresql+psycopg://postgres@/bench_x?host=/tmp") \
        == "postgresql+psycopg://postgres@/bench_x?host=/tmp"
    for url in ("postgresql+psycopg://postgres@/awards_test?host=/tmp", "sqlite:///bench.db"):
        with pytest.raises(SystemExit):
            postgresql_url(url)


def test_staff_pages_measured_only_for_statements_are_not_public_pages():
    """--only cached,uncached still counts the staff pages' statements: they must not be
    judged against the public pages' goal of 6 (the report said NOT MET for them)."""
    hello = run(1000, 20.0)
    document = report.build(
        database="sqlite", command="python bench/public_pages.py --only uncached",
        results=[{"mode": "uncached", "name": "home", "rounds": [(run(300, 30.0), hello)]}],
        hello_runs=[hello], queries={"home": 2, "chair overview": 15},
        first_ms={"home": 12.345}, signed_in={"chair overview"}, submit=None, rss=None)

    assert document["pages"]["chair overview"]["signed_in"] is True
    assert "queries_met" not in document["pages"]["chair overview"]
    assert document["pages"]["home"]["first_after_change_ms"] == 12.35
    table = report.table(document, 1)
    assert "queries, public pages <= 6: met." in table
    assert "home 12.3 ms" in table
