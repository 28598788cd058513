"""Loading the known gaps (directory/data/catalogue/gaps.yaml) into the database.

The whole file is read and checked before anything is written, and the load runs in one
transaction, so a malformed file changes nothing. Gaps and problems are matched by a key
derived from their content, so a second load updates them in place; entries removed from the
file are removed from the database."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from directory import models as dm
from directory.catalogue import CATALOGUE_DIR, CatalogueError, LineDict, Source, translated

from .models import GapKind, GapStatus, KnownGap, KnownProblem

GAPS_FILE = CATALOGUE_DIR / "gaps.yaml"

__all__ = ["GAPS_FILE", "CatalogueError", "load_gaps"]


def _slug(text: str) -> str:
    return slugify(text)[:60]


class _Reader:
    """Checks gaps.yaml entry by entry against the catalogue in the database."""

    def __init__(self, source: Source, data: Any):
        self.src = source
        self.data = data
        if not isinstance(data, dict):
            raise source.error(data, None, "expected a mapping with service_gaps and problems")
        counties = list(dm.County.objects.all())
        self.counties = {c.ehak: c for c in counties}
        self.county_names = {c.name_et: c for c in counties}
        self.services = {s.code: s for s in dm.Service.objects.all()}
        self.components = {c.code: c for c in dm.Component.objects.all()}
        self.roles = {r.code: r for r in dm.Role.objects.all()}
        # The documents cited, by file name, with a title per language for readers.
        self.titles: dict[str, dict[str, str]] = {}
        for name, titles in (data.get("sources") or {}).items():
            if not isinstance(titles, dict) or not all(titles.get(lang) for lang in ("et", "ru", "en")):
                raise source.error(data["sources"], name, "needs a title in et, ru and en")
            self.titles[str(name)] = {lang: str(titles[lang]) for lang in ("et", "ru", "en")}
        # The regions section names each county once with its EHAK code; entries name it.
        self.region_codes: dict[str, str] = {}
        for region in source.entries(data, "regions") if data.get("regions") is not None else []:
            name, code = region.get("county"), region.get("county_code")
            if code is not None and str(code) not in self.counties:
                raise source.error(region, "county_code", f"unknown county EHAK code '{code}'")
            if name and code:
                self.region_codes[str(name)] = str(code)

    def county(self, entry: LineDict) -> dm.County:
        name = entry.get("county")
        if not name:
            raise self.src.error(entry, "county", "is required")
        code = entry.get("county_code") or self.region_codes.get(name)
        county = self.counties.get(str(code)) if code else self.county_names.get(name)
        if county is None:
            raise self.src.error(entry, "county", f"unknown county '{name}'")
        return county

    def optional_text(self, entry: LineDict, field: str) -> dict[str, str]:
        value = entry.get(field)
        if value is None:
            return dict.fromkeys(("et", "ru", "en"), "")
        return self.src.text(entry, field)

    def source_title(self, entry: LineDict, source: str) -> dict[str, str]:
        """The cited documents' titles (a source names one or more files, "; " apart, each
        perhaps with a section in brackets): never a file name in the readers' text."""
        files = [part.strip() for part in re.sub(r"\s*\([^)]*\)", "", source).split(";")]
        unknown = [name for name in files if name not in self.titles]
        if unknown:
            raise self.src.error(entry, "source", f"not in sources: {', '.join(unknown)}")
        return {lang: "; ".join(self.titles[name][lang] for name in files) for lang in ("et", "ru", "en")}

    def codes(self, entry: LineDict, field: str, known: dict) -> list:
        return self.src.refs(entry, field, known)

    def gap(self, entry: LineDict, position: int) -> dict[str, Any]:
        county = self.county(entry)
        kind = entry.get("kind")
        if kind not in GapKind.values:
            raise self.src.error(entry, "kind", f"unknown kind '{kind}' (one of {', '.join(GapKind.values)})")
        status = entry.get("status")
        if status not in GapStatus.values:
            raise self.src.error(
                entry, "status", f"unknown status '{status}' (one of {', '.join(GapStatus.values)})"
            )
        code = entry.get("code")
        service = component = None
        if code is not None:
            if kind == GapKind.SERVICE:
                service = self.src.ref(entry, "code", self.services)
            elif kind == GapKind.COMPONENT:
                component = self.src.ref(entry, "code", self.components)
            else:
                raise self.src.error(entry, "code", f"a gap of kind '{kind}' has no catalogue code")
        scope = self.optional_text(entry, "scope")
        if code is None and not scope["en"] and not scope["et"]:
            raise self.src.error(entry, "scope", "a gap without a code must say what is missing")
        role_code = entry.get("provider_role")
        source = entry.get("source")
        if not source:
            raise self.src.error(entry, "source", "is required: every gap names where it was found")
        return {
            "key": ":".join([county.ehak, kind, code or _slug(scope["en"] or scope["et"]), status]),
            "county": county,
            "kind": kind,
            "service": service,
            "component": component,
            "status": status,
            "provider_role": self.src.ref(entry, "provider_role", self.roles) if role_code else None,
            "as_of": str(entry.get("as_of") or ""),
            "source": str(source),
            "position": position,
            "scope": scope,
            "note": self.optional_text(entry, "note"),
            "source_title": self.source_title(entry, str(source)),
            "related_components": self.codes(entry, "related_components", self.components),
            "related_services": self.codes(entry, "related_services", self.services),
        }

    def problem(self, entry: LineDict, position: int) -> dict[str, Any]:
        county = self.county(entry)
        title = self.src.text(entry, "title")
        source = entry.get("source")
        if not source:
            raise self.src.error(entry, "source", "is required")
        return {
            "key": f"{county.ehak}:{_slug(title['en'] or title['et'])}",
            "county": county,
            "title": title,
            "text": self.optional_text(entry, "text"),
            "source_title": self.source_title(entry, str(source)),
            "source": str(source),
            "position": position,
            "related_roles": self.codes(entry, "related_roles", self.roles),
            "related_services": self.codes(entry, "related_services", self.services),
        }


