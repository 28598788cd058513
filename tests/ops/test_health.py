"""/healthz says the process is up without touching anything; /readyz says whether the database
and the search backend answer, and a load balancer can act on its status code."""

import json

import pytest

from tests.ops.helpers import production_env, run_python


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_checks_the_database_and_reports_the_search_backend(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["search"]["status"] == "ok"


def test_health_checks_answer_for_any_host_name(client, settings):
    settings.ALLOWED_HOSTS = ["abiportaal.example"]
    assert client.get("/healthz", HTTP_HOST="10.1.2.3:8000").status_code == 200


DATABASE_DOWN = """
import json, django
django.setup()
from django.test import Client
client = Client()
print(json.dumps({
    "healthz": client.get("/healthz", HTTP_HOST="10.0.0.5").status_code,
    "readyz": (lambda r: [r.status_code, json.loads(r.content)])(client.get("/readyz", HTTP_HOST="10.0.0.5")),
}))
"""


def test_readyz_says_unavailable_when_the_database_is_unreachable_but_healthz_stays_up(tmp_path):
    # Port 9 on loopback: nothing listens there, so connecting fails at once.
    env = production_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:9/abi_ops_nowhere")
    result = run_python(DATABASE_DOWN, env)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    assert shown["healthz"] == 200
    status, body = shown["readyz"]
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "error: OperationalError"
    assert "127.0.0.1" not in json.dumps(body), "connection details stay in the log"


@pytest.mark.django_db
def test_a_check_left_out_of_readyz_critical_is_reported_but_does_not_take_the_server_out(
    client, settings, monkeypatch
):
    from ops import health

    def search_down():
        raise ConnectionError("elasticsearch:9200 refused")

    monkeypatch.setitem(health.CHECKS, "search", search_down)
    assert client.get("/readyz").status_code == 503, "by default search is critical"
    settings.OPS_READYZ_CRITICAL = ["database"]
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["search"]["status"] == "error: ConnectionError"
