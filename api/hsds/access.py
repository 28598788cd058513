"""How to get the help, as HSDS 3.0 objects: service locations (*teenuse osutamise kohad*) as
`location` with `addresses`, coordinates, `accessibility`, `phones` and `schedules`; the
offer's `eligibility_description`, ages, `application_process`, `required_documents`,
`wait_time` and `service_areas`.

Kept apart from mapping.py so the two evolve independently; the service detail view calls
add_to_service() on the full service mapping.service() built. Opening hours are weekly
iCal-style schedules (freq WEEKLY, byday MO…SU) in Estonian local time (Europe/Tallinn); an
exception still to come (holiday, summer closure) is a schedule with valid_from/valid_to and
a description."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from directory import models as m
from directory.models.access import ICAL_DAYS
from directory.models.offers import today

from .mapping import clean, hsds_id, phone, provider_org_id


def service_location_id(location: m.ServiceLocation) -> str:
    return hsds_id("service_location", location.pk)


def schedules(location: m.ServiceLocation, **owner) -> list[dict]:
    """One weekly schedule per opening period, then one per exception still to come."""
    out = []
    for row in sorted(location.hours.all(), key=lambda r: (r.weekday, r.opens)):
        out.append(
            clean(
                {
                    "id": hsds_id("schedule", f"hours:{row.pk}"),
                    **owner,
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "byday": ICAL_DAYS[row.weekday],
                    "opens_at": row.opens.strftime("%H:%M"),
                    "closes_at": row.closes.strftime("%H:%M"),
                    "description": f"{m.Weekday(row.weekday).label} {row.opens:%H:%M}–{row.closes:%H:%M}"
                    f" (Europe/Tallinn)",
                }
            )
        )
    for ex in location.exceptions.all():
        hours = _("closed") if ex.closed else f"{ex.opens:%H:%M}–{ex.closes:%H:%M}"
        out.append(
            clean(
                {
                    "id": hsds_id("schedule", f"exception:{ex.pk}"),
                    **owner,
                    "valid_from": ex.starts.isoformat(),
                    "valid_to": ex.ends.isoformat(),
                    "opens_at": None if ex.closed else ex.opens.strftime("%H:%M"),
                    "closes_at": None if ex.closed else ex.closes.strftime("%H:%M"),
                    "description": f"{ex.starts.isoformat()}–{ex.ends.isoformat()}: {hours}"
                    + (f" ({ex.note})" if ex.note else ""),
                }
            )
        )
    return out


def address(location: m.ServiceLocation) -> dict:
    municipality = location.municipality
    return clean(
        {
            "id": hsds_id("address", location.pk),
            "location_id": service_location_id(location),
            "address_1": location.street_address,
            "city": location.settlement_name,
            "region": municipality.name_et,
            "state_province": municipality.county.name_et,
            "postal_code": location.postal_code,
            "country": "EE",
            "address_type": "physical",
        }
    )


def accessibility(location: m.ServiceLocation) -> list[dict]:
    features = location.accessibility_features
    if not features and not location.accessibility_note:
        return []
    return [
        clean(
            {
                "id": hsds_id("accessibility", location.pk),
                "location_id": service_location_id(location),
                "description": ", ".join(features) or _("no accessibility features reported"),
                "details": location.accessibility_note,
            }
        )
    ]


def service_location(location: m.ServiceLocation) -> dict:
    """A service location as an HSDS location. An address needs a postal code in HSDS; one
    without is given as text in the description only."""
    location_id = service_location_id(location)
    return clean(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": provider_org_id(location.provider),
            "name": location.name,
            "description": location.address,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "addresses": [address(location)] if location.postal_code else [],
            "accessibility": accessibility(location),
            "phones": [phone("location_id", location_id, location.phone, f"location:{location.pk}")]
            if location.phone
            else [],
            "schedules": schedules(location, location_id=location_id),
        }
    )


def application_process(how: m.HowToApply | None) -> str:
    if how is None:
        return ""
    parts = []
    if how.e_service_url:
        parts.append(_("Apply online (e-service)") + f": {how.e_service_url}")
    if how.form_url:
        parts.append(_("Application form") + f": {how.form_url}")
    if how.in_person:
        parts.append(_("In person") + f": {how.in_person}")
    if how.phone:
        parts.append(_("By phone") + f": {how.phone}")
    if how.decided_by:
        parts.append(_("Who decides") + f": {how.decided_by}")
    if how.decision_days:
        parts.append(_("decision within (days)") + f": {how.decision_days}")
    if how.next_steps:
        parts.append(how.next_steps)
    return ". ".join(p.rstrip(".") for p in parts) + "." if parts else ""


def required_documents(how: m.HowToApply | None, service_id: str) -> list[dict]:
    if how is None:
        return []
    return [
        {"id": hsds_id("required_document", f"{how.pk}:{i}"), "service_id": service_id, "document": doc}
        for i, doc in enumerate(how.document_list)
    ]


def wait_time(availability: m.Availability | None) -> str:
    """The typical wait and free places as stated, or nothing when the statement is stale."""
    if availability is None or availability.is_stale:
        return ""
    parts = []
    if availability.waiting_days is not None:
        parts.append(_("typical waiting time (days)") + f": {availability.waiting_days}")
    if availability.free_places is not None:
        parts.append(_("free places now") + f": {availability.free_places}")
    return "; ".join(parts) + f" ({availability.as_of.isoformat()})"


def service_area_settlements(offer: m.Offer) -> list:
    """The settlements the offer is limited to; [] = the whole municipality."""
    area = m.ServiceArea.objects.filter(offer=offer).first()
    return list(area.settlements.order_by("name")) if area else []


def add_to_service(data: dict, offer: m.Offer, request=None) -> dict:
    """Add the offer's locations, eligibility, ages, application process, documents and wait
    to a full HSDS service built by mapping.service(); empty values are left out."""
    service_id = data["id"]
    eligibility = m.Eligibility.objects.filter(offer=offer).first()
    how = m.HowToApply.objects.for_offer(offer)
    availability = offer.availability.order_by("-as_of", "-pk").first()
    locations = list(
        offer.locations.select_related("municipality__county", "provider", "settlement").prefetch_related(
            "hours", Prefetch("exceptions", queryset=m.OpeningException.objects.filter(ends__gte=today()))
        )
    )
    extra = {
        "application_process": application_process(how),
        "wait_time": wait_time(availability),
    }
    if eligibility is not None:
        extra["eligibility_description"] = eligibility.description
        extra["minimum_age"] = eligibility.age_min
        extra["maximum_age"] = eligibility.age_max
    data.update(clean(extra))
    settlements = service_area_settlements(offer)
    if settlements:
        data["service_areas"] = [
            clean(
                {
                    "id": hsds_id("service_area", f"{offer.pk}:{s.code}"),
                    "service_id": service_id,
                    "name": s.name,
                    "description": offer.municipality.name,
                    "extent_type": "EHAK",
                    "extent": s.code,
                }
            )
            for s in settlements
        ]
    data["required_documents"] = required_documents(how, service_id)
    data["service_at_locations"] = [
        *data.get("service_at_locations", []),
        *[
            clean(
                {
                    "id": hsds_id("service_at_location", f"{offer.pk}:{loc.pk}"),
                    "service_id": service_id,
                    "location_id": service_location_id(loc),
                    "description": loc.name,
                    "location": service_location(loc),
                }
            )
            for loc in locations
        ],
    ]
    return data
