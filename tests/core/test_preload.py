"""gunicorn builds the app once, in the master, and forks the workers from it, so that they
share its pages (gunicorn.conf.py; issue 15: a worker's memory). tests/core/test_two_nodes.py
and test_concurrency.py serve the app with these settings from several workers."""
import gc
import runpy
from types import SimpleNamespace

import pytest

from awards.extensions import db
from tests.core.test_imports import run_worker_like
from tests.services import ROOT

SETTINGS = runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_the_app_is_built_in_the_master_before_the_workers_fork():
    assert SETTINGS["preload_app"] is True


def test_the_master_freezes_what_the_workers_share():
    server = SimpleNamespace(app=SimpleNamespace(callable=None))
    try:
        SETTINGS["when_ready"](server)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_forked_worker_forgets_the_masters_pooled_connections_without_closing_them(app):
    db.engine.dispose()  # the master's pool as create_app leaves it: empty
    # The master made a query before the fork: its connection waits in the pool.
    with db.engine.connect() as connection:
        masters = connection.connection.dbapi_connection
    assert db.engine.pool.checkedin() == 1

    SETTINGS["post_fork"](SimpleNamespace(app=SimpleNamespace(callable=app)), None)

    assert db.engine.pool.checkedin() == 0  # the worker opens its own
    with db.engine.connect() as connection:
        assert connection.connection.dbapi_connection is not masters
    cursor = masters.cursor()  # still open: closing it would close the master's too
    cursor.execute("SELECT 1")
    assert cursor.fetchone() == (1,)
    cursor.close()
    masters.close()


def test_another_app_served_with_these_settings_forks_as_usual():
    """make bench serves a Flask hello-world from the repository's folder, so with these
    settings too: its workers must start."""
    from flask import Flask

    SETTINGS["post_fork"](SimpleNamespace(app=SimpleNamespace(callable=Flask("hello"))), None)


def test_the_master_compiles_the_public_pages_templates_for_all_workers(app):
    """Only those: a template compiled in the master is in every worker's memory, and one a
    worker renders is copied into its own anyway (its code objects' reference counts)."""
    app.jinja_env.cache.clear()  # what earlier tests compiled
    try:
        SETTINGS["when_ready"](SimpleNamespace(app=SimpleNamespace(callable=app)))
    finally:
        gc.unfreeze()

    compiled = {name for _loader, name in app.jinja_env.cache.keys()}
    public = {"public/home.html", "public/hall_of_fame.html", "public/award.html",
              "core/atom.xml", "public/sitemap.xml", "core/privacy.html",
              "errors/error.html"}
    assert public <= compiled, public - compiled
    # and what they extend, include and import
    assert {"base.html", "public/_awards.html", "_macros/forms.html",
            "newsletter/_subscribe.html", "_macros/personal.html"} <= compiled
    assert not {name for name in compiled
                if name.startswith(("admin/", "panels/", "nominations/", "accounts/",
                                    "email/"))}


# In a fresh interpreter, as in gunicorn's master: the app built, then when_ready.
WHEN_READY = ("import runpy, gc, wsgi, babel.core, babel.localedata\n"
              "from types import SimpleNamespace\n"
              "settings = runpy.run_path('gunicorn.conf.py')\n"
              "print(sorted(babel.localedata._cache), babel.core._global_data is not None)\n"
              "settings['when_ready'](SimpleNamespace(app=SimpleNamespace(callable=wsgi.app)))\n"
              "print(sorted(babel.localedata._cache), babel.core._global_data is not None)\n")


@pytest.mark.no_app_context
def test_the_master_loads_the_default_languages_locale_data_for_all_workers(tmp_path):
    """Babel's data for dates in the default language (about 4 MB) is read on the first page
    that shows a date: in the master, once, rather than into each worker's own memory."""
    before, after = run_worker_like(WHEN_READY, tmp_path).splitlines()
    assert before == "[] False"  # building the app reads none of it
    assert after == "['en', 'root'] True"
