"""Everything the offer page shows about getting one offer's help — where (locations and a
small map), when (opening hours), who qualifies, how to apply, free places and the wait, the
price and the KOV's contact — read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from analytics.geo import AreaMap, area_map
from directory.models import (
    Availability,
    ContactPerson,
    Eligibility,
    HowToApply,
    Offer,
    OpeningException,
    ServiceArea,
    ServiceLocation,
)
from directory.models.access import SCHEMA_DAYS
from directory.models.offers import today

CONTACT_ROLE = "social-worker"


@dataclass
class OfferDetails:
    offer: Offer
    locations: list[ServiceLocation]
    eligibility: Eligibility | None
    how_to_apply: HowToApply | None
    availability: Availability | None
    contacts: list[ContactPerson]
    map: AreaMap | None
    settlements: list = field(default_factory=list)

    @classmethod
    def of(cls, offer: Offer) -> OfferDetails:
        on = today()
        locations = list(
            offer.locations.select_related("municipality__county", "provider", "settlement").prefetch_related(
                "hours",
                Prefetch(
                    "exceptions", queryset=OpeningException.objects.filter(ends__gte=on).order_by("starts")
                ),
            )
        )
        eligibility = Eligibility.objects.filter(offer=offer).first()
        availability = offer.availability.order_by("-as_of", "-pk").first()
        contacts = list(
            ContactPerson.objects.current()
            .filter(municipality_id=offer.municipality_id)
            .select_related("role")
            .order_by("role__position", "name")
        )
        preferred = [c for c in contacts if c.role.code == CONTACT_ROLE] or contacts
        municipality = offer.municipality
        points = tuple((loc.latitude, loc.longitude, loc.name) for loc in locations)
        area = ServiceArea.objects.filter(offer=offer).first()
        return cls(
            settlements=list(area.settlements.order_by("name")) if area else [],
            offer=offer,
            locations=locations,
            eligibility=eligibility,
            how_to_apply=HowToApply.objects.for_offer(offer),
            availability=availability,
            contacts=preferred[:2],
            map=area_map(municipality.ehak, municipality.name_et, points)
            if (points or municipality.ehak)
            else None,
        )

    @property
    def map_points(self) -> list[tuple[int, float, float, str]]:
        """(number, x, y, label) — the numbers match the numbered address list beside the map."""
        if self.map is None:
            return []
        return [(i, x, y, label) for i, (x, y, label) in enumerate(self.map.points, start=1)]


def opening_hours_specification(location: ServiceLocation) -> list[dict]:
    """schema.org OpeningHoursSpecification rows: one per weekday period, then exceptions."""
    rows = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[h.weekday]}",
            "opens": h.opens.strftime("%H:%M"),
            "closes": h.closes.strftime("%H:%M"),
        }
        for h in sorted(location.hours.all(), key=lambda h: (h.weekday, h.opens))
    ]
    for ex in location.exceptions.all():
        rows.append(
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": ex.starts.isoformat(),
                "validThrough": ex.ends.isoformat(),
                "opens": "00:00" if ex.closed else ex.opens.strftime("%H:%M"),
                "closes": "00:00" if ex.closed else ex.closes.strftime("%H:%M"),
            }
        )
    return rows


def place_node(location: ServiceLocation) -> dict:
    node = {
        "@type": "Place",
        "name": location.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.street_address,
            "addressLocality": location.settlement_name,
            "addressRegion": location.municipality.county.name_et,
            "addressCountry": "EE",
            **({"postalCode": location.postal_code} if location.postal_code else {}),
        },
        "geo": {"@type": "GeoCoordinates", "latitude": location.latitude, "longitude": location.longitude},
        "openingHoursSpecification": opening_hours_specification(location),
    }
    if location.phone:
        node["telephone"] = location.phone
    return node


def channels(details: OfferDetails) -> list[dict]:
    """schema.org ServiceChannel nodes: the e-service, the phone line and each location."""
    offer = details.offer
    languages = offer.language_names or ["Estonian"]
    out = []
    apply = details.how_to_apply
    if apply and (apply.e_service_url or apply.phone):
        channel = {"@type": "ServiceChannel", "name": "taotlemine", "availableLanguage": languages}
        if apply.e_service_url:
            channel["serviceUrl"] = apply.e_service_url
        if apply.phone:
            channel["servicePhone"] = {"@type": "ContactPoint", "telephone": apply.phone}
        out.append(channel)
    for location in details.locations:
        channel = {
            "@type": "ServiceChannel",
            "name": location.name,
            "availableLanguage": languages,
            "serviceLocation": place_node(location),
        }
        if location.phone:
            channel["servicePhone"] = {"@type": "ContactPoint", "telephone": location.phone}
        out.append(channel)
    return out


def is_today_within(exception: OpeningException, on: dt.date | None = None) -> bool:
    on = on or today()
    return exception.starts <= on <= exception.ends


def offer_graph(details: OfferDetails, base_url: str = "") -> dict:
    """JSON-LD for the offer page: a (Government)Service with its channels and places."""
    from django.utils.translation import get_language

    from .structured_data import CONTEXT, _area, _price_specifications

    offer = details.offer
    item = offer.item
    government = offer.service_id is not None and getattr(item, "organiser", "") == "kov"
    node = {
        "@context": CONTEXT,
        "@type": "GovernmentService" if government else "Service",
        "inLanguage": get_language(),
        "name": item.name,
        "description": item.summary,
        "url": base_url + offer.get_absolute_url(),
        "identifier": item.code,
        "areaServed": _area(offer.municipality),
        "provider": {"@type": "Organization", "name": offer.provider.name},
        "availableLanguage": offer.language_names,
        "availableChannel": channels(details),
    }
    if government:
        node["serviceOperator"] = {"@type": "GovernmentOrganization", "name": offer.municipality.name}
    specs = _price_specifications(offer)
    if specs:
        node["offers"] = {"@type": "Offer", "priceCurrency": "EUR", "priceSpecification": specs}
    return node
