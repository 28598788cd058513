"""Demo data covers every municipality, has price history, and a second run adds nothing."""

import datetime as dt

import pytest

from directory.demo import load_demo_data
from directory.models import ContactPerson, Municipality, Offer, Price

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from directory.catalogue import load_catalogue

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            load_catalogue()
            counts = load_demo_data()
            yield counts
            transaction.set_rollback(True)


def test_every_municipality_has_offers_and_contacts(demo):
    for municipality in Municipality.objects.all():
        assert municipality.offers.exists(), municipality.code
        assert ContactPerson.objects.filter(municipality=municipality, role__code="social-worker").exists()


def test_demo_rows_are_marked_as_illustrative(demo):
    assert not Offer.objects.filter(is_demo=False).exists()
    assert not ContactPerson.objects.filter(is_demo=False).exists()
    assert all(c.email.endswith(".example") for c in ContactPerson.objects.all())
    assert all(c.phone.startswith("+372 ") for c in ContactPerson.objects.all())


def test_some_prices_are_superseded_history(demo):
    closed = Price.objects.published().filter(valid_to__isnull=False)
    assert closed.exists()
    for price in closed[:50]:
        successor = price.offer.prices.published().get(valid_from=price.valid_to + dt.timedelta(days=1))
        assert successor.price_individual > price.price_individual, "demo prices rise over time"


def test_prices_are_calibrated_to_published_ranges(demo):
    home_care = Price.objects.current().filter(offer__service__code="home-care", unit__code="hour")
    assert home_care.exists()
    for price in home_care:
        assert 2 <= price.price_individual <= 15, price
    care_home = Price.objects.current().filter(offer__service__code="general-care", unit__code="month")
    for price in care_home:
        assert 700 <= price.price_individual <= 2000, price


def test_a_second_run_creates_nothing(demo):
    before = (Offer.objects.count(), Price.objects.count(), ContactPerson.objects.count())
    counts = load_demo_data()
    assert counts["offers"] == 0
    assert (Offer.objects.count(), Price.objects.count(), ContactPerson.objects.count()) == before
