"""Readers: a report workbook, analysis.json and published.json become the same facts; the CLI reports."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from typer.testing import CliRunner

from jamkoll.audit import ALL, SUM, CellId, audit, audit_paths, facts_to_json, read_outputs, read_published
from jamkoll.audit.analysis_json import read_analysis_json
from jamkoll.audit.xlsx import COMPARED
from jamkoll.cli import app


def _report(path: Path, year: int, women_hidden: bool, unknown: int | str, note_count: str = "") -> Path:
    """A report workbook laid out as jamkoll/reports/excel.py writes it (about sheet, header on row 3)."""
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = "Om rapporten"
    about["A1"] = f"Jämställdhetsuppföljning {year}"
    about["A4"], about["B4"] = "År", str(year)
    ws = wb.create_sheet("T03 Deltagare per insats och")
    ws["A1"] = "Tabell 3. Deltagare per insats och kön"
    header = ["Insats", "Kvinnor", "Män", "Annat kön", "Okänt kön", "Totalt", "Andel kvinnor (%)"]
    for j, h in enumerate(header, start=1):
        ws.cell(row=3, column=j, value=h)
    rows = [
        ["INS01 Steg till arbete", ".." if women_hidden else 126, "..", 0, unknown, 194, ".."],
        ["INS02 Hälsolotsen", 78, 53, 0, 0, 131, 59.5],
        ["Totalt", ".." if women_hidden else 204, "..", 0, unknown, 325, ".."],
    ]
    for i, row in enumerate(rows, start=4):
        for j, v in enumerate(row, start=1):
            ws.cell(row=i, column=j, value=v)
    ws.cell(row=8, column=1, value=f"Not: Värden under 5 redovisas inte (markerade med ..).{note_count}")
    ws2 = wb.create_sheet("T06 Delinsatser för kvinnor")
    ws2["A1"] = "Tabell 6. Delinsatser för kvinnor och män, alla insatser"
    header2 = ["Delinsats", "Antal kvinnor", "Antal män", "Kvinnor (%)", "Män (%)", "Skillnad (procentenheter)",
               "95 % KI", "Efter justering", "Bedömning"]
    for j, h in enumerate(header2, start=1):
        ws2.cell(row=3, column=j, value=h)
    for j, v in enumerate(["Praktik", 130, 70, 6.349206349206349, "..", 1.5, "−10,5 till +6,0", "–", "Ingen"],
                          start=1):
        ws2.cell(row=4, column=j, value=v)
    ws2.cell(row=6, column=1, value="Not: Antalen kvinnor och män är avrundade till tiotal.")
    wb.save(path)
    return path


def test_workbook_is_read_into_cells_and_sums(tmp_path: Path) -> None:
    path = _report(tmp_path / "r.xlsx", 2025, women_hidden=False, unknown="..")
    published, files, interventions = read_outputs([path])
    assert files == [f"{tmp_path.name}/r.xlsx"]
    assert interventions == {"INS01", "INS02"}
    counts = {(f.cell, f.value) for f in published.facts if f.kind == "count" and f.cell is not None}
    assert (CellId("participants", "2025", "INS01", "women"), 126) in counts
    assert (CellId("participants", "2025", "INS01", "unknown"), None) in counts
    # the total row of participants by intervention counts each person once, as the association-wide
    # comparison does: its population, not the sum over interventions
    assert (CellId("participants", "2025", COMPARED, ALL), 325) in counts
    rounded = [f for f in published.facts if f.kind == "count" and f.uncertainty == 5]
    # the group sizes of component comparisons are enrolments (what the publication gate counts)
    assert {f.cell for f in rounded} == {CellId("enrolments", "2025", ALL, "women"),
                                         CellId("enrolments", "2025", ALL, "men")}
    rate = next(f for f in published.facts if f.kind == "rate" and f.value is not None)
    assert rate.decimals is None and rate.cell == CellId("components", "2025", ALL, "women", "component=praktik")
    ci = sorted((f.kind, f.value, f.decimals) for f in published.facts if f.kind.startswith("ci_"))
    assert ci == [("ci_high", 6.0, 1), ("ci_low", -10.5, 1)]
    # ... which is no sum of the interventions' cells (a person can take part in two)
    assert not any(s.total.measure == "participants" and s.total.intervention in (COMPARED, SUM)
                   for s in published.sums)


def test_cli_reports_exposures_in_swedish_and_english_and_fails(tmp_path: Path) -> None:
    _report(tmp_path / "r.xlsx", 2025, women_hidden=False, unknown="..")
    runner = CliRunner()
    result = runner.invoke(app, ["audit-disclosure", str(tmp_path)])
    assert result.exit_code == 1, result.output
    # INS01's men and unknown are open (their sum is 68), but the full-precision rate is a direct leak
    assert "Röjandegranskning av 1 filer" in result.output
    assert "flyttal med full precision: 6.349206349206349" in result.output
    assert "blad 'T06 Delinsatser för kvinnor', rad 4, kolumn D" in result.output
    english = runner.invoke(app, ["audit-disclosure", str(tmp_path), "--lang", "en", "--csv", str(tmp_path / "f.csv")])
    assert english.exit_code == 1
    assert "full-precision float: 6.349206349206349" in english.output
    assert (tmp_path / "f.csv").read_text(encoding="utf-8").startswith("finding,kind,attack")


def test_a_report_and_a_steering_group_report_are_attacked_together(tmp_path: Path) -> None:
    # each year hides INS01's unknown-sex cell; the 2025 steering report shows it for a single year
    (tmp_path / "2025").mkdir()
    _report(tmp_path / "2025" / "r.xlsx", 2025, women_hidden=True, unknown="..")
    alone = audit_paths([tmp_path / "2025"])
    women = CellId("participants", "2025", "INS01", "women")
    assert women not in {e.cell for e in alone.exposures}
    (tmp_path / "ins").mkdir()
    _report(tmp_path / "ins" / "s.xlsx", 2025, women_hidden=False, unknown="..")
    together = audit_paths([tmp_path / "2025", tmp_path / "ins"])
    exposure = next(e for e in together.exposures if e.cell == women)
    assert (exposure.low, exposure.high, exposure.reason, exposure.attack) == (126, 126, "exact", "linked_outputs")


def test_cli_passes_clean_outputs(tmp_path: Path) -> None:
    data = {"schema": "jamkoll.published/1", "facts": [
        {"kind": "count", "measure": "participants", "year": "2025", "intervention": "INS02", "sex": "women",
         "value": 78},
        {"kind": "count", "measure": "participants", "year": "2025", "intervention": "INS02", "sex": "men",
         "value": 53},
        {"kind": "share", "measure": "participants", "year": "2025", "intervention": "INS02", "sex": "women",
         "value": 59.5, "decimals": 1,
         "denominator": [{"measure": "participants", "year": "2025", "intervention": "INS02", "sex": "women"},
                         {"measure": "participants", "year": "2025", "intervention": "INS02", "sex": "men"}]},
    ]}
    (tmp_path / "published.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps({"schema": "something/1"}), encoding="utf-8")
    result = CliRunner().invoke(app, ["audit-disclosure", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Ingen dold cell kan räknas fram" in result.output
    assert f"Lästes inte (varken rapportarbetsbok, analysis.json eller published.json): {tmp_path.name}/other.json" \
        in result.output


def test_published_json_round_trip_gives_the_same_audit(tmp_path: Path) -> None:
    path = _report(tmp_path / "r.xlsx", 2025, women_hidden=True, unknown="..", note_count=" För få fall (2).")
    published, _, _ = read_outputs([path])
    direct = audit(published, attribute=False)
    target = tmp_path / "out" / "published.json"
    target.parent.mkdir()
    target.write_text(facts_to_json(published.facts, published.sums), encoding="utf-8")
    again = audit(read_published(target), attribute=False)
    assert [(e.cell, e.low, e.high) for e in again.exposures] == [(e.cell, e.low, e.high) for e in direct.exposures]
    assert sorted(leak.kind for leak in again.leaks) == sorted(leak.kind for leak in direct.leaks)
    assert "count_in_text" in {leak.kind for leak in direct.leaks}


def test_analysis_json_findings_and_null_other(tmp_path: Path) -> None:
    data = {
        "schema": "jamkoll.analysis/1",
        "config": {"year": 2025, "interventions": None, "threshold": 5},
        "meta": {"interventions": {"INS01": "Steg till arbete"}},
        "tables": {},
        "findings": [{
            "id": "components:INS01:praktik", "dimension": "components", "intervention": "INS01",
            "category": "praktik", "year": 2025, "n_women": 130, "n_men": 70, "n_other": None,
            "women_value": 100 * 8 / 126, "men_value": 100 * 5 / 67,
            "raw": {"estimate": 100 * (8 / 126 - 5 / 67), "ci_low": -10.5, "ci_high": 6.0, "unit": "pp"},
            "risk_ratio": {"estimate": (8 / 126) / (5 / 67)},
            "notes": ["Ingen justerad skattning: för få fall (4) för att justera för behov."],
            "explanation": "x",
        }],
    }
    (tmp_path / "analysis.json").write_text(json.dumps(data), encoding="utf-8")
    result = audit_paths([tmp_path])
    kinds = {leak.kind for leak in result.leaks}
    assert {"small_count", "count_in_text", "full_precision"} <= kinds
    other = next(leak for leak in result.leaks if leak.kind == "small_count")
    assert other.value == "1–4" and other.location == "findings[0].n_other"


def test_analysis_json_with_coded_columns_reads_as_the_swedish_one(tmp_path: Path) -> None:
    """Schema 3 heads the tables with codes (women, men, total, share_women), schema 2 in Swedish, schema 4
    has coded rows too (INS01, yes/no/missing): the reader gets the same facts from all."""
    def table(columns: list[str], total: str, labels: tuple[str, str]) -> dict[str, object]:
        rows = [dict(zip(columns, [labels[0], 40, 35, 75, 53.3], strict=True)),
                dict(zip(columns, [labels[1], None, 30, None, None], strict=True)),
                dict(zip(columns, [total, 70, 65, 135, 51.9], strict=True))]
        hidden = [[], columns[1:2] + columns[3:], []]
        return {"key": "participants_by_intervention", "columns": columns, "rows": rows, "suppressed": hidden}

    def ground(labels: tuple[str, str, str]) -> dict[str, object]:
        columns = ["born_abroad", "women", "men", "total"]
        rows = [dict(zip(columns, [label, 20 + i, 30, 50 + i], strict=True)) for i, label in enumerate(labels)]
        return {"key": "sex_by_born_abroad", "columns": columns, "rows": rows, "suppressed": [[], [], []]}

    worded = (("INS01 Steg till arbete", "INS02 Hälsolotsen"), ("ja", "nej", "uppgift saknas"))
    facts = {}
    for schema, columns, total, (interventions, grounds) in (
            ("jamkoll.analysis/2", ["intervention", "Kvinnor", "Män", "Totalt", "Andel kvinnor (%)"], "Totalt",
             worded),
            ("jamkoll.analysis/3", ["intervention", "women", "men", "total", "share_women"], "total", worded),
            ("jamkoll.analysis/4", ["intervention", "women", "men", "total", "share_women"], "total",
             (("INS01", "INS02"), ("yes", "no", "missing")))):
        data = {"schema": schema, "config": {"year": 2025, "interventions": None, "threshold": 5},
                "meta": {"interventions": {"INS01": "Steg till arbete", "INS02": "Hälsolotsen"}},
                "tables": {"participants_by_intervention": table(columns, total, interventions),
                           "sex_by_born_abroad": ground(grounds)}, "findings": []}
        published = read_analysis_json(tmp_path / "analysis.json", data)
        facts[schema] = sorted((f.kind, str(f.cell), f.value) for f in published.facts
                               if f.cell is not None and f.location.startswith("tables.participants"))
        facts[f"{schema} grounds"] = sorted((f.kind, str(f.cell), f.value) for f in published.facts
                                            if f.cell is not None and f.location.startswith("tables.sex_by"))
    assert facts["jamkoll.analysis/3"] == facts["jamkoll.analysis/2"] == facts["jamkoll.analysis/4"]
    assert facts["jamkoll.analysis/4 grounds"] == facts["jamkoll.analysis/3 grounds"]
    assert len(facts["jamkoll.analysis/4 grounds"]) == 9
    kinds = [kind for kind, _, _ in facts["jamkoll.analysis/3"]]
    assert kinds.count("count") == 9 and kinds.count("share") == 3


def test_an_analysis_json_in_codes_declares_the_cell_key_method_by_its_protection(tmp_path: Path) -> None:
    # `Analysis.to_json()` has no words: the protection code alone says the counts are perturbed, so a
    # published 5 is read as 1 to 9 (not as exactly 5) and the years below add up to a withheld total.
    from jamkoll.audit.perturbation import is_perturbed

    table = {"key": "participants_by_year", "columns": ["year", "women", "men", "other_unknown", "total"],
             "rows": [{"year": 2024, "women": 40, "men": 38, "other_unknown": 5, "total": 83},
                      {"year": 2025, "women": 41, "men": 37, "other_unknown": 6, "total": 84},
                      {"year": "total", "women": 83, "men": 73, "other_unknown": None, "total": None}],
             "suppressed": [[], [], ["other_unknown", "total"]],
             "protection": {"method": "cell_key", "threshold": 5, "marker": "..", "secondary": True}}
    data = {"schema": "jamkoll.analysis/4", "meta": {}, "tables": {"participants_by_year": table}, "findings": []}
    published = read_analysis_json(tmp_path / "analysis.json", data)
    assert is_perturbed(published)
    result = audit(published)
    assert result.conflicts == [] and result.exposures == [], result.summary()
    assert result.audited >= 1
    without = {**data, "tables": {"participants_by_year": {**table, "protection": {"method": ""}}}}
    assert not is_perturbed(read_analysis_json(tmp_path / "analysis.json", without))
