"""Too few places — *kohtade puudus*: per municipality and county, the free places and the
waiting time for help that has places (care homes, day centres, shelters …), from the KOV's
latest Availability statement per offer. A statement older than AVAILABILITY_STALE_DAYS is
counted as unknown, never as zero free places."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from directory.models import Availability, Component, County, Municipality, Offer, Service


@dataclass
class PlacesRow:
    """One municipality (or one county: `municipality` None) with its offers' statements."""

    county: County
    municipality: Municipality | None = None
    known: int = 0  # offers with a fresh statement
    stale: int = 0  # offers whose latest statement is out of date
    capacity: int = 0
    free: int = 0
    full: int = 0  # offers with no free place
    waits: list[int] = field(default_factory=list)

    def add(self, statement: Availability) -> None:
        if statement.is_stale:
            self.stale += 1
            return
        self.known += 1
        self.capacity += statement.capacity or 0
        self.free += statement.free_places or 0
        if statement.free_places == 0:
            self.full += 1
        if statement.waiting_days is not None:
            self.waits.append(statement.waiting_days)

    @property
    def median_wait(self) -> float | None:
        return statistics.median(self.waits) if self.waits else None

    @property
    def max_wait(self) -> int | None:
        return max(self.waits) if self.waits else None

    @property
    def scarce(self) -> bool:
        """Every known offer is full, or the median wait is a month or more."""
        return bool(self.known) and (self.full == self.known or (self.median_wait or 0) >= 30)


@dataclass
class PlacesReport:
    rows: list[PlacesRow]
    counties: list[PlacesRow]
    item: Component | Service | None


def too_few_places(county: County | None = None, item: Component | Service | None = None) -> PlacesReport:
    """Rows for the municipalities with at least one statement, in four queries."""
    offers = Offer.objects.public()
    if county is not None:
        offers = offers.filter(municipality__county=county)
    if isinstance(item, Component):
        offers = offers.filter(component=item)
    elif isinstance(item, Service):
        offers = offers.filter(service=item)
    latest = Availability.objects.latest_for(offers.values_list("pk", flat=True))  # {offer id: statement}
    by_offer = dict(Offer.objects.filter(pk__in=latest).values_list("pk", "municipality"))
    municipalities = {
        m.pk: m for m in Municipality.objects.filter(pk__in=set(by_offer.values())).with_county()
    }
    rows: dict[int, PlacesRow] = {}
    counties: dict[int, PlacesRow] = {}
    for offer_id, statement in latest.items():
        municipality = municipalities[by_offer[offer_id]]
        row = rows.setdefault(municipality.pk, PlacesRow(municipality.county, municipality))
        row.add(statement)
        counties.setdefault(municipality.county_id, PlacesRow(municipality.county)).add(statement)
    ordered = sorted(rows.values(), key=lambda r: (r.county.name, r.municipality.sort_key))
    return PlacesReport(ordered, sorted(counties.values(), key=lambda r: r.county.name), item)


def places_table(report: PlacesReport) -> tuple[list[str], list[list]]:
    from django.utils.translation import gettext as _

    header = [
        _("county"),
        _("municipality code"),
        _("municipality"),
        _("offers with a current statement"),
        _("offers with an out-of-date statement"),
        _("places in total"),
        _("free places now"),
        _("offers with no free place"),
        _("median waiting time (days)"),
        _("longest waiting time (days)"),
    ]
    rows = [
        [
            r.county.name,
            r.municipality.code,
            r.municipality.name,
            r.known,
            r.stale,
            r.capacity,
            r.free,
            r.full,
            r.median_wait,
            r.max_wait,
        ]
        for r in report.rows
    ]
    return header, rows
