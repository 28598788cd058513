"""Add the seed file's new synonym groups — everyday words for needs — to existing databases.
Groups already there (matched by their first word), staff edits included, stay as they are."""

from django.db import migrations


def seed(apps, schema_editor):
    from search.synonyms import load_synonyms

    load_synonyms(apps.get_model("search", "Synonym"))


class Migration(migrations.Migration):
    dependencies = [("search", "0007_postgresql_folding_and_trigrams")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
