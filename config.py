"""Configuration classes: every value comes from the environment, read when a class is used.

Nothing here runs at import time beyond defining classes; `create_app` instantiates the class
it is given, so the environment is read then, and production checks happen there too.
"""
import os
from pathlib import Path
from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted

BASE_DIR = Path(__file__).resolve().parent
# The development and testing keys: in this repository, so production refuses them.
DEVELOPMENT_SECRET_KEY = "dev-only-secret-key-change-me-in-production"
TESTING_SECRET_KEY = "testing-secret-key-of-at-least-32-bytes!!"
KNOWN_SECRET_KEYS = frozenset({DEVELOPMENT_SECRET_KEY, TESTING_SECRET_KEY})


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


CONSENT_REQUEST_MOMENTS = ("moderation", "automatic_check")


class Config:
    """Settings shared by every environment; subclasses override what differs."""

    ENVIRONMENT = "custom"

    def __init__(self):
        self.INSTANCE_PATH = _env("INSTANCE_PATH", str(BASE_DIR / "instance"))
        self.SECRET_KEY = _env("SECRET_KEY")
        self._default_database_uri = f"sqlite:///{self.INSTANCE_PATH}/awards.sqlite3"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            _env("DATABASE_URL", self._default_database_uri)
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
        # DKIM: with a PEM RSA key and a selector every message sent over SMTP is signed;
        # the domain defaults to MAIL_DEFAULT_SENDER's (awards/core/mail/signing.py).
        self.DKIM_PRIVATE_KEY_PATH = _env("DKIM_PRIVATE_KEY_PATH")
        self.DKIM_SELECTOR = _env("DKIM_SELECTOR")
        self.DKIM_DOMAIN = _env("DKIM_DOMAIN")

        # A sender's claim on a batch lasts this long, renewed while it works; only rows
        # whose lease has expired (the sender died) are handed to another sender.
        self.MAIL_LEASE_SECONDS = _env_int("MAIL_LEASE_SECONDS", 300)

        # The newsletter's workers (docs/newsletter.md).
        self.NEWSLETTER_SENDER = _env("NEWSLETTER_SENDER")  # From:, else MAIL_DEFAULT_SENDER
        # List-Id: <newsletter.DOMAIN>; default from the sender's domain
        self.NEWSLETTER_LIST_ID = _env("NEWSLETTER_LIST_ID")
        self.NEWSLETTER_BATCH_SIZE = _env_int("NEWSLETTER_BATCH_SIZE", 100)
        self.NEWSLETTER_LEASE_SECONDS = _env_int("NEWSLETTER_LEASE_SECONDS", 300)
        self.NEWSLETTER_SEND_RATE = float(_env("NEWSLETTER_SEND_RATE", "0"))  # per s; 0: no limit
        self.NEWSLETTER_RETRY_HOURS = _env_int("NEWSLETTER_RETRY_HOURS", 72)
        self.NEWSLETTER_SUPPRESS_AFTER_BOUNCES = _env_int("NEWSLETTER_SUPPRESS_AFTER_BOUNCES", 3)
        # delivery tasks queued per issue when a send starts (workers that share it)
        self.NEWSLETTER_WORKERS = _env_int("NEWSLETTER_WORKERS", 2)

        # Background jobs: Huey on SQLite unless Redis is configured.
        self.HUEY_IMMEDIATE = _env_bool("HUEY_IMMEDIATE", False)
        self.HUEY_SQLITE_PATH = _env("HUEY_SQLITE_PATH", f"{self.INSTANCE_PATH}/huey.sqlite3")

        # Rate limits (Flask-Limiter); storage follows REDIS_URL. `limits` has no file or
        # database store, so without Redis the counts live in each process (production then
        # refuses more than one worker: WEB_CONCURRENCY=1).
        self.WEB_CONCURRENCY = _env_int("WEB_CONCURRENCY", None)
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
        # Compiled templates, kept on disk so that a new process (a restart, a job worker, a
        # command) does not compile them again; each is checked against its source. Empty: off.
        self.TEMPLATE_CACHE_DIR = _env("TEMPLATE_CACHE_DIR", f"{self.INSTANCE_PATH}/template-cache")
        # Local websites that may show the "latest winners" page in a frame (space-separated
        # origins, e.g. "https://riverside-news.example").
        self.EMBED_ORIGINS = (_env("EMBED_ORIGINS", "") or "").split()
        # The signature line on certificates.
        self.CERTIFICATE_SIGNATORY = _env("CERTIFICATE_SIGNATORY", "Chair of the judging panel")
        self.CERTIFICATE_SIGNATORY_NAME = _env("CERTIFICATE_SIGNATORY_NAME", "")
        self.RATELIMIT_THANKS = _env("RATELIMIT_THANKS", "5 per hour;20 per day")
        # When the nominee is first e-mailed (the consent request): "moderation" (an admin
        # marks the nomination eligible) or "automatic_check" (at submission, when no other
        # live nomination of the same person is in the cycle and nothing looks like spam;
        # otherwise after moderation).
        self.CONSENT_REQUEST_AFTER = _env("CONSENT_REQUEST_AFTER", "moderation")
        # Retention (`flask retention run`, and daily in the workers): nominations that went
        # no further (the nominee declined, found ineligible, not selected) are deleted with
        # their statements and photo this many months after that; accounts whose address was
        # never confirmed after this many days; the bodies of sent e-mails after this many days
        # (the row stays: who was written to, when, about what); the IP addresses in the audit
        # log after this many months.
        self.RETENTION_NOMINATION_MONTHS = _env_int("RETENTION_NOMINATION_MONTHS", 12)
        self.RETENTION_UNCONFIRMED_ACCOUNT_DAYS = _env_int(
            "RETENTION_UNCONFIRMED_ACCOUNT_DAYS", 30)
        self.RETENTION_OUTBOX_BODY_DAYS = _env_int("RETENTION_OUTBOX_BODY_DAYS", 90)
        self.RETENTION_AUDIT_IP_MONTHS = _env_int("RETENTION_AUDIT_IP_MONTHS", 12)

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
        # The site's one public origin: every link in an e-mail starts with it, whatever host
        # a request came in on (a forged Host must not redirect a reset link).
        self.PUBLIC_URL = _public_url(_env("PUBLIC_URL", "http://127.0.0.1:5000"))

        self.BABEL_DEFAULT_LOCALE = "en"
        # Each language's code → its name in that language (the footer's switch shows it).
        self.LANGUAGES = ["en", "cy"]
        self.LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "awards" / "translations")
        # Datetimes are stored in UTC and shown in this zone (dates have none).
        self.TIMEZONE = _env("TIMEZONE", "Europe/London")

        self.TOKEN_HOURS = {"verify_email": 48, "reset_password": 1, "panel_invitation": 168}
        # Panel members with reviews left are reminded daily from this many days before
        # judging ends.
        self.REMINDER_DAYS = _env_int("REMINDER_DAYS", 3)
        self.RATELIMIT_SIGN_IN = _env("RATELIMIT_SIGN_IN", "10 per minute;50 per hour")
        # The second step of sign-in (a code or a passkey), per client.
        self.RATELIMIT_TWO_FACTOR = _env("RATELIMIT_TWO_FACTOR", "5 per minute;30 per hour")
        # Admins and panel members must use two-factor sign-in to open staff pages.
        self.REQUIRE_TWO_FACTOR = _env_bool("REQUIRE_TWO_FACTOR", False)
        self.RATELIMIT_REGISTER = _env("RATELIMIT_REGISTER", "5 per minute;20 per hour")
        self.RATELIMIT_RESET = _env("RATELIMIT_RESET", "5 per minute;20 per hour")
        self.RATELIMIT_NOMINATE_START = _env("RATELIMIT_NOMINATE_START", "20 per hour")
        self.RATELIMIT_NOMINATE_SUBMIT = _env("RATELIMIT_NOMINATE_SUBMIT", "30 per hour")
        self.RATELIMIT_SUPPORT = _env("RATELIMIT_SUPPORT", "20 per hour")
        self.RATELIMIT_SAVE_FOR_LATER = _env("RATELIMIT_SAVE_FOR_LATER", "10 per hour")
        # Mail to an address the requester has not proven: at most one per address per
        # window (seconds) for each kind of such message; 0 turns it off.
        self.MAIL_UNPROVEN_WINDOW = _env_int("MAIL_UNPROVEN_WINDOW", 600)
        # Photo uploads on the journey's photo step (each is decoded: memory and CPU).
        self.RATELIMIT_PHOTO_UPLOAD = _env("RATELIMIT_PHOTO_UPLOAD", "10 per hour;30 per day")
        # The newsletter: subscribe requests per client address; the confirmation e-mail to
        # one address at most once per so many minutes and so many times a day; the mailto:
        # address of the List-Unsubscribe header (empty: unsubscribe@ the sender's domain).
        self.RATELIMIT_NEWSLETTER = _env("RATELIMIT_NEWSLETTER", "10 per hour;30 per day")
        self.NEWSLETTER_CONFIRM_RESEND_MINUTES = _env_int("NEWSLETTER_CONFIRM_RESEND_MINUTES", 10)
        self.NEWSLETTER_CONFIRM_MAX_PER_DAY = _env_int("NEWSLETTER_CONFIRM_MAX_PER_DAY", 3)
        self.NEWSLETTER_UNSUBSCRIBE_MAILTO = _env("NEWSLETTER_UNSUBSCRIBE_MAILTO", "")
        self.HSTS = False
        self.DEV_TOOLS = False  # the /dev blueprint (mailbox)
        self.TRUSTED_HOSTS = None
        # How many proxies stand in front: X-Forwarded-* is believed for that many hops only.
        self.PROXY_FIX = _env_int("PROXY_FIX_HOPS", 0)

    @property
    def BABEL_DEFAULT_TIMEZONE(self):  # noqa: N802 (a setting)
        """Flask-Babel's time zone is TIMEZONE, however that was set (an override too)."""
        return self.TIMEZONE

    def check(self):
        """Refuse unsafe or unknown settings; extended where stricter rules apply."""
        if self.CONSENT_REQUEST_AFTER not in CONSENT_REQUEST_MOMENTS:
            raise RuntimeError("CONSENT_REQUEST_AFTER must be one of: "
                               + ", ".join(CONSENT_REQUEST_MOMENTS) + ".")


