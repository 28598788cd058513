"""Loading the reference catalogue (directory/data/catalogue) into the database.

Every file is read and checked before anything is written; the load runs in one
transaction, so a malformed file changes nothing. Entries are matched by code, so a second
load updates names and texts in place and never duplicates."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import ProtectedError

from . import models as m
from .signals import bulk_saved

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_DIR = DATA_DIR / "catalogue"
GEO_DIR = DATA_DIR / "geo"
LANGS = ("et", "ru", "en")


class CatalogueError(Exception):
    """A catalogue file is malformed: names the file, the line and the field."""

    def __init__(self, file: str, line: int | None, field: str | None, message: str):
        self.file, self.line, self.field, self.message = file, line, field, message
        where = file + (f", line {line}" if line else "") + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")


class LineDict(dict):
    """A YAML mapping that remembers the line it started on."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


@dataclass
class Source:
    """One catalogue file being read; knows how to complain about it precisely."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    def error(self, entry: Any, field: str | None, message: str) -> CatalogueError:
        return CatalogueError(self.name, getattr(entry, "line", None), field, message)

    def load_yaml(self) -> Any:
        try:
            with self.path.open(encoding="utf-8") as fh:
                return yaml.load(fh, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
        except FileNotFoundError as exc:
            raise CatalogueError(self.name, None, None, "file not found") from exc
        except UnicodeDecodeError as exc:
            raise CatalogueError(self.name, None, None, "not UTF-8 text") from exc
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            raise CatalogueError(self.name, line, None, f"not valid YAML: {exc.problem}") from exc

    def load_csv(self) -> list[tuple[int, dict[str, str]]]:
        try:
            with self.path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                return [(reader.line_num, row) for row in reader]
        except FileNotFoundError as exc:
            raise CatalogueError(self.name, None, None, "file not found") from exc
        except UnicodeDecodeError as exc:
            raise CatalogueError(self.name, None, None, "not UTF-8 text") from exc

    def entries(self, data: Any, key: str | None = None) -> list[LineDict]:
        items = data.get(key) if (key and isinstance(data, dict)) else data
        if not isinstance(items, list):
            raise self.error(data, key, "expected a list of entries")
        for item in items:
            if not isinstance(item, dict):
                raise self.error(data, key, "every entry must be a mapping")
        return items

    def code(self, entry: dict) -> str:
        code = self.required(entry, "code")
        if not isinstance(code, str) or not m.base.code_validator.regex.match(code):
            raise self.error(entry, "code", f"'{code}' is not a valid code (lower-case-with-hyphens)")
        return code

    def required(self, entry: dict, field: str) -> Any:
        if entry.get(field) in (None, ""):
            raise self.error(entry, field, "is required")
        return entry[field]

    def text(self, entry: dict, field: str, required: bool = True) -> dict[str, str]:
        """A translated text: a mapping with et (required), ru and en."""
        value = entry.get(field)
        if value is None and not required:
            return dict.fromkeys(LANGS, "")
        if not isinstance(value, dict) or not value.get("et"):
            raise self.error(entry, field, "must be a mapping with at least an 'et' text")
        return {lang: str(value.get(lang) or "").strip() for lang in LANGS}

    def keywords(self, entry: dict) -> dict[str, str]:
        value = entry.get("keywords") or {}
        if not isinstance(value, dict):
            raise self.error(entry, "keywords", "must be a mapping of language to a list")
        out = {}
        for lang in LANGS:
            words = value.get(lang) or []
            if not isinstance(words, list):
                raise self.error(entry, f"keywords.{lang}", "must be a list")
            out[lang] = "\n".join(str(w).strip() for w in words if str(w).strip())
        return out

    def lists(self, entry: dict, field: str) -> dict[str, list[str]]:
        """A translated list: a mapping of language to a list (et at least), or one list in
        Estonian."""
        value = entry.get(field) or {}
        if isinstance(value, list):
            value = {LANGS[0]: value}
        if not isinstance(value, dict):
            raise self.error(entry, field, "must be a mapping of language to a list")
        out = {}
        for lang in LANGS:
            items = value.get(lang) or []
            if not isinstance(items, list):
                raise self.error(entry, f"{field}.{lang}", "must be a list")
            out[lang] = [str(item).strip() for item in items if str(item).strip()]
        return out

    def ref(self, entry: dict, field: str, known: dict, value: Any = None) -> Any:
        code = entry.get(field) if value is None else value
        if code not in known:
            raise self.error(entry, field, f"unknown code '{code}'")
        return known[code]

    def refs(self, entry: dict, field: str, known: dict) -> list:
        codes = entry.get(field) or []
        if not isinstance(codes, list):
            raise self.error(entry, field, "must be a list of codes")
        return [self.ref(entry, field, known, code) for code in codes]


def translated(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{lang}": texts[lang] for lang in LANGS}


def _upsert(model, code: str, **fields):
    obj, _created = model.objects.update_or_create(code=code, defaults=fields)
    return obj


def _unique(source: Source, entries: list[dict]) -> None:
    seen: set[str] = set()
    for entry in entries:
        code = source.code(entry)
        if code in seen:
            raise source.error(entry, "code", f"duplicate code '{code}'")
        seen.add(code)


# -- places ---------------------------------------------------------------------------------


def _centroids() -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float]]]:
    """Centre points of the municipality boundaries, by EHAK code and by Estonian name."""
    path = GEO_DIR / "omavalitsus.geojson"
    if not path.exists():
        return {}, {}
    by_code, by_name = {}, {}
    with path.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    for feature in features:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        point = _largest_ring_centroid([polygon[0] for polygon in polygons])
        props = feature["properties"]
        by_code[props["OKOOD"]] = point
        by_name[props["ONIMI"]] = point
    return by_code, by_name


def _largest_ring_centroid(rings: list[list[list[float]]]) -> tuple[float, float]:
    best, best_area = (0.0, 0.0), -1.0
    for ring in rings:
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if abs(area) > best_area and area:
            best_area = abs(area)
            best = (cy / (3 * area), cx / (3 * area))  # (lat, lon)
    return best


def read_places(directory: Path) -> tuple[list, list]:
    counties_src = Source(directory / "counties.csv")
    counties = []
    for line, row in counties_src.load_csv():
        for field in ("county_code", "name_et"):
            if not row.get(field):
                raise CatalogueError(counties_src.name, line, field, "is required")
        counties.append(row)
    county_codes = {row["county_code"] for row in counties}
    muni_src = Source(directory / "municipalities.csv")
    municipalities = []
    for line, row in muni_src.load_csv():
        for field in ("code", "ehak", "name_et", "kind", "county_code"):
            if not row.get(field):
                raise CatalogueError(muni_src.name, line, field, "is required")
        if row["kind"] not in m.places.MunicipalityKind.values:
            raise CatalogueError(muni_src.name, line, "kind", f"unknown kind '{row['kind']}'")
        if row["county_code"] not in county_codes:
            raise CatalogueError(muni_src.name, line, "county_code", f"unknown county '{row['county_code']}'")
        for field in ("population", "population_year"):
            if row.get(field) and not row[field].isdigit():
                raise CatalogueError(muni_src.name, line, field, "must be a whole number")
        municipalities.append(row)
    return counties, municipalities


def _county_code(name_et: str) -> str:
    slug = name_et.lower().replace(" maakond", "")
    return (
        slug.replace("õ", "o").replace("ä", "a").replace("ö", "o").replace("ü", "u").replace(" ", "-")
    ) + "-maakond"


def write_places(counties: list, municipalities: list) -> None:
    by_ehak = {}
    for row in counties:
        county, _ = m.County.objects.update_or_create(
            ehak=row["county_code"],
            defaults={
                "code": _county_code(row["name_et"]),
                **{f"name_{lang}": row.get(f"name_{lang}", "") for lang in LANGS},
            },
        )
        by_ehak[county.ehak] = county
    by_code, by_name = _centroids()
    for row in municipalities:
        lat_lon = by_code.get(row["ehak"]) or by_name.get(row["name_et"]) or (None, None)
        website = row.get("website") or ""
        if website and not website.startswith("http"):
            website = "https://" + website
        _upsert(
            m.Municipality,
            row["code"],
            ehak=row["ehak"],
            kind=row["kind"],
            county=by_ehak[row["county_code"]],
            population=int(row["population"]) if row.get("population") else None,
            population_year=int(row["population_year"]) if row.get("population_year") else None,
            website=website,
            latitude=lat_lon[0],
            longitude=lat_lon[1],
            **{f"name_{lang}": row.get(f"name_{lang}", "") for lang in LANGS},
        )


# -- settlements (asustusüksused) -----------------------------------------------------------

SETTLEMENTS_FILE = GEO_DIR / "asustusyksus.csv"
# A generous box around Estonia (WGS84); the Settlement model's check constraint is the same.
ESTONIA_LAT, ESTONIA_LON = (57.4, 59.9), (21.5, 28.3)
SETTLEMENT_FIELDS = ("name", "kind", "municipality_id", "latitude", "longitude")


def read_settlements(path: Path, municipality_codes: set[str]) -> list[dict[str, Any]]:
    """Every row of asustusyksus.csv, checked: a four-digit EHAK code used once, a name, a known
    kind, a municipality in the catalogue and a centroid inside Estonia."""
    src = Source(Path(path))
    rows = src.load_csv()
    if not rows:
        raise CatalogueError(src.name, None, None, "no settlements in the file")
    missing = {"ehak", "name", "kind", "municipality", "lon", "lat"} - set(rows[0][1])
    if missing:
        raise CatalogueError(src.name, 1, None, f"missing columns: {', '.join(sorted(missing))}")
    seen: dict[str, int] = {}
    settlements = []
    for line, row in rows:
        for field in ("ehak", "name", "kind", "municipality", "lon", "lat"):
            if not (row.get(field) or "").strip():
                raise CatalogueError(src.name, line, field, "is required")
        code = row["ehak"].strip()
        if not (len(code) == 4 and code.isdigit()):
            raise CatalogueError(src.name, line, "ehak", f"'{code}' is not a four-digit EHAK code")
        if code in seen:
            raise CatalogueError(
                src.name, line, "ehak", f"duplicate code '{code}' (first on line {seen[code]})"
            )
        seen[code] = line
        if row["kind"] not in m.SettlementKind.values:
            raise CatalogueError(src.name, line, "kind", f"unknown kind '{row['kind']}'")
        if row["municipality"] not in municipality_codes:
            raise CatalogueError(
                src.name, line, "municipality", f"unknown municipality '{row['municipality']}'"
            )
        point = {}
        for field, name, (low, high) in (("lat", "latitude", ESTONIA_LAT), ("lon", "longitude", ESTONIA_LON)):
            try:
                value = float(row[field])
            except ValueError:
                raise CatalogueError(src.name, line, field, f"'{row[field]}' is not a number") from None
            if not low <= value <= high:
                raise CatalogueError(src.name, line, field, f"{value} lies outside Estonia")
            point[name] = value
        settlements.append(
            {
                "code": code,
                "name": row["name"].strip(),
                "kind": row["kind"],
                "municipality": row["municipality"],
                **point,
            }
        )
    return settlements


def write_settlements(rows: list[dict[str, Any]]) -> int:
    """Make the Settlement table equal the file: new codes are added, changed rows updated in
    place, codes no longer in the file removed. Writes nothing when nothing changed."""
    municipality_ids = dict(m.Municipality.objects.values_list("code", "pk"))
    existing = {s.code: s for s in m.Settlement.objects.all()}
    created, updated = [], []
    for row in rows:
        values = {
            "name": row["name"],
            "kind": row["kind"],
            "municipality_id": municipality_ids[row["municipality"]],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
        }
        current = existing.pop(row["code"], None)
        if current is None:
            created.append(m.Settlement(code=row["code"], **values))
        elif any(getattr(current, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(current, field, value)
            updated.append(current)
    if existing:
        gone = m.Settlement.objects.filter(code__in=list(existing))
        try:
            gone.delete()
        except ProtectedError as exc:
            names = ", ".join(sorted(f"{s.name} ({s.code})" for s in exc.protected_objects)[:5])
            raise CatalogueError(
                SETTLEMENTS_FILE.name, None, "ehak", f"settlements still in use cannot be removed: {names}"
            ) from exc
    m.Settlement.objects.bulk_create(created, batch_size=500)
    m.Settlement.objects.bulk_update(updated, SETTLEMENT_FIELDS, batch_size=500)
    if created or updated:
        bulk_saved.send(sender=m.Settlement, instances=created + updated)
    return len(rows)


# -- the catalogue proper -------------------------------------------------------------------


def load_catalogue(
    directory: Path = CATALOGUE_DIR, settlements_file: Path = SETTLEMENTS_FILE
) -> dict[str, int]:
    """Read, check and write the whole catalogue and the settlement register; returns counts
    per kind of entry."""
    directory = Path(directory)
    files = {
        name: Source(directory / f"{name}.yaml")
        for name in ("units", "domains", "target_groups", "roles", "components", "services", "journeys")
    }
    data = {name: src.load_yaml() for name, src in files.items()}
    places = read_places(directory)
    settlements = read_settlements(settlements_file, {row["code"] for row in places[1]})
    with transaction.atomic():
        write_places(*places)
        write_settlements(settlements)
        counts = _write_catalogue(files, data)
    counts["counties"] = len(places[0])
    counts["municipalities"] = len(places[1])
    counts["settlements"] = len(settlements)
    return counts


def _write_catalogue(files: dict[str, Source], data: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}

    src = files["units"]
    units = src.entries(data["units"])
    _unique(src, units)
    for entry in units:
        _upsert(m.Unit, src.code(entry), **translated("name", src.text(entry, "name")))
    counts["units"] = len(units)

    src = files["domains"]
    tiers_data, domains_data = src.entries(data["domains"], "tiers"), src.entries(data["domains"], "domains")
    _unique(src, tiers_data)
    _unique(src, domains_data)
    tiers = {}
    for entry in tiers_data:
        tiers[entry["code"]] = _upsert(
            m.Tier,
            src.code(entry),
            source=entry.get("source") or "",
            **translated("name", src.text(entry, "name")),
            **translated("description", src.text(entry, "description", required=False)),
        )
    domains = {}
    for position, entry in enumerate(domains_data):
        domains[entry["code"]] = _upsert(
            m.Domain,
            src.code(entry),
            tier=src.ref(entry, "tier", tiers),
            position=position,
            **translated("name", src.text(entry, "name")),
        )
    counts["tiers"], counts["domains"] = len(tiers), len(domains)

    src = files["target_groups"]
    entries = src.entries(data["target_groups"])
    _unique(src, entries)
    groups = {
        entry["code"]: _upsert(
            m.TargetGroup,
            src.code(entry),
            source=entry.get("source") or "",
            **translated("name", src.text(entry, "name")),
            **translated("description", src.text(entry, "description", required=False)),
        )
        for entry in entries
    }
    counts["target_groups"] = len(groups)

    src = files["roles"]
    entries = src.entries(data["roles"])
    _unique(src, entries)
    roles = {}
    for position, entry in enumerate(entries):
        kind = src.required(entry, "kind")
        if kind not in m.catalogue.RoleKind.values:
            raise src.error(entry, "kind", f"unknown kind '{kind}'")
        roles[entry["code"]] = _upsert(
            m.Role,
            src.code(entry),
            kind=kind,
            position=position,
            source=entry.get("source") or "",
            **translated("name", src.text(entry, "name")),
            **translated("contact_for", src.text(entry, "contact_for", required=False)),
        )
    counts["roles"] = len(roles)

    src = files["components"]
    entries = src.entries(data["components"])
    _unique(src, entries)
    components = {}
    for position, entry in enumerate(entries):
        work_forms = entry.get("work_form") or []
        if not work_forms or any(wf not in m.WorkForm.values for wf in work_forms):
            raise src.error(entry, "work_form", "must list individual and/or group")
        components[entry["code"]] = _upsert(
            m.Component,
            src.code(entry),
            tier=src.ref(entry, "tier", tiers),
            domain=src.ref(entry, "domain", domains),
            work_forms=work_forms,
            **translated("includes", src.lists(entry, "includes")),
            **translated("situations", src.lists(entry, "situations")),
            source=entry.get("source") or "",
            position=position,
            **translated("name", src.text(entry, "name")),
            **translated("summary", src.text(entry, "summary", required=False)),
            **translated("keywords", src.keywords(entry)),
        )
    counts["components"] = len(components)

    src = files["services"]
    entries = src.entries(data["services"])
    _unique(src, entries)
    services = {}
    for position, entry in enumerate(entries):
        organiser = src.required(entry, "organiser")
        if organiser not in m.catalogue.Organiser.values:
            raise src.error(entry, "organiser", f"unknown organiser '{organiser}'")
        service = _upsert(
            m.Service,
            src.code(entry),
            organiser=organiser,
            **translated("situations", src.lists(entry, "situations")),
            source=entry.get("source") or "",
            position=position,
            **translated("name", src.text(entry, "name")),
            **translated("summary", src.text(entry, "summary", required=False)),
            **translated("keywords", src.keywords(entry)),
        )
        service.target_groups.set(src.refs(entry, "target_groups", groups))
        service.related_components.set(src.refs(entry, "related_components", components))
        services[entry["code"]] = service
    counts["services"] = len(services)

    src = files["journeys"]
    stages_data = src.entries(data["journeys"], "stages")
    _unique(src, stages_data)
    stages = {}
    for entry in stages_data:
        stage = _upsert(
            m.Stage,
            src.code(entry),
            position=int(src.required(entry, "order")),
            source=entry.get("source") or "",
            **translated("name", src.text(entry, "name")),
        )
        stage.responsible.set(src.refs(entry, "responsible", roles))
        stages[entry["code"]] = stage
    journeys_data = src.entries(data["journeys"], "journeys")
    _unique(src, journeys_data)
    steps_total = 0
    for position, entry in enumerate(journeys_data):
        journey = _upsert(
            m.Journey,
            src.code(entry),
            position=position,
            source=entry.get("source") or "",
            **translated("title", src.text(entry, "title")),
            **translated("summary", src.text(entry, "summary", required=False)),
            **translated("eligibility_note", src.text(entry, "eligibility_note", required=False)),
        )
        journey.target_groups.set(src.refs(entry, "target_groups", groups))
        steps = src.entries(entry, "steps")
        for step_position, step in enumerate(steps, start=1):
            deadline = step.get("deadline_days")
            if deadline is not None and (not isinstance(deadline, int) or deadline < 0):
                raise src.error(step, "deadline_days", "must be a whole number of days or null")
            stage_code = step.get("stage")
            obj, _ = m.JourneyStep.objects.update_or_create(
                journey=journey,
                position=step_position,
                defaults={
                    "stage": src.ref(step, "stage", stages) if stage_code else None,
                    "actor": src.ref(step, "actor", roles),
                    "deadline_days": deadline,
                    **translated("title", src.text(step, "title")),
                    **translated("text", src.text(step, "text", required=False)),
                },
            )
            obj.other_actors.set(src.refs(step, "other_actors", roles))
            obj.components.set(src.refs(step, "components", components))
            obj.services.set(src.refs(step, "services", services))
        journey.steps.filter(position__gt=len(steps)).delete()
        steps_total += len(steps)
    counts["stages"], counts["journeys"], counts["journey_steps"] = (
        len(stages),
        len(journeys_data),
        steps_total,
    )
    return counts
