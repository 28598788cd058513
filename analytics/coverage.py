"""Coverage: which municipality offers which component or service, and through how many
providers. Everything is computed from a fixed number of queries, whatever the filters."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Component, County, Domain, Municipality, Offer, Service, TargetGroup
from directory.models.offers import today

from .models import KnownGap, KnownProblem

OFFERED = "offered"
SINGLE = "single"
NONE = "none"

STATE_LABELS = {
    OFFERED: _("offered by several providers"),
    SINGLE: _("offered by one provider only"),
    NONE: _("not offered"),
}


def catalogue_items(
    *,
    kind: str = "",
    target_group: TargetGroup | None = None,
    domain: Domain | None = None,
    component: Component | None = None,
    service: Service | None = None,
) -> list[Component | Service]:
    """Components, then services, that match the filters.

    Services carry target groups; components do not, so a component is for a target group
    when a service it belongs to is. Components carry a life domain; a service is in a domain
    when one of its components is."""
    if component or service:
        return [component or service]
    components = Component.objects.select_related("domain").order_by("position", "code")
    services = Service.objects.order_by("position", "code")
    if target_group:
        components = components.filter(services__target_groups=target_group)
        services = services.filter(target_groups=target_group)
    if domain:
        components = components.filter(domain=domain)
        services = services.filter(related_components__domain=domain)
    items: list[Component | Service] = []
    if kind in ("", "component"):
        items += list(components.distinct())
    if kind in ("", "service"):
        items += list(services.distinct())
    return items


def offer_item_key(component_id: int | None, service_id: int | None) -> tuple[str, int]:
    return ("component", component_id) if component_id else ("service", service_id)


def item_key(item: Component | Service) -> tuple[str, int]:
    return (item.kind, item.pk)


@dataclass
class Cell:
    item: Component | Service
    providers: int

    @property
    def state(self) -> str:
        if self.providers >= 2:
            return OFFERED
        return SINGLE if self.providers == 1 else NONE

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class MunicipalityRow:
    municipality: Municipality
    cells: list[Cell]

    @property
    def offered(self) -> int:
        return sum(1 for c in self.cells if c.providers)

    @property
    def single(self) -> int:
        return sum(1 for c in self.cells if c.providers == 1)

    @property
    def share(self) -> float:
        return self.offered / len(self.cells) if self.cells else 0.0


@dataclass
class ItemTotals:
    item: Component | Service
    offered: int = 0
    single: int = 0
    none: int = 0
    known_gaps: list[KnownGap] = field(default_factory=list)


@dataclass
class CountyGroup:
    county: County
    rows: list[MunicipalityRow]
    totals: list[ItemTotals]
    known_gaps: list[KnownGap]

    @property
    def offered(self) -> int:
        return sum(r.offered for r in self.rows)

    @property
    def cells(self) -> int:
        return sum(len(r.cells) for r in self.rows)

    @property
    def share(self) -> float:
        return self.offered / self.cells if self.cells else 0.0


@dataclass
class CoverageReport:
    date: dt.date
    items: list[Component | Service]
    groups: list[CountyGroup]
    totals: list[ItemTotals]
    gaps: list[KnownGap]
    problems: list[KnownProblem]

    @property
    def rows(self) -> list[MunicipalityRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def single_item(self) -> Component | Service | None:
        return self.items[0] if len(self.items) == 1 else None


def _totals(items, rows) -> list[ItemTotals]:
    totals = [ItemTotals(item) for item in items]
    for row in rows:
        for total, cell in zip(totals, row.cells, strict=True):
            if cell.state == OFFERED:
                total.offered += 1
            elif cell.state == SINGLE:
                total.single += 1
            else:
                total.none += 1
    return totals


def coverage(
    *,
    kind: str = "",
    target_group: TargetGroup | None = None,
    domain: Domain | None = None,
    county: County | None = None,
    municipality: Municipality | None = None,
    component: Component | None = None,
    service: Service | None = None,
    date: dt.date | None = None,
) -> CoverageReport:
    """The coverage matrix: items (rows of the API, columns of the page) × municipalities,
    grouped by county; an offer counts when it is in force on `date` and, with a target group
    filter, is for that group (an offer naming no target groups is for everyone)."""
    date = date or today()
    items = catalogue_items(
        kind=kind, target_group=target_group, domain=domain, component=component, service=service
    )
    municipalities = Municipality.objects.all()
    if county:
        municipalities = municipalities.filter(county=county)
    if municipality:
        municipalities = municipalities.filter(pk=municipality.pk)
    municipalities = municipalities.by_county_and_name()

    offers = Offer.objects.public(date).filter(municipality__in=[m.pk for m in municipalities])
    if target_group:
        offers = offers.filter(Q(target_groups=target_group) | Q(target_groups__isnull=True))
    providers: dict[tuple, set[int]] = defaultdict(set)
    for muni_id, component_id, service_id, provider_id in offers.values_list(
        "municipality_id", "component_id", "service_id", "provider_id"
    ).distinct():
        providers[(muni_id, *offer_item_key(component_id, service_id))].add(provider_id)

    gaps = KnownGap.objects.select_related("county", "service", "component", "provider_role").order_by(
        "county__name", "position"
    )
    problems = KnownProblem.objects.select_related("county").order_by("county__name", "position")
    if county:
        gaps = gaps.filter(county=county)
        problems = problems.filter(county=county)
    if municipality:
        gaps = gaps.filter(county_id=municipality.county_id)
        problems = problems.filter(county_id=municipality.county_id)
    gaps = list(gaps)
    problems = list(problems)
    gaps_by_county_item: dict[tuple, list[KnownGap]] = defaultdict(list)
    for gap in gaps:
        if gap.item:
            gaps_by_county_item[(gap.county_id, *item_key(gap.item))].append(gap)

    by_county: dict[int, list[MunicipalityRow]] = defaultdict(list)
    counties: dict[int, County] = {}
    for muni in municipalities:
        cells = [Cell(item, len(providers.get((muni.pk, *item_key(item)), ()))) for item in items]
        by_county[muni.county_id].append(MunicipalityRow(muni, cells))
        counties[muni.county_id] = muni.county
    groups = []
    for county_id, rows in by_county.items():
        totals = _totals(items, rows)
        for total in totals:
            total.known_gaps = gaps_by_county_item.get((county_id, *item_key(total.item)), [])
        groups.append(
            CountyGroup(
                counties[county_id],
                rows,
                totals,
                [g for g in gaps if g.county_id == county_id],
            )
        )
    all_rows = [row for group in groups for row in group.rows]
    return CoverageReport(date, items, groups, _totals(items, all_rows), gaps, problems)
