"""Deletes reports of mistakes older than the retention period (FEEDBACK_RETENTION_DAYS), as the
privacy notice promises. Run daily (cron or the jobs runner); --dry-run only counts."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from feedback.models import Report


class Command(BaseCommand):
    help = "Delete reports of mistakes received more than FEEDBACK_RETENTION_DAYS days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override FEEDBACK_RETENTION_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.FEEDBACK_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("the retention period must be at least one day")
        cutoff = timezone.now() - dt.timedelta(days=days)
        with transaction.atomic():
            old = Report.objects.filter(created_at__lt=cutoff)
            count = old.count()
            if not dry_run:
                old.delete()
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} report(s) received before {cutoff:%Y-%m-%d %H:%M} ({days} days)")
