"""The release: a digest of the project's own code, templates, static files and compiled
translations, read once per process. The response cache and the page fragments outlive the
processes (in Redis) and are keyed on it as well as on the content version, so a release that
changes how a page is rendered is never served what the release before it stored."""

import functools
import hashlib
import sys
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings

RENDERING_FILES = ("*.py", "*.html", "*.css", "*.js", "*.mo")


def digest(folders: Iterable[Path]) -> str:
    """Twelve hex digits of every rendering file under the folders, by path and content."""
    hashed = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for pattern in RENDERING_FILES for p in folder.rglob(pattern)):
            hashed.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()[:12]


def project_folders() -> list[Path]:
    """The project's own apps (not the installed libraries, whose versions the lock pins) and
    the top-level locale/."""
    base, environment = Path(settings.BASE_DIR).resolve(), Path(sys.prefix).resolve()
    folders = {Path(config.path).resolve() for config in apps.get_app_configs()} | {base / "locale"}
    return sorted(
        f for f in folders if f.is_relative_to(base) and not f.is_relative_to(environment) and f.is_dir()
    )


@functools.cache
def current() -> str:
    return digest(project_folders())
