from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analytics.gaps import GAPS_FILE, CatalogueError, load_gaps


class Command(BaseCommand):
    help = "Load or update the known gaps from gaps.yaml (idempotent; run after load_catalogue)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=GAPS_FILE, help="path to gaps.yaml")

    def handle(self, *args, **options):
        try:
            counts = load_gaps(options["file"])
        except CatalogueError as exc:
            raise CommandError(f"Known gaps not loaded, nothing changed. {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Known gaps loaded: {counts['gaps']} gaps, {counts['problems']} problems.")
        )
