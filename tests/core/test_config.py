"""Configuration from the environment, production refusals, and `flask demo load`."""
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from awards.accounts.enums import Role
from awards.accounts.models import User
from awards.accounts.passwords import verify_password
from awards.admin.demo import DEMO_ACCOUNTS
from awards.extensions import db
from awards.nominations.models import Nomination
from config import (
    DEVELOPMENT_SECRET_KEY,
    TESTING_SECRET_KEY,
    Config,
    DevelopmentConfig,
    ProductionConfig,
    normalise_database_url,
)
from config import TestingConfig as _TestingConfig  # (a "Test" name pytest would try to collect)

GOOD_SECRET = "x" * 32
# Everything production requires, each one taken away in turn by the refusal tests.
PRODUCTION_ENV = {
    "SECRET_KEY": GOOD_SECRET, "DATABASE_URL": "postgres://u@h/awards",
    "PUBLIC_URL": "https://awards.example.org", "TRUSTED_HOSTS": "awards.example.org",
    "PROXY_FIX_HOPS": "1", "REDIS_URL": "redis://cache:6379/0",
}


@pytest.fixture
def clean_env(monkeypatch):
    """No deployment settings leak in from the machine running the tests."""
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MAIL_BACKEND", "HUEY_IMMEDIATE",
                 "SCHEME_NAME", "MAIL_PORT", "INSTANCE_PATH", "CACHE_TYPE", "PUBLIC_URL",
                 "BASE_URL", "TRUSTED_HOSTS", "PROXY_FIX_HOPS", "WEB_CONCURRENCY",
                 "RATELIMIT_ENABLED"):
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


def production_env(env, **changes):
    """Set every variable production needs, then `changes` (None removes one)."""
    for name, value in (PRODUCTION_ENV | changes).items():
        if value is None:
            env.delenv(name, raising=False)
        else:
            env.setenv(name, value)


