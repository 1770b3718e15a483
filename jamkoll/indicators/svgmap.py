"""The portal's map as inline SVG, drawn on the server: no script, no tiles, no CDN, works offline.

:func:`svg_map` projects a region's municipality shapes (Web Mercator, fitted to the view box) into SVG
path data and colours each by its value on a diverging scale of a few classes (:func:`classes`):
purple where women's value is lower than men's, orange where it is higher, white near equality, grey
where the source gives no value. The template wraps each shape in a link to the municipality's profile
with a ``<title>`` that says the values in words, so the map is reachable by keyboard and never relies
on colour alone (the same values are in the table next to it).

Polygons are drawn with ``fill-rule="evenodd"``, so the winding of the rings (RFC 7946 or d3) does not
matter here.

References: Brewer, C. A., ColorBrewer 2.0 (PuOr diverging scheme); W3C, SVG 2, 'path' and 'a' elements.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["MISSING_COLOUR", "PALETTE", "MapClass", "MapShape", "SvgMap", "classes", "colour_of", "svg_map"]

# ColorBrewer PuOr with 6 classes, purple (women lower) to orange (women higher).
PALETTE = ("#542788", "#998ec3", "#d8daeb", "#fee0b6", "#f1a340", "#b35806")
MISSING_COLOUR = "#bdbdbd"
WIDTH = 600.0
MARGIN = 8.0


@dataclass(frozen=True)
class MapClass:
    """One class of the colour scale: values from ``low`` to ``high`` (gap, women − men)."""

    colour: str
    low: float
    high: float


@dataclass(frozen=True)
class MapShape:
    code: str
    name: str
    path: str
    colour: str
    value: float | None


@dataclass(frozen=True)
class SvgMap:
    width: float
    height: float
    shapes: list[MapShape]
    outline: str | None  # the county's outline as path data, drawn over the municipalities
    classes: list[MapClass]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def classes(values: Sequence[float | None]) -> list[MapClass]:
    """Six classes symmetric around 0, from minus to plus the largest absolute value (rounded up to a
    readable step), so that the same colour means the same distance from equality on either side."""
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    if largest == 0:
        largest = 1.0
    step = 10 ** math.floor(math.log10(largest / 3))
    third = math.ceil(largest / 3 / step) * step
    edges = [-3 * third, -2 * third, -third, 0.0, third, 2 * third, 3 * third]
    return [MapClass(PALETTE[i], edges[i], edges[i + 1]) for i in range(6)]


def colour_of(value: float | None, scale: Sequence[MapClass]) -> str:
    if value is None:
        return MISSING_COLOUR
    for entry in scale:
        if value < entry.high:
            return entry.colour
    return scale[-1].colour


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _polygons(geometry: Mapping[str, Any]) -> list[list[list[list[float]]]]:
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else list(geometry["coordinates"])


def svg_map(geometry: Mapping[str, Any], values: Mapping[str, float | None],
            outline: Mapping[str, Any] | None = None) -> SvgMap:
    """The map of ``geometry`` (features with properties ``code`` and ``name``), coloured by ``values``
    (code → gap, None where the source has no value); ``outline`` is a county feature to draw on top."""
    features = list(geometry["features"])
    projected: list[tuple[Mapping[str, Any], list[list[list[tuple[float, float]]]]]] = []
    xs: list[float] = []
    ys: list[float] = []
    for feature in [*features, *([outline] if outline else [])]:
        polygons = [[[_mercator(p[0], p[1]) for p in ring] for ring in rings]
                    for rings in _polygons(feature["geometry"])]
        projected.append((feature, polygons))
        if feature is not outline:
            for rings in polygons:
                for ring in rings:
                    xs += [x for x, _y in ring]
                    ys += [y for _x, y in ring]
    if not xs:
        return SvgMap(WIDTH, WIDTH, [], None, classes([]))
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = (WIDTH - 2 * MARGIN) / max(x1 - x0, 1e-9)
    height = round((y1 - y0) * scale + 2 * MARGIN, 1)

    def path(polygons: list[list[list[tuple[float, float]]]]) -> str:
        parts = []
        for rings in polygons:
            for ring in rings:
                points = [f"{(x - x0) * scale + MARGIN:.1f} {(y1 - y) * scale + MARGIN:.1f}" for x, y in ring]
                parts.append("M" + "L".join(points) + "Z")
        return "".join(parts)

    scale_classes = classes(list(values.values()))
    shapes = []
    outline_path = None
    for feature, polygons in projected:
        if feature is outline:
            outline_path = path(polygons)
            continue
        code = str(feature["properties"]["code"])
        value = values.get(code)
        shapes.append(MapShape(code, str(feature["properties"].get("name", code)), path(polygons),
                               colour_of(value, scale_classes), value))
    return SvgMap(WIDTH, height, shapes, outline_path, scale_classes)
