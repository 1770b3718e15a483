"""Gender budgeting on the demo store, checked by an independent computation in pandas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jamkoll.analysis.budget import BudgetDistribution, BudgetShare, distribute_budget
from jamkoll.ingest import Store


@pytest.fixture(scope="module")
def con(demo_store: Path) -> Any:
    connection = Store(demo_store).ibis()
    yield connection
    connection.disconnect()


@pytest.fixture(scope="module")
def tables(demo_store: Path) -> dict[str, pd.DataFrame]:
    return Store(demo_store).tables()


def expected_by_days(tables: dict[str, pd.DataFrame], intervention: str, year: int) -> dict[str, float]:
    e = tables["enrolments"].merge(tables["participants"][["participant_id", "sex"]], on="participant_id")
    e = e[e["intervention_id"] == intervention]
    first, last = pd.Timestamp(dt.date(year, 1, 1)), pd.Timestamp(dt.date(year, 12, 31))
    start, end = pd.to_datetime(e["start_date"]), pd.to_datetime(e["end_date"])
    active = (start <= last) & (end.isna() | (end >= first))
    e, start, end = e[active], start[active], end[active]
    days = (end.fillna(last).clip(upper=last) - start.clip(lower=first)).dt.days + 1
    sex = e["sex"].where(e["sex"].isin(["women", "men"]), "other")
    weights = days.groupby(sex).sum()
    budget = tables["budgets"].query("intervention_id == @intervention and year == @year")["budget_sek"].sum()
    return {s: budget * weights.get(s, 0) / weights.sum() for s in ("women", "men", "other")}


def test_days_basis_matches_an_independent_computation(con: Any, tables: dict[str, pd.DataFrame]) -> None:
    # INS01 2021 has a participant of unknown sex: their share is kept, not dropped.
    result = distribute_budget(con, 2021, interventions=["INS01"], basis="days")
    (line,) = result.lines
    expected = expected_by_days(tables, "INS01", 2021)
    assert line.basis == "days"
    assert line.women_sek == pytest.approx(expected["women"])
    assert line.men_sek == pytest.approx(expected["men"])
    assert line.other_sek == pytest.approx(expected["other"]) and line.other_sek > 0
    assert line.women_sek + line.men_sek + line.other_sek == pytest.approx(line.budget_sek)


def test_cost_basis_spreads_cost_over_days(con: Any, tables: dict[str, pd.DataFrame]) -> None:
    e = tables["enrolments"].merge(tables["participants"][["participant_id", "sex"]], on="participant_id")
    e = e[(e["intervention_id"] == "INS02") & e["end_date"].notna()]
    start, end = pd.to_datetime(e["start_date"]), pd.to_datetime(e["end_date"])
    # Enrolments that started and ended within 2022 count their whole cost in 2022.
    inside = e[(start.dt.year == 2022) & (end.dt.year == 2022)]
    assert len(inside) > 10
    result = distribute_budget(con, 2022, interventions=["INS02"])
    (line,) = result.lines
    assert line.basis == "cost", "costs are known for every enrolment in the demo"
    assert line.women_sek + line.men_sek + line.other_sek == pytest.approx(1_800_000)


def test_target_group_and_total(con: Any, tables: dict[str, pd.DataFrame]) -> None:
    result = distribute_budget(con, 2024)
    ref = tables["reference_population"].query("year == 2024 and group == 'sjukpenning'")
    ins01 = next(x for x in result.lines if x.intervention == "INS01")
    assert ins01.target_women_share == pytest.approx(ref["women"].sum() / (ref["women"].sum() + ref["men"].sum()))
    # INS05 (Jobbspåret): the planted under-representation of women shows in the money too.
    ins05 = next(x for x in result.lines if x.intervention == "INS05")
    assert ins05.women_share is not None and ins05.gap is not None and ins05.gap < -0.1
    # INS11 counts heads only: distributed by its participants, other sex included.
    ins11 = next(x for x in result.lines if x.intervention == "INS11")
    heads = tables["counts"].query("intervention_id == 'INS11' and year == 2024").set_index("sex")["participants"]
    assert ins11.basis == "participants"
    assert ins11.other_sek == pytest.approx(400_000 * heads["other"] / heads.sum())
    total = result.total
    assert total is not None and total.intervention is None
    assert total.budget_sek == pytest.approx(tables["budgets"].query("year == 2024")["budget_sek"].sum())
    assert total.women_sek == pytest.approx(sum(x.women_sek or 0 for x in result.lines))
    frame = result.to_frame()
    assert "total" in frame.index and frame.loc["INS01", "basis"] == "cost"


def test_unknown_basis_is_refused(con: Any) -> None:
    with pytest.raises(ValueError):
        distribute_budget(con, 2024, basis="headcount")


def _amounts(line: Any) -> dict[str, float | None]:
    return {"women": line.women_sek, "men": line.men_sek, "other": line.other_sek}


def test_published_amounts_never_rest_on_fewer_than_five_people(con: Any) -> None:
    raw = distribute_budget(con, 2025)
    small = [line for line in raw.lines if any(0 < (n or 0) < 5 for n in (line.n_women, line.n_men, line.n_other))]
    assert small, "the demo has small groups (other sex, the pilot)"
    published = raw.protected()
    for before, after in zip(raw.lines, published.lines, strict=True):
        assert after.budget_sek == before.budget_sek, "budgets are public and stay"
        groups = (before.n_women, before.n_men, before.n_other)
        if any(0 < (n or 0) < 5 for n in groups):
            # With the public budget, any amount shown would give the others: all three are withheld.
            assert list(_amounts(after).values()) == [None, None, None], after.intervention
            assert (after.n_women, after.n_men, after.n_other) == (None, None, None)
            women_and_men_large = all(n == 0 or (n or 0) >= 5 for n in groups[:2])
            if women_and_men_large:
                assert after.women_share == pytest.approx(before.women_share), "the share says nothing of the few"
            else:
                assert after.women_share is None, after.intervention
        else:
            assert list(_amounts(after).values()) == pytest.approx(list(_amounts(before).values()))
            assert after.women_share == pytest.approx(before.women_share)
    # A column sum minus the amounts shown would give a withheld one: the total shows only its budget.
    assert published.total is not None and raw.total is not None
    assert list(_amounts(published.total).values()) == [None, None, None]
    assert published.total.budget_sek == raw.total.budget_sek
    assert published.total.women_share == pytest.approx(raw.total.women_share), "several withheld lines: kept"


def _line(iid: str, women: float, men: float, other: float, n: tuple[int, int, int]) -> BudgetShare:
    return BudgetShare(iid, iid, 2025, women + men + other, "cost", women, men, other, *n)


def test_the_total_share_is_withheld_when_it_would_pin_down_one_line() -> None:
    lines = [_line("A", 600.0, 400.0, 50.0, (30, 20, 2)), _line("B", 500.0, 500.0, 0.0, (40, 40, 0))]
    women, men, other = 1100.0, 900.0, 50.0
    total = BudgetShare(None, "", 2025, women + men + other, "cost", women, men, other, 70, 60, 2)
    published = BudgetDistribution(2025, lines, total).protected()
    a, b = published.lines
    assert a.women_share == pytest.approx(0.6) and a.women_sek is None and a.other_sek is None
    assert b.women_sek == 500.0, "a line without small groups is shown whole"
    # Budget, share and total share would give line A's other amount: (1100 + 900) share equation, one unknown.
    assert published.total is not None and published.total.women_share is None
    assert published.total.women_sek is None and published.total.budget_sek == pytest.approx(2050.0)


def test_nothing_is_withheld_where_every_group_is_large(con: Any) -> None:
    raw = distribute_budget(con, 2025)
    large = [line.intervention for line in raw.lines
             if all(n == 0 or (n or 0) >= 5 for n in (line.n_women, line.n_men, line.n_other))]
    published = {line.intervention: line for line in raw.protected().lines}
    kept = [iid for iid in large if all(v is not None for v in _amounts(published[iid]).values())]
    assert kept, "interventions without small groups keep their amounts (unless needed as complements)"


def test_withholding_asks_the_publication_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """One rule for every count: the budget withholds a line exactly where the gate says one of its
    counts may not be published (here a stricter gate refuses the 2 people of other sex and the 30 women)."""
    from jamkoll.analysis import budget, publication

    asked: list[int | None] = []

    def gate(value: float | None, threshold: int) -> bool:
        asked.append(None if value is None else int(value))
        return value is None or value == 0 or value >= 35

    monkeypatch.setattr(budget, "count_publishable", gate)
    lines = [_line("A", 600.0, 400.0, 50.0, (30, 40, 0)), _line("B", 500.0, 500.0, 0.0, (40, 40, 0))]
    published = BudgetDistribution(2025, lines).protected()
    assert 30 in asked
    assert published.lines[0].women_sek is None and published.lines[0].men_sek is None
    assert published.lines[1].women_sek == 500.0
    monkeypatch.undo()
    assert publication.count_publishable(30, 5) and budget.count_publishable is publication.count_publishable
    assert BudgetDistribution(2025, lines).protected().lines[0].women_sek == 600.0


def test_with_the_gate_a_headcount_budget_is_split_by_published_counts_and_printed(con: Any) -> None:
    # INS11 reports head counts only. Split by its true counts, women's share of the money at full
    # precision was their ratio in lowest terms (0.4711538461538461 = 49/104 in 2024): the true counts the
    # tables perturb. With the gate the split follows the published counts, every share is printed to
    # 0.001 and every amount in whole kronor.
    from jamkoll.analysis.disclosure import DisclosurePolicy
    from jamkoll.analysis.goals import published_participants
    from jamkoll.analysis.publication import Gate

    policy = DisclosurePolicy(method="cell_key", secret=b"budget-test-key")
    for year in (2024, 2025):
        raw = distribute_budget(con, year, interventions=["INS11"], policy=policy)
        (line,) = raw.lines
        assert line.basis == "participants"
        shown = published_participants(con, "INS11", year, Gate(policy))
        assert (line.n_women, line.n_men, line.n_other) == (shown["women"], shown["men"], shown["other"])
        assert line.women_sek == pytest.approx(line.budget_sek * shown["women"] / sum(shown.values()))
        for out in [*raw.protected(policy).lines, raw.protected(policy).total]:
            assert out is not None
            assert all(v is None or v == round(v) for v in (out.women_sek, out.men_sek, out.other_sek))
            assert out.women_share is None or round(out.women_share, 3) == out.women_share


def test_with_the_gate_amounts_are_withheld_on_published_counts(con: Any) -> None:
    # An amount spread over a group whose published count may be 1 to 4 (a 5 or a 6) is withheld, whatever
    # the true count: decided on the true count, "withheld" beside a table's 5 said "1 to 4".
    from jamkoll.analysis.disclosure import DisclosurePolicy
    from jamkoll.analysis.pinning import published_band

    policy = DisclosurePolicy(method="cell_key", secret=b"budget-test-key")
    for year in (2024, 2025):
        raw = distribute_budget(con, year, policy=policy)
        for line, out in zip(raw.lines, raw.protected(policy).lines, strict=True):
            if line.women_sek is None:
                continue
            maybe_small = any(n and published_band(n, policy)[0] < 5 for n in (line.n_women, line.n_men, line.n_other))
            assert out.withheld == maybe_small, (line.intervention, year)
