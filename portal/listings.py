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
from itertools import chain, islice

from django.conf import settings
from django.db.models import FilteredRelation, Max, Q, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.models import (
    Component,
    ContactPerson,
    County,
    Journey,
    JourneyStep,
    Municipality,
    Offer,
    Price,
    Service,
    Unit,
)
from directory.models.base import localized_path
from directory.models.catalogue import Organiser
from directory.models.offers import PriceStatus, today, valid_on
from directory.models.places import distance_km

from .memo import kept_shape
from .memo import memo as directory_memo
from .rows import (
    ContactCard,
    Day,
    Formats,
    ListedOffer,
    ListedPrice,
    PriceCells,
    PriceListRow,
    TemplateRow,
    Translated,
)

# How many municipalities that do offer a missing component are named, nearest first.
NEAREST_LIMIT = 3

# What many requests derive alike from the directory: the "not offered here" section of a
# municipality page (it looks at every municipality's offers), the municipality chooser's list
# and the directory's freshness (scans of whole tables).


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
        """For pages that show the catalogue rather than one KOV's rows: the whole directory.
        Three scans of whole tables, the same for every visitor: kept until the data changes."""
        return directory_memo.get("freshness", cls._of_directory)

    @classmethod
    def _of_directory(cls) -> Freshness:
        offers = Offer.objects.aggregate(updated=Max("updated_at"), verified=Max("last_verified"))
        contacts = ContactPerson.objects.aggregate(updated=Max("updated_at"), verified=Max("last_verified"))
        published = Price.objects.published().aggregate(updated=Max("published_at"))["updated"]
        updated = [v for v in (offers["updated"], contacts["updated"], published) if v]
        verified = [v for v in (offers["verified"], contacts["verified"]) if v]
        return cls(updated=max(updated, default=None), verified=max(verified, default=None))


# -- municipality page -------------------------------------------------------------------


@dataclass
class PriceGroup(TemplateRow):
    """Rows of a price list under one heading: a life domain of a tier, or social services."""

    key: str
    title: str
    tier_name: str = ""
    is_open: bool = False  # unfolded as the page arrives: the most asked
    offers: list[ListedOffer] = field(default_factory=list)
    rows: list[PriceListRow] = field(default_factory=list)
    # Said once in the group's caption when every row shares it: the rows then leave out the
    # date, and on a phone the provider (a group of one row names its provider in the row).
    provider: str = ""
    since: Day | None = None

    def lay_out(self, formats: Formats) -> None:
        self.rows = [PriceListRow.of(offer, formats) for offer in self.offers]
        providers = {row.provider for row in self.rows}
        if len(providers) == 1 and len(self.rows) > 1:
            self.provider = providers.pop()
        starts = {row.since for row in self.rows}
        if len(starts) == 1 and None not in starts:
            self.since = starts.pop()
            for row in self.rows:
                row.since = None


@dataclass
class Nearby(TemplateRow):
    """A municipality that offers a component this KOV does not."""

    url: str
    name: str
    distance: float | None


@dataclass
class MissingComponent(TemplateRow):
    """A catalogue component this KOV does not offer, with the nearest KOVs that do."""

    url: str
    name_html: str
    nearest: list[Nearby]


@dataclass
class MunicipalityListing(TemplateRow):
    municipality: Municipality
    groups: list[PriceGroup]
    offers: list[ListedOffer]
    contacts: list[ContactCard]
    contacts_by_role: list[tuple[SafeString, list[ContactCard]]]  # whom to call: role's name, people
    missing: list[MissingComponent]
    freshness: Freshness
    since: Day | None = None  # when every price on the list came into force, if on one day
    # Said once above the contact cards when every contact person (two or more) shares them;
    # the cards then leave them out.
    common_hours: SafeString | str = ""
    common_languages: list[str] = field(default_factory=list)


