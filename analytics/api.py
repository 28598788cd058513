"""JSON API of the analytics: /api/v1/analytics/coverage/, /prices/ and /unmet-needs/.

Filters are catalogue codes (component, service, county, municipality, target_group, domain);
`lang` (et, ru, en) chooses the language of names and labels, default the request's. An
unknown code or value is HTTP 400 with a message per parameter. Money is a string with two
decimals (exact), counts are numbers."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .coverage import STATE_LABELS, coverage
from .forms import CoverageForm, PriceForm, UnmetNeedsForm
from .models import KnownGap
from .prices import Stats, compare_prices
from .unmet import PUBLIC_MIN_DAYS, PUBLIC_MIN_SEARCHES, public_groups, unmet_needs

LANGS = {code for code, _name in settings.LANGUAGES}


def _code(obj) -> str | None:
    return obj.code if obj is not None else None


def _param(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description=description
    )


COMMON_PARAMS = [
    _param("component", "component code"),
    _param("service", "service code"),
    _param("county", "county code, e.g. ida-viru-maakond"),
    _param("municipality", "municipality code, e.g. narva-linn"),
    _param("target_group", "target group code, e.g. elderly"),
    _param("domain", "life-domain code, e.g. housing"),
    _param("lang", "et, ru or en"),
]


class AnalyticsAPIView(APIView):
    """Public and read-only; the form validates the query string."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    renderer_classes = [JSONRenderer]
    form_class = None

    def get(self, request):
        # Messages, names and labels all follow `lang`, so validate inside the override too.
        with translation.override(self._lang(request)):
            form = self.form_class(request.GET)
            if not form.is_valid():
                return Response({"errors": form.api_errors()}, status=400)
            return self.respond(form)

    @staticmethod
    def _lang(request) -> str:
        lang = request.GET.get("lang")
        if lang in LANGS:
            return lang
        return getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE

    def respond(self, form):  # pragma: no cover - abstract
        raise NotImplementedError


def gap_json(gap: KnownGap) -> dict:
    return {
        "county": gap.county.code,
        "kind": gap.kind,
        "code": gap.item_code,
        "name": gap.item.name if gap.item else None,
        "status": gap.status,
        "status_label": gap.get_status_display(),
        "scope": gap.scope or None,
        "note": gap.note or None,
        "as_of": gap.as_of or None,
        "source": gap.source,
    }


class CoverageAPI(AnalyticsAPIView):
    form_class = CoverageForm

    @extend_schema(
        parameters=[*COMMON_PARAMS, _param("kind", "component or service")],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        description="Which municipality offers which component or service, by how many providers.",
    )
    def get(self, request):
        return super().get(request)

    def respond(self, form):
        data = form.cleaned_data
        report = coverage(
            kind=data.get("kind") or "",
            target_group=data.get("target_group"),
            domain=data.get("domain"),
            county=data.get("county"),
            municipality=data.get("municipality"),
            component=data.get("component"),
            service=data.get("service"),
        )
        return Response(
            {
                "date": report.date.isoformat(),
                "lang": translation.get_language(),
                "filters": {
                    name: _code(data.get(name))
                    for name in ("component", "service", "county", "municipality", "target_group", "domain")
                }
                | {"kind": data.get("kind") or None},
                "states": {state: str(label) for state, label in STATE_LABELS.items()},
                "items": [
                    {
                        "kind": total.item.kind,
                        "code": total.item.code,
                        "name": total.item.name,
                        "offered": total.offered,
                        "single": total.single,
                        "none": total.none,
                    }
                    for total in report.totals
                ],
                "counties": [
                    {
                        "code": group.county.code,
                        "ehak": group.county.ehak,
                        "name": group.county.name,
                        "share": round(group.share, 4),
                        "municipalities": [
                            {
                                "code": row.municipality.code,
                                "ehak": row.municipality.ehak,
                                "name": row.municipality.name,
                                "offered": row.offered,
                                "single": row.single,
                                "share": round(row.share, 4),
                                "cells": {
                                    cell.item.code: {"providers": cell.providers, "state": cell.state}
                                    for cell in row.cells
                                },
                            }
                            for row in group.rows
                        ],
                    }
                    for group in report.groups
                ],
                "known_gaps": [gap_json(gap) for gap in report.gaps],
            }
        )


def _stats(stats: Stats) -> dict:
    return stats.as_dict()


