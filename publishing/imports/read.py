"""Reading an uploaded price list (CSV or XLSX) into header + rows, within hard limits.

A file is read once, when it is uploaded; the rows are stored with the upload
(`Table.to_json()`), and the preview and the apply step use them. Reading never walks a sheet's
*declared* size: only the cells the file really contains are visited, a sheet far wider or
longer than a price list is refused, and the whole read has a time budget. Nothing here
evaluates a formula: a formula cell is kept as text beginning with "=", which the cell checks
refuse."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import time
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext_lazy

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNPACKED_XLSX_BYTES = 60 * 1024 * 1024
# The template has 17 columns; a few spare for notes the editor adds and we ignore.
MAX_COLUMNS = 30
# A sheet row number far past MAX_ROWS means stray cells or empty rows, not a price list.
MAX_SHEET_ROW = MAX_ROWS + 1_000
MAX_CELLS = (MAX_ROWS + 1_000) * MAX_COLUMNS
MAX_READ_SECONDS = 5.0
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
    # Availability (*vabad kohad / ootejärjekord*): optional; a row may give a price, the
    # offer's availability, or both.
    Column("capacity", pgettext_lazy("price list column", "Places in total"), required=False),
    Column("free_places", pgettext_lazy("price list column", "Free places now"), required=False),
    Column("waiting_days", pgettext_lazy("price list column", "Waiting time (days)"), required=False),
    Column("as_of", pgettext_lazy("price list column", "Availability stated on"), required=False),
]
PRICE_KEYS = (
    "unit_code",
    "price_individual",
    "price_group",
    "client_share_amount",
    "client_share_percent",
    "valid_from",
    "valid_to",
)
AVAILABILITY_KEYS = ("capacity", "free_places", "waiting_days", "as_of")
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing in it is used."""


@dataclass(frozen=True)
class Percent:
    """A number in a percent-formatted spreadsheet cell: Excel stores 25 % as 0.25."""

    fraction: float


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list]]  # (spreadsheet row number, cell values)
    # In CSV every extra cell means a separator too many (e.g. an unquoted decimal comma);
    # an XLSX row may carry empty formatted cells beyond the header.
    strict_width: bool = False
    sheet: str = ""  # the worksheet read (XLSX)
    notes: list[str] = field(default_factory=list)  # what the editor should know about the reading

    # Stored with the upload as JSON: cells are None, str, int, float, bool, a date or a Percent.
    def to_json(self) -> dict:
        return {
            "header": self.header,
            "rows": [[number, [_cell_to_json(c) for c in cells]] for number, cells in self.rows],
            "strict_width": self.strict_width,
            "sheet": self.sheet,
            "notes": self.notes,
        }

    @classmethod
    def from_json(cls, data: dict) -> Table:
        return cls(
            header=data["header"],
            rows=[(number, [_cell_from_json(c) for c in cells]) for number, cells in data["rows"]],
            strict_width=data.get("strict_width", False),
            sheet=data.get("sheet", ""),
            notes=data.get("notes", []),
        )


