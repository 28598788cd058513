"""Tests: fast hashing, local-memory cache, a temporary media folder, the database search backend."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="abiportaal-test-media-")
# tests/jobs run a real worker in another process, which cannot see an in-memory database:
# on SQLite the test database is a file (pytest-xdist gives each worker its own).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "test-artefacts").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-artefacts" / "test-db.sqlite3")}  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
ALLOWED_HOSTS = ["*"]

# Serve static files straight from the apps; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The response cache outlives each test's rolled-back transaction and its invalidation runs on
# commit, which plain `db` tests never reach; tests/ops switch it on where they test it.
OPS_RESPONSE_CACHE = False

# A suite sends many API requests from one address; rate limits are switched on in the tests
# whose subject they are (tests/api/test_http.py, tests/ops/test_searches_and_limits.py).
API_THROTTLE_RATES = {"anonymous": None, "partner": None}

# Lexical search unless a test asks for the dense side (tests/search switch it on; the shipped
# catalogue's passage vectors make that cheap): other tests never run the model.
SEARCH_EMBEDDER = ""
