"""The HSDS API as a standard HSDS 3.0 client calls it: the paths and query parameters of the
specification's OpenAPI document (api/hsds/schema/openapi30), ndjson, and what a partner
mirroring services relies on (status, last_modified, the service's own page)."""

import datetime as dt
import json

import pytest

from directory import models as m
from tests.factories import published_price

from .test_hsds import validate, validate_page

pytestmark = pytest.mark.django_db

SPEC_LISTS = ["services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms"]


def contents(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["contents"]


def service_named(client, name: str, url="/api/hsds/services?full=true") -> dict:
    return next(s for s in contents(client, url) if s["alternate_name"] == name)


@pytest.mark.parametrize("kind", SPEC_LISTS)
def test_every_path_answers_with_and_without_a_trailing_slash(client, directory, kind):
    bare, slashed = client.get(f"/api/hsds/{kind}"), client.get(f"/api/hsds/{kind}/")
    assert bare.status_code == slashed.status_code == 200
    first = bare.json()["contents"][0]["id"]
    assert client.get(f"/api/hsds/{kind}/{first}").status_code == 200
    assert client.get(f"/api/hsds/{kind}/{first}/").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "search=asendus",
        "page=0",
        "per_page=0",
        "per_page=100000",
        "format=json",
        "taxonomy_term_id=not-a-uuid",
        "taxonomy_id=00000000-0000-0000-0000-000000000000",
        "organization_id=x",
        "modified_after=2020-01-01T00:00:00Z",
        "minimal=true",
        "full=false",
    ],
)
def test_every_service_parameter_of_the_spec_is_understood(client, directory, query):
    response = client.get(f"/api/hsds/services?{query}")
    assert response.status_code == 200, response.content
    validate_page(response.json(), "compiled/service_list.json")


def test_search_taxonomy_and_organization_filters_select_services(client, directory):
    assert [s["alternate_name"] for s in contents(client, "/api/hsds/services?search=asendus")] == [
        "Asendushooldus"
    ]
    taxonomies = {t["name"]: t["id"] for t in contents(client, "/api/hsds/taxonomies")}
    services_tax = next(v for k, v in taxonomies.items() if "social services" in k)
    found = contents(client, f"/api/hsds/services?taxonomy_id={services_tax}")
    assert [s["alternate_name"] for s in found] == ["Koduteenus"]
    narva = next(o for o in contents(client, "/api/hsds/organizations") if o["name"] == "Narva linn")
    assert len(contents(client, f"/api/hsds/services?organization_id={narva['id']}")) == 2
    top = contents(client, "/api/hsds/taxonomy_terms?top_only=true")
    assert top and all("parent_id" not in t for t in top)


def test_ndjson_streams_every_result_without_pagination(client, directory):
    response = client.get("/api/hsds/services?format=ndjson&per_page=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 3
    for line in lines:
        validate(json.loads(line), "compiled/service_list.json")


def test_last_modified_and_modified_after_follow_a_new_price(client, directory):
    before = service_named(client, "Asendushooldus")["last_modified"]
    published_price(directory.narva_respite, dt.date(2026, 9, 1), "12.00")
    after = service_named(client, "Asendushooldus")
    assert after["last_modified"] > before
    assert any(o["amount"] == 12.0 for o in after["cost_options"])
    since = contents(client, f"/api/hsds/services?modified_after={after['last_modified']}")
    assert [s["alternate_name"] for s in since] == ["Asendushooldus"]


def test_a_withdrawn_service_stays_inactive_with_its_prices(client, directory):
    directory.narva_respite.withdraw(dt.date(2025, 1, 31))
    service = service_named(client, "Asendushooldus")
    assert service["status"] == "inactive"
    assert {o["amount"] for o in service["cost_options"]} == {8.0, 9.5}
    assert client.get(f"/api/hsds/services/{service['id']}").json()["status"] == "inactive"


def test_a_service_links_its_own_offer_page_and_reads_as_hsds(client, directory):
    service = service_named(client, "Asendushooldus")
    validate(service, "compiled/service.json")
    assert service["url"].endswith(directory.narva_respite.get_absolute_url())
    area = service["service_areas"][0]
    assert area["extent_type"] == "text" and "0511" in area["extent"]


def test_reception_hours_are_schedules(client, directory):
    m.ContactPerson.objects.filter(pk=directory.coordinator.pk).update(reception_hours="E–N 9–16")
    sal = service_named(client, "Asendushooldus")["service_at_locations"][0]
    assert any(
        "E–N 9–16" in s["description"] and "Olga Petrova" in s["description"] for s in sal["schedules"]
    )
    validate(sal, "service_at_location.json")


def test_organizations_carry_their_services_when_asked(client, directory):
    narva = next(o for o in contents(client, "/api/hsds/organizations") if o["name"] == "Narva linn")
    detail = client.get(f"/api/hsds/organizations/{narva['id']}").json()
    assert len(detail["services"]) == 2 and all("cost_options" not in s for s in detail["services"])
    full = client.get(f"/api/hsds/organizations/{narva['id']}?full_service=true").json()
    assert all(s["cost_options"] for s in full["services"])
    listed = contents(client, "/api/hsds/organizations?full_service=true&search=narva")
    assert [len(o["services"]) for o in listed] == [2]
    validate(full, "organization.json")


def test_proximity_finds_services_near_a_point(client, directory):
    directory.narva.latitude, directory.narva.longitude = 59.377, 28.19
    directory.narva.save()
    near = contents(client, "/api/hsds/service_at_locations?proximity=59.38,28.2,5000")
    assert len(near) == 2
    assert contents(client, "/api/hsds/service_at_locations?proximity=58.38,26.72,5000") == []


def test_idn_websites_are_punycode_uris(client, directory):
    directory.narva.website = "https://jõgeva.ee/sotsiaalabi"
    directory.narva.save()
    narva = next(o for o in contents(client, "/api/hsds/organizations") if o["name"] == "Narva linn")
    assert narva["website"] == "https://xn--jgeva-dua.ee/sotsiaalabi"
    validate(narva, "organization.json")


def test_the_openapi_document_is_served_with_local_schemas(client, directory):
    document = client.get("/api/hsds/openapi.json").json()
    refs = json.dumps(document)
    assert "raw.githubusercontent.com" not in refs and "/api/hsds/schema/compiled/service.json" in refs
    assert client.get("/api/hsds/schema/compiled/service.json").json()["properties"]["cost_options"]
    assert client.get("/api/hsds/schema/../settings.json").status_code == 404
