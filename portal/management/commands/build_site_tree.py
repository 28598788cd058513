from django.core.management.base import BaseCommand

from portal.site_tree import build_site_tree


class Command(BaseCommand):
    help = "Create or update the home page, the municipalities index and one page per municipality."

    def handle(self, *args, **options):
        result = build_site_tree()
        self.stdout.write(
            self.style.SUCCESS(
                f"Site tree ready; {result['municipality_pages_created']} municipality pages created."
            )
        )