# Columns of a municipality's offers read for its price list; names in the active language
# are added by Translated.columns().
OFFER_COLUMNS = (
    "id", "last_verified", "updated_at", "is_demo",
    "component_id", "service_id", "component__code", "component__position", "component__tier__code",
    "component__domain__code", "component__domain__position",
    "service__code", "service__position", "service__organiser",
)  # fmt: skip
OFFER_TRANSLATED = (
    "notes", "provider__name", "component__name", "component__domain__name", "component__tier__name",
    "service__name",
)  # fmt: skip
PRICE_COLUMNS = (
    "price_individual", "price_group", "client_share_amount", "client_share_percent",
    "currency", "valid_from", "valid_to", "published_at",
)  # fmt: skip


def price_list_rows(municipality_id: int, day: dt.date) -> list[dict]:
    language = get_language() or settings.LANGUAGE_CODE
    return list(price_list_query(language, day).filter(municipality_id=municipality_id))


@kept_shape
def price_list_query(language: str, day: dt.date) -> QuerySet:
    """Every municipality's offers in force on `day`, each with its price in force, as plain rows
    with the names in `language`; `price_list_rows` filters it by municipality."""
    names = Translated(language)
    in_force = FilteredRelation(
        "prices", condition=Q(prices__status=PriceStatus.PUBLISHED) & valid_on(day, "prices__")
    )
    price_columns = [f"price_now__{column}" for column in PRICE_COLUMNS]
    return (
        # The translated columns are named (Translated.columns): modeltranslation's rewriting and
        # per-row fallback would only repeat that work.
        Offer.objects.rewrite(False)
        .public(day)
        .annotate(price_now=in_force)
        # Should two prices be in force, the later start wins (below), as in Offer.current_price.
        .order_by("price_now__valid_from")
        .values(
            *OFFER_COLUMNS,
            *names.columns(*OFFER_TRANSLATED),
            *price_columns,
            *names.columns("price_now__unit__name"),
        )
    )


# The services residents know by name and ask about first, in this order.
MOST_ASKED = (
    "home-care", "general-care", "support-person", "social-transport", "personal-assistant", "day-care",
)  # fmt: skip


def municipality_offers(municipality: Municipality) -> list[PriceGroup]:
    """A municipality's offers in force today, grouped as its price list shows them: the most
    asked services with a price first (unfolded), then the other social services, then
    components by tier and life domain (in catalogue order). Each offer is listed once.

    One query of plain rows — each offer with its catalogue names and the price in force today
    — whatever the number of offers: no model instance is built per row."""
    names = Translated(get_language() or settings.LANGUAGE_CODE)
    rows = price_list_rows(municipality_id=municipality.pk, day=today())
    by_offer = {row["id"]: row for row in rows}
    rows = list(by_offer.values())
    prices: dict[int, ListedPrice] = {}
    for row in rows:
        if row["price_now__valid_from"] is not None:
            prices[row["id"]] = ListedPrice.of(row, names, prefix="price_now__")

    groups: dict[str, PriceGroup] = {}
    most_asked = PriceGroup("most-asked", str(_("Most asked")), is_open=True)
    services = PriceGroup("services", str(_("Social services")))
    rank = {code: position for position, code in enumerate(MOST_ASKED)}
    order: dict[str, tuple] = {}
    sort_keys: dict[int, tuple] = {}
    for row in rows:
        kind = "component" if row["component_id"] else "service"
        offer = ListedOffer(
            pk=row["id"],
            kind=kind,
            item_id=row[f"{kind}_id"],
            code=row[f"{kind}__code"],
            name=names.text(row, f"{kind}__name"),
            name_html=names.html(row, f"{kind}__name"),
            provider_name=names.text(row, "provider__name"),
            notes_html=names.html(row, "notes") if names.text(row, "notes") else "",
            last_verified=row["last_verified"],
            updated_at=row["updated_at"],
            is_demo=row["is_demo"],
            is_government_service=row["service__organiser"] == Organiser.KOV,
            current_price=prices.get(row["id"]),
        )
        sort_keys[offer.pk] = (row[f"{kind}__position"], offer.code, offer.provider_name)
        if offer.code in rank and offer.current_price is not None:
            most_asked.offers.append(offer)
            sort_keys[offer.pk] = (rank[offer.code], offer.code, offer.provider_name)
            continue
        if kind == "service":
            services.offers.append(offer)
            continue
        key = f"{row['component__tier__code']}/{row['component__domain__code']}"
        if key not in groups:
            groups[key] = PriceGroup(
                key, names.text(row, "component__domain__name"), names.text(row, "component__tier__name")
            )
            order[key] = (row["component__domain__position"], row["component__domain__code"])
        groups[key].offers.append(offer)
    ordered = [group for group in (most_asked, services) if group.offers]
    ordered += sorted(groups.values(), key=lambda g: order[g.key])
    formats = Formats()
    for group in ordered:
        group.offers.sort(key=lambda o: sort_keys[o.pk])
        group.lay_out(formats)
    return ordered


