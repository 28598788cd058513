"""Production settings come from the environment, pass Django's deployment checks and switch the
shared services (Redis, replica, object storage) on when their variables are set."""

import json

from tests.ops.helpers import production_env, run_manage, run_python


def test_check_deploy_passes_with_production_environment(tmp_path):
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run_manage(["check"], env)
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
print(json.dumps({
    "debug": settings.DEBUG,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "proxy_ssl_header": settings.SECURE_PROXY_SSL_HEADER,
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "session_engine": settings.SESSION_ENGINE,
    "response_cache": settings.OPS_RESPONSE_CACHE,
    "databases": sorted(settings.DATABASES),
    "routers": settings.DATABASE_ROUTERS,
    "storage": default_storage.__class__.__name__,  # LazyObject proxies __class__
    "storage_bucket": getattr(default_storage, "bucket_name", None),
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "log_formatter": settings.LOGGING["handlers"]["console"]["formatter"],
}))
"""


def show_settings(env) -> dict:
    result = run_python(SHOW_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_is_https_only_with_hashed_compressed_static_files_and_json_logs(tmp_path):
    shown = show_settings(production_env(tmp_path))
    assert shown["debug"] is False
    assert shown["session_cookie_secure"] and shown["csrf_cookie_secure"]
    assert shown["hsts"] >= 31536000
    assert shown["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert shown["log_formatter"] == "json"


def test_without_redis_the_cache_is_local_and_the_response_cache_is_off(tmp_path):
    shown = show_settings(production_env(tmp_path))
    assert shown["cache_backend"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shown["session_engine"] == "django.contrib.sessions.backends.db"
    assert shown["response_cache"] is False


def test_redis_url_moves_cache_and_sessions_to_redis_and_turns_the_response_cache_on(tmp_path):
    shown = show_settings(production_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/0"))
    assert shown["cache_backend"] == "django_redis.cache.RedisCache"
    assert shown["session_engine"] == "django.contrib.sessions.backends.cache"
    assert shown["response_cache"] is True


def test_replica_url_adds_a_replica_database_and_the_router(tmp_path):
    shown = show_settings(
        production_env(tmp_path, DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'r.sqlite3'}")
    )
    assert shown["databases"] == ["default", "replica"]
    assert shown["routers"] == ["ops.db_router.ReplicaRouter"]


def test_media_goes_to_object_storage_when_a_bucket_is_named(tmp_path):
    local = show_settings(production_env(tmp_path))
    assert local["storage"] == "FileSystemStorage"
    s3 = show_settings(
        production_env(tmp_path, AWS_STORAGE_BUCKET_NAME="abiportaal-media", AWS_S3_REGION_NAME="eu-north-1")
    )
    assert s3["storage"] == "S3Storage"
    assert s3["storage_bucket"] == "abiportaal-media"


PRODUCTION_REQUEST = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/healthz", HTTP_HOST="10.0.0.5")
behind_tls = client.get("/i18n/setlang/", HTTP_HOST="abiportaal.example", HTTP_X_FORWARDED_PROTO="https")
missing = client.get("/en/no-such-page/", HTTP_HOST="abiportaal.example")
print(json.dumps({
    "plain_status": plain.status_code,
    "https_headers": dict(behind_tls.headers),
    "redirect": [missing.status_code, missing.headers.get("Location")],
}))
"""


def test_production_redirects_to_https_and_sends_hsts_but_health_checks_answer_over_http(tmp_path):
    result = run_python(PRODUCTION_REQUEST, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["plain_status"] == 200, "a load balancer probes by address over plain HTTP"
    headers = shown["https_headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert shown["redirect"] == [301, "https://abiportaal.example/en/no-such-page/"]
