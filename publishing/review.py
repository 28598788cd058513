"""What a moderator compares before approving a price: the price it replaces and the change
in per cent, read for a whole queue in one query."""

from __future__ import annotations

from decimal import Decimal

from directory.models import Price

LARGE_CHANGE_PERCENT = Decimal("50")


def percent_change(old: Decimal | None, new: Decimal | None) -> Decimal | None:
    """+10.0 for 4.00 → 4.40; None when there is nothing to compare (or the old price was 0)."""
    if old is None or new is None or old == 0:
        return None
    return ((new - old) / old * 100).quantize(Decimal("0.1"))


def is_large_change(old: Decimal | None, new: Decimal | None) -> bool:
    """A change a person should confirm: to zero, or by half the old price or more."""
    if new is not None and new == 0:
        return True
    change = percent_change(old, new)
    return change is not None and abs(change) >= LARGE_CHANGE_PERCENT


def with_previous(prices) -> list[Price]:
    """Set `previous` (the published price in force the day before each price starts) and
    `change_individual` / `change_group` (per cent) on each price; one query."""
    prices = list(prices)
    offer_ids = {price.offer_id for price in prices}
    history: dict[int, list[Price]] = {}
    for row in (
        Price.objects.published().filter(offer_id__in=offer_ids).select_related("unit").order_by("valid_from")
    ):
        history.setdefault(row.offer_id, []).append(row)
    for price in prices:
        earlier = [
            row
            for row in history.get(price.offer_id, [])
            if row.valid_from < price.valid_from and row.pk != price.pk
        ]
        price.previous = earlier[-1] if earlier else None
        old = price.previous
        price.change_individual = percent_change(old and old.price_individual, price.price_individual)
        price.change_group = percent_change(old and old.price_group, price.price_group)
        price.large_change = bool(old) and (
            is_large_change(old.price_individual, price.price_individual)
            or is_large_change(old.price_group, price.price_group)
        )
    return prices
