"""gunicorn's settings for `gunicorn wsgi:app`, read from the directory it starts in.

Workers: WEB_CONCURRENCY (gunicorn's own default), else 1. Without REDIS_URL, rate limits are
counted in each worker process, so production with them on refuses to start more than one
worker, however the number was given (the app itself checks WEB_CONCURRENCY=1; this catches
`--workers 4`). Access log lines show the e-mailed links' tokens as "…" (awards/core/access_log.py).
"""
import os


def _off(value):
    return (value or "").strip().lower() in {"0", "false", "no", "off"}


def on_starting(server):
    """Refuse several workers counting rate limits each on their own."""
    production = os.environ.get("AWARDS_CONFIG") == "production"
    limited = not _off(os.environ.get("RATELIMIT_ENABLED"))
    if production and limited and not os.environ.get("REDIS_URL") and server.cfg.workers > 1:
        raise SystemExit(f"{server.cfg.workers} workers without REDIS_URL: each would keep its "
                         "own rate-limit counts. Set REDIS_URL, or run one worker.")
