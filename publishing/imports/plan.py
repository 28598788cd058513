"""Checking a read price list against the catalogue and the municipality's prices: what
applying it would do (rows to add, prices that change, rows unchanged), every error naming row,
column and reason, and the changes large enough that the editor must confirm them. Touches
nothing in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext_lazy

from directory.models import (
    Availability,
    Component,
    Municipality,
    Offer,
    Price,
    PriceStatus,
    Provider,
    Service,
    Unit,
)
from directory.models.offers import today

from ..models import PendingChange, PriceImport
from .cells import CellError, parse_count, parse_date, parse_decimal, parse_percent, text_value
from .read import (
    AVAILABILITY_KEYS,
    COLUMN_BY_KEY,
    COLUMNS,
    LANGUAGES,
    PRICE_KEYS,
    Table,
    header_aliases,
    normalise_header,
)

MAX_PRICE = Decimal("20000")
KIND_VALUES = {
    "component": pgettext_lazy("price list kind", "component"),
    "service": pgettext_lazy("price list kind", "service"),
}
MONEY_COLUMNS = ("price_individual", "price_group", "client_share_amount")
# A new price this far from the one in force is more often a typo than a decision.
LARGE_DROP = Decimal("-0.5")
LARGE_RISE = Decimal("1.0")


@dataclass
class ImportError_:
    row: int | None  # the spreadsheet's row number (the header is row 1); None: the whole file
    column: str | None  # the column's label in the editor's language
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return (", ".join(where) + ": " if where else "") + self.message


@dataclass
class PlannedRow:
    line: int
    action: str  # "add" (new offer), "change" (new price for an existing offer), "unchanged"
    kind: str
    item: Component | Service
    provider: Provider
    unit: Unit
    price_individual: Decimal | None
    price_group: Decimal | None
    client_share_amount: Decimal | None
    client_share_percent: Decimal | None
    valid_from: dt.date
    valid_to: dt.date | None
    offer: Offer | None = None
    previous: Price | None = None
    warnings: list[str] = field(default_factory=list)  # large changes the editor must confirm

    @property
    def key(self) -> tuple:
        return (self.kind, self.item.pk, self.provider.pk)

    def same_price_as(self, price: Price | None) -> bool:
        return price is not None and (
            price.unit_id == self.unit.pk
            and price.price_individual == self.price_individual
            and price.price_group == self.price_group
            and price.client_share_amount == self.client_share_amount
            and price.client_share_percent == self.client_share_percent
        )


@dataclass
class PlannedStatement:
    """A row's availability (*vabad kohad / ootejärjekord*): written as a new Availability
    statement of the offer, unless it repeats the latest one or one awaiting approval."""

    line: int
    key: tuple  # (kind, item pk, provider pk), as PlannedRow.key
    item: Component | Service
    provider: Provider
    capacity: int | None
    free_places: int | None
    waiting_days: int | None
    as_of: dt.date
    offer: Offer | None = None  # None: the offer the same file adds
    new: bool = True

    @property
    def stated(self) -> tuple:
        return (self.capacity, self.free_places, self.waiting_days, self.as_of)

    def same_as(self, statement: Availability | None) -> bool:
        return (
            statement is not None
            and (
                statement.capacity,
                statement.free_places,
                statement.waiting_days,
                statement.as_of,
            )
            == self.stated
        )


@dataclass
class ImportPlan:
    municipality: Municipality
    rows: list[PlannedRow] = field(default_factory=list)
    statements: list[PlannedStatement] = field(default_factory=list)
    errors: list[ImportError_] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the file was read (which sheet)

    @property
    def additions(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == "add"]

    @property
    def changes(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == "change"]

    @property
    def unchanged(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == "unchanged"]

    @property
    def new_statements(self) -> list[PlannedStatement]:
        return [s for s in self.statements if s.new]

    @property
    def flagged(self) -> list[PlannedRow]:
        """Rows whose change is large enough that the editor must confirm it."""
        return [r for r in self.rows if r.warnings and r.action in ("add", "change")]

    @property
    def can_apply(self) -> bool:
        return not self.errors and bool(self.additions or self.changes or self.new_statements)

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.additions),
            "changed": len(self.changes),
            "unchanged": len(self.unchanged),
            "availability": len(self.new_statements),
            "errors": len(self.errors),
        }


class _Catalogue:
    """Everything rows are checked against, loaded once per file."""

    def __init__(self, municipality: Municipality):
        self.components = {c.code: c for c in Component.objects.all()}
        self.services = {s.code: s for s in Service.objects.all()}
        self.units = {u.code: u for u in Unit.objects.all()}
        self.providers_by_code = {}
        self.providers_by_name: dict[str, list[Provider]] = {}
        # Only providers that serve this KOV (or serve none yet): naming another KOV's provider
        # must neither link it here nor reveal it (publishing.scope would then count it as
        # shared and take it from its own KOV's editors).
        elsewhere = Offer.objects.filter(provider=OuterRef("pk")).exclude(municipality=municipality)
        here = Offer.objects.filter(provider=OuterRef("pk"), municipality=municipality)
        for provider in Provider.objects.filter(Exists(here) | ~Exists(elsewhere)):
            if provider.registry_code:
                self.providers_by_code[provider.registry_code] = provider
            self.providers_by_name.setdefault(provider.name.casefold(), []).append(provider)
        self.offers: dict[tuple, list[Offer]] = {}
        for offer in Offer.objects.filter(municipality=municipality).order_by("-valid_from", "-pk"):
            key = (
                ("component", offer.component_id, offer.provider_id)
                if offer.component_id
                else (
                    "service",
                    offer.service_id,
                    offer.provider_id,
                )
            )
            self.offers.setdefault(key, []).append(offer)
        self.published: dict[int, list[Price]] = {}
        self.waiting: dict[int, dict[dt.date, Price]] = {}
        for price in Price.objects.filter(offer__municipality=municipality).order_by("valid_from"):
            if price.status == PriceStatus.PUBLISHED:
                self.published.setdefault(price.offer_id, []).append(price)
            elif price.status == PriceStatus.PENDING:
                self.waiting.setdefault(price.offer_id, {})[price.valid_from] = price
        self.availability = Availability.objects.latest_for(
            [offer.pk for offers in self.offers.values() for offer in offers]
        )
        # Statements already awaiting a moderator (an earlier upload of the same file): not new.
        self.proposed_statements = {
            _proposed_statement(c)
            for c in PendingChange.objects.filter(
                municipality=municipality,
                object_id__isnull=True,
                content_type=ContentType.objects.get_for_model(Availability),
            ).values_list("changes", flat=True)
        }
        self.municipality = municipality

    def upload_of(self, price: Price) -> str:
        """Which earlier upload (or person) put a waiting price there, for the message."""
        # An upload is stamped `applied_at` just before its prices are written, and applies
        # for one KOV run one at a time (publishing.views), so the latest one before the price
        # by the same person is the one that wrote it.
        record = (
            PriceImport.objects.filter(
                municipality=self.municipality,
                status=PriceImport.Status.APPLIED,
                uploaded_by_id=price.created_by_id,
                applied_at__lte=price.created_at,
            )
            .order_by("-applied_at")
            .first()
        )
        when = timezone.localtime(price.created_at).strftime("%d.%m.%Y %H:%M") if price.created_at else ""
        if record is not None:
            return _("the upload “%(file)s” of %(when)s") % {"file": record.filename, "when": when}
        return _("a price entered on %(when)s") % {"when": when}

    def offer_for(self, key: tuple, on: dt.date) -> Offer | None:
        for offer in self.offers.get(key, []):
            if offer.valid_to is None or offer.valid_to >= on:
                return offer
        return None


def _resolve_columns(header: list[str], errors: list[ImportError_]) -> dict[str, int]:
    aliases = header_aliases()
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = normalise_header(cell)
        if not name:
            continue
        key = aliases.get(name)
        if key is None:
            errors.append(
                ImportError_(
                    1,
                    str(cell).strip(),
                    _("Unknown column (column %(number)s). Use the columns of the template.")
                    % {"number": index + 1},
                )
            )
        elif key in positions:
            errors.append(ImportError_(1, str(COLUMN_BY_KEY[key].label), _("The column appears twice.")))
        else:
            positions[key] = index
    for column in COLUMNS:
        if column.required and column.key not in positions:
            errors.append(ImportError_(1, str(column.label), _("The column is missing.")))
    return positions


def plan_import(table: Table, municipality: Municipality) -> ImportPlan:
    """What applying the table would do, with every error found; touches nothing."""
    plan = ImportPlan(municipality=municipality, notes=list(table.notes))
    positions = _resolve_columns(table.header, plan.errors)
    if plan.errors:
        return plan
    catalogue = _Catalogue(municipality)
    width = len(table.header)
    for line, cells in table.rows:
        extra = (
            cells[width:]
            if table.strict_width
            else [c for c in cells[width:] if c is not None and str(c).strip()]
        )
        if extra:
            plan.errors.append(
                ImportError_(
                    line,
                    None,
                    _(
                        "The row has more cells (%(cells)s) than the header (%(header)s). If you "
                        "used a comma as separator, decimal commas must be in quotes — or use semicolons."
                    )
                    % {"cells": len(cells), "header": width},
                )
            )
            continue
        row, statement = _plan_row(line, cells, positions, catalogue, plan.errors)
        if row is not None:
            plan.rows.append(row)
        if statement is not None:
            plan.statements.append(statement)
    _check_within_file(plan)
    _classify(plan, catalogue)
    _classify_statements(plan, catalogue)
    return plan


def _plan_row(
    line, cells, positions, catalogue: _Catalogue, errors
) -> tuple[PlannedRow | None, PlannedStatement | None]:
    """The row's price and/or availability, or (None, None) with its errors added."""
    values: dict = {}
    row_errors: list[ImportError_] = []

    def cell(key):
        index = positions.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def check(key, parse):
        try:
            values[key] = parse(cell(key))
        except CellError as exc:
            values[key] = None
            row_errors.append(ImportError_(line, str(COLUMN_BY_KEY[key].label), str(exc)))

    for key in ("kind", "code", "provider_registry_code", "provider_name", "unit_code"):
        check(key, text_value)
    for key in MONEY_COLUMNS:
        check(key, parse_decimal)
    check("client_share_percent", parse_percent)
    for key in ("valid_from", "valid_to", "as_of"):
        check(key, parse_date)
    for key in ("capacity", "free_places", "waiting_days"):
        check(key, parse_count)

    # A row with availability and no price cell at all states availability only.
    def filled(key) -> bool:
        return cell(key) is not None and bool(str(cell(key)).strip())

    gives_availability = any(filled(k) for k in AVAILABILITY_KEYS)
    gives_price = not gives_availability or any(filled(k) for k in PRICE_KEYS)

    def error(key, message):
        row_errors.append(ImportError_(line, str(COLUMN_BY_KEY[key].label), message))

    kind = _kind(values.get("kind"))
    item = None
    if values.get("kind") is None:
        pass
    elif kind is None:
        error("kind", _("Write “component” or “service”."))
    elif not values.get("code"):
        error("code", _("The catalogue code is missing."))
    else:
        item = (catalogue.components if kind == "component" else catalogue.services).get(values["code"])
        if item is None:
            error(
                "code",
                _("There is no %(kind)s with the code “%(code)s” in the catalogue.")
                % {"kind": KIND_VALUES[kind], "code": values["code"]},
            )

    provider = _provider(values, catalogue, error)

    if gives_availability:
        _check_availability(values, error)
    if not gives_price:
        if row_errors or item is None or provider is None:
            errors.extend(row_errors)
            return None, None
        return None, _statement(line, kind, item, provider, values)

    unit = None
    if values.get("unit_code") is not None:
        if not values["unit_code"]:
            error("unit_code", _("The unit code is missing."))
        else:
            unit = catalogue.units.get(values["unit_code"])
            if unit is None:
                error(
                    "unit_code",
                    _("There is no unit with the code “%(code)s”; see the list of units in the template.")
                    % {"code": values["unit_code"]},
                )

    for key in MONEY_COLUMNS:
        amount = values.get(key)
        if amount is not None and amount < 0:
            error(key, _("A price cannot be negative."))
        elif amount is not None and amount > MAX_PRICE:
            error(
                key,
                _(
                    "%(amount)s € is implausibly high (the limit is %(max)s € per unit); check the decimal separator."  # noqa: E501
                )
                % {"amount": amount, "max": MAX_PRICE},
            )
    percent = values.get("client_share_percent")
    if percent is not None and not 0 <= percent <= 100:
        error("client_share_percent", _("A percentage must be between 0 and 100."))
    no_price = values.get("price_individual") is None and values.get("price_group") is None
    if no_price and not any(
        e.column in (str(COLUMN_BY_KEY[k].label) for k in MONEY_COLUMNS) for e in row_errors
    ):
        error("price_individual", _("Give a price for individual or for group work."))
    if values.get("client_share_amount") is not None and percent is not None:
        error("client_share_percent", _("Give the client's share as an amount or a percentage, not both."))
    if values.get("valid_from") is None and not any(
        e.column == str(COLUMN_BY_KEY["valid_from"].label) for e in row_errors
    ):
        error("valid_from", _("The start date is missing."))
    if values.get("valid_from") and values.get("valid_to") and values["valid_to"] < values["valid_from"]:
        error("valid_to", _("The price cannot end before it starts."))

    if row_errors:
        errors.extend(row_errors)
        return None, None
    row = PlannedRow(
        line=line,
        action="",
        kind=kind,
        item=item,
        provider=provider,
        unit=unit,
        price_individual=values["price_individual"],
        price_group=values["price_group"],
        client_share_amount=values["client_share_amount"],
        client_share_percent=percent,
        valid_from=values["valid_from"],
        valid_to=values["valid_to"],
    )
    return row, _statement(line, kind, item, provider, values) if gives_availability else None