@pytest.mark.parametrize("secret", [None, "short-secret", "x" * 31])
def test_production_check_refuses_missing_or_short_secret(clean_env, secret):
    production_env(clean_env, SECRET_KEY=secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set to at least 32 bytes"):
        ProductionConfig().check()


@pytest.mark.parametrize("secret", [DEVELOPMENT_SECRET_KEY, TESTING_SECRET_KEY])
def test_production_check_refuses_the_repository_keys(clean_env, secret):
    """The development and testing keys are public (they are in this repository): anyone
    could sign a session or a link with them."""
    assert len(secret.encode()) >= 32  # long enough: only the new rule stops them
    production_env(clean_env, SECRET_KEY=secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY is a key published in the repository"):
        ProductionConfig().check()


def test_production_check_refuses_missing_database_url(clean_env):
    production_env(clean_env, DATABASE_URL=None)
    with pytest.raises(RuntimeError, match="DATABASE_URL must be set"):
        ProductionConfig().check()


@pytest.mark.parametrize(("changes", "message"), [
    ({"PUBLIC_URL": None}, "PUBLIC_URL must be set"),
    ({"PUBLIC_URL": "awards.example.org"}, "PUBLIC_URL must be an https:// address"),
    ({"PUBLIC_URL": "http://awards.example.org"}, "PUBLIC_URL must be an https:// address"),
    ({"PUBLIC_URL": "https://awards.example.org/?next=x"}, "PUBLIC_URL must be an https://"),
    ({"PUBLIC_URL": "https://other.example.org"}, "PUBLIC_URL's host other.example.org is not"),
    ({"TRUSTED_HOSTS": None}, "TRUSTED_HOSTS must be set"),
    ({"PROXY_FIX_HOPS": None}, "PROXY_FIX_HOPS must be set"),
])
def test_production_check_refuses_missing_public_url_hosts_or_hops(clean_env, changes, message):
    """E-mailed links start with PUBLIC_URL, never the Host a request claims; requests for
    any other host are refused; how many proxies to believe is said, not assumed."""
    production_env(clean_env, **changes)
    with pytest.raises(RuntimeError, match=message):
        ProductionConfig().check()


@pytest.mark.parametrize(("changes", "refused"), [
    ({"REDIS_URL": None}, True),
    ({"REDIS_URL": None, "WEB_CONCURRENCY": "4"}, True),
    ({"REDIS_URL": None, "WEB_CONCURRENCY": "1"}, False),
    ({"REDIS_URL": None, "RATELIMIT_ENABLED": "0"}, False),
    ({}, False),
])
def test_production_rate_limits_need_a_store_every_worker_shares(clean_env, changes, refused):
    """`limits` has no file or database store: without Redis each gunicorn worker would
    count on its own (the first 429 at attempt 21 with 2 workers), so one worker only."""
    production_env(clean_env, **changes)
    config = ProductionConfig()
    if refused:
        with pytest.raises(RuntimeError, match="REDIS_URL .* WEB_CONCURRENCY=1"):
            config.check()
    else:
        assert config.check() is None


def test_production_check_accepts_good_settings(clean_env):
    production_env(clean_env)
    config = ProductionConfig()
    assert config.check() is None
    assert (config.SESSION_COOKIE_SECURE, config.HSTS, config.DEV_TOOLS) == (True, True, False)
    assert config.MAIL_BACKEND == "smtp"
    assert config.PUBLIC_URL == "https://awards.example.org"
    assert config.RATELIMIT_STORAGE_URI == "redis://cache:6379/0"
    clean_env.setenv("PROXY_FIX_HOPS", "0")  # no proxy: X-Forwarded-* is ignored
    assert ProductionConfig().check() is None
    assert ProductionConfig().PROXY_FIX == 0


def test_public_url_defaults_to_the_development_server(clean_env):
    """`make run PORT=8000` passes PUBLIC_URL for its port."""
    assert DevelopmentConfig().PUBLIC_URL == "http://127.0.0.1:5000"
    clean_env.setenv("PUBLIC_URL", "http://127.0.0.1:8000/")
    assert DevelopmentConfig().PUBLIC_URL == "http://127.0.0.1:8000"
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "PUBLIC_URL=$${PUBLIC_URL:-http://127.0.0.1:$(PORT)} $(BIN)/flask run" in makefile


def test_production_shares_its_page_cache_between_processes(clean_env):
    production_env(clean_env, REDIS_URL=None, WEB_CONCURRENCY="1")
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
        "Demo data ready (10 new: admin@riverside.example, panel@riverside.example, "
        "chair@riverside.example, helper@riverside.example, resident@riverside.example, "
        "secure.admin@riverside.example, big-citizen-awards-demo, big-citizen-awards-past-demo, "
        "riverside-neighbour-awards-demo, newsletter).")
    assert second.exit_code == 0, second.output
    assert second.output.startswith("Demo data ready (0 new: nothing).")
    # Every state once (10), the published cycle (9) and the cycle in judging (8).
    assert db.session.scalar(select(func.count(Nomination.id))) == 27
    users = db.session.scalars(select(User).order_by(User.id)).all()
    assert len(users) == 8  # the six demo logins and two panel members invited by e-mail
    roles = {user.email: [r.role for r in user.roles] for user in users}
    assert roles == {
        "admin@riverside.example": [Role.ADMIN], "panel@riverside.example": [Role.PANEL_MEMBER],
        "chair@riverside.example": [Role.PANEL_MEMBER],
        "helper@riverside.example": [Role.HELPER], "resident@riverside.example": [],
        "secure.admin@riverside.example": [Role.ADMIN],
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
    production_env(clean_env, DATABASE_URL=f"sqlite:///{tmp_path}/production.sqlite3",
                   REDIS_URL=None, WEB_CONCURRENCY="1")
    clean_env.setenv("INSTANCE_PATH", str(tmp_path))
    production = build_app("production")
    result = production.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "Demo data is not loaded in production." in result.output
    with production.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize(("env", "workers", "refused"), [
    ({"AWARDS_CONFIG": "production"}, 4, True),
    ({"AWARDS_CONFIG": "production"}, 1, False),
    ({"AWARDS_CONFIG": "production", "REDIS_URL": "redis://cache:6379/0"}, 4, False),
    ({"AWARDS_CONFIG": "production", "RATELIMIT_ENABLED": "0"}, 4, False),
    ({"AWARDS_CONFIG": "development"}, 4, False),
])
def test_gunicorn_refuses_several_workers_with_in_process_rate_limits(
        clean_env, env, workers, refused):
    """WEB_CONCURRENCY=1 satisfies the app's check; `gunicorn --workers 4` would not."""
    clean_env.delenv("AWARDS_CONFIG", raising=False)
    for name, value in env.items():
        clean_env.setenv(name, value)
    settings = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    server = SimpleNamespace(cfg=SimpleNamespace(workers=workers))
    if refused:
        with pytest.raises(SystemExit, match="4 workers without REDIS_URL"):
            settings["on_starting"](server)
    else:
        assert settings["on_starting"](server) is None
