"""The auditor finds planted exposures whose truth is known, and passes properly protected tables."""

from __future__ import annotations

from jamkoll.audit import ALL, AuditResult, CellId, Fact, ProtectionRule, Published, SumRelation, audit


def _count(cell: CellId, value: float | None, where: str, source: str = "t.xlsx", uncertainty: float = 0) -> Fact:
    return Fact(source, where, "count", value, cell=cell, uncertainty=uncertainty)


def _sex_row(base: CellId, values: dict[str, float | None], row: int, source: str = "t.xlsx") -> list[Fact]:
    cols = {"women": "B", "men": "C", "other": "D", "unknown": "E", ALL: "F"}
    return [_count(base.with_(sex=sex), v, f"T1!{cols[sex]}{row}", source) for sex, v in values.items()]


def _exposed(result: AuditResult) -> dict[CellId, tuple[float, float, str]]:
    return {e.cell: (e.low, e.high, e.reason) for e in result.exposures}


P = CellId("participants", "2025", "INS01")


def test_share_with_its_denominator_reveals_the_count() -> None:
    # 3 women and 17 men; both hidden, the total 20 and the share of women 15.0 % published
    facts = _sex_row(P, {"women": None, "men": None, "other": 0, "unknown": 0, ALL: 20}, 4)
    facts.append(Fact("t.xlsx", "T1!G4", "share", 15.0, cell=P.with_(sex="women"), decimals=1,
                      denominator=(P.with_(sex="women"), P.with_(sex="men"))))
    result = audit(Published(facts))
    exposed = _exposed(result)
    assert exposed[P.with_(sex="women")] == (3, 3, "exact")
    assert exposed[P.with_(sex="men")] == (17, 17, "exact")
    assert result.exposures[0].attack == "shares"
    # without the share the two cells are protected (0..20 each)
    assert audit(Published(facts[:-1])).exposures == []


def test_total_minus_visible_parts() -> None:
    facts = _sex_row(P, {"women": 10, "men": None, "other": 0, "unknown": 0, ALL: 13}, 4)
    exposed = _exposed(audit(Published(facts)))
    assert exposed == {P.with_(sex="men"): (3, 3, "exact")}


def test_the_same_cell_shown_in_one_table_and_hidden_in_another() -> None:
    hidden = _sex_row(P, {"women": None, "men": None, "other": 0, "unknown": None, ALL: 1084}, 4)
    shown = [_count(P.with_(sex="women"), 527, "T2!B9")]
    result = audit(Published(hidden + shown))
    exposed = _exposed(result)
    assert exposed[P.with_(sex="women")] == (527, 527, "exact")
    # men + unknown = 557, men unknown in 0..557: not exposed by this alone
    assert P.with_(sex="men") not in exposed
    assert result.exposures[0].shown_at == (("t.xlsx", "T2!B9"),)


def test_across_outputs_the_hidden_cell_of_one_file_is_shown_in_another() -> None:
    report = _sex_row(P, {"women": None, "men": 40, "other": 0, "unknown": None, ALL: 50}, 4, "report.xlsx")
    steering = [_count(P.with_(sex="unknown"), 0, "T3!E4", "ins01.xlsx")]
    result = audit(Published(report + steering))
    assert _exposed(result)[P.with_(sex="women")] == (10, 10, "exact")
    assert result.exposures[0].attack == "linked_outputs"
    # each file alone protects the cell
    assert audit(Published(report)).exposures == []


