from django.core.management.base import BaseCommand, CommandError

from directory.demo import load_demo_data
from directory.demo_access import load_access_demo_data
from directory.models import Municipality
from referrals.demo import load_referral_demo_data


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
        access = load_access_demo_data()
        self.stdout.write(
            self.style.SUCCESS(
                "How to get the help: {ways_to_apply} ways to apply, {locations} locations, "
                "{eligibility} eligibility rules, {availability} availability statements.".format(**access)
            )
        )
        routes = load_referral_demo_data()
        self.stdout.write(
            self.style.SUCCESS(
                "Referral routes: {partners} partner institutions, {cooperations} cooperations, "
                "{routes} routes.".format(**routes)
            )
        )