def read_gaps(path: Path = GAPS_FILE) -> tuple[list[dict], list[dict]]:
    """Read and check the file; raise CatalogueError naming file, line and field."""
    source = Source(Path(path))
    data = source.load_yaml()
    reader = _Reader(source, data)
    gaps = [reader.gap(e, i) for i, e in enumerate(source.entries(data, "service_gaps"))]
    problems_data = source.entries(data, "problems") if data.get("problems") is not None else []
    problems = [reader.problem(e, i) for i, e in enumerate(problems_data)]
    for rows, label in ((gaps, "service_gaps"), (problems, "problems")):
        keys = [row["key"] for row in rows]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise CatalogueError(source.name, None, label, f"the same entry appears twice: {sorted(dupes)}")
    return gaps, problems


@transaction.atomic
def write_gaps(gaps: list[dict], problems: list[dict]) -> dict[str, int]:
    for row in gaps:
        row = dict(row)
        components, services = row.pop("related_components"), row.pop("related_services")
        texts = {field: row.pop(field) for field in ("scope", "note", "source_title")}
        defaults = {**row, **{k: v for field, t in texts.items() for k, v in translated(field, t).items()}}
        gap, _ = KnownGap.objects.update_or_create(key=defaults.pop("key"), defaults=defaults)
        gap.related_components.set(components)
        gap.related_services.set(services)
    KnownGap.objects.exclude(key__in=[row["key"] for row in gaps]).delete()
    for row in problems:
        row = dict(row)
        roles, services = row.pop("related_roles"), row.pop("related_services")
        texts = {field: row.pop(field) for field in ("title", "text", "source_title")}
        defaults = {**row, **{k: v for field, t in texts.items() for k, v in translated(field, t).items()}}
        problem, _ = KnownProblem.objects.update_or_create(key=defaults.pop("key"), defaults=defaults)
        problem.related_roles.set(roles)
        problem.related_services.set(services)
    KnownProblem.objects.exclude(key__in=[row["key"] for row in problems]).delete()
    return {"gaps": len(gaps), "problems": len(problems)}


def load_gaps(path: Path = GAPS_FILE) -> dict[str, int]:
    """Read, check and write the known gaps; returns counts. Needs the catalogue loaded."""
    return write_gaps(*read_gaps(path))
