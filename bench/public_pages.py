"""`make bench`: the public pages under load, against a Flask hello-world served the same way.

The goals (docs/development.md, "Performance goals"): with 2,000 winners and 20,000
nominations, every public page (home, hall of fame first and deep page, a search, a winner
page, the winners' feed) served from the page cache reaches at least 0.9x the requests/s of a
Flask hello-world under the same gunicorn settings, with a p99 at most 1.5x the hello-world's;
uncached (a visitor with a session) at least 0.2x, p99 at most 5x. Both are measured in
the same run, one right after the other, so that the ratios hold on a shared, noisy machine; the
absolute figures mean little. This is a report, not a test: it exits 0 whether or not the
goal is met (1 only when it could not measure: setup failed or a page answered with an error).

What it does, all on loopback and in a throwaway folder under /tmp (removed at the end):

1. Builds a SQLite database with the migrations (`flask db upgrade`, run in this process) and
   fills it with bulk INSERTs: four published cycles (2022-2025) and the open 2026-27 cycle,
   six categories each, 24 areas, 20,000 nominations, 18,000 panel decisions; 2,000 of the
   nominations (500 a published cycle) have accepted consent, a winner or highly commended
   decision and their PublicAward row -- the only table the public pages read -- (half with a
   photo row), plus approved thank-you messages. The full-text index's triggers fire for these
   INSERTs, so the search really searches 2,000 rows.
2. Serves the app with gunicorn (`wsgi:app`, AWARDS_CONFIG=production: a random SECRET_KEY,
   DATABASE_URL at that file, TRUSTED_HOSTS=127.0.0.1, no Redis and no CACHE_TYPE, so the page
   cache is production's default without Redis -- FileSystemCache in the instance folder,
   shared by the workers; the run prints the one in use -- and rate limits, which apply to
   POSTs only, off: without Redis production refuses to count them in each worker)
   and, separately, a Flask hello-world, both with the same settings (GUNICORN_SETTINGS).
3. Runs `wrk` in rounds over the pages, each page between two runs against hello-world
   (hello, page 1, hello, page 2, ..., hello; a short warm-up before each page in the first
   round), comparing the page with the mean of the two hello-world runs around it; the table
   shows the medians over the rounds, so a burst of load from something else on the machine
   spoils one round rather than the result. In two ways:
   - anonymous: a visitor without a session; repeats are served from the page cache;
   - uncached: every request carries `Cookie: session=x`, which awards/public/cache.py treats
     as personal, so every request runs the view and its queries (the real query cost, and
     what a signed-in visitor gets). The hello-world gets the same header.
4. Prints a table: requests/s and p99 of the page and of hello-world, their ratios (with the
   lowest and highest round), errors (non-2xx/3xx answers, connect/write errors and timeouts)
   and whether the goal is met. Every process it started is stopped at the end, on an error
   and on Ctrl-C.

Needs `wrk` (Debian: `apt-get install -y wrk`). Options: `--rounds` (default 3) and
`--duration` (seconds each wrk run measures, default 2): 78 runs, about 3 minutes in all;
`--connections`, `--threads`, `--warmup`, `--only anonymous|uncached`, `--keep` (keep the
/tmp folder).
"""
import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The same for the app and for hello-world: two sync worker processes, one thread each.
GUNICORN_SETTINGS = ["--workers", "2", "--threads", "1", "--worker-class", "sync",
                     "--log-level", "warning", "--graceful-timeout", "5"]
NOMINATIONS = 20_000
PUBLISHED_YEARS = (2022, 2023, 2024, 2025)
AWARDS_PER_CYCLE = 500  # 2,000 public awards in all
NOMINATIONS_PER_PUBLISHED_CYCLE = 4_500  # the other 2,000 are in the open cycle
SEARCH_WORD = "garden"  # in about one citation in eight (awards.factories.bulk.DEEDS)
THANKS_ON_BENCHED_WINNER = 30
SETTLE = 0.3  # seconds between a page's run and the next hello-world run
# (req/s ratio at least, p99 ratio at most) per mode.
GOALS = {"anonymous": (0.9, 1.5), "uncached": (0.2, 5.0)}

HELLO_APP = '''"""A Flask hello-world: the reference the public pages are measured against."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
'''

def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=2,
                        help="seconds each wrk run measures (default 2)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds over the pages; the table shows medians (default 3)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per run")
    parser.add_argument("--only", choices=["anonymous", "uncached"])
    parser.add_argument("--keep", action="store_true", help="keep the /tmp folder")
    return parser.parse_args()


# --- The database ---------------------------------------------------------------------------

