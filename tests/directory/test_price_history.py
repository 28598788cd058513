"""Price history is append-only: a new price closes the old one, published rows are fixed,
and the price on any past date is one query."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from directory.models import ClosedPriceError, Price, PublishedPriceError
from tests.factories import OfferFactory, PriceFactory, published_price

pytestmark = pytest.mark.django_db

D = dt.date


def test_publishing_a_new_price_closes_the_previous_one_the_day_before():
    offer = OfferFactory()
    old = published_price(offer, D(2024, 1, 1), "10.00")
    new = published_price(offer, D(2025, 3, 1), "12.50")

    old.refresh_from_db()
    assert old.valid_to == D(2025, 2, 28)
    assert new.valid_to is None
    assert old.price_individual == Decimal("10.00"), "the old amount is kept as history"


def test_price_on_a_past_date_is_the_one_then_in_force():
    offer = OfferFactory()
    published_price(offer, D(2023, 1, 1), "8.00")
    published_price(offer, D(2024, 1, 1), "9.00")
    published_price(offer, D(2025, 1, 1), "11.00")

    assert offer.price_on(D(2022, 12, 31)) is None
    assert offer.price_on(D(2023, 6, 1)).price_individual == Decimal("8.00")
    assert offer.price_on(D(2024, 12, 31)).price_individual == Decimal("9.00")
    assert offer.price_on(D(2025, 3, 1)).price_individual == Decimal("11.00")


def test_price_on_a_date_is_a_single_query(django_assert_num_queries):
    offer = OfferFactory()
    published_price(offer, D(2024, 1, 1), "9.00")
    published_price(offer, D(2025, 1, 1), "11.00")
    with django_assert_num_queries(1):
        prices = list(Price.objects.on(D(2025, 3, 1)).filter(offer=offer))
    assert [p.price_individual for p in prices] == [Decimal("11.00")]


def test_a_future_price_takes_effect_on_its_date():
    offer = OfferFactory()
    published_price(offer, D(2024, 1, 1), "9.00")
    published_price(offer, D(2099, 1, 1), "99.00")
    assert offer.price_on(D(2098, 12, 31)).price_individual == Decimal("9.00")
    assert offer.price_on(D(2099, 1, 1)).price_individual == Decimal("99.00")


def test_a_published_price_cannot_be_edited_in_place():
    price = published_price(OfferFactory(), D(2024, 1, 1), "9.00")
    price.price_individual = Decimal("1.00")
    with pytest.raises(PublishedPriceError):
        price.save()
    price.refresh_from_db()
    assert price.price_individual == Decimal("9.00")


def test_a_published_price_cannot_be_reopened_or_have_its_dates_moved():
    offer = OfferFactory()
    old = published_price(offer, D(2024, 1, 1), "9.00")
    published_price(offer, D(2025, 1, 1), "10.00")
    old.refresh_from_db()
    old.valid_to = None
    with pytest.raises(PublishedPriceError):
        old.save()
    old.refresh_from_db()
    old.valid_from = D(2023, 1, 1)
    with pytest.raises(PublishedPriceError):
        old.save()


def test_a_published_price_cannot_be_deleted_one_by_one_or_in_bulk():
    price = published_price(OfferFactory(), D(2024, 1, 1), "9.00")
    with pytest.raises(PublishedPriceError):
        price.delete()
    with pytest.raises(PublishedPriceError):
        Price.objects.filter(pk=price.pk).delete()
    with pytest.raises(PublishedPriceError):
        Price.objects.filter(pk=price.pk).update(price_individual=Decimal("1"))
    assert Price.objects.get(pk=price.pk).price_individual == Decimal("9.00")


def test_a_draft_may_be_edited_and_deleted():
    draft = PriceFactory()
    draft.price_individual = Decimal("5.00")
    draft.save()
    draft.delete()
    assert not Price.objects.exists()


def test_drafts_are_not_in_force():
    offer = OfferFactory()
    PriceFactory(offer=offer, valid_from=D(2024, 1, 1))
    assert offer.price_on(D(2024, 6, 1)) is None


def test_a_new_price_cannot_start_on_or_before_a_published_one():
    offer = OfferFactory()
    published_price(offer, D(2025, 1, 1), "9.00")
    with pytest.raises(ClosedPriceError):
        published_price(offer, D(2025, 1, 1), "10.00")
    with pytest.raises(ClosedPriceError):
        published_price(offer, D(2024, 6, 1), "10.00")
    assert offer.prices.published().count() == 1


def test_withdrawing_an_offer_ends_it_and_its_price():
    offer = OfferFactory()
    price = published_price(offer, D(2024, 1, 1), "9.00")
    offer.withdraw(D(2025, 6, 30))
    price.refresh_from_db()
    offer.refresh_from_db()
    assert offer.valid_to == D(2025, 6, 30)
    assert price.valid_to == D(2025, 6, 30)
    assert offer.price_on(D(2025, 7, 1)) is None
    assert offer.price_on(D(2025, 6, 30)).price_individual == Decimal("9.00")


def test_a_price_needs_an_amount_and_one_kind_of_client_share():
    offer = OfferFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceFactory(offer=offer, price_individual=None, price_group=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriceFactory(offer=offer, client_share_amount=Decimal("2"), client_share_percent=Decimal("10"))


def test_group_only_price_is_allowed():
    price = PriceFactory(price_individual=None, price_group=Decimal("4.00")).publish()
    assert price.price_group == Decimal("4.00")
    assert price.currency == "EUR"
