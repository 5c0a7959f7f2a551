"""`make bench`: the app under load against a Flask hello-world served the same way, in one
run: public pages (cached and uncached), signed-in staff pages, a nomination's final submit
under concurrent clients, the workers' memory, and the SQL statements each page runs.

The goals (docs/development.md, "Performance goals"), with 2,000 winners and 20,000
nominations:
- public pages (home, hall of fame first and deep page, a search, a winner page, the
  winners' feed) served from the page cache: at least 0.9x the requests/s of hello-world
  under the same gunicorn settings, p99 at most 1.5x hello-world's; uncached (a visitor with
  a session) at least 0.2x, p99 at most 5x;
- signed-in pages with 1,000 nominations being judged and 1,000 waiting for moderation (the
  judge's dashboard, the chair's overview, the moderation queue): at least 0.1x;
- a nomination's final submit with 16 clients sending at once: 0 lost, 0 errors (p95
  reported);
- a gunicorn worker's memory after the public-page runs (well over 1,000 requests): at
  most 60 MB RSS (hello-world's reported beside it);
- SQL statements per page, uncached: reported (at most 6 per public page).
Ratios are measured in the same run, each page right between two hello-world runs, so that
they hold on a shared, noisy machine; the absolute figures mean little. This is a report,
not a test: it exits 0 whether or not a goal is met (1 only when it could not measure:
setup failed or a page answered with an error).

What it does, all on loopback and in a throwaway folder under /tmp (removed at the end):

1. Builds the database with the migrations (`flask db upgrade`, run in this process):
   SQLite in that folder, or with BENCH_DATABASE_URL the PostgreSQL database it names
   (its name must contain "bench": every table is dropped first). Bulk INSERTs
   (awards.factories.bulk.public_record) fill it: four published cycles (2022-2025) and
   the open cycle, six categories each, 24 areas, 20,000 nominations, 18,000 panel
   decisions; 2,000 of them (500 a published cycle) are public awards (half with a photo
   row), some with approved thank-you messages; the full-text index's triggers fire, so
   the search really searches 2,000 rows. Then the staff's work (bulk.judging_workload):
   of the open cycle's 2,000 submitted nominations, 1,000 move to a cycle in judging
   (consent accepted, in judging) with a scoring panel chaired by "Bench Chair", with
   "Bench Judge" as a member, both assigned all 1,000 and having reviewed 300; the other
   1,000 stay submitted, the moderation queue of "Bench Admin". The three staff accounts
   are made through the accounts service with an authenticator app (TOTP) enrolled:
   production requires two-factor sign-in on staff pages.
2. Serves the app with gunicorn (`wsgi:app`, AWARDS_CONFIG=production: a random
   SECRET_KEY, DATABASE_URL as above, TRUSTED_HOSTS=127.0.0.1, MAIL_BACKEND=store
   (nothing is sent; no job consumer runs anyway), no Redis and no CACHE_TYPE, so the page
   cache is production's default without Redis -- FileSystemCache in the instance folder,
   shared by the workers -- or with BENCH_REDIS_URL Redis (REDIS_URL: the cache, the job
   queue and the limiter's storage; the cache's keys of earlier runs are deleted first)),
   and, separately, a Flask hello-world, both with the same settings (GUNICORN_SETTINGS:
   two sync workers). Rate limits are off (RATELIMIT_ENABLED=0): the run sends hundreds of
   POSTs from one address, and without Redis production refuses to count them in each
   worker.
3. Checks every public page shows what it should (and is cached or not, as assumed).
4. Counts the SQL statements each page runs and times it (bench/database.py): in this
   process, with the Flask test client on the same database, a SQLAlchemy
   before_cursor_execute counter, the page asked once first and then 5 times; public pages
   with the session cookie of the uncached runs, each time as the first request after a
   change (a new cache generation first: the view and its queries run), staff pages (after
   step 6) with the staff's real session cookie.
5. Runs `wrk` (bench/wrk.py) in rounds over the pages, each page between two runs against
   hello-world (hello, page 1, hello, page 2, ..., hello; a short warm-up before each page
   in the first round), comparing the page with the mean of the two hello-world runs around
   it; the table shows the medians over the rounds. Three ways:
   - cached: a visitor without a session; repeats are served from the page cache;
   - uncached: every request carries `Cookie: session=x`, which awards/public/cache.py treats
     as personal: the page cache is passed by, and each page is made from the shared page
     (the view ran once, at the first request; step 4 times that first request);
   - signed-in: the staff pages with the staff member's session cookie (never cached).
   The hello-world gets the same header.
6. Right after the public-page runs (thousands of requests; no staff page has been asked
   yet), reads VmRSS of each gunicorn worker (the master's children,
   /proc/<pid>/task/<pid>/children; bench/servers.py) and reports the largest, and
   hello-world's the same way. Then signs the staff in over HTTP as a browser would
   (bench/browser.py: the sign-in form with its CSRF token, then the second step with the
   app's current TOTP code), checks each staff page shows the 1,000-nomination workload,
   and runs the signed-in rounds of step 5.
7. A nomination's final submit (bench/submit.py): 16 clients, each a visitor with its own
   session and CSRF token, walk 200 nominations (12 or 13 each) through the journey over
   HTTP (start, six steps, the check page); then all send theirs at once, and the final
   POST is timed. Afterwards the database says which are stored as sent: "lost" counts the
   submits that answered success but are not; "errors" the answers other than the redirect
   to the confirmation page, and exceptions.
8. Prints a table (bench/report.py): requests/s and p99 of the page and of hello-world,
   their ratios (with the lowest and highest round), statements, errors (non-2xx/3xx
   answers, connect/write errors and timeouts) and whether the goal is met; then the
   submit and the memory; and writes bench/results/latest.json (the schema is in
   bench/report.py). Every process it started is stopped at the end, on an error and on
   Ctrl-C.

Needs `wrk` (Debian: `apt-get install -y wrk`). Options: `--rounds` (default 3) and
`--duration` (seconds each wrk run measures, default 2): about 5 minutes in all on two
cores; `--quick` (1 round of 1 s, 48 submits: a smoke run of about 2 minutes);
`--only cached,uncached,signed-in,submit` (any of them; "anonymous" is "cached");
`--submits`, `--clients`, `--connections`, `--threads`, `--warmup`, `--output` (another
JSON file), `--keep` (keep the /tmp folder).
"""
import argparse
import os
import secrets
import shlex
import shutil
import signal
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import database, report  # noqa: E402
from bench.browser import Browser, http_transport, sign_in  # noqa: E402
from bench.servers import (  # noqa: E402
    GUNICORN_SETTINGS,
    HELLO_APP,
    Servers,
    workers_rss_mb,
)
from bench.submit import run_submits  # noqa: E402
from bench.submit import summarise as summarise_submits  # noqa: E402
from bench.wrk import bracket, measure  # noqa: E402

