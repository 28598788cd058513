"""The price list's rows answer for the municipality, the date and the language asked for, though
the query they are read through is built once per process, language and day (portal.memo.kept_shape)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from directory.models import Offer
from directory.models.offers import today
from portal.listings import price_list_rows
from portal.memo import kept_shape
from tests.portal.builders import LAST_YEAR, THIS_YEAR, price

pytestmark = pytest.mark.django_db


def prices(municipality, day):
    rows = price_list_rows(municipality_id=municipality.pk, day=day)
    # The later start wins when two prices are in force, as on the page (the rows come in that order).
    return {row["id"]: row["price_now__price_individual"] for row in rows}


def test_the_price_list_follows_the_date_it_is_given(world):
    offer = world.offer(world.narva, world.respite, None)
    price(offer, "11.11", valid_from=LAST_YEAR)
    price(offer, "22.22", valid_from=THIS_YEAR)
    later = world.offer(world.narva, world.counselling, None)
    price(later, "33.33", valid_from=THIS_YEAR + dt.timedelta(days=2))

    before_new_year = prices(world.narva, THIS_YEAR - dt.timedelta(days=1))
    new_year = prices(world.narva, THIS_YEAR)
    two_days_on = prices(world.narva, THIS_YEAR + dt.timedelta(days=2))

    assert before_new_year[offer.pk] == Decimal("11.11")
    assert new_year[offer.pk] == Decimal("22.22")
    assert new_year[later.pk] is None, "offered, but no price in force yet"
    assert two_days_on[later.pk] == Decimal("33.33")
    assert two_days_on[offer.pk] == Decimal("22.22")


def test_the_price_list_answers_for_the_municipality_it_is_given(world):
    narva = world.offer(world.narva, world.respite, "10.00")
    johvi = world.offer(world.johvi, world.respite, "20.00")

    assert set(prices(world.narva, dt.date.today())) == {narva.pk}
    assert set(prices(world.johvi, dt.date.today())) == {johvi.pk}


def test_the_price_list_reads_the_active_language(world):
    offer = world.offer(world.narva, world.respite, "10.00", unit=world.visit)
    day = dt.date.today()

    units = {}
    for language in ("et", "ru", "en", "ru", "et"):
        with translation.override(language):
            (row,) = price_list_rows(municipality_id=world.narva.pk, day=day)
            units.setdefault(language, set()).add(row[f"price_now__unit__name_{language}"])
            assert row["id"] == offer.pk and row["price_now__valid_from"] <= day

    assert units == {"et": {"külastus"}, "ru": {"визит"}, "en": {"visit"}}


def test_a_kept_query_shape_is_built_once_per_arguments_and_read_afresh_on_every_call(world):
    built = []

    @kept_shape
    def offers_on(day):
        built.append(day)
        return Offer.objects.public(day).order_by("pk").values_list("pk", flat=True)

    day = today()
    assert list(offers_on(day).filter(municipality=world.narva)) == []
    offer = world.offer(world.narva, world.respite, "10.00")
    assert list(offers_on(day).filter(municipality=world.narva)) == [offer.pk], "read afresh, not kept"
    assert list(offers_on(day)) == [offer.pk]
    assert list(offers_on(day + dt.timedelta(days=1)).filter(municipality=world.johvi)) == []
    assert built == [day, day + dt.timedelta(days=1)], "one shape per day, built once"