def build_database(workdir):
    """Migrate and bulk-fill the benchmark database (awards.factories.bulk.public_record);
    returns what the page list needs."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from awards import create_app
    from awards.extensions import db
    from awards.factories.bulk import public_record
    from awards.nominations.models import Consent, Nomination
    from awards.panels.models import Decision
    from awards.public.models import PublicAward, ThankYou

    app = create_app("production")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        benched = public_record(nominations=NOMINATIONS, years=PUBLISHED_YEARS,
                                per_published_cycle=NOMINATIONS_PER_PUBLISHED_CYCLE,
                                awards_per_cycle=AWARDS_PER_CYCLE,
                                featured_thanks=THANKS_ON_BENCHED_WINNER)
        session = db.session
        counts = {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                  for model in (Nomination, Decision, Consent, PublicAward, ThankYou)}
        searched = session.scalar(select(func.count()).select_from(PublicAward).where(
            PublicAward.citation.like(f"%{SEARCH_WORD}%")))
        session.close()
        db.engine.dispose()
        cache_type = app.config["CACHE_TYPE"]
    assert counts["nomination"] == NOMINATIONS, counts
    assert counts["public_award"] == AWARDS_PER_CYCLE * len(PUBLISHED_YEARS), counts
    return {"counts": counts, "searched": searched, "benched": benched, "cache": cache_type}


# --- Processes ------------------------------------------------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Servers:
    """The gunicorn masters this run started; `stop()` ends them (and so their workers)."""

    def __init__(self):
        self.processes = []

    def start(self, name, app, chdir, env, logfile):
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", *GUNICORN_SETTINGS,
                   "--bind", f"127.0.0.1:{port}", "--chdir", str(chdir), app]
        log = open(logfile, "wb")
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # Ctrl-C reaches us, not them
        self.processes.append((name, process, log))
        return f"http://127.0.0.1:{port}", process

    def wait_ready(self, base, process, logfile, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}):\n"
                                   + Path(logfile).read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        raise RuntimeError(f"{base} did not answer within {timeout}s")

    def stop(self):
        for _name, process, _log in self.processes:
            if process.poll() is None:
                process.terminate()  # gunicorn's master stops its workers on SIGTERM
        for _name, process, log in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # its own session: only its workers
                process.wait()
            log.close()
        self.processes = []


def _raise_interrupt(_signum, _frame):
    raise KeyboardInterrupt


# --- Measuring ------------------------------------------------------------------------------

def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read().decode("utf-8",
                                                                                 "replace")


def check_pages(base, pages, expected):
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


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS[match.group(2)]


def wrk(url, args, duration, header=None):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s",
               "--latency", "--timeout", "10s"]
    if header:
        command += ["-H", header]
    result = subprocess.run(command + [url], capture_output=True, text=True, check=True)
    out = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", out)
    if socket_errors:
        # A sync worker closes each connection after answering; wrk may count the close of a
        # connection it was about to reuse as a read error, so only connect/write/timeout
        # count here.
        connect, _read, write, timeout = map(int, socket_errors.groups())
        errors += connect + write + timeout
    return {"rps": rps, "p99": p99, "errors": errors, "raw": out}


def measure(url, args, header, warm=True):
    if warm and args.warmup:
        wrk(url, args, args.warmup, header)
    return wrk(url, args, args.duration, header)


def bracket(before, after):
    """Hello-world as measured just before and just after a page: the mean of the two (the
    machine's speed drifts; a page is compared with the reference around it)."""
    mean = {key: (before[key] + after[key]) / 2 for key in ("rps", "p99")}
    mean["errors"] = before["errors"] + after["errors"]
    return mean


def summarise(rounds):
    """A page's rounds (page, hello) → medians of the figures and of the per-round ratios."""
    rps_ratios = [page["rps"] / hello["rps"] for page, hello in rounds]
    p99_ratios = [page["p99"] / hello["p99"] for page, hello in rounds]
    return {
        "page_rps": median(page["rps"] for page, _ in rounds),
        "hello_rps": median(hello["rps"] for _, hello in rounds),
        "page_p99": median(page["p99"] for page, _ in rounds),
        "hello_p99": median(hello["p99"] for _, hello in rounds),
        "rps_ratio": median(rps_ratios), "rps_range": (min(rps_ratios), max(rps_ratios)),
        "p99_ratio": median(p99_ratios),
        "page_errors": sum(page["errors"] for page, _ in rounds),
        "errors": sum(page["errors"] + hello["errors"] for page, hello in rounds),
    }


def fmt_ms(value):
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def print_table(results, rounds):
    columns = ["mode", "page", "page req/s", "hello req/s", "ratio", "(range)", "page p99",
               "hello p99", "p99 ratio", "errors", "goal"]
    rows = []
    for r in results:
        m = r["summary"] = summarise(r["rounds"])
        rps_goal, p99_goal = GOALS[r["mode"]]
        r["met"] = (m["rps_ratio"] >= rps_goal and m["p99_ratio"] <= p99_goal
                    and not m["page_errors"])
        low, high = m["rps_range"]
        rows.append([r["mode"], r["name"], f"{m['page_rps']:.0f}", f"{m['hello_rps']:.0f}",
                     f"{m['rps_ratio']:.2f}x", f"{low:.2f}-{high:.2f}", fmt_ms(m["page_p99"]),
                     fmt_ms(m["hello_p99"]), f"{m['p99_ratio']:.1f}x", str(m["errors"]),
                     "met" if r["met"] else "NOT MET"])
    widths = [max(len(str(x)) for x in column) for column in zip(columns, *rows)]

    def line(cells):
        return "  ".join(str(c).rjust(w) if 2 <= i <= 9 else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    print()
    for mode, (rps_goal, p99_goal) in GOALS.items():
        print(f"Goal, {mode}: page req/s >= {rps_goal}x hello-world's and page p99 <= "
              f"{p99_goal}x hello-world's.")
    print(f"Medians of {rounds} rounds; in each, the page is compared with the mean of the "
          "hello-world runs just before")
    print("and just after it. (range): the lowest and highest req/s ratio of the rounds.")
    print(line(columns))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))
    print()
    for mode in dict.fromkeys(r["mode"] for r in results):
        failed = [r["name"] for r in results if r["mode"] == mode and not r["met"]]
        print(f"{mode}: " + ("goal met for every page." if not failed
                              else f"goal NOT met for {', '.join(failed)}."))


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
        env = {key: value for key, value in os.environ.items()
               if key not in {"REDIS_URL", "CACHE_TYPE", "SERVER_NAME", "AWARDS_CONFIG"}}
        env.update({
            "AWARDS_CONFIG": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": f"sqlite:///{instance}/bench.sqlite3",  # production refuses the default
            "INSTANCE_PATH": str(instance),
            "TRUSTED_HOSTS": "127.0.0.1,localhost",
            "PUBLIC_URL": "https://127.0.0.1",
            "PROXY_FIX_HOPS": "0",  # wrk talks to gunicorn directly
            # Rate limits apply to POSTs only; without Redis production refuses to count them
            # in each of several workers.
            "RATELIMIT_ENABLED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        os.environ.update(env)
        for key in ("REDIS_URL", "CACHE_TYPE", "SERVER_NAME"):
            os.environ.pop(key, None)

        print(f"Building the database in {instance} ...", flush=True)
        t0 = time.monotonic()
        data = build_database(workdir)
        benched = data["benched"]
        print(f"  {data['counts']} in {time.monotonic() - t0:.1f}s; "
              f"'{SEARCH_WORD}' is in {data['searched']} citations", flush=True)

        (workdir / "hello.py").write_text(HELLO_APP)
        app_base, app_process = servers.start("app", "wsgi:app", ROOT, env,
                                              workdir / "app.log")
        hello_base, hello_process = servers.start("hello", "hello:app", workdir, env,
                                                  workdir / "hello.log")
        servers.wait_ready(app_base, app_process, workdir / "app.log")
        servers.wait_ready(hello_base, hello_process, workdir / "hello.log")

        pages = [
            ("home", "/"),
            ("hall of fame", "/hall-of-fame"),
            ("hall of fame p.50", "/hall-of-fame?page=50"),
            ("search", f"/hall-of-fame?q={SEARCH_WORD}"),
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
        check_pages(app_base, pages, expected)
        print(f"Serving the app at {app_base} and hello-world at {hello_base}: gunicorn "
              f"{' '.join(GUNICORN_SETTINGS)}; wrk -t{args.threads} -c{args.connections} "
              f"-d{args.duration}s --latency, {args.rounds} rounds (after {args.warmup}s of "
              f"warm-up); {os.cpu_count()} CPUs; page cache: {data['cache']}", flush=True)

        modes = [("anonymous", None), ("uncached", "Cookie: session=x")]
        if args.only:
            modes = [m for m in modes if m[0] == args.only]
        results = {(mode, name): {"mode": mode, "name": name, "path": path, "rounds": []}
                   for mode, _ in modes for name, path in pages}
        for mode, header in modes:
            for number in range(args.rounds):
                # hello, page 1, hello, page 2, ... hello: each page between two references.
                previous = measure(hello_base + "/", args, header, warm=number == 0)
                for name, path in pages:
                    page = measure(app_base + path, args, header, warm=number == 0)
                    time.sleep(SETTLE)  # requests left queued when wrk stopped are answered
                    following = measure(hello_base + "/", args, header, warm=False)
                    hello = bracket(previous, following)
                    previous = following
                    results[mode, name]["rounds"].append((page, hello))
                    print(f"  {mode:9} round {number + 1}  {name:17}  {page['rps']:6.0f} req/s "
                          f" p99 {fmt_ms(page['p99']):>9}   (hello-world {hello['rps']:.0f} "
                          f"req/s, p99 {fmt_ms(hello['p99'])})", flush=True)
        results = list(results.values())
        print_table(results, args.rounds)
        if any(r["summary"]["page_errors"] for r in results):
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
