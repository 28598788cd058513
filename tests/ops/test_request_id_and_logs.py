"""Every response carries a request id — the caller's, if it is a sane one — and every log line
written while serving it is JSON carrying the same id."""

import io
import json
import logging

import pytest
from django.test import Client

from ops.logging import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.urls("tests.ops.urls")


def test_a_request_id_is_generated_and_echoed(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32


def test_the_callers_request_id_is_kept(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")["X-Request-ID"] == "lb-7f3a.42"


def test_a_request_id_that_could_forge_log_lines_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level":"ERROR"}')
    assert response["X-Request-ID"] != 'x"\n{"level":"ERROR"}'
    assert len(response["X-Request-ID"]) == 32


@pytest.fixture
def json_log():
    """What the console handler of production writes, captured."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


@pytest.mark.django_db
def test_access_and_error_logs_are_json_lines_with_the_request_id(json_log):
    client = Client(raise_request_exception=False)
    client.get("/en/fail/?q=my+mothers+diagnosis", HTTP_X_REQUEST_ID="trace-500")
    lines = json_log()
    error = next(line for line in lines if line["logger"] == "django.request")
    access = next(line for line in lines if line["logger"] == "ops.request")
    assert error["request_id"] == access["request_id"] == "trace-500"
    assert error["level"] == "ERROR"
    assert "DatabaseSecretError" in error["exception"], "the log keeps the detail the page hides"
    assert access["status"] == 500 and access["method"] == "GET" and access["path"] == "/en/fail/"
    assert isinstance(access["duration_ms"], float)
    assert "diagnosis" not in json.dumps(lines), "query strings (search terms) are not logged"


def test_lines_outside_a_request_carry_a_placeholder_id(json_log):
    logging.getLogger("ops.test").warning("starting up")
    (line,) = [entry for entry in json_log() if entry["logger"] == "ops.test"]
    assert line["request_id"] == "-" and line["message"] == "starting up"
