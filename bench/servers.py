"""The gunicorn masters a run starts (the app and hello-world, the same settings), their
workers' memory, and stopping them all (on an error and on Ctrl-C too)."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# The same for the app and for hello-world: two sync worker processes, one thread each.
GUNICORN_SETTINGS = ["--workers", "2", "--threads", "1", "--worker-class", "sync",
                     "--log-level", "warning", "--graceful-timeout", "5"]

HELLO_APP = '''"""A Flask hello-world: the reference the pages are measured against."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
'''


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid):
    """The processes `pid` started (a gunicorn master's workers), from /proc."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def rss_mb(pid):
    """A process's resident memory (VmRSS) in MB, from /proc; None once it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        return None
    return None


def workers_rss_mb(master_pid):
    """The largest VmRSS among a gunicorn master's workers, in MB (None without workers)."""
    sizes = [size for size in map(rss_mb, children(master_pid)) if size is not None]
    return max(sizes) if sizes else None


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
