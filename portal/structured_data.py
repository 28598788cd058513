"""schema.org JSON-LD for search engines and other machines: a municipality as a
GovernmentOrganization with its contact points, and each offer as a Service (a
GovernmentService when the municipality organises it) with an Offer whose
UnitPriceSpecification gives the price per unit in EUR."""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from directory.models import Component, Municipality, Offer, Service

from .rows import ContactCard, ListedOffer

CONTEXT = "https://schema.org"


def _area(municipality: Municipality) -> dict:
    return {"@type": "AdministrativeArea", "name": municipality.name}


def _price_specifications(offer) -> list[dict]:
    """For an Offer or a ListedOffer (portal.rows): both have current_price."""
    price = offer.current_price
    if price is None:
        return []
    specs = []
    for amount, work_form in ((price.price_individual, "individual"), (price.price_group, "group")):
        if amount is None:
            continue
        spec = {
            "@type": "UnitPriceSpecification",
            "price": f"{amount:.2f}",
            "priceCurrency": price.currency,
            "unitText": price.unit_name,
        }
        if work_form == "group":
            spec["name"] = work_form
        specs.append(spec)
    return specs


def offer_node(offer: ListedOffer, area_id: str, base_url: str = "") -> dict:
    """What schema.org consumers read of a service: its name, page, provider and price per unit.
    The area served is the municipality's, described once on the organisation and referred to."""
    node = {
        "@type": "GovernmentService" if offer.is_government_service else "Service",
        "name": offer.name,
        "url": base_url + offer.item_url,
        "provider": {"@type": "Organization", "name": offer.provider_name},
        "areaServed": {"@id": area_id},
    }
    specs = _price_specifications(offer)
    if specs:
        node["offers"] = {"@type": "Offer", "priceSpecification": specs}
    return node


def contact_point(contact: ContactCard) -> dict:
    node = {"@type": "ContactPoint", "contactType": contact.role_name, "name": contact.name}
    if contact.phone:
        node["telephone"] = contact.phone
    if contact.email:
        node["email"] = contact.email
    if contact.reception_hours:
        node["hoursAvailable"] = contact.reception_hours
    if contact.languages:
        node["availableLanguage"] = contact.language_names
    return node


def municipality_graph(
    municipality: Municipality, offers: list[ListedOffer], contacts: list[ContactCard], base_url: str = ""
) -> dict:
    page_url = base_url + municipality.get_absolute_url()
    organisation = {
        "@type": "GovernmentOrganization",
        "@id": page_url + "#organization",
        "name": municipality.name,
        "url": base_url + municipality.get_absolute_url(),
        "areaServed": {**_area(municipality), "@id": page_url + "#area"},
        "contactPoint": [contact_point(c) for c in contacts],
    }
    if municipality.website:
        organisation["sameAs"] = municipality.website
    return {
        "@context": CONTEXT,
        "inLanguage": get_language(),
        "@graph": [organisation, *[offer_node(o, page_url + "#area", base_url) for o in offers]],
    }


def item_graph(item: Component | Service, offers: list[Offer], base_url: str = "") -> dict:
    government = isinstance(item, Service) and item.organiser == "kov"
    node = {
        "@context": CONTEXT,
        "@type": "GovernmentService" if government else "Service",
        "inLanguage": get_language(),
        "name": item.name,
        "description": item.summary,
        "url": base_url + item.get_absolute_url(),
        "identifier": item.code,
    }
    if isinstance(item, Component):
        node["category"] = item.domain.name
    if offers:
        node["offers"] = [
            {
                "@type": "Offer",
                "areaServed": _area(o.municipality),
                "offeredBy": {"@type": "Organization", "name": o.provider.name},
                "priceCurrency": "EUR",
                "priceSpecification": _price_specifications(o),
            }
            for o in offers
        ]
    return node


def to_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> block; <, > and & are escaped so no text from the
    data can close the element."""
    text = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
