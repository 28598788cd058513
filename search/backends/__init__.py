"""Choosing the search backend: settings.SEARCH_BACKEND is "database" (the default) or
"elasticsearch" ("null" serves tests that must not search)."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import SearchBackend, SearchFilters, SearchHit, SearchResults

BACKENDS = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
    "null": "search.backends.base.NullBackend",
}

__all__ = ["SearchBackend", "SearchFilters", "SearchHit", "SearchResults", "get_backend"]


def get_backend(name: str | None = None) -> SearchBackend:
    """The configured backend (one instance per process and name)."""
    name = name or getattr(settings, "SEARCH_BACKEND", "database") or "database"
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND is {name!r}; it must be one of: {', '.join(sorted(BACKENDS))}."
        )
    return _instance(name)


@cache
def _instance(name: str) -> SearchBackend:
    return import_string(BACKENDS[name])()
