"""The shipped municipality and region register against the published reference lists."""

from __future__ import annotations

import csv
from pathlib import Path

from jamkoll.indicators import register


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_municipality_has_the_reference_code_name_and_county(reference_dir: Path) -> None:
    reference = {r["municipality_code"]: (r["municipality_name_short"], r["county_code"])
                 for r in _read(reference_dir / "municipalities.csv")}
    ours = {m.code: (m.name, m.county_code) for m in register.municipalities()}
    assert len(ours) == 290
    assert ours == reference


def test_every_region_has_the_reference_county_code_and_name(reference_dir: Path) -> None:
    reference = {r["county_code"]: r["county_name"] for r in _read(reference_dir / "counties.csv")}
    ours = {r.code: r.county_name for r in register.regions()}
    assert len(ours) == 21
    assert ours == reference
    assert all(r.name.startswith("Region ") or r.name == "Västra Götalandsregionen" for r in register.regions())


def test_codes_keep_their_leading_zero_and_lookups_work() -> None:
    assert register.municipality("0180") == register.Municipality("0180", "Stockholm", "01")
    assert register.municipality("180") is None
    assert [m.name for m in register.municipalities_in("20")][:3] == ["Vansbro", "Malung-Sälen", "Gagnef"]
    assert len(register.municipalities_in("20")) == 15


def test_kolada_ids_name_country_region_and_municipality() -> None:
    assert register.kolada_id("20") == "0020"
    assert register.region("0020") == register.region("20")
    assert register.parse_kolada_id("0000") == ("country", "0000")
    assert register.parse_kolada_id("0020") == ("region", "20")
    assert register.parse_kolada_id("2080") == ("municipality", "2080")
    assert register.parse_kolada_id("0002") == ("unknown", "0002")