def _check_availability(values, error) -> None:
    """Places and waiting days as the Availability model allows them (its CHECK constraints
    are the backstop); the as-of date defaults to today."""
    for key in ("capacity", "free_places"):
        if values.get(key) is not None and values[key] < 0:
            error(key, _("A number of places cannot be negative."))
    if values.get("waiting_days") is not None and values["waiting_days"] < 0:
        error("waiting_days", _("The waiting time cannot be negative."))
    free, capacity = values.get("free_places"), values.get("capacity")
    if free is not None and capacity is not None and 0 <= capacity < free:
        error(
            "free_places",
            _("Free places (%(free)s) cannot be more than the places in total (%(total)s).")
            % {"free": free, "total": capacity},
        )
    if free is None and values.get("waiting_days") is None:
        error("free_places", _("Give the free places now, the waiting time, or both."))
    if values.get("as_of") and values["as_of"] > today():
        error(
            "as_of",
            _("The date stated (%(date)s) is in the future.") % {"date": values["as_of"].isoformat()},
        )


def _statement(line, kind, item, provider, values) -> PlannedStatement:
    return PlannedStatement(
        line=line,
        key=(kind, item.pk, provider.pk),
        item=item,
        provider=provider,
        capacity=values["capacity"],
        free_places=values["free_places"],
        waiting_days=values["waiting_days"],
        as_of=values["as_of"] or today(),
    )


