"""Big Citizens: the application factory, the one place the app is put together.

Every extension, blueprint, signal receiver, session hook, job and command is connected here,
for this app only; no module connects anything when it is imported.
"""
import os
from pathlib import Path

from flask import Flask, g, request_started
from flask_babel import Babel
from huey import crontab
from werkzeug.middleware.proxy_fix import ProxyFix

import awards.models  # noqa: F401  (every model registered before Alembic compares metadata)
from awards.accounts.cli import users_cli
from awards.accounts.queries import saved_locale
from awards.accounts.services import send_password_reset_job
from awards.accounts.setup import init_accounts
from awards.accounts.views import bp as accounts_bp
from awards.admin.cli import demo_cli
from awards.core.access_log import init_access_log
from awards.core.cli import mail_cli
from awards.core.db import include_in_migrations, tune_sqlite
from awards.core.errors import register_error_handlers
from awards.core.hooks import (
    relay_session_events,
    session_committed,
    session_flushed,
    session_rolled_back,
)
from awards.core.jobs import init_jobs
from awards.core.languages import select_locale
from awards.core.mail import compose
from awards.core.mail.tasks import deliver_outbox
from awards.core.security import init_rate_limits, refuse_nul_characters, set_security_headers
from awards.core.templating import init_templating
from awards.core.views import bp as core_bp
from awards.dev.views import bp as dev_bp
from awards.extensions import cache, csrf, db, login_manager, migrate
from awards.newsletter.cli import newsletter_cli
from awards.newsletter.delivery import tasks as newsletter_delivery
from awards.nominations.services.consent import consent_changed
from awards.nominations.services.moderation import judging_started
from awards.nominations.views.consent import bp as consent_bp
from awards.nominations.views.journey import bp as nominations_bp
from awards.nominations.views.moderation import assist_bp
from awards.nominations.views.moderation import bp as moderation_bp
from awards.nominations.views.setup import bp as setup_bp
from awards.nominations.views.supporters import bp as supporters_bp
from awards.panels.cli import panels_cli
from awards.panels.services.assignments import assign_new_nominations
from awards.panels.services.publication import results_published
from awards.panels.tasks import remind_members
from awards.panels.views.admin import bp as panel_admin_bp
from awards.panels.views.chair import bp as chair_bp
from awards.panels.views.judging import bp as panels_bp
from awards.public import cache as page_cache
from awards.public.cli import public_cli
from awards.public.queries import public_links
from awards.public.services import listing
from awards.public.views.certificates import bp as certificates_bp
from awards.public.views.feeds import bp as feeds_bp
from awards.public.views.pages import bp as public_bp
from awards.public.views.thanks import bp as thanks_bp
from config import CONFIGS

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None, **overrides):
    """Build the app from a config name ("development", "testing", "production"), a config
    object, or the AWARDS_CONFIG environment variable; `overrides` win over both, and the
    configuration's checks (production's refusals) apply to the result."""
    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("AWARDS_CONFIG", "development")]()
    for name, value in overrides.items():
        setattr(config, name, value)
    config.check()
    app = Flask(
        __name__,
        instance_path=config.INSTANCE_PATH,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    init_rate_limits(app)  # after the blueprints: it wraps their marked views
    init_access_log(app)  # after the blueprints: their token routes are kept out of the logs
    register_error_handlers(app)
    init_templating(app)
    register_hooks(app)
    register_jobs(app)
    register_commands(app)
    return app


def register_extensions(app):
    """Bind the extension objects to this app."""
    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
    relay_session_events(db.session)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     include_object=include_in_migrations)
    login_manager.init_app(app)
    init_accounts(app)
    csrf.init_app(app)
    cache.init_app(app)
    Babel(app, locale_selector=select_locale)  # per app: it caches the app's catalogues
    init_jobs(app)
    set_security_headers(app)
    app.before_request(refuse_nul_characters)
    if app.config["PROXY_FIX"]:
        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_blueprints(app):
    """Mount each feature's pages; the development mailbox only where DEV_TOOLS is on."""
    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    for blueprint in (nominations_bp, supporters_bp, consent_bp, setup_bp, moderation_bp,
                      assist_bp, panels_bp, chair_bp, panel_admin_bp, public_bp, thanks_bp,
                      feeds_bp, certificates_bp):
        app.register_blueprint(blueprint)
    if app.config["DEV_TOOLS"]:
        app.register_blueprint(dev_bp)


def register_hooks(app):
    """Connect, for this app only, what follows a change: the domain signals' receivers and
    the unit of work's session hooks (mail after commit, the public page cache)."""
    receivers = [
        (request_started, _fresh_request_globals),
        # What the public sees follows consent and publication, in the same transaction.
        (consent_changed, listing.on_consent_changed),
        (results_published, listing.on_results_published),
        # Nominations entering judging get their reviewers on every panel of the cycle.
        (judging_started, assign_new_nominations),
        (session_flushed, page_cache.note_public_changes),
        (session_committed, compose.deliver_after_commit),
        (session_committed, page_cache.invalidate_after_commit),
        (session_committed, newsletter_delivery.deliver_after_commit),
        (session_rolled_back, compose.forget_after_rollback),
        (session_rolled_back, newsletter_delivery.forget_after_rollback),
        (session_rolled_back, page_cache.forget_rolled_back_changes),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver, sender=app)
    # E-mails go out in the recipient's language: accounts know who chose which.
    app.extensions["saved_locale"] = saved_locale
    # Winners' e-mails (panels) link to their public page and certificate (public).
    app.extensions["public_links"] = public_links


def register_jobs(app):
    """The background tasks: outbox delivery (after commits and every minute), password-reset
    e-mails, and the daily reminders to panel members."""
    jobs = app.extensions["jobs"]
    jobs.task(deliver_outbox)
    jobs.task(send_password_reset_job)
    jobs.periodic(deliver_outbox, crontab(minute="*"), name="deliver_outbox_every_minute")
    jobs.periodic(remind_members, crontab(hour=8, minute=0), name="remind_members_daily")
    # The newsletter: a send's tasks after its commit; every minute, retries and dead workers.
    jobs.task(newsletter_delivery.deliver_issue)
    jobs.periodic(newsletter_delivery.deliver_due_newsletters, crontab(minute="*"),
                  name="deliver_due_newsletters_every_minute")


def register_commands(app):
    """`flask users`, `flask mail`, `flask demo`, `flask panels`, `flask public`,
    `flask newsletter`."""
    for group in (users_cli, mail_cli, demo_cli, panels_cli, public_cli, newsletter_cli):
        app.cli.add_command(group)


def _fresh_request_globals(app, **_):
    """`g` holds one request's state (the signed-in user, the CSP nonce, the locale): an app
    context that outlives a request (a script or test making several) must not pass it on."""
    g.__dict__.clear()