class PricesAPI(AnalyticsAPIView):
    form_class = PriceForm

    @extend_schema(
        parameters=COMMON_PARAMS,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        description="Prices of one component or service per unit: rows, min/median/max, history.",
    )
    def get(self, request):
        return super().get(request)

    def respond(self, form):
        if not form.item:
            return Response({"errors": {"component": [_("Give a component or a service code.")]}}, status=400)
        data = form.cleaned_data
        report = compare_prices(
            form.item,
            county=data.get("county"),
            municipality=data.get("municipality"),
            target_group=data.get("target_group"),
        )
        return Response(
            {
                "item": {"kind": report.item.kind, "code": report.item.code, "name": report.item.name},
                "date": report.date.isoformat(),
                "lang": translation.get_language(),
                "currency": "EUR",
                "municipalities_offering": report.municipalities_offering,
                "offers_without_price": report.offers_without_price,
                "units": [
                    {
                        "unit": {"code": unit.unit.code, "name": unit.unit.name},
                        "individual": _stats(unit.individual),
                        "group": _stats(unit.group),
                        "client_share_per_unit": _stats(unit.share),
                        "counties": [
                            {
                                "code": area.area.code,
                                "name": area.area.name,
                                "individual": _stats(area.individual),
                                "group": _stats(area.group),
                                "client_share_per_unit": _stats(area.share),
                            }
                            for area in unit.by_county
                        ],
                        "prices": [
                            {
                                "municipality": row.municipality.code,
                                "municipality_name": row.municipality.name,
                                "county": row.county.code,
                                "provider": row.offer.provider.name,
                                "price_individual": _money(row.price.price_individual),
                                "price_group": _money(row.price.price_group),
                                "client_share_amount": _money(row.price.client_share_amount),
                                "client_share_percent": _money(row.price.client_share_percent),
                                "client_share_per_unit": _money(row.share),
                                "valid_from": row.price.valid_from.isoformat(),
                                "valid_to": row.price.valid_to.isoformat() if row.price.valid_to else None,
                            }
                            for row in unit.rows
                        ],
                        "history": [
                            {"date": point.date.isoformat(), "individual": _stats(point.individual)}
                            for point in unit.history
                        ],
                    }
                    for unit in report.units
                ],
            }
        )


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


class UnmetNeedsAPI(AnalyticsAPIView):
    """Unmet searches, aggregated so that no single search can be read back: counts per
    municipality, and only the needs searched for at least PUBLIC_MIN_SEARCHES times on
    PUBLIC_MIN_DAYS days, with only the query texts typed that often (analytics/unmet.py)."""

    form_class = UnmetNeedsForm

    @extend_schema(
        parameters=[
            _param("municipality", "municipality code, or - for searches made without one"),
            _param("county", "county code"),
            _param("lang", "language of the searches: et, ru or en"),
            _param("date_from", "first day, YYYY-MM-DD (default: 90 days ago)"),
            _param("date_to", "last day, YYYY-MM-DD (default: today)"),
            _param("outcome", "zero (no results) or poor (only poor results); default both"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
        description="Searches that found nothing or nothing good, aggregated (k-anonymous).",
    )
    def get(self, request):
        return super().get(request)

    @staticmethod
    def _lang(request) -> str:
        # `lang` filters the searches here; names and messages follow the request's language.
        return getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE

    def respond(self, form):
        municipalities, include_unscoped = form.scope()
        data = form.cleaned_data
        report = unmet_needs(
            date_from=data["date_from"],
            date_to=data["date_to"],
            municipalities=municipalities,
            include_unscoped=include_unscoped,
            lang=data.get("lang") or "",
            outcome=data.get("outcome") or "",
        )
        published, withheld = public_groups(report)
        return Response(
            {
                "date_from": report.date_from.isoformat(),
                "date_to": report.date_to.isoformat(),
                "filters": {
                    "municipality": (
                        data["municipality"].code
                        if hasattr(data.get("municipality"), "code")
                        else data.get("municipality")
                    ),
                    "county": _code(data.get("county")),
                    "lang": data.get("lang") or None,
                    "outcome": data.get("outcome") or None,
                },
                "threshold": {"min_searches": PUBLIC_MIN_SEARCHES, "min_days": PUBLIC_MIN_DAYS},
                "searches": report.searches,
                "unmet": report.unmet,
                "zero_results": report.zero,
                "municipalities": [
                    {
                        "code": s.code or None,
                        "name": s.municipality.name if s.municipality else None,
                        "county": s.municipality.county.code if s.municipality else None,
                        "searches": s.searches,
                        "unmet": s.unmet,
                        "zero_results": s.zero,
                        "unmet_share": round(s.share, 4),
                    }
                    for s in report.by_municipality
                ],
                "needs": [
                    {
                        "query": item.queries[0].query,
                        "queries": [{"query": v.query, "searches": v.count} for v in item.queries],
                        "lang": item.group.lang,
                        "searches": item.group.count,
                        "zero_results": item.group.zero,
                        "poor_results": item.group.poor,
                        "first_day": item.group.first_day.isoformat(),
                        "last_day": item.group.last_day.isoformat(),
                        "municipalities": [{"code": p.code, "searches": p.count} for p in item.places],
                        "other_searches": item.other_places,
                    }
                    for item in published
                ],
                "needs_withheld": withheld,
            }
        )
