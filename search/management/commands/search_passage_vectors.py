"""Write the shipped catalogue's passage vectors to search/data/passage-vectors-<model>.npz.

    manage.py search_passage_vectors

Run after `load_catalogue` when the catalogue's texts change: a rebuild then embeds only texts
that are not in the file (a fresh install or CI would otherwise spend minutes of CPU on the
model). Vectors are float16, keyed by the SHA-1 of the passage text."""

from __future__ import annotations

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from search.documents import documents_for
from search.embedding import EMBEDDED_KINDS, get_embedder, passage_texts, text_key


class Command(BaseCommand):
    help = "Write the catalogue's passage vectors for the embedding model to search/data/."

    def handle(self, *args, **options):
        embedder = get_embedder()
        if embedder is None:
            raise CommandError("No embedding model is loaded (settings.SEARCH_EMBEDDER).")
        texts = sorted(
            {t for kind in EMBEDDED_KINDS for doc in documents_for(kind) for t in passage_texts(doc)}
        )
        vectors = embedder.passages(texts)
        path = embedder.shipped_path()
        np.savez_compressed(
            path, keys=np.array([text_key(t) for t in texts]), vectors=vectors.astype(np.float16)
        )
        self.stdout.write(f"{len(texts)} passage vectors written to {path.name}")
