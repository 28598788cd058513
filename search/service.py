"""One search, as the API and the page run it: ask the backend, name the facets, log it.

A search made while serving a request is logged once its response has been sent
(`request_finished`), all of that request's searches in one INSERT: the write and its commit
(an fsync on SQLite) are no part of the wait for the answer. Outside a request (a command, a
shell) the search is logged at once."""

from __future__ import annotations

import logging
import threading

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError
from django.utils import timezone, translation

from directory.models import County, Domain, Municipality, TargetGroup

from .analysis import strip_personal_data
from .backends import get_backend
from .backends.base import SearchResults
from .models import Kind, SearchLog
from .params import CODES_CACHE_SECONDS, MAX_QUERY_LENGTH, SearchRequest


def search(request: SearchRequest, record: bool = True) -> SearchResults:
    results = get_backend().query(
        request.text, request.language, request.filters, request.limit, offset=request.offset
    )
    if record:
        record_search(request, results)
    return results


logger = logging.getLogger(__name__)
DISPATCH_UID = "search.service"
# The log entries of the request this thread serves; None outside a request.
_request = threading.local()


def record_search(request: SearchRequest, results: SearchResults) -> SearchLog | None:
    """Log the search for the unmet-needs report, without personal data: after the response
    when serving a request, else at once."""
    query = strip_personal_data(request.text)[:MAX_QUERY_LENGTH]
    if not query:
        return None
    entry = SearchLog(
        query=query,
        lang=request.language,
        municipality=request.filters.municipality,
        result_count=results.total,
        top_score=results.top_score,
        created_on=timezone.localdate(),
    )
    pending = getattr(_request, "entries", None)
    if pending is None:
        entry.save()
    else:
        pending.append(entry)
    return entry


def connect_signals() -> None:
    request_started.connect(_request_started, dispatch_uid=f"{DISPATCH_UID}:request-started")
    request_finished.connect(write_pending_log, dispatch_uid=f"{DISPATCH_UID}:request-finished")


def _request_started(sender, **kwargs) -> None:
    _request.entries = []


def write_pending_log(sender=None, **kwargs) -> None:
    """Receiver: the response has been sent; write the searches it answered to the log."""
    entries, _request.entries = getattr(_request, "entries", None) or [], None
    if not entries:
        return
    try:
        SearchLog.objects.bulk_create(entries)
    except DatabaseError:  # the answer is out; a lost log entry must not become an error page
        logger.exception("%d search log entries could not be written", len(entries))


FACET_MODELS = {
    "municipality": Municipality,
    "county": County,
    "target_group": TargetGroup,
    "domain": Domain,
}


def facet_names(language: str) -> dict[str, dict[str, str]]:
    """Code → name in the language, for each named facet (cached for a few minutes)."""
    key = f"search:facet-names:{language}"
    names = cache.get(key)
    if names is None:
        with translation.override(language):
            names = {
                facet: dict(model.objects.values_list("code", f"name_{language}"))
                for facet, model in FACET_MODELS.items()
            }
            fallback = {
                facet: dict(model.objects.values_list("code", "name_et"))
                for facet, model in FACET_MODELS.items()
            }
        names = {
            facet: {code: name or fallback[facet][code] for code, name in values.items()}
            for facet, values in names.items()
        }
        cache.set(key, names, CODES_CACHE_SECONDS)
    return names


def named_facets(results: SearchResults, language: str) -> dict[str, list[dict]]:
    """Facet counts with the names of their codes in the language."""
    out: dict[str, list[dict]] = {}
    with translation.override(language):
        kinds = dict(Kind.choices)
        out["kind"] = [
            {"code": code, "name": str(kinds.get(code, code)), "count": n}
            for code, n in results.facets.get("kind", [])
        ]
    all_names = facet_names(language)
    for facet in FACET_MODELS:
        names = all_names[facet]
        out[facet] = [
            {"code": code, "name": names[code], "count": n}
            for code, n in results.facets.get(facet, [])
            if code in names
        ]
    return out
