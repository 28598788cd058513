"""Deletes reports of mistakes older than the retention period (FEEDBACK_RETENTION_DAYS), as the
privacy notice promises. The worker does this daily by itself (JOBS_PERIODIC); this command is
for running it by hand or from cron where no worker runs. --dry-run only counts."""

from django.core.management.base import BaseCommand, CommandError

from feedback import retention


class Command(BaseCommand):
    help = "Delete reports of mistakes received more than FEEDBACK_RETENTION_DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override FEEDBACK_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, days=None, dry_run=False, **options):
        try:
            before = retention.cutoff(days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        count = retention.purge(before, dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} report(s) received before {before:%Y-%m-%d %H:%M}")