class DevelopmentConfig(Config):
    """`make run`: SQLite in instance/, mail kept and shown at /dev/mail, jobs inline."""

    ENVIRONMENT = "development"

    def __init__(self):
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or DEVELOPMENT_SECRET_KEY
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
        self.SECRET_KEY = TESTING_SECRET_KEY
        self.MAIL_BACKEND = "store"
        self.HUEY_IMMEDIATE = True
        self.RATELIMIT_ENABLED = False
        self.MAIL_UNPROVEN_WINDOW = 0  # like the rate limits; tests that check it turn it on
        self.WTF_CSRF_ENABLED = False
        self.PASSWORD_HASHING = "fast-for-tests"  # still argon2id, with tiny costs
        self.REQUIRE_TWO_FACTOR = False  # tests that check it turn it on
        self.SERVER_NAME = None
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            _env("DATABASE_URL", "sqlite:///:memory:")
        )
        self.PUBLIC_URL = _public_url(_env("PUBLIC_URL", "http://localhost"))  # the test client


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
        self.REQUIRE_TWO_FACTOR = _env_bool("REQUIRE_TWO_FACTOR", True)
        hosts = _env("TRUSTED_HOSTS")
        self.TRUSTED_HOSTS = [h.strip() for h in hosts.split(",") if h.strip()] if hosts else None
        # No default: PUBLIC_URL and PROXY_FIX_HOPS must be said (check() refuses otherwise).
        self.PUBLIC_URL = _public_url(_env("PUBLIC_URL"))
        hops = _env("PROXY_FIX_HOPS")
        self.PROXY_FIX = int(hops) if hops is not None else None

    def check(self):
        """Production refuses to start without a strong secret of its own, a real database,
        its public address and host names, the number of proxies in front, and stores that
        every worker shares."""
        super().check()
        if not self.SECRET_KEY or len(self.SECRET_KEY.encode()) < 32:
            raise RuntimeError("SECRET_KEY must be set to at least 32 bytes in production.")
        if self.SECRET_KEY in KNOWN_SECRET_KEYS:
            raise RuntimeError("SECRET_KEY is a key published in the repository (the "
                               "development or testing default): set a secret of your own.")
        if self.SQLALCHEMY_DATABASE_URI == self._default_database_uri:
            raise RuntimeError("DATABASE_URL must be set in production.")
        self._check_addresses()
        self._check_dkim()
        if self.CACHE_TYPE == "SimpleCache":
            raise RuntimeError("CACHE_TYPE=SimpleCache lives in one process: with several "
                               "workers a withdrawal would not empty the others' caches. "
                               "Set REDIS_URL, or leave CACHE_TYPE unset.")
        if self.RATELIMIT_ENABLED and not self.REDIS_URL and self.WEB_CONCURRENCY != 1:
            raise RuntimeError("Rate limits need REDIS_URL to be shared between workers (each "
                               "process would count on its own); without Redis run one "
                               "worker and say so with WEB_CONCURRENCY=1.")

    def _check_addresses(self):
        if not self.PUBLIC_URL:
            raise RuntimeError("PUBLIC_URL must be set in production (the site's address, "
                               "e.g. https://awards.example.org; formerly BASE_URL): links in "
                               "e-mails start with it.")
        parts = urlsplit(self.PUBLIC_URL)
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise RuntimeError("PUBLIC_URL must be an https:// address such as "
                               "https://awards.example.org (no query or fragment).")
        if not self.TRUSTED_HOSTS:
            raise RuntimeError("TRUSTED_HOSTS must be set in production: the comma-separated "
                               "host names the site answers to (any other Host gets 400).")
        if not host_is_trusted(parts.netloc, self.TRUSTED_HOSTS):
            raise RuntimeError(f"PUBLIC_URL's host {parts.hostname} is not in TRUSTED_HOSTS.")
        if self.PROXY_FIX is None or self.PROXY_FIX < 0:
            raise RuntimeError("PROXY_FIX_HOPS must be set in production: the number of "
                               "proxies in front of gunicorn (1 behind nginx, 0 without one); "
                               "X-Forwarded-For is believed for exactly that many hops.")

    def _check_dkim(self):
        settings = (self.DKIM_PRIVATE_KEY_PATH, self.DKIM_SELECTOR, self.DKIM_DOMAIN)
        if not any(settings):
            return  # mail is not signed
        if not self.DKIM_PRIVATE_KEY_PATH or not self.DKIM_SELECTOR:
            raise RuntimeError("DKIM needs both DKIM_PRIVATE_KEY_PATH and DKIM_SELECTOR "
                               "(and DKIM_DOMAIN unless it is MAIL_DEFAULT_SENDER's domain): "
                               "set them all, or none to send unsigned mail.")
        import dkim.crypto  # only when DKIM is configured

        try:
            with open(self.DKIM_PRIVATE_KEY_PATH, "rb") as key_file:
                dkim.crypto.parse_pem_private_key(key_file.read())
        except (OSError, ValueError, dkim.crypto.UnparsableKeyError) as error:
            raise RuntimeError(f"DKIM_PRIVATE_KEY_PATH {self.DKIM_PRIVATE_KEY_PATH} is not a "
                               f"readable PEM RSA private key: {error}") from error
        sender = self.MAIL_DEFAULT_SENDER.rpartition("@")[2].rstrip(">").strip()
        if not (self.DKIM_DOMAIN or sender):
            raise RuntimeError("DKIM_DOMAIN must be set: MAIL_DEFAULT_SENDER has no domain.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def _public_url(url):
    """The origin (and any path prefix) without a trailing slash, or None."""
    return url.strip().rstrip("/") if url else None


def normalise_database_url(url):
    """Use psycopg 3 for postgresql:// URLs (SQLAlchemy defaults to psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
