"""`flask db upgrade` builds exactly the models' schema, downgrades cleanly; revisions are tidy."""
import ast
import contextlib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from awards import create_app
from awards.core.db import include_in_migrations
from awards.extensions import db
from config import normalise_database_url
from tests.conftest import make_config, require
from tests.services import (
    fresh_postgres_database,
    logging_preserved,
    postgres_url,
)

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

pytestmark = pytest.mark.no_app_context


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def migration_app(request, tmp_path, app):
    """An app on an empty database of its own (a fresh SQLite file, or a fresh PostgreSQL
    database on the DATABASE_URL server), inside its app context."""
    if request.param == "sqlite":
        database = contextlib.nullcontext(f"sqlite:///{tmp_path}/migrations.sqlite3")
    else:
        require(postgres_url(), "DATABASE_URL must point at PostgreSQL")
        database = fresh_postgres_database("awards_migrations")
    with database as url, logging_preserved():
        config = make_config(tmp_path, SQLALCHEMY_DATABASE_URI=normalise_database_url(url))
        application = create_app(config)
        with application.app_context():
            yield application
            db.session.remove()
            db.engine.dispose()


def flask_db(application, *args):
    """Run `flask db ...` exactly as a person would, and insist that it worked."""
    result = application.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"


def schema_differences():
    """What autogenerate would put in a new revision: [] when the database matches the models."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True,
                              "include_object": include_in_migrations}
        )
        return compare_metadata(context, db.metadata)


def current_revision():
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def app_tables():
    """The tables in the database, leaving out Alembic's bookkeeping table and the shadow
    tables of SQLite's full-text index (made with public_award, in the models too)."""
    return {name for name in inspect(db.engine).get_table_names()
            if name != "alembic_version" and not name.startswith("public_award_search")}


def head():
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_upgrade_builds_exactly_the_models_schema(migration_app):
    assert app_tables() == set()

    flask_db(migration_app, "upgrade")

    assert app_tables() == set(db.metadata.tables)
    assert schema_differences() == []
    assert current_revision() == head()


def test_downgrade_to_base_leaves_no_tables_and_upgrade_works_again(migration_app):
    flask_db(migration_app, "upgrade")

    flask_db(migration_app, "downgrade", "base")
    assert app_tables() == set()
    assert current_revision() is None

    flask_db(migration_app, "upgrade")
    assert app_tables() == set(db.metadata.tables)
    assert schema_differences() == []
    assert current_revision() == head()


def test_revisions_form_one_line_with_messages_and_real_downgrades():
    script = ScriptDirectory(str(MIGRATIONS))
    revisions = list(script.walk_revisions())

    assert revisions
    assert len(script.get_heads()) == 1  # two heads would make `flask db upgrade` refuse
    for revision in revisions:
        name = Path(revision.path).name
        assert revision.doc and revision.doc.strip(), f"{name} has no message"
        tree = ast.parse(Path(revision.path).read_text(encoding="utf-8"))
        downgrade = next(
            (node for node in tree.body
             if isinstance(node, ast.FunctionDef) and node.name == "downgrade"),
            None,
        )
        assert downgrade is not None, f"{name} has no downgrade()"
        statements = [
            node for node in downgrade.body
            if not isinstance(node, ast.Pass)
            and not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
        ]
        assert statements, f"{name}: downgrade() does nothing"
