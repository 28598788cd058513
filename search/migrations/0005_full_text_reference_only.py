"""The full-text index holds the reference documents only (catalogue, journeys,
municipalities, roles, pages — scope 'scoperef'). A municipality's offers and contacts are read
by municipality instead: tens of thousands of offers repeat the catalogue's words, and
indexing them made every common word's posting list ten times longer than it needs to be."""

from django.db import migrations

COLUMNS = ["scope", "title_terms", "primary_terms", "keyword_terms", "body_terms"]
_cols = ", ".join(COLUMNS)
_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)
_vector = "to_tsvector('simple'::regconfig, " + " || ' ' || ".join(COLUMNS) + ")"

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"CASE WHEN scope = 'scoperef' THEN {_vector} END) STORED",
    "CREATE INDEX search_doc_vector_gin ON search_searchdocument USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    f"ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({_vector}) STORED",
    "CREATE INDEX search_doc_vector_gin ON search_searchdocument USING gin (search_vector)",
]


def _sqlite_triggers(condition: bool) -> list[str]:
    new_when = " WHEN new.scope = 'scoperef'" if condition else ""
    old_when = " WHEN old.scope = 'scoperef'" if condition else ""
    return [
        "DROP TRIGGER IF EXISTS search_fts_insert",
        "DROP TRIGGER IF EXISTS search_fts_delete",
        "DROP TRIGGER IF EXISTS search_fts_update",
        f"CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument{new_when} BEGIN "
        f"INSERT INTO search_fts(rowid, {_cols}) VALUES (new.id, {_new}); END",
        f"CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument{old_when} BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {_cols}) VALUES ('delete', old.id, {_old}); END",
        # An update may move a row in or out of the reference scope: delete, then re-add.
        f"CREATE TRIGGER search_fts_update_out AFTER UPDATE ON search_searchdocument{old_when} BEGIN "
        f"INSERT INTO search_fts(search_fts, rowid, {_cols}) VALUES ('delete', old.id, {_old}); END",
        f"CREATE TRIGGER search_fts_update_in AFTER UPDATE ON search_searchdocument{new_when} BEGIN "
        f"INSERT INTO search_fts(rowid, {_cols}) VALUES (new.id, {_new}); END",
        "INSERT INTO search_fts(search_fts) VALUES ('delete-all')",
        f"INSERT INTO search_fts(rowid, {_cols}) SELECT id, {_cols} FROM search_searchdocument"
        + (" WHERE scope = 'scoperef'" if condition else ""),
    ]


SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update_out",
    "DROP TRIGGER IF EXISTS search_fts_update_in",
    *_sqlite_triggers(False),
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search_document_scope_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": _sqlite_triggers(True)}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
