"""The portal's inline SVG map: colour classes and the projected shapes of the shipped boundaries."""

from __future__ import annotations

import re

from jamkoll.indicators import maps, register, svgmap


def test_classes_are_symmetric_around_equality_and_cover_every_value() -> None:
    scale = svgmap.classes([-7.3, 2.0, None, 4.1])
    assert len(scale) == 6 and scale[0].low == -scale[-1].high and scale[2].high == 0 == scale[3].low
    assert scale[-1].high >= 7.3
    assert [c.colour for c in scale] == list(svgmap.PALETTE)
    assert svgmap.colour_of(-7.3, scale) == svgmap.PALETTE[0]
    assert svgmap.colour_of(-0.1, scale) == svgmap.PALETTE[2]
    assert svgmap.colour_of(0.0, scale) == svgmap.PALETTE[3]
    assert svgmap.colour_of(7.3, scale) == svgmap.PALETTE[5]
    assert svgmap.colour_of(None, scale) == svgmap.MISSING_COLOUR
    assert svgmap.classes([None])[-1].high > 0, "no value at all still gives a scale"


def test_the_shipped_boundaries_give_dalarnas_municipalities_inside_the_view_box() -> None:
    geometry = maps.default_geometry("20")
    assert geometry is not None
    codes = [m.code for m in register.municipalities_in("20")]
    values = {code: float(i - 7) for i, code in enumerate(codes)}
    values["2039"] = None
    drawn = svgmap.svg_map(geometry, values, maps.county_outline("20"))
    assert [s.code for s in drawn.shapes] == codes
    assert {s.name for s in drawn.shapes} == {m.name for m in register.municipalities_in("20")}
    assert next(s for s in drawn.shapes if s.code == "2039").colour == svgmap.MISSING_COLOUR
    assert drawn.outline and drawn.view_box.startswith("0 0 600 ")
    for shape in drawn.shapes:
        numbers = [float(n) for n in re.findall(r"-?\d+\.\d", shape.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert 0 <= min(xs) and max(xs) <= drawn.width and 0 <= min(ys) and max(ys) <= drawn.height, shape.code
    # Dalarna is taller than wide on the map: Älvdalen (north-west) above Avesta (south-east).
    assert drawn.height > 0.8 * drawn.width
    top = {s.code: min(float(y) for y in re.findall(r"\d+\.\d (\d+\.\d)", s.path)) for s in drawn.shapes}
    assert top["2039"] < top["2084"]
