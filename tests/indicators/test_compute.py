"""Gap, ratio, rank, change, region and country values, disclosure and goal groups."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from jamkoll.indicators import compute
from jamkoll.indicators.kolada import parse_values
from jamkoll.reports.governance import NATIONAL_GOALS

positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)
any_value = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(positive, positive)
def test_ratio_is_one_exactly_when_equal_and_inverts_when_swapped(women: float, men: float) -> None:
    ratio = compute.ratio(women, men)
    assert ratio is not None
    assert math.isclose(ratio * compute.ratio(men, women), 1.0, rel_tol=1e-9)  # type: ignore[operator]
    assert (ratio == 1.0) == (women == men)
    assert (ratio > 1) == (women > men)


@given(any_value, any_value)
def test_gap_is_antisymmetric_and_zero_when_equal(women: float, men: float) -> None:
    assert compute.gap(women, men) == -compute.gap(men, women)  # type: ignore[operator]
    assert compute.gap(women, women) == 0


def test_missing_or_zero_gives_no_ratio() -> None:
    assert compute.ratio(5.0, 0.0) is None
    assert compute.ratio(None, 3.0) is None
    assert compute.gap(float("nan"), 3.0) is None


def values(*rows: tuple[str, str, int, str, float | None, int | None]) -> pd.DataFrame:
    entries: dict[tuple[str, str, int], list[dict[str, object]]] = {}
    for kpi, area, period, gender, value, count in rows:
        entries.setdefault((kpi, area, period), []).append(
            {"gender": gender, "value": value, "count": count, "status": ""})
    return parse_values([{"values": [{"kpi": k, "municipality": a, "period": p, "values": v}
                                     for (k, a, p), v in entries.items()]}])


def dalarna() -> pd.DataFrame:
    rows = []
    # Falun equal, Borlänge women far below, Mora women above by as much in ratio terms (1/0.8 = 1.25).
    for area, women, men in [("2080", 50.0, 50.0), ("2081", 40.0, 50.0), ("2062", 50.0, 40.0), ("2085", 45.0, 50.0),
                             ("0020", 48.0, 50.0), ("0000", 47.0, 50.0)]:
        # Kolada's count: one member municipality (or region, or the country) behind each value.
        rows += [("K1", area, 2024, "K", women, 1), ("K1", area, 2024, "M", men, 1)]
        rows += [("K1", area, 2023, "K", women - 2, 1), ("K1", area, 2023, "M", men, 1)]
    return values(*rows)


def test_compare_ranks_by_distance_from_equal_and_adds_region_and_country() -> None:
    result = compute.compare(dalarna(), "K1", "20")
    assert result.period == 2024
    ranks = {r.name: r.rank for r in result.rows}
    assert ranks == {"Falun": 1, "Ludvika": 2, "Borlänge": 3, "Mora": 3}
    assert result.ranked == 4
    assert result.region is not None and result.region.kind == "region" and result.region.gap == -2.0
    assert result.country is not None and result.country.name == "Riket" and math.isclose(result.country.ratio, 0.94)
    frame = result.to_frame()
    assert len(frame) == 6 and set(frame["kpi"]) == {"K1"}


def test_change_is_against_the_latest_earlier_year() -> None:
    row = compute.compare(dalarna(), "K1", "20").row("2081")
    assert row is not None
    assert (row.previous_period, row.gap_change) == (2023, 2.0)
    assert row.ratio_change is not None and math.isclose(row.ratio_change, 40 / 50 - 38 / 50)
    older = compute.compare(dalarna(), "K1", "20", period=2023).row("2081")
    assert older is not None and older.previous_period is None and older.gap_change is None


def test_kolada_count_of_one_member_municipality_hides_nothing() -> None:
    """Kolada's count is the number of member municipalities (1 for a municipality), not people."""
    result = compute.compare(dalarna(), "K1", "20")
    assert len(result.rows) == 4 and all(r.gap is not None and not r.suppressed for r in result.rows)
    falun = result.row("2080")
    assert falun is not None and (falun.women, falun.men, falun.count_women, falun.count_men) == (50.0, 50.0, 1, 1)
    assert result.country is not None and result.country.women == 47.0 and not result.country.suppressed
    assert result.region is not None and result.region.men == 50.0


