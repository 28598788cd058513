"""The full-text index behind the database backend, in each database's own way.

PostgreSQL: the unaccent and pg_trgm extensions, a generated tsvector column over the scope
token and the pre-analysed terms with the 'simple' configuration (the terms are already
stemmed and folded in Python — PostgreSQL has no Estonian configuration), a GIN index on it,
and a trigram index on the Estonian titles.

SQLite: an external-content FTS5 table over the same columns, kept in sync by triggers.

Other databases get no full-text index; the backend refuses to query them."""

from django.db import migrations

COLUMNS = ["scope", "title_terms", "primary_terms", "keyword_terms", "body_terms"]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, " + " || ' ' || ".join(COLUMNS) + ")) STORED",
    "CREATE INDEX search_doc_vector_gin ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_doc_title_trgm ON search_searchdocument USING gin (title_et gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_title_trgm",
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]

_cols = ", ".join(COLUMNS)
_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE search_fts USING fts5({_cols}, content='search_searchdocument', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(rowid, {_cols}) VALUES (new.id, {_new}); END",
    f"CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_cols}) VALUES ('delete', old.id, {_old}); END",
    f"CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_cols}) VALUES ('delete', old.id, {_old}); "
    f"INSERT INTO search_fts(rowid, {_cols}) VALUES (new.id, {_new}); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
