"""Blinder-Oaxaca decomposition: against the published R `oaxaca` vignette, and on synthetic data."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from jamkoll.analysis.oaxaca import REFERENCES, OaxacaResult, oaxaca

CHICAGO_COVARIATES = ["age", "female", "LTHS", "some.college", "college", "advanced.degree"]
SE_TOLERANCE = 0.15  # bootstrap SEs (ours: 500 replicates; published: R = 1000) must agree within 15 %

# ---------------------------------------------------------------------------------------------------
# Published reference: M. Hlavac, "oaxaca: Blinder-Oaxaca Decomposition in R", the vignette of the CRAN
# package `oaxaca` (vignettes/oaxaca.Rtex, section 4 "Example: Wages of native and foreign-born workers"),
# output of
#   oaxaca(real.wage ~ age + female + LTHS + some.college + college + advanced.degree | foreign.born |
#          LTHS + some.college + college + advanced.degree, data = chicago, R = 1000)
# with chicago$real.wage <- exp(chicago$ln.real.wage).  The third formula part only normalises the
# per-variable education figures (Gardeazabal-Ugidos); the overall figures, and the per-variable ones for
# age and female, do not depend on it.
PUBLISHED_N = {"n.A": 287, "n.B": 379, "n.pooled": 666}  # results$n
PUBLISHED_Y = {"y.A": 17.58282, "y.B": 14.56725, "y.diff": 3.015574}  # results$y
# results$threefold$overall: (coef, se)
PUBLISHED_THREEFOLD = {
    "endowments": (1.6165339, 0.6565025),
    "coefficients": (2.8333261, 0.8936198),
    "interaction": (-1.4342857, 0.7953771),
}
# results$twofold$overall: weight -> (explained, se, unexplained, se, unexplained A, se, unexplained B, se)
PUBLISHED_TWOFOLD = {
    0.0: (1.6165339, 0.6565025, 1.399040, 0.9415643, 1.399040e00, 9.415643e-01, 0.0000000, 0.0000000),
    1.0: (0.1822482, 0.7126499, 2.833326, 0.8936198, 0.000000e00, 0.000000e00, 2.8333261, 0.8936198),
    0.5: (0.8993911, 0.5579216, 2.116183, 0.8272809, 6.995202e-01, 4.707821e-01, 1.4166630, 0.4468099),
    0.5800562: (0.7845676, 0.5669967, 2.231007, 0.8254721, 5.875183e-01, 3.954041e-01, 1.6434883, 0.5183497),
    -1.0: (1.3557222, 0.5059496, 1.659852, 0.6589794, 9.445705e-01, 3.763768e-01, 0.7152816, 0.2858236),
    -2.0: (0.9525717, 0.5220180, 2.063003, 0.8269841, 4.490852e-14, 3.801248e-14, 2.0630026, 0.8269841),
}
# The R package's weight for each of our references (-1 = pooled without, -2 = pooled with the group
# indicator).  R's fourth row ("Cotton") is 0.5800562 = 413/712: the share of group B among *all* rows of
# the data, including the 46 without a wage, put on group A's coefficients.  Cotton (1988) and Jann (2008)
# weigh beta_A by n_A/(n_A + n_B) = 287/666 instead, which is what `oaxaca()` reports as "cotton"; the R
# row is checked through `twofold_at(413/712)`.
R_WEIGHT = {"0": 0.0, "1": 1.0, "0.5": 0.5, "neumark": -1.0, "pooled": -2.0}
R_COTTON_WEIGHT = 0.5800562
# Other printed figures of the vignette.
PUBLISHED_BETA_DIFF_AGE = 0.1860063  # results$beta$beta.diff["age"]
PUBLISHED_X_DIFF_LTHS = -0.2693959  # results$x$x.mean.diff["LTHS"]
PUBLISHED_POOLED_LTHS = -2.86539843  # summary(results$reg$reg.pooled.2)$coefficients["LTHS", "Estimate"]
# results$twofold$variables[[5]] (Neumark): variable -> (unexplained A, unexplained B)
PUBLISHED_NEUMARK_VARS = {"age": (4.3191008, 2.3980443), "female": (-0.8285489, -0.4832824)}


def sig6(published: float) -> object:
    """Agreement to 6 significant digits (printed values carry 7 or more)."""
    return pytest.approx(published, rel=1e-6, abs=1e-12)


@pytest.fixture(scope="module")
def chicago_data(reference_dir: Path) -> pd.DataFrame:
    data = pd.read_csv(reference_dir / "oaxaca-chicago.csv")
    data["real.wage"] = np.exp(data["ln.real.wage"])
    return data


@pytest.fixture(scope="module")
def chicago(chicago_data: pd.DataFrame) -> OaxacaResult:
    return oaxaca(chicago_data, "real.wage", "foreign.born", CHICAGO_COVARIATES, bootstrap=500, seed=2014)


def test_chicago_sample_and_means(chicago: OaxacaResult) -> None:
    assert chicago.group_a == 0 and chicago.group_b == 1
    assert chicago.n_a == PUBLISHED_N["n.A"]
    assert chicago.n_b == PUBLISHED_N["n.B"]
    assert chicago.n_a + chicago.n_b == PUBLISHED_N["n.pooled"]
    assert chicago.n_dropped == 46
    assert chicago.mean_a == sig6(PUBLISHED_Y["y.A"])
    assert chicago.mean_b == sig6(PUBLISHED_Y["y.B"])
    assert chicago.gap == sig6(PUBLISHED_Y["y.diff"])
    assert chicago.covariates == tuple(CHICAGO_COVARIATES)


def test_chicago_threefold_matches_vignette(chicago: OaxacaResult) -> None:
    for name, (coef, se) in PUBLISHED_THREEFOLD.items():
        component = getattr(chicago.threefold, name)
        assert component.estimate == sig6(coef), name
        assert component.se == pytest.approx(se, rel=SE_TOLERANCE), name


@pytest.mark.parametrize("reference", list(R_WEIGHT))
def test_chicago_twofold_matches_vignette(chicago: OaxacaResult, reference: str) -> None:
    published = PUBLISHED_TWOFOLD[R_WEIGHT[reference]]
    two = chicago.twofold[reference]
    for i, component in enumerate(two.components):
        estimate, se = published[2 * i], published[2 * i + 1]
        if abs(estimate) < 1e-9:  # printed as 0 or ~1e-14: exactly zero in theory
            assert abs(component.estimate) < 1e-9, component.name
        else:
            assert component.estimate == sig6(estimate), component.name
        if se < 1e-9:
            assert component.se < 1e-9, component.name
        else:
            assert component.se == pytest.approx(se, rel=SE_TOLERANCE), component.name


def test_chicago_r_cotton_row_and_published_cotton(chicago: OaxacaResult) -> None:
    assert 413 / 712 == pytest.approx(R_COTTON_WEIGHT, abs=5e-8)
    r_row = chicago.twofold_at(413 / 712)
    published = PUBLISHED_TWOFOLD[R_COTTON_WEIGHT]
    for i, component in enumerate(r_row.components):
        assert component.estimate == sig6(published[2 * i]), component.name
        assert math.isnan(component.se)
    cotton = chicago.twofold["cotton"]
    assert cotton.weight == pytest.approx(287 / 666)
    assert chicago.cotton_weight == pytest.approx(287 / 666)
    same = chicago.twofold_at(287 / 666)
    for ours, check in zip(cotton.components, same.components, strict=True):
        assert ours.estimate == pytest.approx(check.estimate, rel=1e-12, abs=1e-12)
    # The twofold figures are linear in the weight w.
    w0, w1 = chicago.twofold["0"].explained.estimate, chicago.twofold["1"].explained.estimate
    assert cotton.explained.estimate == pytest.approx(w0 + (287 / 666) * (w1 - w0), rel=1e-12)


def test_chicago_other_published_figures(chicago: OaxacaResult) -> None:
    assert chicago.beta_a["age"] - chicago.beta_b["age"] == sig6(PUBLISHED_BETA_DIFF_AGE)
    assert chicago.x_mean_a["LTHS"] - chicago.x_mean_b["LTHS"] == sig6(PUBLISHED_X_DIFF_LTHS)
    assert chicago.beta_pooled["LTHS"] == sig6(PUBLISHED_POOLED_LTHS)
    neumark = chicago.twofold["neumark"]
    for var, (u_a, u_b) in PUBLISHED_NEUMARK_VARS.items():
        assert neumark.unexplained_a.by_variable[var] == sig6(u_a), var
        assert neumark.unexplained_b.by_variable[var] == sig6(u_b), var


def test_chicago_coefficients_match_statsmodels(chicago: OaxacaResult, chicago_data: pd.DataFrame) -> None:
    data = chicago_data.dropna(subset=["real.wage"]).rename(columns=lambda c: c.replace(".", "_"))
    rhs = " + ".join(c.replace(".", "_") for c in CHICAGO_COVARIATES)
    fits = {
        "a": smf.ols(f"real_wage ~ {rhs}", data[data.foreign_born == 0]).fit().params,
        "b": smf.ols(f"real_wage ~ {rhs}", data[data.foreign_born == 1]).fit().params,
        "neumark": smf.ols(f"real_wage ~ {rhs}", data).fit().params,
        "pooled": smf.ols(f"real_wage ~ {rhs} + foreign_born", data).fit().params,
    }
    ours = {
        "a": chicago.beta_a,
        "b": chicago.beta_b,
        "neumark": chicago.beta_neumark,
        "pooled": chicago.beta_pooled,
    }
    for key, params in fits.items():
        for term, value in ours[key].items():
            name = "Intercept" if term == "(Intercept)" else term.replace(".", "_")
            assert value == pytest.approx(params[name], rel=1e-9, abs=1e-9), (key, term)
    assert chicago.group_coefficient == pytest.approx(fits["pooled"]["foreign_born"], rel=1e-9)


# ---------------------------------------------------------------------------------------------------
# Identities


def check_identities(result: OaxacaResult) -> None:
    gap = result.gap
    three = result.threefold
    assert three.total == pytest.approx(gap, rel=1e-10, abs=1e-10)
    for component in three.components:
        assert sum(component.by_variable.values()) == pytest.approx(component.estimate, rel=1e-10, abs=1e-10)
    assert list(result.twofold) == list(REFERENCES)
    for key, two in result.twofold.items():
        assert two.total == pytest.approx(gap, rel=1e-10, abs=1e-10), key
        assert two.unexplained.estimate == pytest.approx(
            two.unexplained_a.estimate + two.unexplained_b.estimate, rel=1e-10, abs=1e-10
        )
        for component in two.components:
            assert sum(component.by_variable.values()) == pytest.approx(
                component.estimate, rel=1e-10, abs=1e-10
            )
    # Special cases: w = 0 explained = endowments; w = 1 unexplained = coefficients.
    assert result.twofold["0"].explained.estimate == pytest.approx(three.endowments.estimate, rel=1e-12)
    assert result.twofold["1"].unexplained.estimate == pytest.approx(three.coefficients.estimate, rel=1e-12)
    # The pooled model with a group indicator leaves nothing unexplained on A's side (its residuals sum
    # to zero within each group).
    assert abs(result.twofold["pooled"].unexplained_a.estimate) < 1e-8 * max(1.0, abs(gap))


def test_parts_sum_to_gap_chicago(chicago: OaxacaResult) -> None:
    check_identities(chicago)


def synthetic(n: int = 3000, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["K", "M"], size=n, p=[0.45, 0.55])
    region = rng.choice(["Syd", "Mitt", "Norr"], size=n)
    education = rng.integers(1, 5, size=n)  # 4 levels, coded 1..4
    part_time = rng.random(n) < np.where(sex == "K", 0.35, 0.15)
    base = 30000 + 2500 * education + np.select([region == "Syd", region == "Norr"], [1500, -1200], 0)
    wage = base - 4000 * part_time - np.where(sex == "K", 1800 + 300 * education, 0) + rng.normal(0, 3000, n)
    return pd.DataFrame(
        {"sex": sex, "region": region, "education": education, "part_time": part_time, "wage": wage}
    )


def test_parts_sum_to_gap_synthetic() -> None:
    result = oaxaca(
        synthetic(),
        "wage",
        "sex",
        ["part_time", "region", "education"],
        categorical=["region", "education"],
        group_a="M",
        bootstrap=20,
    )
    check_identities(result)
    assert result.group_a == "M" and result.group_b == "K"


# ---------------------------------------------------------------------------------------------------
# Frequency weights / compressed covariate patterns


def test_compressed_patterns_equal_row_level() -> None:
    data = synthetic()
    covariates = ["part_time", "region", "education"]
    categorical = ["region", "education"]
    rows = oaxaca(data, "wage", "sex", covariates, categorical=categorical, group_a="M", bootstrap=30)
    patterns = data.groupby(["sex", *covariates], as_index=False).agg(
        wage=("wage", "mean"), count=("wage", "size")
    )
    assert len(patterns) <= 2 * 2 * 3 * 4 < len(data)
    compressed = oaxaca(
        patterns,
        "wage",
        "sex",
        covariates,
        categorical=categorical,
        group_a="M",
        weights="count",
        bootstrap=30,
    )

    assert compressed.weighted and not rows.weighted
    assert compressed.covariates == rows.covariates
    assert compressed.n_a == rows.n_a and compressed.n_b == rows.n_b
    for attr in ("mean_a", "mean_b", "gap", "cotton_weight", "group_coefficient"):
        assert getattr(compressed, attr) == pytest.approx(getattr(rows, attr), rel=1e-8, abs=1e-8), attr
    for attr in ("beta_a", "beta_b", "beta_neumark", "beta_pooled", "x_mean_a", "x_mean_b"):
        a, b = getattr(compressed, attr), getattr(rows, attr)
        assert a.keys() == b.keys()
        for term in a:
            assert a[term] == pytest.approx(b[term], rel=1e-8, abs=1e-8), (attr, term)
    frame_rows, frame_compressed = rows.to_frame(), compressed.to_frame()
    pd.testing.assert_frame_equal(
        frame_rows.drop(columns=["se"]), frame_compressed.drop(columns=["se"]), rtol=1e-8, atol=1e-8
    )
    # The bootstrap ran on both; its SEs are finite (not equal: the draws differ).
    assert math.isfinite(compressed.threefold.endowments.se)
    assert compressed.bootstrap_used == 30


def test_integer_frequency_weights_equal_expanded_rows() -> None:
    data = synthetic(400, seed=3)
    data["w"] = np.random.default_rng(1).integers(0, 4, size=len(data))
    expanded = data.loc[data.index.repeat(data["w"])]
    covariates = ["part_time", "region", "education"]
    weighted = oaxaca(data, "wage", "sex", covariates, categorical=["region"], weights="w", bootstrap=0)
    plain = oaxaca(expanded, "wage", "sex", covariates, categorical=["region"], bootstrap=0)
    pd.testing.assert_frame_equal(weighted.to_frame(), plain.to_frame(), rtol=1e-8, atol=1e-8)
    assert weighted.n_a == plain.n_a and weighted.n_b == plain.n_b


# ---------------------------------------------------------------------------------------------------
# Categorical expansion, groups, missing values, presentation


def test_categorical_expansion() -> None:
    data = synthetic(1500, seed=11)
    result = oaxaca(data, "wage", "sex", ["part_time"], categorical=["region", "education"], bootstrap=0)
    # Categorical columns not among `covariates` are appended; the first sorted level is the baseline.
    assert result.covariates == (
        "part_time",
        "region[T.Norr]",
        "region[T.Syd]",
        "education[T.2]",
        "education[T.3]",
        "education[T.4]",
    )
    assert result.baselines == {"region": "Mitt", "education": "1"}
    # Same coefficients as statsmodels/patsy treatment coding (which also takes the first sorted level).
    fit = smf.ols("wage ~ part_time + C(region) + C(education)", data[data.sex == "K"]).fit().params
    assert result.group_a == "K"
    assert result.beta_a["region[T.Syd]"] == pytest.approx(fit["C(region)[T.Syd]"], rel=1e-9)
    assert result.beta_a["education[T.3]"] == pytest.approx(fit["C(education)[T.3]"], rel=1e-9)
    assert result.beta_a["part_time"] == pytest.approx(fit["part_time[T.True]"], rel=1e-9)
    # Dummy means are the category shares.
    share = (data.loc[data.sex == "M", "region"] == "Norr").mean()
    assert result.x_mean_b["region[T.Norr]"] == pytest.approx(share)


def test_non_numeric_covariate_needs_categorical() -> None:
    with pytest.raises(ValueError, match="categorical"):
        oaxaca(synthetic(200), "wage", "sex", ["region"], bootstrap=0)


@pytest.mark.parametrize("values", [["a"] * 6, ["a", "b", "c"] * 2])
def test_group_must_have_two_values(values: list[str]) -> None:
    data = pd.DataFrame(
        {"y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "x": [1.0, 3.0, 2.0, 5.0, 4.0, 7.0], "g": values}
    )
    with pytest.raises(ValueError, match="exactly two distinct"):
        oaxaca(data, "y", "g", ["x"], bootstrap=0)


def test_group_a_must_be_a_group_value() -> None:
    with pytest.raises(ValueError, match="group_a"):
        oaxaca(synthetic(200), "wage", "sex", ["part_time"], group_a="X", bootstrap=0)


def test_swapping_groups_mirrors_the_decomposition() -> None:
    data = synthetic(800, seed=5)
    ab = oaxaca(data, "wage", "sex", ["part_time", "education"], group_a="K", bootstrap=0)
    ba = oaxaca(data, "wage", "sex", ["part_time", "education"], group_a="M", bootstrap=0)
    assert ba.gap == pytest.approx(-ab.gap)
    # Swapping A and B turns the w = 0 reference into w = 1 (and the sign of the gap around).
    assert ba.twofold["0"].explained.estimate == pytest.approx(-ab.twofold["1"].explained.estimate)
    assert ba.twofold["neumark"].explained.estimate == pytest.approx(
        -ab.twofold["neumark"].explained.estimate
    )
    assert ba.twofold["0.5"].unexplained.estimate == pytest.approx(-ab.twofold["0.5"].unexplained.estimate)


def test_missing_rows_dropped_and_reported() -> None:
    data = synthetic(500, seed=9)
    data.loc[[0, 5, 9], "wage"] = np.nan
    data.loc[[5, 17], "education"] = np.nan
    result = oaxaca(data, "wage", "sex", ["education"], bootstrap=0)
    assert result.n_dropped == 4
    assert result.n_a + result.n_b == 496


def test_not_identified_is_a_clear_error() -> None:
    data = synthetic(300, seed=2)
    data["constant_in_k"] = np.where(data.sex == "K", 1.0, data.education)
    with pytest.raises(ValueError, match="not identified"):
        oaxaca(data, "wage", "sex", ["constant_in_k"], bootstrap=0)


def test_presentation(chicago: OaxacaResult) -> None:
    text = chicago.summary()
    assert "Threefold decomposition" in text and "Neumark" in text and "advanced.degree" in text
    frame = chicago.to_frame()
    assert list(frame.columns) == [
        "decomposition",
        "reference",
        "weight",
        "component",
        "variable",
        "estimate",
        "se",
    ]
    overall = frame[(frame.decomposition == "threefold") & (frame.variable == "(overall)")]
    assert overall.set_index("component")["estimate"]["coefficients"] == sig6(2.8333261)
    n_terms = len(chicago.terms) + 1
    assert len(frame) == (3 + 4 * len(REFERENCES)) * n_terms
    payload = json.loads(json.dumps(chicago.to_dict(), allow_nan=False))
    assert payload["twofold"]["neumark"]["explained"]["estimate"] == sig6(1.3557222)
    assert payload["group_a"] == 0 and payload["n_dropped"] == 46


def test_without_bootstrap_ses_are_missing() -> None:
    result = oaxaca(synthetic(300), "wage", "sex", ["part_time"], bootstrap=0)
    assert math.isnan(result.threefold.endowments.se)
    assert result.to_dict()["threefold"]["endowments"]["se"] is None
    json.dumps(result.to_dict(), allow_nan=False)
    assert "No bootstrap" in result.summary()
