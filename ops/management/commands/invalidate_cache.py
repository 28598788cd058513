"""Make every cached public page and API response stale at once."""

from django.core.management.base import BaseCommand

from directory import content_version


class Command(BaseCommand):
    help = (
        "Invalidate the public response cache. Saves and deletes do this by themselves; run it after "
        "writes that bypass model signals (bulk loads, raw SQL, a restore)."
    )

    def handle(self, *args, **options):
        version = content_version.bump()
        self.stdout.write(
            self.style.SUCCESS(f"Public response cache invalidated (content version {version.number}).")
        )