def test_difference_and_risk_ratio_give_both_rates() -> None:
    # 3 of 42 women and 12 of 61 men got the component; the counts are hidden and the group sizes
    # rounded to tens; the raw difference (full precision) and the risk ratio (2 decimals) published
    a, b = CellId("components", "2025", "INS01", "women", "component=praktik"), CellId(
        "components", "2025", "INS01", "men", "component=praktik")
    big_a, big_b = P.with_(sex="women"), P.with_(sex="men")
    facts = [
        _count(a, None, "T7!B4"), _count(b, None, "T7!C4"),
        _count(big_a, 40, "T7!D4", uncertainty=5), _count(big_b, 60, "T7!E4", uncertainty=5),
    ]
    pair = {"cell": a, "denominator": (big_a,), "other": b, "other_denominator": (big_b,)}
    d = 100 * (3 / 42 - 12 / 61)
    rr = (3 / 42) / (12 / 61)
    facts.append(Fact("t.xlsx", "T7!F4", "difference", d, decimals=None, **pair))
    facts.append(Fact("t.xlsx", "T7!G4", "ratio", round(rr, 2), decimals=2, scale=1.0, **pair))
    exposed = _exposed(audit(Published(facts)))
    low, high, _ = exposed[a]
    assert low <= 3 <= high and high <= 4
    assert exposed[a][2] in ("exact", "small")
    # the difference alone, printed with one decimal, leaves the counts open
    one_decimal = [*facts[:4], Fact("t.xlsx", "T7!F4", "difference", round(d, 1), decimals=1, **pair)]
    assert a not in _exposed(audit(Published(one_decimal)))


def test_newcombe_interval_narrows_the_counts() -> None:
    from jamkoll.analysis.stats import compare_proportions

    a, b = CellId("exits", "2025", "INS02", "women", "outcome=arbete"), CellId(
        "exits", "2025", "INS02", "men", "outcome=arbete")
    big_a, big_b = CellId("exits", "2025", "INS02", "women"), CellId("exits", "2025", "INS02", "men")
    cmp = compare_proportions(2, 23, 9, 31)
    assert cmp.difference is not None and cmp.diff_low is not None and cmp.diff_high is not None
    pair = {"cell": a, "denominator": (big_a,), "other": b, "other_denominator": (big_b,)}
    facts = [_count(a, None, "T10!B4"), _count(b, None, "T10!C4"), _count(big_a, 23, "T10!D4"),
             _count(big_b, 31, "T10!E4"),
             Fact("t.xlsx", "T10!F4", "difference", round(100 * cmp.difference, 1), decimals=1, **pair),
             Fact("t.xlsx", "T10!G4", "ci_low", round(100 * cmp.diff_low, 1), decimals=1, **pair),
             Fact("t.xlsx", "T10!G4", "ci_high", round(100 * cmp.diff_high, 1), decimals=1, **pair)]
    exposed = _exposed(audit(Published(facts)))
    assert exposed[a][0] <= 2 <= exposed[a][1]
    assert exposed[a][2] in ("exact", "small")


def test_counts_in_notes_and_full_precision_floats_are_direct_leaks() -> None:
    numerator, denominator = CellId("components", "2025", ALL, "women", "component=x"), CellId(
        "participants", "2025", ALL, "women")
    facts = [
        Fact("a.json", "findings[3].notes[0]", "text", None,
             text="Ingen justerad skattning: för få fall (3) för att justera för behov."),
        Fact("a.json", "findings[4].notes[0]", "text", None, text="Färre än 5 kvinnor eller män: visas inte."),
        _count(numerator, None, "T8!B4"), _count(denominator, 527, "T18!B12"),
        Fact("t.xlsx", "T6!D4", "rate", 4.554079696394687, cell=numerator, decimals=None,
             denominator=(denominator,)),
    ]
    result = audit(Published(facts))
    kinds = {(leak.kind, leak.location, leak.value) for leak in result.leaks}
    assert ("count_in_text", "findings[3].notes[0]", "3") in kinds
    assert not any(leak.location == "findings[4].notes[0]" for leak in result.leaks)
    assert ("full_precision", "T6!D4", "4.554079696394687") in kinds
    assert _exposed(result)[numerator] == (24, 24, "exact")
    assert result.exposures[0].attack == "full_precision"
    # the same rate printed with one decimal: 4.6 % of 527 is 24 or 25 persons
    rounded = [*facts[2:4], Fact("t.xlsx", "T6!D4", "rate", 4.6, cell=numerator, decimals=1,
                                 denominator=(denominator,))]
    low, high, reason = _exposed(audit(Published(rounded)))[numerator]
    assert (low, high, reason) == (24, 24, "exact")


