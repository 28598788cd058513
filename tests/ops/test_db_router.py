"""With DATABASE_REPLICA_URL set, public reads go to the replica and everything that must see
the latest write goes to the primary."""

import json

import pytest
from django.db import transaction

from directory.models import Municipality, Price
from ops import db_router
from tests.ops.helpers import run_python

# The router only looks up whether a "replica" alias is configured; no query runs on it in-process.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def router(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}
    return db_router.ReplicaRouter()


def test_without_a_replica_the_router_leaves_routing_to_django():
    assert db_router.ReplicaRouter().db_for_read(Municipality) is None


def test_reads_go_to_the_replica_and_writes_to_the_primary(router):
    assert router.db_for_read(Price) == "replica"
    assert router.db_for_write(Price) == "default"
    assert router.allow_migrate("default", "directory") and not router.allow_migrate("replica", "directory")


def test_sessions_and_logins_are_read_from_the_primary(router):
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    assert router.db_for_read(Session) == router.db_for_read(User) == "default"


def test_a_pinned_request_reads_from_the_primary(router):
    with db_router.primary_only():
        assert router.db_for_read(Price) == "default"
    with db_router.primary_only(False):
        assert router.db_for_read(Price) == "replica"


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_there(router):
    with transaction.atomic():
        assert router.db_for_read(Price) == "default"


@pytest.mark.django_db(transaction=True)  # outside a transaction: reads may go to the replica
def test_for_a_few_seconds_after_a_content_change_requests_read_from_the_primary(router, rf, settings):
    import time

    import time_machine

    from directory import content_version
    from ops.middleware import PrimaryDatabaseMiddleware

    seen = []
    middleware = PrimaryDatabaseMiddleware(lambda request: seen.append(router.db_for_read(Price)))
    with time_machine.travel(time.time() + 3600, tick=False) as clock:
        middleware(rf.get("/et/kov/"))
        content_version.bump()
        middleware(rf.get("/et/kov/"))
        clock.shift(settings.OPS_REPLICA_LAG_SECONDS + 1)
        middleware(rf.get("/et/kov/"))
    assert seen == ["replica", "default", "replica"]


# A real two-alias setup in a fresh process: both aliases name the same SQLite file, standing in
# for a primary and its streaming replica; the query log of each alias shows where reads went.
ROUTED = """
import json, django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
call_command("migrate", interactive=False, verbosity=0)
client = Client()
result = {}
for name, kwargs in {
    "anonymous_get": {},
    "with_session": {"HTTP_COOKIE": "sessionid=abc"},
}.items():
    with CaptureQueriesContext(connections["default"]) as primary, \\
            CaptureQueriesContext(connections["replica"]) as replica:
        status = client.get("/en/kov/", **kwargs).status_code
    result[name] = {"status": status, "primary": len(primary), "replica": len(replica)}
print(json.dumps(result))
"""


def test_an_anonymous_page_view_reads_from_the_replica_and_an_editors_from_the_primary(tmp_path):
    database = tmp_path / "portal.sqlite3"
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
        "DATABASE_REPLICA_URL": f"sqlite:///{database}",
    }
    result = run_python(ROUTED, env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    shown = json.loads(result.stdout.strip().splitlines()[-1])
    anonymous, editor = shown["anonymous_get"], shown["with_session"]
    assert anonymous["replica"] > 0 and anonymous["primary"] == 0, anonymous
    assert editor["primary"] > 0 and editor["replica"] == 0, editor
