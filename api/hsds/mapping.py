"""The directory as Open Referral HSDS 3.0 objects.

- organization: each provider (*teenuseosutaja*) and each municipality (KOV);
- service: an offer (a KOV offers a component or service through a provider);
- location / service_at_location: the municipality the offer serves, at its centre point;
- contact / phone: the KOV's contact persons, public fields only (never professionals' lines);
- cost_option: one per published price and work form (individual, group), with validity;
- language: the languages of service;
- taxonomy / taxonomy_term: our catalogue codes (tiers > domains > components; services;
  target groups), linked to services through attributes.

HSDS ids are UUIDs; ours are derived (uuid5) from stable keys — catalogue codes where they
exist — so an id never changes between calls. Empty values are left out, because HSDS
types do not allow null."""

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from directory import models as m
from directory.models.base import LANGUAGE_CHOICES

from ..common import as_uri

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://abiportaal.ee/hsds/")
HSDS_VERSION = "3.0"

TAXONOMIES = {
    "catalogue": (
        "Abiportaal: tiers, life domains and service components",
        "Tiers of support, life domains (eluvaldkonnad) and service components "
        "(teenuskomponendid) of the person-centred social-care model.",
    ),
    "services": (
        "Abiportaal: social services (SHS)",
        "Social services (sotsiaalteenused) defined by the Social Welfare Act.",
    ),
    "target-groups": ("Abiportaal: target groups", "Whom services are for (sihtrühmad)."),
}


def hsds_id(kind: str, key) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def clean(obj):
    """Drop None and empty strings (HSDS types are not nullable); keep empty lists."""
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items() if v is not None and v != ""}
    if isinstance(obj, list):
        return [clean(v) for v in obj]
    return obj


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# -- taxonomy -----------------------------------------------------------------------------


def taxonomy(key: str, request=None) -> dict:
    name, description = TAXONOMIES[key]
    return clean(
        {
            "id": hsds_id("taxonomy", key),
            "name": name,
            "description": description,
            "uri": absolute(request, "/api/v1/"),
            "version": "1",
        }
    )


def term_key(obj) -> tuple[str, str, str | None]:
    """(taxonomy, our kind, parent term id) of a catalogue entry."""
    if isinstance(obj, m.Tier):
        return "catalogue", "tier", None
    if isinstance(obj, m.Domain):
        return "catalogue", "domain", hsds_id("term:tier", obj.tier.code)
    if isinstance(obj, m.Component):
        return "catalogue", "component", hsds_id("term:domain", obj.domain.code)
    if isinstance(obj, m.Service):
        return "services", "service", None
    return "target-groups", "target-group", None


API_PATHS = {
    "tier": "tiers",
    "domain": "domains",
    "component": "components",
    "service": "services",
    "target-group": "target-groups",
}


def taxonomy_term(obj, request=None, language: str = "et") -> dict:
    taxonomy_key, kind, parent = term_key(obj)
    description = getattr(obj, "summary", None) or getattr(obj, "description", None) or obj.name
    return clean(
        {
            "id": hsds_id(f"term:{kind}", obj.code),
            "code": obj.code,
            "name": obj.name,
            "description": description,
            "parent_id": parent,
            "taxonomy": taxonomy_key,
            "taxonomy_id": hsds_id("taxonomy", taxonomy_key),
            "language": language,
            "term_uri": absolute(request, f"/api/v1/{API_PATHS[kind]}/{obj.code}/"),
        }
    )


def all_terms():
    yield from m.Tier.objects.order_by("code")
    yield from m.Domain.objects.select_related("tier").order_by("code")
    yield from m.Component.objects.select_related("domain").order_by("code")
    yield from m.Service.objects.order_by("code")
    yield from m.TargetGroup.objects.order_by("code")


def attribute(link_id: str, term: dict, link_entity: str = "service") -> dict:
    return {
        "id": hsds_id("attribute", f"{link_id}:{term['id']}"),
        "link_id": link_id,
        "link_type": "taxonomy",
        "link_entity": link_entity,
        "taxonomy_term_id": term["id"],
        "value": term["code"],
        "taxonomy_term": term,
    }


# -- organizations ------------------------------------------------------------------------


def provider_org_id(provider: m.Provider) -> str:
    return hsds_id("provider", provider.pk)


def kov_org_id(municipality: m.Municipality) -> str:
    return hsds_id("kov", municipality.code)


def phone(owner_field: str, owner_id: str, number: str, key: str, description: str = "") -> dict:
    return clean(
        {
            "id": hsds_id("phone", key),
            owner_field: owner_id,
            "number": number,
            "type": "voice",
            "description": description,
        }
    )


