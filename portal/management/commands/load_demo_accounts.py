from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "abiportaal-demo"  # noqa: S105 - documented demo account for local installs


class Command(BaseCommand):
    help = "Create the demo administrator account (admin / abiportaal-demo) if it is missing."

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write("Demo administrator already exists.")
            return
        User.objects.create_superuser(DEMO_USERNAME, "admin@abiportaal.example", DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS(f"Demo administrator: {DEMO_USERNAME} / {DEMO_PASSWORD}"))
