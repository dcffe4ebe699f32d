"""Dealsite settings: one file, every deployment-specific value read from the environment."""

import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV

from dealsite.env import envbool, envcache, envfloat, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", "1")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "deals",
]

MIDDLEWARE = [
    "dealsite.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "deals.web.middleware.RefuseNulInAdminQuery",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "deals.web.middleware.ContentVersionReadOnce",
    # Last: a kept page is answered after the language, the user and the content version are known, and the
    # headers the middleware above adds (security, CSP, request id) are added to it afresh.
    "dealsite.page_cache.PageCache",
]

ROOT_URLCONF = "dealsite.urls"
WSGI_APPLICATION = "dealsite.wsgi.application"

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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
        # A connection kept between requests is checked before a request's first query: after a restart of the
        # database the first request of each worker would otherwise fail on the connection the restart closed.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The site's queries read a page of rows by index: starting parallel workers costs more than they save
    # (45 ms of a 52 ms query measured on two cores). DB_PARALLEL_WORKERS raises it for a bigger machine.
    workers = envint("DB_PARALLEL_WORKERS", "0")
    # PostgreSQL's default random page cost (4) is a spinning disk's: it then hashes all 10,000 companies rather
    # than look up a page's hundred by key. 1.1 is the usual figure for SSDs and for data that fits in memory.
    page_cost = envfloat("DB_RANDOM_PAGE_COST", "1.1")
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # A statement running longer is cancelled by PostgreSQL (0: never). dealsite/wsgi.py makes 30 s the default of
    # the web workers, whose requests take milliseconds; commands (migrations, bulk loads, backups) have none.
    statement_timeout = envint("DB_STATEMENT_TIMEOUT", "0")
    options["options"] = (
        f"-c max_parallel_workers_per_gather={workers} -c random_page_cost={page_cost}"
        f" -c statement_timeout={statement_timeout * 1000}"
    )
    # A server that does not answer (hung, or a network that drops packets) fails the connection after this many
    # seconds instead of the operating system's minutes.
    options["connect_timeout"] = envint("DB_CONNECT_TIMEOUT", "5")
    # DB_POOL: Django's connection pool (psycopg_pool, the psycopg[pool] extra), at most this many connections per
    # process, instead of one connection kept DB_CONN_MAX_AGE seconds (Django refuses both at once). 0: no pool.
    pool_size = envint("DB_POOL", "0")
    if pool_size:
        options["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": options["connect_timeout"]}
        DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Seconds a connection waits for another's write lock before "database is locked" (Python's default, said).
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options["timeout"] = envfloat("DB_BUSY_TIMEOUT", "5")
    # Served by several processes (web workers, the task worker, a backup): in WAL mode readers never wait for the
    # writer nor the writer for them, and NORMAL syncs at checkpoints only, still safe against a crash of the app.
    sqlite_options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# /healthz answers 503 after this many seconds without an answer from the database (dealsite.health).
HEALTHZ_TIMEOUT = 1.0

# Errors to stderr, one line each (its traceback on the same line), with the request id its 500 page and the API's
# 500 body show (dealsite.request_id). Without this Django sends request errors to ADMINS by mail only when DEBUG
# is off, and there are none: no error would reach any log. A 4xx is a client's mistake, not logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dealsite.request_id.RequestIdFilter"}},
    "formatters": {
        "one_line": {
            "()": "dealsite.request_id.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": "one_line",
        }
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}

# The one cache, shared by every worker: the API throttle's request history (a count per process let 2 workers pass
# 120 requests a minute at a limit of 60), list totals and company lookups, and whole public responses
# (dealsite.page_cache), all kept under the content version. CACHE_URL: redis://… (Django's RedisCache with redis-py)
# where there are several machines or many workers. Unset, a file-based cache under the project: shared by every
# process of the machine and needing no service and no table. Not Django's database cache: a read and a write more
# on each request, on the database the pages wait for (SQLite's one writer above all). Nothing per process
# (LocMemCache): a worker would serve what another has seen change. The login lock-out (django-axes) keeps its
# failures in the database (its default handler), which every worker shares too.
# The throttle's history has a part of its own: a file cache culls a third of its entries when full, and a flood of
# distinct lists or pages must not wipe the count of a client's requests with it.
CACHES = {
    "default": envcache("CACHE_URL", BASE_DIR / ".django-cache"),
    "throttle": envcache("CACHE_URL", BASE_DIR / ".django-cache", part="throttle"),
}
# Seconds a public response is kept (dealsite.page_cache); a save retires it sooner (the content version). 0: off.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", str(24 * 60 * 60))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# What editors write titles, summaries and descriptions in: a page in another language marks them as not translated
# (deals.templatetags.languages). A source keeps its own language (Source.language).
EDITORIAL_LANGUAGE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["dealsite.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Security. Production (DEBUG off) is strict by default; a proxy that terminates TLS is declared explicitly.
NUM_PROXIES = envint("NUM_PROXIES", "0")
if envbool("BEHIND_TLS_PROXY", "0"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "0" if DEBUG else "1")
# A load balancer's health probe speaks plain HTTP to the worker: it must see the 200 or 503, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts only from our own files: no inline scripts anywhere, the API docs included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Derived figures (money flows, alliances, company totals, circular deals) are rebuilt by tasks
# (deals.figures.tasks): with
# "database" (the default) a save queues them in the database and `manage.py db_worker` runs them; "immediate" runs
# them in the saving request (the tests do).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, got {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}

# Admin logins: a few failures from one address for one user name lock that pair out for an hour. The failures are
# kept in the database (axes' database handler, said here as it is what makes every worker see them alike).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "dealsite.client_ip.client_ip"

# Anonymous API clients: requests per client address ("N/second|minute|hour|day").
API_ANON_RATE = os.environ.get("API_ANON_RATE", "60/minute")
if not re.fullmatch(r"[1-9]\d*/(second|minute|hour|day)", API_ANON_RATE):
    raise ImproperlyConfigured(f"API_ANON_RATE must look like 60/minute, got {API_ANON_RATE!r}")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous write is a 401 with `WWW-Authenticate: Token`.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON for clients that accept anything, a browsable page for a browser (text/html), CSV when asked for.
    "DEFAULT_RENDERER_CLASSES": [
        "deals.api.json_renderer.JSONRenderer",
        "deals.api.renderers.BrowsableRenderer",
        "deals.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "deals.api.pagination.CountedPagination",
    "DEFAULT_THROTTLE_CLASSES": ["deals.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
    # Client addresses for throttling come from the socket, or from X-Forwarded-For behind NUM_PROXIES proxies.
    "NUM_PROXIES": NUM_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Dealsite API",
    "DESCRIPTION": (
        "Source-linked deals of the AI industry: companies, deals, alliances and sources, with the filters of "
        "the public pages. Anonymous clients read published data, throttled to "
        f"{API_ANON_RATE} per address (429 with Retry-After past it). Staff authenticate with "
        "`Authorization: Token <key>` or a session and write with their admin permissions. Lists are paginated "
        "(`page`, `page_size` up to 100) and come as JSON or CSV (`?format=csv`). Every 200 carries an ETag; "
        "send it back in If-None-Match for a 304."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "deals.api.schema.empty_query_values_mean_absent",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CompanyKindEnum": "deals.core.choices.CompanyKind",
        "DealKindEnum": "deals.core.choices.DealKind",
        "QualifierEnum": "deals.core.choices.Qualifier",
        "DatePrecisionEnum": "deals.core.choices.DatePrecision",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

SIMPLE_HISTORY_REVERT_DISABLED = False

DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
IMPORT_FORMATS = EXPORT_FORMATS = [CSV]
