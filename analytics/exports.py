"""Tables behind every analytics page, as rows: the CSV downloads write them and the tests read
them. Column headers are translated into the active language; codes stay codes."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from .budget import BudgetReport
from .completeness import CHECK_LABELS, CHECKS, CompletenessReport
from .coverage import CoverageReport
from .prices import PriceReport
from .unmet import UnmetReport


def csv_response(filename: str, header: list[str], rows: Iterable[list]) -> HttpResponse:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read õ, ä and Cyrillic right."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return response


def coverage_table(report: CoverageReport, route_counts: dict[int, int]) -> tuple[list[str], list[list]]:
    header = [
        _("county"),
        _("municipality code"),
        _("municipality"),
        _("kind"),
        _("code"),
        _("name"),
        _("providers"),
        _("coverage"),
        _("agreed referral routes"),
    ]
    rows = [
        [
            row.municipality.county.name,
            row.municipality.code,
            row.municipality.name,
            cell.item.kind,
            cell.item.code,
            cell.item.name,
            cell.providers,
            cell.state,
            route_counts.get(row.municipality.pk, 0),
        ]
        for row in report.rows
        for cell in row.cells
    ]
    return header, rows


def price_table(report: PriceReport) -> tuple[list[str], list[list]]:
    header = [
        _("code"),
        _("unit"),
        _("county"),
        _("municipality code"),
        _("municipality"),
        _("provider"),
        _("price per unit, individual (EUR)"),
        _("price per unit, group (EUR)"),
        _("client's share (EUR)"),
        _("client's share (%)"),
        _("client's share per unit (EUR)"),
        _("valid from"),
    ]
    rows = []
    for unit in report.units:
        for row in unit.rows:
            price = row.price
            rows.append(
                [
                    report.item.code,
                    unit.unit.code,
                    row.county.name,
                    row.municipality.code,
                    row.municipality.name,
                    row.offer.provider.name,
                    price.price_individual,
                    price.price_group,
                    price.client_share_amount,
                    price.client_share_percent,
                    row.share,
                    price.valid_from.isoformat(),
                ]
            )
    return header, rows


def completeness_table(report: CompletenessReport) -> tuple[list[str], list[list]]:
    header = [_("county"), _("municipality code"), _("municipality"), _("service code"), _("service")]
    header += [str(CHECK_LABELS[name]) for name in CHECKS]
    header += [_("score (%)")]
    rows = []
    for kov in report.rows:
        for check in kov.checks:
            rows.append(
                [
                    kov.municipality.county.name,
                    kov.municipality.code,
                    kov.municipality.name,
                    check.service.code,
                    check.service.name,
                    *(int(getattr(check, name)) for name in CHECKS),
                    kov.score,
                ]
            )
    return header, rows


def budget_table(report: BudgetReport) -> tuple[list[str], list[list]]:
    header = [
        _("municipality code"),
        _("municipality"),
        _("distance (km)"),
        _("code"),
        _("name"),
        _("volume per month"),
        _("unit"),
        _("status"),
        _("price per unit (EUR)"),
        _("cost per month (EUR)"),
        _("client's share per month (EUR)"),
    ]
    rows = []
    for budget in [report.home, *report.neighbours]:
        distance = round(budget.distance_km, 1) if budget.distance_km is not None else None
        for line in budget.lines:
            rows.append(
                [
                    budget.municipality.code,
                    budget.municipality.name,
                    distance,
                    line.item.code,
                    line.item.name,
                    line.volume,
                    line.unit.code,
                    line.status,
                    line.unit_price,
                    line.cost,
                    line.client_share,
                ]
            )
    return header, rows


def unmet_table(report: UnmetReport) -> tuple[list[str], list[list]]:
    """One row per need and municipality. Query texts were typed by the public, so text that a
    spreadsheet would run as a formula is escaped."""
    from publishing.exports import escape

    header = [
        _("language"),
        _("query"),
        _("other ways it was typed"),
        _("searches"),
        _("no results"),
        _("poor results"),
        _("first day"),
        _("last day"),
        _("municipality code"),
        _("municipality"),
        _("county"),
        _("searches in the municipality"),
    ]
    rows = []
    for group in report.groups:
        others = "; ".join(f"{v.query} ({v.count})" for v in group.variants[1:])
        for place in group.places:
            kov = place.municipality
            rows.append(
                [
                    group.lang,
                    escape(group.label),
                    escape(others),
                    group.count,
                    group.zero,
                    group.poor,
                    group.first_day.isoformat(),
                    group.last_day.isoformat(),
                    kov.code if kov else "",
                    kov.name if kov else _("no municipality chosen"),
                    kov.county.name if kov else "",
                    place.count,
                ]
            )
    return header, rows