MODES = ("cached", "uncached", "signed-in", "submit")
# Signed-in pages take hundreds of ms each (the chair's overview over a second): with 16
# connections on two workers a request would wait longer than a run lasts, so they (and the
# hello-world runs around them) use fewer connections, still enough to keep both workers
# busy, and their runs last at least SLOW_DURATION seconds.
SLOW_DURATION = 5
RESULTS = ROOT / "bench" / "results" / "latest.json"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=2,
                        help="seconds each wrk run measures (default 2)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds over the pages; the table shows medians (default 3)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--staff-connections", type=int, default=4,
                        help="wrk connections for the signed-in pages (default 4)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per run")
    parser.add_argument("--only", default=None,
                        help="comma-separated parts to run: cached (or anonymous), uncached, "
                             "signed-in, submit (default: all)")
    parser.add_argument("--submits", type=int, default=200,
                        help="final submits in all (default 200)")
    parser.add_argument("--clients", type=int, default=16,
                        help="concurrent clients sending nominations (default 16)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 1 round of 1 s, 1 s warm-up, 48 submits")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help=f"where the JSON goes (default {RESULTS.relative_to(ROOT)})")
    parser.add_argument("--keep", action="store_true", help="keep the /tmp folder")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.duration, args.warmup = 1, 1, 1
        args.submits = min(args.submits, 48)
    parts = [p.strip() for p in (args.only or ",".join(MODES)).split(",") if p.strip()]
    parts = ["cached" if p == "anonymous" else p for p in parts]
    unknown = set(parts) - set(MODES)
    if unknown:
        parser.error(f"--only: unknown {', '.join(sorted(unknown))} (choose from "
                     f"{', '.join(MODES)})")
    args.parts = parts
    return args