def _proposed_statement(values: dict) -> tuple:
    """(offer, capacity, free places, waiting days, as of) of an availability addition's
    proposed values (JSON), as PlannedStatement.stated compares them."""
    as_of = values.get("as_of")
    return (
        values.get("offer"),
        values.get("capacity"),
        values.get("free_places"),
        values.get("waiting_days"),
        dt.date.fromisoformat(as_of) if as_of else None,
    )


def _classify_statements(plan: ImportPlan, catalogue: _Catalogue) -> None:
    """Each statement's offer (an existing one, or the one the file adds), one statement per
    offer, and whether it says anything new."""
    added = {row.key for row in plan.additions}
    label_as_of = str(COLUMN_BY_KEY["as_of"].label)
    seen: dict[tuple, PlannedStatement] = {}
    kept = []
    for statement in plan.statements:
        offer = catalogue.offer_for(statement.key, today())
        first = seen.get(statement.key)
        if first is not None:
            if first.stated != statement.stated:
                plan.errors.append(
                    ImportError_(
                        statement.line,
                        str(COLUMN_BY_KEY["free_places"].label),
                        _("Row %(row)s already gives other free places or waiting time for this offer.")
                        % {"row": first.line},
                    )
                )
            continue
        seen[statement.key] = statement
        if offer is None and statement.key not in added:
            plan.errors.append(
                ImportError_(
                    statement.line,
                    str(COLUMN_BY_KEY["code"].label),
                    _("The municipality has no such offer yet; give its price in the same row to add it."),
                )
            )
            continue
        statement.offer = offer
        latest = catalogue.availability.get(offer.pk) if offer else None
        if latest is not None and statement.as_of < latest.as_of:
            plan.errors.append(
                ImportError_(
                    statement.line,
                    label_as_of,
                    _(
                        "The offer's availability was already stated on %(date)s; a new "
                        "statement cannot be older."
                    )
                    % {"date": latest.as_of.isoformat()},
                )
            )
            continue
        statement.new = (
            not statement.same_as(latest)
            and (offer.pk if offer else None, *statement.stated) not in catalogue.proposed_statements
        )
        kept.append(statement)
    plan.statements = kept


