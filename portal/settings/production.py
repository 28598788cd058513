"""Production: everything secret or install-specific comes from the environment, loudly.

Required: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS. Recommended: REDIS_URL (shared cache, sessions
and the public response cache). Optional: DATABASE_REPLICA_URL, SEARCH_BACKEND +
ELASTICSEARCH_URL, AWS_STORAGE_BUCKET_NAME (media on object storage).
docs/DEPLOYMENT.md lists every variable."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, env_bool, env_list

for required in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
    if not os.environ.get(required):
        raise ImproperlyConfigured(f"Set {required} in the environment.")

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

# HTTPS only. TLS ends at the load balancer, which must set X-Forwarded-Proto and overwrite any
# value a client sent; the app servers must not be reachable except through it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# One year, subdomains included, eligible for the browsers' preload list (set
# SECURE_HSTS_PRELOAD=false while any subdomain still serves plain HTTP).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Static files: collectstatic writes each file under a name with its content hash, plus a gzip
# copy (and a brotli one if the Brotli package is installed) — base STORAGES; whitenoise serves
# them with far-future cache headers.
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365

# Media (uploaded images and documents) on S3-compatible object storage when a bucket is named,
# so no app server keeps files of its own.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
        },
    }

# drf-spectacular's deploy check builds the whole schema, database included, at every
# `check --deploy`; the schema is verified by the API's own tests instead.
SPECTACULAR_SETTINGS["ENABLE_DJANGO_DEPLOY_CHECK"] = False  # noqa: F405

LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "json")
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")