def _raise_interrupt(_signum, _frame):
    raise KeyboardInterrupt


def environment(instance):
    """The app's environment (production config) for gunicorn and for this process; the
    database (SQLite here, or BENCH_DATABASE_URL) and the cache (BENCH_REDIS_URL)."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"REDIS_URL", "CACHE_TYPE", "SERVER_NAME", "AWARDS_CONFIG",
                          "DATABASE_URL", "WEB_CONCURRENCY"}}
    database_url = os.environ.get("BENCH_DATABASE_URL")
    if database_url:
        database.postgresql_url(database_url)
    env.update({
        "AWARDS_CONFIG": "production",
        "SECRET_KEY": secrets.token_hex(32),
        # production refuses the default
        "DATABASE_URL": database_url or f"sqlite:///{instance}/bench.sqlite3",
        "INSTANCE_PATH": str(instance),
        "TRUSTED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_URL": "https://127.0.0.1",
        "PROXY_FIX_HOPS": "0",  # wrk talks to gunicorn directly
        # Rate limits off: the bench sends hundreds of POSTs from one address (sign-ins,
        # nominations), and without Redis production refuses to count them in each worker.
        "RATELIMIT_ENABLED": "0",
        "MAIL_BACKEND": "store",  # mail is queued in the outbox; nothing is sent
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    if os.environ.get("BENCH_REDIS_URL"):
        # The page cache (and the job queue and limiter storage) in Redis, as in production.
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    return env


def clear_redis_cache(url):
    """Empty the page cache's keys of a previous run (only those: awards-cache:*)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match="awards-cache:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read().decode("utf-8",
                                                                                 "replace")


def check_public_pages(base, pages, expected):
    """Every page answers 200 with what it should show, from the cache (an ETag) for an
    anonymous visitor and from the view (no ETag) with the session cookie."""
    for name, path in pages:
        for cookie in (None, "session=x"):
            status, headers, body = fetch(base + path, {"Cookie": cookie} if cookie else None)
            if status != 200 or expected[name] not in body:
                raise RuntimeError(f"{path} ({cookie or 'anonymous'}): {status}, "
                                   f"{expected[name]!r} not in the page")
            has_etag = any(key.lower() == "etag" for key in headers)
            if has_etag != (cookie is None):
                raise RuntimeError(f"{path}: ETag {'missing' if cookie is None else 'sent'} "
                                   f"({cookie or 'anonymous'}): is the page cache as assumed?")


def public_pages(data):
    benched = data["benched"]
    pages = [
        ("home", "/"),
        ("hall of fame", "/hall-of-fame"),
        ("hall of fame p.50", "/hall-of-fame?page=50"),
        ("search", f"/hall-of-fame?q={database.SEARCH_WORD}"),
        ("winner page", f"/winners/{benched['key']}/{benched['slug']}"),
        ("feed", "/feeds/winners.atom"),
    ]
    expected = {
        "home": 'class="award-card__title"',
        "hall of fame": f'role="status">{data["counts"]["public_award"]} awards · page 1 ',
        "hall of fame p.50": " · page 50 of ",
        "search": f'role="status">{data["searched"]} awards',
        "winner page": f"<h1>{benched['display_name']}</h1>",
        "feed": "<entry",
    }
    return pages, expected


