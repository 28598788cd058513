"""GET /api/v1/search/ (JSON, a public contract) and the search page /<lang>/search/."""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from api.common import LANG_PARAM, ApiViewMixin
from api.serializers import ErrorSerializer
from api.spectacular import ApiAutoSchema
from directory import l10n
from directory.models import ContactPerson, Municipality
from directory.models.base import localized_path
from portal.errors import error_summary

from . import access_filters
from .backends.base import KINDS, SearchHit
from .highlight import highlight, snippet
from .models import Kind
from .params import MAX_OFFSET, InvalidSearch, read_search_request
from .serializers import SearchResponseSerializer
from .service import facet_names, named_facets, search

logger = logging.getLogger(__name__)
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
PAGE_SIZE = 10
# The search form's fields, by parameter, for the error summary's links (pages/search.html).
FIELD_IDS = {"q": "search-q", "municipality": "search-municipality"}


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


def client_share(price: dict) -> str:
    """The client's share in the active language, from the numbers the index keeps."""
    amount, share = price.get("client_share_amount"), price.get("client_share_percent")
    if amount is None and share is None:
        return price.get("client_share") or ""  # indexed before the numbers were kept
    return l10n.client_share(*(None if v is None else Decimal(v) for v in (amount, share)))


def _price_json(price: dict) -> dict:
    language = translation.get_language() or "et"
    return {
        "unit": (price.get("unit") or {}).get(language) or (price.get("unit") or {}).get("et", ""),
        "price_individual": price.get("price_individual"),
        "price_group": price.get("price_group"),
        "client_share": client_share(price) or None,
        "currency": price.get("currency", "EUR"),
        "valid_from": price.get("valid_from"),
    }


class SearchUnavailable(exceptions.APIException):
    status_code = 503
    default_detail = _lazy("Search is temporarily unavailable.")
    default_code = "unavailable"


@extend_schema(
    summary="Search the directory",
    description=(
        "Components, services, journeys, municipalities, contact roles, offers and pages that match "
        "the words people type (Estonian, Russian or English; typos, missing diacritics and word "
        "forms are tolerated). `code` is the catalogue code; an offer carries the code of its "
        "component or service and a `municipality` field. Queries are logged without personal data."
    ),
    parameters=[
        LANG_PARAM,
        OpenApiParameter("q", str, required=True, description="what the person typed (≤ 200 characters)"),
        OpenApiParameter("municipality", str, description="municipality code: its local offers come first"),
        OpenApiParameter("county", str, description="county code or EHAK code"),
        OpenApiParameter("target_group", str, description="target group code"),
        OpenApiParameter("domain", str, description="life domain code"),
        OpenApiParameter("kind", str, enum=list(KINDS), description="only results of this kind"),
        OpenApiParameter("limit", int, description="number of results, 1–50 (default 10)"),
        OpenApiParameter(
            "offset",
            int,
            description="how many results to skip, 0–1000 (default 0): the next page is offset + limit "
            "while it is below `total`",
        ),
    ],
    responses={200: SearchResponseSerializer, 503: ErrorSerializer},
    tags=["search"],
)
class SearchApiView(ApiViewMixin, APIView):
    """GET /api/v1/search/ with the conventions of the rest of /api/v1/: the same error body,
    language negotiation, unknown-parameter check, rate limit and conditional GET."""

    schema = ApiAutoSchema()
    extra_params = {"q", "municipality", "county", "target_group", "domain", "kind", "limit", "offset"}

    def get(self, request):
        language = translation.get_language()
        try:
            params = read_search_request(request.query_params, language)
        except InvalidSearch as exc:
            raise exceptions.ValidationError({key: [message] for key, message in exc.errors.items()}) from exc
        try:
            results = search(params)
        except Exception as exc:  # noqa: BLE001 - a broken backend is a 503 with a message, not a 500
            logger.exception("Search failed")
            raise SearchUnavailable() from exc
        return Response(
            {
                "query": params.text,
                "lang": params.language,
                "total": results.total,
                "offset": params.offset,
                "limit": params.limit,
                "suggestion": results.suggestion or None,
                "results": [_hit_json(hit, request) for hit in results.hits],
                "facets": named_facets(results, params.language),
            }
        )


# -- the page -------------------------------------------------------------------------------


