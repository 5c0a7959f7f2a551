"""Runs `wrk` and reads its report: requests/s, p50 and p99 (from --latency's
distribution) and errors; waits for the server's queue between runs; a page's run compared
with the hello-world runs around it. BENCH_DEBUG=1 prints every wrk report."""
import os
import re
import subprocess
import threading
import time
import urllib.request
from statistics import median

SETTLE = 0.3  # seconds at least between a run and the next
TIMEOUT = 10  # wrk's --timeout: a request not answered by then is an error
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS[match.group(2)]


def parse(out):
    """wrk --latency's report → {"rps", "p50", "p99", "errors", "requests"} (ms; p50 and
    p99 None when no request was answered within the run)."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1))
    requests = int(re.search(r"(\d+) requests in ", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), "
                              r"timeout (\d+)", out)
    if socket_errors:
        # A sync worker closes each connection after answering; wrk may count the close of a
        # connection it was about to reuse as a read error, so only connect/write/timeout
        # count here.
        connect, _read, write, timeout = map(int, socket_errors.groups())
        errors += connect + write + timeout
    if not requests:
        p50 = p99 = None
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": requests}


def wrk(url, args, duration, header=None, connections=None):
    command = ["wrk", f"-t{args.threads}", f"-c{connections or args.connections}",
               f"-d{duration}s", "--latency", "--timeout", f"{TIMEOUT}s"]
    if header:
        command += ["-H", header]
    result = subprocess.run(command + [url], capture_output=True, text=True, check=True)
    parsed = parse(result.stdout)
    if os.environ.get("BENCH_DEBUG"):
        print(" ".join(command), url, "\n", result.stdout, flush=True)
    return {**parsed, "raw": result.stdout}


def drain(base, workers=2, timeout=60):
    """Wait until the server at `base` has answered the requests still queued when wrk
    stopped (they would eat into the next run): `workers` requests sent at once to its "/"
    are answered only once every worker has taken up everything queued before them. At
    least SETTLE seconds."""
    started = time.monotonic()

    def probe():
        try:
            with urllib.request.urlopen(base + "/", timeout=timeout) as response:
                response.read()
        except OSError:
            pass

    threads = [threading.Thread(target=probe) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(max(0.0, SETTLE - (time.monotonic() - started)))


def measure(base, path, args, header, warm=True, duration=None, connections=None):
    """A run of `duration` (default `args.duration`) seconds with `connections` (default
    `args.connections`), after `args.warmup` seconds of warm-up if `warm` (and the
    warm-up's queue answered); the run's own queue is answered before this returns."""
    if warm and args.warmup:
        wrk(base + path, args, args.warmup, header, connections)
        drain(base)
    run = wrk(base + path, args, duration or args.duration, header, connections)
    drain(base)
    return run


def bracket(before, after):
    """Hello-world as measured just before and just after a page: the mean of the two (the
    machine's speed drifts; a page is compared with the reference around it)."""
    mean = {key: (before[key] + after[key]) / 2 if before[key] is not None
            and after[key] is not None else before[key] or after[key]
            for key in ("rps", "p50", "p99")}
    mean["errors"] = before["errors"] + after["errors"]
    return mean


def summarise(rounds):
    """A page's rounds [(page, hello)] → medians of the figures and of the per-round ratios
    (latencies over the rounds in which some request was answered; None if none was)."""
    rps_ratios = [page["rps"] / hello["rps"] for page, hello in rounds]
    answered = [(page, hello) for page, hello in rounds if page["p99"] is not None]
    p99_ratios = [page["p99"] / hello["p99"] for page, hello in answered]
    return {
        "page_rps": median(page["rps"] for page, _ in rounds),
        "hello_rps": median(hello["rps"] for _, hello in rounds),
        "page_p50": _median(page["p50"] for page, _ in answered),
        "page_p99": _median(page["p99"] for page, _ in answered),
        "hello_p50": median(hello["p50"] for _, hello in rounds),
        "hello_p99": median(hello["p99"] for _, hello in rounds),
        "requests": sum(page["requests"] for page, _ in rounds),
        "rps_ratio": median(rps_ratios), "rps_range": (min(rps_ratios), max(rps_ratios)),
        "p99_ratio": _median(p99_ratios),
        "page_errors": sum(page["errors"] for page, _ in rounds),
        "errors": sum(page["errors"] + hello["errors"] for page, hello in rounds),
    }


def _median(values):
    values = list(values)
    return median(values) if values else None