def signed_in_pages(base, data):
    """Sign the staff in over HTTP (form, CSRF token, TOTP code) and check each page shows
    the workload; returns [(name, path, cookie header)]."""
    panel_id = data["work"]["panel_id"]
    judged, reviewed = database.JUDGED, database.REVIEWED
    newest = f"B{data['target']['cycle_id']}{database.NOMINATIONS:07d}"  # first in the queue
    plan = [  # name, who, path, what the page must show
        ("judge dashboard", "judge", f"/panel/{panel_id}",
         f"{reviewed} of {judged} reviewed"),
        ("chair overview", "chair", f"/panel/{panel_id}/chair", f"{reviewed} of {judged}"),
        ("moderation queue", "admin", "/admin/nominations", newest),
    ]
    pages = []
    for name, who, path, marker in plan:
        person = data["staff"][who]
        browser = Browser(http_transport(base))
        text = sign_in(browser, person["email"], person["password"], person["totp"], path)
        if marker not in text:
            raise RuntimeError(f"{name} ({path}): {marker!r} not in the page")
        pages.append((name, path, browser.cookie_header))
    return pages


def run_pages(results, mode, pages, header_of, args, app_base, hello_base, hello_runs,
              duration=None, connections=None):
    """`args.rounds` rounds of hello, page 1, hello, page 2, ..., hello: each page between
    two hello-world runs, with the same header (the page's cookie) and `connections`
    (default args.connections); the pages' runs last `duration` seconds (default
    args.duration)."""
    for number in range(args.rounds):
        header = header_of(pages[0])
        previous = measure(hello_base, "/", args, header, warm=number == 0,
                           connections=connections)
        hello_runs.append(previous)
        for page_entry in pages:
            name, path = page_entry[0], page_entry[1]
            header = header_of(page_entry)
            page = measure(app_base, path, args, header, warm=number == 0,
                           duration=duration, connections=connections)
            following = measure(hello_base, "/", args, header, warm=False,
                                connections=connections)
            hello_runs.append(following)
            hello = bracket(previous, following)
            previous = following
            result = results.setdefault((mode, name), {"mode": mode, "name": name,
                                                       "path": path, "rounds": []})
            result["rounds"].append((page, hello))
            print(f"  {mode:9} round {number + 1}  {name:17}  {page['rps']:6.1f} req/s "
                  f" p99 {report.fmt_ms(page['p99']):>9}   (hello-world {hello['rps']:.0f} "
                  f"req/s, p99 {report.fmt_ms(hello['p99'])})", flush=True)