def test_published_small_count_is_a_leak() -> None:
    result = audit(Published(_sex_row(P, {"women": 12, "men": 30, "other": 0, "unknown": 2, ALL: 44}, 4)))
    assert [(leak.kind, leak.value) for leak in result.leaks] == [("small_count", "2")]
    assert not result.ok


def _rectangle(values: list[list[int]], hidden: set[tuple[int, int]]) -> Published:
    """An inner table with margins; ``hidden`` inner cells shown as ``..``."""
    def cell(i: int | None, j: int | None) -> CellId:
        return CellId("m", "2025", "INS01", ALL, f"{'*' if i is None else f'r{i}'}|{'*' if j is None else f'c{j}'}")

    n, m = len(values), len(values[0])
    facts = [_count(cell(i, j), None if (i, j) in hidden else values[i][j], f"T!{chr(66 + j)}{4 + i}")
             for i in range(n) for j in range(m)]
    facts += [_count(cell(i, None), sum(values[i]), f"T!Z{4 + i}") for i in range(n)]
    facts += [_count(cell(None, j), sum(r[j] for r in values), f"T!{chr(66 + j)}9") for j in range(m)]
    facts.append(_count(cell(None, None), sum(map(sum, values)), "T!Z9"))
    sums = [SumRelation(cell(i, None), tuple(cell(i, j) for j in range(m))) for i in range(n)]
    sums += [SumRelation(cell(None, j), tuple(cell(i, j) for i in range(n))) for j in range(m)]
    sums.append(SumRelation(cell(None, None), tuple(cell(None, j) for j in range(m))))
    return Published(facts, sums)


def test_properly_protected_table_is_not_flagged() -> None:
    # two hidden cells in each affected row and column, with slack: the 3 can be anything in 0..13
    values = [[10, 3, 30], [12, 20, 25], [40, 18, 22]]
    result = audit(_rectangle(values, {(0, 0), (0, 1), (1, 0), (1, 1)}))
    assert result.exposures == []
    assert result.leaks == []
    assert result.ok
    assert result.audited == 4


def test_a_rectangle_without_slack_is_flagged() -> None:
    # the same pattern around a 3 whose partners are small: the 3 is pinned to 1..4 or narrower
    values = [[1, 3, 30], [2, 1, 25], [40, 18, 22]]
    result = audit(_rectangle(values, {(0, 0), (0, 1), (1, 0), (1, 1)}), rule=ProtectionRule(min_width=5))
    exposed = {e.cell.category: (e.low, e.high) for e in result.exposures}
    assert exposed["r0|c1"][0] <= 3 <= exposed["r0|c1"][1]
    assert exposed["r0|c1"][1] - exposed["r0|c1"][0] < 5
    # with the exact-only rule the same table passes: the cell ranges over 2..4
    exact_only = audit(_rectangle(values, {(0, 0), (0, 1), (1, 0), (1, 1)}),
                       rule=ProtectionRule(min_width=1, small_max=0))
    assert exact_only.exposures == []


def test_summary_names_file_sheet_row_column_and_interval() -> None:
    facts = _sex_row(P, {"women": 10, "men": None, "other": 0, "unknown": 0, ALL: 13}, 4)
    result = audit(Published(facts), files=["t.xlsx"])
    sv = result.summary()
    assert "fil t.xlsx, blad 'T1', rad 4, kolumn C" in sv
    assert "värde 3 (exakt värde" in sv
    en = result.summary(lang="en")
    assert "file t.xlsx, sheet 'T1', row 4, column C" in en
    frame = result.to_frame()
    assert frame.loc[0, "finding"] == "exposure" and frame.loc[0, "low"] == 3 and frame.loc[0, "location"] == "T1!C4"
