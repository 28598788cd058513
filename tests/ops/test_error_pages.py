"""Errors get a page in the visitor's language (from the URL prefix) and a reference to quote,
never a stack trace; API errors are JSON."""

import pytest
from django.db import connection
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.urls")]


@pytest.mark.parametrize(
    "lang,title",
    [
        ("et", "Lehte ei leitud"),
        ("ru", "Страница не найдена"),
        ("en", "Page not found"),
    ],
)
def test_missing_page_says_so_in_the_language_of_the_address(client, site_tree, lang, title):
    response = client.get(f"/{lang}/kov/no-such-municipality/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert title in html
    assert response["Content-Language"] == lang


@pytest.mark.parametrize(
    "lang,title",
    [
        ("et", "Meie poolel läks midagi valesti"),
        ("ru", "На нашей стороне что-то пошло не так"),
        ("en", "Something went wrong on our side"),
    ],
)
def test_server_error_shows_a_translated_page_with_a_reference_and_no_details(lang, title):
    client = Client(raise_request_exception=False)
    response = client.get(f"/{lang}/fail/", HTTP_X_REQUEST_ID="support-ref-42")
    assert response.status_code == 500
    html = response.content.decode()
    assert title in html
    assert "support-ref-42" in html, "the visitor can quote the request id"
    for leak in ("Traceback", "DatabaseSecretError", "hunter2", "db.internal"):
        assert leak not in html


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a connection the server ends exists only on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_a_database_outage_answers_503_with_retry_after():
    client = Client(raise_request_exception=False)
    try:
        response = client.get("/en/lose-the-database/")
    finally:
        connection.close()  # the server ended it; the next query opens a new one
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "cannot reach its database" in response.content.decode()


def test_forged_form_post_is_refused_with_a_translated_403(site_tree):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/ru/", {"q": "x"})
    assert response.status_code == 403
    assert "Доступ запрещён" in response.content.decode()


def test_bad_host_gets_a_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["abiportaal.example"]
    response = client.get("/en/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "The request could not be understood" in response.content.decode()


def test_without_a_language_prefix_the_browser_language_is_used(client, site_tree):
    response = client.get("/documents/999999/none.pdf", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_api_errors_are_json_with_the_request_id(client):
    response = client.get("/api/v1/test-missing/", HTTP_X_REQUEST_ID="api-ref-7", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "code": "not_found",
        "message": "Page not found",
        "errors": {},
        "request_id": "api-ref-7",
    }
