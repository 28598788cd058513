"""Triggers and the overlap constraint that guard published price history (directory/guards.py).
Runs as the database owner; the application role cannot drop them."""

from django.db import migrations

from directory import guards


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_price_one_per_offer_and_start"),
    ]

    operations = [
        migrations.RunPython(guards.install, guards.uninstall, elidable=False),
    ]
