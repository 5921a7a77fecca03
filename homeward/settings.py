"""Homeward's settings, read from environment variables.

Defaults run locally with no setup: an SQLite database and uploaded files under
HOMEWARD_DATA_DIR (default: the user's data directory). DATABASE_URL selects PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import platformdirs
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from homeward.lib.env import envbool, envint, envlist, envstr

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("HOMEWARD_DATA_DIR") or platformdirs.user_data_dir("homeward"))
# Everything Homeward creates (database, keys, uploaded files, backups) is readable by its
# owner only; `homeward serve` tightens what an older version left open.
os.umask(0o077)


DEBUG = envbool("HOMEWARD_DEBUG", "False")
PRODUCTION = envbool("HOMEWARD_PRODUCTION", "False")
# Demo only: sign in without a second factor, and the sign-in page lists the demo
# accounts. `homeward demo` turns it on; production settings refuse to start with it.
HOMEWARD_DEMO_MODE = envbool("HOMEWARD_DEMO_MODE", "False")
if PRODUCTION and (HOMEWARD_DEMO_MODE or DEBUG):
    raise ImproperlyConfigured(
        "HOMEWARD_PRODUCTION is set: HOMEWARD_DEMO_MODE and HOMEWARD_DEBUG must be off."
    )


def _secret_key() -> str:
    """The key from the environment, or the one kept in the data directory: generated
    there once, except under production settings, which never make their own keys (a key
    made silently on an empty or wrongly mounted data folder signs sessions nobody can
    check after the next start)."""
    configured = envstr("HOMEWARD_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        if PRODUCTION:
            raise ImproperlyConfigured(
                f"HOMEWARD_PRODUCTION is set and there is no secret key: set "
                f"HOMEWARD_SECRET_KEY, or write one to {key_file} (mode 0600), for example "
                "with `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`."
            )
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("HOMEWARD_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("HOMEWARD_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "homeward.protection",
    "homeward.accounts",
    "homeward.audit",
    "homeward.people",
    "homeward.cases",
    "homeward.tracing",
    "homeward.missions",
    "homeward.health",
    "homeward.care",
    "homeward.rules",
    "homeward.statistics",
    "homeward.releases",
    "homeward.imports",
    "homeward.exports",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "homeward.api",
    "django_tasks",
    "django_tasks_db",
    "homeward.demo",
    "homeward.operations",
    "homeward.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "homeward.audit.context.AuditContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After LocaleMiddleware (the browser's language) and the user: their own choice wins.
    "homeward.accounts.language.PreferredLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "homeward.accounts.security.SessionLifetimeMiddleware",
    "homeward.accounts.security.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "homeward.web.middleware.NoStoreForSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Django's form renderer with selects written in Python (homeward/web/renderers.py).
FORM_RENDERER = "homeward.web.renderers.FormRenderer"

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homeward.web.context.navigation",
            ],
        },
    },
]


def _databases() -> dict[str, Any]:
    url = envstr("DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        # No JIT compiling: a page's query is planned above its cost threshold at a
        # registry's size and compiled each time, 0.3 to 0.6 s of a 1 s count at 1M.
        # Random reads cost about as much as sequential ones (the tables are cached or
        # on SSD): else a count of 8,000 alerts hashes the 1M cases instead of probing.
        options = database.setdefault("OPTIONS", {})
        given = options.get("options", "")
        options["options"] = f"{given} -c jit=off -c random_page_cost=1.1".strip()
        return {"default": database}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "homeward.sqlite3",
            # Each server thread keeps its connection: one per request cost 3 ms to open.
            # (A larger page cache per connection did not help: every audited read is a
            # write, and SQLite empties the other connections' caches at each write.)
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # Django turns foreign keys on for SQLite itself; WAL lets pages read
                # while a write is in progress, and FULL sync means a committed change
                # survives a power cut.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (large exports): django-tasks with its database backend; `homeward
# db_worker` runs the queued tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Argon2id for new passwords (ASVS) with OWASP's server parameters, a few at a time
# (accounts.hashers); it reads hashes made with Django's own Argon2 parameters too, and
# PBKDF2 reads hashes made before Argon2.
PASSWORD_HASHERS = [
    "homeward.accounts.hashers.ServerArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# How many passwords are hashed at once (each takes 19 MiB while it lasts).
HOMEWARD_PASSWORD_HASHING_CONCURRENCY = envint("HOMEWARD_PASSWORD_HASHING_CONCURRENCY", "2")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "homeward.accounts.backends.StaffBackend",
    # Only for the sessions begun before StaffBackend, which name this one.
    "django.contrib.auth.backends.ModelBackend",
]
# At least 8 characters, no upper limit below Django's own, no composition rules, checked
# against common passwords: as ASVS 5.0 asks.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"

# Lockout after repeated failures, per username and address (django-axes).
AXES_FAILURE_LIMIT = envint("HOMEWARD_SIGN_IN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("HOMEWARD_SIGN_IN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "homeward.accounts.views.locked_out"
AXES_VERBOSE = False

# Sessions end after HOMEWARD_SESSION_IDLE_MINUTES without a request, and in any case
# HOMEWARD_SESSION_MAX_HOURS after signing in.
SESSION_COOKIE_AGE = 60 * envint("HOMEWARD_SESSION_IDLE_MINUTES", "30")
# Renewed at most once a minute (accounts.security.SessionLifetimeMiddleware), not saved
# on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
HOMEWARD_SESSION_MAX_HOURS = envint("HOMEWARD_SESSION_MAX_HOURS", "12")
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The interface speaks English, Russian and Arabic: a signed-in user's own choice (their
# profile) first, then the language switch's cookie, then the browser's Accept-Language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("ar", "العربية")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Dates are shown and read per language as homeward/formats says, not as Django's locales do.
FORMAT_MODULE_PATH = ["homeward.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Only for `homeward collectstatic` behind another web server; WhiteNoise serves the package.
STATIC_ROOT = envstr("HOMEWARD_STATIC_ROOT") or None
# Serve static files straight from the package, so `homeward serve` needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded documents and photos live in the data directory, outside any web root; they are
# served only through the permission-checking attachment view, never by URL.
MEDIA_ROOT = DATA_DIR / "attachments"
# The API's rate counts: in the data folder, so that every worker process of
# `homeward serve --workers N` counts a key's requests together (a per-process cache gave
# a key N times its rate). Several machines would need a shared cache (the database's).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api-rates": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache" / "api-rates",
    },
}
# The encryption keys of restricted values and files: outside the database, never in it.
HOMEWARD_KEYS_FILE = Path(envstr("HOMEWARD_KEYS_FILE") or DATA_DIR / "keys.json")
# Below this much free space in the data folder, `homeward serve` warns and the health
# endpoint reports failing.
HOMEWARD_MIN_FREE_MB = envint("HOMEWARD_MIN_FREE_MB", "200")
# The audit chain's HMAC key (outside the database, like the field keys) and the file its
# head is anchored in, opened for appending only (audit.verification).
HOMEWARD_AUDIT_KEY_FILE = Path(envstr("HOMEWARD_AUDIT_KEY_FILE") or DATA_DIR / "audit.key")
HOMEWARD_AUDIT_ANCHOR_FILE = Path(
    envstr("HOMEWARD_AUDIT_ANCHOR_FILE") or DATA_DIR / "audit-anchors.jsonl"
)
ATTACHMENT_MAX_BYTES = envint("HOMEWARD_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))

# --- HTTP security ------------------------------------------------------------------------
# Everything comes from this site: no inline script or style, no framing by anyone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Production (HOMEWARD_PRODUCTION=true) means HTTPS only: `homeward check --deploy` passes.
SESSION_COOKIE_SECURE = PRODUCTION or envbool("HOMEWARD_SECURE_COOKIES", "False")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
BEHIND_HTTPS_PROXY = envbool("HOMEWARD_BEHIND_HTTPS_PROXY", "False")
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxy whose X-Forwarded-Proto and X-Forwarded-For Waitress believes (`homeward
# serve`); Waitress drops them from anyone else, and without them every request looks
# like plain HTTP and is redirected to HTTPS again, for ever.
HOMEWARD_TRUSTED_PROXY = envstr("HOMEWARD_TRUSTED_PROXY", "127.0.0.1")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("HOMEWARD_LOG_LEVEL", "WARNING")},
}

# E-mail carries the daily digest (`homeward digest`): printed to the console unless an SMTP
# host is set. The digest names case references only, never a child.
EMAIL_HOST = envstr("HOMEWARD_EMAIL_HOST", "")
EMAIL_PORT = int(envstr("HOMEWARD_EMAIL_PORT", "587"))
EMAIL_HOST_USER = envstr("HOMEWARD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envstr("HOMEWARD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = True
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = envstr("HOMEWARD_EMAIL_FROM", "homeward@localhost")

# A matching worker renews its lease every third of this; the work a killed worker had
# claimed is taken up by the next one this long after its last renewal.
HOMEWARD_MATCHING_LEASE_SECONDS = envint("HOMEWARD_MATCHING_LEASE_SECONDS", "30")
# The local hour at which `homeward worker` runs the daily jobs (custody rules, digest).
HOMEWARD_DAILY_HOUR = envint("HOMEWARD_DAILY_HOUR", "0")
if not 0 <= HOMEWARD_DAILY_HOUR <= 23:
    raise ValueError(
        f"HOMEWARD_DAILY_HOUR: expected an hour from 0 to 23, got {HOMEWARD_DAILY_HOUR}"
    )

# --- the API for partners' systems (homeward.api) -------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "homeward.api.authentication.ApiKeyAuthentication",
        "homeward.api.authentication.SignedInSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["homeward.api.throttling.PerKeyRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "homeward.api.problems.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_PAGINATION_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Homeward API",
    "DESCRIPTION": (
        "Cases, tracing requests, missions, figures and imports for partners' systems, under "
        "the same access rules and audit as the pages. Send an API key as "
        "`Authorization: Bearer hwk_...`; errors are RFC 9457 problem details."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "homeward.cases.status.CaseStatus.choices",
        "RequestStatusEnum": "homeward.tracing.models.RequestStatus.choices",
        "MissionStatusEnum": "homeward.missions.models.MissionStatus.choices",
        "BatchStatusEnum": "homeward.imports.models.BatchStatus.choices",
        "MemberStatusEnum": "homeward.cases.models.MemberStatus.choices",
        "SoughtKindEnum": "homeward.tracing.models.SoughtKind.choices",
        "ImportKindEnum": "homeward.imports.models.ImportKind.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "homeward.api.schema.add_problems",
    ],
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# Requests per minute for each API key (or signed-in user), unless a key sets its own.
HOMEWARD_API_RATE_PER_MINUTE = envint("HOMEWARD_API_RATE_PER_MINUTE", "600")
# Longest life of an API key, in days.
HOMEWARD_API_KEY_MAX_DAYS = envint("HOMEWARD_API_KEY_MAX_DAYS", "365")

# Follow-up visits after a hand-over, in months (care.services).
HOMEWARD_FOLLOW_UP_MONTHS = tuple(
    int(m) for m in envstr("HOMEWARD_FOLLOW_UP_MONTHS", "1,3,6,12").split(",")
)