def nearest_offering(
    municipality: Municipality, component_ids: set[int], names: Translated, limit: int = NEAREST_LIMIT
) -> dict[int, list[Nearby]]:
    """For each component, the municipalities that offer it now: same county first, then by
    distance between centre points.

    The municipalities' centre points and which municipalities offer each component are kept
    per content version and day and shared by every municipality page (portal.memo): this reads
    only the offerers of components no page has asked about yet; only the ranking from this
    municipality is computed here, and only the few municipalities named become links."""
    if not component_ids:
        return {}
    points = municipality_points(names)
    here = (municipality.latitude, municipality.longitude)
    ranked = []
    for other in points.values():
        if other.pk == municipality.pk:
            continue
        distance = distance_km(*here, other.latitude, other.longitude)
        far = float("inf") if distance is None else distance
        ranked.append(((other.county_id != municipality.county_id, far, other.sort_name), other.pk, distance))
    ranked.sort()
    offerers = component_offerers(component_ids)
    nearest = {}
    for component_id in component_ids:
        offering = offerers.get(component_id, frozenset())
        found = ((pk, distance) for _key, pk, distance in ranked if pk in offering)
        nearest[component_id] = [
            Nearby(points[pk].url, points[pk].name, distance) for pk, distance in islice(found, limit)
        ]
    return nearest


@dataclass(frozen=True, slots=True)
class MunicipalityPoint:
    """What the "not offered here" ranking reads of a municipality."""

    pk: int
    county_id: int
    latitude: float | None
    longitude: float | None
    sort_name: str  # the Estonian name: ties in distance are broken alike in every language
    name: str
    url: str


def municipality_points(names: Translated) -> dict[int, MunicipalityPoint]:
    """Every municipality's county, centre point, name and page, by id, in the active language."""

    def read() -> dict[int, MunicipalityPoint]:
        rows = municipality_points_query(names.language)
        return {
            row["id"]: MunicipalityPoint(
                pk=row["id"],
                county_id=row["county_id"],
                latitude=row["latitude"],
                longitude=row["longitude"],
                sort_name=row[f"name_{settings.LANGUAGE_CODE}"],
                name=names.text(row, "name"),
                url=localized_path("kov", row["code"]),
            )
            for row in rows
        }

    return directory_memo.get(("municipality-points", names.language), read)


@kept_shape
def municipality_points_query(language: str) -> QuerySet:
    return (
        Municipality.objects.rewrite(False)  # the name's columns are named: no fallback rewriting
        .order_by()
        .values("id", "code", "county_id", "latitude", "longitude", *Translated(language).columns("name"))
    )


def component_offerers(component_ids: set[int]) -> dict[int, frozenset[int]]:
    """Which municipalities offer each of these catalogue components now, by component id.

    Kept per component, content version and day (portal.memo): one query of (component,
    municipality) pairs reads the components not kept yet, so a page that misses three
    components reads their offers only, and the pages after it read only what is still new."""

    def read(keys: list[tuple]) -> dict[tuple, frozenset[int]]:
        offering: dict[int, set[int]] = {key[1]: set() for key in keys}
        pairs = offerers_query(today()).filter(component_id__in=list(offering))
        for component_id, municipality_id in pairs:
            offering[component_id].add(municipality_id)
        return {("component-offerers", pk): frozenset(ids) for pk, ids in offering.items()}

    kept = directory_memo.get_many([("component-offerers", pk) for pk in component_ids], read)
    return {key[1]: ids for key, ids in kept.items()}


