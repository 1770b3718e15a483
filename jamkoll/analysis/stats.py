"""Statistical building blocks for gender-equality statistics: proportions, comparisons, adjusted gaps.

Every function is a plain function of its arguments (no hidden state) that returns a small frozen
dataclass with ``to_dict()`` (JSON-serialisable: plain ``int``/``float``/``str``/``bool``, ``None``
instead of NaN or infinity, lists instead of tuples) and ``summary()`` (one line of text).

Conventions
-----------
* **Sign**: every difference is **women − men**; every ratio is **women / men**.
* **Scale**: rates, shares and their differences are proportions in ``0..1``; the caller multiplies
  by 100 for per cent or percentage points.
* **Undefined quantities** (an empty group, a ratio of two zero rates, a model that cannot be fitted)
  are ``None``, never NaN, and never raise: input that is *invalid* (negative counts, successes larger
  than the number of trials, missing columns, a non-binary outcome) raises ``ValueError``.
* **Confidence level**: ``level`` (default 0.95); normal quantiles ``z = Φ⁻¹((1 + level)/2)``.

Methods and references
----------------------
* Exact (Clopper-Pearson) interval for a proportion: Clopper, C. J. and Pearson, E. S. (1934). The use
  of confidence or fiducial limits illustrated in the case of the binomial. Biometrika 26(4), 404-413.
* Score interval for a proportion: Wilson, E. B. (1927). Probable inference, the law of succession, and
  statistical inference. Journal of the American Statistical Association 22(158), 209-212.
* Interval for a difference of two independent proportions: Newcombe, R. G. (1998). Interval
  estimation for the difference between independent proportions: comparison of eleven methods.
  Statistics in Medicine 17(8), 873-890 (method 10, the hybrid score interval).
* Interval for a risk ratio: Katz, D., Baptista, J., Azen, S. P. and Pike, M. C. (1978). Obtaining
  confidence intervals for the risk ratio in cohort studies. Biometrics 34(3), 469-474.
* Fisher's exact test: Fisher, R. A. (1935). The logic of inductive inference. Journal of the Royal
  Statistical Society 98(1), 39-82; Pearson's chi-square test: Pearson, K. (1900). Philosophical
  Magazine 50(302), 157-175; the "expected count below 5" rule: Cochran, W. G. (1954). Some methods for
  strengthening the common χ² tests. Biometrics 10(4), 417-451.
* Exact binomial test: Clopper and Pearson (1934); as implemented by ``scipy.stats.binomtest``.
* Welch's t-test: Welch, B. L. (1947). The generalization of "Student's" problem when several different
  population variances are involved. Biometrika 34(1/2), 28-35.
* False discovery rate: Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a
  practical and powerful approach to multiple testing. JRSS B 57(1), 289-300.
* Average marginal effects and the delta method: Williams, R. (2012). Using the margins command to
  estimate and interpret adjusted predictions and marginal effects. The Stata Journal 12(2), 308-331;
  Greene, W. H. (2012). Econometric Analysis, 7th ed., Pearson, sections 17.3 (marginal effects of a
  binary variable, delta method) and 4.6 (delta method).
* Heteroskedasticity-consistent standard errors (HC1): White, H. (1980). Econometrica 48(4), 817-838;
  MacKinnon, J. G. and White, H. (1985). Journal of Econometrics 29(3), 305-325.
* Perfect prediction by a covariate level (observations not used, as Stata's ``logit`` does): StataCorp,
  Stata Base Reference Manual, ``[R] logit``, "Model identification"; Albert, A. and Anderson, J. A.
  (1984). On the existence of maximum likelihood estimates in logistic regression models. Biometrika
  71(1), 1-10.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as sps
from scipy.linalg import LinAlgError, cho_factor, cho_solve, solve_triangular

__all__ = [
    "AdjustedDifference",
    "BinaryComparison",
    "Interval",
    "MeanDifference",
    "RepresentationResult",
    "adjusted_difference",
    "adjusted_mean_difference",
    "benjamini_hochberg",
    "cluster_pairs",
    "compare_proportions",
    "compress",
    "mean_difference",
    "proportion_ci",
    "representation",
]

WOMEN = "women"
MEN = "men"

# ---------------------------------------------------------------------------------------------- helpers


def _json_value(x: Any) -> Any:
    """Turn a result field into a JSON-serialisable value (NaN/inf → None, numpy → Python)."""
    if x is None or isinstance(x, bool | str):
        return x
    if isinstance(x, np.bool_):
        return bool(x)
    if isinstance(x, int | np.integer):
        return int(x)
    if isinstance(x, float | np.floating):
        v = float(x)
        return v if math.isfinite(v) else None
    if isinstance(x, list | tuple):
        return [_json_value(v) for v in x]
    if isinstance(x, dict):
        return {str(k): _json_value(v) for k, v in x.items()}
    raise TypeError(f"cannot serialise {type(x).__name__}")


def _as_dict(obj: Any) -> dict[str, Any]:
    return {f.name: _json_value(getattr(obj, f.name)) for f in fields(obj)}


def _fin(x: float | np.floating | None) -> float | None:
    """A plain float, or None for None/NaN/inf."""
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None


def _fmt(x: float | None, digits: int = 3) -> str:
    return "NA" if x is None else f"{x:.{digits}f}"


def _z(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    return float(special.ndtri(0.5 + level / 2.0))


def _count(x: int, name: str) -> int:
    try:
        v = operator.index(x)
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {type(x).__name__}") from None
    if v < 0:
        raise ValueError(f"{name} must be non-negative, got {v}")
    return v


def _p_two_sided_z(z: float) -> float:
    return float(2.0 * special.ndtr(-abs(z)))


# ------------------------------------------------------------------------------ one proportion


@dataclass(frozen=True)
class Interval:
    """A point estimate with a confidence interval (all ``None`` when undefined, e.g. ``n = 0``)."""

    estimate: float | None
    low: float | None
    high: float | None
    level: float = 0.95
    method: str = "clopper-pearson"

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self)

    def summary(self) -> str:
        return (
            f"{_fmt(self.estimate)} ({self.level:.0%} CI {_fmt(self.low)} to {_fmt(self.high)}, "
            f"{self.method})"
        )


def _clopper_pearson(x: int, n: int, level: float) -> tuple[float, float]:
    alpha = 1.0 - level
    low = 0.0 if x == 0 else float(special.betaincinv(x, n - x + 1, alpha / 2.0))
    high = 1.0 if x == n else float(special.betaincinv(x + 1, n - x, 1.0 - alpha / 2.0))
    return low, high


def _wilson(x: int, n: int, z: float) -> tuple[float, float]:
    p = x / n
    z2 = z * z
    centre = (x + z2 / 2.0) / (n + z2)
    half = z * math.sqrt(n * p * (1.0 - p) + z2 / 4.0) / (n + z2)
    low = 0.0 if x == 0 else max(0.0, centre - half)
    high = 1.0 if x == n else min(1.0, centre + half)
    return low, high


def proportion_ci(
    successes: int,
    n: int,
    level: float = 0.95,
    method: Literal["clopper-pearson", "wilson"] = "clopper-pearson",
) -> Interval:
    """Confidence interval for a binomial proportion ``successes / n``.

    Methods: ``"clopper-pearson"`` — the exact interval obtained by inverting two one-sided binomial
    tests, computed from beta quantiles ``B(α/2; x, n−x+1)`` and ``B(1−α/2; x+1, n−x)`` (Clopper and
    Pearson 1934); ``"wilson"`` — the score interval (Wilson 1927), without continuity correction.
    ``n = 0`` gives an interval of ``None``\\ s.
    """
    x = _count(successes, "successes")
    m = _count(n, "n")
    if x > m:
        raise ValueError(f"successes ({x}) cannot exceed n ({m})")
    z = _z(level)
    if m == 0:
        return Interval(None, None, None, level, method)
    if method == "clopper-pearson":
        low, high = _clopper_pearson(x, m, level)
    elif method == "wilson":
        low, high = _wilson(x, m, z)
    else:
        raise ValueError(f"unknown method {method!r}")
    return Interval(x / m, low, high, level, method)


# ------------------------------------------------------------------------------ representation


@dataclass(frozen=True)
class RepresentationResult:
    """Share of women among participants compared with the share in a reference (target) group.

    ``difference = share_women − reference_share`` (proportions); ``diff_low``/``diff_high`` is the
    participants' Clopper-Pearson interval shifted by the reference share, which is treated as a
    known population value.
    """

    n: int
    women: int
    men: int
    share_women: float | None
    ci_low: float | None
    ci_high: float | None
    reference_share: float | None
    difference: float | None
    diff_low: float | None
    diff_high: float | None
    p_value: float | None
    test: str = "binomial-exact-central"
    level: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self)

    def summary(self) -> str:
        return (
            f"women {self.women} of {self.n} = {_fmt(self.share_women)} "
            f"({self.level:.0%} CI {_fmt(self.ci_low)} to {_fmt(self.ci_high)}); reference "
            f"{_fmt(self.reference_share)}; difference {_fmt(self.difference)} "
            f"({_fmt(self.diff_low)} to {_fmt(self.diff_high)}); p = {_fmt(self.p_value, 4)} ({self.test})"
        )


def _central_binomial_p(x: int, n: int, p0: float) -> float:
    """Two-sided exact central binomial p-value: twice the smaller tail (Clopper-Pearson's test)."""
    lower = float(sps.binom.cdf(x, n, p0))
    upper = float(sps.binom.sf(x - 1, n, p0))
    return min(1.0, 2.0 * min(lower, upper))


def representation(
    women: int,
    men: int,
    reference_women: int | float,
    reference_men: int | float,
    level: float = 0.95,
) -> RepresentationResult:
    """Compare the share of women among participants with the share in a reference group.

    Method: the share is ``women / (women + men)`` (people of other or unknown sex are excluded from
    the share; the caller reports them separately). Its interval is the exact Clopper-Pearson interval
    (Clopper and Pearson 1934). The reference share ``p0 = reference_women / (reference_women +
    reference_men)`` (counts or any non-negative sizes, e.g. population figures) is treated as a known
    population value, so the interval of the difference ``share − p0`` is the shifted interval of the
    share, and the p-value is that of the exact two-sided *central* binomial test of ``share = p0``,
    twice the smaller tail, ``min(1, 2·min(P(X ≤ x), P(X ≥ x)))`` with ``X ~ Bin(n, p0)``. That is the
    test the Clopper-Pearson interval inverts, so the interval excludes ``p0`` exactly when
    ``p < 1 − level`` (the "minimum likelihood" p-value of ``scipy.stats.binomtest``, which sums the
    probabilities of all outcomes no more likely than the observed one, can disagree with the interval:
    8 of 21 against 0.6 gives p = 0.046 while the interval contains 0.6). Reference: Fay, M. P. (2010).
    Two-sided exact tests and matching confidence intervals for discrete data. R Journal 2(1), 53-58.
    Undefined quantities (no participants, an empty reference) are ``None``.
    """
    w = _count(women, "women")
    m = _count(men, "men")
    rw, rm = float(reference_women), float(reference_men)
    if not (math.isfinite(rw) and math.isfinite(rm)) or rw < 0 or rm < 0:
        raise ValueError("reference_women and reference_men must be finite and non-negative")
    _z(level)
    n = w + m
    p0 = rw / (rw + rm) if rw + rm > 0 else None
    if n == 0:
        return RepresentationResult(n, w, m, None, None, None, p0, None, None, None, None, level=level)
    share = w / n
    low, high = _clopper_pearson(w, n, level)
    if p0 is None:
        return RepresentationResult(n, w, m, share, low, high, None, None, None, None, None, level=level)
    p_value = _central_binomial_p(w, n, p0)
    return RepresentationResult(
        n, w, m, share, low, high, p0, share - p0, low - p0, high - p0, min(1.0, p_value), level=level
    )


# ------------------------------------------------------------------------------ two proportions


@dataclass(frozen=True)
class BinaryComparison:
    """Comparison of a binary outcome between women and men.

    ``difference`` (women − men) with the Newcombe hybrid-score interval; ``risk_ratio`` (women/men)
    with the Katz log interval (``rr_continuity_corrected`` says whether 0.5 was added to every cell
    because one group had no successes); ``p_value`` from the test named in ``test``
    (``"fisher-exact"``, ``"chi-square"`` or ``"none"`` when a group is empty); ``min_expected`` is
    the smallest expected cell count of the 2×2 table under independence.
    """

    women_successes: int
    women_n: int
    men_successes: int
    men_n: int
    women_rate: float | None
    men_rate: float | None
    difference: float | None
    diff_low: float | None
    diff_high: float | None
    risk_ratio: float | None
    rr_low: float | None
    rr_high: float | None
    rr_continuity_corrected: bool
    p_value: float | None
    test: str
    min_expected: float | None
    level: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self)

    def summary(self) -> str:
        cc = ", 0.5 added" if self.rr_continuity_corrected else ""
        return (
            f"women {self.women_successes}/{self.women_n} = {_fmt(self.women_rate)}, men "
            f"{self.men_successes}/{self.men_n} = {_fmt(self.men_rate)}; difference "
            f"{_fmt(self.difference)} ({self.level:.0%} CI {_fmt(self.diff_low)} to "
            f"{_fmt(self.diff_high)}); risk ratio {_fmt(self.risk_ratio)} ({_fmt(self.rr_low)} to "
            f"{_fmt(self.rr_high)}{cc}); p = {_fmt(self.p_value, 4)} ({self.test})"
        )


