"""Writing the open-data files and keeping them fresh.

Freshness is checked lazily: the manifest records the content version (directory.content_version,
moved on by every committed change to published content) and the date the files were built for
("current" prices change at midnight without any write). A download or the open-data page calls
ensure_fresh(), which, when either differs, queues a rebuild as a background job and serves
the previous files meanwhile; the job builds under a file lock, so two builds never run at
once, and by atomic renames, so a reader never sees half a file. Rebuilding when the files
are asked for rather than on every commit keeps editors' saves fast and costs nothing while
nobody downloads."""

import csv
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import tempfile
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from directory import content_version

from .datasets import DATASETS, FORMATS, LICENCE_NAME, LICENCE_URL, Dataset

MANIFEST = "manifest.json"
INJECTION_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ATTRIBUTION = "Abiportaal — sotsiaalhoolekande teenused ja hinnad (CC BY 4.0)"


def root() -> Path:
    return Path(getattr(settings, "OPEN_DATA_ROOT", settings.BASE_DIR / "exports"))


# A sign followed only by digits, spaces and ( ) . / - — a phone number such as +372 5123 4567
# or a negative amount: a spreadsheet reads it as a number or plain arithmetic, never a call.
HARMLESS = re.compile(r"^[+-]?[0-9 ().\/-]*$", re.ASCII)


def safe_text(value: str) -> str:
    """Spreadsheet-injection guard for CSV: a cell starting with = + - @ (or a tab or carriage
    return) may be read as a formula by Excel or LibreOffice, and a formula can call functions
    (HYPERLINK, DDE); a leading apostrophe makes it plain text. Only what could run is escaped:
    phone numbers and amounts stay as they are."""
    if value.startswith(INJECTION_PREFIXES) and not HARMLESS.match(value):
        return "'" + value
    return value


def cell_value(value, guard=safe_text):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date | Decimal | int | float):
        return value if isinstance(value, Decimal | int | float) else value.isoformat()
    return guard(str(value))


@contextmanager
def atomic_file(path: Path, mode: str = "w", **kwargs):
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, mode, **kwargs) as f:
            yield f
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_csv(dataset: Dataset, rows: list[tuple], path: Path) -> None:
    # utf-8-sig: the BOM makes Excel read Estonian and Russian letters correctly.
    with atomic_file(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(dataset.columns)
        for row in rows:
            writer.writerow([cell_value(v) for v in row])


def write_json(dataset: Dataset, rows: list[tuple], path: Path, meta: dict) -> None:
    document = {
        "dataset": dataset.slug,
        "title": str(dataset.title),
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL, "attribution": ATTRIBUTION},
        **meta,
        "columns": list(dataset.columns),
        "rows": [dict(zip(dataset.columns, row, strict=True)) for row in rows],
    }
    with atomic_file(path, "w", encoding="utf-8") as f:
        json.dump(document, f, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def write_xlsx(dataset: Dataset, rows: list[tuple], path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(dataset.slug)
    bold = Font(bold=True)
    header = []
    for name in dataset.columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            value = cell_value(value, guard=str)  # text cells: nothing to escape
            if isinstance(value, Decimal):
                value = float(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
    licence = book.create_sheet("licence")
    licence.append([LICENCE_NAME, LICENCE_URL])
    licence.append([ATTRIBUTION])
    with atomic_file(path, "wb") as f:
        book.save(f)


def read_manifest(folder: Path | None = None) -> dict | None:
    try:
        return json.loads(((folder or root()) / MANIFEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def wanted_state() -> dict:
    return {"data_version": content_version.current().key, "as_of": timezone.localdate().isoformat()}


def is_fresh(manifest: dict | None) -> bool:
    if not manifest:
        return False
    state = wanted_state()
    return all(manifest.get(k) == v for k, v in state.items()) and files_exist(manifest)


def files_exist(manifest: dict) -> bool:
    return all((root() / name).exists() for name in manifest.get("files", {}))


def export_all(folder: Path | None = None) -> dict:
    """Write every dataset in every format, then the manifest. Texts are in Estonian."""
    folder = folder or root()
    folder.mkdir(parents=True, exist_ok=True)
    state = wanted_state()
    generated_at = timezone.now().isoformat(timespec="seconds")
    files = {}
    with translation.override("et"):
        for dataset in DATASETS:
            rows = list(dataset.rows())
            meta = {**state, "generated_at": generated_at}
            paths = {fmt: folder / f"{dataset.slug}.{fmt}" for fmt in FORMATS}
            write_csv(dataset, rows, paths["csv"])
            write_json(dataset, rows, paths["json"], meta)
            write_xlsx(dataset, rows, paths["xlsx"])
            for fmt, path in paths.items():
                content = path.read_bytes()
                files[path.name] = {
                    "dataset": dataset.slug,
                    "format": fmt,
                    "size": len(content),
                    "rows": len(rows),
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "modified": generated_at,
                }
    manifest = {**state, "generated_at": generated_at, "licence": LICENCE_URL, "files": files}
    with atomic_file(folder / MANIFEST, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    return manifest


@contextmanager
def build_lock(folder: Path, wait: bool = True):
    """Hold the folder's build lock; yields whether it is held (always, when waiting)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_fresh() -> dict:
    """The manifest of the files to serve: the current ones, or — when the data moved on — the
    previous ones while a background job (opendata.tasks.rebuild_open_data) rebuilds them, so a
    request never waits for a rebuild (seconds). Only when there are no files at all yet does
    the request build them itself, as there is nothing else to serve."""
    manifest = read_manifest()
    if is_fresh(manifest):
        return manifest
    if manifest and files_exist(manifest):
        from .tasks import request_rebuild

        request_rebuild()
        return manifest
    return rebuild_if_stale()


def rebuild_if_stale() -> dict:
    """Rebuild the files unless they are current (under the folder's lock: one build at once)."""
    with build_lock(root()):
        manifest = read_manifest()  # another build may have finished while we waited
        if is_fresh(manifest):
            return manifest
        return export_all()
