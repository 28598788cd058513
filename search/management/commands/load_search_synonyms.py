from django.core.management.base import BaseCommand, CommandError

from search.models import Synonym
from search.synonyms import SEED_FILE, SynonymFileError, load_synonyms


class Command(BaseCommand):
    help = (
        "Add the seed synonym groups (search/data/synonyms.yaml, or --file) that are not in the "
        "dictionary yet. Groups staff have edited in the admin are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(SEED_FILE))

    def handle(self, *args, **options):
        from pathlib import Path

        try:
            counts = load_synonyms(Synonym, Path(options["file"]))
        except SynonymFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Synonym groups: {counts['created']} created, {counts['skipped']} already present."
        )