def _kind(value: str | None) -> str | None:
    if not value:
        return None
    normalised = value.strip().casefold()
    for key, label in KIND_VALUES.items():
        if normalised == key or any(normalised == _label_in(label, lang).casefold() for lang in LANGUAGES):
            return key
    return None


def _label_in(label, lang: str) -> str:
    with override(lang):
        return str(label)


def _provider(values, catalogue: _Catalogue, error) -> Provider | None:
    code = values.get("provider_registry_code")
    name = values.get("provider_name")
    if code is None or name is None:
        return None  # the cell itself was refused
    if code:
        provider = catalogue.providers_by_code.get(code)
        if provider is None:
            error(
                "provider_registry_code",
                _(
                    "No provider with the registry code “%(code)s” serves this municipality; add "
                    "the provider in the admin first, or ask an administrator to link a shared provider."
                )
                % {"code": code},
            )
        return provider
    if not name:
        error("provider_name", _("Give the provider's registry code or name."))
        return None
    matches = catalogue.providers_by_name.get(name.casefold(), [])
    if not matches:
        error(
            "provider_name",
            _("No provider named “%(name)s”; add the provider in the admin first.") % {"name": name},
        )
        return None
    if len(matches) > 1:
        error(
            "provider_registry_code",
            _("Several providers are named “%(name)s”; give the registry code.") % {"name": name},
        )
        return None
    return matches[0]


