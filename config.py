"""Configuration classes.

Every setting is read from the environment with a safe default, so importing this module never
fails and `make run` works with no variable set: SQLite in instance/, tasks in-process, e-mails
written to the log and to instance/mail/.
"""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ESSAIM_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'essaim.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL", "")

    # Sessions and cookies: HttpOnly and SameSite=Lax everywhere, Secure in production.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    # Internationalisation: French first, English available.
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"

    # Rate limits (Flask-Limiter). Storage in Redis when configured, memory otherwise.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", REDIS_URL or "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins only (accounts/throttle.py): after this many failures in a row, each further
    # failure doubles the wait, from LOGIN_DELAY_BASE seconds up to LOGIN_DELAY_MAX seconds.
    LOGIN_FREE_FAILURES_ACCOUNT = _int("LOGIN_FREE_FAILURES_ACCOUNT", 5)
    LOGIN_FREE_FAILURES_IP = _int("LOGIN_FREE_FAILURES_IP", 30)  # an office NAT shares one address
    LOGIN_DELAY_BASE = _int("LOGIN_DELAY_BASE", 30)
    LOGIN_DELAY_MAX = _int("LOGIN_DELAY_MAX", 3600)
    # Reset and verification e-mails asked per address and per client address.
    EMAIL_RATE_LIMIT_ADDRESS = os.environ.get("EMAIL_RATE_LIMIT_ADDRESS", "3 per hour")
    EMAIL_RATE_LIMIT_IP = os.environ.get("EMAIL_RATE_LIMIT_IP", "20 per hour")
    # New conversations a user may start (messages sent; replies are not limited).
    MESSAGING_START_RATE_LIMIT = os.environ.get("MESSAGING_START_RATE_LIMIT", "10 per hour")
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (ProxyFix).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    # Server-side sessions (accounts/sessions.py): a row per login, checked on every request.
    SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 120)
    SESSION_MAX_HOURS = _int("SESSION_MAX_HOURS", 12)
    HSTS_MAX_AGE = _int("HSTS_MAX_AGE", 31536000)
    HSTS_ENABLED = False

    # ProConnect (OpenID Connect). No discovery URL or client id: the button is hidden.
    PROCONNECT_DISCOVERY_URL = os.environ.get("PROCONNECT_DISCOVERY_URL", "")
    PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
    PROCONNECT_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
    PROCONNECT_SCOPES = os.environ.get("PROCONNECT_SCOPES", "openid email given_name usual_name siret uid idp_id")
    PROCONNECT_ACR_VALUES = os.environ.get("PROCONNECT_ACR_VALUES", "")
    PROCONNECT_LEEWAY = _int("PROCONNECT_LEEWAY", 60)  # seconds of clock skew accepted on tokens
    # Every /api/v1/ endpoint, per token (or per address without one).
    API_V1_RATE_LIMIT = os.environ.get("API_V1_RATE_LIMIT", "60 per minute;1000 per hour")

    # E-mail: SMTP when MAIL_SERVER is set, else files in instance/mail/ plus a log line.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Essaim <ne-pas-repondre@essaim.local>")
    MAIL_FILE_PATH = os.environ.get("MAIL_FILE_PATH", str(INSTANCE_DIR / "mail"))
    MAIL_BACKEND = "smtp" if MAIL_SERVER else "file"

    # Signed tokens (e-mail verification, password reset), lifetimes in seconds.
    EMAIL_VERIFY_MAX_AGE = _int("EMAIL_VERIFY_MAX_AGE", 3 * 24 * 3600)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 3600)

    # E-mail links: the embedded default follows the HOST/PORT `make run` serves on.
    PUBLIC_BASE_URL = os.environ.get(
        "PUBLIC_BASE_URL",
        f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}",
    )
    ITEMS_PER_PAGE = _int("ITEMS_PER_PAGE", 20)
    # The home page's public counts are computed at most once a minute per process (Flask-Caching;
    # CACHE_TYPE=RedisCache with CACHE_REDIS_URL shares them between processes).
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
    PUBLIC_COUNTS_TTL = _int("PUBLIC_COUNTS_TTL", 60)
    # Cards of the offers and needs lists kept rendered per process (marketplace/listings/card_views.py);
    # about 1.5 KB each; 0 renders every card on every view.
    LIST_CARD_CACHE_SIZE = _int("LIST_CARD_CACHE_SIZE", 2000)
    DEMO_ENABLED = _bool("DEMO_ENABLED", True)
    GEO_CACHE_DIR = os.environ.get("GEO_CACHE_DIR", str(INSTANCE_DIR / "geo"))

    # Workers: matching indexes shared by every worker (a directory all of them can read and
    # write, e.g. a network volume when workers run on several machines).
    MATCHING_INDEX_DIR = os.environ.get("MATCHING_INDEX_DIR", str(INSTANCE_DIR / "matching"))
    MATCHING_TOP_K = _int("MATCHING_TOP_K", 10)
    MATCHING_REFIT_RATIO = 0.1  # refit an index when more than a tenth of it changed
    MATCHING_INLINE_REFIT_BELOW = _int("MATCHING_INLINE_REFIT_BELOW", 2000)  # small: refit at once
    # a snapshot of an index is written (in the background) every this many logged changes
    MATCHING_SNAPSHOT_EVERY = _int("MATCHING_SNAPSHOT_EVERY", 1000)
    # Where snapshots are stored: "folder" (MATCHING_INDEX_DIR, the embedded default: one machine or
    # a shared volume) or "database" (chunks in the app's database, so machines share nothing but
    # PostgreSQL; MATCHING_INDEX_DIR is then each machine's local cache). See suggestions/snapshots.py.
    MATCHING_SNAPSHOT_STORE = os.environ.get("MATCHING_SNAPSHOT_STORE", "folder").strip().lower()
    MATCHING_EXCLUDE_SAME_EPCI = _bool("MATCHING_EXCLUDE_SAME_EPCI", False)
    # processes answering the nightly bulk queries (-1: all cores; 1: in the worker process)
    MATCHING_BULK_JOBS = _int("MATCHING_BULK_JOBS", -1)
    # Semantic stage (matching.semantic, French word vectors): re-ranks the lexical candidates by
    # meaning. It costs < 1 ms a need and loses on no benchmark (bench/README-matching.md), but
    # off by default: the cosines of two administrative texts' mean word vectors span only
    # 0.88-0.98, so on near ties it reorders by noise; on the demo's canteen DCE need it put an
    # anti-waste plan above the CCTP review the need asks for (tests/services/test_demo_quality.py).
    MATCHING_SEMANTIC = _bool("MATCHING_SEMANTIC", False)
    # A learned re-ranker is switched on only with this many labelled pairs before its cutoff and
    # an nDCG@5 this much above the fixed weights on the decisions after it.
    RERANKER_MIN_LABELS = _int("RERANKER_MIN_LABELS", 200)
    RERANKER_MARGIN = _float("RERANKER_MARGIN", 0.02)
    # Broker timeouts (seconds): a web request never waits long on a Redis that is down.
    BROKER_CONNECT_TIMEOUT = _float("BROKER_CONNECT_TIMEOUT", 0.5)
    BROKER_SOCKET_TIMEOUT = _float("BROKER_SOCKET_TIMEOUT", 5.0)
    # A task published after a commit and not done after this many seconds is published again.
    TASK_INTENT_RETRY_AFTER = _int("TASK_INTENT_RETRY_AFTER", 120)
    SWEEP_INTERVAL = _int("SWEEP_INTERVAL", 30)  # seconds between two sweeps (celery beat)
    # A worker beats every HEARTBEAT_INTERVAL seconds; /healthz fails when the last beat is older.
    HEARTBEAT_INTERVAL = _int("HEARTBEAT_INTERVAL", 30)
    HEARTBEAT_MAX_AGE = _int("HEARTBEAT_MAX_AGE", 120)
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_RETRY_BASE = _int("OUTBOX_RETRY_BASE", 30)  # seconds; doubles at each failed attempt
    # A task intent handed to the broker this many times without completing goes to "dead".
    TASK_INTENT_MAX_ATTEMPTS = _int("TASK_INTENT_MAX_ATTEMPTS", 8)
    # Roles: how many collectivities one account may hold or request roles in.
    MAX_COLLECTIVITIES_PER_ACCOUNT = _int("MAX_COLLECTIVITIES_PER_ACCOUNT", 3)
    # Uploaded files (practice resources, community files, signed conventions); empty = instance/uploads.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", "")
    SIGNED_PDF_MAX_BYTES = _int("SIGNED_PDF_MAX_BYTES", 10 * 1024 * 1024)
    PRACTICE_UPLOAD_MAX_BYTES = _int("PRACTICE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
    # Pairings: a suggestion waiting longer is flagged; proposals are reminded, then expire (days).
    SUGGESTION_STALE_DAYS = _int("SUGGESTION_STALE_DAYS", 7)
    PAIRING_REMINDER_DAYS = os.environ.get("PAIRING_REMINDER_DAYS", "7,14")
    PAIRING_EXPIRY_DAYS = _int("PAIRING_EXPIRY_DAYS", 30)
    # Logs: "text" for a developer's terminal, "json" (one object per line) for a log collector.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Error reporting to Sentry (or a compatible service): off unless a DSN is given.
    SENTRY_DSN = os.environ.get("SENTRY_DSN", "")

    # Legal pages (mentions légales, données personnelles, accessibilité, contact). Who runs this
    # instance is only known to its operator: left empty, a page says "not provided" and names the
    # variable to set, rather than claiming a publisher, a host or a DPO it does not know.
    LEGAL_OPERATOR_NAME = os.environ.get("LEGAL_OPERATOR_NAME", "")  # éditeur, responsable de traitement
    LEGAL_OPERATOR_ADDRESS = os.environ.get("LEGAL_OPERATOR_ADDRESS", "")
    LEGAL_OPERATOR_SIREN = os.environ.get("LEGAL_OPERATOR_SIREN", "")
    LEGAL_PUBLICATION_DIRECTOR = os.environ.get("LEGAL_PUBLICATION_DIRECTOR", "")  # name and capacity
    LEGAL_HOST_NAME = os.environ.get("LEGAL_HOST_NAME", "")
    LEGAL_HOST_ADDRESS = os.environ.get("LEGAL_HOST_ADDRESS", "")
    LEGAL_HOST_PHONE = os.environ.get("LEGAL_HOST_PHONE", "")
    LEGAL_CONTACT_EMAIL = os.environ.get("LEGAL_CONTACT_EMAIL", "")
    LEGAL_CONTACT_ADDRESS = os.environ.get("LEGAL_CONTACT_ADDRESS", "")  # postal address
    LEGAL_DPO_NAME = os.environ.get("LEGAL_DPO_NAME", "")  # délégué à la protection des données
    LEGAL_DPO_EMAIL = os.environ.get("LEGAL_DPO_EMAIL", "")
    LEGAL_DPO_ADDRESS = os.environ.get("LEGAL_DPO_ADDRESS", "")
    LEGAL_ACCESSIBILITY_EMAIL = os.environ.get("LEGAL_ACCESSIBILITY_EMAIL", "")  # else LEGAL_CONTACT_EMAIL
    LEGAL_ACCESSIBILITY_SCHEMA_URL = os.environ.get("LEGAL_ACCESSIBILITY_SCHEMA_URL", "")  # schéma pluriannuel
    # Retention periods shown on the privacy page (months after the last activity or the event).
    PRIVACY_ACCOUNT_RETENTION_MONTHS = _int("PRIVACY_ACCOUNT_RETENTION_MONTHS", 36)
    PRIVACY_LOG_RETENTION_MONTHS = _int("PRIVACY_LOG_RETENTION_MONTHS", 12)
    PRIVACY_MAIL_RETENTION_MONTHS = _int("PRIVACY_MAIL_RETENTION_MONTHS", 3)
    PRIVACY_CONVENTION_RETENTION_YEARS = _int("PRIVACY_CONVENTION_RETENTION_YEARS", 5)  # after its end
    # Personal data rights (marketplace/privacy): "download my data" archives and their e-mailed
    # link live this many seconds; an inactive account is warned this many days before deletion.
    DATA_EXPORT_MAX_AGE = _int("DATA_EXPORT_MAX_AGE", 24 * 3600)
    DATA_EXPORT_DIR = os.environ.get("DATA_EXPORT_DIR", "")  # empty = instance/exports
    PRIVACY_INACTIVE_WARNING_DAYS = _int("PRIVACY_INACTIVE_WARNING_DAYS", 30)


class DevelopmentConfig(Config):
    DEBUG = False  # no interactive debugger: generic error pages even in development


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    PROCONNECT_DISCOVERY_URL = ""  # tests that use it start their own provider
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # CSRF stays enabled in tests: the test client fetches and posts the token like a browser.
    WTF_CSRF_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_BACKEND = "locmem"
    PASSWORD_HASH_FAST = True
    DEMO_ENABLED = True


class ProductionConfig(Config):
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = True
    DEMO_ENABLED = False
    HSTS_ENABLED = True
    CHECK_UNSAFE_SETTINGS = True


# Secrets that were ever published (this repository, its docs, the test settings): never in production.
KNOWN_DEFAULT_SECRETS = {"", "dev-only-change-me", "test-secret", "prod-test", "change-me", "changeme",
                         "secret", "dev", "development"}


def unsafe_settings(settings) -> list[str]:
    """The reasons, each naming its variable, why these settings must not serve production.

    Called by create_app (never at import) when the configuration asks for the check, so the web
    app and the Celery workers, both built by create_app, refuse to start on them."""
    problems = []
    if settings.get("SECRET_KEY") in KNOWN_DEFAULT_SECRETS or len(settings.get("SECRET_KEY") or "") < 32:
        problems.append("SECRET_KEY is unset, a published default or shorter than 32 characters: "
                        "anyone could forge the signed links and cookies")
    database = settings.get("SQLALCHEMY_DATABASE_URI") or ""
    if not database or database.startswith("sqlite"):
        problems.append("DATABASE_URL is unset or SQLite: production needs PostgreSQL")
    if not settings.get("MAIL_SERVER"):
        problems.append("MAIL_SERVER is unset: e-mails would only be written to files")
    if not str(settings.get("PUBLIC_BASE_URL") or "").startswith("https://"):
        problems.append("PUBLIC_BASE_URL is not an https:// address: links in e-mails would be sent in clear")
    return problems


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The configuration class named by ESSAIM_ENV (development by default)."""
    return CONFIGS.get(os.environ.get("ESSAIM_ENV", "development"), DevelopmentConfig)
