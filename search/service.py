"""One search, as the API and the page run it: ask the backend, name the facets, log it."""

from __future__ import annotations

from django.utils import timezone, translation

from directory.models import County, Domain, Municipality, TargetGroup

from .analysis import strip_personal_data
from .backends import get_backend
from .backends.base import SearchResults
from .models import Kind, SearchLog
from .params import MAX_QUERY_LENGTH, SearchRequest


def search(request: SearchRequest, record: bool = True) -> SearchResults:
    results = get_backend().query(request.text, request.language, request.filters, request.limit)
    if record:
        record_search(request, results)
    return results


def record_search(request: SearchRequest, results: SearchResults) -> SearchLog | None:
    """Log the search for the unmet-needs report, without personal data."""
    query = strip_personal_data(request.text)[:MAX_QUERY_LENGTH]
    if not query:
        return None
    return SearchLog.objects.create(
        query=query,
        lang=request.language,
        municipality=request.filters.municipality,
        result_count=results.total,
        top_score=results.top_score,
        created_on=timezone.localdate(),
    )


FACET_MODELS = {
    "municipality": Municipality,
    "county": County,
    "target_group": TargetGroup,
    "domain": Domain,
}


def named_facets(results: SearchResults, language: str) -> dict[str, list[dict]]:
    """Facet counts with the names of their codes in the language."""
    out: dict[str, list[dict]] = {}
    with translation.override(language):
        kinds = dict(Kind.choices)
        out["kind"] = [
            {"code": code, "name": str(kinds.get(code, code)), "count": n}
            for code, n in results.facets.get("kind", [])
        ]
        for facet, model in FACET_MODELS.items():
            counts = results.facets.get(facet, [])
            names = {o.code: o.name for o in model.objects.filter(code__in=[c for c, _n in counts])}
            out[facet] = [
                {"code": code, "name": names.get(code, code), "count": n}
                for code, n in counts
                if code in names
            ]
    return out
