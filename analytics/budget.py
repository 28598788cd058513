"""Personal budget — *isikustatud eelarve*: a package of components and services with monthly
volumes (20 hours of personal support, 4 family-counselling sessions …), priced in the
person's municipality and in its neighbours.

Each line is priced with the cheapest price in force, in the line's unit, among the KOV's
offers of that item. A KOV that prices the item only in another unit is shown as such —
units are never converted. The client's share is the per-unit amount times the volume, or
the percentage of the line's cost; where the KOV states no share it is left open."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from directory.models import Component, Municipality, Offer, Price, Service, Unit
from directory.models.offers import today

from .coverage import item_key, offer_item_key
from .prices import money

NEIGHBOURS = 6

PRICED = "priced"
OTHER_UNIT = "other-unit"
UNPRICED = "unpriced"
NOT_OFFERED = "not-offered"


@dataclass
class BudgetLine:
    item: Component | Service
    volume: Decimal
    unit: Unit
    status: str
    price: Price | None = None
    other_units: list[Unit] = field(default_factory=list)

    @property
    def unit_price(self) -> Decimal | None:
        if self.price is None:
            return None
        return (
            self.price.price_individual if self.price.price_individual is not None else self.price.price_group
        )

    @property
    def is_group_price(self) -> bool:
        return self.price is not None and self.price.price_individual is None

    @property
    def cost(self) -> Decimal | None:
        return money(self.unit_price * self.volume) if self.unit_price is not None else None

    @property
    def client_share(self) -> Decimal | None:
        if self.price is None:
            return None
        if self.price.client_share_amount is not None:
            return money(min(self.price.client_share_amount * self.volume, self.cost))
        if self.price.client_share_percent is not None:
            return money(self.cost * self.price.client_share_percent / 100)
        return None


@dataclass
class MunicipalityBudget:
    municipality: Municipality
    lines: list[BudgetLine]
    distance_km: float | None = None

    @property
    def total(self) -> Decimal | None:
        """The sum of the lines priced in their unit; None (unknown) when none is."""
        known = [line.cost for line in self.lines if line.cost is not None]
        return sum(known, Decimal("0.00")) if known else None

    @property
    def client_share(self) -> Decimal | None:
        """The sum of the shares the municipality states; None (unknown) when it states none."""
        known = [line.client_share for line in self.lines if line.client_share is not None]
        return sum(known, Decimal("0.00")) if known else None

    @property
    def complete(self) -> bool:
        """Every line is priced in its unit, so `total` is the whole package."""
        return all(line.status == PRICED for line in self.lines)

    @property
    def share_complete(self) -> bool:
        return all(line.client_share is not None for line in self.lines)

    @property
    def missing(self) -> int:
        return sum(1 for line in self.lines if line.status != PRICED)


@dataclass
class BudgetReport:
    date: dt.date
    home: MunicipalityBudget
    neighbours: list[MunicipalityBudget]

    def by_item(self) -> list[tuple[BudgetLine, list[BudgetLine]]]:
        """Each home line with the same line in every neighbour, for an item-by-item table."""
        return [
            (line, [budget.lines[index] for budget in self.neighbours])
            for index, line in enumerate(self.home.lines)
        ]


def unit_choices(items: list[Component | Service], date: dt.date | None = None):
    """Per item code: the units it is priced in somewhere (most used first), and the most
    used one as the default. One query."""
    date = date or today()
    counts = (
        Price.objects.on(date)
        .filter(offer__in=Offer.objects.public(date))
        .values("offer__component__code", "offer__service__code", "unit_id")
        .annotate(n=Count("id"))
    )
    units = {u.pk: u for u in Unit.objects.all()}
    tally: dict[str, Counter] = defaultdict(Counter)
    for row in counts:
        code = row["offer__component__code"] or row["offer__service__code"]
        tally[code][row["unit_id"]] += row["n"]
    by_item = {
        code: [units[unit_id] for unit_id, _n in counter.most_common()] for code, counter in tally.items()
    }
    default = {code: found[0].code for code, found in by_item.items()}
    return by_item, default


def neighbours(home: Municipality, candidates: list[Municipality], count: int = NEIGHBOURS):
    """The nearest other municipalities: those in the same county first, then the rest, each
    by distance between centre points."""

    def key(other: Municipality):
        distance = home.distance_km(other)
        return (other.county_id != home.county_id, distance if distance is not None else 1e9, other.name)

    return sorted((m for m in candidates if m.pk != home.pk), key=key)[:count]


def personal_budget(
    municipality: Municipality,
    chosen: list[tuple[Component | Service, Decimal, Unit]],
    *,
    date: dt.date | None = None,
    neighbour_count: int = NEIGHBOURS,
) -> BudgetReport:
    """Price the package in `municipality` and its nearest neighbours, in three queries."""
    date = date or today()
    municipalities = list(Municipality.objects.select_related("county"))
    home = next(m for m in municipalities if m.pk == municipality.pk)
    near = neighbours(home, municipalities, neighbour_count)
    places = [home, *near]
    component_ids = [item.pk for item, _v, _u in chosen if item.kind == "component"]
    service_ids = [item.pk for item, _v, _u in chosen if item.kind == "service"]
    offers = Offer.objects.public(date).filter(municipality__in=[m.pk for m in places])
    offers = offers.filter(component__in=component_ids) | offers.filter(service__in=service_ids)
    offered = set(offers.values_list("municipality_id", "component_id", "service_id"))
    offered = {(muni_id, *offer_item_key(c, s)) for muni_id, c, s in offered}
    prices: dict[tuple, list[Price]] = defaultdict(list)
    for price in Price.objects.on(date).filter(offer__in=offers.values("pk")).select_related("unit", "offer"):
        key = (price.offer.municipality_id, *offer_item_key(price.offer.component_id, price.offer.service_id))
        prices[key].append(price)

    def budget_for(muni: Municipality) -> MunicipalityBudget:
        lines = []
        for item, volume, unit in chosen:
            key = (muni.pk, *item_key(item))
            found = prices.get(key, [])
            in_unit = [p for p in found if p.unit_id == unit.pk]
            if in_unit:
                best = min(
                    in_unit,
                    key=lambda p: p.price_individual if p.price_individual is not None else p.price_group,
                )
                lines.append(BudgetLine(item, volume, unit, PRICED, best))
            elif found:
                others = sorted({p.unit for p in found}, key=lambda u: u.code)
                lines.append(BudgetLine(item, volume, unit, OTHER_UNIT, other_units=others))
            elif key in offered:
                lines.append(BudgetLine(item, volume, unit, UNPRICED))
            else:
                lines.append(BudgetLine(item, volume, unit, NOT_OFFERED))
        return MunicipalityBudget(muni, lines, home.distance_km(muni) if muni is not home else None)

    return BudgetReport(date, budget_for(home), [budget_for(m) for m in near])
