"""Every message catalogue of the project is complete: `msgfmt --statistics` finds no
untranslated and no fuzzy message in Estonian, Russian or English."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "test-artefacts"}
CATALOGUES = sorted(
    path for path in ROOT.rglob("locale/*/LC_MESSAGES/*.po") if not SKIP & set(path.relative_to(ROOT).parts)
)


def test_every_language_has_catalogues():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert {"et", "ru", "en"} <= languages


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
