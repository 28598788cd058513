"""Queue the daily digest for every staff member who has news waiting (run daily from cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.models import Delivery
from notifications.tasks import send_digest


class Command(BaseCommand):
    help = "Queue one e-mail per staff member with the day's news they chose to get as a digest."

    def handle(self, *args, **options):
        day = timezone.localdate().isoformat()
        users = (
            Delivery.objects.filter(digest=True, sent_at__isnull=True)
            .values_list("recipient_id", flat=True)
            .distinct()
        )
        users = sorted(set(users))
        for user_id in users:
            send_digest.enqueue(user_id, day)
        self.stdout.write(f"Queued {len(users)} digests for {day}.")
