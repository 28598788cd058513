"""How to get the help through the API: offers carry their page, locations, eligibility, how
to apply and availability; /api/v1/locations/ lists service locations; the HSDS service has
locations with address, coordinates, accessibility and schedules, the application process,
required documents and the wait — all valid against the shipped HSDS 3.0 schemas."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import OpeningException
from tests.api.conftest import results
from tests.api.test_hsds import validate
from tests.factories import (
    AvailabilityFactory,
    EligibilityFactory,
    HowToApplyFactory,
    OfferFactory,
    OpeningHoursFactory,
    ServiceLocationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def access(directory):
    offer = directory.narva_respite
    location = ServiceLocationFactory(
        provider=offer.provider,
        municipality=directory.narva,
        name_et="Päevakeskus",
        name_ru="Дневной центр",
        street_address="Tallinna mnt 6",
        settlement="Narva linn",
        postal_code="20304",
        latitude=59.3772,
        longitude=28.1903,
        step_free_entrance=True,
        accessibility_note_et="Kaldtee hoovi poolt",
    )
    location.offers.add(offer)
    OpeningHoursFactory(location=location, weekday=0, opens=dt.time(9), closes=dt.time(17))
    OpeningHoursFactory(location=location, weekday=5, opens=dt.time(10), closes=dt.time(14))
    OpeningException.objects.create(
        location=location,
        starts=dt.date.today() + dt.timedelta(days=10),
        ends=dt.date.today() + dt.timedelta(days=12),
        note_et="pühad",
    )
    EligibilityFactory(offer=offer, age_min=18, age_max=64, remote=True, description_ru="Жители Нарвы")
    HowToApplyFactory(municipality=directory.narva, decision_days=10, documents_et="Taotlus\nPass")
    HowToApplyFactory(
        municipality=directory.narva,
        service=directory.home_care,
        decision_days=5,
        e_service_url="https://narva.example/koduteenus",
    )
    AvailabilityFactory(offer=offer, capacity=12, free_places=2, waiting_days=0)
    return location


def test_offers_carry_page_locations_eligibility_how_to_apply_and_availability(client, directory, access):
    rows = {row["id"]: row for row in results(client.get("/api/v1/offers/?municipality=narva-linn&lang=ru"))}
    respite = rows[directory.narva_respite.pk]
    assert respite["page_url"] == f"http://testserver/ru/offers/{directory.narva_respite.pk}/"
    assert respite["locations"] == [access.pk]
    assert respite["remote"] is True and respite["at_home"] is False
    assert respite["eligibility"]["age_min"] == 18
    assert respite["eligibility"]["description"] == "Жители Нарвы"
    assert respite["how_to_apply"]["is_default"] is True
    assert respite["how_to_apply"]["documents"] == ["Taotlus", "Pass"]
    assert respite["availability"] == {
        "capacity": 12,
        "free_places": 2,
        "waiting_days": 0,
        "as_of": (dt.date.today() - dt.timedelta(days=3)).isoformat(),
        "stale": False,
    }
    home = rows[directory.narva_home.pk]
    assert home["how_to_apply"]["service"] == "home-care"
    assert home["how_to_apply"]["decision_days"] == 5
    assert home["eligibility"] is None and home["availability"] is None


def test_offer_list_needs_no_query_per_offer(client, directory, access):
    for _ in range(5):
        offer = OfferFactory(municipality=directory.narva)
        EligibilityFactory(offer=offer)
        AvailabilityFactory(offer=offer)
        access.offers.add(offer)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/offers/?municipality=narva-linn&lang=en")
    for _ in range(5):
        offer = OfferFactory(municipality=directory.narva)
        EligibilityFactory(offer=offer)
        AvailabilityFactory(offer=offer)
        access.offers.add(offer)
    with CaptureQueriesContext(connection) as more:
        client.get("/api/v1/offers/?municipality=narva-linn&lang=en")
    assert len(more) <= len(few)


def test_locations_endpoint_lists_address_hours_and_accessibility(client, directory, access):
    rows = results(client.get("/api/v1/locations/?municipality=0511&lang=ru"))
    assert len(rows) == 1
    row = rows[0]
    assert row["name"] == "Дневной центр"
    assert row["address"] == "Tallinna mnt 6, Narva linn, Ida-Viru maakond, 20304"
    assert (row["latitude"], row["longitude"]) == (59.3772, 28.1903)
    assert row["accessibility"]["step_free_entrance"] is True
    assert row["accessibility"]["note"] == "Kaldtee hoovi poolt"
    assert [(h["weekday"], h["opens"], h["closes"]) for h in row["opening_hours"]] == [
        (0, "09:00", "17:00"),
        (5, "10:00", "14:00"),
    ]
    assert row["exceptions"][0]["closed"] is True
    assert row["offers"] == [directory.narva_respite.pk]
    detail = client.get(f"/api/v1/locations/{access.pk}/")
    assert detail.status_code == 200
    assert results(client.get("/api/v1/locations/?municipality=tartu-linn")) == []


def test_locations_endpoint_rejects_unknown_parameters_and_municipalities(client, access):
    assert client.get("/api/v1/locations/?nearby=1").status_code == 400
    assert client.get("/api/v1/locations/?municipality=atlantis").status_code == 400


def test_locations_and_new_offer_fields_are_in_the_openapi_schema(client, access):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/locations/" in schema["paths"]
    offer = schema["components"]["schemas"]["OfferWithAccess"]["properties"]
    for name in ["page_url", "locations", "at_home", "remote", "eligibility", "how_to_apply", "availability"]:
        assert name in offer, name


def test_hsds_service_has_locations_schedules_and_how_to_apply(client, directory, access):
    page = client.get("/api/hsds/services/").json()
    found = next(s for s in page["contents"] if s["alternate_name"] == "Asendushooldus")
    full = client.get(f"/api/hsds/services/{found['id']}/").json()
    validate(full, "service.json")
    validate(full, "compiled/service.json")
    assert full["minimum_age"] == 18 and full["maximum_age"] == 64
    assert "10" in full["application_process"]
    assert [d["document"] for d in full["required_documents"]] == ["Taotlus", "Pass"]
    assert "2" in full["wait_time"]
    place = [sal for sal in full["service_at_locations"] if sal["location"].get("addresses")][0]["location"]
    assert place["addresses"][0]["postal_code"] == "20304"
    assert place["addresses"][0]["country"] == "EE"
    assert place["latitude"] == 59.3772
    assert place["accessibility"][0]["details"] == "Kaldtee hoovi poolt"
    weekly = [s for s in place["schedules"] if s.get("freq") == "WEEKLY"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("MO", "09:00", "17:00"),
        ("SA", "10:00", "14:00"),
    ]
    assert any(s.get("valid_from") for s in place["schedules"])


def test_service_area_settlements_in_api_and_hsds(client, directory, access):
    from directory.models import ServiceArea, Settlement

    offer = directory.narva_respite
    joala = Settlement.objects.create(
        code="9004",
        name="Kreenholmi linnaosa",
        kind="linnaosa",
        municipality=directory.narva,
        latitude=59.36,
        longitude=28.19,
    )
    ServiceArea.objects.create(offer=offer).settlements.set([joala])
    row = client.get(f"/api/v1/offers/{offer.pk}/").json()
    assert row["service_area"] == [{"code": "9004", "name": "Kreenholmi linnaosa"}]
    found = next(
        s
        for s in client.get("/api/hsds/services/").json()["contents"]
        if s["alternate_name"] == "Asendushooldus"
    )
    full = client.get(f"/api/hsds/services/{found['id']}/").json()
    validate(full, "service.json")
    assert [(a["extent_type"], a["extent"]) for a in full["service_areas"]] == [("EHAK", "9004")]


def test_locations_open_on_weekends_or_evenings_and_nearest_first(client, directory, access):
    from directory.models import Settlement

    far = ServiceLocationFactory(
        provider=directory.narva_respite.provider,
        municipality=directory.tartu,
        street_address="Raekoja plats 1",
        settlement="Tartu linn",
        latitude=58.3806,
        longitude=26.7251,
    )
    OpeningHoursFactory(location=far, weekday=1, opens=dt.time(12), closes=dt.time(20))
    assert [r["id"] for r in results(client.get("/api/v1/locations/?open=weekend"))] == [access.pk]
    assert [r["id"] for r in results(client.get("/api/v1/locations/?open=evening"))] == [far.pk]
    Settlement.objects.create(
        code="9005",
        name="Elva linn",
        kind="vallasisene linn",
        municipality=directory.tartu,
        latitude=58.2226,
        longitude=26.4213,
    )
    assert [r["id"] for r in results(client.get("/api/v1/locations/?near=9005"))] == [far.pk, access.pk]
    assert [r["id"] for r in results(client.get("/api/v1/locations/?near=59.38,28.19"))] == [
        access.pk,
        far.pk,
    ]
    bad = client.get("/api/v1/locations/?near=9999&lang=en")
    assert bad.status_code == 400 and "9999" in bad.content.decode()
    assert client.get("/api/v1/locations/?near=60.17,24.94").status_code == 400  # Helsinki
    assert client.get("/api/v1/locations/?open=night").status_code == 400
