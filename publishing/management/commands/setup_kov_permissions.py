from django.core.management.base import BaseCommand, CommandError

from directory.models import Municipality
from publishing.permissions import setup_kov_permissions


class Command(BaseCommand):
    help = (
        "Create or update the groups of KOV editors and moderators (one each per municipality) "
        "and of county coordinators, with their admin permissions. Safe to run again."
    )

    def handle(self, *args, **options):
        if not Municipality.objects.exists():
            raise CommandError("No municipalities yet: run `manage.py load_catalogue` first.")
        result = setup_kov_permissions()
        self.stdout.write(
            self.style.SUCCESS(
                f"KOV permissions set up: {result['groups_created']} groups created, "
                f"{result['groups']} groups in all."
            )
        )
