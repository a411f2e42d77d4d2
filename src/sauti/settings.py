"""Django settings, all from the environment.

Embedded by default (SQLite under $SAUTI_HOME, in-memory channel layer); DATABASE_URL and
REDIS_URL switch to the scaled-out backends. Nothing here reads the database or the network.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
SAUTI_HOME = Path(os.environ.get("SAUTI_HOME", "var")).resolve()
SAUTI_HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """A per-installation key kept beside the data, so a newcomer never has to make one."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = SAUTI_HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SAUTI_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "*").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own Swagger UI files, so /api/docs loads nothing from a CDN.
    "ninja",
    "sauti.accounts",
    "sauti.contacts",
    "sauti.messaging",
    "sauti.timers",
    "sauti.journeys",
    "sauti.inbox",
    "sauti.content",
    "sauti.reminders",
    "sauti.insights",
    "sauti.integrations",
    "sauti.api",
    "sauti.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight after security, before sessions: `sauti serve` serves its own assets
    # without DEBUG and without a separate web server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sauti.api.middleware.RateLimitHeaders",
]

ROOT_URLCONF = "sauti.urls"
ASGI_APPLICATION = "sauti.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The ASGI server runs each request in its own thread: a per-process pool keeps the number of
        # PostgreSQL connections bounded however many requests arrive at once.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("SAUTI_DB_POOL_SIZE", "16")),
            "timeout": 30,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SAUTI_HOME / "sauti.sqlite3"),
            # IMMEDIATE transactions and WAL let the web server, worker and sender threads of the
            # embedded mode write without "database is locked" surprises.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pt", "Português"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = SAUTI_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise reads the apps' static folders directly, so no `collectstatic` step is needed; asset
# URLs carry the version (?v=) so browsers refetch after an upgrade.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = SAUTI_HOME / "media"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    # One process (`sauti serve`): worker threads publish, the web server's loop delivers.
    CHANNEL_LAYERS = {"default": {"BACKEND": "sauti.inbox.layers.ThreadSafeInMemoryChannelLayer"}}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "webhooks", "contacts"],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sauti@localhost")

# Meta's Graph API; a workspace may point elsewhere (the fake Cloud API in tests and demos).
SAUTI_GRAPH_URL = os.environ.get("SAUTI_GRAPH_URL", "https://graph.facebook.com/v23.0")
# How long a claimed outbound message may stay "sending" before it is looked at again. A status
# webhook naming it (biz_opaque_callback_data) settles it first, so a crash never sends twice.
SAUTI_SEND_LEASE_SECONDS = float(os.environ.get("SAUTI_SEND_LEASE_SECONDS", "120"))
# The share of each number's send rate that bulk sends (reminders, broadcasts) leave for replies.
SAUTI_REPLY_SHARE = float(os.environ.get("SAUTI_REPLY_SHARE", "0.1"))
# How long a worker holds a reminder run between chunks; a dead worker's run resumes after it.
SAUTI_REMINDER_LEASE_SECONDS = float(os.environ.get("SAUTI_REMINDER_LEASE_SECONDS", "60"))
SAUTI_CONTACT_LEASE_SECONDS = float(os.environ.get("SAUTI_CONTACT_LEASE_SECONDS", "60"))
# Work older than this whose task seems lost (a killed worker) is enqueued again by the scheduler.
SAUTI_SWEEP_AFTER_SECONDS = float(os.environ.get("SAUTI_SWEEP_AFTER_SECONDS", "30"))
# API rate limits per token: calls per window (seconds) in each of Turn's buckets (general, text
# sends, media sends); SAUTI_API_RATE_LIMIT_TEXT / _MEDIA / _GENERAL override one bucket. The
# default (100 a second) lets one client keep a number sending at its full rate (80 a second).
SAUTI_API_RATE_LIMIT = int(os.environ.get("SAUTI_API_RATE_LIMIT", "6000"))
SAUTI_API_RATE_WINDOW = int(os.environ.get("SAUTI_API_RATE_WINDOW", "60"))
SAUTI_API_RATE_LIMITS = {bucket: int(os.environ[f"SAUTI_API_RATE_LIMIT_{bucket.upper()}"])
                         for bucket in ("general", "text", "media")
                         if os.environ.get(f"SAUTI_API_RATE_LIMIT_{bucket.upper()}")}
# Where calls are counted: auto (Redis when REDIS_URL is set, else PostgreSQL, else this process),
# redis, database or memory.
SAUTI_API_RATE_BACKEND = os.environ.get("SAUTI_API_RATE_BACKEND", "auto")
# The address people reach this installation at (links in emails), e.g. https://sauti.example.org
SAUTI_PUBLIC_URL = os.environ.get("SAUTI_PUBLIC_URL", "")
# Outbound webhooks: seconds to wait for an endpoint, the pauses between retries (after the last
# one the delivery fails and the endpoint is disabled), and how soon other processes see changes.
SAUTI_WEBHOOK_TIMEOUT = float(os.environ.get("SAUTI_WEBHOOK_TIMEOUT", "10"))
SAUTI_WEBHOOK_RETRY_DELAYS = [float(s) for s in
                              os.environ.get("SAUTI_WEBHOOK_RETRY_DELAYS", "10,60,300,1800,7200,21600").split(",")
                              if s.strip()]
SAUTI_WEBHOOK_CACHE_SECONDS = float(os.environ.get("SAUTI_WEBHOOK_CACHE_SECONDS", "5"))
SAUTI_WEBHOOK_LOG_DAYS = int(os.environ.get("SAUTI_WEBHOOK_LOG_DAYS", "30"))  # the delivery log's memory
# Conversation claims last this long after the claimant's last X-Turn-Claim-Extend.
SAUTI_CLAIM_SECONDS = int(os.environ.get("SAUTI_CLAIM_SECONDS", "300"))
# Context integrations: seconds to wait for an answer, and how many recent messages they are sent.
SAUTI_CONTEXT_TIMEOUT = float(os.environ.get("SAUTI_CONTEXT_TIMEOUT", "5"))
SAUTI_CONTEXT_MESSAGES = int(os.environ.get("SAUTI_CONTEXT_MESSAGES", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAUTI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
        "uvicorn.access": {"level": "WARNING"},
    },
}
