"""GET /api/v1/search/ (JSON, a public contract) and the search page /<lang>/search/."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory.models import ContactPerson, Municipality

from .backends.base import SearchHit
from .highlight import highlight, snippet
from .models import Kind
from .params import InvalidSearch, read_search_request
from .service import named_facets, search

logger = logging.getLogger(__name__)
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _hit_json(hit: SearchHit, request: HttpRequest) -> dict:
    item = {
        "kind": hit.kind,
        "code": hit.code,
        "title": hit.title,
        "url": request.build_absolute_uri(hit.url),
        "snippet": snippet(hit.snippet, hit.matched_terms),
        "score": hit.score,
    }
    if hit.kind == "offer":
        price = hit.data.get("price")
        item.update(
            municipality=hit.municipality,
            provider=hit.data.get("provider", ""),
            price=_price_json(price) if price else None,
            is_demo=hit.data.get("is_demo", False),
        )
    elif hit.kind == "contact" and hit.municipality:
        item.update(
            municipality=hit.municipality,
            name=hit.data.get("name", ""),
            phone=hit.data.get("phone", ""),
            email=hit.data.get("email", ""),
        )
    elif hit.kind == "municipality":
        item["municipality"] = hit.code
    return item


def _price_json(price: dict) -> dict:
    language = translation.get_language() or "et"
    return {
        "unit": (price.get("unit") or {}).get(language) or (price.get("unit") or {}).get("et", ""),
        "price_individual": price.get("price_individual"),
        "price_group": price.get("price_group"),
        "client_share": price.get("client_share") or None,
        "currency": price.get("currency", "EUR"),
        "valid_from": price.get("valid_from"),
    }


@require_GET
def api_search(request: HttpRequest) -> JsonResponse:
    """Search the directory: `q`, `lang`, `municipality`, `county` (code or EHAK),
    `target_group`, `domain`, `kind`, `limit` (1–50, default 10)."""
    requested = request.GET.get("lang")
    language = requested if requested in LANGUAGE_CODES else (translation.get_language() or "et")
    if language not in LANGUAGE_CODES:
        language = "et"
    with translation.override(language):
        try:
            params = read_search_request(request.GET, language)
        except InvalidSearch as exc:
            return JsonResponse({"detail": _("Invalid search parameters."), "errors": exc.errors}, status=400)
        try:
            results = search(params)
        except Exception:  # noqa: BLE001 - a broken backend is a 503 with a message, not a 500
            logger.exception("Search failed")
            return JsonResponse({"detail": _("Search is temporarily unavailable.")}, status=503)
        response = JsonResponse(
            {
                "query": params.text,
                "lang": params.language,
                "total": results.total,
                "suggestion": results.suggestion or None,
                "results": [_hit_json(hit, request) for hit in results.hits],
                "facets": named_facets(results, params.language),
            },
            json_dumps_params={"ensure_ascii": False},
        )
    response["Content-Language"] = language
    return response


# -- the page -------------------------------------------------------------------------------


class ResultView:
    """A hit as the page shows it: highlighted title and snippet."""

    def __init__(self, hit: SearchHit):
        self.hit = hit
        self.kind = hit.kind
        self.url = hit.url
        self.data = hit.data
        self.title_html = highlight(hit.title, hit.matched_terms)
        self.snippet_html = highlight(snippet(hit.snippet, hit.matched_terms), hit.matched_terms)
        self.price = hit.data.get("price")
        self.kind_label = dict(Kind.choices).get(hit.kind, hit.kind)

    @property
    def unit(self) -> str:
        unit = (self.price or {}).get("unit") or {}
        return unit.get(translation.get_language() or "et") or unit.get("et", "")


@require_GET
def search_page(request: HttpRequest):
    language = translation.get_language() or "et"
    context = {
        "query": (request.GET.get("q") or "")[:300],
        "municipalities": Municipality.objects.order_by("name"),
        "chosen_municipality": request.GET.get("municipality", ""),
        "errors": {},
        "results": None,
        # Facet choices survive a new query typed into the form.
        "hidden_filters": [
            (name, request.GET[name])
            for name in ("kind", "domain", "target_group", "county")
            if request.GET.get(name)
        ],
    }
    status = 200
    if request.GET.get("q") is not None or len(request.GET):
        try:
            params = read_search_request({**request.GET.dict(), "lang": language}, language)
        except InvalidSearch as exc:
            context["errors"] = exc.errors
            status = 400
        else:
            try:
                results = search(params)
            except Exception:  # noqa: BLE001 - tell the user, do not fail the page
                logger.exception("Search failed")
                context["errors"] = {"q": _("Search is temporarily unavailable. Please try again later.")}
                return render(request, "pages/search.html", context, status=503)
            context.update(_page_context(params, results, language))
    return render(request, "pages/search.html", context, status=status)


def _page_context(params, results, language: str) -> dict:
    from .backends import get_backend

    municipality_code = params.filters.municipality or results.municipality_hint
    municipality = Municipality.objects.filter(code=municipality_code).first() if municipality_code else None
    hits = [ResultView(hit) for hit in results.hits]
    local = [h for h in hits if h.kind == "offer"]
    context = {
        "results": results,
        "local_offers": local,
        "hits": [h for h in hits if h.kind != "offer"],
        "facets": named_facets(results, language),
        "suggestion": results.suggestion,
        "municipality": municipality,
        "filters": params.filters,
    }
    if not results.hits:
        context["closest"] = [ResultView(h) for h in get_backend().closest(params.text, language)]
        if municipality:
            context["social_workers"] = (
                ContactPerson.objects.current()
                .filter(municipality=municipality, role__code="social-worker")
                .select_related("role")
            )
    return context
