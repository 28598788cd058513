"""GET /api/v1/search/: the public contract, its errors, and the search log it writes."""

from contextlib import contextmanager

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from search.models import SearchLog
from search.params import read_search_request
from search.service import search


def test_results_follow_the_public_contract(world, api):
    response = api(q="koduteenus", lang="et")
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "koduteenus"
    assert set(body["facets"]) >= {"kind", "municipality", "county", "target_group", "domain"}
    first = body["results"][0]
    assert {k: first[k] for k in ("kind", "code", "title")} == {
        "kind": "service",
        "code": "home-care",
        "title": "Koduteenus",
    }
    assert first["url"].endswith("/et/services/home-care/")
    assert first["snippet"]


def test_an_offer_carries_its_entrys_code_its_municipality_and_price(world, api):
    body = api(q="koduteenus", municipality="narva-linn", lang="en").json()
    offer = body["results"][0]
    assert offer["kind"] == "offer"
    assert offer["code"] == "home-care"
    assert offer["municipality"] == "narva-linn"
    assert offer["price"]["price_individual"] == "6.50"
    assert offer["price"]["unit"] == "hour"


def test_county_may_be_given_by_code_or_by_ehak_code(world, api):
    by_code = api(q="narva", county="ida-viru-maakond").json()
    by_ehak = api(q="narva", county="0045").json()
    assert by_code["results"] == by_ehak["results"]
    assert by_code["results"][0]["code"] == "narva-linn"
    assert api(q="narva", county="tartu-maakond").json()["results"] == []


def test_limit_caps_the_number_of_results(world, api):
    assert len(api(q="teenus", limit=3).json()["results"]) == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "abi", "limit": "0"}, "limit"),
        ({"q": "abi", "limit": "51"}, "limit"),
        ({"q": "abi", "limit": "kümme"}, "limit"),
        ({"q": "abi", "municipality": "atlantis"}, "municipality"),
        ({"q": "abi", "county": "9999"}, "county"),
        ({"q": "abi", "target_group": "martians"}, "target_group"),
        ({"q": "abi", "domain": "space"}, "domain"),
        ({"q": "abi", "kind": "recipe"}, "kind"),
        ({"q": "abi", "lang": "fi"}, "lang"),
        ({"q": "x" * 201}, "q"),
        ({}, "q"),
    ],
)
def test_bad_parameters_get_400_naming_the_parameter(world, api, params, field):
    response = api(**params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_errors_are_in_the_requested_language(world, api):
    body = api(q="abi", municipality="atlantis", lang="ru").json()
    (message,) = body["errors"]["municipality"]
    assert "atlantis" in message
    assert "Неизвестный" in message


def test_errors_have_the_same_body_as_the_rest_of_the_api(world, api, client):
    search_error = api(q="abi", kind="recipe", lang="en").json()
    other_error = client.get("/api/v1/offers/", {"municipality": "atlantis", "lang": "en"}).json()
    assert set(search_error) == set(other_error) == {"status", "code", "message", "errors", "request_id"}
    assert search_error["status"] == 400
    assert search_error["code"] == "invalid"
    assert search_error["message"].startswith("kind: ")


def test_a_null_character_is_refused_with_a_message(world, api):
    response = api(q="a\x00b", lang="en")
    assert response.status_code == 400
    assert response.json()["errors"]["q"] == ["Null characters are not allowed."]


def test_the_search_api_is_in_the_openapi_schema(client, db):
    # The schema lists the catalogue codes that exist (api.spectacular.precise_parameters),
    # so serving it reads the database.
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "lang", "municipality", "county", "target_group", "domain", "kind", "limit"} <= names


@pytest.mark.parametrize(
    "text",
    ['" OR * NEAR(a b) AND -- ;', "a\x07b", "💡🏠", "'; DROP TABLE x; --", "ö" * 200, "()[]{}^~:"],
)
def test_odd_input_never_breaks_search(world, api, text):
    assert api(q=text).status_code == 200


def test_every_search_is_logged_without_personal_data(world, api):
    api(q="koduteenus Mari 38001085718 +372 5123 4567 mari@example.com", municipality="narva-linn")
    entry = SearchLog.objects.get()
    assert entry.query == "koduteenus mari"
    assert entry.municipality == "narva-linn"
    assert entry.result_count > 0 and entry.top_score > SearchLog.POOR_SCORE
    assert not SearchLog.objects.poor().exists()


def test_a_search_that_finds_nothing_is_a_poor_search(world, api):
    api(q="xqzvbnmplk")
    entry = SearchLog.objects.get()
    assert (entry.result_count, entry.top_score) == (0, None)
    assert list(SearchLog.objects.poor()) == [entry]


def test_offset_pages_through_the_results_and_is_documented(world, api, client):
    first = api(q="teenus", lang="et", limit=5).json()
    second = api(q="teenus", lang="et", limit=5, offset=5).json()
    assert first["offset"] == 0 and second["offset"] == 5 and first["limit"] == 5
    assert first["total"] == second["total"]
    assert not {r["url"] for r in first["results"]} & {r["url"] for r in second["results"]}
    assert api(q="teenus", lang="et", offset=-1).status_code == 400
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert "offset" in {parameter["name"] for parameter in operation["parameters"]}


def test_a_whole_name_outranks_partial_word_matches(world, api):
    results = api(q="уход на дому", lang="ru", municipality="narva-linn").json()["results"]
    entries = [r["code"] for r in results if r["kind"] in ("service", "component")]
    assert entries[0] == "home-care"  # "Уход на дому", before the care home "вне дома"
    assert results[0]["kind"] == "offer" and results[0]["code"] == "home-care"


@contextmanager
def serving_a_request():
    """request_started … request_finished around the block, as a WSGI server sends them (without
    closing the test's database connection, as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None, environ={"REQUEST_METHOD": "GET"})
        try:
            yield
        finally:
            request_finished.send(sender=None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_searches_made_while_serving_a_request_are_logged_once_its_response_is_sent(world):
    with serving_a_request():
        search(read_search_request({"q": "koduteenus"}, "et"))
        search(read_search_request({"q": "invatakso", "municipality": "narva-linn"}, "et"))
        assert not SearchLog.objects.exists()  # not while the answer is on its way
    assert sorted(SearchLog.objects.values_list("query", "municipality")) == [
        ("invatakso", "narva-linn"),
        ("koduteenus", ""),
    ]


def test_a_search_outside_a_request_is_logged_at_once(world):
    search(read_search_request({"q": "koduteenus"}, "et"))
    assert SearchLog.objects.get().query == "koduteenus"
