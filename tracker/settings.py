"""Settings for the diagnostic block outcome tracker.

Every value that differs between a laptop and a clinic server comes from the
environment (see README and .env.example). DEBUG is off unless asked for.
"""

import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tracker.env import env_bool, env_int, env_list, env_str
from tracker.security import DEFAULT_POLICY

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("DJANGO_TESTING", False)
# A clinic server: every security default below is on. A developer machine (DEBUG) and the
# test suite serve plain HTTP, so there the HTTPS-only defaults are off.
PRODUCTION = not DEBUG and not TESTING
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
SECRET_KEY_MISSING = not SECRET_KEY
SECRET_KEY_MISSING_MESSAGE = (
    "DJANGO_SECRET_KEY is not set. Set it to a long random value in production, "
    "or set DJANGO_DEBUG=1 for local development."
)
if SECRET_KEY_MISSING:
    if not PRODUCTION:
        # Development and tests only: a per-checkout key that is never committed.
        SECRET_KEY = "insecure-development-key-not-for-production"
    else:
        # Offline commands (makemigrations --check, the schema) may run without a key; a
        # throwaway one stands in. Serving refuses: tracker/wsgi.py and manage.py runserver.
        SECRET_KEY = "unset-" + secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Before rest_framework.authtoken: its drf_create_token command is replaced by one that
    # says when the token expires (tracker/auth/management/commands).
    "tracker.auth",
    "rest_framework",
    "rest_framework.authtoken",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Background jobs on the tracker's own database (follow-up invitations): the backport of
    # Django 6's django.tasks, and its ORM backend; `manage.py db_worker` runs them.
    "django_tasks",
    "django_tasks_db",
    "blocks",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Saves a signed-in session at most once a minute (tracker/session_keep.py).
    "tracker.session_keep.SessionTouchMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which one-time-password device verified this session, then: nothing but the two-factor
    # pages and sign-out until it is verified (tracker/auth/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "tracker.auth.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After CSRF, auth and messages: keeps a form POST that arrives after the session ended.
    "tracker.session_keep.KeptFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A page view that met a busy database answers 503 + Retry-After (tracker/busy.py).
    "tracker.busy.DatabaseBusyMiddleware",
    "tracker.security.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A user who just wrote reads from the primary for a few seconds (tracker/replica.py).
    "tracker.replica.ReplicaPinMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "blocks.context_processors.clinic",
            ],
        },
    },
]

