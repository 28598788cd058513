"""Publishing many prices at once (`Price.objects...publish()`, what a moderator's batch
approval uses) ends in exactly the history that publishing them one by one would, in a fixed
number of queries, and all or nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from directory.models import ClosedPriceError, Price, PriceStatus
from directory.signals import bulk_saved
from tests.factories import OfferFactory, PriceFactory, UnitFactory, published_price

pytestmark = pytest.mark.django_db

D = dt.date


def history(offer):
    return [
        (p.valid_from, p.valid_to, p.price_individual, p.status)
        for p in offer.prices.order_by("valid_from", "pk")
    ]


def offer_with_pending(unit, dates):
    """An offer with a published price (with an end date of its own) and pending prices for `dates`."""
    offer = OfferFactory()
    published_price(offer, D(2020, 1, 1), "5.00", unit=unit, valid_to=D(2030, 12, 31))
    for n, date in enumerate(dates):
        PriceFactory(
            offer=offer, unit=unit, valid_from=date, price_individual=Decimal(10 + n), status="pending"
        )
    return offer


def test_batch_gives_the_same_history_as_one_by_one():
    unit = UnitFactory()
    dates = [D(2026, 1, 1), D(2024, 7, 1), D(2025, 1, 1)]  # not in date order on purpose
    one_by_one = offer_with_pending(unit, dates)
    batch = offer_with_pending(unit, dates)
    other = offer_with_pending(unit, [D(2024, 3, 1)])

    for price in one_by_one.prices.filter(status="pending").order_by("valid_from"):
        price.publish()
    published = Price.objects.filter(offer__in=[batch, other], status="pending").publish()

    assert len(published) == 4
    assert history(batch) == history(one_by_one)
    assert history(batch) == [
        (D(2020, 1, 1), D(2024, 6, 30), Decimal("5.00"), "published"),
        (D(2024, 7, 1), D(2024, 12, 31), Decimal("11.00"), "published"),
        (D(2025, 1, 1), D(2025, 12, 31), Decimal("12.00"), "published"),
        (D(2026, 1, 1), None, Decimal("10.00"), "published"),
    ]
    assert history(other)[0][1] == D(2024, 2, 29)
    assert all(p.published_at for p in batch.prices.all())


def test_one_bad_price_leaves_the_whole_batch_unpublished():
    unit = UnitFactory()
    good = offer_with_pending(unit, [D(2025, 1, 1)])
    bad = offer_with_pending(unit, [D(2025, 1, 1)])
    published_price(bad, D(2026, 1, 1), "20.00", unit=unit)  # now the pending one would start before it
    before = history(good), history(bad)

    with pytest.raises(ClosedPriceError):
        Price.objects.filter(status="pending").publish()

    assert (history(good), history(bad)) == before


@pytest.mark.parametrize("offers", [3, 30])
def test_a_fixed_number_of_queries_however_many_prices(offers, django_assert_max_num_queries):
    unit = UnitFactory()
    for _ in range(offers):
        offer_with_pending(unit, [D(2025, 1, 1), D(2026, 1, 1)])
    with django_assert_max_num_queries(8):
        published = Price.objects.filter(status="pending").publish()
    assert len(published) == offers * 2
    assert not Price.objects.filter(status=PriceStatus.PENDING).exists()


def test_listeners_hear_once_about_every_price_written():
    unit = UnitFactory()
    offer = offer_with_pending(unit, [D(2025, 1, 1)])
    heard = []

    def listener(sender, instances, **kwargs):
        heard.append(sorted((p.valid_from, p.valid_to) for p in instances))

    bulk_saved.connect(listener, sender=Price)
    try:
        Price.objects.filter(offer=offer).publish()
    finally:
        bulk_saved.disconnect(listener, sender=Price)
    assert heard == [[(D(2020, 1, 1), D(2024, 12, 31)), (D(2025, 1, 1), None)]]
