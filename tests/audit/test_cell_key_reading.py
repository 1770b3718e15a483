"""How the auditor reads outputs of the cell key method: what a published figure says about the truth.

Each test is a case the auditor read wrongly on the demo association's all-years ``analysis.json``
(contradictions that left cells unaudited): a finding's group sizes taken as rounded to tens, a rate's
published numerator taken as the true count, and the total row of a table by income support at start
(one value per enrolment) taken as the number of persons.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jamkoll.audit import ALL, CellId, Fact, Published, SumRelation, audit
from jamkoll.audit.analysis_json import read_analysis_json
from jamkoll.audit.labels import category
from jamkoll.audit.perturbation import with_noise_bands

NOTE = "Värdena är slumpmässigt störda (cell key-metoden); delarna summerar inte alltid till totalen."
INTERVENTIONS = {"INS01": "Steg till arbete", "INS02": "Hälsolotsen"}


def _analysis(year: int | None, tables: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schema": "jamkoll.analysis/3",
            "config": {"year": year, "interventions": None, "threshold": 5, "disclosure_method": "cell_key"},
            "meta": {"interventions": INTERVENTIONS}, "tables": tables, "findings": findings}


def _sex_table(key: str, label: str, rows: list[tuple[str, int, int]]) -> dict[str, Any]:
    columns = [label, "women", "men", "other_unknown", "total", "share_women"]
    body = [dict(zip(columns, [name, w, m, 0, w + m, round(100 * w / (w + m), 1)], strict=True))
            for name, w, m in rows]
    return {"key": key, "columns": columns, "rows": body, "suppressed": [[] for _ in body], "note": NOTE}


def _component_finding(intervention: str | None, n_women: int, n_men: int, rate_women: float,
                       rate_men: float) -> dict[str, Any]:
    return {"id": f"component:{intervention or 'all'}:praktik", "dimension": "component",
            "intervention": intervention, "category": "praktik", "year": 2025, "n_women": n_women,
            "n_men": n_men, "n_other": 0, "women_value": rate_women, "men_value": rate_men,
            "raw": {"estimate": None, "ci_low": None, "ci_high": None, "unit": "pp"}, "notes": []}


def test_group_sizes_of_cell_key_findings_are_published_counts() -> None:
    finding = _component_finding("INS01", 572, 324, 10.0, 20.0)
    data = _analysis(2025, {}, [finding])
    facts = read_analysis_json(Path("analysis.json"), data).facts
    n_women = next(f for f in facts if f.location == "findings[0].n_women")
    assert (n_women.value, n_women.uncertainty) == (572, 0)  # not "rounded to tens"
    data["config"]["disclosure_method"] = "suppress"  # older outputs: rounded to tens
    facts = read_analysis_json(Path("analysis.json"), data).facts
    assert next(f for f in facts if f.location == "findings[0].n_women").uncertainty == 5


def test_a_rate_publishes_its_numerator_perturbed_not_the_true_count() -> None:
    den = CellId("enrolments", "2025", "INS01", "women")
    num = CellId("components", "2025", "INS01", "women", "component=praktik")
    published = Published([Fact("a.json", "note", "text", None, text=NOTE),
                           Fact("a.json", "n", "count", 100, cell=den),
                           Fact("a.json", "rate", "rate", 16.0, cell=num, decimals=1, denominator=(den,))])
    implied = next(f for f in with_noise_bands(published).facts if f.cell == num)
    # published numerator 16: the true count lies within 16 ± 4
    assert implied.kind == "count" and implied.value is not None
    assert (implied.value - implied.uncertainty, implied.value + implied.uncertainty) == (12, 20)


def test_perturbed_numerators_of_the_interventions_need_not_add_up_to_the_association() -> None:
    # Published: praktik 30 + 28 for the women of INS01 and INS02 (rates over published sizes), 50 for
    # the association (at least 46 true). Each published count is within 4 of the truth, so 58 > 54 is
    # no contradiction.
    findings = [_component_finding("INS01", 100, 100, 30.0, 30.0), _component_finding("INS02", 100, 100, 28.0, 30.0),
                _component_finding(None, 200, 200, 25.0, 30.0)]
    data = _analysis(2025, {}, findings)
    data["tables"]["note"] = {"key": "note", "columns": [], "rows": [], "note": NOTE}
    published = read_analysis_json(Path("analysis.json"), data)
    result = audit(published, interventions=set(INTERVENTIONS))
    assert result.conflicts == []
    assert result.exposures == []


def test_the_total_row_over_income_support_counts_person_value_pairs() -> None:
    # All years: 110 persons by education, 140 person-value pairs by income support and by age band.
    tables = {
        "sex_by_education": _sex_table("sex_by_education", "education", [
            ("gymnasium", 30, 25), ("eftergymnasial", 25, 30), ("total", 55, 55)]),
        "sex_by_income_support_at_start": _sex_table("sex_by_income_support_at_start", "income_support_at_start", [
            ("ja", 40, 35), ("nej", 30, 35), ("total", 70, 70)]),
        "sex_by_age_band": _sex_table("sex_by_age_band", "age_band", [
            ("18-24", 35, 35), ("25-29", 35, 35), ("total", 70, 70)]),
    }
    published = read_analysis_json(Path("analysis.json"), _analysis(None, tables, []))
    result = audit(published, interventions=set(INTERVENTIONS))
    assert result.conflicts == []
    totals = {f.cell for f in published.facts if f.kind == "count" and f.cell is not None
              and f.location.endswith("rows[2].women")}
    assert totals == {CellId("participants", ALL, ALL, "women", c)
                      for c in (ALL, "income_support_at_start=*", "age_band=*")}
    assert category("income_support_at_start", "Totalt", "2025") == "income_support_at_start=*"
    assert category("age_band", "Totalt", "2025") == ALL  # one year: one age band per person


def test_the_association_row_of_a_year_counts_each_person_once() -> None:
    # 2025: 60 women in INS01 and 60 in INS02, 20 of them in both: 100 women, each once, in the total
    # row of participants by intervention and in the year's row of participants by year.
    tables = {
        "participants_by_intervention": _sex_table("participants_by_intervention", "intervention", [
            ("INS01 Steg till arbete", 60, 50), ("INS02 Hälsolotsen", 60, 50), ("total", 100, 100)]),
        "participants_by_year": _sex_table("participants_by_year", "year", [
            ("2024", 90, 95), ("2025", 100, 100), ("total", 190, 195)]),
    }
    published = read_analysis_json(Path("analysis.json"), _analysis(2025, tables, []))
    year_row = next(f.cell for f in published.facts if f.location == "tables.participants_by_year.rows[1].women")
    total_row = next(f.cell for f in published.facts
                     if f.location == "tables.participants_by_intervention.rows[2].women")
    assert year_row == total_row
    result = audit(published, interventions=set(INTERVENTIONS))
    assert result.conflicts == []


def test_the_attacker_knows_a_published_7_is_a_true_6_to_11() -> None:
    # True 6, 6, 6, 6 and 1 (published 7, 7, 7, 7 and 5), their total 25 published 22: the table moves a
    # true count u >= 5 by at most u - 5, so each 7 is at least 6, and the small part at most 26 - 24 = 2.
    rows = [CellId("participants", "2025", "INS01", "women", f"age_band={a}")
            for a in ("18-24", "25-29", "30-39", "40-49", "65+")]
    total = CellId("participants", "2025", "INS01", "women")
    facts = [Fact("r.xlsx", "note", "text", None, text=NOTE), Fact("r.xlsx", "T!B9", "count", 22, cell=total)]
    facts += [Fact("r.xlsx", f"T!B{i}", "count", v, cell=c) for i, (c, v) in enumerate(zip(rows, (7, 7, 7, 7, 5),
                                                                                          strict=True))]
    result = audit(Published(facts, [SumRelation(total, tuple(rows), "r.xlsx", "T!B")]))
    assert [(e.cell, e.low, e.high, e.reason) for e in result.exposures] == [(rows[-1], 1, 2, "small")]
