"""Municipality maps for the portal: GeoJSON checking and rewinding, tile-map layouts, and the
Vega-Lite specs of the map and of the trend charts (plain dicts; the web app draws them with vega-embed).

GeoJSON: RFC 7946 (section 3.1.6) wants exterior rings counter-clockwise and holes clockwise; d3-geo,
which draws Vega's ``geoshape``, works on the sphere and takes the *clockwise* ring as the inside,
so an RFC-wound polygon is drawn as the whole world minus the municipality: the map fills the
rectangle. :func:`rewind` therefore orients every exterior ring clockwise and every hole
counter-clockwise (by the sign of the planar shoelace area, which is right for areas as small as a
municipality), whatever the winding of the uploaded file.

Tile map: where no geometry is available each municipality is one square at a fixed place in a grid
that keeps the neighbours roughly where they are (hand-made for Dalarna; other regions fall back to
a grid in code order).

Default map: the package ships simplified municipality and county boundaries
(``jamkoll/indicators/data/municipalities.geojson`` and ``counties.geojson``, made by
:func:`compact_collection` from the Election Authority's boundaries as simplified by okfse/sweden-geojson;
see ``data/README.md``), so every region has a real map without uploading one (:func:`default_geometry`).
A region may still upload its own file (:func:`check_geojson`), which then takes precedence.

References: Butler et al. (2016), RFC 7946 The GeoJSON Format; M. Bostock, d3-geo, "Spherical
polygons" (winding order); Vega-Lite documentation, geoshape mark and projections.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from jamkoll.indicators import register
from jamkoll.ingest.problems import Problem

__all__ = ["CODE_PROPERTIES", "COUNTY_MAP_SOURCE", "MAP_SOURCE", "TILE_LAYOUTS", "check_geojson", "compact_collection",
           "counties", "county_outline", "default_geometry", "map_spec", "rewind", "signed_area", "tile_positions",
           "trend_spec"]

#: The source of the shipped default map, to be named wherever it is drawn.
MAP_SOURCE = "Kommungränser: Valmyndigheten, förenklade (okfse/sweden-geojson)"
COUNTY_MAP_SOURCE = "Länsgränser: förenklade (okfse/sweden-geojson)"

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Property names that may hold the municipality code in an uploaded file.
CODE_PROPERTIES = ("id", "kommunkod", "municipality_code", "KnKod", "kn_kod", "code", "kod")
# Sweden with a margin, in degrees: a coordinate outside is not WGS 84 longitude/latitude.
_LON = (9.0, 26.0)
_LAT = (54.0, 70.0)

# (column, row) per municipality, north at the top.
TILE_LAYOUTS: dict[str, dict[str, tuple[int, int]]] = {
    "20": {
        "2039": (0, 0), "2034": (1, 0),
        "2023": (0, 1), "2062": (1, 1), "2031": (2, 1),
        "2029": (2, 2), "2080": (3, 2),
        "2021": (0, 3), "2026": (1, 3), "2081": (2, 3), "2082": (3, 3), "2083": (4, 3),
        "2085": (1, 4), "2061": (2, 4), "2084": (4, 4),
    },
}


def signed_area(ring: Sequence[Sequence[float]]) -> float:
    """Planar shoelace area of a ring of (lon, lat) points: positive when counter-clockwise."""
    total = 0.0
    for (x1, y1, *_a), (x2, y2, *_b) in zip(ring, [*ring[1:], ring[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2


def _oriented(ring: list[list[float]], clockwise: bool) -> list[list[float]]:
    area = signed_area(ring)
    return list(reversed(ring)) if (area > 0) == clockwise else ring


def rewind(geometry: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a Polygon or MultiPolygon with exterior rings clockwise and holes counter-clockwise (d3)."""
    def polygon(rings: list[list[list[float]]]) -> list[list[list[float]]]:
        return [_oriented(r, clockwise=(i == 0)) for i, r in enumerate(rings)]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry["coordinates"])}
    return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geometry["coordinates"]]}


def _code(properties: Mapping[str, Any]) -> str | None:
    for key in CODE_PROPERTIES:
        value = properties.get(key)
        if value not in (None, ""):
            text = str(value).strip()
            return text.zfill(4) if text.isdigit() and len(text) <= 4 else text
    return None


def _ring_problem(ring: Any) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "en ring har färre än fyra punkter"
    for point in ring:
        if (not isinstance(point, list) or len(point) < 2
                or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in point[:2])):
            return "en punkt är inte ett par av tal"
        lon, lat = point[0], point[1]
        if not (_LON[0] <= lon <= _LON[1] and _LAT[0] <= lat <= _LAT[1]):
            return (f"punkten ({lon}, {lat}) ligger inte i Sverige: koordinaterna ska vara longitud och latitud "
                    "(WGS 84, EPSG:4326), inte t.ex. SWEREF 99")
    return None


def _geometry_problem(geometry: Any) -> str | None:
    if not isinstance(geometry, Mapping) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "geometrin är inte en Polygon eller MultiPolygon"
    polygons = [geometry.get("coordinates")] if geometry["type"] == "Polygon" else geometry.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        return "koordinater saknas"
    for rings in polygons:
        if not isinstance(rings, list) or not rings:
            return "en polygon saknar ringar"
        for ring in rings:
            problem = _ring_problem(ring)
            if problem:
                return problem
    return None


