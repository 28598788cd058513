"""The search app's tables as 0001–0009 left them, in one step, without the database-specific
full-text machinery (FTS5 table and triggers, tsvector column, `abi_folded`, pg_trgm index) that
0010 removes from databases built the old way: the database backend matches in memory now.
Synonyms are seeded by `manage.py load_search_synonyms`, not by a migration."""

from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("search", "0001_initial"),
        ("search", "0002_full_text_index"),
        ("search", "0003_seed_synonyms"),
        ("search", "0004_search_document_scope_index"),
        ("search", "0005_full_text_reference_only"),
        ("search", "0006_offer_lookup_index"),
        ("search", "0007_postgresql_folding_and_trigrams"),
        ("search", "0008_seed_need_synonyms"),
        ("search", "0009_search_document_vectors"),
    ]

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("query", models.CharField(max_length=200, verbose_name="query")),
                ("lang", models.CharField(max_length=2, verbose_name="language")),
                ("municipality", models.CharField(blank=True, max_length=80, verbose_name="municipality")),
                ("result_count", models.PositiveIntegerField(verbose_name="results")),
                ("top_score", models.FloatField(blank=True, null=True, verbose_name="best score")),
                ("created_on", models.DateField(db_index=True, verbose_name="day")),
            ],
            options={
                "verbose_name": "search log entry",
                "verbose_name_plural": "search log",
                "ordering": ["-created_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Synonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("et", "Estonian"), ("ru", "Russian"), ("en", "English")],
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                (
                    "terms",
                    models.TextField(
                        help_text="One word or phrase per line; a search for any of them also finds the others.",
                        verbose_name="words and phrases",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "search synonym group",
                "verbose_name_plural": "search synonym groups",
                "ordering": ["language", "terms"],
            },
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(help_text="kind:identifier", max_length=120, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("component", "service component"),
                            ("service", "social service"),
                            ("journey", "client journey"),
                            ("municipality", "municipality"),
                            ("contact", "contact"),
                            ("offer", "offer"),
                            ("page", "page"),
                        ],
                        db_index=True,
                        max_length=20,
                    ),
                ),
                ("code", models.CharField(blank=True, db_index=True, max_length=120)),
                (
                    "item_key",
                    models.CharField(
                        blank=True,
                        db_index=True,
                        help_text="An offer's component or service.",
                        max_length=120,
                    ),
                ),
                ("municipality", models.CharField(blank=True, db_index=True, max_length=80)),
                ("scope", models.CharField(max_length=90)),
                ("county", models.CharField(blank=True, max_length=80)),
                ("target_groups", models.CharField(blank=True, help_text=" code code ", max_length=600)),
                ("domains", models.CharField(blank=True, help_text=" code code ", max_length=300)),
                ("valid_from", models.DateField(blank=True, null=True)),
                ("valid_to", models.DateField(blank=True, null=True)),
                ("title_et", models.CharField(max_length=300)),
                ("title_ru", models.CharField(blank=True, max_length=300)),
                ("title_en", models.CharField(blank=True, max_length=300)),
                ("text_et", models.TextField(blank=True)),
                ("text_ru", models.TextField(blank=True)),
                ("text_en", models.TextField(blank=True)),
                ("url_et", models.CharField(max_length=300)),
                ("url_ru", models.CharField(blank=True, max_length=300)),
                ("url_en", models.CharField(blank=True, max_length=300)),
                ("title_terms", models.TextField(blank=True)),
                ("primary_terms", models.TextField(blank=True)),
                ("keyword_terms", models.TextField(blank=True)),
                ("body_terms", models.TextField(blank=True)),
                (
                    "phrases",
                    models.TextField(
                        blank=True, help_text="Titles and keywords as phrase keys, one per line."
                    ),
                ),
                (
                    "words_et",
                    models.TextField(blank=True, help_text="Folded Estonian words, for compounds and typos."),
                ),
                (
                    "words_other",
                    models.TextField(blank=True, help_text="Folded Russian and English words, for typos."),
                ),
                ("boost", models.FloatField(default=1.0)),
                (
                    "vectors",
                    models.BinaryField(
                        blank=True,
                        help_text="Catalogue entries: the embedding model's vectors of the entry, one per "
                        "language (float16, search/embedding.py).",
                        null=True,
                    ),
                ),
                ("data", models.JSONField(blank=True, default=dict)),
                ("updated_at", models.DateTimeField(auto_now=True, db_index=True)),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
                "indexes": [
                    models.Index(fields=["kind", "municipality"], name="search_sear_kind_6b2a88_idx"),
                    models.Index(fields=["scope", "updated_at"], name="search_sear_scope_3e95ba_idx"),
                    models.Index(fields=["item_key", "municipality"], name="search_sear_item_ke_01e43f_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=100, unique=True)),
            ],
            options={"verbose_name": "search vocabulary word", "verbose_name_plural": "search vocabulary"},
        ),
    ]