@kept_shape
def offerers_query(day: dt.date) -> QuerySet:
    """(component, municipality) pairs of the offers in force on `day`."""
    # Two id columns: modeltranslation's rewriting and per-row fallback have nothing to do.
    # Not DISTINCT: the sets read from it drop repeats, more cheaply than SQLite's sort.
    return Offer.objects.rewrite(False).public(day).order_by().values_list("component_id", "municipality_id")


def listing_offers(*conditions: Q, **filters) -> list[Offer]:
    """Offers in force today with everything a price list shows, in two or three queries.

    A municipality, component or service given in `filters` is the same object on every row:
    it is attached to the rows rather than joined and built again for each of them."""
    day = today()
    known = {name: filters[name] for name in ("municipality", "component", "service") if name in filters}
    related = ["provider"]
    if not known.keys() & {"component", "service"}:
        related += ["component__domain", "component__tier", "service"]
    offers = list(Offer.objects.filter(*conditions, **filters).public(day).select_related(*related))
    # Municipalities (with counties) and units are few and kept per process (portal.memo): the
    # rows share those instances instead of building them again for each row.
    municipalities = None if "municipality" in known else {m.pk: m for m in all_municipalities()}
    units = all_units()
    prices: dict[int, list[Price]] = defaultdict(list)
    # Ordered by date only: Price's default ordering would join offers and municipalities.
    in_force = Price.objects.on(day).filter(offer__in=[o.pk for o in offers])
    for price in in_force.order_by("-valid_from"):
        price.unit = units[price.unit_id]
        prices[price.offer_id].append(price)
    for offer in offers:
        for name, value in known.items():
            setattr(offer, name, value)
        if municipalities is not None:
            offer.municipality = municipalities[offer.municipality_id]
        offer.prices_on_date = prices[offer.pk]  # what Offer.current_price reads
    return offers


def all_units() -> dict[int, Unit]:
    """Every unit prices are given in, by id (names are read in the active language on use)."""
    return directory_memo.get("units", lambda: {unit.pk: unit for unit in Unit.objects.all()})


@kept_shape
def components_query(language: str) -> QuerySet:
    """The catalogue's components in its order: id, code and name in `language`."""
    columns = Translated(language).columns("name")
    return Component.objects.rewrite(False).order_by("position", "code").values("id", "code", *columns)


def not_offered(
    municipality: Municipality, offered: frozenset[int], names: Translated
) -> list[MissingComponent]:
    """The catalogue components the municipality does not offer, each with the nearest
    municipalities that do."""
    catalogue = directory_memo.get(
        ("components", names.language), lambda: list(components_query(names.language))
    )
    missing_components = [c for c in catalogue if c["id"] not in offered]
    nearest = nearest_offering(municipality, {c["id"] for c in missing_components}, names)
    return [
        MissingComponent(
            localized_path("components", c["code"]), names.html(c, "name"), nearest.get(c["id"], [])
        )
        for c in missing_components
    ]


def all_municipalities() -> list[Municipality]:
    """The 79 municipalities with their counties, by name in the active language (the
    chooser on the home and journey pages)."""
    language = get_language() or settings.LANGUAGE_CODE
    return directory_memo.get(
        ("municipalities", language), lambda: Municipality.objects.with_county().by_name()
    )


def municipality_listing(municipality: Municipality) -> MunicipalityListing:
    """Everything a municipality page shows from the directory, the same for every visitor:
    kept per process until the content version or the day moves on (portal.memo)."""
    language = get_language() or settings.LANGUAGE_CODE
    return directory_memo.get(
        ("municipality-listing", municipality.pk, language), lambda: _municipality_listing(municipality)
    )


def contact_cards(municipality: Municipality) -> list[ContactCard]:
    """The municipality's contact persons in force today, role by role (in the roles' order),
    then by name: one query of plain rows with their texts in the active language."""
    names = Translated(get_language() or settings.LANGUAGE_CODE)
    rows = contact_cards_query(names.language, today()).filter(municipality=municipality)
    formats = Formats()
    return [ContactCard.of(row, names, formats) for row in rows]