def _cell_to_json(value):
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Percent):
        return {"percent": value.fraction}
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def _cell_from_json(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return dt.datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return dt.date.fromisoformat(value["date"])
        if "percent" in value:
            return Percent(value["percent"])
    return value


# -- text files ---------------------------------------------------------------------------

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


def normalise_header(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().lstrip("'").strip().casefold()


def header_aliases() -> dict[str, str]:
    """Every accepted spelling of a column header → the column key: the key itself and the
    label in each of the three languages, so a file downloaded in Russian imports in Estonian."""
    aliases = {}
    for column in COLUMNS:
        aliases[column.key] = column.key
        for lang in LANGUAGES:
            aliases[normalise_header(column.label_in(lang))] = column.key
    return aliases


def read_csv(data: bytes) -> Table:
    text = decode_text(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    aliases = header_aliases()
    best, best_known = None, 0
    for delimiter in (";", ",", "\t"):
        cells = next(csv.reader([first], delimiter=delimiter), [])
        known = sum(1 for c in cells if normalise_header(c) in aliases)
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
    all_rows = []
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise _too_wide()
            all_rows.append(row)
            if len(all_rows) > MAX_SHEET_ROW:
                raise _too_many_rows()
    except csv.Error as exc:
        # csv's own messages are English and name its internals ("field larger than field
        # limit (131072)"); the editor gets the line and what usually causes it.
        raise ImportFileError(
            _(
                "The file is not valid CSV near line %(line)s: a quotation mark is not closed or "
                "a cell is far too long. Check that line, or save the file again as “CSV UTF-8”."
            )
            % {"line": reader.line_num}
        ) from exc
    header_index = next(i for i, row in enumerate(all_rows) if any(c.strip() for c in row))
    rows = [
        (number, row)
        for number, row in enumerate(all_rows[header_index + 1 :], start=header_index + 2)
        if any(c.strip() for c in row)
    ]
    return Table(header=all_rows[header_index], rows=rows, strict_width=True)


# -- workbooks ----------------------------------------------------------------------------


def _open_workbook(data: bytes):
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
        raise _damaged() from exc
    if damaged is not None:
        raise _damaged()
    if unpacked > MAX_UNPACKED_XLSX_BYTES:
        raise ImportFileError(_("The workbook is too large once unpacked."))

    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise ImportFileError(
            _("The workbook could not be read; save it again as an Excel workbook (.xlsx).")
        ) from exc


def _damaged() -> ImportFileError:
    return ImportFileError(_("The workbook is damaged or incomplete; save it again and re-upload."))


def _choose_sheet(workbook):
    """The sheet holding the price list: the first visible sheet that is not the template's
    list of codes. Hidden sheets are never read."""
    visible = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    candidates = [ws for ws in visible if ws.title.casefold() != "codes"] or visible
    if not candidates:
        raise ImportFileError(_("The workbook has no visible sheet."))
    return candidates[0]


def _is_percent_style(workbook, style_id: int, cache: dict) -> bool:
    if style_id in cache:
        return cache[style_id]
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    try:
        number_format_id = workbook._cell_styles[style_id].numFmtId
        if number_format_id < BUILTIN_FORMATS_MAX_SIZE:
            number_format = BUILTIN_FORMATS.get(number_format_id, "General")
        else:
            number_format = workbook._number_formats[number_format_id - BUILTIN_FORMATS_MAX_SIZE]
    except (IndexError, AttributeError):
        number_format = "General"
    # A "%" outside quoted literal text makes Excel multiply by 100 for display.
    cache[style_id] = "%" in re.sub(r'"[^"]*"', "", str(number_format))
    return cache[style_id]


def _sheet_cells(workbook, sheet, deadline: float):
    """(row number, {column number: value}) for every row with a non-empty cell, reading only
    the cells the sheet's XML really contains (never its declared dimension)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    percent_styles: dict[int, bool] = {}
    cells_seen = 0
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            workbook.shared_strings,
            data_only=False,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for rows_seen, (number, cells) in enumerate(parser.parse(), start=1):
            # Every row element counts, empty or not: a million formatted empty rows is work too.
            if number > MAX_SHEET_ROW or rows_seen > MAX_SHEET_ROW:
                raise _too_many_rows()
            if rows_seen % 256 == 0 and time.monotonic() > deadline:
                raise ImportFileError(
                    _("Reading the workbook took too long; save only the price list sheet and re-upload.")
                )
            values = {}
            for cell in cells:
                cells_seen += 1
                value = cell["value"]
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                if cell["column"] > MAX_COLUMNS:
                    raise _too_wide()
                if cell["data_type"] == "f":
                    value = "=" + str(getattr(value, "text", "") or "").lstrip("=")
                elif (
                    cell["data_type"] == "n"
                    and cell["style_id"]
                    and _is_percent_style(workbook, cell["style_id"], percent_styles)
                ):
                    value = Percent(value)
                values[cell["column"]] = value
            if cells_seen > MAX_CELLS:
                raise _too_many_rows()
            if values:
                yield number, values


def read_xlsx(data: bytes) -> Table:
    deadline = time.monotonic() + MAX_READ_SECONDS
    workbook = _open_workbook(data)
    try:
        sheet = _choose_sheet(workbook)
        header, rows = None, []
        for number, values in _sheet_cells(workbook, sheet, deadline):
            width = max(values)
            cells = [values.get(column) for column in range(1, width + 1)]
            if header is None:
                header = ["" if v is None else str(v) for v in cells]
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
        others = [
            ws.title for ws in workbook.worksheets if ws is not sheet and ws.title.casefold() != "codes"
        ]
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed sheet raises many kinds
        raise _damaged() from exc
    finally:
        workbook.close()
    if header is None:
        raise ImportFileError(_("The file is empty."))
    notes = []
    if others:
        notes.append(
            _("The sheet “%(sheet)s” was read; other sheets (%(others)s) were not.")
            % {"sheet": sheet.title, "others": ", ".join(f"“{t}”" for t in others)}
        )
    return Table(header=header, rows=rows, sheet=sheet.title, notes=notes)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(max)s price rows, or cells far below the price list; "
            "split it into smaller files and delete stray cells."
        )
        % {"max": MAX_ROWS}
    )


def _too_wide() -> ImportFileError:
    return ImportFileError(
        _(
            "The sheet has cells far to the right of the price list (beyond column %(max)s); "
            "delete them or copy only the template's columns into a new file."
        )
        % {"max": MAX_COLUMNS}
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
