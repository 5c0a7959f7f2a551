"""The bench's database: SQLite in the run's /tmp folder, or the PostgreSQL database of
BENCH_DATABASE_URL (a throwaway one: its name must contain "bench"; its tables are dropped
and made again). Built with the migrations and filled with bulk INSERTs
(awards.factories.bulk): the public record, then the staff's work; read back afterwards
(which submitted nominations are stored) and, in this process, the SQL statements each
page runs."""
import statistics
import time

import pyotp
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

NOMINATIONS = 20_000
PUBLISHED_YEARS = (2022, 2023, 2024, 2025)
AWARDS_PER_CYCLE = 500  # 2,000 public awards in all
NOMINATIONS_PER_PUBLISHED_CYCLE = 4_500  # the other 2,000 are in the open cycle
JUDGED = 1_000  # of the open cycle's 2,000: moved to the cycle being judged; the rest queue
REVIEWED = 300  # of those, reviewed by the judge and the chair
SEARCH_WORD = "garden"  # in about one citation in eight (awards.factories.bulk.DEEDS)
THANKS_ON_BENCHED_WINNER = 30
STAFF_PASSWORD = "bench-password-not-secret-1"
STAFF = {  # who signs in: name, e-mail address, roles
    "admin": ("Bench Admin", "bench-admin@example.org", ("admin",)),
    "chair": ("Bench Chair", "bench-chair@example.org", ("panel_member",)),
    "judge": ("Bench Judge", "bench-judge@example.org", ("panel_member",)),
}


def postgresql_url(url):
    """BENCH_DATABASE_URL checked: PostgreSQL, and a database whose name says it is the
    bench's (its tables are dropped). Raises SystemExit otherwise."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise SystemExit(f"BENCH_DATABASE_URL must be a PostgreSQL URL, not {parsed.drivername}.")
    if "bench" not in (parsed.database or ""):
        raise SystemExit(f"BENCH_DATABASE_URL's database {parsed.database!r} does not have "
                         "'bench' in its name: the bench drops every table of it, so it must "
                         "be a throwaway database (e.g. createdb bench_awards).")
    return url


def empty_postgresql(url):
    """Drop every table (and the migrations' record) of the bench's PostgreSQL database."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def advance_sequences(session, metadata):
    """PostgreSQL: the bulk INSERTs gave ids themselves; move each table's id sequence past
    them, or the app's own INSERTs (a nomination sent) would collide."""
    for table in metadata.sorted_tables:
        if "id" not in table.columns:
            continue
        sequence = session.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"),
                                  {"t": f'"{table.name}"'})
        if sequence:
            session.execute(text(f'SELECT setval(:s, COALESCE((SELECT MAX(id) FROM '
                                 f'"{table.name}"), 0) + 1, false)'), {"s": sequence})


