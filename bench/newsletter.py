"""`make bench-newsletter`: the newsletter's workers against plain smtplib, in the same run.

Against a real SMTP server (aiosmtpd, tests/newsletter/smtp_sink.py) in a process of its own,
on loopback, with a throwaway SQLite database under /tmp (removed at the end):

1. 10,000 recipients: one worker (`flask newsletter work --once`, a process of its own)
   against plain smtplib sending the same number of pre-built copies of the same issue over
   one connection. Goal: the worker reaches at least 0.8x the plain sender's messages/s.
2. The same with two worker processes against two plain senders in parallel (0.8x).
3. Peak worker RSS sending to 100,000 recipients, within 10% of that for 10,000 (the worker
   never loads the audience). Measured with MAIL_BACKEND=store, so that 100,000 copies take
   minutes rather than an hour of SMTP: everything but the socket (claims, building each
   copy, recording each outcome) runs.
4. Snapshotting 50,000 recipients (start_sending's INSERT ... SELECT) takes less time than
   sending 1,000 copies (at step 1's rate).

Rates are taken from the server's clock: (messages - 1) / (last accepted - first accepted),
so process start-up is not counted for either side. This is a report, not a test: it exits
0 whether or not a goal is met. `--recipients` and `--rss-recipients` scale it down;
`--database-url` runs it on PostgreSQL (on SQLite, two workers wait for each other's write
lock once per message, so only PostgreSQL shows what a second worker adds).
"""
import argparse
import multiprocessing
import os
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from awards import factories  # noqa: E402
from awards.extensions import db  # noqa: E402
from awards.newsletter.delivery.message import IssueMessage  # noqa: E402
from awards.newsletter.models import Delivery, NewsletterIssue  # noqa: E402
from tests.newsletter.delivery_support import (  # noqa: E402
    SENDER,
    create_app,
    issue_ready,
    start,
)
from tests.newsletter.smtp_sink import SmtpSink  # noqa: E402

# The peak from /proc (VmHWM): getrusage's ru_maxrss survives exec, so a worker started from
# this process (which made 100,000 subscribers) would report this process's size.
RSS_SCRIPT = """
import re, runpy, sys
sys.argv = ["flask", "--app", "tests.newsletter.delivery_support", "newsletter", "work",
            "--once"]
try:
    runpy.run_module("flask", run_name="__main__")
finally:
    status = open("/proc/self/status").read()
    print("PEAK_RSS_KB", re.search(r"VmHWM:\\s+(\\d+)", status).group(1), flush=True)
"""


DATABASE_URL = None  # --database-url: PostgreSQL instead of a throwaway SQLite file


def environment(folder, database, port, backend="smtp"):
    """What the worker processes (and this one's app) are configured with."""
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(AWARDS_CONFIG="testing", DATABASE_URL=DATABASE_URL or f"sqlite:///{database}",
               INSTANCE_PATH=str(folder), MAIL_BACKEND=backend, MAIL_SERVER="127.0.0.1",
               MAIL_PORT=str(port), MAIL_SECURITY="none", MAIL_DEFAULT_SENDER=SENDER,
               PUBLIC_URL="https://awards.example.org", NEWSLETTER_BATCH_SIZE="200",
               PYTHONPATH=str(ROOT))
    return env


def prepare(folder, database, recipients, port):
    """A fresh database with `recipients` subscribers and an issue; return (app, issue id)."""
    database.unlink(missing_ok=True)
    os.environ.update(environment(folder, database, port))
    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        factories.subscribers(recipients)
        issue_id = issue_ready("Bench news").id
        db.session.commit()
    return app, issue_id


def snapshot(app, issue_id):
    """Start the send (the audience snapshot); return the seconds it took."""
    with app.app_context():
        issue = db.session.get(NewsletterIssue, issue_id)
        began = time.perf_counter()
        start(issue)
        took = time.perf_counter() - began
        db.session.remove()
    return took


def prebuilt(app, issue_id):
    """(address, bytes) for every delivery row: the copies the plain sender sends."""
    with app.app_context():
        issue = db.session.get(NewsletterIssue, issue_id)
        message = IssueMessage(issue, app.config)
        copies = [(row.address, message.build(row.id, row.address, row.token).as_bytes())
                  for row in db.session.scalars(
                      db.select(Delivery).where(Delivery.issue_id == issue_id))]
        db.session.remove()
    return copies


