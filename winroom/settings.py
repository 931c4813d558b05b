"""Winroom settings: one module, typed values read from the environment.

Environment variables (all optional for the embedded default):
  DATABASE_URL      postgres://user:pass@host:5432/name (default: SQLite in var/winroom.sqlite3)
  SECRET_KEY        required when DEBUG is off
  DEBUG             1/0 (default 1 for the embedded default, 0 when SECRET_KEY is set)
  ALLOWED_HOSTS     comma-separated (default: localhost names)
  WINROOM_VAR_DIR   where SQLite, uploads and collected static files live (default ./var)
  SECURE_COOKIES    1/0 mark session and CSRF cookies secure (default: on when DEBUG is off)
  SECURE_SSL_REDIRECT     1 to redirect plain HTTP to HTTPS (default 0: the proxy usually does)
  SECURE_HSTS_SECONDS     HSTS max-age to send (default 0; e.g. 31536000 once HTTPS is certain)
  BEHIND_TLS_PROXY  1 when a proxy terminates TLS and sets X-Forwarded-Proto
  EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
  DEFAULT_FROM_EMAIL      reminder e-mail (console backend in development)
  WINROOM_TASKS_REDIS_URL (or REDIS_URL)  redis://host:6379/0 queues background jobs (large
                    imports) and their progress in Redis (pip install redis); default: a
                    SQLite queue file and a file cache in the var dir, no server needed
  WINROOM_TASKS_IMMEDIATE 1 runs background jobs at once in the calling process (tests do)
  WINROOM_TASKS_WORKERS   worker threads of the task consumer (default 1)
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("WINROOM_VAR_DIR", PROJECT_DIR / "var")).resolve()

_secret = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", default=not _secret)
if not _secret and not DEBUG:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
SECRET_KEY = _secret or "winroom-insecure-development-key-change-me-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "winroom.org",
    "winroom.accounts",
    "winroom.activities",
    "winroom.deals",
    "winroom.leads",
    "winroom.visits",
    "winroom.plans",
    "winroom.notifications",
    "winroom.today",
    "winroom.demo",
    "winroom.imports",
    "winroom.attributes",
    "winroom.incentives",
    "winroom.insights",
    "winroom.winmodel",
    "axes",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "winroom.org.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "winroom.org.security.SessionTimeoutMiddleware",
    # last, as django-axes asks: it turns a lockout into the answer of locked_out()
    "axes.middleware.AxesMiddleware",
]

# Failed logins: per account and per address, see winroom/org/security.py
AUTHENTICATION_BACKENDS = [
    "winroom.org.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("WINROOM_LOGIN_FAILURE_LIMIT", "100"))
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "winroom.org.security.client_ip"
AXES_LOCKOUT_CALLABLE = "winroom.org.security.locked_out"
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
WINROOM_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("WINROOM_TRUSTED_PROXIES", "").split(",") if p.strip()
]
WINROOM_SESSION_IDLE_MINUTES = int(os.environ.get("WINROOM_SESSION_IDLE_MINUTES", "120"))
WINROOM_SESSION_MAX_HOURS = int(os.environ.get("WINROOM_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = WINROOM_SESSION_MAX_HOURS * 3600

ROOT_URLCONF = "winroom.urls"
WSGI_APPLICATION = "winroom.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'winroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once; WAL lets readers go on.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "winroom_language"
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Browser preload lists are a per-domain commitment (and meaningless on an intranet host):
# opt in with SECURE_HSTS_PRELOAD=1 rather than being nagged by the deployment check.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
FORMS_URLFIELD_ASSUME_HTTPS = True
FORMAT_MODULE_PATH = ["winroom.formats"]
USE_THOUSAND_SEPARATOR = False  # grouped where a template asks (floatformat "g"), never in inputs

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "winroom.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "winroom.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Winroom API",
    "DESCRIPTION": _("Key-account sales management on the TAS+ method."),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "winroom.plans.models.PlanStatus",
        "ImportKindEnum": "winroom.imports.models.ImportKind",
    },
}

# E-mail (reminders): printed to the console in development, SMTP otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "winroom@localhost")

# Background jobs (huey): large imports run in the task consumer, `python -m winroom.manage
# run_huey` (`make run` starts it), not in a web request. Their progress is written to the
# "progress" cache, which the web process must share with the consumer's.
TASKS_REDIS_URL = os.environ.get("WINROOM_TASKS_REDIS_URL") or os.environ.get("REDIS_URL", "")
TASKS_IMMEDIATE = env_bool("WINROOM_TASKS_IMMEDIATE", default="pytest" in sys.modules)
HUEY = {
    "name": "winroom",
    "huey_class": "huey.RedisHuey" if TASKS_REDIS_URL else "huey.SqliteHuey",
    "immediate": TASKS_IMMEDIATE,
    "results": False,
    "connection": (
        {"url": TASKS_REDIS_URL}
        if TASKS_REDIS_URL
        else {"filename": str(VAR_DIR / "tasks.sqlite3")}
    ),
    "consumer": {
        "workers": int(os.environ.get("WINROOM_TASKS_WORKERS", "1")),
        "worker_type": "thread",
    },
}
if TASKS_REDIS_URL:
    _progress_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": TASKS_REDIS_URL,
    }
elif TASKS_IMMEDIATE:  # tasks run in this very process: its memory is shared enough
    _progress_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    _progress_cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache" / "progress"),
    }
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "progress": _progress_cache,
}
if not TASKS_REDIS_URL and not TASKS_IMMEDIATE:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite queue file is opened at start-up

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
