"""A nomination's final submit under concurrent clients: each client is a visitor of its
own (session, CSRF token) walking nominations over real HTTP; the final POST is timed.

First every client walks its drafts to the check page (the steps are not timed), then all
the clients send theirs at once, `clients` in flight at any time, so the final submits
really run concurrently. Afterwards the database is asked which of the nominations are
stored as sent (not a draft): `lost` counts the submits that answered success but are not
stored so; `errors` the submits that answered anything but the redirect to the
confirmation page, or raised (a reset connection, a timeout)."""
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from bench.browser import Browser, final_submit, http_transport, walk_to_check


def percentile(values, fraction):
    """The nearest-rank percentile (0 < fraction <= 1) of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else None


def run_submits(base, target, *, total=200, clients=16, send=None):
    """`target`: {"slug", "category", "area_id"} of the open cycle; `send` a transport
    (default: HTTP to `base`). Returns {"answers": [(reference, ok, ms)], "errors":
    [message], "walk_errors": [message], "seconds"}."""
    send = send or http_transport(base)
    shares = [list(range(client, total, clients)) for client in range(clients)]
    lock = threading.Lock()
    prepared, answers, errors, walk_errors = {}, [], [], []
    barrier = threading.Barrier(clients)

    def client(numbers):
        mine = []
        for number in numbers:
            browser = Browser(send)
            try:
                mine.append((walk_to_check(browser, target["slug"], target["category"],
                                           target["area_id"], number), browser))
            except Exception as error:  # noqa: BLE001 (counted; the other clients go on)
                with lock:
                    walk_errors.append(f"walk {number}: {error!r}")
        barrier.wait(timeout=900)  # every draft is ready: the submits start together
        for reference, browser in mine:
            started = time.perf_counter()
            try:
                ok = final_submit(browser, reference)
                message = None
            except Exception as error:  # noqa: BLE001 (counted as an error)
                ok, message = False, f"{reference}: {error!r}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                answers.append((reference, ok, elapsed))
                if message:
                    errors.append(message)
        with lock:
            prepared.update(dict(mine))

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client, share) for share in shares]:
            future.result()
    return {"answers": answers, "errors": errors, "walk_errors": walk_errors,
            "seconds": time.monotonic() - started}


def summarise(run, stored):
    """The run's figures, given `stored`: the references the database holds as sent."""
    answers = run["answers"]
    succeeded = {reference for reference, ok, _ms in answers if ok}
    return {
        "submits": len(answers),
        "p50_ms": percentile([ms for _r, _ok, ms in answers], 0.50),
        "p95_ms": percentile([ms for _r, _ok, ms in answers], 0.95),
        "lost": len(succeeded - stored),
        "errors": len(run["errors"]) + len(run["walk_errors"]),
        "stored": len(stored),
        "seconds": run["seconds"],
    }
