"""The factory is the one place the app is put together: two apps in one process, each with
its own hooks, job queue and limiter, and neither's hooks fire for the other."""
import pytest
from blinker import Namespace
from sqlalchemy.orm import Session

from awards import create_app
from awards.core.hooks import notify
from awards.core.jobs import job_queue
from awards.core.security import rate_limiter
from awards.extensions import db
from awards.nominations.models import Area
from awards.nominations.services.consent import consent_changed
from awards.public.cache import generation
from tests.conftest import STRONG_SECRET, make_config, wipe_database


@pytest.fixture
def other_app(app, tmp_path):
    """A second app in this process with another configuration: a SQLite file, a job queue
    and a page cache of its own (not Redis, even when the session app uses it), rate limits
    on."""
    config = make_config(
        tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/other.sqlite3",
        HUEY_IMMEDIATE=False, REDIS_URL=None, CACHE_TYPE="SimpleCache", RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://", RATELIMIT_SIGN_IN="1 per minute")
    application = create_app(config)
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        wipe_database()
        db.session.remove()
        db.engine.dispose()


def add_area(name):
    db.session.add(Area(name=name))
    db.session.commit()


def test_a_commit_runs_only_its_own_apps_session_hooks(app, other_app):
    ours = generation()
    with other_app.app_context():
        theirs = generation()
        add_area("Hillside")  # a change the public pages show, in the other app
        assert generation() != theirs  # its own cache hook ran
    assert generation() == ours  # ours did not

    add_area("Riverside")
    assert generation() != ours
    with other_app.app_context():
        assert job_queue(other_app).huey.pending_count() == 0  # our commit queued nothing there


def test_mail_queued_in_one_app_goes_to_that_apps_queue(app, other_app, outbox):
    from types import SimpleNamespace

    from awards.core.mail import queue_email

    with other_app.app_context():
        queue_email("accounts/verify_email", "ada@example.com", user=SimpleNamespace(name="Ada"),
                    link="https://awards.test/account/verify/abc", hours=48)
        db.session.commit()
        assert job_queue(other_app).huey.pending_count() == 1
    assert outbox() == []  # nothing reached the session app's database or queue


def test_domain_signals_reach_only_the_receivers_of_the_sending_app(app, other_app):
    signal = Namespace().signal("something-happened")
    heard = []
    signal.connect(lambda sender, thing: heard.append((sender, thing)), sender=app, weak=False)

    with other_app.app_context():
        notify(signal, thing="theirs")
    notify(signal, thing="ours")

    assert heard == [(app, "ours")]


def test_the_factory_connects_each_receiver_for_its_own_app(app, other_app):
    for application in (app, other_app):
        receivers = {r.__name__ for r in consent_changed.receivers_for(application)}
        assert receivers == {"on_consent_changed"}
    assert not list(consent_changed.receivers_for(object()))  # nothing connected for "any"


def test_a_session_of_its_own_runs_no_app_hook(app):
    before = generation()
    with Session(db.engine) as session:  # as the mail sender opens one
        session.add(Area(name="Lakeside"))
        session.commit()
    assert generation() == before


def test_rate_limits_belong_to_their_app(app, other_app):
    attempt = {"email": "someone@example.com", "password": "guessing"}
    theirs = other_app.test_client()
    assert [theirs.post("/account/sign-in", data=attempt).status_code
            for _ in range(2)] == [200, 429]

    ours = app.test_client()
    assert [ours.post("/account/sign-in", data=attempt).status_code
            for _ in range(2)] == [200, 200]  # limits stay off here
    assert rate_limiter(app) is not rate_limiter(other_app)


def test_overrides_are_checked_like_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    for name, value in {"PUBLIC_URL": "https://localhost", "TRUSTED_HOSTS": "localhost",
                        "PROXY_FIX_HOPS": "1", "WEB_CONCURRENCY": "1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/production.sqlite3")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SECRET_KEY="short")
    with pytest.raises(RuntimeError, match="SimpleCache"):
        create_app("production", CACHE_TYPE="SimpleCache")
    monkeypatch.delenv("DATABASE_URL")
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production")
    # A database given as an override counts as given.
    production = create_app(
        "production", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/override.sqlite3")
    assert production.config["SQLALCHEMY_DATABASE_URI"].endswith("override.sqlite3")


def test_settings_derived_from_an_override_follow_it(tmp_path):
    application = create_app(make_config(tmp_path), TIMEZONE="America/New_York")
    assert application.config["BABEL_DEFAULT_TIMEZONE"] == "America/New_York"


def test_every_request_starts_with_an_empty_g(app, make_user, sign_in, client):
    """Within one app context (a script or a test), one request's signed-in user does not
    leak into the next client's request."""
    user = make_user()
    assert sign_in(user).status_code == 302
    stranger = app.test_client()
    assert stranger.get("/account/profile").status_code == 302  # sent to sign in
