"""Big Citizens: the application factory, the one place the app is put together.

Every extension, blueprint, signal receiver, session hook, job and command is connected here,
for this app only; no module connects anything when it is imported.
"""
import os
from pathlib import Path

from flask import Flask, g, request_started
from flask_babel import Babel
from werkzeug.middleware.proxy_fix import ProxyFix

import awards.models  # noqa: F401  (every model registered before Alembic compares metadata)
from awards.accounts.cli import users_cli
from awards.accounts.queries import saved_locale
from awards.accounts.services import send_password_reset_job
from awards.accounts.setup import init_accounts
from awards.accounts.views import bp as accounts_bp
from awards.admin.cli import demo_cli
from awards.admin.privacy_cli import PRIVACY_COMMANDS
from awards.admin.services import removal
from awards.admin.services.retention import retention_job
from awards.admin.views.audit import bp as admin_audit_bp
from awards.admin.views.dashboard import bp as admin_dashboard_bp
from awards.admin.views.insight import bp as insight_bp
from awards.admin.views.mail import bp as admin_mail_bp
from awards.admin.views.privacy import bp as privacy_bp
from awards.admin.views.users import bp as users_bp
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
from awards.newsletter.account import init_newsletter_templates
from awards.newsletter.cli import newsletter_cli
from awards.newsletter.delivery import tasks as newsletter_delivery
from awards.newsletter.services.issues import start_due_issues
from awards.newsletter.tasks import delete_unconfirmed
from awards.newsletter.views.admin import bp as newsletter_admin_bp
from awards.newsletter.views.archive import bp as newsletter_archive_bp
from awards.newsletter.views.subscribe import bp as newsletter_bp
from awards.nominations.services.consent import consent_changed
from awards.nominations.services.moderation import judging_started
from awards.nominations.views.consent import bp as consent_bp
from awards.nominations.views.journey import bp as nominations_bp
from awards.nominations.views.moderation import assist_bp
from awards.nominations.views.moderation import bp as moderation_bp
from awards.nominations.views.setup import bp as setup_bp
from awards.nominations.views.supporters import bp as supporters_bp
from awards.panels import results_cache
from awards.panels.cli import panels_cli
from awards.panels.services.assignments import assign_new_nominations
from awards.panels.services.publication import results_published
from awards.panels.tasks import remind_members
from awards.panels.views.admin import bp as panel_admin_bp
from awards.panels.views.chair import bp as chair_bp
from awards.panels.views.judging import bp as panels_bp
from awards.public import cache as page_cache
from awards.public.cli import public_cli
from awards.public.links import init_link_templates
from awards.public.queries import awards_of, public_links
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
    # Cached public pages are answered before Flask; inside ProxyFix, so they are kept under
    # the host and scheme the proxy reports.
    app.wsgi_app = page_cache.PageCache(app.wsgi_app, app)
    if app.config["PROXY_FIX"]:
        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_blueprints(app):
    """Mount each feature's pages; the development mailbox only where DEV_TOOLS is on."""
    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    for blueprint in (nominations_bp, supporters_bp, consent_bp, setup_bp, moderation_bp,
                      assist_bp, panels_bp, chair_bp, panel_admin_bp, public_bp, thanks_bp,
                      feeds_bp, certificates_bp, newsletter_bp, newsletter_archive_bp,
                      newsletter_admin_bp):
        app.register_blueprint(blueprint)
    for blueprint in (admin_dashboard_bp, admin_audit_bp, admin_mail_bp, insight_bp,
                      privacy_bp, users_bp):
        app.register_blueprint(blueprint)
    if app.config["DEV_TOOLS"]:
        app.register_blueprint(dev_bp)


def register_hooks(app):
    """Connect, for this app only, what follows a change: the domain signals' receivers and
    the unit of work's session hooks (mail after commit, the public page cache)."""
    receivers = [
        (request_started, _fresh_request_globals),
        # The chair's pages keep a panel's scored results until judging changes.
        (request_started, results_cache.note_generation),
        (session_flushed, results_cache.note_judging_changes),
        (session_committed, results_cache.invalidate_after_commit),
        (session_rolled_back, results_cache.forget_rolled_back_changes),
        # What the public sees follows consent and publication, in the same transaction.
        (consent_changed, listing.on_consent_changed),
        (results_published, listing.on_results_published),
        # Nominations entering judging get their reviewers on every panel of the cycle.
        (judging_started, assign_new_nominations),
        # Public rows keep copies of their cycle's and category's sort fields.
        (session_flushed, listing.follow_cycles_and_categories),
        (session_flushed, page_cache.note_public_changes),
        (session_committed, compose.deliver_after_commit),
        (session_committed, page_cache.invalidate_after_commit),
        (session_committed, newsletter_delivery.deliver_after_commit),
        (session_rolled_back, compose.forget_after_rollback),
        (session_rolled_back, newsletter_delivery.forget_after_rollback),
        (session_rolled_back, page_cache.forget_rolled_back_changes),
        # Photo files of erased or expired nominations go once the deletion commits.
        (session_committed, removal.remove_files_after_commit),
        (session_rolled_back, removal.forget_files_after_rollback),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver, sender=app)
    # ...and statements that change judging's rows without objects (bulk deletes).
    results_cache.init_results_cache(app, db.session)
    # E-mails go out in the recipient's language: accounts know who chose which.
    app.extensions["saved_locale"] = saved_locale
    # Winners' e-mails (panels) link to their public page and certificate (public).
    app.extensions["public_links"] = public_links
    # Any page may include the newsletter's subscribe form; the account page its section.
    init_newsletter_templates(app)
    # List pages build award addresses from a pattern, not url_for per award.
    init_link_templates(app)
    # The newsletter (public's sibling) shows winners as the public listing does.
    app.extensions["public_awards_of"] = awards_of


def register_jobs(app):
    """The background tasks: outbox delivery (after commits and every minute), password-reset
    e-mails, the daily reminders to panel members, the retention schedule, and the
    newsletter's (deleting unconfirmed subscriptions, starting scheduled issues, delivering
    issues after a send commits and every minute)."""
    jobs = app.extensions["jobs"]
    jobs.task(deliver_outbox)
    jobs.task(send_password_reset_job)
    jobs.periodic(deliver_outbox, "deliver_outbox_every_minute", minute="*")
    jobs.periodic(remind_members, "remind_members_daily", hour=8, minute=0)
    # The retention schedule (RETENTION_* settings), every night.
    jobs.periodic(retention_job, "retention_daily", hour=3, minute=15)
    jobs.periodic(delete_unconfirmed, "delete_unconfirmed_subscribers_daily", hour=3, minute=30)
    # Scheduled newsletter issues whose time has come start sending.
    jobs.periodic(start_due_issues, "start_due_newsletters", minute="*")
    # The newsletter: a send's tasks after its commit; every minute, retries and dead workers.
    jobs.task(newsletter_delivery.deliver_issue)
    jobs.periodic(newsletter_delivery.deliver_due_newsletters,
                  "deliver_due_newsletters_every_minute", minute="*")


def register_commands(app):
    """`flask users`, `flask mail`, `flask demo`, `flask panels`, `flask public`,
    `flask newsletter`, and the data protection commands (`flask backup`, `flask restore`,
    `flask retention`)."""
    for group in (users_cli, mail_cli, demo_cli, panels_cli, public_cli, newsletter_cli,
                  *PRIVACY_COMMANDS):
        app.cli.add_command(group)


def _fresh_request_globals(app, **_):
    """`g` holds one request's state (the signed-in user, the locale): an app
    context that outlives a request (a script or test making several) must not pass it on."""
    g.__dict__.clear()