def test_an_area_without_values_from_the_source_is_marked_not_ranked() -> None:
    data = values(("K1", "2080", 2024, "K", None, None), ("K1", "2080", 2024, "M", None, None),
                  ("K1", "2080", 2024, "T", 60.0, 1), ("K1", "2081", 2024, "K", 50.0, 1),
                  ("K1", "2081", 2024, "M", 50.0, 1))
    result = compute.compare(data, "K1", "20")
    falun, borlange = result.row("2080"), result.row("2081")
    assert falun is not None and falun.suppressed and falun.rank is None
    assert (falun.women, falun.men, falun.total) == (None, None, 60.0)
    assert borlange is not None and not borlange.suppressed and borlange.rank == 1


def test_trend_has_the_region_and_the_country_every_year() -> None:
    trend = compute.trend(dalarna(), "K1", "2081")
    assert [p.period for p in trend.points] == [2023, 2024]
    assert trend.points[1].region_ratio == 48 / 50 and trend.points[1].country_ratio == 47 / 50
    assert list(trend.to_frame().columns[:3]) == ["kpi", "area_id", "period"]


def test_goal_groups_follow_the_national_goals_in_order() -> None:
    groups = compute.goal_groups({"A": "health", "B": "power", "C": "unknown", "D": "power"})
    assert [g.key for g in groups] == ["power", "health", "other"]
    assert groups[0].kpis == ["B", "D"]
    assert groups[0].title("sv") == NATIONAL_GOALS["power"][0]
    assert groups[1].title("en") == NATIONAL_GOALS["health"][1]


def test_profile_has_every_kpi_with_rank_among_the_region() -> None:
    profile = compute.profile(dalarna(), ["K1"], "2062")
    item = profile.item("K1")
    assert profile.name == "Mora" and item is not None
    assert item.current is not None and item.current.rank == 3 and item.of_ranked == 4
    assert item.region is not None and item.country is not None
    assert profile.to_frame()["region_ratio"].iloc[0] == 48 / 50


def test_rank_follows_the_distance_from_equality_and_is_left_out_where_it_means_nothing() -> None:
    result = compute.compare(dalarna(), "K1", "20")
    by_distance = sorted((r for r in result.rows if r.distance is not None), key=lambda r: r.distance or 0)
    assert [r.rank for r in by_distance] == sorted(r.rank for r in by_distance if r.rank is not None)
    borlange, mora = result.row("2081"), result.row("2062")
    assert borlange is not None and mora is not None
    assert math.isclose(borlange.distance or 0, math.log(1.25), abs_tol=1e-9) and borlange.distance == mora.distance
    assert result.row("2080").distance == 0  # type: ignore[union-attr]

    unranked = compute.compare(dalarna(), "K1", "20", ranked=False)
    assert all(r.rank is None for r in unranked.rows) and unranked.ranked == 0
    assert [r.distance for r in unranked.rows] == [r.distance for r in result.rows]
    item = compute.profile(dalarna(), ["K1"], "2062", unranked=["K1"]).item("K1")
    assert item is not None and item.current is not None and item.current.rank is None and item.of_ranked == 0


def test_favoured_sex_follows_the_direction_of_the_indicator() -> None:
    assert compute.favoured(40.0, 50.0, "higher") == "men"
    assert compute.favoured(40.0, 50.0, "lower") == "women"
    assert compute.favoured(60.0, 50.0, "higher") == "women"
    assert compute.favoured(60.0, 50.0, "") is None
    assert compute.favoured(50.0, 50.0, "higher") is None
    assert compute.favoured(None, 50.0, "higher") is None
