"""Numbers as the page's language writes them — the one place amounts become text.

"4,16 €" in Estonian and Russian, "4.16 €" in English (the active language's
DECIMAL_SEPARATOR, from Django's format modules and `portal/formats/`). Templates use the
`euros`, `number` and `percent` filters (portal_tags), Python code these functions; dates go
through Django's `date` filter with SHORT_DATE_FORMAT (dd.mm.yyyy in et/ru)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import get_format

NO_VALUE = "—"


def separator() -> str:
    return get_format("DECIMAL_SEPARATOR")


def number(value, places: int | None = 2, sep: str | None = None) -> str:
    """12.5 → "12,50" (et, ru) / "12.50" (en); places=None drops trailing zeros: "12,5"."""
    if value is None or value == "":
        return NO_VALUE
    if places is None:
        value = Decimal(str(value)).normalize()
        text = f"{value:f}"
    else:
        text = f"{value:.{places}f}"
    sep = separator() if sep is None else sep
    return text if sep == "." else text.replace(".", sep)


def euros(amount, sep: str | None = None) -> str:
    """12.5 → "12,50 €" (et, ru) / "12.50 €" (en), "—" when there is no amount."""
    if amount is None or amount == "":
        return NO_VALUE
    return number(amount, 2, sep) + "\u00a0€"


def percent(value) -> str:
    """20 → "20 %", 12.5 → "12,5 %" (et, ru)."""
    if value is None or value == "":
        return NO_VALUE
    return number(value, None) + "\u00a0%"


def client_share(amount, share_percent) -> str:
    """The client's share as shown on price lists: "3,50 €", "20 %" or "" (not stated)."""
    if amount is not None:
        return euros(amount)
    if share_percent is not None:
        return percent(share_percent)
    return ""
