"""gunicorn's settings for `gunicorn wsgi:app`, read from the directory it starts in.

Workers: WEB_CONCURRENCY (gunicorn's own default), else 1. Without REDIS_URL, rate limits are
counted in each worker process, so production with them on refuses to start more than one
worker, however the number was given (the app itself checks WEB_CONCURRENCY=1; this catches
`--workers 4`). Access log lines show the e-mailed links' tokens as "…" (awards/core/access_log.py).

The app is built once, in the master (`preload_app`), and the workers forked from it share its
pages (issue 15: a worker's memory). A new release therefore needs a restart, not a HUP. Before
the fork nothing has connected to the database, Redis or the job queue; each worker still
drops any pooled connection it inherited (`post_fork`), as SQLAlchemy advises for forks.
"""
import gc
import os

preload_app = True


def _off(value):
    return (value or "").strip().lower() in {"0", "false", "no", "off"}


def _is_ours(app):
    """Whether the master built this project's app (make bench serves a hello-world with these
    settings too, which must not load or touch the project's libraries)."""
    return app is not None and "sqlalchemy" in getattr(app, "extensions", {})


def on_starting(server):
    """Refuse several workers counting rate limits each on their own."""
    production = os.environ.get("AWARDS_CONFIG") == "production"
    limited = not _off(os.environ.get("RATELIMIT_ENABLED"))
    if production and limited and not os.environ.get("REDIS_URL") and server.cfg.workers > 1:
        raise SystemExit(f"{server.cfg.workers} workers without REDIS_URL: each would keep its "
                         "own rate-limit counts. Set REDIS_URL, or run one worker.")


def when_ready(server):
    """In the master, before the workers fork: do what every worker's first requests would
    (configure the SQLAlchemy mappers, compile the public pages' templates, read Babel's
    data for dates in the default language), then freeze the objects so the collector of a
    worker never writes to (and so copies) the pages they share."""
    app = server.app.callable
    if _is_ours(app):
        from datetime import UTC, datetime

        from sqlalchemy.orm import configure_mappers

        from awards.core.dates import format_day, format_moment

        configure_mappers()
        for name in _public_templates(app.jinja_env):  # compiled once, for every worker
            app.jinja_env.get_template(name)
        with app.test_request_context():  # about 4 MB, read on the first page with a date
            format_moment(datetime.now(UTC))
            format_day(datetime.now(UTC).date())
    gc.freeze()


# The pages anyone may see, which every worker serves. Only their templates are compiled in
# the master: whatever the master holds is in each worker's resident memory (2.5 MB for the
# other 150 templates, measured), and a template a worker renders is copied into its own
# memory anyway (running its code writes to its objects' reference counts). The staff's
# templates are compiled in a worker the first time it needs each.
# The personal parts of every page are asked for by name, not imported by a template.
PUBLIC_TEMPLATES = ("public/", "core/", "errors/", "newsletter/archive/",
                    "_macros/personal.html")


def _public_templates(env):
    """The public pages' templates and every template they extend, include or import."""
    from jinja2 import meta

    names = [name for name in env.list_templates() if name.startswith(PUBLIC_TEMPLATES)]
    found = set()
    while names:
        name = names.pop()
        if name not in found:
            found.add(name)
            source = env.loader.get_source(env, name)[0]
            names += [ref for ref in meta.find_referenced_templates(env.parse(source)) if ref]
    return sorted(found)


def post_fork(server, worker):
    """Connections are not shared across a fork: forget (not close) any the master made."""
    app = server.app.callable  # the app the master built
    if not _is_ours(app):
        return
    from awards.extensions import db

    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
