"""The HSDS 3.0 view validates against the Open Referral schemas shipped in api/hsds/schema."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "api" / "hsds" / "schema" / "schema"
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.rglob("*.json"):
        contents = json.loads(path.read_text())
        uri = BASE + path.relative_to(SCHEMA_DIR).as_posix()
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validate(instance, schema_file: str) -> None:
    validator = Draft202012Validator(
        {"$ref": BASE + schema_file}, registry=REGISTRY, format_checker=FormatChecker()
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def validate_page(body: dict, item_schema: str) -> None:
    for key in ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"]:
        assert key in body
    for item in body["contents"]:
        validate(item, item_schema)


def test_services_validate_as_hsds_service_list_and_full_service(client, directory):
    page = client.get("/api/hsds/services/").json()
    assert page["total_items"] == 3 and len(page["contents"]) == 3
    validate_page(page, "compiled/service_list.json")

    respite = next(s for s in page["contents"] if s["alternate_name"] == "Asendushooldus")
    full = client.get(f"/api/hsds/services/{respite['id']}/").json()
    validate(full, "service.json")
    validate(full, "compiled/service.json")
    assert full["status"] == "active"
    assert {o["amount"] for o in full["cost_options"]} == {8.0, 9.5}
    assert all(o["currency"] == "EUR" for o in full["cost_options"])
    assert {lang["code"] for lang in full["languages"]} == {"et", "ru"}
    assert "respite-care" in {a["taxonomy_term"]["code"] for a in full["attributes"]}
    sal = full["service_at_locations"][0]
    assert sal["location"]["external_identifier"] == "0511"
    names = {c["name"] for c in sal["contacts"]}
    assert "Olga Petrova" in names and "Jaan Vana" not in names, "only contacts in post today"
    text = json.dumps(full)
    assert "5555 0101" not in text and "5555 0102" not in text, "professional phones never public"


def test_ids_are_stable_uuids(client, directory):
    first = client.get("/api/hsds/services/").json()["contents"]
    again = client.get("/api/hsds/services/").json()["contents"]
    assert [s["id"] for s in first] == [s["id"] for s in again]


def test_organizations_are_providers_and_municipalities(client, directory):
    page = client.get("/api/hsds/organizations/").json()
    validate_page(page, "compiled/organization_list.json")
    names = {o["name"] for o in page["contents"]}
    assert {"Narva linn", "Tartu linn"} <= names
    narva = next(o for o in page["contents"] if o["name"] == "Narva linn")
    full = client.get(f"/api/hsds/organizations/{narva['id']}/").json()
    validate(full, "organization.json")
    assert full["organization_identifiers"][0]["identifier"] == "0511"
    assert [p["number"] for c in full["contacts"] for p in c["phones"]] == ["+372 359 9000"]


def test_service_at_locations_and_taxonomy_validate(client, directory):
    validate_page(
        client.get("/api/hsds/service_at_locations/").json(), "compiled/service_at_location_list.json"
    )
    one = client.get("/api/hsds/service_at_locations/").json()["contents"][0]
    validate(client.get(f"/api/hsds/service_at_locations/{one['id']}/").json(), "service_at_location.json")

    taxonomies = client.get("/api/hsds/taxonomies/").json()
    validate_page(taxonomies, "taxonomy.json")
    terms = client.get("/api/hsds/taxonomy_terms/?per_page=500").json()
    validate_page(terms, "taxonomy_term.json")
    component = next(t for t in terms["contents"] if t["code"] == "respite-care")
    domain = next(t for t in terms["contents"] if t["id"] == component["parent_id"])
    assert domain["taxonomy"] == "catalogue"
    filtered = client.get(f"/api/hsds/services/?taxonomy_term_id={component['id']}").json()
    assert [s["alternate_name"] for s in filtered["contents"]] == ["Asendushooldus"]


def test_hsds_names_follow_the_request_language(client, directory):
    names = {s["alternate_name"] for s in client.get("/api/hsds/services/?lang=ru").json()["contents"]}
    assert "Временный уход" in names


@pytest.mark.parametrize(
    "url,status",
    [
        ("/api/hsds/services/not-a-uuid/", 404),
        ("/api/hsds/services/00000000-0000-0000-0000-000000000000/", 404),
        ("/api/hsds/services/?page=x", 400),
        ("/api/hsds/services/?modified_after=yesterday", 400),
        ("/api/hsds/service_at_locations?postcode=10111", 400),
        ("/api/hsds/service_at_locations?proximity=5000", 400),
        ("/api/hsds/services/?unknown=1", 400),
        ("/api/hsds/nothing/", 404),
    ],
)
def test_hsds_bad_requests_are_json_errors(client, directory, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["status"] == status
