"""Django settings for the Jämkoll web app.

Everything that differs between installations comes from the environment:

``JAMKOLL_DATA_DIR``         data folder (default ``.jamkoll-web/``): SQLite database, secret key,
                             every organisation's analysis store under ``stores/<slug>/``
``DATABASE_URL``             ``postgres://user:password@host:5432/name`` to use PostgreSQL instead of SQLite
``JAMKOLL_SECRET_KEY``       Django's secret key (default: generated once into the data folder)
``JAMKOLL_DEBUG``            ``1`` for development only
``JAMKOLL_ALLOWED_HOSTS``    comma-separated host names (default: localhost only)
``JAMKOLL_HTTPS``            ``1`` behind HTTPS: secure cookies, HSTS, redirect to https
``JAMKOLL_TRUSTED_PROXY``    the reverse proxy's address (e.g. ``127.0.0.1``) when one sets ``X-Forwarded-For``/
                             ``X-Forwarded-Proto``; ``jamkoll serve --trusted-proxy`` sets it (docs/deployment.md)
``JAMKOLL_EMAIL_HOST``       SMTP server for e-mail (invitations, password reset, notifications); without it
                             e-mail is printed to the console.
                             Also ``JAMKOLL_EMAIL_PORT`` (587), ``JAMKOLL_EMAIL_HOST_USER``,
                             ``JAMKOLL_EMAIL_HOST_PASSWORD``, ``JAMKOLL_EMAIL_USE_TLS`` (1), ``JAMKOLL_EMAIL_USE_SSL``,
                             ``JAMKOLL_EMAIL_FROM`` (sender, default ``jamkoll@localhost``)
``JAMKOLL_BASE_URL``         the installation's address for links in scheduled e-mail (default
                             ``http://localhost:8000``; docs/notifications.md)

Every file and folder the app creates is for its own user only (umask 077): the database, the secret key,
the analysis stores, staged uploads and caches hold personal data.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from jamkoll.web import trusted_proxy_address
from jamkoll.web.lib.dburl import parse_database_url

WEB_DIR = Path(__file__).resolve().parent
# Files and folders created from here on (SQLite and its journal, DuckDB and its WAL, caches, staged uploads)
# are readable by the app's own user only.
os.umask(0o077)


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


DATA_DIR = Path(os.environ.get("JAMKOLL_DATA_DIR") or ".jamkoll-web").resolve()
if DATA_DIR.is_dir() and DATA_DIR.stat().st_uid == os.getuid() and DATA_DIR.stat().st_mode & 0o077:
    DATA_DIR.chmod(0o700)  # a data folder made before the umask: close it (everything in it is under it)
STORES_DIR = DATA_DIR / "stores"
STAGING_DIR = DATA_DIR / "staging"


def _secret_key() -> str:
    key = os.environ.get("JAMKOLL_SECRET_KEY") or os.environ.get("DJANGO_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        # Owner-only permissions from the start; O_EXCL so two processes starting at once agree.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = _flag("JAMKOLL_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get(
    "JAMKOLL_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()]

# Django's ModelBackend behind the login throttle: every login path is throttled (accounts/throttle.py).
AUTHENTICATION_BACKENDS = ["jamkoll.web.accounts.throttle.ThrottledModelBackend"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs' scripts from its own static files, not from a CDN
    "jamkoll.web.lib",
    "jamkoll.web.accounts",
    "jamkoll.web.front",
    "jamkoll.web.api",
    "jamkoll.web.portal",
    "jamkoll.web.funding",
    "jamkoll.web.plans",
    "jamkoll.web.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "jamkoll.web.lib.middleware.security_headers",
    "jamkoll.web.lib.middleware.refuse_nul_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jamkoll.web.lib.middleware.swedish_first",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jamkoll.web.accounts.middleware.password_change_required",
    "jamkoll.web.lib.middleware.no_store_when_logged_in",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jamkoll.web.urls"
WSGI_APPLICATION = "jamkoll.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": parse_database_url(os.environ["DATABASE_URL"])}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "jamkoll-web.sqlite3",
            # Wait for a writer instead of failing at once ("database is locked").
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "jamkoll.web.accounts.validators.MinimumDistinctCharactersValidator", "OPTIONS": {"min_distinct": 6}},
]
# A password reset link is valid for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "front:index"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise serves the static files straight from the apps (no collectstatic step for the embedded app).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Only for a deployment that runs collectstatic (JAMKOLL_STATIC_ROOT); the embedded app needs none.
STATIC_ROOT = os.environ.get("JAMKOLL_STATIC_ROOT") or None
# Vendored front-end assets (htmx, vega-embed from npm, see package.json) go to jamkoll/web/static/vendor/.
STATICFILES_DIRS = [path for path in [WEB_DIR / "static"] if path.exists()]

# Uploads: files above 2.5 MB go to disk while they arrive; the upload form limits the total size.
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
JAMKOLL_MAX_UPLOAD_BYTES = int(os.environ.get("JAMKOLL_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
JAMKOLL_DATA_DIR = DATA_DIR
JAMKOLL_STORES_DIR = STORES_DIR
JAMKOLL_STAGING_DIR = STAGING_DIR
# Checked uploads not confirmed within this many hours are deleted.
JAMKOLL_STAGING_HOURS = 24

JAMKOLL_TRUSTED_PROXY = trusted_proxy_address(os.environ.get("JAMKOLL_TRUSTED_PROXY"))

# Secure defaults. Cookies are HttpOnly and SameSite; behind HTTPS they are Secure too.
HTTPS = _flag("JAMKOLL_HTTPS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
if JAMKOLL_TRUSTED_PROXY:
    # Only from the trusted proxy: waitress (jamkoll serve --trusted-proxy) removes X-Forwarded-* headers of
    # any other peer, so a client cannot claim HTTPS or an address.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("JAMKOLL_CSRF_TRUSTED_ORIGINS", "").split(",")
                        if o.strip()]

# E-mail (the password reset): printed to the console unless an SMTP server is configured.
EMAIL_HOST = os.environ.get("JAMKOLL_EMAIL_HOST", "").strip()
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("JAMKOLL_EMAIL_PORT") or 587)
    EMAIL_HOST_USER = os.environ.get("JAMKOLL_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("JAMKOLL_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_SSL = _flag("JAMKOLL_EMAIL_USE_SSL")
    EMAIL_USE_TLS = _flag("JAMKOLL_EMAIL_USE_TLS", default=not EMAIL_USE_SSL)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("JAMKOLL_EMAIL_FROM") or "jamkoll@localhost"
# The installation's address for links in e-mail sent outside a request (notifications, event reminders).
JAMKOLL_BASE_URL = (os.environ.get("JAMKOLL_BASE_URL") or "").strip().rstrip("/") or "http://localhost:8000"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"jamkoll": {"handlers": ["console"], "level": os.environ.get("JAMKOLL_LOG_LEVEL", "INFO")}},
}

NINJA_PAGINATION_PER_PAGE = 100

# -- Uploads, store versions and readers beside writers (issue 14) ------------------------------------
# Kept apart from the rest so that other changes to this file do not collide with it.
# A body declared larger than the upload limit is refused before anything reads it (and before the CSRF
# check would parse it): jamkoll.web.front.middleware.
MIDDLEWARE.insert(1, "jamkoll.web.front.middleware.refuse_oversized_bodies")
# Earlier analysis-store versions kept for comparison and rollback: $JAMKOLL_KEEP_VERSIONS (default 20),
# read by jamkoll.ingest.Store itself so that the CLI keeps as many.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers never wait for a writer (write-ahead log); a writer waits up to the timeout for another
    # writer instead of failing ("database is locked"), and takes its lock when its transaction starts.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    })
# Background work (jamkoll.web.front.tasks) with Django's tasks framework: JAMKOLL_TASKS=database (set by
# `jamkoll serve`, which also starts the database backend's worker) queues tasks in the database; the
# default, immediate, runs each task at once in the request (tests, development).
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"
                     if os.environ.get("JAMKOLL_TASKS") == "database"
                     else "django_tasks.backends.immediate.ImmediateBackend"}}
# -- Caches (issue 14) ----------------------------------------------------------------------------------
# Results of the analysis store are kept by jamkoll.web.lib.results (its own files under DATA_DIR/cache/,
# shared by every process). "local" is this process's memory, for derived values keyed by what they are
# computed from (the portal's frames). "default" holds counters that must be shared (the public sign-up
# form's rate limit): with several server processes (`jamkoll serve --processes N`, which sets
# JAMKOLL_SHARED_CACHE) it is a file cache under the data folder, otherwise this process's memory.
CACHES = {
    "default": ({"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                 "LOCATION": str(DATA_DIR / "cache" / "_django"), "OPTIONS": {"MAX_ENTRIES": 10000}}
                if _flag("JAMKOLL_SHARED_CACHE")
                else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jamkoll-default"}),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jamkoll-local"},
}
