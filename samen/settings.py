"""Settings for Samen, read from the environment (django-environ).

With nothing set, Samen runs on a local SQLite file, runs Celery tasks eagerly and prints
e-mail to the console. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL, Redis and real
workers. ``DJANGO_ENV=production`` demands every secret and turns on the deploy hardening.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"


def _required(name: str) -> str:
    # os.environ, not env.str: django-environ reads a value starting with "$" as a reference to
    # another variable, and one in fifty generated secret keys starts with "$".
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_ENV=production.")
    return value


if PRODUCTION:
    SECRET_KEY = _required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in _required("DJANGO_ALLOWED_HOSTS").split(",") if h.strip()]
    _required("DATABASE_URL")
    _required("REDIS_URL")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-samen-local-development-only")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
    DEBUG = env.bool("DJANGO_DEBUG", default=False)

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin with Samen's admin site: no login form of its own (see admin_site.py).
    "samen.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "csp",
    "samen.accounts",
    "experts",
    "learning_networks",
    "participation",
    "evaluations",
    "samen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the middleware below, so their answers (a redirect to log in again) get it too.
    "samen.accounts.middleware.NoStoreForUsersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "samen.accounts.middleware.StaffSessionTimeoutMiddleware",
    # After the timeout above: a session it ended is not "seen".
    "samen.accounts.middleware.SessionLastSeenMiddleware",
    "samen.accounts.middleware.RequireMFAMiddleware",
    # An expert under 16 without a parent's consent sees only the pages they need to get it.
    "experts.middleware.WaitingForParentMiddleware",
]

ROOT_URLCONF = "samen.urls"
WSGI_APPLICATION = "samen.wsgi.application"

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
                "samen.accounts.context_processors.door",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL says otherwise (PostgreSQL in production and tests).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high, which takes longer than
    # running the short queries of a web page (150 ms seen for a 20 ms query).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DJANGO_CONN_MAX_AGE", default=60 if PRODUCTION else 0
)
# A kept connection is tested before a request uses it, so the first request after a
# PostgreSQL restart gets a new connection instead of an error.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] != 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker and cache when REDIS_URL is set; otherwise eager tasks and a local cache.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # A Redis that is down costs a bounded wait, then the cache falls back to process memory
    # (samen/cache.py): no page fails because of the cache.
    CACHES = {
        "default": {
            "BACKEND": "samen.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 1,
                "RETRY_SECONDS": env.int("SAMEN_CACHE_RETRY_SECONDS", default=5),
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
# No result backend: nothing waits for a task's result, and sending a task with one makes the
# sender wait about 20 s for a Redis that is down before it fails.
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Sending a task to a Redis that is down fails within about a second (samen/jobs.py then leaves
# the work to the sweeps). The visibility timeout is how long a task taken by a worker that
# died stays invisible before Redis hands it out again; it is longer than any task runs.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "visibility_timeout": env.int("SAMEN_CELERY_VISIBILITY_TIMEOUT", default=15 * 60),
}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
# A task is acknowledged when it is done, not when it is taken: a worker killed mid-task
# leaves it to run again (its child killed: at once; the whole worker: after the visibility
# timeout). Tasks claim their work, so the second run does only what the first did not finish.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "samen.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail is the login, no usernames, verified addresses, rate limits on.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# allauth's rate limits are on by default (login failures, password resets, ...).
ACCOUNT_ADAPTER = "samen.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "samen.accounts.forms.LoginForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samen] "
# People get an account through the coordinator's invitation, not by signing up themselves.
SAMEN_OPEN_SIGNUP = env.bool("SAMEN_OPEN_SIGNUP", default=False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samen"
# Coordinators and admins see special-category data; in production they must use MFA.
SAMEN_REQUIRE_MFA = env.bool("SAMEN_REQUIRE_MFA", default=PRODUCTION)
# Their sessions end after this many minutes without a request, and after this many hours in
# any case (samen/accounts/middleware.py). Experts and leads keep Django's session length.
SAMEN_STAFF_IDLE_MINUTES = env.int("SAMEN_STAFF_IDLE_MINUTES", default=30)
SAMEN_STAFF_SESSION_HOURS = env.int("SAMEN_STAFF_SESSION_HOURS", default=12)
# Sessions are recorded at login; not on every request (no write per page, less personal data).
# Their "last seen" is kept by SessionLastSeenMiddleware, written at most every 5 minutes.
USERSESSIONS_TRACK_ACTIVITY = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Internationalisation: Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# One way to write dates and numbers per language: samen/formats/<language>/formats.py, used
# through samen/formatting.py and the `euro` and `hours` template filters. No thousand separator
# by default: it would also group years, ids and numbers in form fields ("2.024"); the euro and
# hours formats group on purpose.
FORMAT_MODULE_PATH = ["samen.formats"]
USE_THOUSAND_SEPARATOR = False

# Static files: front-end packages come from npm (node_modules), never from a CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # WhiteNoise's and Django's storages, keeping each file's URL once worked out.
        "BACKEND": (
            "samen.storage.ManifestStaticStorage"
            if env.bool("SAMEN_MANIFEST_STATIC", default=PRODUCTION)
            else "samen.storage.StaticStorage"
        )
    },
    # Files with personal data (scans of signed consents): never under MEDIA_ROOT, no URL.
    "private": {"BACKEND": "samen.storage.PrivateStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"
SAMEN_PRIVATE_MEDIA_ROOT = env.path("SAMEN_PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")

# E-mail: the console unless EMAIL_URL is set.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Samen <noreply@samen.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. The policy allows only our own origin; templates use no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Trusted because only the TLS proxy reaches gunicorn (docker-compose.yml: no published
    # port for web) and the proxy sets this header itself, dropping a client's
    # (deploy/Caddyfile). Serving gunicorn to anyone else would let them claim https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Domain settings.
SAMEN_MAX_GROUP_SIZE = env.int("SAMEN_MAX_GROUP_SIZE", default=10)
SAMEN_ADVISED_GROUP_SIZE = env.int("SAMEN_ADVISED_GROUP_SIZE", default=7)
SAMEN_INACTIVE_AFTER_DAYS = 30
# The dashboard's figures are computed at most this often (0: on every visit).
SAMEN_DASHBOARD_CACHE_SECONDS = env.int("SAMEN_DASHBOARD_CACHE_SECONDS", default=60)
# Expert import: larger files are refused before they are read, and an .xlsx that unpacks
# to more than this before openpyxl reads it (experts/imports/parsing.py).
SAMEN_IMPORT_MAX_BYTES = env.int("SAMEN_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
SAMEN_IMPORT_MAX_UNPACKED_BYTES = env.int(
    "SAMEN_IMPORT_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024
)
# Request bodies. The proxy refuses more than 10 MB (deploy/Caddyfile). Django reads at most
# 2.5 MB of fields that are not files (a larger form is a 400), at most 10 files a request,
# and keeps an upload above 2.5 MB in a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
SAMEN_IMPORT_MAX_ROWS = env.int("SAMEN_IMPORT_MAX_ROWS", default=5000)
# How many days an invitation's link works. Three days is short for a burdened parent.
SAMEN_INVITATION_DAYS = env.int("SAMEN_INVITATION_DAYS", default=14)
if SAMEN_INVITATION_DAYS < 1:
    raise ImproperlyConfigured("SAMEN_INVITATION_DAYS must be 1 or more.")

# The day of the month on which approved fees and costs are paid out (the pay run). In a
# month with fewer days, the run is on its last day (participation/fees/selectors.py).
SAMEN_PAY_RUN_DAY = env.int("SAMEN_PAY_RUN_DAY", default=25)
if not 1 <= SAMEN_PAY_RUN_DAY <= 31:
    raise ImproperlyConfigured("SAMEN_PAY_RUN_DAY must be a day of the month, 1 to 31.")
# How many days the link in the e-mail to a parent or guardian (consent for an expert under
# 16) works, to answer and afterwards to withdraw. A new link can always be asked for.
SAMEN_PARENTAL_CONSENT_DAYS = env.int("SAMEN_PARENTAL_CONSENT_DAYS", default=14)
if SAMEN_PARENTAL_CONSENT_DAYS < 1:
    raise ImproperlyConfigured("SAMEN_PARENTAL_CONSENT_DAYS must be 1 or more.")

# A scan of a signed consent (PDF, JPEG or PNG) may be at most this large.
SAMEN_CONSENT_SCAN_MAX_BYTES = env.int("SAMEN_CONSENT_SCAN_MAX_BYTES", default=10 * 1024 * 1024)
# A receipt with logged hours (PDF, JPEG or PNG) may be at most this large.
SAMEN_RECEIPT_MAX_BYTES = env.int("SAMEN_RECEIPT_MAX_BYTES", default=5 * 1024 * 1024)
# How many days an expert's download of their own data stays ready (and its e-mail's link
# works); then the file is deleted (``data_exports_delete_expired``).
SAMEN_DATA_EXPORT_DAYS = env.int("SAMEN_DATA_EXPORT_DAYS", default=7)
if SAMEN_DATA_EXPORT_DAYS < 1:
    raise ImproperlyConfigured("SAMEN_DATA_EXPORT_DAYS must be 1 or more.")
# Links in e-mails need the site's address; tasks have no request to build it from.
SAMEN_SITE_URL = env.str(
    "SAMEN_SITE_URL",
    default=f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
