"""manyi's one settings module. Every value comes from the environment (see README)."""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env("MANYI_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into var/."""
    if key := env("SECRET_KEY", default=""):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "manyi.audit",
    "manyi.org",
    "manyi.customers",
    "manyi.imports",
    "manyi.notify",
    "manyi.surveys",
    "manyi.analytics",
    "manyi.cases",
    "manyi.care",
    "manyi.improve",
    "manyi.people",
    "manyi.privacy",
    "manyi.api",
    "manyi.jobs",
    "manyi.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "manyi.jobs.metrics.RequestMetricsMiddleware",
    "manyi.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "manyi.web.middleware.ReaderChangesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "manyi.web.middleware.TwoFactorMiddleware",
    "manyi.web.middleware.NulQueryMiddleware",
    "manyi.analytics.replica.ReportsFromReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "manyi.urls"
WSGI_APPLICATION = "manyi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "manyi.web.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'manyi.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while one writer commits; IMMEDIATE avoids
            # "database is locked" upgrades inside transactions.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A read replica for the reports (PostgreSQL streaming replication), if there is one.
if _replica := env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url_config(_replica),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["manyi.analytics.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.Staff"

# --- background work --------------------------------------------------------------
# The database backend (embedded, and fine for a few hosts) or RQ on Redis:
# TASK_BACKEND=django_tasks_rq.RQBackend with RQ_URL; then `manyi rqworker` runs the tasks
# and `manyi worker` the sweeps (see docs/production.md).
TASKS = {"default": {"BACKEND": env("TASK_BACKEND", default="django_tasks_db.DatabaseBackend")}}
WORKER_INTERVAL = env.float("WORKER_INTERVAL", default=1.0)
RQ_QUEUES = {
    "default": {
        "URL": env("RQ_URL", default="redis://127.0.0.1:6379/0"),
        "DEFAULT_TIMEOUT": env.int("RQ_JOB_TIMEOUT", default=3600),
    }
}
RQ = {
    "QUEUE_CLASS": "manyi.jobs.rq.RetryingQueue",
    "WORKER_CLASS": "manyi.jobs.rq.Worker",
    "JOB_CLASS": "django_tasks_rq.backend.Job",  # runs a job as the task it names
}
RQ_RETRIES = env.int("RQ_RETRIES", default=3)
# A running job beats every RQ_JOB_MONITORING_INTERVAL seconds; a job silent for that
# plus RQ_HEARTBEAT_GRACE seconds is taken for abandoned and run again.
RQ_JOB_MONITORING_INTERVAL = env.int("RQ_JOB_MONITORING_INTERVAL", default=10)
RQ_HEARTBEAT_GRACE = env.int("RQ_HEARTBEAT_GRACE", default=30)

# Roles that must sign in with a second factor (a code from an authenticator app).
TWO_FACTOR_ROLES = env.list("TWO_FACTOR_ROLES", default=["admin", "hq_analyst"])
OTP_TOTP_ISSUER = "manyi"

# Prometheus scrapes /metrics with this bearer token; unset, only this host may.
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# --- auth and security ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Sign-in failures and every rate limit count by the client's address: behind a reverse
# proxy, list its addresses (or networks) here, so X-Forwarded-For is believed from it
# and from nobody else.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address") from _error
AXES_CLIENT_IP_CALLABLE = "manyi.web.ratelimit.client_ip"

# Production behind HTTPS sets SECURE=true: secure cookies, HSTS, SSL redirect.
SECURE = env.bool("SECURE", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- language and time -----------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]  # in the package: wheels have it
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True
PHONE_DEFAULT_REGION = env("PHONE_DEFAULT_REGION", default="CN")

# --- files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
NODE_MODULES = Path(env("NODE_MODULES", default=str(BASE_DIR / "node_modules")))
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "manyi.web.finders.NodeModulesFinder",
]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploads above this size are written to disk rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=512)
# Files up to this many bytes are checked and committed in the request; larger ones
# run as a background task with a progress bar.
IMPORT_INLINE_MAX_BYTES = env.int("IMPORT_INLINE_MAX_BYTES", default=256 * 1024)

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="manyi@localhost")
SMS_BACKEND = env("SMS_BACKEND", default="manyi.notify.backends.ConsoleSmsBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
# Shared with the mail gateway or system that posts cases to /hooks/cases/ (HMAC-SHA256
# of "<timestamp>.<body>"); empty: the endpoint is off.
CASE_INTAKE_SECRET = env("CASE_INTAKE_SECRET", default="")
# The address customers' survey links point to, e.g. https://csi.example.com
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Shared between the web processes and the worker (import progress, rate limits).
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "manyi.web.cache.Cache"  # one Redis client, not one a call
if CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
    # Past MAX_ENTRIES every write deletes a third of the files at random (import progress
    # among them); each reader's home cards are a dozen entries.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)

# Seconds a drawn home card of live counts (and the home inbox, the top bar's count) is
# shown again; the reader's own change draws theirs afresh at once (web/registry.py).
HOME_LIVE_SECONDS = env.int("HOME_LIVE_SECONDS", default=30)

# Public survey forms: posts allowed per invitation and per address in ten minutes.
SURVEY_POSTS_PER_TOKEN = env.int("SURVEY_POSTS_PER_TOKEN", default=120)
SURVEY_POSTS_PER_IP = env.int("SURVEY_POSTS_PER_IP", default=600)
SURVEY_OPEN_STARTS_PER_IP = env.int("SURVEY_OPEN_STARTS_PER_IP", default=60)
# Searches by phone number an hour for a role that may not reveal numbers.
PHONE_SEARCHES_PER_HOUR = env.int("PHONE_SEARCHES_PER_HOUR", default=30)