WSGI_APPLICATION = "tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
# SQLite, the embedded default, takes one writer at a time. WAL lets readers carry on while
# someone writes; IMMEDIATE takes the write lock when a transaction begins (a deferred one that
# read first cannot wait for it and fails at once with "database is locked"); a writer waits up
# to the busy timeout for the lock. A write still waiting after that answers 503 with
# Retry-After: 1 (tracker/busy.py), never 500.
DATABASE_BUSY_TIMEOUT_SECONDS = env_int("DATABASE_BUSY_TIMEOUT_SECONDS", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": DATABASE_BUSY_TIMEOUT_SECONDS,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
# Reads that can move to a replica (issue 12): with DATABASE_REPLICA_URL, a PostgreSQL
# streaming replica answers the reports' and exports' reads; every write, and every read by a
# user who wrote in the last TRACKER_REPLICA_PIN_SECONDS, stays on the primary
# (tracker/replica.py). Unset, there is one database and nothing routes.
TRACKER_REPLICA_PIN_SECONDS = env_int("TRACKER_REPLICA_PIN_SECONDS", 10)
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
    # A read-only standby cannot create a test database: the tests read it as a mirror of
    # default, which copies only the database's name, so a real replica is read at its own
    # host and port under the test database's name, which it receives by streaming.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["tracker.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TRACKER_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# --- HTTPS, cookies and headers (`manage.py check --deploy` passes with the defaults) ---
# Behind a proxy that terminates TLS, set DJANGO_SECURE_PROXY_SSL_HEADER=1 and make the proxy
# send X-Forwarded-Proto (and strip any the client sent); then the redirect to HTTPS and the
# secure cookies work as if Django spoke TLS itself.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# Scripts and styles only from our own files; charts may be data: images (tracker/security.py).
TRACKER_CONTENT_SECURITY_POLICY = env_str("TRACKER_CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

# --- Sessions end after a quiet spell; sign-in is throttled ---
# Requests move the expiry on (saving the session at most once a minute, so the session ends
# between this many minutes less one and this many minutes after the last request).
TRACKER_SESSION_IDLE_MINUTES = env_int("TRACKER_SESSION_IDLE_MINUTES", 15)
if TRACKER_SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("TRACKER_SESSION_IDLE_MINUTES must be at least 1.")
SESSION_COOKIE_AGE = TRACKER_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False

# django-axes counts failed sign-ins per username and address; after the limit that pair is
# locked out (429) for the cool-off. Its backend needs the request: tests sign in with
# force_login, or client.login(request=HttpRequest(), ...).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("TRACKER_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("TRACKER_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "audit/locked_out.html"
AXES_VERBOSE = False  # failures and lockouts are still logged as warnings

# --- Two-factor sign-in and API tokens (tracker/auth/) ---
# Physicians, quality and superusers confirm their sign-in with a code from an authenticator
# app (TOTP) or a one-time recovery code; staff may enrol. On by default in production only,
# so the DEBUG demo keeps its one-step sign-in. API tokens are not affected.
TRACKER_REQUIRE_2FA = env_bool("TRACKER_REQUIRE_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "Block tracker"  # the name authenticator apps show
# An API token stops working this many days after it was made (or rotated).
TRACKER_API_TOKEN_DAYS = env_int("TRACKER_API_TOKEN_DAYS", 90)
if TRACKER_API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("TRACKER_API_TOKEN_DAYS must be at least 1.")
# After this many failed token attempts (unknown or expired key) from one client address
# within the window, every token request from that address is answered 429 until the window
# ends. Counted in Django's cache (per server process unless a shared cache is configured).
TRACKER_API_TOKEN_FAILURE_LIMIT = env_int("TRACKER_API_TOKEN_FAILURE_LIMIT", 10)
TRACKER_API_TOKEN_FAILURE_WINDOW_MINUTES = env_int("TRACKER_API_TOKEN_FAILURE_WINDOW_MINUTES", 15)
if TRACKER_API_TOKEN_FAILURE_LIMIT < 1 or TRACKER_API_TOKEN_FAILURE_WINDOW_MINUTES < 1:
    raise ImproperlyConfigured(
        "TRACKER_API_TOKEN_FAILURE_LIMIT and TRACKER_API_TOKEN_FAILURE_WINDOW_MINUTES must be "
        "at least 1."
    )

# The reports page and its completeness figures, once counted, are shown for up to this many
# seconds after the records change (the page says when they were counted, and "Count again
# now" counts at once); 0 counts again after every change (reports/page_cache.py).
TRACKER_REPORTS_MAX_LAG_SECONDS = env_int("TRACKER_REPORTS_MAX_LAG_SECONDS", 60)
if TRACKER_REPORTS_MAX_LAG_SECONDS < 0:
    raise ImproperlyConfigured("TRACKER_REPORTS_MAX_LAG_SECONDS must be 0 or more.")

# The guideline profile used when a request names none (CLINICAL_RULES.md section 3).
TRACKER_GUIDELINE_PROFILE = env_str("TRACKER_GUIDELINE_PROFILE", "cms-2021")
# Secret for the stable pseudonyms of de-identified reports (reports/deid.py). Keep it
# apart from DJANGO_SECRET_KEY: changing it changes every pseudonym.
TRACKER_PSEUDONYM_KEY = env_str("TRACKER_PSEUDONYM_KEY")

# The patient's diary link (CLINICAL_RULES 9): requests per client address to the token page
# and endpoints (a DRF rate: "30/minute", "500/hour"), and the address the link is built on
# (e.g. https://diary.clinic.example; empty: the host of the staff member's request).
TRACKER_DIARY_RATE = env_str("TRACKER_DIARY_RATE", "30/minute")
if not re.fullmatch(r"[1-9]\d*/(s|m|h|d)[a-z]*", TRACKER_DIARY_RATE):
    raise ImproperlyConfigured('TRACKER_DIARY_RATE must be a rate such as "30/minute".')
TRACKER_PATIENT_BASE_URL = env_str("TRACKER_PATIENT_BASE_URL", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.auth.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["blocks.api.permissions.ClinicalRolePermission"],
    # The contract's bodies are JSON (form encodings would turn every number into a string),
    # nested at most 32 levels deep (blocks/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["blocks.api.parsers.DepthLimitedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "blocks.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "blocks.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}

# Names of the schema's vocabulary enums; blocks/api/vocabulary.py ENUMS gives their codes.
API_VOCABULARY_ENUMS = (
    "ResponseEnum",
    "ValidityEnum",
    "WarningCodeEnum",
    "NonDiagnosticCodeEnum",
    "NextStepCodeEnum",
    "DiscResultEnum",
    "ProfileNameEnum",
    "ContraindicationEnum",
    "HardStopEnum",
    "ScreeningWarningEnum",
    "FrequencyWarningCodeEnum",
    "LevelEnum",
)
SPECTACULAR_SETTINGS = {
    "TITLE": "Diagnostic block outcome tracker API",
    "DESCRIPTION": "Records diagnostic spinal blocks, interprets them under guideline "
    "profiles and suggests the next step.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH bodies keep their required fields: an edit must name the version it is based on.
    "COMPONENT_SPLIT_PATCH": False,
    # A finding's code and kind, apart from a complication's code and a procedure's kind.
    "ENUM_NAME_OVERRIDES": {
        "CodeEnum": "tracker.schema.complication_codes",
        "KindEnum": "tracker.schema.procedure_kinds",
        "FindingCodeEnum": "blocks.rules.catalogue.FINDING_CODES",
        "FindingKindEnum": "blocks.rules.catalogue.KINDS",
        "EvidenceEnum": "blocks.rules.catalogue.EVIDENCE_TAGS",
        # The engine's vocabularies (blocks/api/vocabulary.py ENUMS, from blocks/rules/vocab.py).
        **{name: f"blocks.api.vocabulary.CHOICES.{name}" for name in API_VOCABULARY_ENUMS},
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # 503 + Retry-After on every operation: a busy database (tracker/schema.py).
        "tracker.schema.add_busy_responses",
        # 429 with Retry-After wherever a token is accepted (failed token attempts throttled).
        "tracker.auth.schema.document_token_throttling",
    ],
}

# No identifier in any log: request lines lose their query strings (an MRN search is
# `?mrn=...`) and patient tokens in paths are masked (tracker/logging.py). django.server is
# redefined as Django defines it, with the filter added.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_line": {"()": "tracker.logging.RequestLineFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "level": "INFO",
        },
    },
    "loggers": {
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["request_line"],
        },
        "django.request": {"filters": ["request_line"]},
        # WeasyPrint logs every layout step at INFO: only its warnings are worth a line.
        "weasyprint": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}


# --- Background jobs and the messages they send (follow-up invitations) ---
# The database backend needs no extra server; the test suite runs each job at once.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TRACKER_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
# The address in the patient's link (a job has no request to read it from).
TRACKER_BASE_URL = env_str("TRACKER_BASE_URL", "http://localhost:8000").rstrip("/")
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "clinic@localhost")
# blocks/messaging.py: the default writes each text message to the log (tokens masked).
TRACKER_SMS_BACKEND = env_str("TRACKER_SMS_BACKEND", "blocks.messaging.LogSmsBackend")
