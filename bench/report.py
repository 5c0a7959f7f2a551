"""The bench's report: the table printed at the end, and bench/results/latest.json.

The JSON (docs/development.md, "Performance goals"):

    {"machine": "<cpu model, cores, RAM, kernel, python>", "database": "sqlite"|"postgresql",
     "command": "...", "date": "<ISO 8601, UTC>",
     "hello": {"rps", "p50_ms", "p99_ms"},
     "pages": {"<name>": {"cached": {"rps", "p99_ms", "ratio_to_hello", "p99_ratio"},
                          "uncached": {...}, "queries": N, "first_after_change_ms": ms}},
     "submit": {"p95_ms", "lost", "errors"},
     "worker_rss_mb": ...}

Signed-in pages have only "uncached" and "queries" (they are never cached). Extra keys:
"goals", a "met" per measurement, "p50_ms" and "range" (the lowest and highest round's
req/s ratio) per mode, "hello_worker_rss_mb", the submit's "submits", "p50_ms", "stored"
and "clients". A figure that was not measured (--only) is null."""
import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.wrk import summarise

# (req/s ratio at least, p99 ratio at most or None) per mode.
GOALS = {"cached": (0.9, 1.5), "uncached": (0.2, 5.0), "signed-in": (0.1, None)}
RSS_GOAL_MB = 60
PUBLIC_QUERIES_GOAL = 6  # docs/development.md: at most 6 per public page


def machine():
    """CPU model, cores, RAM, kernel and Python, in one line."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "? GB RAM"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB RAM"
    except OSError:
        pass
    return (f"{model}, {os.cpu_count()} cores, {ram}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def _r(value, digits=2):
    return None if value is None else round(value, digits)


def page_mode(result):
    """A page's rounds in one mode → its JSON entry (with `met`)."""
    m = summarise(result["rounds"])
    rps_goal, p99_goal = GOALS[result["mode"]]
    met = (m["rps_ratio"] >= rps_goal and not m["page_errors"] and (
        p99_goal is None or (m["p99_ratio"] is not None and m["p99_ratio"] <= p99_goal)))
    return {"rps": _r(m["page_rps"], 1), "p50_ms": _r(m["page_p50"]),
            "p99_ms": _r(m["page_p99"]), "ratio_to_hello": _r(m["rps_ratio"], 3),
            "p99_ratio": _r(m["p99_ratio"], 3),
            "range": [_r(m["rps_range"][0], 3), _r(m["rps_range"][1], 3)],
            "hello_rps": _r(m["hello_rps"], 1), "hello_p99_ms": _r(m["hello_p99"]),
            "errors": m["page_errors"], "hello_errors": m["errors"] - m["page_errors"],
            "requests": m["requests"], "rounds": len(result["rounds"]), "met": met}


def _median(values):
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def build(*, database, command, results, hello_runs, queries, submit, rss, first_ms=None,
          signed_in=(), date=None):
    """The JSON document from the measurements: `results` [{"mode", "name", "rounds":
    [(page, hello)]}], `hello_runs` every hello-world run ({"rps", "p50", "p99"}),
    `queries` {page name: count}, `first_ms` {public page name: ms of the first request
    after a change, in-process}, `signed_in` the staff pages' names, `submit` (bench.submit.summarise's, or None), `rss`
    {"app": MB, "hello": MB, "requests": N} (or None)."""
    pages = {}
    for result in results:
        entry = pages.setdefault(result["name"], {})
        key = "uncached" if result["mode"] == "signed-in" else result["mode"]
        entry[key] = page_mode(result)
        entry["signed_in"] = result["mode"] == "signed-in"
    for name, count in queries.items():
        pages.setdefault(name, {"signed_in": name in signed_in})["queries"] = count
    for name, ms in (first_ms or {}).items():
        pages.setdefault(name, {"signed_in": False})["first_after_change_ms"] = _r(ms)
    for name, entry in pages.items():
        entry.setdefault("queries", None)
        entry.setdefault("uncached", None)
        if not entry["signed_in"]:
            entry.setdefault("cached", None)
            if entry["queries"] is not None:
                entry["queries_met"] = entry["queries"] <= PUBLIC_QUERIES_GOAL
    submit_entry = None
    if submit is not None:
        submit_entry = {"p95_ms": _r(submit["p95_ms"]), "lost": submit["lost"],
                        "errors": submit["errors"], "p50_ms": _r(submit["p50_ms"]),
                        "submits": submit["submits"], "stored": submit["stored"],
                        "clients": submit.get("clients"),
                        "met": submit["lost"] == 0 and submit["errors"] == 0}
    rss = rss or {}
    return {
        "machine": machine(),
        "database": database,
        "command": command,
        "date": (date or datetime.now(UTC)).isoformat(timespec="seconds"),
        "hello": {"rps": _r(_median([h["rps"] for h in hello_runs]), 1),
                  "p50_ms": _r(_median([h["p50"] for h in hello_runs])),
                  "p99_ms": _r(_median([h["p99"] for h in hello_runs]))},
        "pages": pages,
        "submit": submit_entry,
        "worker_rss_mb": _r(rss.get("app"), 1),
        "hello_worker_rss_mb": _r(rss.get("hello"), 1),
        "worker_rss_after_requests": rss.get("requests"),
        "worker_rss_met": None if rss.get("app") is None else rss["app"] <= RSS_GOAL_MB,
        "goals": {
            "cached": {"ratio_to_hello_min": GOALS["cached"][0],
                       "p99_ratio_max": GOALS["cached"][1]},
            "uncached": {"ratio_to_hello_min": GOALS["uncached"][0],
                         "p99_ratio_max": GOALS["uncached"][1]},
            "signed_in": {"ratio_to_hello_min": GOALS["signed-in"][0]},
            "submit": {"lost": 0, "errors": 0},
            "worker_rss_mb_max": RSS_GOAL_MB,
            "public_queries_max": PUBLIC_QUERIES_GOAL,
        },
    }


