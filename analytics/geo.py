"""Maps of Estonia drawn on the server as SVG path data, from directory/data/geo.

The boundaries (Estonian Land Board, 01.09.2018) are in WGS84 lon/lat. For a country this
small a plain equirectangular projection, with longitudes scaled by cos(latitude) at the
map's centre, is close enough to look right. Paths are simplified in screen space (points
closer than a pixel to the last one kept are dropped, then Douglas-Peucker at half a pixel;
islands smaller than two pixels vanish), which turns 1.4 MB of GeoJSON into about 80 kB of
SVG. The projected paths are computed once per process and cached."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

from directory.catalogue import GEO_DIR

WIDTH = 640
PADDING = 6
MIN_STEP = 1.0  # px between kept points
MIN_RING = 2.0  # px: rings whose bounding box is smaller vanish
TOLERANCE = 0.5  # px: Douglas-Peucker tolerance
ATTRIBUTION = "Haldus- ja asustusjaotus: Maa-amet 01.09.2018"


@dataclass(frozen=True)
class Shape:
    code: str  # EHAK code in the boundary file (OKOOD / MKOOD)
    name: str
    county_code: str
    d: str  # SVG path data


@dataclass(frozen=True)
class Layer:
    width: int
    height: int
    shapes: tuple[Shape, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _polygons(geometry: dict) -> list:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


@lru_cache(maxsize=1)
def _features() -> dict[str, list[dict]]:
    out = {}
    for layer in ("maakond", "omavalitsus"):
        with (GEO_DIR / f"{layer}.geojson").open(encoding="utf-8") as fh:
            out[layer] = json.load(fh)["features"]
    return out


@lru_cache(maxsize=1)
def _frame() -> tuple[float, float, float, float, float]:
    """lon0, lat_max, x-scale (cos of the central latitude), pixels per degree, height."""
    lons, lats = [], []
    for feature in _features()["maakond"]:
        for polygon in _polygons(feature["geometry"]):
            for lon, lat in polygon[0]:
                lons.append(lon)
                lats.append(lat)
    lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (WIDTH - 2 * PADDING) / ((lon1 - lon0) * kx)
    height = math.ceil((lat1 - lat0) * scale + 2 * PADDING)
    return lon0, lat1, kx, scale, height


def project(lon: float, lat: float) -> tuple[float, float]:
    lon0, lat_max, kx, scale, _h = _frame()
    return PADDING + (lon - lon0) * kx * scale, PADDING + (lat_max - lat) * scale


def _douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Keep only the points that bend the line by more than `tolerance` pixels."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                distance = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / length
            else:
                distance = math.hypot(x - x1, y - y1)
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring_path(ring: list) -> str:
    points = [project(lon, lat) for lon, lat in ring]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if max(xs) - min(xs) < MIN_RING and max(ys) - min(ys) < MIN_RING:
        return ""
    kept = [points[0]]
    for x, y in points[1:-1]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= MIN_STEP:
            kept.append((x, y))
    kept = _douglas_peucker(kept, TOLERANCE)
    if len(kept) < 3:
        return ""
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in kept) + "Z"


def _path(geometry: dict) -> str:
    return "".join(_ring_path(ring) for polygon in _polygons(geometry) for ring in polygon)


@lru_cache(maxsize=2)
def layer(kind: str) -> Layer:
    """'counties' or 'municipalities', projected and simplified (cached per process)."""
    source = {"counties": "maakond", "municipalities": "omavalitsus"}[kind]
    shapes = []
    for feature in _features()[source]:
        props = feature["properties"]
        code = props["OKOOD"] if source == "omavalitsus" else props["MKOOD"]
        name = props["ONIMI"] if source == "omavalitsus" else props["MNIMI"]
        shapes.append(Shape(code, name, props["MKOOD"], _path(feature["geometry"])))
    shapes.sort(key=lambda s: s.name)
    return Layer(WIDTH, _frame()[4], tuple(shapes))


def municipality_map(rows: dict, describe) -> dict:
    """Every municipality's shape for the SVG map: `rows` maps municipalities to report rows;
    `describe(row)` gives (css class, label); a shape without a row is "out", named only."""
    shapes_layer = layer("municipalities")
    match = join(shapes_layer.shapes, list(rows))
    shapes = []
    for shape in shapes_layer.shapes:
        found = match.get(shape.code)
        if found is None or rows[found] is None:
            shapes.append({"d": shape.d, "css": "out", "label": shape.name})
            continue
        css, label = describe(rows[found])
        shapes.append({"d": shape.d, "css": css, "label": label})
    return {"layer": shapes_layer, "shapes": shapes}


def join(shapes, objects, *, ehak=lambda o: o.ehak, name=lambda o: o.name_et) -> dict[str, object]:
    """Match boundary shapes to counties or municipalities: by EHAK code, and by Estonian
    name where the code changed after the boundaries' edition (see geo/README.md)."""
    by_code = {ehak(o): o for o in objects}
    by_name = {name(o): o for o in objects}
    out = {}
    for shape in shapes:
        found = by_code.get(shape.code) or by_name.get(shape.name)
        if found is not None:
            out[shape.code] = found
    return out


# -- one municipality with points on it (the offer page's small map) -----------------------


@dataclass(frozen=True)
class AreaMap:
    """A municipality's boundary at its own scale, with points (service locations) on it."""

    width: int
    height: int
    d: str
    points: tuple[tuple[float, float, str], ...]  # x, y, label

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _feature_for(ehak: str, name: str) -> dict | None:
    features = _features()["omavalitsus"]
    return next((f for f in features if f["properties"]["OKOOD"] == ehak), None) or next(
        (f for f in features if f["properties"]["ONIMI"] == name), None
    )


@lru_cache(maxsize=256)
def area_map(ehak: str, name: str, points: tuple = (), width: int = 320) -> AreaMap | None:
    """The municipality (by EHAK code, else Estonian name) drawn `width` px wide, with
    `points` = ((latitude, longitude, label), …) placed on it — the frame grows to take in a
    point outside the boundary; None without a boundary. Cached per process."""
    feature = _feature_for(ehak, name)
    if feature is None:
        return None
    coords = [pt for polygon in _polygons(feature["geometry"]) for pt in polygon[0]]
    lons = [c[0] for c in coords] + [p[1] for p in points]
    lats = [c[1] for c in coords] + [p[0] for p in points]
    lon0, lon1, lat0, lat1 = min(lons), max(lons), min(lats), max(lats)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    scale = (width - 2 * PADDING) / max((lon1 - lon0) * kx, (lat1 - lat0), 1e-6)

    def to_xy(lon, lat):
        return PADDING + (lon - lon0) * kx * scale, PADDING + (lat1 - lat) * scale

    rings = []
    for polygon in _polygons(feature["geometry"]):
        for ring in polygon:
            pts = _douglas_peucker([to_xy(lon, lat) for lon, lat in ring], TOLERANCE)
            if len(pts) >= 3:
                rings.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in pts) + "Z")
    placed = tuple((*(round(v, 1) for v in to_xy(lon, lat)), label) for lat, lon, label in points)
    width_px = math.ceil((lon1 - lon0) * kx * scale + 2 * PADDING)
    height_px = math.ceil((lat1 - lat0) * scale + 2 * PADDING)
    return AreaMap(width_px, height_px, "".join(rings), placed)
