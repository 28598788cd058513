"""The search page's "how to get it" filters — open on weekends or in the evening, free
places now, at home or remotely — and offers sorted by distance from a place the resident
names (a settlement, via directory.places_lookup) or the position her browser gives when she
allows it. Nothing is stored: the place travels in the page's own query string.

The search engine (search.backends) knows nothing of these: `search` asks it for every result
the page's paging reaches, narrows the offers here with plain queries on their locations,
eligibility and latest availability, counts the total and the facets on what is left, and cuts
out the page asked for, so "1–10 of 47", the pages and the facets agree and nearest-first
order holds across pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import places_lookup
from directory.models import Availability, Municipality, Offer, ServiceLocation, Weekday
from directory.models.access import EVENING, in_estonia
from directory.models.places import distance_km

from .backends.base import SearchHit, SearchResults
from .params import MAX_OFFSET, SearchRequest
from .service import search as run_search

OPEN_CHOICES = (
    ("weekend", gettext_lazy("open on weekends")),
    ("evening", gettext_lazy("open in the evening")),
)
DELIVERY_CHOICES = (("at-home", gettext_lazy("at the client's home")), ("remote", gettext_lazy("remotely")))


@dataclass
class AccessFilters:
    open: str = ""
    free_now: bool = False
    delivery: str = ""
    near: str = ""  # as typed
    point: tuple[float, float] | None = None
    place_name: str = ""  # the settlement found, or "your position"

    @property
    def active(self) -> bool:
        return bool(self.open or self.free_now or self.delivery or self.point)


def read(params) -> tuple[AccessFilters, dict[str, str]]:
    """The filters from the query string, and a message per bad parameter."""
    errors: dict[str, str] = {}
    filters = AccessFilters(
        open=params.get("open", "") if params.get("open") in dict(OPEN_CHOICES) else "",
        free_now=params.get("free") == "1",
        delivery=params.get("delivery", "") if params.get("delivery") in dict(DELIVERY_CHOICES) else "",
        near=(params.get("near") or "").strip()[:100],
    )
    lat, lon = params.get("lat"), params.get("lon")
    if lat and lon:
        try:
            point = float(lat), float(lon)
        except ValueError:
            point = None
        if point and in_estonia(*point):
            filters.point, filters.place_name = point, _("your position")
        else:
            errors["near"] = _("Your position is not in Estonia; type the name of a place instead.")
    elif filters.near:
        match = next(iter(places_lookup.find(filters.near, limit=5)), None)
        place = match and (match.settlement or match.municipality)
        if place is None or not in_estonia(place.latitude, place.longitude):
            errors["near"] = _("No settlement called “%(name)s” was found. Check the spelling.") % {
                "name": filters.near
            }
        else:
            filters.point = (place.latitude, place.longitude)
            filters.place_name = match.name
    return filters, errors


def matching_offers(offer_ids, filters: AccessFilters) -> set[int]:
    """The offers among `offer_ids` that pass the filters."""
    offers = Offer.objects.filter(pk__in=offer_ids)
    if filters.open == "weekend":
        offers = offers.filter(locations__hours__weekday__gte=Weekday.SATURDAY)
    elif filters.open == "evening":
        offers = offers.filter(locations__hours__closes__gt=EVENING)
    if filters.delivery == "at-home":
        offers = offers.filter(eligibility__at_home=True)
    elif filters.delivery == "remote":
        offers = offers.filter(eligibility__remote=True)
    ids = set(offers.values_list("pk", flat=True))
    if filters.free_now:
        # Out-of-date statements say nothing about today: unknown, so left out.
        latest = Availability.objects.latest_for(ids)
        ids = {pk for pk, row in latest.items() if not row.is_stale and (row.free_places or 0) > 0}
    return ids


def distances(offer_ids, point: tuple[float, float]) -> dict[int, float]:
    """Each offer's nearest location from the point, in km (offers without a location left out)."""
    nearest: dict[int, float] = {}
    rows = ServiceLocation.objects.filter(offers__in=offer_ids).values_list("offers", "latitude", "longitude")
    for offer_id, lat, lon in rows:
        km = distance_km(point[0], point[1], lat, lon)
        if km is not None and km < nearest.get(offer_id, float("inf")):
            nearest[offer_id] = km
    return nearest


def offer_id(hit: SearchHit) -> int:
    return int(hit.key.split(":")[1])


def apply(hits: list[SearchHit], filters: AccessFilters) -> tuple[list[SearchHit], dict[str, float]]:
    """Offer hits narrowed by the filters and, given a place, nearest first, then the other
    hits unchanged; with each kept offer's distance in km by hit key."""
    kept = matching_offers({offer_id(h) for h in hits if h.kind == "offer"}, filters)
    near = distances(kept, filters.point) if filters.point else {}
    offers = [h for h in hits if h.kind == "offer" and offer_id(h) in kept]
    if filters.point:
        offers.sort(key=lambda h: (offer_id(h) not in near, near.get(offer_id(h), 0)))
    found = {h.key: near[offer_id(h)] for h in offers if offer_id(h) in near}
    return offers + [h for h in hits if h.kind != "offer"], found


def facets(hits: list[SearchHit], kinds: Counter) -> dict[str, list[tuple[str, int]]]:
    """The facet counts of a narrowed list, counted as the backends count theirs: areas of life
    and target groups of every hit, places of the offers, and `kinds` (counted before the kind
    filter)."""
    county_of = dict(Municipality.objects.values_list("code", "county__code"))
    places, counties, domains, groups = Counter(), Counter(), Counter(), Counter()
    for h in hits:
        domains.update(h.domains)
        groups.update(h.target_groups)
        if h.kind == "offer" and h.municipality:
            places[h.municipality] += 1
            counties[county_of.get(h.municipality, "")] += 1
    return {
        "kind": kinds.most_common(),
        "municipality": places.most_common(),
        "county": [(c, n) for c, n in counties.most_common() if c],
        "target_group": groups.most_common(),
        "domain": domains.most_common(),
    }


def search(params: SearchRequest, filters: AccessFilters) -> tuple[SearchResults, dict[str, float]]:
    """The search narrowed by the filters: every result up to the last page the paging reaches,
    filtered and counted here (kinds before the kind filter, as the backends count them), and
    the page `params` asks for; with the offers' distances."""
    kind = params.filters.kind
    every_kind = replace(params.filters, kind="")
    results = run_search(replace(params, filters=every_kind, limit=MAX_OFFSET + params.limit, offset=0))
    narrowed, near = apply(results.hits, filters)
    hits = [h for h in narrowed if h.kind == kind] if kind else narrowed
    results.total = len(hits)
    results.facets = facets(hits, kinds=Counter(h.kind for h in narrowed))
    results.hits = hits[params.offset : params.offset + params.limit]
    return results, near