def _newcombe(a: int, n1: int, c: int, n2: int, z: float) -> tuple[float, float, float]:
    """Newcombe (1998) method 10: square-and-add of the two Wilson score intervals."""
    p1, p2 = a / n1, c / n2
    l1, u1 = _wilson(a, n1, z)
    l2, u2 = _wilson(c, n2, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, max(-1.0, low), min(1.0, high)


def compare_proportions(
    women_successes: int,
    women_n: int,
    men_successes: int,
    men_n: int,
    level: float = 0.95,
    small_expected: float = 5,
) -> BinaryComparison:
    """Compare the proportion of a binary outcome between women and men.

    Methods:

    * risk difference ``p_w − p_m`` with the hybrid score interval, Newcombe (1998) method 10 (Wilson
      1927 intervals for each proportion combined by square-and-add);
    * risk ratio ``p_w / p_m`` with the log-scale interval of Katz et al. (1978),
      ``SE(log RR) = sqrt(1/a − 1/n_w + 1/c − 1/n_m)``. If exactly one group has no successes, 0.5 is
      added to each of the four cells (so ``a → a + 0.5``, ``n → n + 1``) for the ratio and its
      interval only, and ``rr_continuity_corrected`` is set; if neither group has any success the
      ratio is undefined (``None``);
    * p-value: two-sided Fisher's exact test (``scipy.stats.fisher_exact``) when any expected cell
      count of the 2×2 table is below ``small_expected`` (Cochran 1954), otherwise Pearson's
      chi-square test without continuity correction (1 df).

    An empty group gives ``None`` for everything that needs it and ``test = "none"``.
    """
    a = _count(women_successes, "women_successes")
    n1 = _count(women_n, "women_n")
    c = _count(men_successes, "men_successes")
    n2 = _count(men_n, "men_n")
    if a > n1 or c > n2:
        raise ValueError("successes cannot exceed the number of trials")
    z = _z(level)
    r1 = a / n1 if n1 else None
    r2 = c / n2 if n2 else None
    if n1 == 0 or n2 == 0:
        return BinaryComparison(
            a, n1, c, n2, r1, r2, None, None, None, None, None, None, False, None, "none", None, level
        )
    d, d_low, d_high = _newcombe(a, n1, c, n2, z)

    rr = rr_low = rr_high = None
    corrected = False
    if a > 0 or c > 0:
        aa, nn1, cc, nn2 = float(a), float(n1), float(c), float(n2)
        if a == 0 or c == 0:
            aa, nn1, cc, nn2 = aa + 0.5, nn1 + 1.0, cc + 0.5, nn2 + 1.0
            corrected = True
        log_rr = math.log((aa / nn1) / (cc / nn2))
        se = math.sqrt(max(0.0, 1.0 / aa - 1.0 / nn1 + 1.0 / cc - 1.0 / nn2))
        rr, rr_low, rr_high = math.exp(log_rr), math.exp(log_rr - z * se), math.exp(log_rr + z * se)

    b, dd = n1 - a, n2 - c
    total = n1 + n2
    col1, col2 = a + c, b + dd
    min_expected = min(n1, n2) * min(col1, col2) / total
    if min_expected < small_expected:
        test = "fisher-exact"
        p_value = float(sps.fisher_exact([[a, b], [c, dd]], alternative="two-sided").pvalue)
    else:
        test = "chi-square"
        chi2 = total * (a * dd - b * c) ** 2 / (n1 * n2 * col1 * col2)
        p_value = float(special.chdtrc(1, chi2))
    return BinaryComparison(
        a, n1, c, n2, r1, r2, d, d_low, d_high, rr, rr_low, rr_high, corrected,
        min(1.0, p_value), test, float(min_expected), level,
    )


# ------------------------------------------------------------------------------ mean difference


@dataclass(frozen=True)
class MeanDifference:
    """Difference of means ``mean_women − mean_men`` with Welch's interval and test.

    ``relative_difference = difference / mean_men`` (``None`` when the men's mean is 0).
    """

    n_women: int
    n_men: int
    mean_women: float | None
    mean_men: float | None
    difference: float | None
    ci_low: float | None
    ci_high: float | None
    relative_difference: float | None
    p_value: float | None
    df: float | None
    test: str = "welch-t"
    level: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self)

    def summary(self) -> str:
        return (
            f"women {_fmt(self.mean_women)} (n={self.n_women}), men {_fmt(self.mean_men)} "
            f"(n={self.n_men}); difference {_fmt(self.difference)} ({self.level:.0%} CI "
            f"{_fmt(self.ci_low)} to {_fmt(self.ci_high)}); relative {_fmt(self.relative_difference)}; "
            f"p = {_fmt(self.p_value, 4)} ({self.test})"
        )


