"""Big Citizens: the application factory."""
import os
from pathlib import Path

from flask import Flask, current_app, has_request_context, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

import awards.models  # noqa: F401  (every model registered before Alembic compares metadata)
import awards.public.services.listing  # noqa: F401  (what is public follows consent: receivers)
from awards.accounts.cli import users_cli
from awards.accounts.setup import init_accounts
from awards.accounts.views import bp as accounts_bp
from awards.admin.cli import demo_cli
from awards.core.cli import mail_cli
from awards.core.db import include_in_migrations, tune_sqlite
from awards.core.errors import register_error_handlers
from awards.core.jobs import init_jobs
from awards.core.security import set_security_headers
from awards.core.templating import init_templating
from awards.core.views import LANGUAGE_COOKIE
from awards.core.views import bp as core_bp
from awards.dev.views import bp as dev_bp
from awards.extensions import babel, cache, csrf, db, limiter, login_manager, migrate
from awards.nominations.views.consent import bp as consent_bp
from awards.nominations.views.journey import bp as nominations_bp
from awards.nominations.views.moderation import assist_bp
from awards.nominations.views.moderation import bp as moderation_bp
from awards.nominations.views.setup import bp as setup_bp
from awards.nominations.views.supporters import bp as supporters_bp
from awards.panels.cli import panels_cli
from awards.panels.views.admin import bp as panel_admin_bp
from awards.panels.views.chair import bp as chair_bp
from awards.panels.views.judging import bp as panels_bp
from awards.public.cli import public_cli
from awards.public.views.certificates import bp as certificates_bp
from awards.public.views.feeds import bp as feeds_bp
from awards.public.views.pages import bp as public_bp
from awards.public.views.thanks import bp as thanks_bp
from config import CONFIGS

ROOT = Path(__file__).resolve().parent.parent


def create_app(config=None, **overrides):
    """Build the app from a config name ("development", "testing", "production"), a config
    object, or the AWARDS_CONFIG environment variable; `overrides` win over both."""
    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("AWARDS_CONFIG", "development")]()
    config.check()
    app = Flask(
        __name__,
        instance_path=config.INSTANCE_PATH,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config)
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    init_templating(app)
    register_commands(app)
    return app


def register_extensions(app):
    """Bind the extension objects to this app."""
    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     include_object=include_in_migrations)
    login_manager.init_app(app)
    init_accounts(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    init_jobs(app)
    set_security_headers(app)
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


def register_commands(app):
    """`flask users`, `flask mail`, `flask demo`, `flask panels`, `flask public`."""
    for group in (users_cli, mail_cli, demo_cli, panels_cli, public_cli):
        app.cli.add_command(group)


def _select_locale():
    """The signed-in user's saved language, else the one chosen with the footer's link (a
    cookie), else the best match for the browser's Accept-Language, else the default."""
    if not has_request_context():
        return None
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages)