def _rounded(geometry: dict[str, Any], decimals: int) -> dict[str, Any]:
    def walk(node: Any) -> Any:
        if isinstance(node, list) and node and isinstance(node[0], int | float):
            return [round(float(c), decimals) for c in node[:2]]
        return [walk(n) for n in node]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def check_geojson(raw: bytes | str, county_code: str, file: str = "karta.geojson",
                  decimals: int = 4) -> tuple[dict[str, Any] | None, list[Problem], list[str]]:
    """Check an uploaded GeoJSON FeatureCollection of municipalities and keep the region's.

    Returns the region's features (properties ``code`` and ``name`` only, rewound for d3, coordinates
    rounded to ``decimals``), the problems that stop the upload (Swedish), and the region's
    municipality codes the file lacks. Features of other regions are left out silently: a national
    file is the normal upload.
    """
    try:
        payload = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return None, [Problem(file, f"Filen är inte giltig JSON: {exc}.")], []
    if not isinstance(payload, Mapping) or payload.get("type") != "FeatureCollection" \
            or not isinstance(payload.get("features"), list):
        return None, [Problem(file, "Filen är inte en GeoJSON FeatureCollection med en lista 'features'.")], []
    wanted = {m.code: m for m in register.municipalities_in(county_code)}
    features: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for i, feature in enumerate(payload["features"], start=1):
        where = f"features[{i}]"
        properties = feature.get("properties") if isinstance(feature, Mapping) else None
        code = _code(properties) if isinstance(properties, Mapping) else None
        if code is None:
            problems.append(Problem(file, "Kommunkod saknas i egenskaperna (en av "
                                          f"{', '.join(CODE_PROPERTIES)}).", column=f"{where}.properties"))
            continue
        if code not in wanted:
            continue
        geometry = feature.get("geometry")
        problem = _geometry_problem(geometry)
        if problem:
            problems.append(Problem(file, f"Fel i geometrin: {problem}.", column=f"{where}.geometry", value=code))
            continue
        if code in features:
            problems.append(Problem(file, "Kommunen finns flera gånger i filen.", column=where, value=code))
            continue
        features[code] = {"type": "Feature", "properties": {"code": code, "name": wanted[code].name},
                          "geometry": rewind(_rounded(geometry, decimals))}
    if not features and not problems:
        problems.append(Problem(file, "Filen innehåller ingen av regionens kommuner."))
    if problems:
        return None, problems, []
    missing = [code for code in wanted if code not in features]
    return {"type": "FeatureCollection", "features": [features[c] for c in wanted if c in features]}, [], missing


def _dedup_ring(ring: list[list[float]]) -> list[list[float]] | None:
    out = [ring[0]]
    for point in ring[1:]:
        if point != out[-1]:
            out.append(point)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def compact_collection(payload: Mapping[str, Any], properties: Any, decimals: int = 3) -> dict[str, Any]:
    """A smaller copy of a FeatureCollection for shipping: coordinates rounded to ``decimals`` (3 is about
    100 m, far below what a region map shows), repeated points and collapsed rings dropped, rings wound
    for d3 (:func:`rewind`) and only the properties ``properties(feature_properties)`` returns."""
    features = []
    for feature in payload["features"]:
        geometry = _rounded(feature["geometry"], decimals)
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        kept = []
        for rings in polygons:
            cleaned = [r for r in (_dedup_ring(ring) for ring in rings) if r is not None]
            if cleaned:
                kept.append(cleaned)
        if not kept:
            continue
        shape = {"type": "Polygon", "coordinates": kept[0]} if len(kept) == 1 else \
            {"type": "MultiPolygon", "coordinates": kept}
        features.append({"type": "Feature", "properties": properties(feature["properties"]),
                         "geometry": rewind(shape)})
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=2)
def _shipped(name: str) -> dict[str, Any]:
    text = resources.files("jamkoll.indicators").joinpath("data", name).read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def default_geometry(county_code: str) -> dict[str, Any] | None:
    """The shipped boundaries of the county's municipalities, shaped as :func:`check_geojson` returns an
    upload (properties ``code`` and ``name``, in code order), or None if none of them is in the file."""
    wanted = {m.code: m for m in register.municipalities_in(county_code)}
    found = {f["properties"]["code"]: f for f in _shipped("municipalities.geojson")["features"]
             if f["properties"]["code"] in wanted}
    if not found:
        return None
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, "name": wanted[code].name},
         "geometry": found[code]["geometry"]} for code in wanted if code in found]}


def county_outline(county_code: str) -> dict[str, Any] | None:
    """The shipped outline of the county (properties ``code``, ``name``), or None."""
    return next((f for f in _shipped("counties.geojson")["features"] if f["properties"]["code"] == county_code),
                None)


def counties() -> list[dict[str, Any]]:
    """Every county's shipped outline (properties ``code``, ``name``)."""
    return list(_shipped("counties.geojson")["features"])


