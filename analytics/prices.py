"""Price comparison: what one component or service costs across municipalities and counties,
per unit, and how its prices moved over time.

Prices in different units are never mixed: every figure belongs to one unit (hour, visit,
month …). The client's share (*omaosalus*) is a per-unit amount or a percentage of the
price; `share_per_unit` turns either into euros per unit so they can be compared."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Prefetch, Q

from directory.models import Component, County, Municipality, Offer, Price, Service, TargetGroup, Unit
from directory.models.offers import today
from directory.models.places import sort_name

CENT = Decimal("0.01")


def money(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def share_per_unit(price: Price) -> Decimal | None:
    """The client's own share in euros per unit, or None where the KOV states none."""
    if price.client_share_amount is not None:
        return money(price.client_share_amount)
    if price.client_share_percent is not None:
        base = price.price_individual if price.price_individual is not None else price.price_group
        return money(base * price.client_share_percent / 100)
    return None


@dataclass
class Stats:
    """Count, minimum, median and maximum of a set of amounts (all in one unit)."""

    count: int = 0
    min: Decimal | None = None
    median: Decimal | None = None
    max: Decimal | None = None

    @classmethod
    def of(cls, values) -> Stats:
        values = sorted(v for v in values if v is not None)
        if not values:
            return cls()
        return cls(len(values), values[0], money(statistics.median(values)), values[-1])

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            "min": _str(self.min),
            "median": _str(self.median),
            "max": _str(self.max),
        }


def _str(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


@dataclass
class PriceRow:
    """One offer's price in force: a municipality, a provider, a unit and the amounts."""

    offer: Offer
    price: Price

    @property
    def municipality(self) -> Municipality:
        return self.offer.municipality

    @property
    def county(self) -> County:
        return self.offer.municipality.county

    @property
    def share(self) -> Decimal | None:
        return share_per_unit(self.price)


@dataclass
class AreaStats:
    area: County | Municipality
    individual: Stats
    group: Stats
    share: Stats


@dataclass
class HistoryPoint:
    date: dt.date
    individual: Stats


@dataclass
class UnitComparison:
    """Everything about one unit of the item: rows, overall and per-county statistics, history."""

    unit: Unit
    rows: list[PriceRow] = field(default_factory=list)
    history: list[HistoryPoint] = field(default_factory=list)

    @cached_property
    def individual(self) -> Stats:
        return Stats.of(r.price.price_individual for r in self.rows)

    @cached_property
    def group(self) -> Stats:
        return Stats.of(r.price.price_group for r in self.rows)

    @cached_property
    def share(self) -> Stats:
        return Stats.of(r.share for r in self.rows)

    @property
    def share_stated(self) -> int:
        return sum(1 for r in self.rows if r.share is not None)

    def _by(self, key) -> list[AreaStats]:
        buckets: dict[int, list[PriceRow]] = defaultdict(list)
        areas = {}
        for row in self.rows:
            area = key(row)
            buckets[area.pk].append(row)
            areas[area.pk] = area
        out = [
            AreaStats(
                areas[pk],
                Stats.of(r.price.price_individual for r in rows),
                Stats.of(r.price.price_group for r in rows),
                Stats.of(r.share for r in rows),
            )
            for pk, rows in buckets.items()
        ]
        return sorted(out, key=lambda a: sort_name(a.area.name))

    @cached_property
    def by_county(self) -> list[AreaStats]:
        return self._by(lambda r: r.county)

    @cached_property
    def by_municipality(self) -> list[AreaStats]:
        return self._by(lambda r: r.municipality)


@dataclass
class PriceReport:
    item: Component | Service
    date: dt.date
    units: list[UnitComparison]
    offers_without_price: int
    municipalities_offering: int


def history_dates(first: dt.date | None, last: dt.date) -> list[dt.date]:
    """The first price's date, 1 January of every later year, and `last` (today)."""
    if first is None or first >= last:
        return [last]
    years = [dt.date(year, 1, 1) for year in range(first.year + 1, last.year + 1)]
    return [first, *(d for d in years if d < last), last]


def _valid(price: Price, date: dt.date) -> bool:
    return price.valid_from <= date and (price.valid_to is None or price.valid_to >= date)


def compare_prices(
    item: Component | Service,
    *,
    county: County | None = None,
    municipality: Municipality | None = None,
    target_group: TargetGroup | None = None,
    date: dt.date | None = None,
) -> PriceReport:
    """Prices of `item` in force on `date` (default today), per unit, with their history at
    yearly points. Three queries: offers, their prices on the date, the full history."""
    date = date or today()
    offers = Offer.objects.published().filter(**{item.kind: item})
    if county:
        offers = offers.filter(municipality__county=county)
    if municipality:
        offers = offers.filter(municipality=municipality)
    if target_group:
        offers = offers.filter(Q(target_groups=target_group) | Q(target_groups__isnull=True)).distinct()
    history_prices = list(
        Price.objects.published().filter(offer__in=offers.values("pk")).select_related("unit")
    )
    current_offers = (
        offers.valid_on(date)
        .select_related("municipality__county", "provider")
        .prefetch_related(
            Prefetch(
                "prices",
                queryset=Price.objects.on(date).select_related("unit").order_by("-valid_from"),
                to_attr="prices_on_date",
            )
        )
        .order_by("municipality__county__name", "municipality__name", "provider__name")
    )
    units: dict[int, UnitComparison] = {}
    without_price = 0
    offering = set()
    for offer in current_offers:
        offering.add(offer.municipality_id)
        if not offer.prices_on_date:
            without_price += 1
            continue
        for price in offer.prices_on_date:
            units.setdefault(price.unit_id, UnitComparison(price.unit)).rows.append(PriceRow(offer, price))

    first = min((p.valid_from for p in history_prices), default=None)
    dates = history_dates(first, date)
    by_unit: dict[int, list[Price]] = defaultdict(list)
    for price in history_prices:
        by_unit[price.unit_id].append(price)
        if price.unit_id not in units:
            units[price.unit_id] = UnitComparison(price.unit)
    for unit_id, comparison in units.items():
        prices = by_unit.get(unit_id, [])
        comparison.history = [
            HistoryPoint(d, Stats.of(p.price_individual for p in prices if _valid(p, d))) for d in dates
        ]
    ordered = sorted(units.values(), key=lambda u: (-len(u.rows), u.unit.code))
    return PriceReport(item, date, ordered, without_price, len(offering))
