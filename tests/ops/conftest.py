import pytest
from django.core.cache import caches

from tests.redis_cache import redis_caches, unique_prefix

from .helpers import running_gunicorn


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
    prefix = unique_prefix("ops")
    settings.CACHES = redis_caches(prefix)
    settings.OPS_RESPONSE_CACHE = True
    cache = caches["default"]
    yield cache
    cache.delete_pattern("*")


@pytest.fixture(scope="module")
def gunicorn():
    """The project's server as deployed (gunicorn.conf.py, portal.wsgi), for one module's tests."""
    with running_gunicorn() as port:
        yield port
