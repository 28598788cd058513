import uuid

import pytest
from django.core.cache import caches

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_caches(prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.fixture
def response_cache(settings):
    """The public response cache switched on, on the test settings' local-memory cache, empty."""
    settings.OPS_RESPONSE_CACHE = True
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


@pytest.fixture
def redis_response_cache(settings):
    """The public response cache on the Redis server these machines run, under a key prefix of
    its own so parallel test runs do not meet."""
    prefix = f"abi-ops-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = redis_caches(prefix)
    settings.OPS_RESPONSE_CACHE = True
    cache = caches["default"]
    yield cache
    cache.delete_pattern("*")