def write(document, path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


def fmt_ms(value):
    if value is None:
        return "-"
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def _rate(value):
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _ratio(value):
    return f"{value:.2f}" if value >= 0.1 else f"{value:.3f}"


def _met(flag):
    return "-" if flag is None else ("met" if flag else "NOT MET")


def table(document, rounds):
    """The printed report, from the JSON document: one line per page and mode, then the
    submit and the workers' memory."""
    columns = ["mode", "page", "page req/s", "hello req/s", "ratio", "(range)", "page p99",
               "hello p99", "p99 ratio", "queries", "answered", "errors", "goal"]
    rows = []
    for mode in ("cached", "uncached", "signed-in"):
        key = "uncached" if mode == "signed-in" else mode
        for name, entry in document["pages"].items():
            m = entry.get(key)
            if m is None or entry["signed_in"] != (mode == "signed-in"):
                continue
            low, high = m["range"]
            rows.append([mode, name, _rate(m["rps"]), _rate(m["hello_rps"]),
                         f"{_ratio(m['ratio_to_hello'])}x", f"{_ratio(low)}-{_ratio(high)}",
                         fmt_ms(m["p99_ms"]), fmt_ms(m["hello_p99_ms"]),
                         "-" if m["p99_ratio"] is None else f"{m['p99_ratio']:.1f}x",
                         "-" if entry["queries"] is None else str(entry["queries"]),
                         str(m["requests"]),
                         str(m["errors"] + m["hello_errors"]), _met(m["met"])])
    lines = []
    for mode, (rps_goal, p99_goal) in GOALS.items():
        lines.append(f"Goal, {mode}: page req/s >= {rps_goal}x hello-world's"
                     + (f" and page p99 <= {p99_goal}x hello-world's." if p99_goal else "."))
    lines.append(f"Medians of {rounds} rounds; in each, the page is compared with the mean of "
                 "the hello-world runs just before")
    lines.append("and just after it. (range): the lowest and highest req/s ratio of the rounds. "
                 "queries: SQL statements")
    lines.append("the page runs uncached (in-process, test client, same database). answered: "
                 "the page's requests answered in")
    lines.append("the measured runs (a slow page gets few).")
    if rows:
        widths = [max(len(str(x)) for x in column) for column in zip(columns, *rows)]

        def line(cells):
            return "  ".join(str(c).rjust(w) if 2 <= i <= 11 else str(c).ljust(w)
                             for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

        lines += [line(columns), line(["-" * w for w in widths])] + [line(r) for r in rows]
    hello = document["hello"]
    if hello["rps"] is not None:
        lines.append(f"hello-world over the run: {hello['rps']:.0f} req/s, p50 "
                     f"{fmt_ms(hello['p50_ms'])}, p99 {fmt_ms(hello['p99_ms'])}.")
    public = {n: e["queries"] for n, e in document["pages"].items()
              if not e["signed_in"] and e["queries"] is not None}
    if public:
        over = [n for n, q in public.items() if q > PUBLIC_QUERIES_GOAL]
        lines.append(f"queries, public pages <= {PUBLIC_QUERIES_GOAL}: "
                     + (f"NOT MET for {', '.join(over)}." if over else "met."))
    first = {n: e["first_after_change_ms"] for n, e in document["pages"].items()
             if e.get("first_after_change_ms") is not None}
    if first:
        lines.append("first request after a change (the view and its queries run; in-process, "
                     "median of 5): " + ", ".join(f"{n} {fmt_ms(ms)}" for n, ms in first.items())
                     + ".")
    submit = document["submit"]
    if submit is not None:
        lines.append(f"submit, {submit['submits']} final submits by {submit['clients']} "
                     f"concurrent clients: p95 {fmt_ms(submit['p95_ms'])} (p50 "
                     f"{fmt_ms(submit['p50_ms'])}), lost {submit['lost']}, errors "
                     f"{submit['errors']}, stored {submit['stored']}; goal 0 lost, 0 errors: "
                     f"{_met(submit['met'])}.")
    if document["worker_rss_mb"] is not None:
        lines.append(f"worker RSS after {document['worker_rss_after_requests']} requests over "
                     f"the public pages: {document['worker_rss_mb']:.1f} MB (largest of the "
                     f"app's workers; hello-world's {document['hello_worker_rss_mb']:.1f} MB); "
                     f"goal <= {RSS_GOAL_MB} MB: {_met(document['worker_rss_met'])}.")
    return "\n".join(lines)
