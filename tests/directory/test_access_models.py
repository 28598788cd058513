"""Where, when, who qualifies, how to apply and how long the wait: bad input is refused with
a message in the user's language, and the database refuses what the model refuses."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from directory.models import Availability, HowToApply, OpeningHours, ServiceLocation
from tests.factories import (
    AvailabilityFactory,
    ComponentFactory,
    HowToApplyFactory,
    MunicipalityFactory,
    OfferFactory,
    OpeningHoursFactory,
    ServiceLocationFactory,
)

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def test_location_outside_estonia_is_refused_with_a_message_in_russian():
    location = ServiceLocationFactory.build(
        provider=OfferFactory().provider, municipality=MunicipalityFactory(), latitude=56.95, longitude=24.1
    )
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        location.full_clean()
    assert "не в Эстонии" in messages(error.value)


def test_database_refuses_coordinates_outside_estonia():
    location = ServiceLocationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceLocation.objects.filter(pk=location.pk).update(latitude=60.17, longitude=24.94)  # Helsinki


def test_swapped_coordinates_are_outside_estonia():
    location = ServiceLocationFactory.build(
        provider=OfferFactory().provider, municipality=MunicipalityFactory(), latitude=25.3, longitude=59.3
    )
    with pytest.raises(ValidationError):
        location.full_clean()


def test_inverted_opening_hours_are_refused_in_estonian_and_by_the_database():
    location = ServiceLocationFactory()
    hours = OpeningHours(location=location, weekday=0, opens=dt.time(16), closes=dt.time(9))
    with translation.override("et"), pytest.raises(ValidationError) as error:
        hours.full_clean()
    assert "peab olema pärast" in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        hours.save()


def test_overlapping_opening_hours_on_a_day_are_refused():
    first = OpeningHoursFactory(weekday=2, opens=dt.time(9), closes=dt.time(13))
    second = OpeningHours(location=first.location, weekday=2, opens=dt.time(12), closes=dt.time(16))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "overlap" in messages(error.value)
    # The same times on another day are fine.
    OpeningHours(location=first.location, weekday=3, opens=dt.time(12), closes=dt.time(16)).full_clean()


def test_application_links_must_be_http():
    how = HowToApplyFactory.build(municipality=MunicipalityFactory(), e_service_url="javascript:alert(1)")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        how.full_clean()
    assert "http://" in messages(error.value)
    how.e_service_url = "ftp://files.example/form.pdf"
    with pytest.raises(ValidationError):
        how.full_clean()


def test_one_default_way_to_apply_per_municipality():
    municipality = MunicipalityFactory()
    HowToApplyFactory(municipality=municipality)
    with pytest.raises(IntegrityError), transaction.atomic():
        HowToApply.objects.create(municipality=municipality)


def test_offer_takes_its_own_way_to_apply_else_the_municipality_default():
    offer = OfferFactory()
    default = HowToApplyFactory(municipality=offer.municipality)
    assert HowToApply.objects.for_offer(offer) == default
    own = HowToApplyFactory(municipality=offer.municipality, component=offer.component, decision_days=5)
    assert HowToApply.objects.for_offer(offer) == own
    other = OfferFactory(municipality=offer.municipality, component=ComponentFactory())
    assert HowToApply.objects.for_offer(other) == default


@pytest.mark.parametrize(
    ("values", "field", "text"),
    [
        ({"capacity": 10, "free_places": 12}, "free_places", "cannot be more than"),
        ({"capacity": -1, "free_places": 0}, "capacity", "greater than or equal to 0"),
        ({"as_of": dt.date.today() + dt.timedelta(days=2)}, "as_of", "in the future"),
        ({"free_places": None, "waiting_days": None}, "free_places", "or both"),
    ],
)
def test_bad_availability_is_refused(values, field, text):
    availability = AvailabilityFactory.build(offer=OfferFactory(), **values)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            availability.full_clean()
        assert field in error.value.message_dict
        assert text in " ".join(error.value.message_dict[field])


def test_database_refuses_more_free_places_than_capacity():
    availability = AvailabilityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Availability.objects.filter(pk=availability.pk).update(free_places=99)


def test_availability_is_stale_after_thirty_days():
    fresh = AvailabilityFactory(as_of=dt.date.today() - dt.timedelta(days=30))
    old = AvailabilityFactory(as_of=dt.date.today() - dt.timedelta(days=31))
    assert not fresh.is_stale
    assert old.is_stale


def test_demo_data_gives_every_municipality_a_way_to_apply_and_places(catalogue):
    from directory.demo import load_demo_data
    from directory.demo_access import load_access_demo_data
    from directory.models import Eligibility, Municipality, Settlement

    others = Municipality.objects.exclude(code__in=["narva-linn", "anija-vald", "ruhnu-vald"])
    Settlement.objects.filter(municipality__in=others).delete()
    others.delete()
    load_demo_data()
    first = load_access_demo_data()
    assert first["ways_to_apply"] == 3
    assert ServiceLocation.objects.filter(municipality__code="narva-linn").exists()
    assert first["locations"] > 0
    assert HowToApply.objects.defaults().filter(is_demo=True).count() == 3
    assert not Eligibility.objects.filter(is_demo=False).exists()
    for location in ServiceLocation.objects.all():
        location.full_clean()
        assert location.is_demo
        # On one of the municipality's settlements, a few hundred metres from its centroid.
        assert location.settlement.municipality == location.municipality
    assert load_access_demo_data() == {
        "ways_to_apply": 0,
        "locations": 0,
        "eligibility": 0,
        "availability": 0,
    }


def test_service_area_refuses_settlements_of_another_municipality():
    from directory.models import ServiceArea, Settlement

    offer = OfferFactory()
    here = Settlement.objects.create(
        code="9001",
        name="Aa küla",
        kind="küla",
        municipality=offer.municipality,
        latitude=59.4,
        longitude=27.0,
    )
    elsewhere = Settlement.objects.create(
        code="9002",
        name="Bb küla",
        kind="küla",
        municipality=MunicipalityFactory(),
        latitude=58.4,
        longitude=26.7,
    )
    area = ServiceArea.objects.create(offer=offer)
    assert area.is_whole_municipality
    area.check_settlements([here])
    with translation.override("en"), pytest.raises(ValidationError) as error:
        area.check_settlements([here, elsewhere])
    assert "Bb küla" in messages(error.value) and "Aa küla" not in messages(error.value)
