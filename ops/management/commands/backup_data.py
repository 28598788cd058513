"""Write a consistent backup of the portal's database to a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.models import Price
from ops.backup import BackupError, Target, backup, count_rows


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database to FILE: pg_dump's custom format on PostgreSQL, "
        "an SQLite database file on SQLite. Restore it with restore_data."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default", help="Database alias (default: default).")

    def handle(self, *args, file: Path, database: str, **options):
        target = Target.from_alias(database)
        try:
            prices = count_rows(target, Price._meta.db_table)
            backup(target, file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = file.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {target.vendor} database {target.name} to {file} "
                f"({size / 1024:.0f} KiB; {prices} prices including history)."
            )
        )
