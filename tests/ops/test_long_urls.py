"""An over-long address gets 414 — under /api/ in the API's JSON error body — through the real
server: gunicorn with the project's configuration passes the request line on, and Django
answers (ops.middleware.UrlLengthMiddleware). gunicorn's own limit answered with a plain-text 400."""

import http.client
import json

import pytest

LONG_QUERY = "q=" + "x" * 10_000


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Accept-Language": "en"})
    response = connection.getresponse()
    return response.status, response.getheader("Content-Type"), response.read().decode()


def test_an_over_long_api_address_gets_the_json_error_body(gunicorn):
    status, content_type, body = get(gunicorn, f"/api/v1/prices/?{LONG_QUERY}")
    assert status == 414
    assert content_type == "application/json"
    error = json.loads(body)
    assert error["status"] == 414 and error["code"] == "uri_too_long"
    assert error["message"] == "The address is too long"
    assert error["request_id"]


def test_an_over_long_page_address_gets_the_error_page_in_its_language(gunicorn):
    status, content_type, body = get(gunicorn, f"/et/search/?{LONG_QUERY}")
    assert status == 414
    assert content_type.startswith("text/html")
    assert "Aadress on liiga pikk" in body


@pytest.mark.django_db
def test_an_address_within_the_limit_is_answered_by_the_view(client):
    response = client.get("/api/v1/prices/?" + "q=" + "x" * 7000)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "q" in response.json()["errors"]
