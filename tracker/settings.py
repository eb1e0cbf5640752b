"""Settings for the diagnostic block outcome tracker.

Every value that differs between a laptop and a clinic server comes from the
environment (see README and .env.example). DEBUG is off unless asked for.
"""

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
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "blocks",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tracker.security.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
# Every request moves the expiry on, so a session ends after this many minutes without one.
TRACKER_SESSION_IDLE_MINUTES = env_int("TRACKER_SESSION_IDLE_MINUTES", 15)
if TRACKER_SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("TRACKER_SESSION_IDLE_MINUTES must be at least 1.")
SESSION_COOKIE_AGE = TRACKER_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True

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

# The guideline profile used when a request names none (CLINICAL_RULES.md section 3).
TRACKER_GUIDELINE_PROFILE = env_str("TRACKER_GUIDELINE_PROFILE", "cms-2021")
# Secret for the stable pseudonyms of de-identified reports (reports/deid.py). Keep it
# apart from DJANGO_SECRET_KEY: changing it changes every pseudonym.
TRACKER_PSEUDONYM_KEY = env_str("TRACKER_PSEUDONYM_KEY")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
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
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}