def tile_positions(county_code: str) -> dict[str, tuple[int, int]]:
    """Fixed (column, row) per municipality of the region: the hand-made layout, else a grid in code order."""
    if county_code in TILE_LAYOUTS:
        return dict(TILE_LAYOUTS[county_code])
    codes = [m.code for m in register.municipalities_in(county_code)]
    columns = max(1, math.ceil(math.sqrt(len(codes))))
    return {code: (i % columns, i // columns) for i, code in enumerate(codes)}


def _color_scale(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    largest = max((abs(r["gap"]) for r in rows if r.get("gap") is not None), default=1.0) or 1.0
    return {"scheme": "purpleorange", "domain": [-largest, largest], "domainMid": 0}


def map_spec(rows: Sequence[Mapping[str, Any]], geometry: Mapping[str, Any] | None, county_code: str, *,
             legend_title: str, labels: Mapping[str, str], height: int = 460) -> dict[str, Any]:
    """The map of the region's municipalities coloured by ``gap`` (women − men), as Vega-Lite.

    ``rows``: one dict per municipality with ``code``, ``name``, ``gap``, ``ratio``, ``women``, ``men``
    (None when not shown) and ``text`` (the values as words for the tooltip). With ``geometry`` (from
    :func:`check_geojson`) the municipalities are drawn as shapes (Mercator), else as tiles. ``labels``
    gives the tooltip titles: ``name``, ``text``. Municipalities without a value are grey.
    """
    scale = _color_scale(rows)
    largest = scale["domain"][1]
    data = [{**r, "strength": abs(r["gap"]) / largest if r.get("gap") is not None else 0.0} for r in rows]
    tooltip = [{"field": "name", "title": labels["name"]}, {"field": "text", "title": labels["text"]}]
    color = {"field": "gap", "type": "quantitative", "scale": scale, "title": legend_title,
             "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 240}}
    spec: dict[str, Any] = {"$schema": VEGA_LITE_SCHEMA, "width": "container", "height": height,
                            "background": "#ffffff", "config": {"view": {"stroke": None}}}
    if geometry is not None:
        spec.update({
            "data": {"values": geometry["features"]},
            "transform": [{"lookup": "properties.code",
                           "from": {"data": {"values": data}, "key": "code",
                                    "fields": ["name", "gap", "ratio", "text", "strength"]}}],
            "projection": {"type": "mercator"},
            "layer": [
                {"mark": {"type": "geoshape", "fill": "#d9d9d9", "stroke": "#ffffff", "strokeWidth": 0.8}},
                {"transform": [{"filter": "isValid(datum.gap)"}],
                 "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.8, "tooltip": True},
                 "encoding": {"color": color, "tooltip": tooltip}},
                {"mark": {"type": "geoshape", "filled": False, "stroke": "#4a4a4a", "strokeWidth": 0.4,
                          "tooltip": True},
                 "encoding": {"tooltip": tooltip}},
            ],
        })
        return spec
    positions = tile_positions(county_code)
    tiles = [{**r, "column": positions[r["code"]][0], "row": positions[r["code"]][1]}
             for r in data if r["code"] in positions]
    axis_x = {"field": "column", "type": "ordinal", "axis": None}
    axis_y = {"field": "row", "type": "ordinal", "axis": None}
    spec.update({
        "data": {"values": tiles},
        "encoding": {"x": axis_x, "y": axis_y},
        "layer": [
            {"mark": {"type": "rect", "fill": "#d9d9d9", "stroke": "#ffffff", "strokeWidth": 3}},
            {"transform": [{"filter": "isValid(datum.gap)"}],
             "mark": {"type": "rect", "stroke": "#ffffff", "strokeWidth": 3, "tooltip": True},
             "encoding": {"color": color, "tooltip": tooltip}},
            {"mark": {"type": "text", "fontSize": 11, "fontWeight": "bold", "tooltip": True},
             "encoding": {"text": {"field": "name"}, "tooltip": tooltip,
                          "color": {"condition": {"test": "datum.strength > 0.55", "value": "#ffffff"},
                                    "value": "#1b1b1b"}}},
        ],
    })
    return spec


def trend_spec(points: Sequence[Mapping[str, Any]], *, y_title: str, series_title: str,
               height: int = 180) -> dict[str, Any]:
    """A small line chart: one line per series (``series``: e.g. Kvinnor, Män, Regionen …) over ``period``."""
    return {
        "$schema": VEGA_LITE_SCHEMA, "width": "container", "height": height, "background": "#ffffff",
        "data": {"values": [p for p in points if p.get("value") is not None]},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": y_title, "scale": {"zero": False}},
            "color": {"field": "series", "type": "nominal", "title": series_title,
                      "scale": {"range": ["#8e2c8a", "#b35806", "#4a4a4a", "#0a4f8f"]},
                      "legend": {"orient": "bottom"}},
            "strokeDash": {"field": "series", "type": "nominal", "legend": None},
            "tooltip": [{"field": "series", "title": series_title}, {"field": "period"},
                        {"field": "value", "title": y_title}],
        },
    }
