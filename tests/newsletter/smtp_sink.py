"""A real SMTP server (aiosmtpd) in a process of its own, recording every accepted message.

Each accepted recipient is written to an SQLite file (committed before the server answers
250, so a count survives whatever happens to the sender) with, when asked, the message. It
can answer 4xx to some addresses, 5xx to others, and drop the connection (no answer at all)
the first time it sees some others. Used by the delivery tests and `make bench-newsletter`:

    with SmtpSink(tmp_path, temporary={"a@x"}, permanent={"b@x"}, drop={"c@x"}) as sink:
        ... MAIL_SERVER=127.0.0.1, MAIL_PORT=sink.port ...
        sink.counts()          # Counter: address -> messages accepted
        sink.messages("d@x")   # the parsed messages accepted for one address

Run directly: python -m tests.newsletter.smtp_sink --port 2525 --db received.sqlite3
"""
import argparse
import collections
import contextlib
import email
import email.policy
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """Start the server in a subprocess on a free port; stop it on leaving the block."""

    def __init__(self, folder, *, temporary=(), permanent=(), drop=(), keep=False):
        self.folder = Path(folder)
        self.db_path = self.folder / f"received-{os.getpid()}-{id(self)}.sqlite3"
        self.port = _free_port()
        self.args = [sys.executable, "-m", "tests.newsletter.smtp_sink", "--port",
                     str(self.port), "--db", str(self.db_path)]
        for flag, addresses in (("--temporary", temporary), ("--permanent", permanent),
                                ("--drop", drop)):
            for address in addresses:
                self.args += [flag, address]
        if keep:
            self.args.append("--keep")
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.args, cwd=ROOT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the SMTP sink exited at start")
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.port), timeout=1) as sock:
                if sock.recv(100).startswith(b"220"):
                    return self
            time.sleep(0.05)
        raise RuntimeError("the SMTP sink did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _rows(self, query, *args):
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=30)) as connection:
            with connection:  # commits (a DELETE)
                return connection.execute(query, args).fetchall()

    def counts(self):
        """address -> how many messages the server accepted for it."""
        return collections.Counter(dict(self._rows(
            "SELECT address, COUNT(*) FROM received GROUP BY address")))

    def total(self):
        """How many messages (recipients) the server accepted."""
        return self._rows("SELECT COUNT(*) FROM received")[0][0]

    def rate(self):
        """Messages accepted per second, from the first to the last (None if under two)."""
        count, first, last = self._rows("SELECT COUNT(*), MIN(at), MAX(at) FROM received")[0]
        return (count - 1) / (last - first) if count > 1 and last > first else None

    def clear(self):
        """Forget what was received (between two measurements)."""
        self._rows("DELETE FROM received")

    def messages(self, address):
        """The messages accepted for `address` (needs keep=True), oldest first."""
        return [email.message_from_bytes(content, policy=email.policy.default)
                for (content,) in self._rows(
                    "SELECT content FROM received WHERE address = ? ORDER BY id", address)]


class _Handler:
    def __init__(self, db_path, temporary, permanent, drop, keep):
        self.connection = sqlite3.connect(db_path, isolation_level=None,
                                          check_same_thread=False)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=OFF")
        self.connection.execute("CREATE TABLE IF NOT EXISTS received (id INTEGER PRIMARY KEY, "
                                "address TEXT, content BLOB, at REAL)")
        self.temporary, self.permanent, self.drop = temporary, permanent, set(drop)
        self.keep = keep
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.drop:
            self.drop.discard(address)  # the first time only
            server.transport.abort()  # gone without an answer, mid-batch
            return "250 OK"
        if address in self.temporary:
            return "451 4.3.0 Try again later"
        if address in self.permanent:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        content = envelope.content if self.keep else None
        now = time.time()
        with self.lock:
            self.connection.executemany(
                "INSERT INTO received (address, content, at) VALUES (?, ?, ?)",
                [(address, content, now) for address in envelope.rcpt_tos])
        return "250 Message accepted for delivery"


def main():
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--temporary", action="append", default=[])
    parser.add_argument("--permanent", action="append", default=[])
    parser.add_argument("--drop", action="append", default=[])
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    handler = _Handler(options.db, set(options.temporary), set(options.permanent),
                       options.drop, options.keep)
    controller = Controller(handler, hostname="127.0.0.1", port=options.port,
                            server_hostname="sink.test", data_size_limit=10_000_000)
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
