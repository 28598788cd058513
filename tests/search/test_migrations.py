"""The search app's migrations are squashed (0001_squashed_0009) and the database-specific
full-text machinery is gone (0010). A database built the old way, through 0001–0009, moves onto
the squashed history and loses that machinery; one migrated back to zero and forward again
takes every insert, update and delete (before, SQLite kept triggers writing to a dropped FTS
table and refused every update)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from search.models import SearchDocument

pytestmark = pytest.mark.django_db(transaction=True)

OLD_LATEST = ("search", "0009_search_document_vectors")
SQUASHED = ("search", "0001_squashed_0009_search_document_vectors")


def migrate(targets, replace_migrations=True):
    executor = MigrationExecutor(connection)
    if not replace_migrations:  # the history as it was, one migration at a time
        executor.loader = MigrationLoader(connection, replace_migrations=False)
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes("search")


def tables() -> set[str]:
    return set(connection.introspection.table_names())


def document_columns() -> set[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, "search_searchdocument")
    return {column.name for column in description}


def assert_documents_can_be_written():
    document = SearchDocument.objects.create(key="page:1", kind="page", scope="scoperef", title_et="Abi")
    document.title_et = "Abi kodus"
    document.save()
    SearchDocument.objects.filter(pk=document.pk).update(body_terms="abi kodu")
    document.delete()
    assert not SearchDocument.objects.exists()


@pytest.fixture
def restore_latest():
    yield
    migrate(latest())


def test_a_database_at_the_old_latest_migration_moves_onto_the_squashed_one(restore_latest):
    migrate([("search", None)])
    migrate([OLD_LATEST], replace_migrations=False)
    assert "search_searchword" in tables()

    migrate(latest())

    assert MigrationLoader(connection).applied_migrations.keys() >= {SQUASHED, *latest()}
    assert not {"search_fts", "search_searchword"} & tables()
    assert "search_vector" not in document_columns()
    assert_documents_can_be_written()


def test_migrating_search_back_to_zero_and_forward_leaves_a_writable_table(restore_latest):
    migrate([("search", None)])
    assert "search_searchdocument" not in tables()

    migrate(latest())

    assert not {"search_fts", "search_searchword"} & tables()
    assert_documents_can_be_written()
