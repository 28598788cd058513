"""What the public pages show, read from directory/ in a fixed number of queries.

Each function here loads everything one page (or one part of a page) needs, whatever the
number of offers: rows are fetched with select_related/prefetch_related and then grouped,
sorted and summarised in Python. Views stay thin; templates only lay the result out."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain

from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from directory.models import (
    Component,
    ContactPerson,
    County,
    Domain,
    Journey,
    JourneyStep,
    Municipality,
    Offer,
    Price,
    Service,
    Tier,
)
from directory.models.offers import today

from .rows import Formats, PriceCells, PriceListRow

# How many municipalities that do offer a missing component are named, nearest first.
NEAREST_LIMIT = 3


# -- freshness ---------------------------------------------------------------------------


@dataclass
class Freshness:
    """When the data a page shows was last changed and last verified by a municipality."""

    updated: dt.datetime | dt.date | None = None
    verified: dt.date | None = None
    is_demo: bool = False

    @classmethod
    def of(cls, offers=(), contacts=(), prices=()) -> Freshness:
        """From rows already loaded: no queries."""
        offers, contacts = list(offers), list(contacts)
        prices = list(prices) + [p for o in offers if (p := o.current_price) is not None]
        updated = [o.updated_at for o in chain(offers, contacts)]
        updated += [p.published_at for p in prices if p.published_at]
        verified = [r.last_verified for r in chain(offers, contacts) if r.last_verified]
        return cls(
            updated=max(updated, default=None),
            verified=max(verified, default=None),
            is_demo=any(r.is_demo for r in chain(offers, contacts)),
        )

    @classmethod
    def of_directory(cls) -> Freshness:
        """For pages that show the catalogue rather than one KOV's rows: the whole directory."""
        offers = Offer.objects.aggregate(updated=Max("updated_at"), verified=Max("last_verified"))
        contacts = ContactPerson.objects.aggregate(updated=Max("updated_at"), verified=Max("last_verified"))
        published = Price.objects.published().aggregate(updated=Max("published_at"))["updated"]
        updated = [v for v in (offers["updated"], contacts["updated"], published) if v]
        verified = [v for v in (offers["verified"], contacts["verified"]) if v]
        return cls(updated=max(updated, default=None), verified=max(verified, default=None))


# -- municipality page -------------------------------------------------------------------


@dataclass
class PriceGroup:
    """Rows of a price list under one heading: a life domain of a tier, or social services."""

    key: str
    title: str
    tier: Tier | None
    domain: Domain | None
    offers: list[Offer] = field(default_factory=list)
    rows: list[PriceListRow] = field(default_factory=list)


@dataclass
class MissingComponent:
    """A catalogue component this KOV does not offer, with the nearest KOVs that do."""

    component: Component
    nearest: list[tuple[Municipality, float | None]]


@dataclass
class MunicipalityListing:
    municipality: Municipality
    groups: list[PriceGroup]
    offers: list[Offer]
    contacts: list[ContactPerson]
    contacts_by_role: list[tuple[object, list[ContactPerson]]]
    missing: list[MissingComponent]
    freshness: Freshness


def price_groups(offers: list[Offer]) -> list[PriceGroup]:
    """Components grouped by tier and life domain (in catalogue order), then social services."""
    groups: dict[str, PriceGroup] = {}
    services = PriceGroup("services", str(_("Social services")), None, None)
    for offer in offers:
        if offer.component_id:
            component = offer.component
            key = f"{component.tier.code}/{component.domain.code}"
            if key not in groups:
                groups[key] = PriceGroup(key, component.domain.name, component.tier, component.domain)
            groups[key].offers.append(offer)
        else:
            services.offers.append(offer)
    ordered = sorted(groups.values(), key=lambda g: (g.domain.position, g.domain.code))
    for group in ordered:
        group.offers.sort(key=lambda o: (o.component.position, o.component.code, o.provider.name))
    services.offers.sort(key=lambda o: (o.service.position, o.service.code, o.provider.name))
    ordered += [services] if services.offers else []
    formats = Formats()
    for group in ordered:
        group.rows = [PriceListRow.of(offer, formats) for offer in group.offers]
    return ordered


