"""The Redis server these machines run (127.0.0.1:6379), as Django cache settings under a key
prefix of the test's own, so parallel test runs never meet."""

import uuid

REDIS_URL = "redis://127.0.0.1:6379/0"


def unique_prefix(name: str) -> str:
    return f"abi-{name}-test-{uuid.uuid4().hex[:8]}"


def redis_caches(prefix: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
