"""Blinder-Oaxaca decomposition of a mean gap between two groups (linear regression models).

Method
------
Let group A and group B have mean outcomes ``Ȳ_A`` and ``Ȳ_B``, mean covariate vectors (with a leading
intercept) ``X̄_A`` and ``X̄_B`` and group-specific OLS coefficients ``β_A`` and ``β_B``.  Because an OLS
fit with an intercept passes through the means, ``Ȳ_G = X̄_G'β_G`` and the gap ``Δ = Ȳ_A − Ȳ_B`` splits
exactly into

* the **threefold** decomposition (Blinder 1973; Oaxaca 1973; Jann 2008)::

      Δ = (X̄_A − X̄_B)'β_B            endowments
        + X̄_B'(β_A − β_B)            coefficients
        + (X̄_A − X̄_B)'(β_A − β_B)    interaction

* the **twofold** decomposition against a reference coefficient vector ``β*`` (Jann 2008)::

      Δ = (X̄_A − X̄_B)'β*                          explained
        + X̄_A'(β_A − β*) + X̄_B'(β* − β_B)          unexplained (= unexplained A + unexplained B)

  with ``β* = w·β_A + (1 − w)·β_B`` for a scalar weight ``w`` on group A's coefficients, or ``β*`` from
  a pooled regression.  Six references are always computed, keyed as follows:

  ``"0"``        ``w = 0``: ``β* = β_B`` (group B's coefficients are the non-discriminatory norm,
                 Oaxaca 1973); explained equals the threefold endowments.
  ``"1"``        ``w = 1``: ``β* = β_A`` (Blinder 1973); unexplained equals the threefold coefficients.
  ``"0.5"``      ``w = 0.5`` (Reimers 1983).
  ``"cotton"``   ``w = n_A / (n_A + n_B)`` (Cotton 1988: each group's coefficients weighted by its share).
  ``"neumark"``  ``β*`` from a pooled regression of both groups without a group indicator (Neumark 1988;
                 weight ``-1`` in Hlavac's R package).
  ``"pooled"``   ``β*`` from a pooled regression that includes an indicator of group B, whose coefficient
                 is left out of ``β*`` (Fortin 2008; Jann 2008; weight ``-2`` in R).

The conventions (which group is A, which way each term is signed, what ``w`` weighs) are those of
Hlavac's R package ``oaxaca`` and of Jann's Stata ``oaxaca``.  One deliberate difference: the R package's
"Cotton" row puts the share of group **B** on group A's coefficients (``proportion.B`` in its source; the
vignette prints 0.5800562 = 413/712, the foreign-born share of all rows including those without a wage),
whereas Cotton (1988), Jann (2008) and the vignette's own equation weigh ``β_A`` by ``n_A/(n_A + n_B)``.
This module follows the published definition; :meth:`OaxacaResult.twofold_at` gives the twofold
decomposition for any other weight (e.g. ``413/712`` to reproduce the R figures).

Every component is also reported per variable (one entry per term of the design, the intercept
included, so that the per-variable figures sum to the overall one).  Per-variable figures for the
dummies of a categorical covariate depend on the choice of its baseline (Oaxaca and Ransom 1999); this
module does not apply the Gardeazabal-Ugidos (2004) normalisation that the R package offers.

Standard errors are non-parametric bootstrap standard errors (Efron 1979), as in the R package: the
analysed rows are resampled with replacement, without stratifying by group, the whole decomposition is
re-estimated on each resample and the standard error is the standard deviation (``ddof=1``) of the
replicates.  A resample is drawn as a vector of multinomial counts over the rows, ``Multinomial(N, p)``,
and the decomposition is re-fitted with those counts as frequency weights; without ``weights`` this is
``N = n`` rows with equal probabilities, i.e. the ordinary bootstrap.  With frequency ``weights`` it is
``N = round(Σw)`` and ``p ∝ w``, which draws from exactly the same distribution as the ordinary bootstrap
of the expanded row-level data **provided each weighted row really stands for w identical rows**.  If the
rows are compressed covariate patterns whose outcome is the pattern mean, the point estimates are still
exact but the bootstrap ignores the spread of the outcome within a pattern and understates the standard
errors (badly so for the coefficients parts).  Replicates in which a regression is not identified (a
dummy absent from a group, say) are skipped; ``bootstrap_used`` says how many replicates were kept.

References
----------
Blinder, A. S. (1973). Wage discrimination: reduced form and structural estimates. Journal of Human
    Resources 8(4), 436-455.
Oaxaca, R. (1973). Male-female wage differentials in urban labor markets. International Economic
    Review 14(3), 693-709.
Reimers, C. W. (1983). Labor market discrimination against Hispanic and black men. Review of Economics
    and Statistics 65(4), 570-579.
Cotton, J. (1988). On the decomposition of wage differentials. Review of Economics and Statistics 70(2),
    236-243.
Neumark, D. (1988). Employers' discriminatory behavior and the estimation of wage discrimination.
    Journal of Human Resources 23(3), 279-295.
Fortin, N. M. (2008). The gender wage gap among young adults in the United States: the importance of
    money versus people. Journal of Human Resources 43(4), 884-918.
Oaxaca, R. L. and Ransom, M. R. (1999). Identification in detailed wage decompositions. Review of
    Economics and Statistics 81(1), 154-157.
Jann, B. (2008). The Blinder-Oaxaca decomposition for linear regression models. The Stata Journal 8(4),
    453-479.
Hlavac, M. (2014/2022). oaxaca: Blinder-Oaxaca Decomposition in R. R package and vignette,
    https://CRAN.R-project.org/package=oaxaca.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

__all__ = [
    "REFERENCES",
    "Component",
    "OaxacaResult",
    "ThreefoldDecomposition",
    "TwofoldDecomposition",
    "oaxaca",
]

#: Keys of :attr:`OaxacaResult.twofold`, in the order of the R package's twofold table.
REFERENCES: tuple[str, ...] = ("0", "1", "0.5", "cotton", "neumark", "pooled")

INTERCEPT = "(Intercept)"

_REFERENCE_LABELS = {
    "0": "w = 0 (beta_B)",
    "1": "w = 1 (beta_A)",
    "0.5": "w = 0.5 (Reimers)",
    "cotton": "Cotton",
    "neumark": "Neumark (pooled)",
    "pooled": "pooled + group",
}


# --------------------------------------------------------------------------------------------------
# Result objects


def _json_float(x: float) -> float | None:
    value = float(x)
    return value if math.isfinite(value) else None


def _json_value(x: object) -> Any:
    if isinstance(x, np.generic):
        x = x.item()
    if x is None or isinstance(x, bool | int | str):
        return x
    if isinstance(x, float):
        return _json_float(x)
    return str(x)


@dataclass(frozen=True)
class Component:
    """One part of a decomposition: the overall estimate, its bootstrap standard error and the same per
    term of the design (``"(Intercept)"`` included; the per-term estimates sum to ``estimate``)."""

    name: str
    estimate: float
    se: float
    by_variable: dict[str, float]
    se_by_variable: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "estimate": _json_float(self.estimate),
            "se": _json_float(self.se),
            "by_variable": {k: _json_float(v) for k, v in self.by_variable.items()},
            "se_by_variable": {k: _json_float(v) for k, v in self.se_by_variable.items()},
        }


@dataclass(frozen=True)
class ThreefoldDecomposition:
    """Gap = endowments + coefficients + interaction (see the module docstring for the formulas)."""

    endowments: Component
    coefficients: Component
    interaction: Component

    @property
    def components(self) -> tuple[Component, Component, Component]:
        return (self.endowments, self.coefficients, self.interaction)

    @property
    def total(self) -> float:
        return sum(c.estimate for c in self.components)

    def to_dict(self) -> dict[str, Any]:
        return {c.name: c.to_dict() for c in self.components}


@dataclass(frozen=True)
class TwofoldDecomposition:
    """Gap = explained + unexplained, against the reference coefficients ``beta_reference``.

    ``weight`` is the weight of group A's coefficients in ``β* = w·β_A + (1 − w)·β_B``; it is ``None``
    for the pooled references (``"neumark"``, ``"pooled"``).  ``unexplained`` = ``unexplained_a`` (the
    part X̄_A'(β_A − β*)) + ``unexplained_b`` (the part X̄_B'(β* − β_B)).
    """

    reference: str
    weight: float | None
    explained: Component
    unexplained: Component
    unexplained_a: Component
    unexplained_b: Component
    beta_reference: dict[str, float]

    @property
    def components(self) -> tuple[Component, Component, Component, Component]:
        return (self.explained, self.unexplained, self.unexplained_a, self.unexplained_b)

    @property
    def total(self) -> float:
        return self.explained.estimate + self.unexplained.estimate

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reference": self.reference,
            "weight": None if self.weight is None else _json_float(self.weight),
        }
        out.update({c.name: c.to_dict() for c in self.components})
        out["beta_reference"] = {k: _json_float(v) for k, v in self.beta_reference.items()}
        return out


@dataclass(frozen=True)
class OaxacaResult:
    """Result of :func:`oaxaca`.

    Group sizes ``n_a``/``n_b`` are sums of the frequency weights (the row counts when unweighted);
    ``n_dropped`` counts the rows left out for a missing outcome, covariate, group or weight.
    ``covariates`` are the design's columns after dummy expansion (without the intercept); the
    coefficient and mean dictionaries are keyed by ``terms`` (``"(Intercept)"`` first).
    ``beta_neumark`` is the pooled fit without, ``beta_pooled`` the pooled fit with the group indicator
    (whose coefficient is ``group_coefficient``: the conditional B − A difference).
    """

    outcome: str
    group: str
    group_a: object
    group_b: object
    n_a: float
    n_b: float
    n_dropped: int
    weighted: bool
    mean_a: float
    mean_b: float
    gap: float
    se_gap: float
    covariates: tuple[str, ...]
    baselines: dict[str, str]
    x_mean_a: dict[str, float]
    x_mean_b: dict[str, float]
    beta_a: dict[str, float]
    beta_b: dict[str, float]
    beta_neumark: dict[str, float]
    beta_pooled: dict[str, float]
    group_coefficient: float
    cotton_weight: float
    threefold: ThreefoldDecomposition
    twofold: dict[str, TwofoldDecomposition]
    bootstrap: int
    bootstrap_used: int
    seed: int

    @property
    def terms(self) -> tuple[str, ...]:
        return (INTERCEPT, *self.covariates)

    def twofold_at(self, weight: float) -> TwofoldDecomposition:
        """Twofold decomposition with ``β* = weight·β_A + (1 − weight)·β_B`` for any weight (point
        estimates only: the standard errors are NaN).  ``twofold_at(413 / 712)`` on the Chicago example
        reproduces the R package's "Cotton" row (see the module docstring)."""
        terms = self.terms
        x_a = np.array([self.x_mean_a[t] for t in terms])
        x_b = np.array([self.x_mean_b[t] for t in terms])
        b_a = np.array([self.beta_a[t] for t in terms])
        b_b = np.array([self.beta_b[t] for t in terms])
        w = float(weight)
        b_star = w * b_a + (1.0 - w) * b_b
        parts = _twofold_parts(x_a, x_b, b_a, b_b, b_star)
        return _make_twofold(
            f"{w:g}", w, parts, np.full(4, np.nan), np.full(parts.shape, np.nan), terms, b_star
        )

    # -- presentation ----------------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per (decomposition, reference, component, variable); the overall figure
        has ``variable == "(overall)"``.  Columns: decomposition, reference, weight, component, variable,
        estimate, se."""
        rows: list[dict[str, Any]] = []

        def add(decomposition: str, reference: str | None, weight: float | None, comp: Component) -> None:
            rows.append(
                {
                    "decomposition": decomposition,
                    "reference": reference,
                    "weight": weight,
                    "component": comp.name,
                    "variable": "(overall)",
                    "estimate": comp.estimate,
                    "se": comp.se,
                }
            )
            for var, est in comp.by_variable.items():
                rows.append(
                    {
                        "decomposition": decomposition,
                        "reference": reference,
                        "weight": weight,
                        "component": comp.name,
                        "variable": var,
                        "estimate": est,
                        "se": comp.se_by_variable[var],
                    }
                )

        for comp in self.threefold.components:
            add("threefold", None, None, comp)
        for key, two in self.twofold.items():
            for comp in two.components:
                add("twofold", key, two.weight, comp)
        return pd.DataFrame(
            rows, columns=["decomposition", "reference", "weight", "component", "variable", "estimate", "se"]
        )

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON types (NaN, e.g. a standard error without bootstrap, becomes None)."""

        def fdict(d: Mapping[str, float]) -> dict[str, float | None]:
            return {k: _json_float(v) for k, v in d.items()}

        return {
            "outcome": self.outcome,
            "group": self.group,
            "group_a": _json_value(self.group_a),
            "group_b": _json_value(self.group_b),
            "n_a": _json_float(self.n_a),
            "n_b": _json_float(self.n_b),
            "n_dropped": int(self.n_dropped),
            "weighted": bool(self.weighted),
            "mean_a": _json_float(self.mean_a),
            "mean_b": _json_float(self.mean_b),
            "gap": _json_float(self.gap),
            "se_gap": _json_float(self.se_gap),
            "covariates": list(self.covariates),
            "baselines": dict(self.baselines),
            "x_mean_a": fdict(self.x_mean_a),
            "x_mean_b": fdict(self.x_mean_b),
            "beta_a": fdict(self.beta_a),
            "beta_b": fdict(self.beta_b),
            "beta_neumark": fdict(self.beta_neumark),
            "beta_pooled": fdict(self.beta_pooled),
            "group_coefficient": _json_float(self.group_coefficient),
            "cotton_weight": _json_float(self.cotton_weight),
            "threefold": self.threefold.to_dict(),
            "twofold": {k: v.to_dict() for k, v in self.twofold.items()},
            "bootstrap": int(self.bootstrap),
            "bootstrap_used": int(self.bootstrap_used),
            "seed": int(self.seed),
        }

    def summary(self) -> str:
        """A readable text report: groups, means, the overall threefold and twofold tables and the
        per-variable threefold decomposition."""

        def num(x: float) -> str:
            return f"{round(x, 4) + 0.0:12.4f}" if math.isfinite(x) else f"{'-':>12}"

        def n_str(x: float) -> str:
            return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"

        lines = [
            f"Blinder-Oaxaca decomposition of {self.outcome} by {self.group}",
            f"Group A: {self.group} = {self.group_a} (n = {n_str(self.n_a)}); "
            f"group B: {self.group} = {self.group_b} (n = {n_str(self.n_b)})"
            + (" [frequency weights]" if self.weighted else ""),
            f"Rows dropped for missing values: {self.n_dropped}",
            f"Mean A {self.mean_a:.4f}   mean B {self.mean_b:.4f}   gap (A - B) {self.gap:.4f}"
            + (f" (se {self.se_gap:.4f})" if math.isfinite(self.se_gap) else ""),
            (
                f"Bootstrap standard errors: {self.bootstrap_used} of {self.bootstrap} replicates, "
                f"seed {self.seed}"
                if self.bootstrap > 0
                else "No bootstrap (standard errors not computed)"
            ),
            "",
            "Threefold decomposition",
            f"{'':<20}{'estimate':>12}{'std.err':>12}",
        ]
        for comp in self.threefold.components:
            lines.append(f"{comp.name:<20}{num(comp.estimate)}{num(comp.se)}")
        lines += [
            "",
            "Twofold decomposition (weight w: beta* = w beta_A + (1 - w) beta_B)",
            f"{'reference':<20}{'weight':>8}{'explained':>12}{'std.err':>12}{'unexplained':>12}{'std.err':>12}"
            f"{'unexpl. A':>12}{'unexpl. B':>12}",
        ]
        for key, two in self.twofold.items():
            weight = f"{two.weight:8.4f}" if two.weight is not None else f"{'':>8}"
            lines.append(
                f"{_REFERENCE_LABELS.get(key, key):<20}{weight}{num(two.explained.estimate)}"
                f"{num(two.explained.se)}{num(two.unexplained.estimate)}{num(two.unexplained.se)}"
                f"{num(two.unexplained_a.estimate)}{num(two.unexplained_b.estimate)}"
            )
        width = max([20, *(len(t) + 2 for t in self.terms)])
        lines += [
            "",
            "Threefold decomposition by variable (estimate / std.err)",
            f"{'variable':<{width}}{'endowments':>12}{'':>12}{'coefficients':>12}{'':>12}"
            f"{'interaction':>12}{'':>12}",
        ]
        for term in self.terms:
            cells = "".join(
                num(c.by_variable[term]) + num(c.se_by_variable[term]) for c in self.threefold.components
            )
            lines.append(f"{term:<{width}}{cells}")
        if self.baselines:
            lines += [
                "",
                "Baselines of categorical covariates: "
                + ", ".join(f"{k} = {v}" for k, v in self.baselines.items()),
            ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


# --------------------------------------------------------------------------------------------------
# Computation


class _NotIdentified(Exception):
    """A regression's design matrix is rank deficient."""


class _Core(NamedTuple):
    n_a: float
    n_b: float
    mean_a: float
    mean_b: float
    x_a: np.ndarray
    x_b: np.ndarray
    beta_a: np.ndarray
    beta_b: np.ndarray
    beta_neumark: np.ndarray
    beta_pooled: np.ndarray
    group_coefficient: float
    cotton_weight: float
    threefold: np.ndarray  # (3, k): endowments, coefficients, interaction by term
    twofold: np.ndarray  # (len(REFERENCES), 4, k): explained, unexplained, unexplained A, B by term
    beta_star: np.ndarray  # (len(REFERENCES), k)


def _wls(x: np.ndarray, y: np.ndarray, w: np.ndarray, what: str) -> np.ndarray:
    # The normal equations are an order of magnitude faster than an SVD on the bootstrap's many
    # small fits; a badly conditioned design falls back to the SVD, which also detects rank loss.
    xtw = x.T * w
    xtx = xtw @ x
    if np.linalg.cond(xtx) < 1e10:
        return np.asarray(np.linalg.solve(xtx, xtw @ y), dtype=float)
    keep = w > 0
    sw = np.sqrt(w[keep])
    beta, _, rank, _ = np.linalg.lstsq(x[keep] * sw[:, None], y[keep] * sw, rcond=None)
    if rank < x.shape[1]:
        raise _NotIdentified(what)
    return np.asarray(beta, dtype=float)


def _twofold_parts(
    x_a: np.ndarray, x_b: np.ndarray, b_a: np.ndarray, b_b: np.ndarray, b_star: np.ndarray
) -> np.ndarray:
    explained = (x_a - x_b) * b_star
    unexplained_a = x_a * (b_a - b_star)
    unexplained_b = x_b * (b_star - b_b)
    return np.stack([explained, unexplained_a + unexplained_b, unexplained_a, unexplained_b])


def _core(x: np.ndarray, y: np.ndarray, is_b: np.ndarray, w: np.ndarray) -> _Core:
    w_a = np.where(is_b, 0.0, w)
    w_b = np.where(is_b, w, 0.0)
    n_a, n_b = float(w_a.sum()), float(w_b.sum())
    if n_a <= 0 or n_b <= 0:
        raise _NotIdentified("group A" if n_a <= 0 else "group B")
    beta_a = _wls(x, y, w_a, "group A")
    beta_b = _wls(x, y, w_b, "group B")
    beta_neumark = _wls(x, y, w, "the pooled sample")
    beta_with_group = _wls(np.column_stack([x, is_b.astype(float)]), y, w, "the pooled sample with group")
    beta_pooled, group_coefficient = beta_with_group[:-1], float(beta_with_group[-1])
    x_a = w_a @ x / n_a
    x_b = w_b @ x / n_b
    mean_a = float(w_a @ y / n_a)
    mean_b = float(w_b @ y / n_b)
    cotton = n_a / (n_a + n_b)

    dx = x_a - x_b
    dbeta = beta_a - beta_b
    threefold = np.stack([dx * beta_b, x_b * dbeta, dx * dbeta])

    stars = []
    for key in REFERENCES:
        if key == "neumark":
            stars.append(beta_neumark)
        elif key == "pooled":
            stars.append(beta_pooled)
        else:
            weight = cotton if key == "cotton" else float(key)
            stars.append(weight * beta_a + (1.0 - weight) * beta_b)
    beta_star = np.stack(stars)
    twofold = np.stack([_twofold_parts(x_a, x_b, beta_a, beta_b, s) for s in stars])
    return _Core(
        n_a,
        n_b,
        mean_a,
        mean_b,
        x_a,
        x_b,
        beta_a,
        beta_b,
        beta_neumark,
        beta_pooled,
        group_coefficient,
        cotton,
        threefold,
        twofold,
        beta_star,
    )


def _component(
    name: str, by_term: np.ndarray, se_overall: float, se_by_term: np.ndarray, terms: Sequence[str]
) -> Component:
    return Component(
        name=name,
        estimate=float(by_term.sum()),
        se=float(se_overall),
        by_variable={t: float(v) for t, v in zip(terms, by_term, strict=True)},
        se_by_variable={t: float(v) for t, v in zip(terms, se_by_term, strict=True)},
    )


def _make_twofold(
    key: str,
    weight: float | None,
    parts: np.ndarray,
    se_overall: np.ndarray,
    se_parts: np.ndarray,
    terms: Sequence[str],
    beta_star: np.ndarray,
) -> TwofoldDecomposition:
    """``parts`` and ``se_parts`` are (4, k) arrays, ``se_overall`` a (4,) array, in the order explained,
    unexplained, unexplained A, unexplained B."""
    names = ("explained", "unexplained", "unexplained_a", "unexplained_b")
    comps = [_component(names[i], parts[i], float(se_overall[i]), se_parts[i], terms) for i in range(4)]
    return TwofoldDecomposition(
        reference=key,
        weight=weight,
        explained=comps[0],
        unexplained=comps[1],
        unexplained_a=comps[2],
        unexplained_b=comps[3],
        beta_reference={t: float(v) for t, v in zip(terms, beta_star, strict=True)},
    )


def _sorted_levels(values: Sequence[object]) -> list[object]:
    try:
        return sorted(values)  # type: ignore[type-var]
    except TypeError:
        return sorted(values, key=str)


def _as_list(names: Sequence[str] | str, what: str) -> list[str]:
    out = [names] if isinstance(names, str) else list(names)
    for n in out:
        if not isinstance(n, str):
            raise TypeError(f"{what} must be column names (strings), got {n!r}")
    return out


def oaxaca(
    data: pd.DataFrame,
    outcome: str,
    group: str,
    covariates: Sequence[str],
    *,
    categorical: Sequence[str] = (),
    group_a: object | None = None,
    weights: str | None = None,
    bootstrap: int = 100,
    seed: int = 0,
) -> OaxacaResult:
    """Blinder-Oaxaca decomposition of ``mean(outcome | A) − mean(outcome | B)`` (threefold and twofold).

    Parameters
    ----------
    data:
        One row per observation (or per covariate pattern, with ``weights``).
    outcome:
        Numeric outcome column (e.g. a wage).
    group:
        Column with exactly two distinct non-missing values.  Group A is ``group_a`` when given, else the
        value that sorts first (for 0/1 coding: A = 0, B = 1, as in the R package).
    covariates:
        Regressors; an intercept is always added.  Numeric or boolean columns are used as they are;
        columns also named in ``categorical`` are expanded to dummies.
    categorical:
        Columns expanded to one dummy per level except the first (sorted) level, the baseline; dummies
        are named ``"column[T.level]"``.  Columns listed here but not in ``covariates`` are appended.
    weights:
        Optional frequency-weight column: a row with weight ``w`` counts as ``w`` identical rows, so the
        coefficients, means, group sizes and the whole decomposition equal those of the expanded data.
        Fitting on compressed covariate patterns (outcome = pattern mean, weight = pattern count) gives
        the row-level OLS coefficients and decomposition exactly, but see the module docstring for the
        bootstrap standard errors in that case.
    bootstrap:
        Number of bootstrap replicates for the standard errors (0: none, the SEs are NaN).
    seed:
        Seed of the bootstrap's random generator (``numpy.random.default_rng``).

    Rows with a missing outcome, covariate, group or weight are dropped (``n_dropped``).  The model,
    sign conventions and the six twofold references are described in the module docstring (Blinder 1973;
    Oaxaca 1973; Reimers 1983; Cotton 1988; Neumark 1988; Jann 2008; Hlavac's R package ``oaxaca``).

    Raises
    ------
    ValueError
        If a column is missing, the group column does not have exactly two values, ``group_a`` is not
        one of them, a covariate is not numeric, weights are negative, or a regression is not identified
        (e.g. a covariate constant within a group, or collinear covariates).
    """
    covariate_list = _as_list(covariates, "covariates")
    categorical_list = _as_list(categorical, "categorical")
    if bootstrap < 0:
        raise ValueError(f"bootstrap must be >= 0, got {bootstrap}")
    columns = covariate_list + [c for c in categorical_list if c not in covariate_list]
    if len(set(columns)) != len(columns):
        raise ValueError(f"covariates are listed more than once: {columns}")
    needed = [outcome, group, *columns] + ([weights] if weights is not None else [])
    missing = [c for c in dict.fromkeys(needed) if c not in data.columns]
    if missing:
        raise ValueError(f"columns not found in the data: {missing}")
    if group in columns or outcome in columns or outcome == group:
        raise ValueError("the outcome, the group column and the covariates must be different columns")
    if weights is not None and weights in (outcome, group, *columns):
        raise ValueError("the weights column must not be the outcome, the group or a covariate")

    # -- groups ----------------------------------------------------------------------------------
    levels = _sorted_levels(list(pd.unique(data[group].dropna())))
    if len(levels) != 2:
        shown = ", ".join(repr(v) for v in levels[:10]) + (", ..." if len(levels) > 10 else "")
        raise ValueError(
            f"group column {group!r} must have exactly two distinct non-missing values, "
            f"found {len(levels)}: [{shown}]"
        )
    if group_a is None:
        level_a, level_b = levels
    else:
        matches = [v for v in levels if v == group_a]
        if not matches:
            raise ValueError(f"group_a={group_a!r} is not a value of {group!r}; values are {levels}")
        level_a = matches[0]
        level_b = levels[1] if level_a is levels[0] else levels[0]

    # -- rows ------------------------------------------------------------------------------------
    frame = data[list(dict.fromkeys(needed))]
    complete = frame.notna().all(axis=1)
    n_dropped = int((~complete).sum())
    frame = frame.loc[complete]

    def numeric(col: str) -> np.ndarray:
        series = frame[col]
        if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
            values = series.to_numpy(dtype=float)
        else:
            raise ValueError(
                f"column {col!r} is not numeric (dtype {series.dtype}); list it in `categorical` "
                "to expand it to dummies"
            )
        if not np.isfinite(values).all():
            raise ValueError(f"column {col!r} contains infinite values")
        return values

    y = numeric(outcome)
    if weights is not None:
        w = numeric(weights)
        if (w < 0).any():
            raise ValueError(f"weights column {weights!r} has negative values")
    else:
        w = np.ones(len(frame))
    is_b = (frame[group] == level_b).to_numpy(dtype=bool)

    blocks: list[np.ndarray] = [np.ones((len(frame), 1))]
    names: list[str] = []
    baselines: dict[str, str] = {}
    categorical_set = set(categorical_list)
    for col in columns:
        if col in categorical_set:
            cat_levels = _sorted_levels(list(pd.unique(frame[col])))
            if cat_levels:
                baselines[col] = str(cat_levels[0])
            values = frame[col].to_numpy()
            for level in cat_levels[1:]:
                blocks.append((values == level).astype(float)[:, None])
                names.append(f"{col}[T.{level}]")
        else:
            blocks.append(numeric(col)[:, None])
            names.append(col)
    x = np.hstack(blocks)
    terms = (INTERCEPT, *names)

    try:
        core = _core(x, y, is_b, w)
    except _NotIdentified as exc:
        raise ValueError(
            f"the regression for {exc.args[0]} is not identified: no rows, or the covariates are collinear "
            "or constant within the group (for example a category absent from one group)"
        ) from None

    # -- bootstrap -------------------------------------------------------------------------------
    n_refs = len(REFERENCES)
    k = len(terms)
    se_gap = math.nan
    se_three_overall = np.full(3, np.nan)
    se_three_terms = np.full((3, k), np.nan)
    se_two_overall = np.full((n_refs, 4), np.nan)
    se_two_terms = np.full((n_refs, 4, k), np.nan)
    used = 0
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        total = float(w.sum())
        draws = max(1, int(round(total)))
        p = w / total
        gaps: list[float] = []
        threes: list[np.ndarray] = []
        twos: list[np.ndarray] = []
        for _ in range(bootstrap):
            counts = rng.multinomial(draws, p).astype(float)
            try:
                rep = _core(x, y, is_b, counts)
            except _NotIdentified:
                continue
            gaps.append(rep.mean_a - rep.mean_b)
            threes.append(rep.threefold)
            twos.append(rep.twofold)
        used = len(gaps)
        if used >= 2:
            three_arr = np.stack(threes)
            two_arr = np.stack(twos)
            se_gap = float(np.std(gaps, ddof=1))
            se_three_overall = three_arr.sum(axis=-1).std(axis=0, ddof=1)
            se_three_terms = three_arr.std(axis=0, ddof=1)
            se_two_overall = two_arr.sum(axis=-1).std(axis=0, ddof=1)
            se_two_terms = two_arr.std(axis=0, ddof=1)

    # -- assemble --------------------------------------------------------------------------------
    threefold = ThreefoldDecomposition(
        *(
            _component(name, core.threefold[i], se_three_overall[i], se_three_terms[i], terms)
            for i, name in enumerate(("endowments", "coefficients", "interaction"))
        )
    )
    twofold: dict[str, TwofoldDecomposition] = {}
    for j, key in enumerate(REFERENCES):
        weight: float | None
        if key in ("neumark", "pooled"):
            weight = None
        elif key == "cotton":
            weight = core.cotton_weight
        else:
            weight = float(key)
        twofold[key] = _make_twofold(
            key, weight, core.twofold[j], se_two_overall[j], se_two_terms[j], terms, core.beta_star[j]
        )

    def by_term(values: np.ndarray) -> dict[str, float]:
        return {t: float(v) for t, v in zip(terms, values, strict=True)}

    return OaxacaResult(
        outcome=outcome,
        group=group,
        group_a=level_a,
        group_b=level_b,
        n_a=core.n_a,
        n_b=core.n_b,
        n_dropped=n_dropped,
        weighted=weights is not None,
        mean_a=core.mean_a,
        mean_b=core.mean_b,
        gap=core.mean_a - core.mean_b,
        se_gap=se_gap,
        covariates=tuple(names),
        baselines=baselines,
        x_mean_a=by_term(core.x_a),
        x_mean_b=by_term(core.x_b),
        beta_a=by_term(core.beta_a),
        beta_b=by_term(core.beta_b),
        beta_neumark=by_term(core.beta_neumark),
        beta_pooled=by_term(core.beta_pooled),
        group_coefficient=core.group_coefficient,
        cotton_weight=core.cotton_weight,
        threefold=threefold,
        twofold=twofold,
        bootstrap=int(bootstrap),
        bootstrap_used=used,
        seed=int(seed),
    )