@kept_shape
def contact_cards_query(language: str, day: dt.date) -> QuerySet:
    """Every municipality's contact persons in force on `day`, as plain rows with their texts in
    `language`; `contact_cards` filters it by municipality."""
    names = Translated(language)
    return (
        # The translated columns are named (Translated.columns): no rewriting, no per-row fallback.
        ContactPerson.objects.rewrite(False)
        .on(day)
        .order_by("role__position", "role__code", "name", "pk")
        .values(*ContactCard.COLUMNS, *names.columns(*ContactCard.TRANSLATED))
    )


def _municipality_listing(municipality: Municipality) -> MunicipalityListing:
    groups = municipality_offers(municipality)
    offers = sorted((offer for group in groups for offer in group.offers), key=lambda o: o.pk)
    contacts = contact_cards(municipality)
    by_role: dict[int, list[ContactCard]] = {}
    for contact in contacts:  # in the roles' order
        by_role.setdefault(contact.role_id, []).append(contact)
    contacts_by_role = [(people[0].role_html, people) for people in by_role.values()]
    everyone = contacts if len(contacts) > 1 else []
    same_hours = len({contact.reception_hours for contact in everyone}) == 1
    same_languages = len({tuple(contact.languages) for contact in everyone}) == 1
    starts = {group.since for group in groups}
    since = starts.pop() if len(starts) == 1 else None
    if since is not None:
        for group in groups:
            group.since = None
    offered = frozenset(o.item_id for o in offers if o.kind == "component")
    language = get_language() or settings.LANGUAGE_CODE
    missing = directory_memo.get(
        (municipality.pk, language, offered), lambda: not_offered(municipality, offered, Translated(language))
    )
    return MunicipalityListing(
        municipality=municipality,
        groups=groups,
        offers=offers,
        contacts=contacts,
        contacts_by_role=contacts_by_role,
        missing=missing,
        freshness=Freshness.of(offers=offers, contacts=contacts),
        since=since,
        common_hours=contacts[0].reception_hours_html if same_hours else "",
        common_languages=contacts[0].language_names if same_languages else [],
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
    journeys = directory_memo.get(
        ("journeys-with", kind, item.pk),
        lambda: list(
            Journey.objects.filter(**{f"steps__{kind}s": item}).distinct().order_by("position", "code")
        ),
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
    # whom to call about a step the municipality lists no offer or contact for
    social_workers: list[ContactPerson] = field(default_factory=list)


def by_code(queryset, code: str):
    """The catalogue entry or journey with this code (None if there is none), as `queryset`
    loads it, kept per process until the directory changes. One queryset shape per model."""
    key = ("by-code", queryset.model._meta.label, code)
    return directory_memo.get(key, lambda: queryset.filter(code=code).first(), keep_none=False)


SOCIAL_WORKER = "social-worker"


def journey_listing(journey: Journey, municipality: Municipality | None) -> JourneyListing:
    # The steps, with who and what they involve, are kept per process until the directory changes.
    steps = directory_memo.get(
        ("journey-steps", journey.pk),
        lambda: list(
            journey.steps.select_related("stage", "actor").prefetch_related(
                "other_actors", "components", "services"
            )
        ),
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
        .filter(Q(role_id__in={s.actor_id for s in steps}) | Q(role__code=SOCIAL_WORKER))
        .select_related("role")
    )
    social_workers = [c for c in contacts if c.role.code == SOCIAL_WORKER]
    for view in views:
        step = view.step
        view.contacts = [c for c in contacts if c.role_id == step.actor_id]
        wanted_components = {c.pk for c in step.components.all()}
        wanted_services = {sv.pk for sv in step.services.all()}
        view.offers = [
            o for o in offers if o.component_id in wanted_components or o.service_id in wanted_services
        ]
    return JourneyListing(
        journey, views, municipality, Freshness.of(offers=offers, contacts=contacts), social_workers
    )


def price_history(offer: Offer) -> list[Price]:
    """Every published price of the offer, newest first, with its corrections. Drafts are
    never public."""
    return list(
        offer.prices.published()
        .select_related("unit")
        .prefetch_related("corrections")
        .order_by("-valid_from")
    )


def is_current(price: Price) -> bool:
    day = today()
    return price.valid_from <= day and (price.valid_to is None or price.valid_to >= day)
