"""Tests of jamkoll.analysis.stats against published values and independent implementations."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from jamkoll.analysis.stats import (
    AdjustedDifference,
    adjusted_difference,
    adjusted_mean_difference,
    benjamini_hochberg,
    compare_proportions,
    compress,
    mean_difference,
    proportion_ci,
    representation,
)

COVS = ["dept", "grade", "full_time", "age"]
CATS = ["dept", "grade"]


def _json_ok(result: object) -> dict:
    d = result.to_dict()  # type: ignore[attr-defined]
    json.dumps(d, allow_nan=False)  # raises on NaN/inf or non-serialisable values
    return d


def _people(n: int, seed: int, effect: float = 0.4) -> pd.DataFrame:
    """Synthetic staff: several categorical covariates, one numeric (coarse so rows repeat)."""
    rng = np.random.default_rng(seed)
    depts = list("ABCDEFG")
    df = pd.DataFrame(
        {
            "sex": rng.choice(["women", "men", "other"], n, p=[0.5, 0.47, 0.03]),
            "dept": rng.choice(depts, n),
            "grade": rng.choice(["g1", "g2", "g3"], n, p=[0.5, 0.3, 0.2]),
            "full_time": rng.choice([0, 1], n),
            "age": (rng.integers(20, 66, n) // 5 * 5).astype(float),
        }
    )
    dept_eff = dict(zip(depts, [0.0, 0.2, -0.3, 0.5, 0.1, 0.0, -0.5], strict=True))
    eta = (
        -0.8
        + effect * (df["sex"] == "women")
        + df["dept"].map(dept_eff)
        + 0.3 * (df["grade"] == "g3")
        + 0.02 * (df["age"] - 40)
        + 0.3 * df["full_time"]
    )
    df["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    df["hours"] = rng.gamma(2.0, 10.0, n).round(0) + 3.0 * (df["sex"] == "women") + 2 * df["full_time"]
    return df


def _sm_design(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    d = df[df["sex"].isin(["women", "men"])].copy()
    x = pd.get_dummies(d[CATS], drop_first=True, dtype=float)
    x.insert(0, "woman", (d["sex"] == "women").astype(float))
    x["full_time"] = d["full_time"].astype(float)
    x["age"] = d["age"]
    return d, sm.add_constant(x)


# ---------------------------------------------------------------------------------- proportion_ci


# Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison of
# seven methods. Statistics in Medicine 17, 857-872, Table I: exact (Clopper-Pearson) and score (Wilson).
NEWCOMBE_TABLE_I = [
    ((81, 263), (0.2527, 0.3676), (0.2553, 0.3662)),
    ((15, 148), (0.0578, 0.1617), (0.0624, 0.1605)),
    ((0, 20), (0.0, 0.1684), (0.0, 0.1611)),
    ((1, 29), (0.0009, 0.1776), (0.0061, 0.1718)),
]


@pytest.mark.parametrize(("kn", "exact", "score"), NEWCOMBE_TABLE_I)
def test_proportion_ci_matches_published_values(kn, exact, score):
    k, n = kn
    cp = proportion_ci(k, n)
    wi = proportion_ci(k, n, method="wilson")
    assert cp.estimate == pytest.approx(k / n)
    assert (round(cp.low, 4), round(cp.high, 4)) == exact
    assert (round(wi.low, 4), round(wi.high, 4)) == score


def test_clopper_pearson_closed_forms():
    # x = 0: upper = 1 − (α/2)^(1/n); x = n: lower = (α/2)^(1/n)
    assert proportion_ci(0, 10).high == pytest.approx(1 - 0.025 ** (1 / 10), rel=1e-12)
    assert proportion_ci(10, 10).low == pytest.approx(0.025 ** (1 / 10), rel=1e-12)
    assert proportion_ci(10, 10).high == 1.0 and proportion_ci(0, 10).low == 0.0


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_proportion_ci_agrees_with_statsmodels(level):
    for n in [1, 2, 7, 30, 263, 1000]:
        for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            if k < 0:
                continue
            cp = proportion_ci(k, n, level=level)
            lo, hi = proportion_confint(k, n, alpha=1 - level, method="beta")
            assert (cp.low, cp.high) == pytest.approx((lo, hi), abs=1e-12)
            wi = proportion_ci(k, n, level=level, method="wilson")
            lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
            assert (wi.low, wi.high) == pytest.approx((lo, hi), abs=1e-12)


def test_proportion_ci_degenerate_and_invalid():
    r = proportion_ci(0, 0)
    assert (r.estimate, r.low, r.high) == (None, None, None)
    assert _json_ok(r)["estimate"] is None
    with pytest.raises(ValueError):
        proportion_ci(3, 2)
    with pytest.raises(ValueError):
        proportion_ci(-1, 2)
    with pytest.raises(ValueError):
        proportion_ci(1, 2, level=1.0)
    with pytest.raises(TypeError):
        proportion_ci(1.5, 2)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- representation


def test_representation_against_binomtest_and_shifted_interval():
    r = representation(30, 70, 480, 520)
    assert r.n == 100 and r.share_women == pytest.approx(0.3)
    assert r.reference_share == pytest.approx(0.48)
    # The central test (twice the smaller exact tail), the one Clopper-Pearson inverts.
    tails = min(sps.binom.cdf(30, 100, 0.48), sps.binom.sf(29, 100, 0.48))
    assert r.p_value == pytest.approx(2 * tails, rel=1e-12)
    lo, hi = proportion_confint(30, 100, method="beta")
    assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi))
    assert r.difference == pytest.approx(0.3 - 0.48)
    assert (r.diff_low, r.diff_high) == pytest.approx((lo - 0.48, hi - 0.48))
    assert r.test == "binomial-exact-central"
    _json_ok(r)


def test_representation_interval_and_test_agree():
    """8 of 21 against 0.6: binomtest's minimum-likelihood p is 0.046 while the exact interval holds
    0.6; the central test used here gives p ≥ 0.05 there, and agrees with the interval everywhere."""
    r = representation(8, 13, 60, 40)
    assert r.diff_low is not None and r.diff_high is not None and r.p_value is not None
    assert r.diff_low <= 0 <= r.diff_high and r.p_value >= 0.05
    assert sps.binomtest(8, 21, 0.6).pvalue < 0.05  # the disagreement this avoids
    for n in (5, 12, 21, 40, 97):
        for women in range(n + 1):
            for p0 in (0.2, 0.45, 0.6):
                res = representation(women, n - women, p0, 1 - p0)
                assert res.diff_low is not None and res.diff_high is not None and res.p_value is not None
                excluded = res.diff_low > 0 or res.diff_high < 0
                assert excluded == (res.p_value < 0.05), (women, n, p0)


def test_representation_with_population_sizes_and_degenerate_cases():
    r = representation(5, 5, 1234.5, 1234.5)
    assert r.reference_share == 0.5 and r.p_value == pytest.approx(1.0)
    empty = representation(0, 0, 10, 10)
    assert empty.share_women is None and empty.p_value is None and empty.reference_share == 0.5
    no_ref = representation(3, 4, 0, 0)
    assert no_ref.share_women == pytest.approx(3 / 7) and no_ref.reference_share is None
    assert no_ref.difference is None and no_ref.p_value is None
    all_men_ref = representation(0, 10, 0, 50)
    assert all_men_ref.reference_share == 0.0 and all_men_ref.p_value == 1.0
    assert all(v is None or math.isfinite(v) for v in _json_ok(all_men_ref).values() if isinstance(v, float))
    with pytest.raises(ValueError):
        representation(1, 1, -1, 3)


# ---------------------------------------------------------------------------------- two proportions

# Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
# comparison of eleven methods. Statistics in Medicine 17, 873-890, Table II, method 10.
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
]


@pytest.mark.parametrize(("counts", "ci"), NEWCOMBE_TABLE_II)
def test_newcombe_interval_matches_published_values(counts, ci):
    r = compare_proportions(*counts)
    assert r.difference == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])
    assert (round(r.diff_low, 4), round(r.diff_high, 4)) == ci
    lo, hi = confint_proportions_2indep(*counts, method="newcomb", compare="diff")
    assert (r.diff_low, r.diff_high) == pytest.approx((lo, hi), abs=1e-12)


def test_sign_convention_is_women_minus_men():
    r = compare_proportions(10, 100, 30, 100)
    assert r.difference == pytest.approx(-0.2) and r.diff_high < 0
    assert r.risk_ratio == pytest.approx(1 / 3)
    swapped = compare_proportions(30, 100, 10, 100)
    assert (swapped.diff_low, swapped.diff_high) == pytest.approx((-r.diff_high, -r.diff_low))


def test_risk_ratio_katz_interval():
    r = compare_proportions(56, 70, 48, 80)
    se = math.sqrt(1 / 56 - 1 / 70 + 1 / 48 - 1 / 80)
    z = sps.norm.ppf(0.975)
    assert r.risk_ratio == pytest.approx((56 / 70) / (48 / 80))
    assert (r.rr_low, r.rr_high) == pytest.approx(
        (r.risk_ratio * math.exp(-z * se), r.risk_ratio * math.exp(z * se)), rel=1e-12
    )
    lo, hi = confint_proportions_2indep(56, 70, 48, 80, method="log", compare="ratio")
    assert (r.rr_low, r.rr_high) == pytest.approx((lo, hi), rel=1e-12)
    assert not r.rr_continuity_corrected


def test_risk_ratio_zero_cells():
    r = compare_proportions(0, 20, 5, 25)
    assert r.rr_continuity_corrected
    assert r.risk_ratio == pytest.approx((0.5 / 21) / (5.5 / 26))
    assert 0 < r.rr_low < r.risk_ratio < r.rr_high
    both_zero = compare_proportions(0, 20, 0, 25)
    assert both_zero.risk_ratio is None and both_zero.rr_low is None
    assert both_zero.difference == 0.0 and both_zero.p_value == 1.0
    _json_ok(both_zero)


def test_p_value_chi_square_for_large_counts():
    r = compare_proportions(56, 70, 48, 80)
    assert r.test == "chi-square"
    chi2, p, _, expected = sps.chi2_contingency([[56, 14], [48, 32]], correction=False)
    assert r.p_value == pytest.approx(p, rel=1e-10)
    assert r.min_expected == pytest.approx(expected.min())


def test_p_value_switches_to_fisher_for_small_expected_counts():
    # Fisher's tea-tasting table: two-sided p = 34/70 = 0.4857
    r = compare_proportions(3, 4, 1, 4)
    assert r.test == "fisher-exact"
    assert r.p_value == pytest.approx(34 / 70, rel=1e-12)
    r = compare_proportions(2, 30, 9, 31)  # expected successes among women = 30·11/61 ≈ 5.4 ≥ 5
    assert r.test == "chi-square"
    r = compare_proportions(1, 30, 8, 31)  # expected 30·9/61 ≈ 4.4 < 5
    assert r.test == "fisher-exact"
    assert r.p_value == pytest.approx(sps.fisher_exact([[1, 29], [8, 23]]).pvalue, rel=1e-12)
    assert compare_proportions(1, 30, 8, 31, small_expected=4).test == "chi-square"


def test_compare_proportions_empty_group():
    r = compare_proportions(0, 0, 3, 10)
    assert r.women_rate is None and r.men_rate == pytest.approx(0.3)
    assert r.difference is None and r.p_value is None and r.test == "none"
    assert _json_ok(r)["difference"] is None
    with pytest.raises(ValueError):
        compare_proportions(5, 4, 1, 2)


# ---------------------------------------------------------------------------------- mean_difference


def test_mean_difference_matches_welch():
    rng = np.random.default_rng(0)
    w = rng.normal(10, 3, 40)
    m = rng.normal(12, 5, 55)
    r = mean_difference(w, m)
    ref = sps.ttest_ind(w, m, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert r.difference == pytest.approx(w.mean() - m.mean())
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    assert r.df == pytest.approx(ref.df)
    assert r.relative_difference == pytest.approx((w.mean() - m.mean()) / m.mean())
    _json_ok(r)


def test_mean_difference_degenerate():
    r = mean_difference([1.0], [2.0, 3.0])
    assert r.difference == pytest.approx(-1.5) and r.p_value is None and r.ci_low is None
    r = mean_difference([], [1.0, 2.0])
    assert r.mean_women is None and r.difference is None
    r = mean_difference([1.0, 1.0], [0.0, 0.0, float("nan")])
    assert r.n_men == 2 and r.relative_difference is None and r.p_value is None
    _json_ok(r)


# ---------------------------------------------------------------------------------- Benjamini-Hochberg


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0.0, 1.0)), min_size=0, max_size=40))
def test_benjamini_hochberg_matches_statsmodels(ps):
    q = benjamini_hochberg(ps)
    present = [i for i, p in enumerate(ps) if p is not None]
    assert [i for i, v in enumerate(q) if v is None] == [i for i, p in enumerate(ps) if p is None]
    if present:
        ref = multipletests([ps[i] for i in present], method="fdr_bh")[1]
        assert [q[i] for i in present] == pytest.approx(list(ref), abs=1e-12)


def test_benjamini_hochberg_known_values():
    # m = 4: sorted 0.01, 0.03, 0.04, 0.5 → 4p/i = 0.04, 0.06, 0.0533, 0.5 → running minimum from the top
    q = benjamini_hochberg([0.01, 0.04, 0.03, None, 0.5])
    assert q[3] is None
    assert [q[0], q[1], q[2], q[4]] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])
    assert benjamini_hochberg([0.9, 0.95]) == pytest.approx([0.95, 0.95])
    assert benjamini_hochberg([]) == []
    assert benjamini_hochberg([None, float("nan")]) == [None, None]


# ---------------------------------------------------------------------------------- adjusted_difference


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ame_agrees_with_statsmodels_margins(seed):
    df = _people(2500, seed)
    r = adjusted_difference(df, "y", "sex", COVS, categorical=CATS)
    d, x = _sm_design(df)
    fit = sm.Logit(d["y"], x).fit(disp=0)
    me = fit.get_margeff(at="overall", dummy=True)
    k = list(x.columns).index("woman") - 1  # margeff leaves out the constant
    assert r.converged and r.reason is None
    assert r.estimate == pytest.approx(me.margeff[k], abs=1e-8)
    assert r.std_error == pytest.approx(me.margeff_se[k], rel=1e-5)
    assert r.odds_ratio == pytest.approx(math.exp(fit.params["woman"]), rel=1e-8)
    lo, hi = np.exp(fit.conf_int().loc["woman"])
    assert (r.or_low, r.or_high) == pytest.approx((lo, hi), rel=1e-7)
    z = sps.norm.ppf(0.975)
    half = z * r.std_error
    assert (r.ci_low, r.ci_high) == pytest.approx((r.estimate - half, r.estimate + half))
    assert r.p_value == pytest.approx(2 * sps.norm.sf(abs(r.estimate / r.std_error)))
    assert r.n == len(d) and r.n_women == int((d["sex"] == "women").sum())
    assert r.adjusted_for == tuple(COVS) and r.method == "logit-ame"
    _json_ok(r)


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_compressed_fit_equals_row_level_fit(seed):
    df = _people(3000, seed)
    row = adjusted_difference(df, "y", "sex", COVS, categorical=CATS)
    packed = compress(df, ["sex", *COVS], "y")
    assert len(packed) < len(df) and packed["weight"].sum() == len(df)
    comp = adjusted_difference(packed, "y", "sex", COVS, categorical=CATS, weights="weight")
    for field in ("estimate", "std_error", "ci_low", "ci_high", "odds_ratio", "or_low", "or_high", "p_value"):
        assert getattr(comp, field) == pytest.approx(getattr(row, field), abs=1e-8, rel=1e-8), field
    assert (comp.n, comp.n_women, comp.n_men) == (row.n, row.n_women, row.n_men)
    # compressing again (weights summed) changes nothing
    again = compress(packed.sample(frac=1.0, random_state=seed), ["sex", *COVS], "y", weights="weight")
    twice = adjusted_difference(again, "y", "sex", COVS, categorical=CATS, weights="weight")
    assert twice.estimate == pytest.approx(row.estimate, abs=1e-10)
    assert twice.std_error == pytest.approx(row.std_error, abs=1e-10)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(150, 800), effect=st.floats(-1.0, 1.0))
def test_compressed_equals_row_level_property(seed, n, effect):
    df = _people(n, seed, effect)
    df.loc[df.index[:: max(1, n // 20)], "grade"] = None  # some missing covariate values
    row = adjusted_difference(df, "y", "sex", COVS, categorical=CATS)
    comp = adjusted_difference(
        compress(df, ["sex", *COVS], "y"), "y", "sex", COVS, categorical=CATS, weights="weight"
    )
    assert (row.reason is None) == (comp.reason is None)
    counts = ("n", "n_women", "n_men", "n_missing", "n_perfect_prediction")
    assert [getattr(row, c) for c in counts] == [getattr(comp, c) for c in counts]
    if row.estimate is not None:
        assert comp.estimate == pytest.approx(row.estimate, abs=1e-8)
        assert comp.std_error == pytest.approx(row.std_error, abs=1e-8)
        assert comp.odds_ratio == pytest.approx(row.odds_ratio, rel=1e-8)


def test_freq_weights_equal_statsmodels_glm():
    df = _people(1500, 7)
    packed = compress(df, ["sex", *COVS], "y")
    r = adjusted_difference(packed, "y", "sex", COVS, categorical=CATS, weights="weight")
    d, x = _sm_design(packed)
    glm = sm.GLM(d["y"], x, family=sm.families.Binomial(), freq_weights=d["weight"]).fit()
    assert r.odds_ratio == pytest.approx(math.exp(glm.params["woman"]), rel=1e-8)
    lo, hi = np.exp(glm.conf_int().loc["woman"])
    assert (r.or_low, r.or_high) == pytest.approx((lo, hi), rel=1e-7)


def test_other_sex_missing_values_and_constant_covariates():
    df = _people(1200, 4)
    df["everyone"] = 1.0
    df.loc[df.index[:30], "age"] = np.nan
    df.loc[df.index[30:40], "y"] = np.nan
    r = adjusted_difference(df, "y", "sex", [*COVS, "everyone"], categorical=CATS)
    wm = df["sex"].isin(["women", "men"])
    complete = wm & df[["y", "age"]].notna().all(axis=1)
    assert r.n == int(complete.sum()) and r.n_missing == int((wm & ~complete).sum())
    assert r.dropped_covariates == ("everyone",) and r.adjusted_for == tuple(COVS)
    ref = adjusted_difference(df[complete], "y", "sex", COVS, categorical=CATS)
    assert r.estimate == pytest.approx(ref.estimate, abs=1e-12)


def test_nested_categories_are_aliased_not_fatal():
    df = _people(1500, 8)
    df["unit"] = df["dept"] + "/" + df["grade"]
    nested = adjusted_difference(df, "y", "sex", ["dept", "unit", "age"], categorical=["dept", "unit"])
    plain = adjusted_difference(df, "y", "sex", ["unit", "age"], categorical=["unit"])
    assert nested.reason is None and len(nested.aliased_terms) == 6  # one unit per department
    assert nested.estimate == pytest.approx(plain.estimate, abs=1e-10)
    assert nested.std_error == pytest.approx(plain.std_error, abs=1e-10)


def test_baseline_choice_does_not_matter():
    df = _people(1500, 9)
    r = adjusted_difference(df, "y", "sex", COVS, categorical=CATS)
    renamed = df.assign(dept=df["dept"].map(lambda v: f"z{v}" if v in "AB" else v))
    # also passes age as a categorical-free numeric with another location/scale
    renamed["age"] = renamed["age"] * 12 + 1000
    r2 = adjusted_difference(renamed, "y", "sex", COVS, categorical=CATS)
    assert r2.estimate == pytest.approx(r.estimate, abs=1e-10)
    assert r2.std_error == pytest.approx(r.std_error, abs=1e-10)


def test_perfect_prediction_by_a_level_is_the_limit_of_the_ml_fit():
    df = _people(2000, 5)
    extra = df.sample(60, random_state=1).assign(dept="Z", y=0)
    df = pd.concat([df, extra], ignore_index=True)
    r = adjusted_difference(df, "y", "sex", COVS, categorical=CATS)
    assert r.perfect_prediction_levels == ("dept=Z",)
    assert r.n_perfect_prediction == int(extra["sex"].isin(["women", "men"]).sum())
    assert r.n == int(df["sex"].isin(["women", "men"]).sum())
    # statsmodels without special handling: the dept=Z coefficient runs off towards −∞ and the AME over
    # all rows approaches ours (dept Z contributes a difference of 0).
    d, x = _sm_design(df)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = sm.Logit(d["y"], x).fit(disp=0, maxiter=200)
        me = fit.get_margeff(at="overall", dummy=True)
    assert fit.params["dept_Z"] < -15
    assert r.estimate == pytest.approx(me.margeff[0], abs=1e-6)
    assert r.std_error == pytest.approx(me.margeff_se[0], rel=1e-4)
    assert r.odds_ratio == pytest.approx(math.exp(fit.params["woman"]), rel=1e-6)


def _assert_reason(r: AdjustedDifference, text: str) -> None:
    assert r.estimate is None and r.std_error is None and r.odds_ratio is None
    assert r.reason is not None and text in r.reason
    assert not r.converged
    _json_ok(r)
    assert text in r.summary()


def test_degenerate_cases_give_a_reason_not_an_exception():
    df = _people(400, 6)
    few = pd.concat([df[df["sex"] == "men"], df[df["sex"] == "women"].head(1)])
    _assert_reason(adjusted_difference(few, "y", "sex", COVS, categorical=CATS), "fewer than 2")
    _assert_reason(adjusted_difference(df.iloc[:0], "y", "sex", COVS, categorical=CATS), "fewer than 2")
    _assert_reason(adjusted_difference(df.assign(y=1), "y", "sex", COVS, categorical=CATS), "constant")
    by_sex = df.assign(y=np.where(df["sex"] == "women", 0, df["y"]))
    _assert_reason(adjusted_difference(by_sex, "y", "sex", COVS, categorical=CATS), "separation")
    by_age = df.assign(y=(df["age"] > 40).astype(int))
    _assert_reason(adjusted_difference(by_age, "y", "sex", ["age"]), "separation")
    twin = df.assign(is_woman=(df["sex"] == "women").astype(float))
    _assert_reason(adjusted_difference(twin, "y", "sex", ["is_woman", "age"]), "collinear")
    # every woman in a unit where the outcome is constant
    odd = df[df["sex"].isin(["women", "men"])].copy()
    odd["unit"] = np.where(odd["sex"] == "women", "W", odd["dept"])
    odd.loc[odd["sex"] == "women", "y"] = 1
    r = adjusted_difference(odd, "y", "sex", ["unit"], categorical=["unit"])
    assert r.estimate is None and r.reason is not None


def test_invalid_input_raises():
    df = _people(200, 1)
    with pytest.raises(ValueError):
        adjusted_difference(df.assign(y=df["y"] * 2), "y", "sex", COVS, categorical=CATS)
    with pytest.raises(ValueError):
        adjusted_difference(df, "y", "sex", COVS)  # dept is text but not declared categorical
    with pytest.raises(KeyError):
        adjusted_difference(df, "y", "sex", ["nope"])
    with pytest.raises(ValueError):
        adjusted_difference(df.assign(w=0.5), "y", "sex", ["age"], weights="w")


# ---------------------------------------------------------------------------------- adjusted_mean_difference


def test_adjusted_mean_difference_matches_statsmodels_hc1():
    df = _people(1500, 3)
    r = adjusted_mean_difference(df, "hours", "sex", COVS, categorical=CATS)
    d, x = _sm_design(df)
    fit = sm.OLS(d["hours"], x).fit(cov_type="HC1", use_t=True)
    assert r.estimate == pytest.approx(fit.params["woman"], rel=1e-10)
    assert r.std_error == pytest.approx(fit.bse["woman"], rel=1e-10)
    assert (r.ci_low, r.ci_high) == pytest.approx(tuple(fit.conf_int().loc["woman"]), rel=1e-10)
    assert r.p_value == pytest.approx(fit.pvalues["woman"], rel=1e-8)
    assert r.odds_ratio is None and r.method == "ols-hc1"
    _json_ok(r)


def test_adjusted_mean_difference_with_frequency_weights_equals_rows():
    df = _people(2000, 15)
    df["hours"] = (df["hours"] // 10) * 10  # few distinct values, so rows repeat
    row = adjusted_mean_difference(df, "hours", "sex", COVS, categorical=CATS)
    packed = compress(df, ["sex", *COVS], "hours")
    assert len(packed) < len(df)
    comp = adjusted_mean_difference(packed, "hours", "sex", COVS, categorical=CATS, weights="weight")
    assert comp.estimate == pytest.approx(row.estimate, abs=1e-9)
    assert comp.std_error == pytest.approx(row.std_error, abs=1e-9)
    assert comp.p_value == pytest.approx(row.p_value, abs=1e-9)


def test_adjusted_mean_difference_degenerate():
    df = _people(100, 2)
    _assert_reason(adjusted_mean_difference(df.assign(hours=5.0), "hours", "sex", ["age"]), "constant")
    tiny = pd.DataFrame(
        {"sex": ["women", "women", "men", "men"], "x": [1.0, 2.0, 4.0, 3.0], "hours": [1.0, 2.0, 5.0, 3.0]}
    )
    assert adjusted_mean_difference(tiny, "hours", "sex", ["x"]).estimate is not None  # 4 rows, 3 terms
    tiny["x2"] = [1.0, 0.0, 0.0, 2.0]
    _assert_reason(adjusted_mean_difference(tiny, "hours", "sex", ["x", "x2"]), "degrees of freedom")
    perfect = tiny.assign(hours=tiny["x"] * 2.0 + (tiny["sex"] == "women"))
    r = adjusted_mean_difference(perfect, "hours", "sex", ["x"])
    assert r.estimate == pytest.approx(1.0) and r.std_error == pytest.approx(0.0, abs=1e-12)
    _json_ok(r)


# ---------------------------------------------------------------------------------- compress


def test_compress_groups_and_counts():
    df = pd.DataFrame(
        {
            "sex": ["women", "women", "men", "men", "men"],
            "g": ["a", "a", "a", None, None],
            "y": [1, 1, 0, 1, 1],
        }
    )
    c = compress(df, ["sex", "g"], "y")
    assert list(c.columns) == ["sex", "g", "y", "weight"]
    assert c["weight"].sum() == 5 and len(c) == 3
    with pytest.raises(ValueError):
        compress(df, ["sex", "y"], "y")
    with pytest.raises(ValueError):
        compress(df.assign(weight=1), ["sex", "weight"], "y")


def test_sex_confounded_with_a_partition_is_not_estimated():
    # women and men work in disjoint units: adjusting for unit leaves no comparison of women with men
    df = _people(600, 17)
    df = df[df["sex"].isin(["women", "men"])].copy()
    df["unit"] = np.where(df["sex"] == "women", "W", "M") + df["grade"]
    r = adjusted_difference(df, "y", "sex", ["unit", "age"], categorical=["unit"])
    assert r.estimate is None and r.reason is not None and "collinear" in r.reason
    r = adjusted_mean_difference(df, "hours", "sex", ["unit"], categorical=["unit"])
    assert r.estimate is None and r.reason is not None and "collinear" in r.reason


def test_strong_effect_of_a_small_level_is_not_mistaken_for_separation():
    # 1 % base rate and a small level at 95 %: the first Newton step overshoots far beyond |η| = 25
    rng = np.random.default_rng(3)
    n = 3000
    df = pd.DataFrame({"sex": rng.choice(["women", "men"], n), "lvl": rng.choice(list("ABCDE"), n)})
    df.loc[:99, "lvl"] = "X"
    df["y"] = (rng.random(n) < np.where(df["lvl"] == "X", 0.95, 0.01)).astype(int)
    r = adjusted_difference(df, "y", "sex", ["lvl"], categorical=["lvl"])
    x = pd.get_dummies(df[["lvl"]], drop_first=True, dtype=float)
    x.insert(0, "woman", (df["sex"] == "women").astype(float))
    me = sm.Logit(df["y"], sm.add_constant(x)).fit(disp=0).get_margeff(at="overall", dummy=True)
    assert r.reason is None and r.perfect_prediction_levels == ()
    assert r.estimate == pytest.approx(me.margeff[0], abs=1e-8)
    assert r.std_error == pytest.approx(me.margeff_se[0], rel=1e-5)


def test_perfect_prediction_compressed_equals_row_level():
    df = _people(1500, 19)
    extra = df.sample(40, random_state=2).assign(grade="g9", y=1)
    df = pd.concat([df, extra], ignore_index=True)
    row = adjusted_difference(df, "y", "sex", COVS, categorical=CATS)
    comp = adjusted_difference(
        compress(df, ["sex", *COVS], "y"), "y", "sex", COVS, categorical=CATS, weights="weight"
    )
    assert row.perfect_prediction_levels == comp.perfect_prediction_levels == ("grade=g9",)
    assert row.n_perfect_prediction == comp.n_perfect_prediction > 0
    assert comp.estimate == pytest.approx(row.estimate, abs=1e-8)
    assert comp.std_error == pytest.approx(row.std_error, abs=1e-8)
