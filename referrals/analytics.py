"""For the state: which municipalities have agreed referral routes with which kinds of partner,
the response promises compared across a county, and where no route exists. Two queries."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db.models import Count

from directory.models import County, Municipality

from .models import PartnerKind, ReferralRoute


@dataclass
class MunicipalityRoutes:
    municipality: Municipality
    days_by_kind: dict[str, int] = field(default_factory=dict)  # the fastest promise per partner kind
    routes: int = 0
    cells_for_kinds: list[int | None] = field(default_factory=list)  # in the report's column order

    @property
    def kinds(self) -> int:
        return len(self.days_by_kind)


@dataclass
class CountyRoutes:
    county: County
    rows: list[MunicipalityRoutes]

    @property
    def with_routes(self) -> int:
        return sum(1 for row in self.rows if row.routes)

    @property
    def promises(self) -> list[int]:
        return [days for row in self.rows for days in row.days_by_kind.values()]

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.promises) if self.promises else None

    @property
    def fastest(self) -> int | None:
        return min(self.promises, default=None)

    @property
    def slowest(self) -> int | None:
        return max(self.promises, default=None)


@dataclass
class RouteCoverage:
    kinds: list[tuple[str, str]]
    counties: list[CountyRoutes]

    @property
    def rows(self) -> list[MunicipalityRoutes]:
        return [row for county in self.counties for row in county.rows]

    @property
    def without_routes(self) -> list[MunicipalityRoutes]:
        return [row for row in self.rows if not row.routes]


def route_coverage(county: County | None = None) -> RouteCoverage:
    municipalities = Municipality.objects.select_related("county").order_by("county__name", "name")
    routes = (
        ReferralRoute.objects.public()
        .select_related("partner")
        .only("municipality_id", "partner_kind", "partner__kind", "response_days")
    )
    if county is not None:
        municipalities = municipalities.filter(county=county)
        routes = routes.filter(municipality__county=county)
    rows = {m.pk: MunicipalityRoutes(m) for m in municipalities}
    for route in routes:
        row = rows[route.municipality_id]
        kind = route.effective_partner_kind
        row.routes += 1
        row.days_by_kind[kind] = min(route.response_days, row.days_by_kind.get(kind, route.response_days))
    used = {kind for row in rows.values() for kind in row.days_by_kind}
    kinds = [(value, label) for value, label in PartnerKind.choices if value in used]
    for row in rows.values():
        row.cells_for_kinds = [row.days_by_kind.get(value) for value, _label in kinds]
    by_county: dict[int, CountyRoutes] = {}
    for row in rows.values():
        group = by_county.setdefault(row.municipality.county_id, CountyRoutes(row.municipality.county, []))
        group.rows.append(row)
    return RouteCoverage(kinds, list(by_county.values()))


def map_class(row: MunicipalityRoutes) -> str:
    """Map colour: q0 no route agreed (a gap); q2 one or two kinds of partner; q4 three or more."""
    if not row.routes:
        return "q0"
    return "q4" if row.kinds >= 3 else "q2"


def routes_per_municipality(municipality_ids) -> dict[int, int]:
    """How many routes in force each municipality has agreed (absent: none). One query; the
    coverage page of analytics calls it to mark the municipalities where no route exists."""
    counts = (
        ReferralRoute.objects.public()
        .filter(municipality__in=municipality_ids)
        .order_by()
        .values_list("municipality_id")
        .annotate(n=Count("pk"))
    )
    return dict(counts)
