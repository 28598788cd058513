from django.core.management.base import BaseCommand, CommandError

from search.backends import get_backend


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the directory and the page tree, on the configured "
        "backend (SEARCH_BACKEND). Searches keep working while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend", help="database or elasticsearch (default: the SEARCH_BACKEND setting)"
        )

    def handle(self, *args, **options):
        from django.core.exceptions import ImproperlyConfigured

        try:
            backend = get_backend(options.get("backend"))
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        counts = backend.rebuild(stdout=self.stdout)
        total = sum(counts.values())
        detail = ", ".join(f"{n} {source}" for source, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Indexed {total} documents on {backend.name}: {detail}."))
