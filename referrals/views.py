"""Public pages for professionals: the agreed referral route of a place and situation, and the
family leaflet. They publish routes only: no referral and no personal data passes through the
portal."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from analytics import geo
from directory.models import County
from portal import listings
from portal.choice import varies_with_choice
from portal.forms import chosen_municipality, municipality_choices

from . import analytics, qr, reading
from .models import PartnerKind

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@require_GET
def professionals(request: HttpRequest) -> HttpResponse:
    """Choose a place (any municipality or settlement), a situation and who you are → the
    agreed routes with the KOV contact and the response promise, or the fallback."""
    municipalities = listings.all_municipalities()
    form, municipality, from_cookie = chosen_municipality(request, municipalities)
    errors = [error for errors in form.errors.values() for error in errors]
    chosen = reading.situation(request.GET.get("situation", ""))
    if chosen is None:
        errors.append(_("We do not know that situation. Please choose one from the list."))
    kind = request.GET.get("partner_kind", "")
    if kind and kind not in PartnerKind.values:
        errors.append(_("We do not know that kind of institution. Please choose one from the list."))
        kind = ""
    routes = reading.routes_for(municipality, chosen, kind) if municipality and not errors else []
    journeys, target_groups = reading.situations()
    response = render(
        request,
        "referrals/professionals.html",
        {
            "municipality": municipality,
            "chooser_form": form,
            "errors": errors,
            "matches": form.matches if municipality is None else [],
            "county_groups": municipality_choices(municipalities),
            "journeys": journeys,
            "target_groups": target_groups,
            "situation": chosen or reading.Situation(),
            "partner_kinds": PartnerKind.choices,
            "partner_kind": kind,
            "routes": routes,
            "fallback": reading.fallback(municipality)
            if municipality and not routes and not errors
            else None,
        },
        status=400 if errors else 200,
    )
    return varies_with_choice(response) if from_cookie else response


@require_GET
def leaflet(request: HttpRequest, pk: int) -> HttpResponse:
    """The family leaflet of one route, on one A4 page: what happens next, when, who will
    contact you, whom to call, what the help may cost; with a short link and its QR code."""
    route = reading.route(pk)
    if route is None:
        raise Http404
    language = translation.get_language()
    short_url = request.build_absolute_uri(f"/r/{route.pk}/{language}/")
    return render(
        request,
        "referrals/leaflet.html",
        {
            "route": route,
            "contact": route.contact_on(),
            "fallback": reading.fallback(route.municipality),
            "offers": reading.costs(route),
            "short_url": short_url,
            "qr_svg": mark_safe(qr.svg(short_url, title=_("QR code: %(url)s") % {"url": short_url})),  # noqa: S308 - segno's own SVG
            "languages": LANGUAGES,
        },
    )


@require_GET
def short_link(request: HttpRequest, pk: int, language: str = "") -> HttpResponse:
    """/r/<id>/<lang>/ — the short link printed on the leaflet: the leaflet in that language."""
    if language and language not in LANGUAGES:
        raise Http404
    with translation.override(language or settings.LANGUAGE_CODE):
        route = reading.route(pk)
        if route is None:
            raise Http404
        return redirect(route.get_leaflet_url())


@require_GET
def route_analytics(request: HttpRequest) -> HttpResponse:
    """/<lang>/analytics/referral-routes/: agreed routes per municipality and partner kind, the
    response promises compared within each county, and the municipalities with no route."""
    code = request.GET.get("county", "")
    county = County.objects.filter(code=code).first() if code else None
    if code and county is None:
        return render(
            request,
            "referrals/analytics.html",
            {
                "nav_current": "referral-routes",
                "counties": County.objects.order_by("name"),
                "errors": [_("We do not know that county. Please choose one from the list.")],
            },
            status=400,
        )
    report = analytics.route_coverage(county)
    return render(
        request,
        "referrals/analytics.html",
        {
            "nav_current": "referral-routes",
            "report": report,
            "county": county,
            "counties": County.objects.order_by("name"),
            **analytics_map(analytics.route_coverage() if county else report),
        },
    )


def analytics_map(report) -> dict:
    def describe(row):
        name = row.municipality.name
        if not row.routes:
            return analytics.map_class(row), _("%(name)s: no referral route agreed") % {"name": name}
        label = _("%(name)s: routes with %(kinds)s kinds of partner") % {"name": name, "kinds": row.kinds}
        return analytics.map_class(row), label

    rows = {row.municipality: row for row in report.rows}
    return {"routes_map": geo.municipality_map(rows, describe), "attribution": geo.ATTRIBUTION}
