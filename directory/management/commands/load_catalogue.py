from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.catalogue import CATALOGUE_DIR, SETTLEMENTS_FILE, CatalogueError, load_catalogue


class Command(BaseCommand):
    help = "Load or update the reference catalogue, counties, municipalities and settlements (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=CATALOGUE_DIR, help="catalogue folder")
        parser.add_argument(
            "--settlements", type=Path, default=SETTLEMENTS_FILE, help="asustusyksus.csv to load"
        )

    def handle(self, *args, **options):
        try:
            counts = load_catalogue(options["dir"], options["settlements"])
        except CatalogueError as exc:
            raise CommandError(f"Catalogue not loaded, nothing changed. {exc}") from exc
        summary = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Catalogue loaded: {summary}."))