def provider_organization(provider: m.Provider, full: bool = True) -> dict:
    org_id = provider_org_id(provider)
    data = {
        "id": org_id,
        "name": provider.name,
        "description": provider.description or str(provider.get_kind_display()),
        "email": provider.email,
        "website": as_uri(provider.website),
        "legal_status": str(provider.get_kind_display()),
    }
    if full:
        data["phones"] = (
            [phone("organization_id", org_id, provider.phone, f"provider:{provider.pk}")]
            if provider.phone
            else []
        )
        data["organization_identifiers"] = (
            [
                {
                    "id": hsds_id("identifier", f"provider:{provider.pk}"),
                    "organization_id": org_id,
                    "identifier_scheme": "EE-RIK",
                    "identifier_type": _("Business Register code (registrikood)"),
                    "identifier": provider.registry_code,
                }
            ]
            if provider.registry_code
            else []
        )
        data["contacts"] = []
        data["locations"] = []
    return clean(data)


def kov_organization(municipality: m.Municipality, contacts=None, request=None, full: bool = True) -> dict:
    org_id = kov_org_id(municipality)
    data = {
        "id": org_id,
        "name": municipality.name,
        "description": _(
            "Municipality (KOV) in %(county)s: organises social services and "
            "employs social workers and care coordinators."
        )
        % {"county": municipality.county.name},
        "website": as_uri(municipality.website),
        "legal_status": _("local government (KOV)"),
        "uri": absolute(request, municipality.get_absolute_url()),
    }
    if full:
        data["organization_identifiers"] = [
            {
                "id": hsds_id("identifier", f"kov:{municipality.code}"),
                "organization_id": org_id,
                "identifier_scheme": "EE-EHAK",
                "identifier_type": _("EHAK code"),
                "identifier": municipality.ehak,
            }
        ]
        data["contacts"] = [contact(c, organization_id=org_id) for c in (contacts or [])]
        data["locations"] = [location(municipality, full=False)]
        data["phones"] = []
    return clean(data)


def contact(person: m.ContactPerson, **links) -> dict:
    """Public fields only: direct_phone and duty_phone never leave the partner API."""
    contact_id = hsds_id("contact", person.pk)
    phones = (
        [
            phone(
                "contact_id",
                contact_id,
                person.phone,
                f"contact:{person.pk}",
                description=", ".join(person.language_names),
            )
        ]
        if person.phone
        else []
    )
    for entry in phones:
        entry["languages"] = [
            language(code, f"phone:{person.pk}", "phone_id", entry["id"]) for code in person.languages
        ]
    return clean(
        {
            "id": contact_id,
            **links,
            "name": person.name,
            "title": person.job_title or person.role.name,
            "department": person.role.name,
            "email": person.email,
            "phones": phones,
        }
    )


def language(code: str, key: str, owner_field: str, owner_id: str) -> dict:
    names = dict(LANGUAGE_CHOICES)
    return clean(
        {
            "id": hsds_id("language", f"{key}:{code}"),
            owner_field: owner_id,
            "name": str(names.get(code, code)),
            "code": code,
        }
    )


# -- locations and services ---------------------------------------------------------------


def location_id(municipality: m.Municipality) -> str:
    return hsds_id("location", municipality.code)


def location(municipality: m.Municipality, full: bool = True) -> dict:
    data = {
        "id": location_id(municipality),
        "location_type": "physical",
        "organization_id": kov_org_id(municipality),
        "name": municipality.name,
        "description": _("The area of %(municipality)s; the point is its centre.")
        % {"municipality": municipality.name},
        "latitude": municipality.latitude,
        "longitude": municipality.longitude,
        "external_identifier": municipality.ehak,
        "external_identifier_type": "EHAK",
    }
    return clean(data)


def service_status(offer: m.Offer) -> str:
    """active while the offer is in force; inactive before it starts and once withdrawn."""
    today = timezone.localdate()
    if offer.valid_from <= today and (offer.valid_to is None or offer.valid_to >= today):
        return "active"
    return "inactive"


def last_modified(offer: m.Offer) -> str:
    """When the offer or anything about it (a price published, closed or corrected) last
    changed: `modified` from `views.offers()`, else the offer's own update time."""
    stamp = getattr(offer, "modified", None) or offer.updated_at
    return stamp.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def schedules(contacts, sal_id: str) -> list[dict]:
    """Reception hours (*vastuvõtuajad*) of the contact persons, as free-text schedules."""
    return [
        {
            "id": hsds_id("schedule", f"{sal_id}:{person.pk}"),
            "service_at_location_id": sal_id,
            "description": f"{person.name} ({person.role.name}): {person.reception_hours}",
            "attending_type": _("in person or by phone"),
        }
        for person in contacts
        if person.reception_hours
    ]