def nearest_offering(
    municipality: Municipality, component_ids: set[int], limit: int = NEAREST_LIMIT
) -> dict[int, list[tuple[Municipality, float | None]]]:
    """For each component, the municipalities that offer it now: same county first, then by
    distance between centre points.

    Municipalities are ranked once (79 rows); offers are then looked up among the nearest few
    first and only the components not found there are looked up everywhere — at most three
    queries, and few rows, whatever the number of offers."""
    if not component_ids:
        return {}
    others = list(Municipality.objects.exclude(pk=municipality.pk))

    def order(other: Municipality):
        distance = municipality.distance_km(other)
        return (
            other.county_id != municipality.county_id,
            distance if distance is not None else float("inf"),
            other.name_et,
        )

    ranked = sorted(others, key=order)
    rank = {m.pk: position for position, m in enumerate(ranked)}
    by_pk = {m.pk: m for m in ranked}
    offering: dict[int, set[int]] = defaultdict(set)

    def look_up(components: set[int], among: list[int] | None) -> None:
        pairs = Offer.objects.public().filter(component_id__in=components)
        if among is not None:
            pairs = pairs.filter(municipality_id__in=among)
        for component_id, municipality_id in pairs.values_list("component_id", "municipality_id").distinct():
            if municipality_id in rank:
                offering[component_id].add(municipality_id)

    nearby = [m.pk for m in ranked[: max(limit * 4, 12)]]
    look_up(component_ids, nearby)
    not_found_nearby = {c for c in component_ids if len(offering[c]) < limit}
    if not_found_nearby:
        look_up(not_found_nearby, None)

    result = {}
    for component_id in component_ids:
        ids = sorted(offering.get(component_id, ()), key=rank.__getitem__)[:limit]
        result[component_id] = [(by_pk[i], municipality.distance_km(by_pk[i])) for i in ids]
    return result


def listing_offers(*conditions: Q, **filters) -> list[Offer]:
    """Offers in force today with everything a price list shows, in two or three queries.

    A municipality, component or service given in `filters` is the same object on every row:
    it is attached to the rows rather than joined and built again for each of them."""
    day = today()
    known = {name: filters[name] for name in ("municipality", "component", "service") if name in filters}
    related = ["provider"]
    if "municipality" not in known:
        related.append("municipality__county")
    if not known.keys() & {"component", "service"}:
        related += ["component__domain", "component__tier", "service"]
    offers = list(Offer.objects.filter(*conditions, **filters).public(day).select_related(*related))
    prices: dict[int, list[Price]] = defaultdict(list)
    # Ordered by date only: Price's default ordering would join offers and municipalities.
    in_force = Price.objects.on(day).filter(offer__in=[o.pk for o in offers]).select_related("unit")
    for price in in_force.order_by("-valid_from"):
        prices[price.offer_id].append(price)
    for offer in offers:
        for name, value in known.items():
            setattr(offer, name, value)
        offer.prices_on_date = prices[offer.pk]  # what Offer.current_price reads
    return offers


def municipality_listing(municipality: Municipality) -> MunicipalityListing:
    offers = listing_offers(municipality=municipality)
    contacts = list(ContactPerson.objects.filter(municipality=municipality).current().select_related("role"))
    by_role: dict[int, list[ContactPerson]] = {}
    roles = {}
    for contact in contacts:
        by_role.setdefault(contact.role_id, []).append(contact)
        roles[contact.role_id] = contact.role
    contacts_by_role = [
        (roles[role_id], people)
        for role_id, people in sorted(
            by_role.items(), key=lambda item: (roles[item[0]].position, roles[item[0]].code)
        )
    ]
    offered = {o.component_id for o in offers if o.component_id}
    missing_components = list(
        Component.objects.exclude(pk__in=offered).select_related("domain").order_by("position", "code")
    )
    nearest = nearest_offering(municipality, {c.pk for c in missing_components})
    missing = [MissingComponent(c, nearest.get(c.pk, [])) for c in missing_components]
    return MunicipalityListing(
        municipality=municipality,
        groups=price_groups(offers),
        offers=offers,
        contacts=contacts,
        contacts_by_role=contacts_by_role,
        missing=missing,
        freshness=Freshness.of(offers=offers, contacts=contacts),
    )


# -- component and service pages ----------------------------------------------------------

SORTS = {
    # ?sort= value: (label, key function on an OfferRow, reverse)
    "municipality": (_("municipality"), lambda r: (r.municipality.name, r.provider_name), False),
    "county": (_("county"), lambda r: (r.municipality.county.name, r.municipality.name), False),
    "provider": (_("provider"), lambda r: (r.provider_name, r.municipality.name), False),
    "price": (_("price, lowest first"), lambda r: r.price_sort_key(), False),
    "-price": (_("price, highest first"), lambda r: r.price_sort_key(descending=True), False),
}
DEFAULT_SORT = "municipality"


