"""Public pages that are not in the Wagtail page tree: catalogue entries, journeys, price
history, the municipality chooser, robots.txt. Each view reads its query string through a form,
calls one function of portal.listings and renders."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from directory import places_lookup
from directory.models import Component, Journey, Offer, Service, TargetGroup

from . import listings
from .choice import remember, varies_with_choice
from .forms import MunicipalityChoiceForm, OfferTableForm, chosen_municipality, municipality_choices
from .offer_details import OfferDetails, offer_graph
from .rows import Formats, PriceCells
from .structured_data import item_graph

PAGE_SIZE = 50
SUGGESTIONS = 12


def base_url(request: HttpRequest) -> str:
    """Scheme and host of this request, for absolute links in structured data."""
    return request.build_absolute_uri("/")[:-1]


@require_GET
def choose_municipality(request: HttpRequest) -> HttpResponse:
    """The chooser's target: remember the municipality and go to its page (or back to `next`)."""
    municipalities = listings.all_municipalities()
    form = MunicipalityChoiceForm(request.GET or None, municipalities=municipalities)
    status = 200
    if form.is_bound:
        if form.is_valid() and form.cleaned_data.get("chosen"):
            chosen = form.cleaned_data["chosen"]
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}
            ) or not target.startswith("/"):
                target = chosen.get_absolute_url()
            response = redirect(target)
            remember(response, chosen)
            return response
        if form.errors:
            status = 400
    return render(
        request,
        "pages/choose_municipality.html",
        {
            "form": form,
            "error_summary": form.error_summary("municipality-chooser"),
            "matches": form.matches,
            "next": request.GET.get("next", "") if request.GET.get("next", "").startswith("/") else "",
            "county_groups": municipality_choices(municipalities),
            "freshness": listings.Freshness.of_directory(),
        },
        status=status,
    )


@require_GET
def place_suggestions(request: HttpRequest) -> JsonResponse:
    """The chooser's type-ahead: municipalities and settlements matching ?q=, best first, each
    with its municipality and county in the page's language (JSON for portal.js)."""
    text = request.GET.get("q", "")[:100]
    resolution = places_lookup.resolve(text, limit=SUGGESTIONS) if text.strip() else None
    language = get_language() or settings.LANGUAGE_CODE
    places = [
        {
            **dict(zip(("name", "lang"), match.shown_name(language), strict=True)),
            "kind": match.kind_label,
            "municipality": match.municipality.code,
            "municipality_name": match.municipality.name,
            "county": match.county.name,
        }
        for match in (resolution.matches if resolution else [])
    ]
    chosen = resolution.municipality.code if resolution and resolution.municipality else None
    response = JsonResponse({"q": text, "municipality": chosen, "places": places})
    response["Cache-Control"] = "public, max-age=300"
    return response


def _catalogue_item_page(request: HttpRequest, item: Component | Service, template: str) -> HttpResponse:
    form = OfferTableForm(request.GET)
    sort, county = form.selected()
    listing = listings.item_listing(item, county=county, sort=sort)
    page = Paginator(listing.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    formats = Formats()
    for row in page.object_list:
        row.cells = PriceCells.of(row.price, formats)
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = request.GET.copy()
    for key in ("page", "sort"):
        sort_query.pop(key, None)
    context = {
        "item": item,
        "listing": listing,
        "rows": page.object_list,
        "page_obj": page,
        "form": form,
        "error_summary": form.error_summary(),
        "sort": sort,
        "county": county,
        "page_query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "freshness": listing.freshness,
        "jsonld": item_graph(item, [row.offer for row in page.object_list], base_url(request)),
    }
    return render(request, template, context, status=400 if form.errors else 200)


@require_GET
def component_page(request: HttpRequest, code: str) -> HttpResponse:
    component = listings.by_code(Component.objects.select_related("tier", "domain"), code)
    if component is None:
        raise Http404
    return _catalogue_item_page(request, component, "pages/component_page.html")


@require_GET
def service_page(request: HttpRequest, code: str) -> HttpResponse:
    service = listings.by_code(Service.objects.all(), code)
    if service is None:
        raise Http404
    return _catalogue_item_page(request, service, "pages/service_page.html")


@require_GET
def journey_index(request: HttpRequest) -> HttpResponse:
    """All client journeys; with ?target_group= only those for one life situation."""
    target_groups = list(TargetGroup.objects.order_by("code"))
    code = request.GET.get("target_group", "")
    target_group = next((g for g in target_groups if g.code == code), None)
    journeys = Journey.objects.prefetch_related("target_groups").order_by("position", "code")
    services = []
    if target_group is not None:
        journeys = journeys.filter(target_groups=target_group)
        services = list(target_group.services.order_by("position", "code"))
    return render(
        request,
        "pages/journey_index.html",
        {
            "journeys": list(journeys),
            "target_groups": target_groups,
            "target_group": target_group,
            "unknown_target_group": bool(code) and target_group is None,
            "services": services,
            "freshness": listings.Freshness.of_directory(),
        },
        status=400 if code and target_group is None else 200,
    )


@require_GET
def journey_page(request: HttpRequest, code: str) -> HttpResponse:
    """A journey step by step; with a municipality (?municipality= or the remembered choice)
    each step names that KOV's contact for its actor and its local offers and prices."""
    journey = listings.by_code(Journey.objects.prefetch_related("target_groups"), code)
    if journey is None:
        raise Http404
    municipalities = listings.all_municipalities()
    form, municipality, from_cookie = chosen_municipality(request, municipalities)
    unknown = bool(form.errors)
    listing = listings.journey_listing(journey, municipality)
    response = render(
        request,
        "pages/journey_page.html",
        {
            "journey": journey,
            "listing": listing,
            "municipality": municipality,
            "chooser_form": form,
            "error_summary": form.error_summary("journey-municipality"),
            "matches": form.matches if municipality is None else [],
            "county_groups": municipality_choices(municipalities),
            "freshness": listing.freshness,
        },
        status=400 if unknown else 200,
    )
    return varies_with_choice(response) if from_cookie else response


@require_GET
def offer_history(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(
        Offer.objects.published().select_related("municipality__county", "provider", "component", "service"),
        pk=pk,
    )
    prices = listings.price_history(offer)
    updated = [offer.updated_at, *[p.published_at for p in prices if p.published_at]]
    return render(
        request,
        "pages/offer_history.html",
        {
            "offer": offer,
            "prices": prices,
            "current_ids": {p.pk for p in prices if listings.is_current(p)},
            "is_public": Offer.objects.filter(pk=offer.pk).public().exists(),
            "freshness": listings.Freshness(max(updated), offer.last_verified, offer.is_demo),
        },
    )


@require_GET
def offer_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One offer: what, where (map and addresses), when, who qualifies, how to apply, free
    places and the wait, price, the KOV's contact."""
    offer = get_object_or_404(
        Offer.objects.published()
        .select_related("municipality__county", "provider", "component__domain", "service")
        .prefetch_related("target_groups"),
        pk=pk,
    )
    details = OfferDetails.of(offer)
    price = offer.current_price
    return render(
        request,
        "pages/offer.html",
        {
            "offer": offer,
            "details": details,
            "price": price,
            "is_public": Offer.objects.filter(pk=offer.pk).public().exists(),
            "freshness": listings.Freshness(offer.updated_at, offer.last_verified, offer.is_demo),
            "jsonld": offer_graph(details, base_url(request)),
        },
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        *[f"Disallow: /{code}/report-a-mistake/" for code, _name in settings.LANGUAGES],
        *[f"Disallow: /{code}/choose-municipality/" for code, _name in settings.LANGUAGES],
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
