"""Unbound extension objects; `create_app` binds them to an application.

Not here, because they keep per-app state on the extension object: the rate limiter
(`awards.core.security.init_rate_limits`) and Babel (its loaded catalogues), which
`create_app` makes for each app.
"""
import functools

from flask_caching import Cache
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from awards.core.db import Base


class Migrations:
    """Flask-Migrate's `init_app` (app.extensions["migrate"] and the `flask db` commands), with
    Flask-Migrate and Alembic imported only when a migration runs: with Mako, Pygments and
    every SQL dialect they are about 11 MB that no web worker needs (tests/core/test_imports.py).
    """

    def init_app(self, app, db, directory, **options):
        app.extensions["migrate"] = _MigrateConfig(db, directory, options)
        app.cli.add_command(_MigrateCommands(), name="db")


class _MigrateConfig:
    """What Flask-Migrate's own init_app keeps in app.extensions["migrate"] (read by its
    commands and migrations/env.py), its Migrate object made on first use."""

    def __init__(self, db, directory, options):
        self.db = db
        self.directory = str(directory)
        self.configure_args = {"compare_type": True, "render_as_batch": True, **options}

    @functools.cached_property
    def migrate(self):
        from flask_migrate import Migrate

        return Migrate(db=self.db, directory=self.directory, **self.configure_args)

    @property
    def metadata(self):
        return self.db.metadata


class _MigrateCommands:
    """`flask db`: Flask-Migrate's click group, imported when the command is looked up."""

    def __getattr__(self, name):
        from flask_migrate.cli import db as commands

        return getattr(commands, name)

db = SQLAlchemy(model_class=Base)
migrate = Migrations()
login_manager = LoginManager()
csrf = CSRFProtect()
cache = Cache()
