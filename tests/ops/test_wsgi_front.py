"""A cached public page is answered in front of Django's request handler (ops.wsgi.CachedPages):
the same entry, found under the same key, sent with the same bytes and headers, with its own
request id and access-log line; everything else, and every miss, still goes through Django."""

import gzip
import logging

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import OperationalError, close_old_connections
from django.test import RequestFactory

from directory import content_version
from ops import cache
from ops.wsgi import CachedPages

from .helpers import run_python

pytestmark = pytest.mark.django_db

PAGE = "/et/kov/"
PER_REQUEST = {"x-request-id"}


class Counting:
    """Django's WSGI application, counting the requests that reached it."""

    def __init__(self):
        self.calls = 0
        self.django = WSGIHandler()

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.django(environ, start_response)


@pytest.fixture
def front(response_cache, site_tree):
    # As Django's test client does: the test's transaction must survive each request's end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield CachedPages(Counting())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def get(application, path=PAGE, method="GET", **headers):
    """(status line, headers, body) of one WSGI request."""
    environ = RequestFactory().generic(method, path, **headers).environ
    sent = {}

    def start_response(status, response_headers, exc_info=None):
        sent["status"], sent["headers"] = status, response_headers

    chunks = application(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return sent["status"], dict(sent["headers"]), body


def test_a_cached_page_is_sent_without_reaching_django_with_the_bytes_django_stored(front):
    status, miss, stored = get(front, HTTP_ACCEPT_ENCODING="gzip")
    assert (status, miss["X-Cache"], front.application.calls) == ("200 OK", "MISS", 1)
    status, hit, body = get(front, HTTP_ACCEPT_ENCODING="gzip", HTTP_X_REQUEST_ID="lb-42")
    assert (status, hit["X-Cache"], front.application.calls) == ("200 OK", "HIT", 1)
    assert hit["Content-Encoding"] == "gzip" and hit["Content-Length"] == str(len(body))
    assert hit["X-Request-ID"] == "lb-42"
    # Compressed once, when stored: the bytes and the headers are Django's own.
    assert gzip.decompress(body) == gzip.decompress(stored)
    assert {k: v for k, v in hit.items() if k.lower() not in PER_REQUEST | {"x-cache"}} == {
        k: v for k, v in miss.items() if k.lower() not in PER_REQUEST | {"x-cache"}
    }


def test_the_front_and_the_middleware_answer_a_hit_alike(front, client):
    get(front, HTTP_ACCEPT_ENCODING="gzip")
    for encoding in ("gzip", ""):
        _status, from_front, front_body = get(front, HTTP_ACCEPT_ENCODING=encoding)
        from_middleware = client.get(PAGE, HTTP_ACCEPT_ENCODING=encoding)
        assert from_middleware["X-Cache"] == "HIT" and front_body == from_middleware.content
        assert {k.lower(): v for k, v in from_front.items() if k.lower() not in PER_REQUEST} == {
            k.lower(): v for k, v in from_middleware.items() if k.lower() not in PER_REQUEST
        }
    assert front.application.calls == 1
    assert "Content-Encoding" not in from_front, "unpacked for a client without gzip"


def test_a_published_change_reaches_the_next_request_through_the_front(front):
    get(front)
    assert get(front)[1]["X-Cache"] == "HIT"
    content_version.bump()
    assert get(front)[1]["X-Cache"] == "MISS" and front.application.calls == 2
    assert get(front)[1]["X-Cache"] == "HIT" and front.application.calls == 2


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "HEAD"},
        {"HTTP_COOKIE": "abiportaal_place=narva-linn"},
        {"HTTP_AUTHORIZATION": "Token abc"},
        {"HTTP_ORIGIN": "https://example.org"},
        {"path": "/api/v1/prices/"},
    ],
    ids=["head", "cookie", "credentials", "origin", "api"],
)
def test_requests_the_early_cache_may_not_answer_go_to_django(front, request_kwargs):
    get(front)
    get(front, "/api/v1/prices/")
    calls = front.application.calls
    get(front, **request_kwargs)
    assert front.application.calls == calls + 1


def test_a_failing_content_version_read_leaves_the_answer_to_django(front, monkeypatch):
    get(front)

    def database_down(request, namespace="response"):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(cache, "lookup", database_down)
    status, headers, _body = get(front)  # Django meets the same failure and answers for it
    assert status.startswith("503") and "Retry-After" in headers
    assert front.application.calls == 2


def test_a_host_django_refuses_is_refused_by_django(front, settings):
    get(front)
    settings.ALLOWED_HOSTS = ["abiportaal.ee"]
    status, _headers, _body = get(front)
    assert status.startswith("400") and front.application.calls == 2


def test_a_hit_writes_one_access_log_line_with_its_request_id(front, caplog):
    get(front)
    with caplog.at_level(logging.INFO, logger="ops.request"):
        get(front, HTTP_X_REQUEST_ID="trace-7")
    (line,) = [record for record in caplog.records if record.name == "ops.request"]
    assert (line.status, line.cache, line.path, line.method) == (200, "HIT", PAGE, "GET")
    assert line.request_id == "trace-7"


def test_the_deployed_wsgi_application_is_the_front():
    """portal.wsgi (what the server loads) wraps Django's application; in a fresh process, since
    importing it sets Django up again."""
    check = (
        "import portal.wsgi as w, ops.wsgi as o; "
        "assert isinstance(w.application, o.CachedPages); "
        "assert w.application.application is w.django_application"
    )
    result = run_python(check, {"DJANGO_SETTINGS_MODULE": "portal.settings.test"})
    assert result.returncode == 0, result.stderr