@dataclass
class OfferRow:
    """One row of "where is it offered and at what price"."""

    offer: Offer
    price: Price | None
    cells: PriceCells | None = None  # the price formatted for display, for the rows on the page

    @property
    def municipality(self) -> Municipality:
        return self.offer.municipality

    @property
    def provider_name(self) -> str:
        return self.offer.provider.name

    def price_sort_key(self, descending: bool = False):
        # Units are never compared with each other: rows sort by unit first, then by amount.
        if self.price is None:
            return ("\uffff", 0, self.municipality.name)
        amount = self.price.price_individual
        if amount is None:
            amount = self.price.price_group
        return (self.price.unit.name, -amount if descending else amount, self.municipality.name)


@dataclass
class UnitStats:
    """Min, median and max of one kind of price (individual or group) in one unit."""

    unit: object
    work_form: str
    count: int
    minimum: Decimal
    median: Decimal
    maximum: Decimal


def price_stats(rows: list[OfferRow]) -> list[UnitStats]:
    """Per unit and work form — a price per hour is never summarised with a price per visit."""
    buckets: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    units = {}
    for row in rows:
        if row.price is None:
            continue
        units[row.price.unit.code] = row.price.unit
        if row.price.price_individual is not None:
            buckets[(row.price.unit.code, "individual")].append(row.price.price_individual)
        if row.price.price_group is not None:
            buckets[(row.price.unit.code, "group")].append(row.price.price_group)
    stats = []
    for (unit_code, work_form), amounts in sorted(
        buckets.items(), key=lambda item: (units[item[0][0]].name, item[0][1] != "individual")
    ):
        median = Decimal(statistics.median(amounts)).quantize(Decimal("0.01"))
        stats.append(UnitStats(units[unit_code], work_form, len(amounts), min(amounts), median, max(amounts)))
    return stats


@dataclass
class ItemListing:
    rows: list[OfferRow]
    stats: list[UnitStats]
    counties: list[County]
    journeys: list[Journey]
    freshness: Freshness


def item_listing(item: Component | Service, *, county: County | None, sort: str) -> ItemListing:
    """Where a component or service is offered now, at what price, sorted and filtered."""
    kind = "component" if isinstance(item, Component) else "service"
    offers = listing_offers(**{kind: item})
    all_rows = [OfferRow(o, o.current_price) for o in offers]
    counties = sorted({r.municipality.county for r in all_rows}, key=lambda c: c.name)
    rows = [r for r in all_rows if county is None or r.municipality.county_id == county.pk]
    _label, key, reverse = SORTS.get(sort, SORTS[DEFAULT_SORT])
    rows.sort(key=key, reverse=reverse)
    journeys = list(
        Journey.objects.filter(**{f"steps__{kind}s": item}).distinct().order_by("position", "code")
    )
    return ItemListing(
        rows=rows,
        stats=price_stats(rows),
        counties=counties,
        journeys=journeys,
        freshness=Freshness.of(offers=[r.offer for r in rows]),
    )


# -- journey pages -------------------------------------------------------------------------


@dataclass
class JourneyStepView:
    step: JourneyStep
    contacts: list[ContactPerson] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)


@dataclass
class JourneyListing:
    journey: Journey
    steps: list[JourneyStepView]
    municipality: Municipality | None
    freshness: Freshness


def journey_listing(journey: Journey, municipality: Municipality | None) -> JourneyListing:
    steps = list(
        journey.steps.select_related("stage", "actor").prefetch_related(
            "other_actors", "components", "services"
        )
    )
    views = [JourneyStepView(step) for step in steps]
    if municipality is None:
        return JourneyListing(journey, views, None, Freshness.of_directory())

    component_ids = {c.pk for s in steps for c in s.components.all()}
    service_ids = {sv.pk for s in steps for sv in s.services.all()}
    offers = listing_offers(
        Q(component_id__in=component_ids) | Q(service_id__in=service_ids), municipality=municipality
    )
    contacts = list(
        ContactPerson.objects.filter(municipality=municipality)
        .current()
        .filter(role_id__in={s.actor_id for s in steps})
        .select_related("role")
    )
    for view in views:
        step = view.step
        view.contacts = [c for c in contacts if c.role_id == step.actor_id]
        wanted_components = {c.pk for c in step.components.all()}
        wanted_services = {sv.pk for sv in step.services.all()}
        view.offers = [
            o for o in offers if o.component_id in wanted_components or o.service_id in wanted_services
        ]
    return JourneyListing(journey, views, municipality, Freshness.of(offers=offers, contacts=contacts))


def price_history(offer: Offer) -> list[Price]:
    """Every published price of the offer, newest first. Drafts are never public."""
    return list(offer.prices.published().select_related("unit").order_by("-valid_from"))


def is_current(price: Price) -> bool:
    day = today()
    return price.valid_from <= day and (price.valid_to is None or price.valid_to >= day)