def plain_sender(port, copies):
    """What the worker is compared with: smtplib, one connection, messages ready."""
    connection = smtplib.SMTP("127.0.0.1", port)
    for address, content in copies:
        connection.sendmail("news@bigcitizens.example", [address], content)
    connection.quit()


def plain(port, copies, senders):
    chunks = [copies[n::senders] for n in range(senders)]
    processes = [multiprocessing.Process(target=plain_sender, args=(port, chunk))
                 for chunk in chunks]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


def workers(env, count, *, rss=False):
    """Run `count` worker processes until nothing is due; return their peak RSS (kB)."""
    command = ([sys.executable, "-c", RSS_SCRIPT] if rss else
               [sys.executable, "-m", "flask", "--app", "tests.newsletter.delivery_support",
                "newsletter", "work", "--once"])
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
                 for _ in range(count)]
    peaks = []
    for process in processes:
        output, _ = process.communicate()
        if process.returncode:
            raise RuntimeError(f"a worker failed:\n{output}")
        peaks += [int(line.split()[1]) for line in output.splitlines()
                  if line.startswith("PEAK_RSS_KB")]
    return max(peaks) if peaks else None


def compare(folder, sink, recipients, senders):
    """Worker(s) vs plain sender(s) on the same issue and server; (worker, plain) msg/s."""
    database = folder / "bench.sqlite3"
    app, issue_id = prepare(folder, database, recipients, sink.port)
    snapshot(app, issue_id)
    copies = prebuilt(app, issue_id)
    sink.clear()
    plain(sink.port, copies, senders)
    plain_rate = sink.rate()
    sink.clear()
    workers(environment(folder, database, sink.port), senders)
    worker_rate = sink.rate()
    assert sink.total() == recipients, f"{sink.total()} of {recipients} received"
    sink.clear()
    return worker_rate, plain_rate


def peak_rss(folder, recipients):
    database = folder / f"rss-{recipients}.sqlite3"
    app, issue_id = prepare(folder, database, recipients, 25)
    snapshot(app, issue_id)
    return workers(environment(folder, database, 25, backend="store"), 1, rss=True)


def snapshot_time(folder, recipients):
    database = folder / f"snapshot-{recipients}.sqlite3"
    app, issue_id = prepare(folder, database, recipients, 25)
    return snapshot(app, issue_id)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rss-recipients", type=int, default=100_000)
    parser.add_argument("--snapshot-recipients", type=int, default=50_000)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (its tables are "
                        "dropped and made again); default: SQLite files under /tmp")
    options = parser.parse_args()
    global DATABASE_URL
    DATABASE_URL = options.database_url
    folder = Path(tempfile.mkdtemp(prefix="bench-newsletter-"))
    rows = []
    try:
        with SmtpSink(folder) as sink:
            worker, baseline = compare(folder, sink, options.recipients, 1)
            rows.append((f"1 worker vs 1 smtplib, {options.recipients:,} msgs",
                         f"{worker:.0f} msg/s", f"{baseline:.0f} msg/s", worker / baseline,
                         "≥ 0.80"))
            worker, baseline = compare(folder, sink, options.recipients, 2)
            rows.append((f"2 workers vs 2 smtplib, {options.recipients:,} msgs",
                         f"{worker:.0f} msg/s", f"{baseline:.0f} msg/s", worker / baseline,
                         "≥ 0.80"))
            one_rate = rows[0][1]
        small = peak_rss(folder, options.recipients)
        large = peak_rss(folder, options.rss_recipients)
        rows.append((f"peak worker RSS, {options.rss_recipients:,} vs {options.recipients:,}",
                     f"{large / 1024:.1f} MB", f"{small / 1024:.1f} MB", large / small,
                     "≤ 1.10"))
        took = snapshot_time(folder, options.snapshot_recipients)
        per_thousand = 1000 / float(one_rate.split()[0])
        rows.append((f"snapshot {options.snapshot_recipients:,} vs sending 1,000",
                     f"{took:.2f} s", f"{per_thousand:.2f} s", took / per_thousand, "< 1.00"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print()
    print(f"{'measure':<46} {'newsletter':>12} {'baseline':>12} {'ratio':>7} {'goal':>7}  met")
    for name, ours, theirs, ratio, goal in rows:
        limit = float(goal.split()[1])
        met = ratio >= limit if goal.startswith("≥") else (
            ratio <= limit if goal.startswith("≤") else ratio < limit)
        print(f"{name:<46} {ours:>12} {theirs:>12} {ratio:>7.2f} {goal:>7}  "
              f"{'yes' if met else 'NO'}")


if __name__ == "__main__":
    main()