def mean_difference(
    women: Sequence[float] | np.ndarray, men: Sequence[float] | np.ndarray, level: float = 0.95
) -> MeanDifference:
    """Difference of means, women − men, with Welch's t interval and two-sided Welch t-test.

    Method: Welch (1947): ``SE = sqrt(s_w²/n_w + s_m²/n_m)`` with the Welch-Satterthwaite degrees of
    freedom. NaN values are ignored. Means need one observation per group; the interval and test need
    two per group and a positive standard error, otherwise they are ``None``.
    """
    _z(level)  # validates level
    xw = np.asarray(women, dtype=float)
    xm = np.asarray(men, dtype=float)
    xw = xw[~np.isnan(xw)]
    xm = xm[~np.isnan(xm)]
    n1, n2 = int(xw.size), int(xm.size)
    mw = float(xw.mean()) if n1 else None
    mm = float(xm.mean()) if n2 else None
    diff = mw - mm if mw is not None and mm is not None else None
    rel = diff / mm if diff is not None and mm is not None and mm != 0 else None
    low = high = p = df = None
    if diff is not None and n1 >= 2 and n2 >= 2:
        v1 = float(xw.var(ddof=1)) / n1
        v2 = float(xm.var(ddof=1)) / n2
        se = math.sqrt(v1 + v2)
        if se > 0:
            df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
            q = float(special.stdtrit(df, 0.5 + level / 2.0))
            low, high = diff - q * se, diff + q * se
            p = float(2.0 * special.stdtr(df, -abs(diff / se)))
    return MeanDifference(n1, n2, mw, mm, diff, low, high, _fin(rel), p, df, level=level)


# ------------------------------------------------------------------------------ multiple testing


