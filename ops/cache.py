"""The public response cache: anonymous GETs of public pages and API reads, kept until the data
they show changes.

Every entry is keyed by the content version (directory.content_version): once a change to
published content commits, every entry made before it is simply never looked up again and
expires on its own. The version lives in the database, so every worker sees it move at once;
the entries live in the cache, which is shared only with Redis — which is why the response cache
is on by default only when REDIS_URL is set (see settings).

Today's date is part of the key as well: a price scheduled for tomorrow becomes current at
midnight without anyone saving anything. So is the release (ops.release): a deploy that renders
pages differently starts from an empty cache."""

import hashlib
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from directory import content_version

from . import release

CHANGED_AT_KEY = "ops:content-changed-at"


def _cache():
    return caches[settings.OPS_CACHE_ALIAS]


def remember_change(sender=None, **kwargs) -> None:
    """Receiver of directory.content_version.bumped: when content last changed, for
    PrimaryDatabaseMiddleware (a replica may not have the change yet)."""
    _cache().set(CHANGED_AT_KEY, time.time(), timeout=None)


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


def response_key(request, version: str, namespace: str = "response") -> str:
    """The request's entry under the content version, today's date and the release."""
    day = timezone.localdate().isoformat()
    return f"ops:{namespace}:{version}:{day}:{release.current()}:{request_digest(request)}"


def lookup(request, namespace: str = "response") -> tuple[str, dict | None]:
    """The request's cache key under the current content version, and the entry stored there."""
    key = response_key(request, content_version.current().key, namespace)
    return key, _cache().get(key)


def get_response(key: str):
    return _cache().get(key)


def store_response(key: str, entry: dict) -> None:
    _cache().set(key, entry, timeout=settings.OPS_CACHE_TIMEOUT)
