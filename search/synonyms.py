"""The synonym dictionary's seed data (search/data/synonyms.yaml) and how it is loaded."""

from __future__ import annotations

from pathlib import Path

import yaml

SEED_FILE = Path(__file__).resolve().parent / "data" / "synonyms.yaml"
LANGUAGES = ("et", "ru", "en")


class SynonymFileError(ValueError):
    """The seed file is malformed; the message says where."""


def read_seed(path: Path = SEED_FILE) -> list[tuple[str, list[str]]]:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SynonymFileError(f"{path.name}: cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise SynonymFileError(f"{path.name}: expected a mapping of language to groups")
    groups = []
    for lang, entries in data.items():
        if lang not in LANGUAGES:
            raise SynonymFileError(f"{path.name}: unknown language '{lang}'")
        for number, group in enumerate(entries or [], start=1):
            if not isinstance(group, list) or len(group) < 2:
                raise SynonymFileError(f"{path.name}: {lang} group {number} needs two or more words")
            groups.append((lang, [str(term).strip() for term in group if str(term).strip()]))
    return groups


def load_synonyms(model, path: Path = SEED_FILE) -> dict[str, int]:
    """Add the seed groups that are not there yet; groups staff have edited stay as they are.
    A group counts as present when a group of the same language holds its first word."""
    existing = {}
    for row in model.objects.all():
        for term in row.terms.replace(",", "\n").splitlines():
            existing[(row.language, term.strip().lower())] = row
    created = skipped = 0
    for lang, terms in read_seed(path):
        if (lang, terms[0].lower()) in existing:
            skipped += 1
            continue
        model.objects.create(language=lang, terms="\n".join(terms))
        created += 1
    return {"created": created, "skipped": skipped}