def _check_within_file(plan: ImportPlan) -> None:
    """Duplicates and overlapping periods among the file's own rows for the same offer."""
    by_key: dict[tuple, list[PlannedRow]] = {}
    for row in plan.rows:
        by_key.setdefault(row.key, []).append(row)
    rejected = set()
    label_from = str(COLUMN_BY_KEY["valid_from"].label)
    for rows in by_key.values():
        rows.sort(key=lambda r: (r.valid_from, r.line))
        for earlier, later in zip(rows, rows[1:], strict=False):
            if later.valid_from == earlier.valid_from:
                plan.errors.append(
                    ImportError_(
                        later.line,
                        label_from,
                        _("Duplicate: row %(row)s already gives a price for this offer from this date.")
                        % {"row": earlier.line},
                    )
                )
                rejected.add(later.line)
            elif earlier.valid_to is not None and earlier.valid_to >= later.valid_from:
                plan.errors.append(
                    ImportError_(
                        later.line,
                        label_from,
                        _("The period overlaps row %(row)s, which is valid until %(date)s.")
                        % {"row": earlier.line, "date": earlier.valid_to.isoformat()},
                    )
                )
                rejected.add(later.line)
    plan.rows = [r for r in plan.rows if r.line not in rejected]


def _classify(plan: ImportPlan, catalogue: _Catalogue) -> None:
    label_from = str(COLUMN_BY_KEY["valid_from"].label)
    rejected = set()
    for row in plan.rows:
        offer = catalogue.offer_for(row.key, row.valid_from)
        if offer is None:
            row.action = "add"
            continue
        row.offer = offer
        published = catalogue.published.get(offer.pk, [])
        in_force = next(
            (
                p
                for p in reversed(published)
                if p.valid_from <= row.valid_from and (p.valid_to is None or p.valid_to >= row.valid_from)
            ),
            None,
        )
        row.previous = in_force or (published[-1] if published else None)
        if row.same_price_as(in_force) and (row.valid_to is None or row.valid_to == in_force.valid_to):
            row.action = "unchanged"
        elif published and row.valid_from <= published[-1].valid_from:
            plan.errors.append(
                ImportError_(
                    row.line,
                    label_from,
                    _(
                        "A published price of this offer already starts on %(date)s; a new price must start later."  # noqa: E501
                    )
                    % {"date": published[-1].valid_from.isoformat()},
                )
            )
            rejected.add(row.line)
        elif row.valid_from in catalogue.waiting.get(offer.pk, {}):
            first = catalogue.waiting[offer.pk][row.valid_from]
            plan.errors.append(
                ImportError_(
                    row.line,
                    label_from,
                    _("A price of this offer from %(date)s is already awaiting approval, from %(first)s.")
                    % {"date": row.valid_from.isoformat(), "first": catalogue.upload_of(first)},
                )
            )
            rejected.add(row.line)
        else:
            row.action = "change"
    starts = today()
    for row in plan.rows:
        if row.action in ("add", "change") and row.valid_from < starts and row.line not in rejected:
            plan.errors.append(
                ImportError_(
                    row.line,
                    label_from,
                    _(
                        "A new price must start today (%(today)s) or later. To change what a past "
                        "date cost, ask a moderator to correct the published price."
                    )
                    % {"today": starts.isoformat()},
                )
            )
            rejected.add(row.line)
    plan.rows = [r for r in plan.rows if r.line not in rejected]
    for row in plan.rows:
        if row.action in ("add", "change"):
            row.warnings = _large_changes(row)


def _large_changes(row: PlannedRow) -> list[str]:
    """Why this new price looks like a typo: zero, or far from the price in force."""
    warnings = []
    previous = row.previous
    for key in ("price_individual", "price_group"):
        new = getattr(row, key)
        if new is None:
            continue
        label = str(COLUMN_BY_KEY[key].label)
        if new == 0:
            warnings.append(_("%(column)s: the price is zero.") % {"column": label})
            continue
        old = getattr(previous, key, None) if previous is not None else None
        if not old:
            continue
        change = (new - old) / old
        if change < LARGE_DROP or change > LARGE_RISE:
            warnings.append(
                _("%(column)s: %(old)s € → %(new)s € (%(change)s %%).")
                % {"column": label, "old": old, "new": new, "change": f"{change * 100:+.0f}"}
            )
    return warnings
