"""Rows of the long price tables, formatted once in Python.

A municipality's price list and a component's "where is it offered" table have dozens of rows;
laid out with a template tag or filter per cell, formatting was most of the page's cost. Here
each cell's text is computed once, in the active language, and the templates only place it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import dateformat
from django.utils.formats import get_format

from directory.models import Offer, Price

from .templatetags.portal_tags import tr


@dataclass(frozen=True)
class Day:
    iso: str
    text: str


class Formats:
    """The active language's number and date formats, looked up once per table."""

    def __init__(self):
        self.decimal_separator = get_format("DECIMAL_SEPARATOR")
        self.short_date = get_format("SHORT_DATE_FORMAT")
        self._days: dict = {}

    def euros(self, amount) -> str:
        """Same text as the `euros` filter: "12,50 €" (et, ru), "12.50 €" (en), "—" if absent."""
        if amount is None:
            return "—"
        return f"{amount:.2f}".replace(".", self.decimal_separator) + "\u00a0€"

    def day(self, value) -> Day | None:
        if value is None:
            return None
        if value not in self._days:
            self._days[value] = Day(value.isoformat(), dateformat.format(value, self.short_date))
        return self._days[value]


@dataclass
class PriceCells:
    """The cells every price table shows for one offer's current price."""

    unit: str = "—"
    individual: str = "—"
    group: str = "—"
    client_share: str = "—"
    valid_from: Day | None = None

    @classmethod
    def of(cls, price: Price | None, formats: Formats) -> PriceCells:
        if price is None:
            return cls()
        return cls(
            unit=tr(price.unit, "name"),
            individual=formats.euros(price.price_individual),
            group=formats.euros(price.price_group),
            client_share=price.client_share_display or "—",
            valid_from=formats.day(price.valid_from),
        )


@dataclass
class PriceListRow:
    """One offer on a municipality's price list."""

    offer: Offer
    item_url: str
    name: str  # safe HTML: the name, marked when shown untranslated
    notes: str  # safe HTML or ""
    provider: str
    about: str  # "<item>, <provider>": completes the row's link texts for screen readers
    price: PriceCells
    last_verified: Day | None
    history_url: str

    @classmethod
    def of(cls, offer: Offer, formats: Formats) -> PriceListRow:
        item = offer.item
        provider = offer.provider.name
        return cls(
            offer=offer,
            item_url=item.get_absolute_url(),
            name=tr(item, "name"),
            notes=tr(offer, "notes") if offer.notes else "",
            provider=provider,
            about=f"{item.name}, {provider}",
            price=PriceCells.of(offer.current_price, formats),
            last_verified=formats.day(offer.last_verified),
            history_url=offer.get_absolute_url(),
        )

