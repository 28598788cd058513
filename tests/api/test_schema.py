"""The OpenAPI schema is served, the docs render, and the live API keeps the schema's word:
schemathesis sends generated requests to every operation on the live test server."""

import pytest
from schemathesis.checks import positive_data_acceptance

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_documents_every_endpoint(client, db):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for path in [
        "/api/v1/municipalities/{code}/contacts/",
        "/api/v1/prices/",
        "/api/v1/changes/",
        "/api/v1/journeys/{code}/",
        "/api/v1/contacts/{id}/",
    ]:
        assert path in paths
    assert all(path.startswith("/api/v1/") for path in paths)
    assert "partnerToken" in schema["components"]["securitySchemes"]
    prices = schema["paths"]["/api/v1/prices/"]["get"]
    assert prices["responses"]["200"]["content"]["application/json"]["examples"]
    assert {"400", "404", "429"} <= set(prices["responses"])


def test_docs_render_without_inline_scripts_from_a_cdn(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html and "cdn.jsdelivr" not in html
    assert client.get("/api/v1/docs/redoc/").status_code == 200


def positive_data_acceptance_but_cross_parameter_rules(ctx, response, case):
    """Every schema-valid request is accepted, except for the rules that OpenAPI 3.0 cannot
    express and the operations describe: the price analytics need a component or a service
    (not both), an unmet-needs period cannot end before it starts, a changes cursor must come
    from a `next` link and `since` be a time the database holds, and a search needs a word."""
    query = case.query or {}
    if response.status_code == 400 and case.path.endswith("/analytics/prices/"):
        if bool(query.get("component")) == bool(query.get("service")):
            return None
    if response.status_code == 400 and case.path.endswith("/analytics/unmet-needs/"):
        if query.get("date_from") and query.get("date_to") and query["date_from"] > query["date_to"]:
            return None
    if response.status_code == 400 and case.path.endswith("/changes/") and {"cursor", "since"} & set(query):
        return None  # a cursor not from a next link, a time outside what a timestamp holds
    if response.status_code == 400 and case.path.endswith("/search/"):
        if not any(ch.isalnum() for ch in str(query.get("q", ""))):
            return None
    return positive_data_acceptance(ctx, response, case)


@pytest.mark.django_db(transaction=True)
def test_live_api_never_errors_and_keeps_to_its_schema(schemathesis_run, directory, professional_token):
    """Every operation, with every check schemathesis has, a few generated requests each
    (bounded: 5 examples per operation and mode), valid and invalid, anonymous and with a
    partner token: 0 failures."""
    operations, failures = schemathesis_run(
        "/api/v1/schema/?format=json",
        accept=positive_data_acceptance_but_cross_parameter_rules,
        max_examples=5,
        headers=({}, professional_token.header_http),
    )
    assert operations >= 30
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
