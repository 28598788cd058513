"""Reading, checking and applying a municipality's price list spreadsheet (*hinnakiri*).

The flow is: `read_table()` turns the uploaded bytes (CSV or XLSX) into header + rows, refusing
files it cannot read safely; `plan_import()` checks every row against the catalogue and the
municipality's published prices and says what would happen (rows to add, prices that change,
rows unchanged, errors naming row, column and reason); `apply_plan()` writes a plan without
errors in one transaction — all rows or none.

Nothing here evaluates a formula: XLSX formulas are refused, and text that begins like a
formula (=, +, -, @) is refused unless escaped with a leading apostrophe. The template is
documented in docs/price-template.md."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext_lazy

from directory.models import Component, Municipality, Offer, Price, PriceStatus, Provider, Service, Unit

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNPACKED_XLSX_BYTES = 60 * 1024 * 1024
MAX_PRICE = Decimal("20000")
CENT = Decimal("0.01")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LANGUAGES = ("et", "ru", "en")


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation
    required: bool = True  # informational columns may be left out

    def label_in(self, lang: str) -> str:
        with override(lang):
            return str(self.label)


COLUMNS = [
    Column("kind", pgettext_lazy("price list column", "Kind (component or service)")),
    Column("code", pgettext_lazy("price list column", "Catalogue code")),
    Column("name", pgettext_lazy("price list column", "Name"), required=False),
    Column("provider_registry_code", pgettext_lazy("price list column", "Provider registry code")),
    Column("provider_name", pgettext_lazy("price list column", "Provider")),
    Column("unit_code", pgettext_lazy("price list column", "Unit code")),
    Column("unit_name", pgettext_lazy("price list column", "Unit"), required=False),
    Column("price_individual", pgettext_lazy("price list column", "Price per unit, individual (EUR)")),
    Column("price_group", pgettext_lazy("price list column", "Price per unit, group (EUR)")),
    Column("client_share_amount", pgettext_lazy("price list column", "Client's share (EUR)")),
    Column("client_share_percent", pgettext_lazy("price list column", "Client's share (%)")),
    Column("valid_from", pgettext_lazy("price list column", "Valid from")),
    Column("valid_to", pgettext_lazy("price list column", "Valid to")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
KIND_VALUES = {
    "component": pgettext_lazy("price list kind", "component"),
    "service": pgettext_lazy("price list kind", "service"),
}
MONEY_COLUMNS = ("price_individual", "price_group", "client_share_amount")


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing in it is used."""


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
class Table:
    header: list[str]
    rows: list[tuple[int, list]]  # (spreadsheet row number, cell values)
    # In CSV every extra cell means a separator too many (e.g. an unquoted decimal comma);
    # an XLSX row may carry empty formatted cells beyond the header.
    strict_width: bool = False


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
class ImportPlan:
    municipality: Municipality
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[ImportError_] = field(default_factory=list)

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
    def can_apply(self) -> bool:
        return not self.errors and bool(self.additions or self.changes)

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.additions),
            "changed": len(self.changes),
            "unchanged": len(self.unchanged),
            "errors": len(self.errors),
        }


# -- reading the file ---------------------------------------------------------------------

# Windows-1257 can decode almost any byte, so a file in another legacy encoding (e.g. Russian
# Windows-1251) would "decode" to nonsense. Accept it only if every non-ASCII character is one
# an Estonian price list plausibly contains.
CP1257_PLAUSIBLE = set("õäöüšžÕÄÖÜŠŽéÉ€\u00a0«»„“”‘’–—…°§×·")


def decode_text(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("The file claims to be UTF-8 but is not valid UTF-8.")) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "The file is in UTF-16 (or another unsupported) encoding. Save it as "
                "“CSV UTF-8” or as an Excel workbook (.xlsx)."
            )
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1257")
    except UnicodeDecodeError as exc:
        raise _unsupported_encoding(None) from exc
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if ord(char) > 127 and char not in CP1257_PLAUSIBLE:
                raise _unsupported_encoding(number)
    return text


