"""The publication gate: cell key counts, derived figures only from safe cells, one number per thing."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamkoll.analysis import AnalysisConfig, analyze
from jamkoll.analysis.disclosure import DisclosurePolicy
from jamkoll.analysis.publication import (
    FindingCells,
    Gate,
    count_publishable,
    derived_allowed,
    evidenced,
    publish_finding,
    republished,
    share,
)
from jamkoll.analysis.results import Effect, Finding
from jamkoll.ingest import Store

SECRET = b"test-installation-key-0123456789"


def _gate() -> Gate:
    return Gate(DisclosurePolicy(method="cell_key", secret=SECRET))


def test_gate_needs_the_installation_key() -> None:
    with pytest.raises(ValueError, match="installation key"):
        Gate(DisclosurePolicy(method="cell_key"))
    with pytest.raises(ValueError, match="installation key"):
        analyze(object(), AnalysisConfig())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abcdef0123456789", min_size=4, max_size=12), min_size=0, max_size=40))
def test_same_records_same_published_count_never_one_to_four(ids: list[str]) -> None:
    gate = _gate()
    records = pd.Series(ids, dtype=object)
    published = gate.count(records)
    assert published == gate.count(records.iloc[::-1].reset_index(drop=True)), "order must not matter"
    assert not 0 < published < 5
    if not ids:
        assert published == 0
    elif len(ids) >= 5:
        assert abs(published - len(ids)) <= 4


def test_counts_by_equals_count_of_each_group() -> None:
    gate = _gate()
    records = pd.DataFrame({"record_id": [f"p{i}" for i in range(60)],
                            "group": ["women"] * 27 + ["men"] * 30 + ["other_unknown"] * 3})
    by_group = gate.counts_by(records, ["group"])
    for group, part in records.groupby("group"):
        assert by_group[group] == gate.count(part["record_id"])


def test_zero_is_small_so_withholding_never_pins_one_to_four() -> None:
    assert not derived_allowed([0, 100, 50, 50], 5)
    assert not derived_allowed([3, 100, 50, 50], 5)
    assert derived_allowed([5, 100, 50, 50], 5)
    assert not derived_allowed([], 5)


def _finding(women_rate: float, men_rate: float) -> Finding:
    raw = Effect(women_rate - men_rate, -3.123456789, 12.987654321, 0.0123456, "pp", "newcombe")
    return Finding(id="component:all:x", dimension="component", intervention=None, category="x",
                   status="none", year=2025, n_women=527, n_men=557, n_other=3, women_value=women_rate,
                   men_value=men_rate, reference_value=None, raw=raw, adjusted=raw,
                   risk_ratio=Effect(1.2345678, 0.9, 1.7, 0.0123456, "ratio", "katz-log"), q_raw=0.0234567,
                   q_adjusted=0.0456789, adjusted_for=("age_band",))


def test_a_count_is_published_when_zero_or_at_least_the_threshold() -> None:
    assert [count_publishable(n, 5) for n in range(7)] == [True, False, False, False, False, True, True]
    assert count_publishable(None, 5) and count_publishable(float("nan"), 5)
    assert not count_publishable(2.0, 3) and count_publishable(3, 3)
    gate = Gate(DisclosurePolicy(threshold=7, method="cell_key", secret=b"k"))
    assert not gate.publishable(6) and gate.publishable(7) and gate.publishable(0)


def test_small_cell_withholds_every_derived_figure_together() -> None:
    finding = _finding(100 * 3 / 527, 100 * 40 / 557)
    published = publish_finding(finding, FindingCells(527, 557, 3, 3, 40), {"women": 528, "men": 556,
                                                                             "other_unknown": 5}, 5)
    assert published.women_value is None and published.men_value is None
    assert published.raw.estimate is None and published.raw.ci_low is None and published.raw.p_value is None
    assert published.risk_ratio is not None and published.risk_ratio.estimate is None
    assert published.adjusted is not None and published.adjusted.estimate is None
    assert published.q_raw is None
    assert (published.n_women, published.n_men, published.n_other) == (528, 556, 5)
    assert "withheld_small_cells" in published.notes


def test_published_statistics_carry_printed_precision() -> None:
    finding = _finding(100 * 24 / 527, 100 * 60 / 557)
    published = publish_finding(finding, FindingCells(527, 557, 3, 24, 60), None, 5)
    assert published.women_value == 4.6 and published.men_value == 10.8
    assert published.raw.ci_low == -3.1 and published.raw.ci_high == 13.0
    assert published.risk_ratio is not None and published.risk_ratio.estimate == 1.23
    assert published.q_raw == 0.023
    assert published.n_women is None, "sizes the gate did not count are withheld, not passed through"


def test_withholding_is_decided_on_the_published_counts_so_it_tells_nothing_more() -> None:
    # A rate's cells: women who had it (published 5: a true 1 to 9), and three large cells. Decided on the
    # true counts, a true 3 was withheld and a true 7 shown: "withheld" beside a 5 then said "1 to 4".
    policy = DisclosurePolicy(method="cell_key", secret=b"k")
    sizes = {"women": 527, "men": 557, "other_unknown": 5}
    published = [5, 522, 40, 517]
    decisions = []
    for true_hits in (3, 7):
        finding = _finding(100 * true_hits / 527, 100 * 40 / 557)
        out = publish_finding(finding, FindingCells(527, 557, 3, true_hits, 40), sizes, 5,
                              {"women": 5, "men": 40}, published, policy)
        decisions.append((out.women_value, out.raw.estimate, "withheld_small_cells" in out.notes))
    assert decisions == [(None, None, True), (None, None, True)]
    # Published counts that prove at least five people in every cell (7 is a true 6 to 11) let them through.
    out = publish_finding(_finding(100 * 7 / 527, 100 * 40 / 557), FindingCells(527, 557, 3, 7, 40), sizes, 5,
                          {"women": 7, "men": 40}, [7, 520, 40, 517], policy)
    assert out.women_value == 1.3 and "withheld_small_cells" not in out.notes
    assert [evidenced([v], policy) for v in (0, 5, 6, 7, 30)] == [False, False, False, True, True]


def _resource_finding(n_men: int) -> Finding:
    # A resource's materiality margin is a tenth of the men's mean: 0.1 * 183.456789 hours.
    raw = Effect(-12.3456789, -30.1, 5.4, 0.2, "hours", "welch")
    return Finding(id="resource:all:hours", dimension="resource", intervention=None, category="hours",
                   status="uncertain", year=2025, n_women=40, n_men=n_men, n_other=0, women_value=171.111111,
                   men_value=183.456789, reference_value=None, raw=raw, adjusted=raw, risk_ratio=None,
                   q_raw=0.3, q_adjusted=0.4, adjusted_for=(), margin=18.3456789, km_median_women=170.4,
                   km_median_men=181.6)


def test_a_resource_margin_is_data_printed_like_the_mean_and_withheld_with_it() -> None:
    shown = publish_finding(_resource_finding(30), FindingCells(40, 30, 0), {"women": 40, "men": 30}, 5)
    assert shown.margin == 18.3 and shown.men_value == 183.5 and shown.km_median_men == 182
    # three men: their mean is withheld, and so is what would give it back (margin = mean / 10) and their
    # median time
    hidden = publish_finding(_resource_finding(3), FindingCells(40, 3, 0), {"women": 40, "men": 5}, 5)
    assert hidden.men_value is None and hidden.margin is None
    assert hidden.km_median_men is None and hidden.km_median_women is None
    # a stored finding published again is checked the same way
    assert republished(_resource_finding(3), 5).margin is None
    again = republished(_resource_finding(30), 5)
    assert again.margin == 18.3 and again.km_median_men == 182 and again.km_median_women == 170
    # a rate's margin is a setting (percentage points), not data
    rate = replace(_finding(10.0, 20.0), margin=2.0)
    assert publish_finding(rate, FindingCells(527, 557, 3, 3, 40), None, 5).margin == 2.0


def test_share_uses_published_counts() -> None:
    assert share(528, 528 + 556) == 48.7
    assert share(0, 0) is None and share(None, 10) is None


# ------------------------------------------------------------------------------ the demo association


@pytest.fixture(scope="module")
def demo_2025(demo_store: Path) -> object:
    return analyze(Store(demo_store), AnalysisConfig(year=2025, secret=SECRET))


def test_one_number_per_population_across_tables_and_findings(demo_2025) -> None:  # type: ignore[no-untyped-def]
    people = demo_2025.tables["participants_by_intervention"].frame
    enrolments = demo_2025.tables["enrolments_by_sex"].frame
    outcomes = demo_2025.tables["outcomes_by_sex"].frame
    seen = 0
    for f in demo_2025.findings:
        if f.dimension == "participation" and f.intervention:
            row = f.intervention  # rows are intervention ids
            assert (f.n_women, f.n_men) == (people.at[row, "women"], people.at[row, "men"]), f.id
            seen += 1
        elif f.dimension == "participation":
            assert (f.n_women, f.n_men) == (people.at["total", "women"], people.at["total", "men"])
            seen += 1
        elif f.dimension == "component" and f.intervention is None:
            row = enrolments.index[0]
            assert (f.n_women, f.n_men) == (enrolments.at[row, "women"], enrolments.at[row, "men"]), f.id
            seen += 1
        elif f.dimension == "outcome" and f.intervention is None:
            assert (f.n_women, f.n_men) == (outcomes.at["total", "women"], outcomes.at["total", "men"])
            seen += 1
    assert seen >= 3


def test_shares_of_women_are_computed_from_published_counts(demo_2025) -> None:  # type: ignore[no-untyped-def]
    table = demo_2025.tables["participants_by_intervention"].frame
    for _, row in table.iterrows():
        expected = share(int(row["women"]), int(row["women"]) + int(row["men"]))
        shown = row["share_women"]
        assert (expected is None and pd.isna(shown)) or float(shown) == expected


def test_json_has_no_count_one_to_four_and_no_full_precision_floats(demo_2025) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(demo_2025.to_json())
    for finding in data["findings"]:
        for key in ("n_women", "n_men", "n_other"):
            assert finding[key] is None or not 0 < finding[key] < 5
        for key in ("women_value", "men_value", "reference_value", "margin"):
            value = finding.get(key)
            assert value is None or round(value, 1) == value, (key, value)
        for effect in (finding["raw"], finding["adjusted"], finding["risk_ratio"]):
            if effect:
                for key in ("estimate", "ci_low", "ci_high"):
                    assert effect[key] is None or round(effect[key], 3) == effect[key]
        assert not any(ch.isdigit() for note in finding["notes"] for ch in note if note.startswith("för få"))


def test_decompositions_publish_no_covariate_means_or_coefficients(demo_2025) -> None:  # type: ignore[no-untyped-def]
    """Means and coefficients per level under several references give back the people in each level."""
    assert demo_2025.decompositions
    for key, d in demo_2025.decompositions.items():
        text = json.dumps(d)
        for secret in ("x_mean", "beta", "threefold", "n_dropped", "cotton", "baselines", "[T."):
            assert secret not in text, (key, secret)
        assert list(d["twofold"]) == ["pooled"]
        assert d["gap"] == round(d["gap"], 1) and d["mean_a"] == round(d["mean_a"], 1)
        sizes = [f for f in demo_2025.findings if f.dimension == "resource" and f.category == d["resource"]
                 and f.intervention == d["intervention"]]
        if sizes:
            assert (d["n_a"], d["n_b"]) == (sizes[0].n_women, sizes[0].n_men)


def test_goal_follow_up_gives_the_analysis_numbers(demo_store: Path, demo_2025) -> None:  # type: ignore[no-untyped-def]
    """One definition per measure: the goal follow-up of an intervention and year shows the numbers the
    report and the dashboards show (participants through the gate; component rates of the same enrolments)."""
    from jamkoll.analysis.goals import IndicatorSpec, measure

    store = Store(demo_store)
    policy = DisclosurePolicy(method="cell_key", secret=SECRET)
    con = store.ibis()
    people = demo_2025.tables["participants_by_intervention"].frame
    compared = 0
    for intervention in ("INS01", "INS03", "INS05"):
        row = intervention  # rows are intervention ids
        goal = measure(con, intervention, 2025, IndicatorSpec("participants"), policy)
        assert (goal.women, goal.men) == (people.at[row, "women"], people.at[row, "men"]), intervention
        # each sex's share of the participants: of the same published counts (of the true ones, 100 % minus
        # the women's and the men's share would give back a withheld other/unknown sex)
        shares = measure(con, intervention, 2025, IndicatorSpec("participant_share"), policy)
        published = [int(people.at[row, c]) for c in ("women", "men", "other_unknown")]
        assert shares.women == pytest.approx(100 * published[0] / sum(published), abs=0.05), intervention
        assert shares.men == pytest.approx(100 * published[1] / sum(published), abs=0.05), intervention
        for f in demo_2025.findings:
            if f.dimension == "component" and f.intervention == intervention and f.women_value is not None:
                share = measure(con, intervention, 2025, IndicatorSpec("component_share", f.category), policy)
                assert share.women is not None and round(share.women, 1) == f.women_value, f.id
                assert share.men is not None and round(share.men, 1) == f.men_value, f.id
                compared += 1
    assert compared >= 3


def test_records_keyed_and_counted_in_the_database_publish_what_the_records_do() -> None:
    # The analysis keys each person once and counts in the database (Gate.keyed, key_cells); the same
    # records keyed and counted in pandas (Gate.counts_by) give the same published counts.
    import ibis

    from jamkoll.analysis.publication import Gate, key_cells

    gate = Gate(DisclosurePolicy(method="cell_key", secret=b"a test key"))
    rows = pd.DataFrame({"participant_id": [f"p{i % 37}" for i in range(200)],
                         "sex": ["women" if i % 37 < 20 else "men" for i in range(200)],
                         "intervention": [f"INS0{i % 3}" for i in range(200)]})
    table = ibis.duckdb.connect().create_table("rows", rows)
    keyed = gate.keyed(table)
    for people in (False, True):
        cells = key_cells(keyed, ["intervention", "sex"], people=people)
        published = gate.counts_of_cells(cells, ["intervention", "sex"])
        records = rows.drop_duplicates() if people else rows
        expected = gate.counts_by(records.rename(columns={"participant_id": "record_id"}), ["intervention", "sex"])
        pd.testing.assert_series_equal(published, expected, check_names=False)
    assert int(key_cells(keyed, [], people=True)["n"].iloc[0]) == 37
