"""The read endpoints: lookups by code and EHAK code, filters, dates, history and languages."""

import datetime as dt

import pytest
import time_machine

from tests.api.conftest import results
from tests.api.factories import JourneyFactory, JourneyStepFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_municipality_is_found_by_code_and_by_ehak_code(client, directory):
    by_code = client.get("/api/v1/municipalities/narva-linn/").json()
    by_ehak = client.get("/api/v1/municipalities/0511/").json()
    assert by_code == by_ehak
    assert by_code["code"] == "narva-linn" and by_code["ehak"] == "0511"
    assert by_code["county"] == "ida-viru"
    assert by_code["page_url"].endswith("/et/kov/narva-linn/")


def test_lists_are_ordered_by_code_and_paginated(client, directory):
    page = client.get("/api/v1/municipalities/?page_size=1").json()
    assert page["count"] == 2
    assert [m["code"] for m in page["results"]] == ["narva-linn"]
    second = client.get(page["next"]).json()
    assert [m["code"] for m in second["results"]] == ["tartu-linn"]
    assert second["next"] is None


@pytest.mark.parametrize("page", ["", "x", "0", "-1"])
def test_a_page_that_is_not_a_whole_number_from_1_is_refused(client, directory, page):
    response = client.get("/api/v1/offers/", {"page": page, "lang": "et"})
    assert response.status_code == 400
    assert "page" in response.content.decode()


def test_translated_fields_follow_lang_parameter_then_accept_language(client, directory):
    assert client.get("/api/v1/municipalities/narva-linn/?lang=ru").json()["name"] == "город Нарва"
    response = client.get("/api/v1/municipalities/narva-linn/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response.json()["name"] == "Narva"
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]
    lang_wins = client.get("/api/v1/municipalities/narva-linn/?lang=et", HTTP_ACCEPT_LANGUAGE="ru")
    assert lang_wins.json()["name"] == "Narva linn"


def test_missing_translation_falls_back_to_estonian(client, directory):
    tartu = client.get("/api/v1/municipalities/tartu-linn/?lang=ru").json()
    assert tartu["name"] == "Tartu linn"


