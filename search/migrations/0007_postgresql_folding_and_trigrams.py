"""PostgreSQL does the folding and the typo matching it is good at.

* `abi_fold(text)`: lower case and unaccent (õäöüšž → oaousz, ё → е), immutable so that it can
  be indexed.
* The text search configuration `abi_folded` (simple + unaccent): the full-text column and
  every tsquery are folded by the database.
* `search_searchword`: the vocabulary of the reference documents, with a trigram index on the
  folded word, for typo tolerance and "did you mean" (pg_trgm's `%` operator); filled here
  from the existing index, so an existing database needs no rebuild.

SQLite keeps its FTS5 table; the vocabulary table stays empty there."""

from django.db import migrations, models

COLUMNS = ["scope", "title_terms", "primary_terms", "keyword_terms", "body_terms"]


def _vector(config: str) -> str:
    terms = " || ' ' || ".join(COLUMNS)
    return f"CASE WHEN scope = 'scoperef' THEN to_tsvector('{config}'::regconfig, {terms}) END"


POSTGRES_FORWARD = [
    "CREATE OR REPLACE FUNCTION abi_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "STRICT AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, lower($1)) $$",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS abi_folded",
    "CREATE TEXT SEARCH CONFIGURATION abi_folded (COPY = pg_catalog.simple)",
    "ALTER TEXT SEARCH CONFIGURATION abi_folded ALTER MAPPING FOR asciiword, asciihword, "
    "hword_asciipart, word, hword, hword_part WITH public.unaccent, pg_catalog.simple",
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"{_vector('abi_folded')}) STORED",
    "CREATE INDEX search_doc_vector_gin ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_word_trgm ON search_searchword USING gin (abi_fold(word) gin_trgm_ops)",
    "INSERT INTO search_searchword (word) SELECT DISTINCT w FROM search_searchdocument, "
    "unnest(string_to_array(words_et || ' ' || words_other, ' ')) AS w "
    "WHERE scope = 'scoperef' AND w <> '' AND length(w) <= 100 ON CONFLICT (word) DO NOTHING",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"{_vector('simple')}) STORED",
    "CREATE INDEX search_doc_vector_gin ON search_searchdocument USING gin (search_vector)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS abi_folded",
    "DROP FUNCTION IF EXISTS abi_fold(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_offer_lookup_index")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=100, unique=True)),
            ],
            options={"verbose_name": "search vocabulary word", "verbose_name_plural": "search vocabulary"},
        ),
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
