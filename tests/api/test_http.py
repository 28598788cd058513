"""HTTP behaviour: conditional GET, cache headers, CORS, rate limits."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from tests.factories import published_price

pytestmark = pytest.mark.django_db


def test_responses_carry_an_etag_and_last_modified_and_answer_304(client, directory):
    first = client.get("/api/v1/prices/?municipality=narva-linn")
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get("/api/v1/prices/?municipality=narva-linn", HTTP_IF_NONE_MATCH=etag)
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == etag

    by_date = client.get("/api/v1/prices/?municipality=narva-linn", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert by_date.status_code == 304


def test_a_published_price_changes_the_etag_and_last_modified(client, directory):
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        before = client.get("/api/v1/prices/?municipality=narva-linn")
    with time_machine.travel(dt.datetime(2025, 6, 2, 15, tzinfo=dt.UTC), tick=False):
        published_price(directory.narva_home, dt.date(2025, 6, 2), "7.00")
        after = client.get(
            "/api/v1/prices/?municipality=narva-linn",
            HTTP_IF_NONE_MATCH=before["ETag"],
            HTTP_IF_MODIFIED_SINCE=before["Last-Modified"],
        )
        assert after.status_code == 200
        assert after["ETag"] != before["ETag"]
        assert "7.00" in after.content.decode()
        again = client.get(
            "/api/v1/prices/?municipality=narva-linn", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"]
        )
        assert again.status_code == 200


def test_a_new_day_is_a_modification_because_prices_take_effect_on_dates(client, directory):
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        before = client.get("/api/v1/prices/")
    with time_machine.travel(dt.datetime(2025, 6, 2, 9, tzinfo=dt.UTC), tick=False):
        after = client.get("/api/v1/prices/", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200


def test_public_responses_are_publicly_cacheable_per_language(client, directory):
    response = client.get("/api/v1/counties/")
    assert response["Cache-Control"].startswith("public")
    vary = response["Vary"]
    assert "Accept-Language" in vary and "Authorization" in vary


def test_cors_allows_reads_from_any_origin(client, directory):
    response = client.get("/api/v1/counties/", HTTP_ORIGIN="https://his.example.ee")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/counties/",
        HTTP_ORIGIN="https://his.example.ee",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


@override_settings(API_THROTTLE_RATES={"anonymous": "3/minute", "partner": "5/minute"})
def test_too_many_requests_get_429_with_retry_after(client, directory):
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, 0, 0, tzinfo=dt.UTC), tick=False):
        statuses = [client.get("/api/v1/counties/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/v1/counties/", HTTP_ACCEPT_LANGUAGE="et")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) == 60
        assert refused.json()["status"] == 429 and refused.json()["message"]
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, 1, 1, tzinfo=dt.UTC), tick=False):
        assert client.get("/api/v1/counties/").status_code == 200


@override_settings(API_THROTTLE_RATES={"anonymous": "1/minute", "partner": "3/minute"})
def test_partners_are_limited_by_their_token_not_by_the_shared_address(client, directory, professional_token):
    with time_machine.travel(dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        assert client.get("/api/v1/counties/").status_code == 200
        assert client.get("/api/v1/counties/").status_code == 429
        partner = [client.get("/api/v1/counties/", **professional_token.header).status_code for _ in range(4)]
        assert partner == [200, 200, 200, 429]
