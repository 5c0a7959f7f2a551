"""Configuration from the environment, production refusals, and `flask demo load`."""
import pytest
from sqlalchemy import func, select

from awards.accounts.enums import Role
from awards.accounts.models import User
from awards.accounts.passwords import verify_password
from awards.admin.demo import DEMO_ACCOUNTS
from awards.extensions import db
from awards.nominations.models import Nomination
from config import Config, DevelopmentConfig, ProductionConfig, normalise_database_url
from config import TestingConfig as _TestingConfig  # (a "Test" name pytest would try to collect)

GOOD_SECRET = "x" * 32


@pytest.fixture
def clean_env(monkeypatch):
    """No deployment settings leak in from the machine running the tests."""
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MAIL_BACKEND", "HUEY_IMMEDIATE",
                 "SCHEME_NAME", "MAIL_PORT", "INSTANCE_PATH", "CACHE_TYPE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_config_reads_environment_at_instantiation(clean_env):
    before = _TestingConfig()
    clean_env.setenv("SCHEME_NAME", "Hilltop Awards")
    clean_env.setenv("MAIL_PORT", "2525")

    after = _TestingConfig()

    assert (before.SCHEME_NAME, before.MAIL_PORT) == ("Riverside Big Citizen Awards", 25)
    assert (after.SCHEME_NAME, after.MAIL_PORT) == ("Hilltop Awards", 2525)
    assert not hasattr(Config, "SCHEME_NAME")  # nothing is read when the class is defined


@pytest.mark.parametrize("url", [
    "postgres://u:p@db.example:5432/awards", "postgresql://u:p@db.example:5432/awards",
])
def test_database_url_postgres_uses_psycopg3(clean_env, url):
    clean_env.setenv("DATABASE_URL", url)
    assert ProductionConfig().SQLALCHEMY_DATABASE_URI == (
        "postgresql+psycopg://u:p@db.example:5432/awards")
    assert normalise_database_url(url) == "postgresql+psycopg://u:p@db.example:5432/awards"


def test_database_url_other_schemes_are_kept(clean_env):
    assert normalise_database_url("sqlite:////tmp/a.sqlite3") == "sqlite:////tmp/a.sqlite3"
    url = "postgresql+psycopg://u@h/awards"
    assert normalise_database_url(url) == url


@pytest.mark.parametrize("secret", [None, "short-secret", "x" * 31])
def test_production_check_refuses_missing_or_short_secret(clean_env, secret):
    clean_env.setenv("DATABASE_URL", "postgresql://u@h/awards")
    if secret:
        clean_env.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set to at least 32 bytes"):
        ProductionConfig().check()


def test_production_check_refuses_missing_database_url(clean_env):
    clean_env.setenv("SECRET_KEY", GOOD_SECRET)
    with pytest.raises(RuntimeError, match="DATABASE_URL must be set"):
        ProductionConfig().check()


def test_production_check_accepts_good_settings(clean_env):
    clean_env.setenv("SECRET_KEY", GOOD_SECRET)
    clean_env.setenv("DATABASE_URL", "postgres://u@h/awards")
    config = ProductionConfig()
    assert config.check() is None
    assert (config.SESSION_COOKIE_SECURE, config.HSTS, config.DEV_TOOLS) == (True, True, False)
    assert config.MAIL_BACKEND == "smtp"


def test_production_shares_its_page_cache_between_processes(clean_env):
    clean_env.setenv("SECRET_KEY", GOOD_SECRET)
    clean_env.setenv("DATABASE_URL", "postgres://u@h/awards")
    assert ProductionConfig().CACHE_TYPE == "FileSystemCache"
    clean_env.setenv("REDIS_URL", "redis://cache:6379/0")
    assert ProductionConfig().CACHE_TYPE == "RedisCache"
    clean_env.setenv("CACHE_TYPE", "SimpleCache")
    with pytest.raises(RuntimeError, match="SimpleCache lives in one process"):
        ProductionConfig().check()


def test_development_defaults(clean_env):
    config = DevelopmentConfig()
    assert config.MAIL_BACKEND == "store"
    assert config.DEV_TOOLS is True
    assert config.HUEY_IMMEDIATE is True
    assert config.SECRET_KEY  # a development key, so `make run` needs no setup
    assert config.SQLALCHEMY_DATABASE_URI.startswith("sqlite:///")
    assert Config().HUEY_IMMEDIATE is False  # elsewhere jobs go to a real queue


def test_demo_load_is_idempotent_and_prints_logins(app):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])

    assert first.exit_code == 0, first.output
    assert first.output.startswith(
        "Demo data ready (8 new: admin@riverside.example, panel@riverside.example, "
        "chair@riverside.example, helper@riverside.example, resident@riverside.example, "
        "big-citizen-awards-demo, big-citizen-awards-past-demo, "
        "riverside-neighbour-awards-demo).")
    assert second.exit_code == 0, second.output
    assert second.output.startswith("Demo data ready (0 new: nothing).")
    # Every state once (10), the published cycle (9) and the cycle in judging (8).
    assert db.session.scalar(select(func.count(Nomination.id))) == 27
    users = db.session.scalars(select(User).order_by(User.id)).all()
    assert len(users) == 7  # the five demo logins and two panel members invited by e-mail
    roles = {user.email: [r.role for r in user.roles] for user in users}
    assert roles == {
        "admin@riverside.example": [Role.ADMIN], "panel@riverside.example": [Role.PANEL_MEMBER],
        "chair@riverside.example": [Role.PANEL_MEMBER],
        "helper@riverside.example": [Role.HELPER], "resident@riverside.example": [],
        "nadia.okafor@riverside.example": [Role.PANEL_MEMBER],
        "tom.whitfield@riverside.example": [Role.PANEL_MEMBER],
    }
    # Invited members have no verified address until they use their link.
    users = [user for user in users if user.email in {e for _, e, _, _ in DEMO_ACCOUNTS}]
    assert all(user.is_verified for user in users)
    for _name, email, password, _roles in DEMO_ACCOUNTS:
        assert email in second.output and password in second.output
        user = next(u for u in users if u.email == email)
        assert verify_password(user.password_hash, password)


@pytest.mark.no_app_context  # else the CLI would run in the session app's context
def test_demo_load_refuses_in_production(build_app, clean_env, tmp_path):
    clean_env.setenv("SECRET_KEY", GOOD_SECRET)
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/production.sqlite3")
    clean_env.setenv("INSTANCE_PATH", str(tmp_path))
    production = build_app("production")
    result = production.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "Demo data is not loaded in production." in result.output
    with production.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