def test_unknown_code_in_path_is_a_json_404_in_the_request_language(client, directory):
    response = client.get("/api/v1/components/no-such-thing/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    body = response.json()
    assert body["status"] == 404 and "no-such-thing" in body["message"]
    assert body["message"].startswith("Не найдено")


def test_unknown_api_address_is_a_json_404(client, db):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == 404


def test_offers_filter_by_municipality_ehak_component_service_county_and_language(client, directory):
    def ids(query):
        return {o["id"] for o in results(client.get(f"/api/v1/offers/?{query}"))}

    d = directory
    assert ids("municipality=0511") == {d.narva_respite.pk, d.narva_home.pk}
    assert ids("municipality=narva-linn&component=respite-care") == {d.narva_respite.pk}
    assert ids("service=home-care") == {d.narva_home.pk}
    assert ids("county=tartu") == {d.tartu_support.pk}
    assert ids("language=ru") == {d.narva_respite.pk, d.narva_home.pk}


def test_offer_carries_the_price_in_force_on_the_date(client, directory):
    offer = client.get(f"/api/v1/offers/{directory.narva_respite.pk}/").json()
    assert offer["component"] == "respite-care" and offer["service"] is None
    assert offer["price"]["price_individual"] == "9.50"
    earlier = client.get("/api/v1/offers/?municipality=narva-linn&component=respite-care&on=2024-03-01")
    assert results(earlier)[0]["price"]["price_individual"] == "8.00"


def test_prices_default_to_those_in_force_today(client, directory):
    prices = results(client.get("/api/v1/prices/?municipality=narva-linn&component=respite-care"))
    assert [p["price_individual"] for p in prices] == ["9.50"]
    assert prices[0]["currency"] == "EUR" and prices[0]["unit"] == "hour"


def test_prices_on_a_date_answer_what_it_cost_then(client, directory):
    prices = results(client.get("/api/v1/prices/?component=respite-care&on=2024-03-01"))
    assert [p["price_individual"] for p in prices] == ["8.00"]
    assert prices[0]["valid_to"] == "2024-12-31"


def test_price_history_lists_every_published_version_but_never_drafts(client, directory):
    prices = results(client.get("/api/v1/prices/?component=respite-care&history=1"))
    assert [p["price_individual"] for p in prices] == ["8.00", "9.50"]
    assert client.get(f"/api/v1/prices/{directory.draft.pk}/").status_code == 404


def test_contacts_on_a_date_and_history(client, directory):
    now = results(client.get("/api/v1/contacts/?municipality=narva-linn&role=care-coordinator"))
    assert [c["name"] for c in now] == ["Olga Petrova"]
    then = results(client.get("/api/v1/contacts/?municipality=narva-linn&on=2022-05-05"))
    assert "Jaan Vana" in [c["name"] for c in then]
    history = results(client.get("/api/v1/contacts/?municipality=narva-linn&history=1"))
    assert {c["name"] for c in history} == {"Olga Petrova", "Jaan Vana"}


def test_discharge_planner_finds_the_care_coordinator_in_one_call(client, directory):
    response = client.get("/api/v1/municipalities/0511/contacts/?role=care-coordinator&lang=en")
    contacts = results(response)
    assert [(c["name"], c["phone"], c["role_name"]) for c in contacts] == [
        ("Olga Petrova", "+372 359 9000", "Care coordinator")
    ]


@pytest.mark.parametrize(
    "query,param,fragment",
    [
        ("/api/v1/prices/?on=2025-13-01", "on", "2025-13-01"),
        ("/api/v1/prices/?on=yesterday", "on", "YYYY-MM-DD"),
        ("/api/v1/offers/?municipality=atlantis", "municipality", "atlantis"),
        ("/api/v1/contacts/?role=wizard", "role", "wizard"),
        ("/api/v1/offers/?language=xx", "language", "xx"),
        ("/api/v1/prices/?history=maybe", "history", "history=1"),
        ("/api/v1/offers/?colour=blue", "colour", "municipality"),
        ("/api/v1/offers/?provider=99999999999999999999999", "provider", ""),
        ("/api/v1/municipalities/0511/contacts/?role=wizard", "role", "wizard"),
        ("/api/v1/counties/?lang=fr", "lang", "et, ru, en"),
    ],
)
def test_bad_input_is_a_400_saying_what_is_wrong(client, directory, query, param, fragment):
    response = client.get(query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == 400 and param in body["errors"]
    assert fragment in body["message"]


def test_error_messages_follow_the_request_language(client, directory):
    ru = client.get("/api/v1/offers/?municipality=atlantis", HTTP_ACCEPT_LANGUAGE="ru").json()
    et = client.get("/api/v1/offers/?municipality=atlantis&lang=et").json()
    assert "Неизвестный код" in ru["message"]
    assert "Tundmatu kood" in et["message"]


def test_null_characters_are_refused_not_a_server_error(client, directory):
    response = client.get("/api/v1/offers/?municipality=%00")
    assert response.status_code == 400


def test_journeys_come_with_their_ordered_steps(client, directory):
    group = TargetGroupFactory(code="older-people")
    journey = JourneyFactory(code="leaving-hospital", title_et="Haiglast koju")
    journey.target_groups.add(group)
    JourneyStepFactory(journey=journey, position=2, title_et="Teine", actor=directory.care)
    JourneyStepFactory(journey=journey, position=1, title_et="Esimene", actor=directory.social)
    body = client.get("/api/v1/journeys/leaving-hospital/").json()
    assert body["target_groups"] == ["older-people"]
    assert [(s["position"], s["title"], s["actor"]) for s in body["steps"]] == [
        (1, "Esimene", "social-worker"),
        (2, "Teine", "care-coordinator"),
    ]
    assert [j["code"] for j in results(client.get("/api/v1/journeys/?target_group=older-people"))] == [
        "leaving-hospital"
    ]


@pytest.mark.parametrize(
    "endpoint",
    [
        "counties",
        "tiers",
        "domains",
        "components",
        "services",
        "target-groups",
        "roles",
        "units",
        "providers",
    ],
)
def test_catalogue_lists_answer(client, directory, endpoint):
    TargetGroupFactory(code="older-people")
    response = client.get(f"/api/v1/{endpoint}/")
    assert response.status_code == 200
    assert response.json()["count"] >= 1
