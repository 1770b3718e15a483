"""Gender budgeting on the demo store, checked by an independent computation in pandas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jamkoll.analysis.budget import distribute_budget
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
    assert "Totalt" in frame.index and frame.loc["INS01", "basis"] == "cost"


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
        for sex, n in (("women", before.n_women), ("men", before.n_men), ("other", before.n_other)):
            if 0 < (n or 0) < 5:
                assert _amounts(after)[sex] is None and getattr(after, f"n_{sex}") is None, (after.intervention, sex)
        hidden = [sex for sex, value in _amounts(after).items() if value is None]
        shown = [value for value in _amounts(after).values() if value is not None]
        if hidden:
            # The budget minus the amounts shown must not give a hidden amount: two or more are hidden,
            # and the share of women (which with the budget would give the rest) is withheld.
            assert len(hidden) >= 2, (after.intervention, hidden)
            assert after.women_share is None
        else:
            assert shown == pytest.approx(list(_amounts(before).values()))
            assert after.women_share == pytest.approx(before.women_share)
    # Every column with a hidden amount has a second hidden amount, or a hidden total: no column sum
    # gives a hidden amount either.
    assert published.total is not None
    for sex in ("women", "men", "other"):
        column = [_amounts(line)[sex] for line in published.lines if line.women_sek is not None or
                  line.men_sek is not None or line.other_sek is not None or line.n_women is None]
        hidden_in_column = sum(value is None for value in column)
        if hidden_in_column == 1:
            assert _amounts(published.total)[sex] is None, sex


def test_nothing_is_withheld_where_every_group_is_large(con: Any) -> None:
    raw = distribute_budget(con, 2025)
    large = [line.intervention for line in raw.lines
             if all(n == 0 or (n or 0) >= 5 for n in (line.n_women, line.n_men, line.n_other))]
    published = {line.intervention: line for line in raw.protected().lines}
    kept = [iid for iid in large if all(v is not None for v in _amounts(published[iid]).values())]
    assert kept, "interventions without small groups keep their amounts (unless needed as complements)"
