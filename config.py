"""Configuration classes: every value comes from the environment, read when a class is used.

Nothing here runs at import time beyond defining classes; `create_app` instantiates the class
it is given, so the environment is read then, and production checks happen there too.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env(name, default=None):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_bool(name, default=False):
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    value = _env(name)
    return int(value) if value is not None else default


class Config:
    """Settings shared by every environment; subclasses override what differs."""

    ENVIRONMENT = "custom"

    def __init__(self):
        self.INSTANCE_PATH = _env("INSTANCE_PATH", str(BASE_DIR / "instance"))
        self.SECRET_KEY = _env("SECRET_KEY")
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            _env("DATABASE_URL", f"sqlite:///{self.INSTANCE_PATH}/awards.sqlite3")
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = _env("REDIS_URL")
        self.UPLOAD_DIR = _env("UPLOAD_DIR", f"{self.INSTANCE_PATH}/uploads")

        # The scheme this site runs: shown in the header, e-mails and certificates.
        self.SCHEME_NAME = _env("SCHEME_NAME", "Riverside Big Citizen Awards")
        self.SCHEME_LOGO = _env("SCHEME_LOGO", "img/logo.svg")
        self.SCHEME_CONTACT_EMAIL = _env("SCHEME_CONTACT_EMAIL", "hello@bigcitizens.example")

        # Mail: every message goes through the outbox; the backend delivers it.
        self.MAIL_BACKEND = _env("MAIL_BACKEND", "smtp")  # smtp | store
        self.MAIL_SERVER = _env("MAIL_SERVER", "localhost")
        self.MAIL_PORT = _env_int("MAIL_PORT", 25)
        self.MAIL_USERNAME = _env("MAIL_USERNAME")
        self.MAIL_PASSWORD = _env("MAIL_PASSWORD")
        self.MAIL_SECURITY = _env("MAIL_SECURITY", "none")  # none | starttls | tls
        self.MAIL_TIMEOUT = float(_env("MAIL_TIMEOUT", "10"))
        self.MAIL_DEFAULT_SENDER = _env(
            "MAIL_DEFAULT_SENDER", "Big Citizen Awards <awards@bigcitizens.example>"
        )
        self.MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 8)
        self.MAIL_BATCH_SIZE = _env_int("MAIL_BATCH_SIZE", 200)

        # Background jobs: Huey on SQLite unless Redis is configured.
        self.HUEY_IMMEDIATE = _env_bool("HUEY_IMMEDIATE", False)
        self.HUEY_SQLITE_PATH = _env("HUEY_SQLITE_PATH", f"{self.INSTANCE_PATH}/huey.sqlite3")

        # Rate limits (Flask-Limiter); storage follows REDIS_URL.
        self.RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_HEADERS_ENABLED = True

        # The public pages' cache (Flask-Caching): in this process unless Redis is configured.
        # With several web processes and no Redis, set CACHE_TYPE=FileSystemCache so that
        # every process sees the same entries and a withdrawal clears them all.
        self.CACHE_TYPE = _env("CACHE_TYPE", "RedisCache" if self.REDIS_URL else "SimpleCache")
        self.CACHE_REDIS_URL = self.REDIS_URL
        self.CACHE_DIR = _env("CACHE_DIR", f"{self.INSTANCE_PATH}/cache")
        self.CACHE_KEY_PREFIX = "awards-cache:"
        self.CACHE_DEFAULT_TIMEOUT = _env_int("CACHE_SECONDS", 600)
        # Local websites that may show the "latest winners" page in a frame (space-separated
        # origins, e.g. "https://riverside-news.example").
        self.EMBED_ORIGINS = (_env("EMBED_ORIGINS", "") or "").split()
        # The signature line on certificates.
        self.CERTIFICATE_SIGNATORY = _env("CERTIFICATE_SIGNATORY", "Chair of the judging panel")
        self.CERTIFICATE_SIGNATORY_NAME = _env("CERTIFICATE_SIGNATORY_NAME", "")
        self.RATELIMIT_THANKS = _env("RATELIMIT_THANKS", "5 per hour;20 per day")

        self.WTF_CSRF_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = None  # tied to the session, which ends on sign-out
        self.MAX_CONTENT_LENGTH = 12 * 1024 * 1024

        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = False
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = False
        self.PREFERRED_URL_SCHEME = "http"
        self.SERVER_NAME = _env("SERVER_NAME")
        # Links in e-mails made outside a request (CLI, workers) start with this.
        self.BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000")

        self.BABEL_DEFAULT_LOCALE = "en"
        # Each language's code → its name in that language (the footer's switch shows it).
        self.LANGUAGES = ["en", "cy"]
        self.LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "awards" / "translations")
        # Datetimes are stored in UTC and shown in this zone (dates have none).
        self.TIMEZONE = _env("TIMEZONE", "Europe/London")
        self.BABEL_DEFAULT_TIMEZONE = self.TIMEZONE

        self.TOKEN_HOURS = {"verify_email": 48, "reset_password": 1, "panel_invitation": 168}
        # Panel members with reviews left are reminded daily from this many days before
        # judging ends.
        self.REMINDER_DAYS = _env_int("REMINDER_DAYS", 3)
        self.RATELIMIT_SIGN_IN = _env("RATELIMIT_SIGN_IN", "10 per minute;50 per hour")
        self.RATELIMIT_REGISTER = _env("RATELIMIT_REGISTER", "5 per minute;20 per hour")
        self.RATELIMIT_RESET = _env("RATELIMIT_RESET", "5 per minute;20 per hour")
        self.RATELIMIT_NOMINATE_START = _env("RATELIMIT_NOMINATE_START", "20 per hour")
        self.RATELIMIT_NOMINATE_SUBMIT = _env("RATELIMIT_NOMINATE_SUBMIT", "30 per hour")
        self.RATELIMIT_SUPPORT = _env("RATELIMIT_SUPPORT", "20 per hour")
        # Photo uploads on the journey's photo step (each is decoded: memory and CPU).
        self.RATELIMIT_PHOTO_UPLOAD = _env("RATELIMIT_PHOTO_UPLOAD", "10 per hour;30 per day")
        self.HSTS = False
        self.DEV_TOOLS = False  # the /dev blueprint (mailbox)
        self.TRUSTED_HOSTS = None
        self.PROXY_FIX = _env_int("PROXY_FIX_HOPS", 0)

    def check(self):
        """Refuse unsafe settings; overridden where stricter rules apply."""


class DevelopmentConfig(Config):
    """`make run`: SQLite in instance/, mail kept and shown at /dev/mail, jobs inline."""

    ENVIRONMENT = "development"

    def __init__(self):
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or "dev-only-secret-key-change-me-in-production"
        self.MAIL_BACKEND = _env("MAIL_BACKEND", "store")
        self.HUEY_IMMEDIATE = _env_bool("HUEY_IMMEDIATE", True)
        self.DEV_TOOLS = True
        self.TEMPLATES_AUTO_RELOAD = True


class TestingConfig(Config):
    """The test suite: a throwaway database, mail stored not sent, jobs inline, no limits."""

    ENVIRONMENT = "testing"
    TESTING = True

    def __init__(self):
        super().__init__()
        self.SECRET_KEY = "testing-secret-key-of-at-least-32-bytes!!"
        self.MAIL_BACKEND = "store"
        self.HUEY_IMMEDIATE = True
        self.RATELIMIT_ENABLED = False
        self.WTF_CSRF_ENABLED = False
        self.PASSWORD_HASHING = "fast-for-tests"  # still argon2id, with tiny costs
        self.SERVER_NAME = None
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            _env("DATABASE_URL", "sqlite:///:memory:")
        )


class ProductionConfig(Config):
    """gunicorn behind a proxy: PostgreSQL, SMTP, Redis; strict cookies and HSTS."""

    ENVIRONMENT = "production"

    def __init__(self):
        super().__init__()
        self.SESSION_COOKIE_SECURE = True
        # Several gunicorn workers: a cache they all see, so a withdrawal empties it for all.
        self.CACHE_TYPE = _env("CACHE_TYPE",
                               "RedisCache" if self.REDIS_URL else "FileSystemCache")
        self.REMEMBER_COOKIE_SECURE = True
        self.PREFERRED_URL_SCHEME = "https"
        self.HSTS = True
        hosts = _env("TRUSTED_HOSTS")
        self.TRUSTED_HOSTS = [h.strip() for h in hosts.split(",") if h.strip()] if hosts else None
        self.PROXY_FIX = _env_int("PROXY_FIX_HOPS", 1)

    def check(self):
        """Production refuses to start without a strong secret and a real database."""
        if not self.SECRET_KEY or len(self.SECRET_KEY.encode()) < 32:
            raise RuntimeError("SECRET_KEY must be set to at least 32 bytes in production.")
        if not _env("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production.")
        if self.CACHE_TYPE == "SimpleCache":
            raise RuntimeError("CACHE_TYPE=SimpleCache lives in one process: with several "
                               "workers a withdrawal would not empty the others' caches. "
                               "Set REDIS_URL, or leave CACHE_TYPE unset.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def normalise_database_url(url):
    """Use psycopg 3 for postgresql:// URLs (SQLAlchemy defaults to psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
