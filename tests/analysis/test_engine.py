"""The analysis engine against the demo association's planted truth, and its compressed fits."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jamkoll.analysis import Analysis, AnalysisConfig, analyze
from jamkoll.analysis import data as d
from jamkoll.analysis.disclosure import DisclosurePolicy, is_safe
from jamkoll.analysis.engine import DEFAULT_COVARIATES, _binary_rows, resource_rows
from jamkoll.analysis.stats import adjusted_difference, adjusted_mean_difference
from jamkoll.ingest import Store
from jamkoll.reports.explain import explain


@pytest.fixture(scope="module")
def demo_analysis(demo_store: Path) -> Analysis:
    return analyze(Store(demo_store), AnalysisConfig())


def _matches(finding: dict[str, object], planted: dict[str, object], *, any_intervention: bool) -> bool:
    return (finding["dimension"] == planted["dimension"] and finding["category"] == planted["category"]
            and finding["higher_for"] == planted["higher_for"]
            and (finding["intervention"] == planted["intervention"]
                 or (any_intervention and planted["intervention"] is None)))


def test_the_planted_truth_is_recovered(demo_analysis: Analysis, demo_dir: Path) -> None:
    truth = json.loads((demo_dir / "truth.json").read_text())
    findings = [f.to_dict() for f in demo_analysis.findings]
    flagged = [f for f in findings if f["status"] == "unjustified"]
    for planted in truth["unjustified"]:
        exact = [f for f in flagged if _matches(f, planted, any_intervention=False)]
        assert exact, f"planted difference not flagged: {planted}"
    for planted in truth["justified"]:
        # A difference that needs explain is `explained` when its raw size is material (at least the
        # margin); a smaller raw difference is `none` (nothing material to explain). Never flagged.
        exact = [f for f in findings if _matches(f, planted, any_intervention=False)]
        assert exact, planted
        margin = exact[0]["margin"]
        material = abs(exact[0]["raw"]["estimate"]) >= margin and exact[0]["q_raw"] < 0.05
        assert exact[0]["status"] == ("explained" if material else "none"), (planted, exact)
    allowed = truth["unjustified"] + truth["consequences"]
    unexpected = [f["id"] for f in flagged if not any(_matches(f, p, any_intervention=True) for p in allowed)]
    assert not unexpected, f"flagged without being planted: {unexpected}"


def test_findings_carry_what_the_issue_names(demo_analysis: Analysis) -> None:
    ids = [f.id for f in demo_analysis.findings]
    assert len(ids) == len(set(ids))
    flagged = demo_analysis.flagged()
    assert flagged
    for finding in demo_analysis.findings:
        assert finding.dimension in ("participation", "component", "outcome", "resource")
        assert finding.status in ("unjustified", "explained", "uncertain", "none")
        text = explain(finding, "sv", demo_analysis.meta["interventions"])
        assert text.endswith(".") and "ingen skillnad" not in text.lower()
        assert (finding.status == "uncertain") == (finding.needed is not None)
        if "withheld_small_cells" in finding.notes:  # the counts behind it may be small: nothing shown
            assert finding.q_raw is None and finding.women_value is None and finding.men_value is None
            continue
        assert finding.q_raw is not None and 0 <= finding.q_raw <= 1
        if finding.dimension != "participation" and finding.adjusted:
            assert finding.q_adjusted is not None
            # Every legitimate covariate is either used or named as left out, with a reason.
            wanted = [c for c in DEFAULT_COVARIATES if not (finding.intervention and c == "intervention")]
            assert set(finding.adjusted_for) | set(finding.omitted_covariates) == set(wanted), finding.id
            assert not set(finding.adjusted_for) & set(finding.omitted_covariates)
            if finding.intervention is not None:
                assert "intervention" not in finding.adjusted_for
                order = [c for c in DEFAULT_COVARIATES if c in finding.adjusted_for]
            else:  # association-wide: the intervention first, the needs within intervention
                assert finding.adjusted_for[0] == "intervention"
                assert set(finding.interactions) == set(finding.adjusted_for) - {"intervention"}
                order = ["intervention", *[c for c in DEFAULT_COVARIATES if c in finding.adjusted_for
                                           and c != "intervention"]]
            # Covariates are taken in priority order as far as the data carry them.
            assert list(finding.adjusted_for) == order
            assert finding.adjusted.method.endswith("cluster")
    work = next(f for f in flagged if f.id == "outcome:INS03:arbete")
    assert work.adjusted is not None and work.adjusted.estimate is not None and work.adjusted.estimate < -5
    assert work.adjusted.ci_low is not None and work.adjusted.ci_high is not None
    assert work.adjusted.ci_low < work.adjusted.estimate < work.adjusted.ci_high < 0
    text = explain(work, "sv", demo_analysis.meta["interventions"])
    assert text.startswith("Män") and "Jobbcoach Mora" in text


def test_every_published_table_is_disclosure_controlled(demo_analysis: Analysis) -> None:
    for key, table in demo_analysis.tables.items():
        if table.kind in ("counts", "trend", "intersectional", "shares"):
            counts = table.frame.drop(columns=[c for c in table.frame.columns if "%" in str(c)])
            assert is_safe(counts, 5), key
    small = demo_analysis.tables["participants_by_intervention"]
    assert small.protection.method == "cell_key"  # the reports explain the method with the table


def test_small_true_counts_are_never_published_as_they_are(demo_store: Path) -> None:
    """The pilot's true counts include 1–4 (other/unknown sex): published, they are 0 or at least 5,
    and every other count lies within the noise of the truth."""
    store = Store(demo_store)
    with store.connect(read_only=True) as con:
        true = con.execute(
            "SELECT e.intervention_id, CASE WHEN p.sex IN ('women','men') THEN p.sex ELSE 'other_unknown' END AS g,"
            " count(DISTINCT e.participant_id) FROM enrolments e JOIN participants p USING (participant_id)"
            " GROUP BY ALL").fetchall()
    published = analyze(store, AnalysisConfig()).tables["participants_by_intervention"].frame
    small = 0
    for intervention, group, n in true:
        row = intervention  # rows are intervention ids
        shown = int(published.at[row, group])
        if 0 < n < 5:
            small += 1
            assert shown == 0 or shown >= 5, (intervention, group)
        else:
            assert abs(shown - n) <= 4, (intervention, group)
    assert small > 0, "the demo must contain true small cells for this test to mean anything"


def test_other_and_unknown_sex_are_counted_not_dropped(demo_analysis: Analysis) -> None:
    table = demo_analysis.tables["participants_by_intervention"].frame
    total = table.loc["total"]
    assert total["other_unknown"] > 0
    assert sum(f.n_other or 0 for f in demo_analysis.findings if f.intervention is None) > 0


def test_the_participants_total_counts_each_person_once(demo_analysis: Analysis, demo_store: Path) -> None:
    """The total row of participants by intervention is the gate's association-wide count of persons (the
    number the association-wide comparison prints), not the sum over interventions, in which a person who
    took part in two interventions (over the years, in the demo) counts twice."""
    table = demo_analysis.tables["participants_by_intervention"].frame
    overall = next(f for f in demo_analysis.findings if f.dimension == "participation" and f.intervention is None)
    total = table.loc["total"]
    assert (total["women"], total["men"], total["other_unknown"]) == (overall.n_women, overall.n_men,
                                                                           overall.n_other)
    rows = table.drop(index="total")
    assert total["women"] < rows["women"].sum() - 4 * len(rows), "some took part in two interventions"
    with Store(demo_store).connect(read_only=True) as con:
        persons = con.execute("SELECT count(DISTINCT participant_id) FROM enrolments").fetchone()[0]
        headcounts = con.execute("SELECT coalesce(sum(participants), 0) FROM counts").fetchone()[0]
    # The total is the sum of the published women, men and other/unknown (each perturbed: at most D each,
    # and a small true count of 1-4 is published as 5 or 6).
    policy = DisclosurePolicy(method="cell_key")
    noise = max(3 * policy.max_noise, 2 * policy.max_noise + policy.threshold)
    assert abs(int(total["total"]) - (persons + headcounts)) <= noise
    suppressed = analyze(Store(demo_store), AnalysisConfig(disclosure_method="suppress"))
    frame = suppressed.tables["participants_by_intervention"].frame
    assert int(frame.at["total", "total"]) == persons + headcounts  # also under threshold suppression


def test_json_round_trip(demo_analysis: Analysis, tmp_path: Path) -> None:
    data = json.loads(demo_analysis.to_json())
    assert data["schema"] == "jamkoll.analysis/4"
    assert data["config"]["legitimate_covariates"] == list(DEFAULT_COVARIATES)
    assert {"findings", "tables", "decompositions", "meta"} <= data.keys()
    assert "hours:all" in data["decompositions"]


def test_year_and_intervention_restrictions(demo_store: Path) -> None:
    analysis = analyze(Store(demo_store), AnalysisConfig(year=2025, interventions=("INS03",)))
    assert {f.intervention for f in analysis.findings} <= {None, "INS03"}
    assert all(f.year == 2025 for f in analysis.findings)
    assert all("year" not in f.adjusted_for for f in analysis.findings)


@pytest.fixture(scope="module")
def rows(demo_store: Path) -> pd.DataFrame:
    con = Store(demo_store).ibis()
    frame = d.enrolment_frame(con)
    frame = d.with_components(con, frame, ["praktik"])
    out: pd.DataFrame = frame.execute()
    return out[out["sex"].isin(["women", "men"])]


def test_compressed_logistic_fit_equals_the_row_level_fit(demo_store: Path, rows: pd.DataFrame) -> None:
    con = Store(demo_store).ibis()
    frame = d.with_components(con, d.enrolment_frame(con), ["praktik"])
    covariates = list(DEFAULT_COVARIATES)
    patterns = d.binary_patterns(frame, frame["c_0"], covariates)
    compressed = adjusted_difference(_binary_rows(patterns[patterns["sex"].isin(["women", "men"])]), "y", "sex",
                                     covariates, categorical=covariates, weights="w")
    assert len(patterns) < len(rows)
    row_level = adjusted_difference(rows.assign(y=rows["c_0"].astype(int)), "y", "sex", covariates,
                                    categorical=covariates)
    assert compressed.estimate == pytest.approx(row_level.estimate, abs=1e-8)
    assert compressed.std_error == pytest.approx(row_level.std_error, abs=1e-8)
    assert compressed.odds_ratio == pytest.approx(row_level.odds_ratio, abs=1e-8)


def test_compressed_least_squares_equals_the_row_level_fit(demo_store: Path, rows: pd.DataFrame) -> None:
    con = Store(demo_store).ibis()
    covariates = list(DEFAULT_COVARIATES)
    patterns = d.resource_patterns(d.enrolment_frame(con), "hours", covariates)
    patterns = patterns[patterns["sex"].isin(["women", "men"])]
    compressed = adjusted_mean_difference(resource_rows(patterns), "y", "sex", covariates, categorical=covariates,
                                          weights="w")
    complete = rows[rows["hours"].notna()]
    row_level = adjusted_mean_difference(complete, "hours", "sex", covariates, categorical=covariates)
    assert compressed.estimate == pytest.approx(row_level.estimate, abs=1e-8)
    assert compressed.std_error == pytest.approx(row_level.std_error, abs=1e-8)


def test_resource_rows_keep_count_sum_and_sum_of_squares() -> None:
    rng = np.random.default_rng(1)
    patterns = pd.DataFrame({"n": rng.integers(1, 30, size=50)})
    values = [rng.gamma(2.0, 10.0, size=n) for n in patterns["n"]]
    patterns["total"] = [v.sum() for v in values]
    patterns["total_sq"] = [(v**2).sum() for v in values]
    patterns["key"] = range(50)
    expanded = resource_rows(patterns)
    grouped = expanded.assign(s=expanded["w"] * expanded["y"], q=expanded["w"] * expanded["y"] ** 2).groupby("key")
    np.testing.assert_allclose(grouped["w"].sum(), patterns["n"])
    np.testing.assert_allclose(grouped["s"].sum(), patterns["total"])
    np.testing.assert_allclose(grouped["q"].sum(), patterns["total_sq"])


def test_cell_key_option_perturbs_consistently_and_says_so(demo_store: Path) -> None:
    config = AnalysisConfig(disclosure_method="cell_key", per_intervention=False)
    first = analyze(Store(demo_store), config)
    again = analyze(Store(demo_store), config)
    table = first.tables["participants_by_intervention"]
    assert (table.protection.method, table.protection.threshold) == ("cell_key", 5)
    pd.testing.assert_frame_equal(table.frame, again.tables["participants_by_intervention"].frame)
    for key, result in first.tables.items():
        if result.kind in ("counts", "trend", "intersectional"):
            counts = result.frame.drop(columns=[c for c in result.frame.columns if "%" in str(c)])
            assert is_safe(counts, 5), key
    # The same cell (all women enrolled) gets the same published value in two different tables.
    by_education = first.tables["sex_by_education"].frame
    by_disability = first.tables["sex_by_disability"].frame
    assert by_education.loc["total", "women"] == by_disability.loc["total", "women"]


def test_a_year_without_enrolments_gives_an_empty_analysis(demo_store: Path) -> None:
    analysis = analyze(Store(demo_store), AnalysisConfig(year=2030, bootstrap=0))
    assert analysis.findings == []
    assert analysis.tables["participants_by_intervention"].frame.empty
    assert len(analysis.tables["participants_by_year"].frame) > 1  # the trend still covers every year


def test_the_current_year_says_what_is_ongoing_and_uses_kaplan_meier(demo_store: Path) -> None:
    """In the last year many enrolments are still running: outcomes and durations count ended ones
    and say how many are ongoing; the Kaplan-Meier median, which counts the ongoing ones as censored,
    is longer than the completed spells suggest (long spells are the ones still running)."""
    analysis = analyze(Store(demo_store), AnalysisConfig(year=2025, tables=False))
    duration = next(f for f in analysis.findings if f.id == "resource:all:duration_days")
    work = next(f for f in analysis.findings if f.id == "outcome:all:arbete")
    assert duration.n_ongoing and duration.n_ongoing >= 100 and work.n_ongoing == duration.n_ongoing
    assert duration.km_median_women is not None and duration.km_median_men is not None
    assert duration.women_value is not None and duration.men_value is not None
    assert duration.km_median_women > duration.women_value and duration.km_median_men > duration.men_value
    hours = next(f for f in analysis.findings if f.id == "resource:all:hours")
    assert hours.n_ongoing is None and hours.km_median_women is None


def test_association_wide_participation_counts_persons(demo_store: Path) -> None:
    """Over all years a person may have several enrolments: the association counts each person once."""
    analysis = analyze(Store(demo_store), AnalysisConfig(tables=False))
    part = {f.intervention: f for f in analysis.findings if f.dimension == "participation"}
    overall = part.pop(None)
    store = Store(demo_store)
    enrolments = store.table("enrolments")
    people = enrolments.merge(store.table("participants"), on="participant_id")
    people = people[people["sex"].isin(["women", "men"])]
    counts = store.table("counts")
    heads = int(counts.loc[counts["sex"].isin(["women", "men"]), "participants"].sum())
    persons = people["participant_id"].nunique() + heads
    assert len(people) > people["participant_id"].nunique(), "some people have several enrolments"
    # The published group sizes are the association's people (each once), through the cell key method.
    assert abs(overall.n_women + overall.n_men - persons) <= 2 * DisclosurePolicy().max_noise


def test_pairs_of_many_people_are_summed_over_a_weighted_sample(demo_store: Path) -> None:
    # Above the limit the pairs of one person's enrolments are summed over a hash sample of the people,
    # divided by the sampling fraction: close to the full sums, the same every run.
    frame = d.enrolment_frame(Store(demo_store).ibis())
    measures = {"exit": (frame.exited.cast("float64"), frame.exited.notnull())}
    def cube(limit: int = d.PAIR_PERSONS_LIMIT) -> pd.DataFrame:  # in a fixed order (the database's is not)
        result = d.pair_cube(frame, ["education"], measures, limit=limit)
        keys = [c for c in result.columns if c.endswith(("_a", "_b")) and ":" not in c]
        return result.sort_values(keys).reset_index(drop=True)

    full = cube()
    several = int(frame.group_by("participant_id").aggregate(k=frame.count()).filter(lambda t: t.k > 1).count()
                  .execute())
    assert several > 200, "the demo has people with several enrolments"
    sampled, again = cube(several // 3), cube(several // 3)
    pd.testing.assert_frame_equal(sampled, again)
    assert len(sampled) < len(full)
    for column in ("exit:n", "exit:y_a", "exit:y_ab"):
        assert sampled[column].sum() == pytest.approx(full[column].sum(), rel=0.25)
    pd.testing.assert_frame_equal(cube(several), full)


def test_published_tables_are_in_codes(demo_analysis: Analysis) -> None:
    """Rows and index names are codes (intervention ids, yes/no/missing, all_enrolments), the protection
    is coded, and analysis.json carries no words of the analysis' own (issue 11, item 5)."""
    from jamkoll.analysis.results import ALL_ENROLMENTS, MISSING, NO, SCHEMA, YES

    tables = demo_analysis.tables
    ids = set(demo_analysis.meta["interventions"])
    assert set(tables["participants_by_intervention"].frame.index) <= ids | {"total"}
    assert set(tables["participants_by_intervention"].frame.index) & ids
    assert tables["participants_by_intervention"].frame.index.name == "intervention"
    assert set(tables["representation"].frame.index) <= ids
    assert list(tables["enrolments_by_sex"].frame.index) == [ALL_ENROLMENTS, "total"]
    for ground in ("born_abroad", "disability"):
        table = tables[f"sex_by_{ground}"]
        assert table.frame.index.name == ground
        assert set(table.frame.index) <= {YES, NO, MISSING, "total"} and YES in set(table.frame.index)
    assert tables["resources_by_sex"].protection.method == "min_group"
    data = demo_analysis.to_dict()
    assert data["schema"] == SCHEMA == "jamkoll.analysis/4"
    for table in data["tables"].values():
        assert not {"title", "title_en", "note", "note_en"} & set(table)
        assert table["protection"]["method"] in ("", "cell_key", "suppression", "min_group")
