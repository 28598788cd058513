"""`manage.py prune_change_log [--days N]`: keep the change log (api.ChangeRecord) from growing
without bound. Run it daily (cron or a scheduler); N defaults to API_CHANGE_LOG_RETENTION_DAYS."""

import datetime as dt

from django.conf import settings
from django.core.management import BaseCommand
from django.utils import timezone

from api.changes import prune


class Command(BaseCommand):
    help = "Drop change records no feed answer needs; tombstones older than the retention too."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.API_CHANGE_LOG_RETENTION_DAYS)

    def handle(self, *args, days: int, **options):
        result = prune(timezone.now() - dt.timedelta(days=days))
        self.stdout.write(
            "Dropped {superseded} superseded records and {tombstones} tombstones; "
            "cursors below position {horizon} must resync.".format(**result)
        )
