"""Reading, checking and applying a municipality's price list spreadsheet (*hinnakiri*).

The flow is: `read.read_table()` turns the uploaded bytes (CSV or XLSX) into header + rows,
once, at upload, within hard limits, refusing files it cannot read safely; the rows are stored
with the upload. `plan.plan_import()` checks every row against the catalogue and the
municipality's published prices and says what would happen (rows to add, prices that change,
rows unchanged, errors naming row, column and reason, large changes to confirm);
`apply.apply_plan()` writes a plan without errors in one transaction — all rows or none.
`cells` reads one cell as the editor meant it (also used by the admin's price form).

Nothing here evaluates a formula: XLSX formulas are refused, and text that begins like a
formula (=, +, -, @) is refused unless escaped with a leading apostrophe. The template is
documented in docs/price-template.md."""

from .apply import apply_plan
from .cells import FORMULA_PREFIXES, CellError, parse_date, parse_decimal, parse_percent
from .plan import ImportError_, ImportPlan, PlannedRow, PlannedStatement, plan_import
from .read import (
    AVAILABILITY_KEYS,
    COLUMN_BY_KEY,
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    PRICE_KEYS,
    ImportFileError,
    Percent,
    Table,
    decode_text,
    header_aliases,
    read_table,
)

__all__ = [
    "AVAILABILITY_KEYS",
    "COLUMNS",
    "COLUMN_BY_KEY",
    "FORMULA_PREFIXES",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "PRICE_KEYS",
    "CellError",
    "ImportError_",
    "ImportFileError",
    "ImportPlan",
    "Percent",
    "PlannedRow",
    "PlannedStatement",
    "Table",
    "apply_plan",
    "decode_text",
    "header_aliases",
    "parse_date",
    "parse_decimal",
    "parse_percent",
    "plan_import",
    "read_table",
]