def cost_options(offer: m.Offer, prices) -> list[dict]:
    service_id = hsds_id("service", offer.pk)
    options = []
    for price in prices:
        for form, amount in (("individual", price.price_individual), ("group", price.price_group)):
            if amount is None:
                continue
            share = price.client_share_display
            description = _("per %(unit)s, %(form)s work") % {
                "unit": price.unit.name,
                "form": _("individual") if form == "individual" else _("group"),
            }
            if share:
                description += "; " + _("client's share %(share)s") % {"share": share}
            for correction in price.corrections.all():
                previous = getattr(correction, f"old_price_{form}")
                description += "; " + _("corrected on %(date)s, previously %(amount)s") % {
                    "date": timezone.localdate(correction.corrected_at).isoformat(),
                    "amount": "—" if previous is None else f"{previous} €",
                }
            options.append(
                clean(
                    {
                        "id": hsds_id("cost_option", f"{price.pk}:{form}"),
                        "service_id": service_id,
                        "valid_from": price.valid_from.isoformat(),
                        "valid_to": price.valid_to.isoformat() if price.valid_to else None,
                        "option": f"{form}/{price.unit.code}",
                        "currency": price.currency,
                        "amount": float(Decimal(amount)),
                        "amount_description": description,
                    }
                )
            )
    return options


def service(offer: m.Offer, request=None, full: bool = True, contacts=None, prices=None) -> dict:
    service_id = hsds_id("service", offer.pk)
    item = offer.item
    current = offer.current_price
    data = {
        "id": service_id,
        "organization_id": provider_org_id(offer.provider),
        "name": f"{item.name} — {offer.municipality.name}",
        "alternate_name": item.name,
        "description": item.summary or item.name,
        "url": as_uri(absolute(request, offer.get_absolute_url())),
        "email": offer.provider.email,
        "status": service_status(offer),
        "fees_description": current
        and _("%(amount)s € per %(unit)s")
        % {
            "amount": current.price_individual
            if current.price_individual is not None
            else current.price_group,
            "unit": current.unit.name,
        },
        "last_modified": last_modified(offer),
        "assured_date": offer.last_verified.isoformat() if offer.last_verified else None,
        "eligibility_description": offer.notes,
    }
    if full:
        terms = [taxonomy_term(item, request)] + [
            taxonomy_term(g, request) for g in offer.target_groups.all()
        ]
        if offer.component_id:
            terms.append(taxonomy_term(offer.component.domain, request))
        data.update(
            {
                "organization": provider_organization(offer.provider, full=False),
                "languages": [
                    language(code, f"service:{offer.pk}", "service_id", service_id)
                    for code in offer.languages
                ],
                "cost_options": cost_options(
                    offer,
                    prices
                    if prices is not None
                    else offer.prices.published().select_related("unit").prefetch_related("corrections"),
                ),
                "service_areas": [
                    clean(
                        {
                            "id": hsds_id("service_area", offer.municipality.code),
                            "service_id": service_id,
                            "name": offer.municipality.name,
                            "description": _("Residents of %(municipality)s")
                            % {"municipality": offer.municipality.name},
                            # No boundaries are held: HSDS's free-text extent, naming the EHAK code.
                            "extent_type": "text",
                            "extent": f"{offer.municipality.name} (EHAK {offer.municipality.ehak})",
                        }
                    )
                ],
                "service_at_locations": [service_at_location(offer, request, contacts=contacts, nested=True)],
                "attributes": [attribute(service_id, term) for term in terms],
                "contacts": [],
                "phones": [],
                "schedules": [],
                "funding": [],
                "required_documents": [],
            }
        )
    return clean(data)


def service_at_location(
    offer: m.Offer, request=None, contacts=None, nested: bool = False, full: bool = True
) -> dict:
    sal_id = hsds_id("service_at_location", offer.pk)
    data = {
        "id": sal_id,
        "service_id": hsds_id("service", offer.pk),
        "location_id": location_id(offer.municipality),
        "description": _("%(item)s for residents of %(municipality)s")
        % {"item": offer.item.name, "municipality": offer.municipality.name},
    }
    if full:
        data["location"] = location(offer.municipality)
        data["contacts"] = [contact(c, service_at_location_id=sal_id) for c in (contacts or [])]
        data["schedules"] = schedules(contacts or [], sal_id)
    if not nested and full:
        data["service"] = service(offer, request, full=False)
    return clean(data)
