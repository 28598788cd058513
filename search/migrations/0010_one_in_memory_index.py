"""One engine: the database backend matches the reference documents in memory (an inverted
index and one typo path, search/backends/database.py), so the full-text machinery that 0002,
0005 and 0007 built is dropped where it exists — on SQLite the FTS5 table and every trigger
that fed it, on PostgreSQL the tsvector column, its GIN index, the title trigram index,
`abi_folded` and `abi_fold()` — and the pg_trgm vocabulary table goes. A database built from
the squashed 0001 has none of it: every statement is IF EXISTS. Going back does not rebuild
it (nothing reads it); the unaccent and pg_trgm extensions are left installed."""

from django.db import migrations

SQLITE = [
    *(
        f"DROP TRIGGER IF EXISTS search_fts_{name}"
        for name in ("insert", "delete", "update", "update_out", "update_in")
    ),
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL = [
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    "DROP INDEX IF EXISTS search_doc_title_trgm",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS abi_folded",
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP FUNCTION IF EXISTS abi_fold(text)",
]


def drop_full_text_index(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_squashed_0009_search_document_vectors")]

    operations = [
        migrations.RunPython(drop_full_text_index, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchWord"),
    ]