def benjamini_hochberg(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg (1995) adjusted p-values (q-values) controlling the false discovery rate.

    Method: with the ``m`` available p-values sorted, ``q_(i) = min_{j ≥ i} min(1, m·p_(j)/j)`` (the
    step-up procedure written as adjusted p-values, as ``statsmodels``' ``fdr_bh`` and R's
    ``p.adjust(method = "BH")``). ``None`` (and NaN) entries stay ``None`` and are not counted in ``m``.
    """
    out: list[float | None] = [None] * len(p_values)
    idx = [i for i, p in enumerate(p_values) if p is not None and not math.isnan(float(p))]
    if not idx:
        return out
    arr = np.array([float(p_values[i]) for i in idx])  # type: ignore[arg-type]
    if np.any((arr < 0) | (arr > 1)):
        raise ValueError("p-values must lie between 0 and 1")
    m = arr.size
    order = np.argsort(arr, kind="mergesort")
    scaled = arr[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    q = np.empty(m)
    q[order] = q_sorted
    for k, i in enumerate(idx):
        out[i] = float(q[k])
    return out


# ------------------------------------------------------------------------------ adjusted differences


@dataclass(frozen=True)
class AdjustedDifference:
    """Covariate-adjusted difference between women and men (women − men).

    Binary outcome (``method = "logit-ame"``): ``estimate`` is the average marginal effect of being a
    woman rather than a man, a difference of probabilities (0..1), with delta-method ``std_error``,
    normal interval and z-test p-value; ``odds_ratio`` (women/men) with its Wald interval.
    Continuous outcome (``method = "ols-hc1"``): ``estimate`` is the adjusted mean gap (the women
    coefficient), with HC1 standard error and t interval/test; the odds-ratio fields are ``None``.

    ``n``, ``n_women``, ``n_men``: people (sum of frequency weights) over whom the estimate is
    averaged — women and men with no missing value in the outcome or any covariate; ``n_missing``:
    women and men left out for missing values. ``mean_women``/``mean_men``: unadjusted outcome means.
    ``adjusted_for``: covariates in the model (names as given); ``dropped_covariates``: covariates
    that were constant and therefore left out; ``aliased_terms``: design columns left out because they
    were linear combinations of earlier ones (e.g. nested categories); ``perfect_prediction_levels``
    and ``n_perfect_prediction``: covariate levels whose outcome was constant, and the number of
    people in them, who were not used in the fit (see :func:`adjusted_difference`).
    ``estimate is None`` exactly when ``reason`` says why no estimate could be made.
    """

    estimate: float | None
    std_error: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    odds_ratio: float | None
    or_low: float | None
    or_high: float | None
    n: int
    n_women: int
    n_men: int
    n_missing: int
    mean_women: float | None
    mean_men: float | None
    adjusted_for: tuple[str, ...]
    dropped_covariates: tuple[str, ...]
    aliased_terms: tuple[str, ...]
    perfect_prediction_levels: tuple[str, ...]
    n_perfect_prediction: int
    converged: bool
    reason: str | None
    method: str
    level: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self)

    def summary(self) -> str:
        what = "AME" if self.method == "logit-ame" else "adjusted mean gap"
        head = f"n={self.n} (women {self.n_women}, men {self.n_men})"
        adj = ", ".join(self.adjusted_for) or "nothing"
        if self.estimate is None:
            return f"{what}: not estimated ({self.reason}); {head}; adjusted for {adj}"
        text = (
            f"{what} women − men {_fmt(self.estimate, 4)} ({self.level:.0%} CI {_fmt(self.ci_low, 4)} to "
            f"{_fmt(self.ci_high, 4)}), p = {_fmt(self.p_value, 4)}"
        )
        if self.odds_ratio is not None:
            text += f"; OR {_fmt(self.odds_ratio)} ({_fmt(self.or_low)} to {_fmt(self.or_high)})"
        return f"{text}; {head}; adjusted for {adj}"


class _Design:
    """Design matrix and bookkeeping shared by the logistic and linear adjusted differences."""

    __slots__ = (
        "x", "y", "f", "woman", "names", "n", "n_women", "n_men", "n_missing", "mean_women", "mean_men",
        "adjusted_for", "dropped", "aliased", "perfect_levels", "n_perfect", "f_total",
        "sex", "covariates", "spec", "perfect_values",
    )

    def __init__(self) -> None:
        self.x = np.empty((0, 0))
        self.y = np.empty(0)
        self.f = np.empty(0)
        self.woman = np.empty(0)
        self.names: list[str] = []
        self.n = self.n_women = self.n_men = self.n_missing = self.n_perfect = 0
        self.f_total = 0.0
        self.mean_women: float | None = None
        self.mean_men: float | None = None
        self.adjusted_for: tuple[str, ...] = ()
        self.dropped: tuple[str, ...] = ()
        self.aliased: tuple[str, ...] = ()
        self.perfect_levels: tuple[str, ...] = ()
        self.sex = ""
        self.covariates: tuple[str, ...] = ()
        self.spec: list[tuple[Any, ...]] = []  # what each design column is: see _pair_design
        self.perfect_values: dict[str, set[Any]] = {}


def _empty_result(d: _Design, reason: str, method: str, level: float) -> AdjustedDifference:
    return AdjustedDifference(
        None, None, None, None, None, None, None, None, d.n, d.n_women, d.n_men, d.n_missing,
        d.mean_women, d.mean_men, d.adjusted_for, d.dropped, d.aliased, d.perfect_levels, d.n_perfect,
        False, reason, method, level,
    )


def _level_order(uniques: Sequence[Any], counts: np.ndarray) -> list[int]:
    """Level indices: most frequent first (ties: first by ``str`` sort), then the rest by ``str``."""
    base = min(range(len(uniques)), key=lambda j: (-counts[j], str(uniques[j])))
    rest = sorted((j for j in range(len(uniques)) if j != base), key=lambda j: str(uniques[j]))
    return [base, *rest]


def _independent_columns(x: np.ndarray, f: np.ndarray, order: Sequence[int], tol: float = 1e-9) -> list[int]:
    """Columns of ``x`` taken in ``order``, skipping any that is (numerically) a combination of earlier ones.

    Uses the Cholesky factor of the scaled weighted cross-product matrix: the squared diagonal of the
    factor is the share of a column's sum of squares not explained by the preceding kept columns.
    Returns the kept column indices, sorted.
    """
    x = x[:, list(order)]
    g = x.T @ (x * f[:, None])
    diag = np.diag(g).copy()
    ok = diag > 0
    scale = np.where(ok, 1.0 / np.sqrt(np.where(ok, diag, 1.0)), 0.0)
    c = g * scale[:, None] * scale[None, :]
    if ok.all():
        try:
            chol = np.linalg.cholesky(c)
            if np.min(np.diag(chol)) ** 2 > tol:
                return sorted(order)
        except np.linalg.LinAlgError:
            pass
    p = x.shape[1]
    lower = np.zeros((p, p))
    keep: list[int] = []
    for j in range(p):
        if not ok[j]:
            continue
        k = len(keep)
        if k:
            v = solve_triangular(lower[:k, :k], c[keep, j], lower=True)
            resid = c[j, j] - float(v @ v)
        else:
            v = np.empty(0)
            resid = c[j, j]
        if resid > tol:
            lower[k, :k] = v
            lower[k, k] = math.sqrt(resid)
            keep.append(j)
    return sorted(order[j] for j in keep)


def _prepare(
    data: pd.DataFrame,
    outcome: str,
    sex: str,
    covariates: Sequence[str],
    categorical: Sequence[str],
    weights: str | None,
    binary: bool,
) -> tuple[_Design, str | None]:
    """Validate the input, select women and men, build the design; return (design, reason or None)."""
    if isinstance(covariates, str) or isinstance(categorical, str):
        raise TypeError("covariates and categorical must be sequences of column names, not a string")
    covs = list(covariates)
    cats = set(categorical)
    if len(set(covs)) != len(covs):
        raise ValueError("covariates contains duplicates")
    if not cats <= set(covs):
        raise ValueError(f"categorical names not in covariates: {sorted(map(str, cats - set(covs)))}")
    if sex in covs or outcome in covs or outcome == sex:
        raise ValueError("outcome, sex and the covariates must be different columns")
    needed = [outcome, sex, *covs] + ([weights] if weights is not None else [])
    missing_cols = [c for c in needed if c not in data.columns]
    if missing_cols:
        raise KeyError(f"columns not in data: {missing_cols}")

    d = _Design()
    d.sex, d.covariates = sex, tuple(covs)
    sexv = data[sex].to_numpy(dtype=object)
    is_w = sexv == WOMEN
    keep = is_w | (sexv == MEN)
    if weights is not None:
        f_all = np.asarray(data[weights].to_numpy(), dtype=float)
        if not np.all(np.isfinite(f_all)) or np.any(f_all < 0) or np.any(f_all != np.round(f_all)):
            raise ValueError("weights must be non-negative whole numbers (frequency weights)")
    else:
        f_all = np.ones(len(data))
    keep &= f_all > 0
    complete = keep.copy()
    for name in [outcome, *covs]:
        complete &= ~data[name].isna().to_numpy()
    d.n_missing = int(round(float(f_all[keep & ~complete].sum())))

    rows = np.flatnonzero(complete)
    f = f_all[rows]
    woman = is_w[rows].astype(float)
    y_raw = data[outcome].to_numpy()[rows]
    try:
        y = np.asarray(y_raw, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"outcome {outcome!r} must be numeric") from None
    if not np.all(np.isfinite(y)):
        raise ValueError(f"outcome {outcome!r} has infinite values")
    if binary and not np.all((y == 0) | (y == 1)):
        raise ValueError(f"outcome {outcome!r} must be 0/1")

    fw = float(f @ woman)
    fm = float(f.sum()) - fw
    d.f_total = fw + fm
    d.n, d.n_women, d.n_men = int(round(d.f_total)), int(round(fw)), int(round(fm))
    d.mean_women = float((f * woman) @ y / fw) if fw > 0 else None
    d.mean_men = float((f * (1.0 - woman)) @ y / fm) if fm > 0 else None
    d.adjusted_for = tuple(covs)
    if fw < 2 or fm < 2:
        return d, "fewer than 2 women or fewer than 2 men with complete data"
    if binary and d.mean_women is not None and d.mean_men is not None:
        if d.mean_women in (0.0, 1.0) and d.mean_men == d.mean_women:
            return d, "outcome is constant"
        if d.mean_women in (0.0, 1.0) or d.mean_men in (0.0, 1.0):
            return d, "perfect separation: the outcome is constant among women or among men"
    elif not binary and np.all(y == y[0]):
        return d, "outcome is constant"

    # covariates: codes for categorical ones, values for numeric ones; constant ones are dropped
    cat_codes: dict[str, tuple[np.ndarray, Sequence[Any]]] = {}
    num_vals: dict[str, np.ndarray] = {}
    dropped: list[str] = []
    for cov in covs:
        col = data[cov]
        if cov in cats:
            fcodes, funiques = pd.factorize(col.to_numpy()[rows])
            if len(funiques) < 2:
                dropped.append(cov)
            else:
                cat_codes[cov] = (np.asarray(fcodes), list(funiques))
        else:
            if not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col)):
                raise ValueError(f"covariate {cov!r} is not numeric; list it in categorical")
            vals = np.asarray(col.to_numpy()[rows], dtype=float)
            if np.all(vals == vals[0]):
                dropped.append(cov)
            else:
                num_vals[cov] = vals
    d.dropped = tuple(dropped)
    d.adjusted_for = tuple(c for c in covs if c not in dropped)

    # perfect prediction by a level of a categorical covariate (Stata's logit rule), iterated
    used = np.ones(rows.size, dtype=bool)
    perfect: list[str] = []
    if binary and cat_codes:
        fy = f * y
        changed = True
        while changed:
            changed = False
            for cov, (pcodes, puniques) in cat_codes.items():
                fu = np.where(used, f, 0.0)
                tot = np.bincount(pcodes, weights=fu, minlength=len(puniques))
                pos = np.bincount(pcodes, weights=np.where(used, fy, 0.0), minlength=len(puniques))
                bad = (tot > 0) & ((pos == 0) | (pos == tot))
                if bad.any():
                    for j in np.flatnonzero(bad):
                        perfect.append(f"{cov}={puniques[int(j)]}")
                        d.perfect_values.setdefault(cov, set()).add(puniques[int(j)])
                    used &= ~bad[pcodes]
                    changed = True
    d.perfect_levels = tuple(perfect)
    d.n_perfect = int(round(float(f[~used].sum())))
    if perfect:
        fu_w = float(f[used] @ woman[used])
        fu_m = float(f[used].sum()) - fu_w
        if fu_w < 1 or fu_m < 1:
            return d, "all women or all men are in covariate levels that perfectly predict the outcome"
        yu = y[used]
        if np.all(yu == yu[0]):
            return d, "outcome is perfectly predicted by the covariates"

    fu = f[used]
    ftot_u = float(fu.sum())
    cols: list[np.ndarray] = [np.ones(int(used.sum())), woman[used]]
    names = ["(intercept)", "woman"]
    spec: list[tuple[Any, ...]] = [("const",), ("woman",)]
    aliased: list[str] = []
    for cov in d.adjusted_for:
        if cov in num_vals:
            v = num_vals[cov][used]
            mu = float(fu @ v) / ftot_u
            sd = math.sqrt(float(fu @ (v - mu) ** 2) / ftot_u)
            if sd == 0:
                aliased.append(cov)
                continue
            cols.append((v - mu) / sd)
            names.append(cov)
            spec.append(("num", cov, mu, sd))
        else:
            ccodes, cuniques = cat_codes[cov]
            cu = ccodes[used]
            counts = np.bincount(cu, weights=fu, minlength=len(cuniques))
            present = [lv for lv in _level_order(cuniques, counts) if counts[lv] > 0]
            for lv in present[1:]:
                cols.append((cu == lv).astype(float))
                names.append(f"{cov}={cuniques[lv]}")
                spec.append(("cat", cov, cuniques[lv]))
    x = np.column_stack(cols)
    # sex goes last: it must not be a combination of the intercept and the covariates
    keep_cols = _independent_columns(x, fu, [0, *range(2, x.shape[1]), 1])
    if 1 not in keep_cols:
        return d, "sex is collinear with the covariates (no comparison of women and men within levels)"
    if len(keep_cols) < x.shape[1]:
        aliased.extend(names[j] for j in range(x.shape[1]) if j not in keep_cols)
        x = x[:, keep_cols]
        names = [names[j] for j in keep_cols]
        spec = [spec[j] for j in keep_cols]
    d.aliased = tuple(aliased)
    d.spec = spec
    d.x, d.y, d.f, d.woman, d.names = x, y[used], fu, woman[used], names
    return d, None


def _pair_design(d: _Design, pairs: pd.DataFrame, suffix: str) -> tuple[np.ndarray, np.ndarray]:
    """The design rows of one side (``suffix`` ``"_a"`` or ``"_b"``) of aggregated pairs, and which
    pairs can be used: both sexes known, no missing covariate, no perfectly predicted level (whose
    residual is 0 in the fit's limit, see :func:`adjusted_difference`)."""
    n = len(pairs)
    sexv = pairs[f"{d.sex}{suffix}"].to_numpy(dtype=object)
    ok = (sexv == WOMEN) | (sexv == MEN)
    for cov in d.covariates:
        col = pairs[f"{cov}{suffix}"]
        ok &= ~col.isna().to_numpy()
        if cov in d.perfect_values:
            ok &= ~col.isin(list(d.perfect_values[cov])).to_numpy()
    cols: list[np.ndarray] = []
    for item in d.spec:
        if item[0] == "const":
            cols.append(np.ones(n))
        elif item[0] == "woman":
            cols.append((sexv == WOMEN).astype(float))
        elif item[0] == "num":
            v = np.asarray(pairs[f"{item[1]}{suffix}"].to_numpy(dtype=float, na_value=np.nan), dtype=float)
            cols.append(np.nan_to_num((v - item[2]) / item[3]))
        else:
            cols.append(_is_level(pairs[f"{item[1]}{suffix}"], item[2]))
    return np.column_stack(cols) if cols else np.empty((n, 0)), ok


def _is_level(column: pd.Series, level: Any) -> np.ndarray:
    """1.0 where ``column`` equals ``level``: on a category column by its integer codes (the engine's
    pairs, read again by every model), else value by value."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        if level not in categories:
            return np.zeros(len(column))
        return (column.cat.codes.to_numpy() == categories.get_loc(level)).astype(float)
    return (column.to_numpy(dtype=object) == level).astype(float)


def _cluster_meat(d: _Design, meat_rows: np.ndarray, pairs: pd.DataFrame | None,
                  fitted: Any) -> np.ndarray:
    """The cluster-robust "meat" ``Σ_g u_g u_g'`` from row-level contributions and aggregated pairs.

    With ``u_g = Σ_{i∈g} x_i r_i`` the score sum of person ``g``, ``Σ_g u_g u_g' = Σ_i x_i x_i' r_i²
    + Σ_{i≠j, same person} x_i x_j' r_i r_j``. The first sum is ``meat_rows`` (the HC0 meat, computable
    from compressed patterns); the second needs only, for each combination of the two enrolments'
    patterns, the number of ordered pairs ``n`` and the sums ``Σy_a``, ``Σy_b``, ``Σy_a·y_b``, because
    ``Σ r_a r_b = Σy_a y_b − ŷ_b Σy_a − ŷ_a Σy_b + n ŷ_a ŷ_b`` when the fitted value ``ŷ`` depends on
    the pattern only. ``fitted`` maps design rows to fitted values.
    """
    meat = meat_rows.copy()
    if pairs is not None and len(pairs):
        xa, ok_a = _pair_design(d, pairs, "_a")
        xb, ok_b = _pair_design(d, pairs, "_b")
        ok = ok_a & ok_b
        if ok.any():
            xa, xb = xa[ok], xb[ok]
            ma, mb = fitted(xa), fitted(xb)
            n = pairs["n"].to_numpy(dtype=float)[ok]
            ya, yb = pairs["y_a"].to_numpy(dtype=float)[ok], pairs["y_b"].to_numpy(dtype=float)[ok]
            yab = pairs["y_ab"].to_numpy(dtype=float)[ok]
            cross = yab - mb * ya - ma * yb + n * ma * mb
            meat += xa.T @ (xb * cross[:, None])
    return (meat + meat.T) / 2.0


def _cluster_factor(n_clusters: int, n: float, k: int) -> float:
    """Small-sample factor ``G/(G−1)·(N−1)/(N−K)`` (Stata's and statsmodels' default for clusters)."""
    return n_clusters / (n_clusters - 1.0) * (n - 1.0) / (n - k)


def cluster_pairs(data: pd.DataFrame, cluster: str, columns: Sequence[str], outcome: str) -> pd.DataFrame:
    """Aggregated ordered pairs of distinct rows of one cluster (person), from row-level data.

    Returns, for every combination of the two rows' ``columns`` (suffixed ``_a`` and ``_b``), ``n``
    pairs and the sums ``y_a``, ``y_b``, ``y_ab`` of the outcome: what :func:`adjusted_difference` and
    :func:`adjusted_mean_difference` take as ``cluster_pairs`` (the analysis engine computes the same
    aggregates inside the database, without fetching rows).
    """
    cols = list(dict.fromkeys(columns))
    base = data[[cluster, *cols, outcome]].reset_index(drop=True)
    base = base.assign(_row=np.arange(len(base)))
    joined = base.merge(base, on=cluster, suffixes=("_a", "_b"))
    joined = joined[joined["_row_a"] != joined["_row_b"]]
    joined = joined.assign(y_ab=joined[f"{outcome}_a"] * joined[f"{outcome}_b"])
    keys = [f"{c}_a" for c in cols] + [f"{c}_b" for c in cols]
    grouped = joined.groupby(keys, dropna=False, observed=True)
    out = grouped.agg(n=(f"{outcome}_a", "size"), y_a=(f"{outcome}_a", "sum"), y_b=(f"{outcome}_b", "sum"),
                      y_ab=("y_ab", "sum"))
    return out.reset_index()


def _logit_fit(
    x: np.ndarray, y: np.ndarray, f: np.ndarray, maxiter: int = 100, tol: float = 1e-10, max_eta: float = 25.0
) -> tuple[np.ndarray, np.ndarray, Any, str | None]:
    """Maximum-likelihood logistic regression with frequency weights by Newton-Raphson.

    Returns ``(beta, eta, cho_factor of the information matrix, reason or None)``. Step-halving keeps
    the deviance from increasing; convergence is declared when the largest coefficient change is below
    ``tol·(1 + max|β|)``. A fit that has not converged, whose linear predictor has gone beyond
    ``±max_eta`` (fitted probabilities within about 1e-11 of 0 or 1) while the deviance no longer
    decreases (by less than 1e-6), is taken as (quasi-)complete separation (Albert and Anderson 1984):
    the maximum likelihood estimate does not exist. (A large first Newton step that overshoots is not
    mistaken for separation, because the deviance is still changing.)
    """
    ybar = float(f @ y) / float(f.sum())
    beta = np.zeros(x.shape[1])
    beta[0] = math.log(ybar / (1.0 - ybar))
    eta = x @ beta
    dev = 2.0 * float(f @ (np.logaddexp(0.0, eta) - y * eta))
    for _ in range(maxiter):
        mu = special.expit(eta)
        info = x.T @ (x * (f * mu * (1.0 - mu))[:, None])
        try:
            cf = cho_factor(info)
        except LinAlgError:
            return beta, eta, None, "information matrix is singular (possible perfect separation)"
        step = cho_solve(cf, x.T @ (f * (y - mu)))
        t = 1.0
        while True:
            new_beta = beta + t * step
            new_eta = x @ new_beta
            new_dev = 2.0 * float(f @ (np.logaddexp(0.0, new_eta) - y * new_eta))
            if new_dev <= dev + 1e-12 * abs(dev) or t < 1e-8:
                break
            t *= 0.5
        decrease = dev - new_dev
        beta, eta, dev = new_beta, new_eta, new_dev
        if float(np.max(np.abs(t * step))) < tol * (1.0 + float(np.max(np.abs(beta)))):
            mu = special.expit(eta)
            info = x.T @ (x * (f * mu * (1.0 - mu))[:, None])
            try:
                cf = cho_factor(info)
            except LinAlgError:
                return beta, eta, None, "information matrix is singular"
            return beta, eta, cf, None
        if decrease < 1e-6 and float(np.max(np.abs(eta))) > max_eta:
            return beta, eta, None, "perfect separation: fitted probabilities of 0 or 1"
    return beta, eta, None, f"did not converge in {maxiter} iterations (possible perfect separation)"


def adjusted_difference(
    data: pd.DataFrame,
    outcome: str,
    sex: str,
    covariates: Sequence[str],
    *,
    categorical: Sequence[str] = (),
    weights: str | None = None,
    level: float = 0.95,
    n_clusters: int | None = None,
    cluster_pairs: pd.DataFrame | None = None,
) -> AdjustedDifference:
    """Covariate-adjusted difference in a binary outcome between women and men (women − men).

    Data: one row per person, or one row per covariate pattern with ``weights`` naming a column of
    frequency weights (the number of identical rows, as produced by :func:`compress`). ``data[sex]``
    is ``"women"`` or ``"men"`` (other rows are dropped); ``data[outcome]`` is 0/1; rows with a missing
    outcome or covariate are dropped (counted in ``n_missing``). Covariates listed in ``categorical``
    are dummy-coded against their most frequent level (ties: the first in ``str`` order); the others
    must be numeric and enter linearly (standardised internally, which changes no reported quantity).
    Constant covariates are left out (``dropped_covariates``); design columns that are linear
    combinations of earlier ones are left out (``aliased_terms``).

    Model: logistic regression ``logit P(y = 1) = β0 + β_w·woman + covariates`` fitted by maximum
    likelihood (Newton-Raphson) with frequency weights, so a fit to compressed patterns equals the
    row-level fit exactly (estimates and standard errors; as ``statsmodels`` ``GLM(Binomial,
    freq_weights=...)``).

    Estimand: the average marginal effect (AME) of being a woman rather than a man over the women and
    men analysed, ``AME = Σ_i f_i [Λ(x_i,woman β) − Λ(x_i,man β)] / Σ_i f_i`` (Williams 2012; Greene
    2012 §17.3; ``margins, dydx(woman)`` in Stata for a factor variable; ``get_margeff(at="overall",
    dummy=True)`` in statsmodels). Its standard error is by the delta method, ``SE² = g' V g`` with
    ``g = ∂AME/∂β`` and ``V`` the inverse information matrix; the interval is ``AME ± z·SE`` and the
    p-value is from ``z = AME/SE``. The odds ratio ``exp(β_w)`` has the Wald interval
    ``exp(β_w ± z·SE(β_w))``.

    Perfect prediction: a level of a categorical covariate in which the outcome is constant (e.g. a
    unit where nobody was promoted) makes the maximum likelihood estimate of its coefficient infinite.
    As Stata's ``logit`` does, those people are not used in the fit (repeatedly, until no level is
    constant; listed in ``perfect_prediction_levels``, counted in ``n_perfect_prediction``). They stay
    in the AME's average with a difference of exactly 0 — their fitted probability is 0 (or 1) for both
    sexes, the limit of the fit as their coefficient diverges — so the estimand stays the average over
    all women and men analysed. The odds ratio is unaffected.

    No estimate (``estimate is None`` with ``reason``, never an exception) when: fewer than 2 women or
    2 men; the outcome is constant, or constant among women or among men (separation by sex); sex is
    collinear with the covariates; any other (quasi-)complete separation (a fitted probability within
    about 1e-11 of 0 or 1); the fit does not converge.

    Clustering: with ``n_clusters`` (the number of persons behind the rows), ``V`` is the
    cluster-robust sandwich ``c·I⁻¹ (Σ_g u_g u_g') I⁻¹`` with ``u_g`` the score sum of person ``g``
    and ``c = G/(G−1)·(N−1)/(N−K)`` (Liang and Zeger 1986, Biometrika 73(1), 13-22; Cameron and
    Miller 2015, J Human Resources 50(2), 317-372; statsmodels' ``cov_type="cluster"``). Persons with
    several rows enter through ``cluster_pairs`` (see :func:`cluster_pairs` and :func:`_cluster_meat`);
    without it every row is its own person (robust, not model-based, errors). ``method`` then ends in
    ``-cluster``.
    """
    z = _z(level)
    method = "logit-ame" if n_clusters is None else "logit-ame-cluster"
    d, reason = _prepare(data, outcome, sex, covariates, categorical, weights, binary=True)
    if reason is not None:
        return _empty_result(d, reason, method, level)
    x, y, f, woman = d.x, d.y, d.f, d.woman
    beta, eta, cf, reason = _logit_fit(x, y, f)
    if reason is not None or cf is None:
        return _empty_result(d, reason or "fit failed", method, level)

    b_w = float(beta[1])
    eta1 = eta + b_w * (1.0 - woman)
    eta0 = eta - b_w * woman
    p1 = special.expit(eta1)
    p0 = special.expit(eta0)
    fl1 = f * p1 * (1.0 - p1)
    fl0 = f * p0 * (1.0 - p0)
    ame = float(f @ (p1 - p0)) / d.f_total
    grad = x.T @ (fl1 - fl0)
    grad[1] = float(fl1.sum())
    grad /= d.f_total
    if n_clusters is None:
        var = float(grad @ cho_solve(cf, grad))
        e1 = np.zeros(x.shape[1])
        e1[1] = 1.0
        var_b = float(cho_solve(cf, e1)[1])
    else:
        if n_clusters < 2:
            return _empty_result(d, "fewer than 2 persons", method, level)
        mu = special.expit(eta)
        meat = _cluster_meat(d, x.T @ (x * (f * (y - mu) ** 2)[:, None]), cluster_pairs,
                             lambda rows: special.expit(rows @ beta))
        bread = cho_solve(cf, np.eye(x.shape[1]))
        cov = bread @ meat @ bread * _cluster_factor(n_clusters, float(f.sum()), x.shape[1])
        var = float(grad @ cov @ grad)
        var_b = float(cov[1, 1])
    se = math.sqrt(max(var, 0.0))
    se_b = math.sqrt(max(var_b, 0.0))
    p_value = _p_two_sided_z(ame / se) if se > 0 else None
    return AdjustedDifference(
        ame, se, ame - z * se, ame + z * se, p_value,
        math.exp(b_w), math.exp(b_w - z * se_b), math.exp(b_w + z * se_b),
        d.n, d.n_women, d.n_men, d.n_missing, d.mean_women, d.mean_men, d.adjusted_for, d.dropped,
        d.aliased, d.perfect_levels, d.n_perfect, True, None, method, level,
    )


def adjusted_mean_difference(
    data: pd.DataFrame,
    outcome: str,
    sex: str,
    covariates: Sequence[str],
    *,
    categorical: Sequence[str] = (),
    weights: str | None = None,
    level: float = 0.95,
    n_clusters: int | None = None,
    cluster_pairs: pd.DataFrame | None = None,
) -> AdjustedDifference:
    """Covariate-adjusted difference in a continuous outcome (hours, cost) between women and men.

    Model: ordinary least squares ``y = β0 + β_w·woman + covariates + ε`` (covariates coded as in
    :func:`adjusted_difference`); ``estimate = β_w``, the adjusted mean gap women − men (for a linear
    model this is also the average marginal effect). Standard error: heteroskedasticity-consistent
    HC1 (White 1980; MacKinnon and White 1985), ``(X'X)⁻¹ X'diag(e²)X (X'X)⁻¹ · n/(n − k)``; interval
    and p-value from the t distribution with ``n − k`` degrees of freedom (as Stata's ``regress,
    vce(robust)``).

    ``weights`` are frequency weights: each row stands for that many *identical* rows, outcome
    included (group by the covariates **and** the outcome, e.g. :func:`compress`); then estimate and
    standard error equal the row-level fit. Averaging the outcome within covariate patterns instead
    would lose the within-pattern variance and is not supported.

    No estimate (``reason``) with fewer than 2 women or 2 men, a constant outcome, sex collinear with
    the covariates, or no residual degrees of freedom.

    Clustering: with ``n_clusters`` the covariance is cluster-robust by person as in
    :func:`adjusted_difference` (factor ``G/(G−1)·(N−1)/(N−K)``), and the interval and test use the t
    distribution with ``G − 1`` degrees of freedom (Stata's ``vce(cluster)``; statsmodels'
    ``cov_type="cluster"``); ``method`` is ``"ols-cluster"``.
    """
    _z(level)
    method = "ols-hc1" if n_clusters is None else "ols-cluster"
    d, reason = _prepare(data, outcome, sex, covariates, categorical, weights, binary=False)
    if reason is not None:
        return _empty_result(d, reason, method, level)
    x, y, f = d.x, d.y, d.f
    n = d.f_total
    k = x.shape[1]
    if n - k <= 0:
        return _empty_result(d, "no residual degrees of freedom", method, level)
    sw = np.sqrt(f)
    beta = np.linalg.lstsq(x * sw[:, None], y * sw, rcond=None)[0]
    resid = y - x @ beta
    try:
        cf = cho_factor(x.T @ (x * f[:, None]))
    except LinAlgError:
        return _empty_result(d, "design matrix is singular", method, level)
    meat = x.T @ (x * (f * resid**2)[:, None])
    bread = cho_solve(cf, np.eye(k))
    if n_clusters is None:
        cov = bread @ meat @ bread * (n / (n - k))
        df = n - k
    else:
        if n_clusters < 2:
            return _empty_result(d, "fewer than 2 persons", method, level)
        meat = _cluster_meat(d, meat, cluster_pairs, lambda rows: rows @ beta)
        cov = bread @ meat @ bread * _cluster_factor(n_clusters, n, k)
        df = n_clusters - 1
    est = float(beta[1])
    se = math.sqrt(max(float(cov[1, 1]), 0.0))
    q = float(special.stdtrit(df, 0.5 + level / 2.0))
    p_value = float(2.0 * special.stdtr(df, -abs(est / se))) if se > 0 else None
    return AdjustedDifference(
        est, se, est - q * se, est + q * se, p_value, None, None, None,
        d.n, d.n_women, d.n_men, d.n_missing, d.mean_women, d.mean_men, d.adjusted_for, d.dropped,
        d.aliased, d.perfect_levels, d.n_perfect, True, None, method, level,
    )


def compress(
    data: pd.DataFrame,
    columns: Sequence[str],
    outcome: str,
    *,
    weights: str | None = None,
    weight_name: str = "weight",
) -> pd.DataFrame:
    """Compress rows to one row per distinct combination of ``columns`` and ``outcome``.

    Returns the grouping columns, ``outcome`` and ``weight_name``, the number of rows (or, with
    ``weights``, the sum of that column) in each combination: frequency weights for
    :func:`adjusted_difference` / :func:`adjusted_mean_difference` (``weights=weight_name``), which then
    give exactly the row-level estimates and standard errors. ``columns`` should hold the sex column
    and every covariate. Missing values form their own groups (they are dropped later, as at row
    level), and rows whose ``weights`` is 0 are kept with weight 0.
    """
    if isinstance(columns, str):
        raise TypeError("columns must be a sequence of column names, not a string")
    keys = [*columns, outcome]
    if len(set(keys)) != len(keys):
        raise ValueError("columns must be distinct and must not include the outcome")
    if weight_name in keys:
        raise ValueError(f"weight_name {weight_name!r} clashes with a grouping column")
    grouped = data.groupby(keys, dropna=False, sort=True, observed=True)
    if weights is None:
        counts = grouped.size()
    else:
        counts = grouped[weights].sum()
    return counts.rename(weight_name).reset_index()