def _unsupported_encoding(line: int | None) -> ImportFileError:
    message = _(
        "The file's character encoding is not supported: use UTF-8 (with or without BOM) or "
        "Windows-1257 (Baltic). Save it as “CSV UTF-8” or as an Excel workbook (.xlsx)."
    )
    if line:
        message += " " + _("The first unreadable text is on line %(line)s.") % {"line": line}
    return ImportFileError(message)


def _normalise_header(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().lstrip("'").strip().casefold()


def header_aliases() -> dict[str, str]:
    """Every accepted spelling of a column header → the column key: the key itself and the
    label in each of the three languages, so a file downloaded in Russian imports in Estonian."""
    aliases = {}
    for column in COLUMNS:
        aliases[column.key] = column.key
        for lang in LANGUAGES:
            aliases[_normalise_header(column.label_in(lang))] = column.key
    return aliases


def read_csv(data: bytes) -> Table:
    text = decode_text(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    aliases = header_aliases()
    best, best_known = None, 0
    for delimiter in (";", ",", "\t"):
        cells = next(csv.reader([first], delimiter=delimiter), [])
        known = sum(1 for c in cells if _normalise_header(c) in aliases)
        if known > best_known:
            best, best_known = delimiter, known
    if best is None or best_known < 2:
        raise ImportFileError(
            _(
                "The columns could not be recognised. The first row must be the template's "
                "header row, and columns must be separated by semicolons (;), commas or tabs."
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best, strict=True)
    try:
        all_rows = list(reader)
    except csv.Error as exc:
        raise ImportFileError(
            _("The file is not valid CSV (line %(line)s): %(reason)s")
            % {"line": reader.line_num, "reason": exc}
        ) from exc
    header_index = next(i for i, row in enumerate(all_rows) if any(c.strip() for c in row))
    rows = [
        (number, row)
        for number, row in enumerate(all_rows[header_index + 1 :], start=header_index + 2)
        if any(c.strip() for c in row)
    ]
    return Table(header=all_rows[header_index], rows=rows, strict_width=True)


def read_xlsx(data: bytes) -> Table:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "The workbook is password-protected or in the old Excel 97–2003 format. Remove the "
                "password and save it as an Excel workbook (.xlsx)."
            )
        )
    if not data.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            damaged = archive.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
        raise ImportFileError(
            _("The workbook is damaged or incomplete; save it again and re-upload.")
        ) from exc
    if damaged is not None:
        raise ImportFileError(_("The workbook is damaged or incomplete; save it again and re-upload."))
    if unpacked > MAX_UNPACKED_XLSX_BYTES:
        raise ImportFileError(_("The workbook is too large once unpacked."))

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise ImportFileError(
            _("The workbook could not be read; save it again as an Excel workbook (.xlsx).")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        header, rows = None, []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = list(values)
            if not any(v is not None and str(v).strip() for v in values):
                continue
            if header is None:
                header = [v if v is not None else "" for v in values]
                continue
            rows.append((number, values))
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ImportFileError(
            _("The workbook is damaged or incomplete; save it again and re-upload.")
        ) from exc
    finally:
        workbook.close()
    if header is None:
        raise ImportFileError(_("The file is empty."))
    while header and not str(header[-1]).strip():
        header.pop()
    return Table(header=[str(h) for h in header], rows=rows)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s price rows; split it into smaller files.") % {"max": MAX_ROWS}
    )


def read_table(data: bytes, filename: str) -> Table:
    """The header and rows of an uploaded price list, or ImportFileError saying why not."""
    if not data or not data.strip():
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB; split it into smaller files.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    name = filename.lower()
    if name.endswith(".xlsx") or data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        table = read_xlsx(data)
    elif name.endswith((".csv", ".txt")):
        table = read_csv(data)
    else:
        raise ImportFileError(_("Upload the price list as a .xlsx or .csv file."))
    if len(table.rows) > MAX_ROWS:
        raise _too_many_rows()
    if not table.rows:
        raise ImportFileError(_("The file has a header but no price rows."))
    return table


# -- checking the cells -------------------------------------------------------------------


class CellError(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\u00a0", " ").strip()
    if text.startswith("'") and text[1:2] in FORMULA_PREFIXES:
        return text[1:]  # escaped on export (or by the editor): literal text, never a formula
    if text.startswith(FORMULA_PREFIXES):
        raise CellError(
            _(
                "The cell begins with “%(char)s”, like a formula. Formulas are not accepted; "
                "enter the value itself."
            )
            % {"char": text[0]}
        )
    return text


def parse_decimal(value) -> Decimal | None:
    """A money or percentage cell: empty, a number, or text like "12,50", "12.50", "1 234,50 €"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        raw = str(value).replace("\u00a0", " ").strip()
        if raw.startswith(("=", "@")):
            raise CellError(_("Formulas are not accepted; enter the number itself."))
        text = raw.replace(" ", "").replace("€", "").replace("%", "")
        if "," in text and "." in text:
            raise CellError(
                _("“%(value)s” mixes a comma and a point; write the number as 1234,50.") % {"value": raw}
            )
        text = text.replace(",", ".")
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            raise CellError(_("“%(value)s” is not a number.") % {"value": raw})
        number = Decimal(text)
    try:
        quantized = number.quantize(CENT)
    except InvalidOperation as exc:
        raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from exc
    if quantized != number:
        raise CellError(_("Use at most two decimal places (cents)."))
    return quantized


DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y")


def parse_date(value) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    else:
        raw = _text(value)
        raw = raw.split(" ")[0] if re.fullmatch(r"\d{4}-\d\d-\d\d 00:00(:00)?", raw) else raw
        for fmt in DATE_FORMATS:
            try:
                date = dt.datetime.strptime(raw, fmt).date()
                break
            except ValueError:
                continue
        else:
            raise CellError(
                _("“%(value)s” is not a date; write it as 2025-01-31 or 31.01.2025.") % {"value": raw}
            )
    if not 2000 <= date.year <= 2100:
        raise CellError(_("%(date)s is not a plausible date.") % {"date": date.isoformat()})
    return date


# -- planning -----------------------------------------------------------------------------


class _Catalogue:
    """Everything rows are checked against, loaded once per file."""

    def __init__(self, municipality: Municipality):
        self.components = {c.code: c for c in Component.objects.all()}
        self.services = {s.code: s for s in Service.objects.all()}
        self.units = {u.code: u for u in Unit.objects.all()}
        self.providers_by_code = {}
        self.providers_by_name: dict[str, list[Provider]] = {}
        for provider in Provider.objects.all():
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
        self.waiting: dict[int, set[dt.date]] = {}
        for price in Price.objects.filter(offer__municipality=municipality).order_by("valid_from"):
            if price.status == PriceStatus.PUBLISHED:
                self.published.setdefault(price.offer_id, []).append(price)
            else:
                self.waiting.setdefault(price.offer_id, set()).add(price.valid_from)

    def offer_for(self, key: tuple, on: dt.date) -> Offer | None:
        for offer in self.offers.get(key, []):
            if offer.valid_to is None or offer.valid_to >= on:
                return offer
        return None


def _resolve_columns(header: list[str], errors: list[ImportError_]) -> dict[str, int]:
    aliases = header_aliases()
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _normalise_header(cell)
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
    plan = ImportPlan(municipality=municipality)
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
        row = _plan_row(line, cells, positions, catalogue, plan.errors)
        if row is not None:
            plan.rows.append(row)
    _check_within_file(plan)
    _classify(plan, catalogue)
    return plan


def _plan_row(line, cells, positions, catalogue: _Catalogue, errors) -> PlannedRow | None:
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
        check(key, _text)
    for key in (*MONEY_COLUMNS, "client_share_percent"):
        check(key, parse_decimal)
    for key in ("valid_from", "valid_to"):
        check(key, parse_date)

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
        return None
    return PlannedRow(
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
                _("No provider with the registry code “%(code)s”; add the provider in the admin first.")
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
        elif row.valid_from in catalogue.waiting.get(offer.pk, set()):
            plan.errors.append(
                ImportError_(
                    row.line,
                    label_from,
                    _("A price of this offer from %(date)s is already awaiting approval.")
                    % {"date": row.valid_from.isoformat()},
                )
            )
            rejected.add(row.line)
        else:
            row.action = "change"
    plan.rows = [r for r in plan.rows if r.line not in rejected]


# -- applying -----------------------------------------------------------------------------


def _insert_prices(rows: list[dict]) -> None:
    """INSERT the new price rows with executemany.

    Price.objects.bulk_create builds a model instance and compiles SQL per row, which costs
    seconds for a 10 000-row list; the values here are already validated plain Python, so
    they only need the database's adaptation. New rows are drafts-in-waiting (status
    pending), so the model's published-row guard has nothing to check."""
    conn = connections[router.db_for_write(Price)]  # the real connection, not the thread proxy
    fields = [f for f in Price._meta.concrete_fields if not f.primary_key]
    adapt = {
        f.attname: (
            conn.ops.adapt_datefield_value
            if f.get_internal_type() == "DateField"
            else conn.ops.adapt_datetimefield_value
            if f.get_internal_type() == "DateTimeField"
            else None
        )
        for f in fields
    }
    quote = conn.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - quoted model metadata; values are parameters
        quote(Price._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    columns = [(f.attname, adapt[f.attname]) for f in fields]
    with conn.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(
                sql,
                [
                    [
                        convert(row[name]) if convert and row[name] is not None else row[name]
                        for name, convert in columns
                    ]
                    for row in rows[start : start + 2000]
                ],
            )


@transaction.atomic
def apply_plan(plan: ImportPlan, user=None) -> int:
    """Write the plan's new offers and prices, awaiting a KOV moderator's approval; all or
    nothing. Returns the number of prices written; each affected offer gets an audit entry."""
    if plan.errors:
        raise ValueError("A plan with errors cannot be applied.")
    from wagtail.models import ModelLogEntry

    new_offers: dict[tuple, Offer] = {}
    for row in plan.additions:
        offer = new_offers.get(row.key)
        if offer is None:
            offer = new_offers[row.key] = Offer(
                municipality=plan.municipality,
                component=row.item if row.kind == "component" else None,
                service=row.item if row.kind == "service" else None,
                provider=row.provider,
                work_forms=[],
                languages=["et"],
                valid_from=row.valid_from,
                status=PriceStatus.PENDING,
            )
        offer.valid_from = min(offer.valid_from, row.valid_from)
        forms = set(offer.work_forms)
        if row.price_individual is not None:
            forms.add("individual")
        if row.price_group is not None:
            forms.add("group")
        offer.work_forms = sorted(forms)
    Offer.objects.bulk_create(new_offers.values())

    now = timezone.now()
    uid = user if user is not None and user.is_authenticated else None
    ordered = sorted(plan.additions + plan.changes, key=lambda r: (r.key, r.valid_from))
    _insert_prices(
        [
            {
                "offer_id": (row.offer or new_offers[row.key]).pk,
                "unit_id": row.unit.pk,
                "price_individual": row.price_individual,
                "price_group": row.price_group,
                "client_share_amount": row.client_share_amount,
                "client_share_percent": row.client_share_percent,
                "currency": "EUR",
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
                "status": PriceStatus.PENDING,
                "published_at": None,
                "created_at": now,
                "created_by_id": uid.pk if uid else None,
            }
            for row in ordered
        ]
    )

    # One audit entry per affected offer (not per price: a 10 000-row list stays fast), saying
    # which prices the upload added; each price also records its creator and time.
    offer_type = ContentType.objects.get_for_model(Offer)
    added: dict[int, list[str]] = {}
    offers: dict[int, Offer] = {}
    for row in ordered:
        offer = row.offer or new_offers[row.key]
        offers[offer.pk] = offer
        amount = row.price_individual if row.price_individual is not None else row.price_group
        added.setdefault(offer.pk, []).append(f"{amount} EUR / {row.unit} from {row.valid_from}")
    created = {o.pk for o in new_offers.values()}
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=offer_type,
                object_id=str(offer_id),
                label=str(offers[offer_id])[:255],
                action="publishing.import",
                user=uid,
                timestamp=now,
                data={"created": offer_id in created, "prices": texts[:100]},
            )
            for offer_id, texts in added.items()
        ],
        batch_size=1000,
    )
    return len(ordered)