def build(root):
    """Migrate and bulk-fill the database of DATABASE_URL (this process's environment);
    returns what the pages and clients need: counts, the benched winner, the staff (with
    their TOTP secrets), the panel, and the open cycle's slug, a category and an area."""
    from flask_migrate import upgrade

    from awards import create_app
    from awards import factories as f
    from awards.accounts.enums import Role
    from awards.accounts.models import TwoFactor
    from awards.core.db import utcnow
    from awards.extensions import db
    from awards.factories.bulk import judging_workload, public_record
    from awards.nominations.enums import NominationStatus
    from awards.nominations.models import AwardCycle, Consent, Nomination
    from awards.panels.models import Assignment, Decision, Review
    from awards.public.models import PublicAward, ThankYou

    app = create_app("production")
    with app.app_context():
        upgrade(directory=str(root / "migrations"))
        benched = public_record(nominations=NOMINATIONS, years=PUBLISHED_YEARS,
                                per_published_cycle=NOMINATIONS_PER_PUBLISHED_CYCLE,
                                awards_per_cycle=AWARDS_PER_CYCLE,
                                featured_thanks=THANKS_ON_BENCHED_WINNER)
        session = db.session
        if db.engine.dialect.name == "postgresql":
            advance_sequences(session, db.metadata)
            session.commit()
        staff = {}
        for key, (name, email, roles) in STAFF.items():
            user = f.user(name, email, STAFF_PASSWORD, roles=[Role(r) for r in roles])
            secret = pyotp.random_base32()
            session.add(TwoFactor(user=user, secret=secret, confirmed_at=utcnow()))
            staff[key] = {"id": user.id, "email": email, "password": STAFF_PASSWORD,
                          "totp": secret}
        open_cycle = session.scalars(select(AwardCycle).where(
            AwardCycle.results_published_at.is_(None)).order_by(AwardCycle.id)).one()
        work = judging_workload(open_cycle.id, chair_id=staff["chair"]["id"],
                                judge_id=staff["judge"]["id"], count=JUDGED,
                                reviewed=REVIEWED)
        session.commit()
        if db.engine.dialect.name == "postgresql":
            advance_sequences(session, db.metadata)
            session.commit()
            # Statistics for the planner, as autovacuum keeps them on a live database:
            # straight after the bulk load there are none yet (the uncached search page
            # measured 23 req/s without this, 114 with it).
            session.execute(text("ANALYZE"))
            session.commit()
        category = next(c for c in open_cycle.categories if c.slug == "good-neighbour")
        target = {"slug": open_cycle.slug, "category": category.slug, "area_id": 1,
                  "cycle_id": open_cycle.id}
        counts = {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                  for model in (Nomination, Decision, Consent, PublicAward, ThankYou,
                                Assignment, Review)}
        searched = session.scalar(select(func.count()).select_from(PublicAward).where(
            PublicAward.citation.like(f"%{SEARCH_WORD}%")))
        queued = session.scalar(select(func.count()).select_from(Nomination).where(
            Nomination.status == NominationStatus.SUBMITTED))
        session.close()
        db.engine.dispose()
        cache_type = app.config["CACHE_TYPE"]
        dialect = db.engine.dialect.name
    assert counts["nomination"] == NOMINATIONS, counts
    assert counts["public_award"] == AWARDS_PER_CYCLE * len(PUBLISHED_YEARS), counts
    assert work["judged"] == JUDGED and queued == work["queued"] > 0, (work, queued)
    return {"counts": counts, "searched": searched, "benched": benched, "cache": cache_type,
            "staff": staff, "work": work, "target": target, "queued": queued,
            "dialect": dialect}


def stored_as_sent(references):
    """Which of `references` the database holds as sent (any status but draft)."""
    from awards import create_app
    from awards.extensions import db
    from awards.nominations.enums import NominationStatus
    from awards.nominations.models import Nomination

    references = list(references)
    app = create_app("production")
    with app.app_context():
        found = set()
        for start in range(0, len(references), 500):
            found.update(db.session.scalars(select(Nomination.reference).where(
                Nomination.reference.in_(references[start:start + 500]),
                Nomination.status != NominationStatus.DRAFT)))
        db.session.close()
        db.engine.dispose()
    return found


class StatementCounter:
    """Counts the SQL statements an engine runs while `counting` (before_cursor_execute)."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0
        self.counting = False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args):
        if self.counting:
            self.count += 1

    def measure(self, call):
        self.count, self.counting = 0, True
        try:
            result = call()
        finally:
            self.counting = False
        return result, self.count

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._seen)


def count_queries(pages, after_change=False, repeats=5):
    """The SQL statements each page runs, and its time, in this process with the Flask test
    client on the same database: [(name, path, cookie)] → {name: (count, median ms)}. Each
    page is asked once first (a first request may load what later ones reuse), then
    `repeats` times. `after_change`: each time as the first request after a change to the
    public pages (a new cache generation first), when the view and its queries run; else as
    it comes (a public page's repeat is then made from the kept shared page)."""
    from awards import create_app
    from awards.extensions import db
    from awards.public.cache import invalidate

    app = create_app("production")
    measured = {}
    with app.app_context():
        counter = StatementCounter(db.engine)
        client = app.test_client(use_cookies=False)
        try:
            for name, path, cookie in pages:
                headers = {"Cookie": cookie, "Host": "127.0.0.1"}
                client.get(path, headers=headers)
                counts, times = [], []
                for _ in range(repeats):
                    if after_change:
                        invalidate()
                    started = time.perf_counter()
                    response, count = counter.measure(lambda: client.get(path, headers=headers))
                    times.append((time.perf_counter() - started) * 1000)
                    counts.append(count)
                    if response.status_code != 200:
                        raise RuntimeError(f"{path}: {response.status_code} in the test client")
                measured[name] = (max(counts), statistics.median(times))
        finally:
            counter.close()
            db.session.remove()
            db.engine.dispose()
    return measured
