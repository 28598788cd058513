"""Restore a backup written by backup_data, replacing the target database's contents."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory import content_version
from directory.models import Offer, Price
from ops.backup import BackupError, Target, count_rows, kind_of, restore


class Command(BaseCommand):
    help = (
        "Restore FILE (written by backup_data) into the portal's database, or into the database "
        "given by --database-url (restore beside the live one, check it, then switch over). "
        "Everything in the target is replaced; the restore is all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument(
            "--database-url", help="Restore into this database instead, e.g. a new, empty one."
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(
        self, *args, file: Path, database: str, database_url: str | None, interactive: bool, **options
    ):
        if not file.is_file():
            raise CommandError(f"{file} does not exist.")
        target = Target.from_url(database_url) if database_url else Target.from_alias(database)
        try:
            kind = kind_of(file)
            target_vendor = target.vendor
        except BackupError as error:
            raise CommandError(str(error)) from error
        if kind != target_vendor:
            raise CommandError(f"{file} is a {kind} backup; the target database is {target_vendor}.")
        if interactive:
            if not sys.stdin or not sys.stdin.isatty():
                raise CommandError(
                    f"This replaces everything in the database {target.name}. There is no terminal "
                    "to confirm it on: run the command again with --noinput."
                )
            answer = input(
                f"This replaces everything in the database {target.name}. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(file, target)
            prices = count_rows(target, Price._meta.db_table)
            offers = count_rows(target, Offer._meta.db_table)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not database_url:
            content_version.bump()  # cached pages show the data that was replaced
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {file} into the {target_vendor} database {target.name}: "
                f"{offers} offers, {prices} prices including history."
            )
        )
