"""Open datasets of how to get the help: service locations (address, coordinates,
accessibility, opening hours in the OpenStreetMap `opening_hours` syntax) and, per public
offer, where it is given, who qualifies, how to apply and the latest availability."""

from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils import timezone

from directory import models as m
from directory.models.access import ICAL_DAYS, pick_how_to_apply

OSM_DAYS = tuple(day.title() for day in ICAL_DAYS)  # Mo Tu We …


def _join(values) -> str:
    return ";".join(str(v) for v in values)


def osm_opening_hours(location: m.ServiceLocation) -> str:
    """ "Mo 09:00-12:00,13:00-16:00; Sa 10:00-14:00" — one rule per weekday with hours."""
    by_day: dict[int, list[str]] = {}
    for row in sorted(location.hours.all(), key=lambda r: (r.weekday, r.opens)):
        by_day.setdefault(row.weekday, []).append(f"{row.opens:%H:%M}-{row.closes:%H:%M}")
    return "; ".join(f"{OSM_DAYS[day]} {','.join(periods)}" for day, periods in sorted(by_day.items()))


LOCATION_COLUMNS = (
    "location_id",
    "name",
    "municipality_code",
    "municipality_ehak",
    "provider_id",
    "provider_name",
    "address",
    "street_address",
    "settlement",
    "postal_code",
    "latitude",
    "longitude",
    "phone",
    "step_free_entrance",
    "accessible_toilet",
    "hearing_loop",
    "accessible_parking",
    "accessibility_note",
    "opening_hours",
    "offer_ids",
    "is_demo",
)


def location_rows() -> Iterator[tuple]:
    today = timezone.localdate()
    locations = (
        m.ServiceLocation.objects.select_related("municipality__county", "provider", "settlement")
        .prefetch_related(
            "hours",
            Prefetch("offers", queryset=m.Offer.objects.public(today).only("pk"), to_attr="public_offers"),
        )
        .order_by("municipality__code", "pk")
    )
    for loc in locations:
        yield (
            loc.pk,
            loc.name_et,
            loc.municipality.code,
            loc.municipality.ehak,
            loc.provider_id,
            loc.provider.name,
            loc.address,
            loc.street_address,
            loc.settlement_name,
            loc.postal_code,
            loc.latitude,
            loc.longitude,
            loc.phone,
            loc.step_free_entrance,
            loc.accessible_toilet,
            loc.hearing_loop,
            loc.accessible_parking,
            loc.accessibility_note_et,
            osm_opening_hours(loc),
            _join(sorted(o.pk for o in loc.public_offers)),
            loc.is_demo,
        )


ACCESS_COLUMNS = (
    "offer_id",
    "municipality_code",
    "item_code",
    "location_ids",
    "settlement_codes",
    "at_home",
    "remote",
    "eligibility",
    "age_min",
    "age_max",
    "needs_assessment_required",
    "kov_decision_required",
    "apply_e_service_url",
    "apply_form_url",
    "apply_phone",
    "documents",
    "decision_days",
    "capacity",
    "free_places",
    "waiting_days",
    "availability_as_of",
    "availability_stale",
)


def access_rows() -> Iterator[tuple]:
    offers = (
        m.Offer.objects.public()
        .select_related("municipality", "component", "service", "eligibility", "service_area")
        .prefetch_related("locations", "availability", "service_area__settlements")
        .order_by("municipality__code", "pk")
    )
    ways: dict[int, list[m.HowToApply]] = {}
    for how in m.HowToApply.objects.all():
        ways.setdefault(how.municipality_id, []).append(how)
    for o in offers:
        eligibility = getattr(o, "eligibility", None)
        how = pick_how_to_apply(ways.get(o.municipality_id, []), o)
        statements = sorted(o.availability.all(), key=lambda a: (a.as_of, a.pk))
        latest = statements[-1] if statements else None
        try:
            settlements = [s.code for s in o.service_area.settlements.all()]
        except m.ServiceArea.DoesNotExist:
            settlements = []
        yield (
            o.pk,
            o.municipality.code,
            o.item.code,
            _join(sorted(loc.pk for loc in o.locations.all())),
            _join(settlements),
            bool(eligibility and eligibility.at_home),
            bool(eligibility and eligibility.remote),
            eligibility.description_et if eligibility else "",
            eligibility.age_min if eligibility else None,
            eligibility.age_max if eligibility else None,
            eligibility.needs_assessment_required if eligibility else None,
            eligibility.kov_decision_required if eligibility else None,
            how.e_service_url if how else "",
            how.form_url if how else "",
            how.phone if how else "",
            _join(how.document_list) if how else "",
            how.decision_days if how else None,
            latest.capacity if latest else None,
            latest.free_places if latest else None,
            latest.waiting_days if latest else None,
            latest.as_of if latest else None,
            latest.is_stale if latest else None,
        )
