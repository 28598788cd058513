"""Reading one spreadsheet cell as what the editor meant — text, an amount, a percentage or a
date — or saying, in the editor's language, why it cannot be read and how to write it.

`parse_decimal()` is also used by the admin's price form, so a typed amount means the same
there as in an uploaded file."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .read import Percent

CENT = Decimal("0.01")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Spaces Excel and LibreOffice put between thousands (no-break, narrow no-break, thin).
THOUSANDS_SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007")
# A float further than this from a whole cent is a real third decimal, not binary noise
# (1000.3000000000001 is 1000,30).
FLOAT_NOISE = Decimal("0.000001")
EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(Exception):
    pass


def _spaces(text: str) -> str:
    for space in THOUSANDS_SPACES:
        text = text.replace(space, " ")
    return text


def text_value(value) -> str:
    """A text cell, refusing anything that looks like a formula."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        value = Decimal(str(value.fraction)) * 100
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _spaces(str(value)).strip()
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


def _not_a_number(raw) -> CellError:
    return CellError(_("“%(value)s” is not a number.") % {"value": raw})


def _from_float(value: float) -> Decimal:
    number = Decimal(repr(value))
    rounded = number.quantize(CENT)
    return rounded if abs(rounded - number) < FLOAT_NOISE else number


def parse_decimal(value) -> Decimal | None:
    """A money or percentage cell: empty, a number, or text like "12,50", "12.50", "1 234,50 €".

    A number whose only separator is followed by exactly three digits ("2.500", "1,234") is
    refused: in Estonia "2.500" is two thousand five hundred, elsewhere two and a half."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("A yes/no cell is not a number; enter the amount."))
    if isinstance(value, Percent):
        raise CellError(_("The cell is formatted as a percentage; enter an amount in euros."))
    if isinstance(value, float):
        number = _from_float(value)
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        raw = _spaces(str(value)).strip()
        if raw.startswith(("=", "@")):
            raise CellError(_("Formulas are not accepted; enter the number itself."))
        text = raw.replace(" ", "").replace("€", "").replace("%", "")
        if "," in text and "." in text:
            raise CellError(
                _("“%(value)s” mixes a comma and a point; write the number as 1234,50.") % {"value": raw}
            )
        if re.fullmatch(r"[+-]?\d+[.,]\d{3}", text):
            raise CellError(
                _(
                    "“%(value)s” is ambiguous: it could mean thousands or a decimal fraction. "
                    "Write thousands without a separator or with a space (2500 or 2 500) and "
                    "use at most two decimals (2,50)."
                )
                % {"value": raw}
            )
        text = text.replace(",", ".")
        if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            raise _not_a_number(raw)
        number = Decimal(text)
    try:
        quantized = number.quantize(CENT)
    except InvalidOperation as exc:
        raise _not_a_number(value) from exc
    if quantized != number:
        raise CellError(_("Use at most two decimal places (cents)."))
    return quantized


def parse_percent(value) -> Decimal | None:
    """A percentage cell: a percent-formatted cell holds the fraction (25 % is 0.25); a plain
    number or text is the percentage itself ("25", "25 %")."""
    if isinstance(value, Percent):
        return parse_decimal(_from_float(float(value.fraction) * 100))
    return parse_decimal(value)


def parse_count(value) -> int | None:
    """A number of places or days: empty, or a whole number ("12", 12, 12.0); the sign is
    kept, so a negative count can be refused with its own message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | Percent):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(value)
    raw = _spaces(str(value)).strip()
    if raw.startswith(("=", "@")):
        raise CellError(_("Formulas are not accepted; enter the number itself."))
    text = raw.replace(" ", "")
    if not re.fullmatch(r"[+-]?\d+", text):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
    return int(text)


def parse_date(value) -> dt.date | None:
    """A date cell: a spreadsheet date, an Excel serial number, or text as 31.01.2025 or
    2025-01-31. Slashed dates are refused: 02/03/2027 is 2 March here, 3 February in the US."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise CellError(_("The date has a time of day; enter the date only."))
        date = EXCEL_EPOCH + dt.timedelta(days=int(value)) if 0 < value < 2_958_466 else None
        if date is None:
            raise CellError(_("“%(value)s” is not a date; write it as 31.01.2025.") % {"value": value})
    else:
        raw = text_value(value)
        raw = raw.split(" ")[0] if re.fullmatch(r"\d{4}-\d\d-\d\d 00:00(:00)?", raw) else raw
        if "/" in raw:
            raise CellError(
                _(
                    "“%(value)s” could be read as day/month or month/day; write it as 31.01.2025 "
                    "or 2025-01-31."
                )
                % {"value": raw}
            )
        for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
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
        raise CellError(_("%(date)s is not a plausible date.") % {"date": date.strftime("%d.%m.%Y")})
    return date
