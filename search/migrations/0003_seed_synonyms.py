"""Seed the synonym dictionary from search/data/synonyms.yaml (staff edit it afterwards)."""

from django.db import migrations


def seed(apps, schema_editor):
    from search.synonyms import load_synonyms

    load_synonyms(apps.get_model("search", "Synonym"))


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
