"""The load balancer's forwarded headers reach the application as it sent them, and a client
cannot stand in for them with a header spelt with underscores: WSGI spells `X-Forwarded-For` and
`X_Forwarded_For` alike (HTTP_X_FORWARDED_FOR), and ops.client.client_ip reads that header for
every rate limit. gunicorn.conf.py's server drops such headers (gunicorn's header_map "drop");
granian 2.8.7, measured as a replacement (bench/README.md), let one overwrite the real header."""

import http.client
import json

import pytest

from .helpers import running_gunicorn


@pytest.fixture(scope="module")
def echo():
    with running_gunicorn("tests.ops.echo_wsgi") as port:
        yield port


def seen_by_the_application(port, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/", headers=headers)
    response = connection.getresponse()
    assert response.status == 200
    return json.loads(response.read())


def test_the_load_balancers_forwarded_headers_reach_the_application(echo):
    seen = seen_by_the_application(echo, {"X-Forwarded-For": "192.0.2.7", "X-Forwarded-Proto": "https"})
    assert seen["HTTP_X_FORWARDED_FOR"] == "192.0.2.7"
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https"
    assert seen["wsgi.url_scheme"] == "https", "from 127.0.0.1, forwarded_allow_ips"


@pytest.mark.parametrize("order", ["dashes first", "underscores first"])
def test_a_forwarded_for_spelt_with_underscores_never_reaches_the_application(echo, order):
    headers = [("X-Forwarded-For", "192.0.2.7"), ("X_Forwarded_For", "198.51.100.66")]
    if order == "underscores first":
        headers.reverse()
    seen = seen_by_the_application(echo, dict(headers))
    assert seen["HTTP_X_FORWARDED_FOR"] == "192.0.2.7"