def command_line():
    words = ["python", *sys.argv]
    prefix = []
    if os.environ.get("BENCH_DATABASE_URL"):
        from sqlalchemy.engine import make_url
        url = make_url(os.environ["BENCH_DATABASE_URL"]).render_as_string(hide_password=True)
        prefix.append(f"BENCH_DATABASE_URL={url}")
    if os.environ.get("BENCH_REDIS_URL"):
        prefix.append(f"BENCH_REDIS_URL={os.environ['BENCH_REDIS_URL']}")
    return shlex.join(prefix + words)


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install -y wrk).")
    signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="bigcitizens-bench-", dir="/tmp"))
    servers = Servers()
    status = 0
    try:
        instance = workdir / "instance"
        env = environment(instance)
        os.environ.update(env)
        for key in ("REDIS_URL", "CACHE_TYPE", "SERVER_NAME", "WEB_CONCURRENCY"):
            if key not in env:
                os.environ.pop(key, None)
        if env.get("REDIS_URL"):
            clear_redis_cache(env["REDIS_URL"])
        if os.environ.get("BENCH_DATABASE_URL"):
            database.empty_postgresql(env["DATABASE_URL"])

        where = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else str(instance)
        print(f"Building the database ({where}) ...", flush=True)
        t0 = time.monotonic()
        data = database.build(ROOT)
        print(f"  {data['counts']} in {time.monotonic() - t0:.1f}s; "
              f"'{database.SEARCH_WORD}' is in {data['searched']} citations; "
              f"{data['work']['judged']} nominations being judged by panel "
              f"{data['work']['panel_id']}, {data['queued']} waiting for moderation",
              flush=True)

        (workdir / "hello.py").write_text(HELLO_APP)
        app_base, app_process = servers.start("app", "wsgi:app", ROOT, env,
                                              workdir / "app.log")
        hello_base, hello_process = servers.start("hello", "hello:app", workdir, env,
                                                  workdir / "hello.log")
        servers.wait_ready(app_base, app_process, workdir / "app.log")
        servers.wait_ready(hello_base, hello_process, workdir / "hello.log")

        pages, expected = public_pages(data)
        check_public_pages(app_base, pages, expected)
        print(f"Serving the app at {app_base} and hello-world at {hello_base}: gunicorn "
              f"{' '.join(GUNICORN_SETTINGS)}; wrk -t{args.threads} -c{args.connections} "
              f"-d{args.duration}s --latency, {args.rounds} rounds (after {args.warmup}s of "
              f"warm-up); {os.cpu_count()} CPUs; database: {data['dialect']}; page cache: "
              f"{data['cache']}", flush=True)

        measured = database.count_queries([(name, path, "session=x") for name, path in pages],
                                          after_change=True)
        queries = {name: count for name, (count, _ms) in measured.items()}
        first_ms = {name: ms for name, (_count, ms) in measured.items()}
        print("  first request after a change (in-process, median of 5): "
              + ", ".join(f"{name} {ms:.1f} ms" for name, ms in first_ms.items()), flush=True)

        results, hello_runs, rss = {}, [], None
        public_modes = [m for m in ("cached", "uncached") if m in args.parts]
        headers = {"cached": None, "uncached": "Cookie: session=x"}
        for mode in public_modes:
            run_pages(results, mode, pages, lambda _page, h=headers[mode]: h, args, app_base,
                      hello_base, hello_runs)
        if public_modes:
            served = sum(page["requests"] for r in results.values() for page, _ in r["rounds"])
            rss = {"app": workers_rss_mb(app_process.pid),
                   "hello": workers_rss_mb(hello_process.pid), "requests": served}
            print(f"  worker RSS after {served} requests over the public pages: app "
                  f"{rss['app']:.1f} MB, hello-world {rss['hello']:.1f} MB", flush=True)
        # Only now, so that the workers' memory above is the public pages' alone.
        staff_pages = signed_in_pages(app_base, data)
        queries.update({name: count for name, (count, _ms)
                        in database.count_queries(staff_pages).items()})
        print("  SQL statements per page (uncached): "
              + ", ".join(f"{name} {count}" for name, count in queries.items()), flush=True)
        if "signed-in" in args.parts:
            run_pages(results, "signed-in", staff_pages, lambda page: f"Cookie: {page[2]}",
                      args, app_base, hello_base, hello_runs,
                      duration=max(args.duration, SLOW_DURATION),
                      connections=args.staff_connections)
        submit = None
        if "submit" in args.parts:
            print(f"  submit: {args.clients} clients walking {args.submits} nominations ...",
                  flush=True)
            run = run_submits(app_base, data["target"], total=args.submits,
                              clients=args.clients)
            stored = database.stored_as_sent([ref for ref, _ok, _ms in run["answers"]])
            submit = {**summarise_submits(run, stored), "clients": args.clients}
            for message in (run["walk_errors"] + run["errors"])[:5]:
                print(f"    {message}", flush=True)
        document = report.build(
            database=data["dialect"], command=command_line(), results=list(results.values()),
            hello_runs=hello_runs, queries=queries, first_ms=first_ms, submit=submit,
            rss=rss, signed_in={name for name, _path, _cookie in staff_pages})
        print()
        print(report.table(document, args.rounds))
        path = report.write(document, args.output)
        print(f"\nWrote {path}.")
        if any(m["errors"] for e in document["pages"].values()
               for m in (e.get("cached"), e.get("uncached")) if m):
            status = 1
            print("Some pages answered with errors; see the app log:",
                  (workdir / "app.log").read_text(errors="replace")[-2000:])
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        status = 130
    except Exception as error:  # report and clean up; the traceback helps on a setup error
        import traceback
        traceback.print_exc()
        print(f"bench failed: {error}", file=sys.stderr)
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C cannot skip cleanup
        servers.stop()
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"Took {time.monotonic() - started:.0f}s.")
    sys.exit(status)


if __name__ == "__main__":
    main()
