from django.core.management.base import BaseCommand, CommandError

from directory.demo import load_demo_data
from directory.models import Municipality


class Command(BaseCommand):
    help = "Create illustrative providers, offers, price history and contacts (idempotent)."

    def handle(self, *args, **options):
        if not Municipality.objects.exists():
            raise CommandError("Load the catalogue first: manage.py load_catalogue")
        counts = load_demo_data()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data: {municipalities} municipalities built, {offers} offers, "
                "{prices} prices, {contacts} contacts created.".format(**counts)
            )
        )
