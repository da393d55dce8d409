"""Reciproca's one settings module: every setting that differs between machines comes from
the environment (see README, "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("RECIPROCA_DEBUG", default=False)


def _secret_key() -> str:
    """RECIPROCA_SECRET_KEY, or a random key kept in var/secret_key for a one-machine install.

    Several machines behind one site must share RECIPROCA_SECRET_KEY (see README).
    """
    if key := os.environ.get("RECIPROCA_SECRET_KEY"):
        return key
    import secrets

    path = BASE_DIR / "var" / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_urlsafe(50)
        handle.write(key)
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("RECIPROCA_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("RECIPROCA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "reciproca.core",
    "reciproca.accounts",
    "reciproca.reference",
    "reciproca.territories",
    "reciproca.charter",
    "reciproca.partnerships",
    "reciproca.projects",
    "reciproca.diagnosis",
    "reciproca.results",
    "reciproca.finance",
    "reciproca.pooling",
    "reciproca.api",
    "reciproca.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "reciproca.accounts.two_factor.TwoFactorMiddleware",
    "reciproca.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reciproca.core.security.SecurityHeadersMiddleware",
    "reciproca.api.middleware.ApiJsonErrorsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "reciproca.charter.middleware.ActiveCharterMiddleware",
    "reciproca.core.middleware.DomainRefusalMiddleware",
]

# Benchmarks only (bench/bench_scale.py), never in production: the server time and query count
# in response headers, and a bare reference view at /_bench/bare/ (reciproca/core/bench.py).
RECIPROCA_BENCH = env_bool("RECIPROCA_BENCH", default=False)
if RECIPROCA_BENCH:
    MIDDLEWARE.insert(0, "reciproca.core.bench.BenchTimingMiddleware")

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Persistent connections: a worker keeps its database connection for a minute (no new
# PostgreSQL connection per request), checked before reuse after a request; 0 turns them off.
# A development server (DEBUG) opens one per request, as Django does by default.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'reciproca.sqlite3'}"),
        conn_max_age=int(os.environ.get("RECIPROCA_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "projects:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    # ModelBackend, the user read with their organisation (one query per request)
    "reciproca.accounts.backends.UserWithOrganisationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The interface speaks French first; partners work in English, Arabic or Armenian.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("Français")),
    ("en", _("English")),
    ("ar", _("العربية")),
    ("hy", _("Հայերեն")),
]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
# A text written in one language only is shown to everybody rather than left blank.
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr", "en", "ar", "hy")
# Dates, amounts and numbers as each language writes them ("300 000,00" in French and
# Armenian, the Arabic comma in Arabic dates): config/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("RECIPROCA_STATIC_ROOT", BASE_DIR / "var" / "static"))
# The project-wide stylesheet and images (static/) beside the apps' own static files.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("RECIPROCA_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploaded documents (core/uploads.py): outside the web root, served only through policy views.
RECIPROCA_PRIVATE_ROOT = Path(
    os.environ.get("RECIPROCA_PRIVATE_ROOT", BASE_DIR / "var" / "private")
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "RECIPROCA_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "reciproca.api.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bodies bounded in size and depth (reciproca/api/parsers.py): a clear 400, never a 500.
    "DEFAULT_PARSER_CLASSES": [
        "reciproca.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Numbered pages or cursors, as the request asks (reciproca/api/pagination.py).
    "DEFAULT_PAGINATION_CLASS": "reciproca.api.pagination.CursorOrPagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Reciproca API",
    "DESCRIPTION": "Partnerships, programmes, organisations and projects run by the charter.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's 400/401/403/404/429 with the one error body (reciproca/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "reciproca.api.schema.document_errors",
    ],
    # Several models have a `kind` or a stage field: name their enums once, so the schema
    # generates without collisions (`reciproca spectacular --fail-on-warn` runs in the tests).
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "reciproca.partnerships.models.Organisation.Kind",
        "TerritoryKindEnum": "reciproca.territories.models.Territory.Kind",
        "StageEnum": "reciproca.projects.models.Stage",
        "ImpactResponseKindEnum": "reciproca.diagnosis.models.ResponseKind",
        "CoordinationOutcomeEnum": "reciproca.pooling.models.Coordination.Outcome",
        "FundingSearchOutcomeEnum": "reciproca.finance.models.FundingSearch.Outcome",
        "DecisionOutcomeEnum": "reciproca.projects.models.Decision.Outcome",
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("RECIPROCA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# The charter file loaded by `reciproca setup_instance` and by the demo.
RECIPROCA_CHARTER_FILE = Path(
    os.environ.get(
        "RECIPROCA_CHARTER_FILE", BASE_DIR / "reciproca" / "charter" / "charters" / "isere.yaml"
    )
)
# How long before an agreement's end it is shown as expiring is the charter's rule
# `agreement_warning_days` (reciproca.charter.engine.rule).

# Production behind HTTPS (RECIPROCA_HTTPS=1): secure cookies, HSTS, redirect to HTTPS, and the
# proxy's X-Forwarded-Proto trusted. `reciproca check --deploy` is clean with it (CI runs it).
HTTPS = env_bool("RECIPROCA_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS or env_bool("RECIPROCA_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("RECIPROCA_HSTS_SECONDS", 31_536_000)) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Two-factor authentication (TOTP, recovery codes) for the host authority's staff and the
# administrators (accounts/two_factor.py). On by default; RECIPROCA_STAFF_2FA=0 turns it off
# (the demo, whose personas have no authenticator app).
RECIPROCA_STAFF_2FA = env_bool("RECIPROCA_STAFF_2FA", default=True)
OTP_TOTP_ISSUER = "Reciproca"

# E-mail (invitations, notifications): printed on the console unless a backend is configured.
EMAIL_BACKEND = os.environ.get(
    "RECIPROCA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("RECIPROCA_FROM_EMAIL", "reciproca@localhost")
# The address people reach this instance at, for links in e-mails.
RECIPROCA_BASE_URL = os.environ.get("RECIPROCA_BASE_URL", "http://127.0.0.1:8000")
# The proxies whose X-Forwarded-For is believed (core/clients.py): addresses or networks.
RECIPROCA_TRUSTED_PROXIES = env_list("RECIPROCA_TRUSTED_PROXIES")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RECIPROCA_LOG_LEVEL", "WARNING")},
}
