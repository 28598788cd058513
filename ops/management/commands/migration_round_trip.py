"""`manage.py migration_round_trip`: migrate the project's own apps (those under the project
directory) back to zero and forward again on the configured database, so CI proves that every
migration of ours — schema, data and the raw SQL of triggers — can be reversed and re-applied.
Run it on a freshly migrated database; it destroys the data of our apps. Third-party apps stay
as they are: reversing them is their maintainers' concern, and takes most of a full migrate."""

import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader


def own_apps() -> list[str]:
    """Labels of the installed apps in this repository that have migrations. The order does
    not matter: `migrate <app> zero` also reverses every migration (of any app) that depends
    on that app's."""
    root = Path(settings.BASE_DIR).resolve()
    loader = MigrationLoader(connections[DEFAULT_DB_ALIAS], ignore_no_migrations=True)
    return sorted(
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(root)
        and ".venv" not in Path(config.path).parts
        and config.label in loader.migrated_apps
        and loader.graph.leaf_nodes(config.label)
    )


class Command(BaseCommand):
    help = "Reverse the project's own migrations to zero and apply them again (CI)."

    def handle(self, *args, **options):
        labels = own_apps()
        started = time.monotonic()
        for label in labels:
            call_command("migrate", label, "zero", verbosity=0, interactive=False)
        reversed_at = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        done = time.monotonic()
        self.stdout.write(
            f"{len(labels)} apps ({', '.join(labels)}): reversed in {reversed_at - started:.0f} s, "
            f"re-applied in {done - reversed_at:.0f} s"
        )
