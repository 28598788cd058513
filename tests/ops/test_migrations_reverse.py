"""Every migration of ours can be reversed and applied again (`manage.py migration_round_trip`):
schema, data and the raw SQL of the triggers (price-history guards, change log), on the test
database the suite has just migrated — so CI checks it on SQLite and on PostgreSQL for the cost
of the round trip alone (measured in .ci/run), without a second full migrate."""

import pytest
from django.core.management import call_command
from django.db import connection

from ops.management.commands.migration_round_trip import own_apps


@pytest.mark.django_db
def test_our_apps_are_the_ones_reversed():
    assert {"directory", "publishing", "api", "feedback", "notifications", "jobs"} <= set(own_apps())
    assert not {"wagtailcore", "auth", "django_tasks_database"} & set(own_apps())


@pytest.mark.django_db(transaction=True)
def test_our_migrations_go_back_to_zero_and_forward_again(capsys):
    call_command("migration_round_trip")
    assert "reversed in" in capsys.readouterr().out
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert {"directory_price", "directory_pricecorrection", "api_changerecord"} <= set(tables)
