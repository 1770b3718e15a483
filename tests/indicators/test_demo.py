"""The demo indicators, and the ``jamkoll indicators`` commands on them."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from jamkoll.cli import app
from jamkoll.indicators import compute, demo, register
from jamkoll.reports.governance import NATIONAL_GOALS


def test_demo_covers_dalarna_the_region_and_the_country_for_five_years() -> None:
    values = demo.demo_values()
    expected = {m.code for m in register.municipalities_in("20")} | {"0020", "0000"}
    assert set(values["municipality_id"]) == expected
    assert sorted(set(values["period"])) == list(demo.DEMO_YEARS) and len(demo.DEMO_YEARS) == 5
    assert values.equals(demo.demo_values()), "the demo is the same on every run"


def test_demo_has_twelve_gender_divided_kpis_two_per_national_goal() -> None:
    kpis = demo.demo_kpis()
    divided = kpis[kpis["is_divided_by_gender"]]
    assert len(divided) == 12 and len(kpis) == 13
    groups = compute.goal_groups(demo.DEMO_GOALS)
    assert [g.key for g in groups] == list(NATIONAL_GOALS)
    assert all(len(g.kpis) == 2 for g in groups)


def test_demo_counts_are_member_municipalities_and_small_ones_lack_a_value() -> None:
    values = demo.demo_values()
    assert set(values["count"].dropna()) == {1}, "Kolada's count: one member municipality behind each value"
    result = compute.compare(values, "DEMO012", "20")
    missing = [r for r in result.rows if r.suppressed]
    assert 0 < len(missing) < len(result.rows)
    assert all(r.women is None and r.men is None and r.rank is None for r in missing)
    shown = compute.compare(values, "DEMO001", "20")
    assert all(r.gap is not None for r in shown.rows) and shown.country is not None and shown.country.gap is not None


def test_cli_writes_the_demo_and_imports_it_back(tmp_path: Path) -> None:
    runner = CliRunner()
    written = runner.invoke(app, ["indicators", "demo", str(tmp_path)])
    assert written.exit_code == 0, written.output
    out = tmp_path / "alla.csv"
    result = runner.invoke(app, ["indicators", "import", str(tmp_path / "kolada-varden.json"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "13 nyckeltal, 17 områden" in result.output
    assert out.read_text().startswith("kpi,municipality_id,period,gender,value,count,status")
    bad = tmp_path / "fel.csv"
    bad.write_text("kpi,municipality_id,period,gender,value\nN1,99999,2024,K,1\n")
    refused = runner.invoke(app, ["indicators", "import", str(bad)])
    assert refused.exit_code == 1 and "municipality_id" in refused.output