class ResultView:
    """A hit as the page shows it: highlighted title and snippet."""

    def __init__(self, hit: SearchHit, distance_km: float | None = None):
        self.hit = hit
        self.kind = hit.kind
        self.url = hit.url
        self.data = hit.data
        self.title_html = highlight(hit.title, hit.matched_terms)
        self.snippet_html = highlight(snippet(hit.snippet, hit.matched_terms), hit.matched_terms)
        self.price = hit.data.get("price")
        self.kind_label = dict(Kind.choices).get(hit.kind, hit.kind)
        self.municipality_name = ""  # offers and contacts: their KOV, named (see _page_context)
        self.municipality_url = ""
        self.contact = None  # offers: the KOV's social worker to call about it
        self.distance_km = distance_km  # offers, sorted by distance from a chosen place

    @staticmethod
    def _amount(value) -> Decimal | None:
        try:
            return Decimal(str(value)) if value not in (None, "") else None
        except InvalidOperation:
            return None

    @property
    def price_individual(self) -> Decimal | None:
        """A number, so the template writes it in the page's own format ("4,16" in et and ru)."""
        return self._amount((self.price or {}).get("price_individual"))

    @property
    def price_group(self) -> Decimal | None:
        return self._amount((self.price or {}).get("price_group"))

    @property
    def client_share(self) -> str:
        return client_share(self.price or {})

    @property
    def unit(self) -> str:
        unit = (self.price or {}).get("unit") or {}
        return unit.get(translation.get_language() or "et") or unit.get("et", "")


@require_GET
def search_page(request: HttpRequest):
    language = translation.get_language() or "et"
    context = {
        "query": (request.GET.get("q") or "")[:300],
        "municipalities": Municipality.objects.by_name(),
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
    access, access_errors = access_filters.read(request.GET)
    context.update(
        access=access,
        open_choices=access_filters.OPEN_CHOICES,
        delivery_choices=access_filters.DELIVERY_CHOICES,
    )
    if request.GET.get("q") is not None or len(request.GET):
        page = _page_number(request.GET.get("page"))
        paging = {"limit": PAGE_SIZE, "offset": min((page - 1) * PAGE_SIZE, MAX_OFFSET)}
        try:
            params = read_search_request({**request.GET.dict(), "lang": language, **paging}, language)
            if access_errors:
                raise InvalidSearch(access_errors)
        except InvalidSearch as exc:
            context["errors"] = {**exc.errors, **access_errors}
            status = 400
        else:
            try:
                if access.active:  # narrowed by the page (search.access_filters)
                    results, near = access_filters.search(params, access)
                else:
                    results, near = search(params), {}
            except Exception:  # noqa: BLE001 - tell the user, do not fail the page
                logger.exception("Search failed")
                context["errors"] = {"q": _("Search is temporarily unavailable. Please try again later.")}
                context["error_summary"] = error_summary(context["errors"], anchors=FIELD_IDS)
                return render(request, "pages/search.html", context, status=503)
            context.update(_page_context(params, results, language, near))
    context["error_summary"] = error_summary(context["errors"], anchors=FIELD_IDS)
    return render(request, "pages/search.html", context, status=status)


def _page_context(params, results, language: str, near: dict[str, float]) -> dict:
    from .backends import get_backend

    municipality_code = params.filters.municipality or results.municipality_hint
    municipality = Municipality.objects.filter(code=municipality_code).first() if municipality_code else None
    hits = [ResultView(hit, near.get(hit.key)) for hit in results.hits]
    _name_places(hits, language)
    local = [h for h in hits if h.kind == "offer"]
    shown_to = params.offset + len(hits)
    context = {
        "results": results,
        "first": params.offset + 1,
        "last": shown_to,
        "previous_page": params.offset // PAGE_SIZE if params.offset else None,
        "next_page": params.offset // PAGE_SIZE + 2
        if shown_to < results.total and shown_to < MAX_OFFSET + PAGE_SIZE
        else None,
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


def _page_number(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _name_places(hits: list[ResultView], language: str) -> None:
    """Offers and contacts name their KOV; an offer also brings the KOV's social worker (the
    one to call about it) and a link to all its contacts."""
    names = facet_names(language)["municipality"]
    places = {h.hit.municipality for h in hits if h.kind in ("offer", "contact") and h.hit.municipality}
    workers: dict[str, ContactPerson] = {}
    if any(h.kind == "offer" for h in hits):
        for person in (
            ContactPerson.objects.current()
            .filter(municipality__code__in=places, role__code="social-worker")
            .select_related("municipality", "role")
        ):
            workers.setdefault(person.municipality.code, person)
    with translation.override(language):
        for h in hits:
            code = h.hit.municipality
            if h.kind not in ("offer", "contact") or not code:
                continue
            h.municipality_name = names.get(code, "")
            h.municipality_url = localized_path("kov", code) + "#contacts"
            if h.kind == "offer":
                h.contact = workers.get(code)
