"""The OpenAPI schema is served, the docs render, and the live API keeps the schema's word:
schemathesis sends generated requests to every operation on the live test server."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

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


@pytest.mark.django_db(transaction=True)
def test_live_api_never_errors_and_keeps_to_its_schema(live_server, directory, professional_token, settings):
    """Every operation, a few generated requests each (bounded: ~8 examples per operation),
    anonymous and with a partner token."""
    settings.API_THROTTLE_RATES = {"anonymous": "100000/minute", "partner": "100000/minute"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=8,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case):
            case.call_and_validate(checks=checks)
            case.call_and_validate(checks=checks, headers=professional_token.header_http)

        check()
