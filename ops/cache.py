"""The public response cache: anonymous GETs of public pages and API reads, kept until the data
they show changes.

Every entry is keyed by a *data version*. Any save or delete of content (ops.signals) bumps the
version once its transaction commits, so every entry made before the change is simply never
looked up again and expires on its own. The version lives in the cache itself, so with Redis it
is shared by every worker on every server; with the process-local memory cache it is not, which
is why the response cache is on by default only when REDIS_URL is set (see settings).

Today's date is part of the key as well: a price scheduled for tomorrow becomes current at
midnight without anyone saving anything."""

import hashlib
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

VERSION_KEY = "ops:data-version"
CHANGED_AT_KEY = "ops:data-changed-at"


def _cache():
    return caches[settings.OPS_CACHE_ALIAS]


def _fresh_version() -> int:
    # Milliseconds since the epoch: if the counter is ever evicted, its successor starts above
    # every version used before, so no old entry can be mistaken for a current one.
    return int(time.time() * 1000)


def data_version() -> int:
    cache = _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY) or _fresh_version()
    return int(version)


def bump_data_version() -> int:
    """Invalidate every cached response. Called after commit of any content change; call it
    yourself after writes that send no model signals (QuerySet.update, bulk_create, raw SQL)."""
    cache = _cache()
    try:
        version = cache.incr(VERSION_KEY)
    except ValueError:  # no counter yet (first use, eviction, flushed cache)
        version = _fresh_version()
        cache.set(VERSION_KEY, version, timeout=None)
    cache.set(CHANGED_AT_KEY, time.time(), timeout=None)
    return int(version)


def seconds_since_last_change() -> float | None:
    changed_at = _cache().get(CHANGED_AT_KEY)
    return None if changed_at is None else time.time() - float(changed_at)


def request_digest(request) -> str:
    """Path, query (order-insensitive), language, scheme and host, and for the API the Accept
    header (content negotiation)."""
    query = sorted(
        parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True), key=lambda kv: kv[0]
    )
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        urlencode(query),
        getattr(request, "LANGUAGE_CODE", "") or "",
    ]
    if any(request.path.startswith(prefix) for prefix in settings.OPS_CACHE_VARY_ON_ACCEPT):
        parts.append(request.headers.get("Accept", ""))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def response_key(request, version: int, namespace: str = "response") -> str:
    """The request's entry under the data version and today's date."""
    return _key(namespace, version, request_digest(request))


def _key(namespace: str, version: int, digest: str) -> str:
    return f"ops:{namespace}:{version}:{timezone.localdate().isoformat()}:{digest}"


# The data version this process saw last. A lookup asks for it and for the entry stored under
# it in one round trip; only when the version has moved on since (a change was published)
# does it take a second one.
_last_seen_version: int | None = None


def lookup(request, namespace: str = "response") -> tuple[str, dict | None]:
    """The request's cache key under the current data version, and the entry stored there."""
    global _last_seen_version
    digest = request_digest(request)
    guess = _last_seen_version
    if guess is not None:
        key = _key(namespace, guess, digest)
        found = _cache().get_many([VERSION_KEY, key])
        if found.get(VERSION_KEY) is not None and int(found[VERSION_KEY]) == guess:
            return key, found.get(key)
    version = data_version()
    _last_seen_version = version
    key = _key(namespace, version, digest)
    return key, _cache().get(key)


def get_response(key: str):
    return _cache().get(key)


def store_response(key: str, entry: dict) -> None:
    _cache().set(key, entry, timeout=settings.OPS_CACHE_TIMEOUT)
