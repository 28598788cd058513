from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendata import export


class Command(BaseCommand):
    help = (
        "Write the open datasets (current prices, price history, offers, contacts, catalogue) as "
        "CSV, JSON and XLSX to OPEN_DATA_ROOT (or --output). The site also rebuilds them on "
        "request when the data has changed; run this after bulk loads or from cron to keep "
        "downloads instant."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Folder to write to (default: OPEN_DATA_ROOT).")
        parser.add_argument(
            "--if-stale", action="store_true", help="Do nothing when the files already match the data."
        )

    def handle(self, *args, output: Path | None = None, if_stale: bool = False, **options):
        folder = output or export.root()
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} exists and is not a folder.")
        if if_stale and output is None and export.is_fresh(export.read_manifest()):
            self.stdout.write("Open data is up to date; nothing written.")
            return
        try:
            with export.build_lock(folder):
                manifest = export.export_all(folder)
        except OSError as exc:
            raise CommandError(f"Cannot write to {folder}: {exc}") from exc
        for name, info in sorted(manifest["files"].items()):
            self.stdout.write(f"{name}: {info['rows']} rows, {info['size']} bytes")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(manifest['files'])} files to {folder} (data version {manifest['data_version']})."
            )
        )
