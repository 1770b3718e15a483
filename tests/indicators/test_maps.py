"""GeoJSON checking and rewinding for Vega/d3, tile layouts, and the map's Vega-Lite spec."""

from __future__ import annotations

import json
from pathlib import Path

from jamkoll.indicators import maps, register


def square(clockwise: bool) -> list[list[float]]:
    ring = [[15.0, 60.0], [16.0, 60.0], [16.0, 61.0], [15.0, 61.0], [15.0, 60.0]]  # counter-clockwise
    return list(reversed(ring)) if clockwise else ring


def test_rewind_makes_exterior_rings_clockwise_and_holes_counter_clockwise() -> None:
    hole = [[15.2, 60.2], [15.4, 60.2], [15.4, 60.4], [15.2, 60.2]]
    for clockwise in (True, False):
        rewound = maps.rewind({"type": "Polygon", "coordinates": [square(clockwise), hole]})
        assert maps.signed_area(rewound["coordinates"][0]) < 0
        assert maps.signed_area(rewound["coordinates"][1]) > 0
    multi = maps.rewind({"type": "MultiPolygon", "coordinates": [[square(False)], [square(True)]]})
    assert all(maps.signed_area(p[0]) < 0 for p in multi["coordinates"])


def test_the_reference_file_gives_dalarnas_15_municipalities_wound_for_d3(reference_dir: Path) -> None:
    raw = (reference_dir / "municipalities.geojson").read_bytes()
    collection, problems, missing = maps.check_geojson(raw, "20")
    assert problems == [] and missing == []
    assert collection is not None
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert sorted(codes) == sorted(m.code for m in register.municipalities_in("20"))
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        assert all(maps.signed_area(p[0]) < 0 for p in polygons), feature["properties"]
    # The source file is RFC 7946 wound (counter-clockwise): it had to be reversed.
    source = json.loads(raw)["features"]
    first = next(f for f in source if f["properties"]["id"] == codes[0])
    assert maps.signed_area(first["geometry"]["coordinates"][0]) > 0


def test_problems_are_reported_per_feature() -> None:
    sweref = {"type": "Feature", "properties": {"kommunkod": "2080"},
              "geometry": {"type": "Polygon", "coordinates": [[[500000, 6700000], [500100, 6700000],
                                                                 [500100, 6700100], [500000, 6700000]]]}}
    nameless = {"type": "Feature", "properties": {}, "geometry": None}
    raw = json.dumps({"type": "FeatureCollection", "features": [sweref, nameless]})
    collection, problems, _missing = maps.check_geojson(raw, "20", file="gränser.geojson")
    assert collection is None
    assert {p.column for p in problems} == {"features[1].geometry", "features[2].properties"}
    assert "SWEREF" in problems[0].reason and problems[0].value == "2080"


def test_a_file_without_the_regions_municipalities_is_refused() -> None:
    other = {"type": "Feature", "properties": {"id": "0180"},
             "geometry": {"type": "Polygon", "coordinates": [square(False)]}}
    collection, problems, _missing = maps.check_geojson(json.dumps({"type": "FeatureCollection",
                                                                    "features": [other]}), "20")
    assert collection is None and "ingen av regionens kommuner" in problems[0].reason
    assert maps.check_geojson("[]", "20")[1][0].reason.startswith("Filen är inte en GeoJSON")


def test_tile_positions_are_unique_and_cover_the_region() -> None:
    for county in ("20", "01", "14"):
        positions = maps.tile_positions(county)
        assert set(positions) == {m.code for m in register.municipalities_in(county)}
        assert len(set(positions.values())) == len(positions)


def test_map_spec_uses_shapes_with_geometry_and_tiles_without() -> None:
    rows = [{"code": "2080", "name": "Falun", "gap": -2.0, "ratio": 0.9, "text": "…"},
            {"code": "2081", "name": "Borlänge", "gap": None, "ratio": None, "text": "…"}]
    labels = {"name": "Kommun", "text": "Värden"}
    tiles = maps.map_spec(rows, None, "20", legend_title="Skillnad", labels=labels)
    assert tiles["layer"][0]["mark"]["type"] == "rect"
    assert {t["code"]: (t["column"], t["row"]) for t in tiles["data"]["values"]}["2080"] == (3, 2)
    shapes = maps.map_spec(rows, {"features": []}, "20", legend_title="Skillnad", labels=labels)
    assert shapes["layer"][1]["mark"]["type"] == "geoshape" and shapes["projection"]["type"] == "mercator"
    assert shapes["layer"][1]["encoding"]["color"]["scale"]["domain"] == [-2.0, 2.0]


def test_the_shipped_default_map_has_every_municipality_and_county_of_the_reference(reference_dir: Path) -> None:
    import csv

    shipped = Path(maps.__file__).parent / "data"
    assert (shipped / "municipalities.geojson").stat().st_size < 400_000, "keep the package small"
    lines = (reference_dir / "municipalities.csv").read_text(encoding="utf-8").splitlines()
    reference = {r["municipality_code"]: r["county_code"] for r in csv.DictReader(lines)}
    features = json.loads((shipped / "municipalities.geojson").read_text(encoding="utf-8"))["features"]
    assert {f["properties"]["code"]: f["properties"]["county"] for f in features} == reference
    for feature in features:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        assert all(maps.signed_area(p[0]) < 0 for p in polygons), "wound for d3 as an upload would be"
    assert sorted(f["properties"]["code"] for f in maps.counties()) == sorted(r.code for r in register.regions())
    for county in register.regions():
        geometry = maps.default_geometry(county.code)
        assert geometry is not None
        assert [f["properties"]["code"] for f in geometry["features"]] == \
            [m.code for m in register.municipalities_in(county.code)]
        assert maps.county_outline(county.code) is not None
    assert maps.default_geometry("99") is None

