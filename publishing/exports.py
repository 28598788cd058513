"""A municipality's current price list as the import template (docs/price-template.md), in
CSV (semicolon-separated, UTF-8 with BOM, decimal comma: what Excel expects in Estonia) and
XLSX. Text that could be read as a formula is escaped with a leading apostrophe."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.db.models import Q

from directory.models import Availability, Component, Municipality, Price, Service, Unit
from directory.models.offers import today

from .imports import AVAILABILITY_KEYS, COLUMNS, FORMULA_PREFIXES, PRICE_KEYS


def escape(value: str) -> str:
    """Neutralise spreadsheet formula injection (OWASP): text beginning with = + - @ or a
    control character is prefixed with an apostrophe, which spreadsheets show as text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def price_list_prices(municipality: Municipality, date: dt.date | None = None):
    """Published prices in force on `date` (default today) or scheduled to start after it,
    for the municipality's offers that have not ended."""
    date = date or today()
    return (
        Price.objects.published()
        .filter(offer__municipality=municipality)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date))
        .filter(Q(offer__valid_to__isnull=True) | Q(offer__valid_to__gte=date))
        .select_related("offer__component", "offer__service", "offer__provider", "unit")
        .order_by(
            "offer__service__position", "offer__component__position", "offer__provider__name", "valid_from"
        )
    )


def rows(municipality: Municipality, date: dt.date | None = None):
    """One dict per price, keyed by template column; an offer's first row also carries its
    latest availability statement (re-imported unchanged, it adds no new statement)."""
    prices = list(price_list_prices(municipality, date))
    availability = Availability.objects.latest_for({p.offer_id for p in prices})
    for price in prices:
        offer = price.offer
        stated = availability.pop(offer.pk, None)
        item: Component | Service = offer.item
        unit: Unit = price.unit
        yield {
            "kind": offer.kind,
            "code": item.code,
            "name": item.name,
            "provider_registry_code": offer.provider.registry_code,
            "provider_name": offer.provider.name,
            "unit_code": unit.code,
            "unit_name": unit.name,
            "price_individual": price.price_individual,
            "price_group": price.price_group,
            "client_share_amount": price.client_share_amount,
            "client_share_percent": price.client_share_percent,
            "valid_from": price.valid_from,
            "valid_to": price.valid_to,
            "capacity": stated.capacity if stated else None,
            "free_places": stated.free_places if stated else None,
            "waiting_days": stated.waiting_days if stated else None,
            "as_of": stated.as_of if stated else None,
        }


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape(str(value))


def to_csv(municipality: Municipality, date: dt.date | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(c.label) for c in COLUMNS])
    for row in rows(municipality, date):
        writer.writerow([_csv_cell(row[c.key]) for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(municipality: Municipality, date: dt.date | None = None) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(municipality.name)[:31] or "prices")
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = (
            14 if column.key in PRICE_KEYS + AVAILABILITY_KEYS else 24
        )

    def text_cell(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=escape(value))
        cell.data_type = "s"  # stored as text, never as a formula
        return cell

    header = []
    for column in COLUMNS:
        cell = text_cell(str(column.label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows(municipality, date):
        cells = []
        for column in COLUMNS:
            value = row[column.key]
            if value is None:
                cells.append(None)
            elif isinstance(value, int):
                cells.append(value)
            elif isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "0.00"
                cells.append(cell)
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(text_cell(str(value)))
        sheet.append(cells)

    codes = workbook.create_sheet("codes")
    codes.append([text_cell(h) for h in ("kind", "code", "name")])
    for unit in Unit.objects.all():
        codes.append([text_cell("unit"), text_cell(unit.code), text_cell(str(unit.name))])
    for component in Component.objects.all():
        codes.append([text_cell("component"), text_cell(component.code), text_cell(str(component.name))])
    for service in Service.objects.all():
        codes.append([text_cell("service"), text_cell(service.code), text_cell(str(service.name))])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
