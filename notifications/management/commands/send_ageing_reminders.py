"""Queue this month's reminder of unverified data for every KOV that has staff (run monthly
from cron; running it again in the same month sends nothing new)."""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from directory.models import Municipality
from notifications.tasks import ageing_reminder
from publishing.scope import EDITORS_PREFIX, MODERATORS_PREFIX


class Command(BaseCommand):
    help = "Queue the monthly e-mail to each KOV's staff about offers and contacts not verified for a year."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM that keys the reminder (default: this month)")

    def handle(self, *args, month=None, **options):
        month = month or timezone.localdate().strftime("%Y-%m")
        if len(month) != 7 or month[4] != "-" or not (month[:4] + month[5:]).isdigit():
            raise CommandError("--month must look like 2026-12")
        codes = set()
        for name in Group.objects.filter(user__is_active=True).values_list("name", flat=True).distinct():
            for prefix in (EDITORS_PREFIX, MODERATORS_PREFIX):
                if name.startswith(prefix):
                    codes.add(name[len(prefix) :])
        municipalities = Municipality.objects.filter(code__in=codes).order_by("code")
        for municipality in municipalities:
            ageing_reminder.enqueue(municipality.pk, month)
        self.stdout.write(f"Queued {len(municipalities)} reminders for {month}.")
