"""``analyze``: every comparison of women and men in one run, with honest statistics.

For each scope (all interventions together, then each intervention) the engine
compares women and men in

* **participation**: the share of women among participants against the target
  group's share (exact binomial test, Clopper-Pearson interval);
* **components** offered and **outcomes** reached: raw risk difference (Fisher's
  exact test for small counts, otherwise chi-square) and the covariate-adjusted
  difference (average marginal effect from a logistic regression on the
  legitimate covariates, fitted on compressed covariate patterns);
* **resources** (staff hours, direct cost, days in the intervention): raw mean
  gap and the adjusted gap (least squares on the legitimate covariates with
  heteroskedasticity-robust errors, equal to the unexplained part of the pooled
  Blinder-Oaxaca decomposition), with full decompositions for the report.

Raw and adjusted p-values are each controlled over the whole run with the
Benjamini-Hochberg procedure. A comparison is a *possible unjustified
difference* when the adjusted difference has q < 0.05 and is at least the
configured minimum; *explained* when the raw difference is significant but the
adjusted one is not. Every table leaving the engine goes through disclosure
control (:mod:`jamkoll.analysis.disclosure`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import ibis
import numpy as np
import pandas as pd

from jamkoll.analysis import data as d
from jamkoll.analysis.disclosure import DisclosurePolicy, protect_counts, protect_records
from jamkoll.analysis.oaxaca import oaxaca
from jamkoll.analysis.publication import (
    SEX_GROUPS,
    FindingCells,
    Gate,
    publish_decomposition,
    publish_finding,
    sex_group,
    zero_consistent,
)
from jamkoll.analysis.results import Analysis, Dimension, Effect, Finding, ResultTable, Status
from jamkoll.analysis.stats import (
    AdjustedDifference,
    adjusted_difference,
    adjusted_mean_difference,
    benjamini_hochberg,
    compare_proportions,
    representation,
)

# Legitimate needs: what may explain a difference in service between women and men.
# Legitimate needs in order of priority: a small group is adjusted for as many as its data can carry.
DEFAULT_COVARIATES = (
    "income_support_at_start", "months_band", "age_band", "education", "referred_by", "intervention", "year",
)
# Events (or observations, for least squares) per estimated parameter that a model needs
# (Peduzzi et al. 1996, J Clin Epidemiol 49:1373; Vittinghoff & McCulloch 2007, Am J Epidemiol 165:710).
PER_PARAMETER = 10
COVARIATE_LABELS_SV = {
    "age_band": "åldersgrupp", "education": "utbildningsnivå", "income_support_at_start": "försörjning vid start",
    "months_band": "tid i försörjning före start", "referred_by": "remitterande part", "intervention": "insats",
    "year": "år", "employed_at_start": "sysselsättning vid start", "born_abroad": "utrikes född",
    "disability": "funktionsnedsättning",
}
RESOURCE_LABELS = {
    "hours": ("timmar", "staff hours", "hours"), "cost_sek": ("kostnad", "direct cost", "sek"),
    "duration_days": ("tid i insatsen", "time in the intervention", "days"),
}
# How "more of" a resource reads in Swedish: "mer personaltid", "högre kostnad", "längre tid i insatsen".
RESOURCE_MORE_SV = {"hours": "mer personaltid", "cost_sek": "högre kostnad", "duration_days": "längre tid i insatsen"}
OUTCOME_LABELS_SV = {"fortsatt_rehabilitering": "fortsatt rehabilitering", "arbetssökande": "arbetssökande"}
INTERSECTIONAL = ("age_band", "education", "income_support_at_start", "born_abroad", "disability")
# Published sex groups (see jamkoll.analysis.publication): other and unknown sex are published together.
SEX_COLUMNS = {"women": "Kvinnor", "men": "Män", "other_unknown": "Annat/okänt kön"}


@dataclass(frozen=True)
class AnalysisConfig:
    """What to analyse and how. Every result states the covariates it was adjusted for.

    ``year``: analyse enrolments that started this year (None: all years).
    ``interventions``: restrict to these interventions (a steering group's report).
    ``legitimate_covariates``: the needs that may justify a difference (configuration, not code).
    ``min_difference_pp``: smallest adjusted difference in percentage points worth flagging.
    ``min_relative_resource_gap``: same for resources, relative to men's mean.
    ``min_per_sex``: fewer women or men than this in a scope: the comparison is not made.
    """

    year: int | None = None
    interventions: tuple[str, ...] | None = None
    legitimate_covariates: tuple[str, ...] = DEFAULT_COVARIATES
    min_difference_pp: float = 5.0
    min_relative_resource_gap: float = 0.10
    q_level: float = 0.05
    threshold: int = 5
    disclosure_method: Literal["suppress", "cell_key"] = "cell_key"
    min_per_sex: int = 10
    bootstrap: int = 100
    seed: int = 0
    per_intervention: bool = True
    # The installation key (record keys of the cell key method): never serialised or shown.
    secret: bytes | None = field(default=None, repr=False, compare=False)

    def policy(self) -> DisclosurePolicy:
        return DisclosurePolicy(threshold=self.threshold, method=self.disclosure_method, secret=self.secret)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("secret", None)
        data["interventions"] = list(self.interventions) if self.interventions else None
        data["legitimate_covariates"] = list(self.legitimate_covariates)
        return data


@dataclass
class _Comparison:
    """A finding before multiple-testing control."""

    dimension: Dimension
    intervention: str | None
    category: str
    n_women: int
    n_men: int
    n_other: int
    women_value: float | None
    men_value: float | None
    reference_value: float | None
    raw: Effect
    adjusted: Effect | None
    risk_ratio: Effect | None
    adjusted_for: tuple[str, ...]
    relative_adjusted: float | None = None  # resources: adjusted gap / men's mean
    notes: list[str] = field(default_factory=list)


def analyze(store: Any, config: AnalysisConfig | None = None) -> Analysis:
    """Analyse the data in ``store`` (a :class:`jamkoll.ingest.Store` or an Ibis connection)."""
    config = config or AnalysisConfig()
    if config.secret is None and hasattr(store, "disclosure_secret"):
        config = replace(config, secret=store.disclosure_secret())
    if config.disclosure_method == "cell_key" and not config.secret:
        raise ValueError("the cell key method needs the installation key: AnalysisConfig(secret=...)")
    con = store.ibis() if hasattr(store, "ibis") else store
    interventions = con.table("interventions").execute()
    if config.interventions:
        interventions = interventions[interventions["intervention_id"].isin(config.interventions)]
    names = dict(zip(interventions["intervention_id"], interventions["name"], strict=True))
    components = d.component_names(con)
    frame = d.enrolment_frame(con, year=config.year, interventions=config.interventions)
    frame = d.materialize(con, d.with_components(con, frame, components), "jamkoll_analysis_frame")
    scopes: list[str | None] = [None]
    if config.per_intervention:
        scopes += sorted(interventions["intervention_id"])
    comparisons: list[_Comparison] = []
    skipped: list[dict[str, Any]] = []
    comparisons += _participation(con, frame, interventions, config, scopes, skipped)
    covariates = [c for c in config.legitimate_covariates if not (c == "year" and config.year is not None)]
    known_outcome = frame.exited & frame.outcome.notnull() & (frame.outcome != "okänd")
    exited = frame.filter(known_outcome)
    outcomes = sorted(o for o in exited.select("outcome").distinct().execute()["outcome"] if o)
    cube = d.pattern_cube(
        frame, covariates, {c: frame[f"c_{i}"] for i, c in enumerate(components)}, known_outcome, outcomes,
        {r: (known_outcome if r == "duration_days" else ibis.literal(True)) for r in d.RESOURCES},
    )
    keys = list(dict.fromkeys([*covariates, "sex", "intervention"]))
    for component in components:
        patterns = cube[keys].assign(trials=cube["n"], successes=cube[f"ind:{component}"])
        comparisons += _binary("component", component, patterns, covariates, config, scopes, skipped)
    for outcome in outcomes:
        patterns = cube[keys].assign(trials=cube["n_exited"], successes=cube[f"out:{outcome}"])
        comparisons += _binary("outcome", outcome, patterns[patterns["trials"] > 0], covariates, config, scopes,
                               skipped)
    resource_patterns: dict[str, pd.DataFrame] = {}
    for resource in d.RESOURCES:
        patterns = cube[keys].assign(n=cube[f"{resource}:n"], total=cube[f"{resource}:sum"],
                                     total_sq=cube[f"{resource}:sumsq"])
        patterns = patterns[patterns["n"] > 0]
        resource_patterns[resource] = patterns
        comparisons += _resource(resource, patterns, covariates, config, scopes, skipped)
    sizes = _published_sizes(con, frame, known_outcome, interventions, config, components, outcomes)
    findings = _classify(comparisons, config, names, sizes)
    tables = _tables(con, frame, exited, interventions, components, config)
    decompositions = {key: publish_decomposition(result, sizes.get(("resource", result["intervention"],
                                                                    result["resource"])))
                      for key, result in _decompositions(resource_patterns, findings, covariates, config).items()}
    organisations = sorted({str(o) for o in interventions["organization"].dropna()})
    meta = {
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "organisation": ", ".join(organisations) or None,
        "interventions": names,
        "components": components,
        "outcomes": outcomes,
        "not_compared": skipped,
        "n_comparisons": len(findings),
        "adjusted_for_sv": [COVARIATE_LABELS_SV.get(c, c) for c in covariates],
        "years": available_years(con),
    }
    return Analysis(config=config.to_dict(), findings=findings, tables=tables,
                    decompositions=decompositions, meta=meta)


def available_years(con: Any) -> list[int]:
    """The calendar years in which enrolments started."""
    e = con.table("enrolments")
    years = e.select(year=e.start_date.year()).distinct().execute()["year"]
    return sorted(int(y) for y in years if pd.notna(y))


# --------------------------------------------------------------------------------------- participation


def _participation(con: Any, frame: Any, interventions: pd.DataFrame, config: AnalysisConfig,
                   scopes: Sequence[str | None], skipped: list[dict[str, Any]]) -> list[_Comparison]:
    people = d.distinct_participants_by(frame, ["intervention", "sex", "year"])
    counts = con.table("counts").execute()
    if config.year is not None:
        counts = counts[counts["year"] == config.year]
    counts = counts.rename(columns={"intervention_id": "intervention", "participants": "n"})
    people = pd.concat([people, counts[["intervention", "sex", "year", "n"]]], ignore_index=True)
    if config.interventions:
        people = people[people["intervention"].isin(config.interventions)]
    reference = con.table("reference_population").execute()
    target = dict(zip(interventions["intervention_id"], interventions["target_group"], strict=True))
    out: list[_Comparison] = []
    expected_women = 0.0
    pooled = {"women": 0, "men": 0, "other": 0}
    for scope in sorted(people["intervention"].unique()):
        rows = people[people["intervention"] == scope]
        by_sex = rows.groupby("sex")["n"].sum()
        women, men = int(by_sex.get("women", 0)), int(by_sex.get("men", 0))
        other = int(by_sex.get("other", 0) + by_sex.get("unknown", 0))
        group = target.get(scope)
        years = sorted(rows["year"].unique())
        ref = reference[(reference["group"] == group) & reference["year"].isin(years)]
        if not len(ref) or not (ref["women"].sum() + ref["men"].sum()):
            skipped.append({"dimension": "participation", "intervention": scope,
                            "reason": "ingen målgrupp (referensbefolkning) för insatsen"})
            continue
        if min(women, men) < config.min_per_sex and women + men < 2 * config.min_per_sex:
            skipped.append({"dimension": "participation", "intervention": scope, "reason": "för få deltagare"})
            continue
        ref_w, ref_m = int(ref["women"].sum()), int(ref["men"].sum())
        if scope in scopes:
            out.append(_representation(scope, women, men, other, ref_w, ref_m))
        share = ref_w / (ref_w + ref_m)
        expected_women += share * (women + men)
        pooled["women"] += women
        pooled["men"] += men
        pooled["other"] += other
    total = pooled["women"] + pooled["men"]
    if None in scopes and total:
        p0 = expected_women / total
        comparison = _representation(None, pooled["women"], pooled["men"], pooled["other"], p0, 1 - p0)
        comparison.notes.append("Målgruppens andel kvinnor är vägd efter antalet deltagare i varje insats.")
        out.insert(0, comparison)
    return out


def _representation(scope: str | None, women: int, men: int, other: int,
                    ref_w: float, ref_m: float) -> _Comparison:
    result = representation(women, men, ref_w, ref_m)
    raw = Effect(_pp(result.difference), _pp(result.diff_low), _pp(result.diff_high), result.p_value,
                 "pp", "binomial-exact (Clopper-Pearson)")
    return _Comparison("participation", scope, "share_of_women", women, men, other, _pp(result.share_women),
                       _pp(1 - result.share_women) if result.share_women is not None else None,
                       _pp(result.reference_share), raw, None, None, ())


# --------------------------------------------------------------------------------------- binary outcomes


def _scope_rows(patterns: pd.DataFrame, scope: str | None) -> pd.DataFrame:
    return patterns if scope is None else patterns[patterns["intervention"] == scope]


def _binary(dimension: Dimension, category: str, patterns: pd.DataFrame, covariates: Sequence[str],
            config: AnalysisConfig, scopes: Sequence[str | None],
            skipped: list[dict[str, Any]]) -> list[_Comparison]:
    out = []
    for scope in scopes:
        rows = _scope_rows(patterns, scope)
        sums = rows.groupby("sex")[["trials", "successes"]].sum().reindex(
            ["women", "men", "other", "unknown"], fill_value=0).astype(int)
        wn, mn = int(sums.at["women", "trials"]), int(sums.at["men", "trials"])
        ws, ms = int(sums.at["women", "successes"]), int(sums.at["men", "successes"])
        other = int(sums.at["other", "trials"] + sums.at["unknown", "trials"])
        if min(wn, mn) < config.min_per_sex:
            skipped.append({"dimension": dimension, "intervention": scope, "category": category,
                            "reason": "för få kvinnor eller män för en jämförelse"})
            continue
        if ws + ms == 0:
            continue  # never offered or reached by anyone in this scope: nothing to compare
        raw = compare_proportions(ws, wn, ms, mn)
        raw_effect = Effect(_pp(raw.difference), _pp(raw.diff_low), _pp(raw.diff_high), raw.p_value, "pp",
                            raw.test)
        rr = (Effect(raw.risk_ratio, raw.rr_low, raw.rr_high, raw.p_value, "ratio", "katz-log")
              if raw.risk_ratio is not None else None)
        events = min(ws + ms, wn + mn - ws - ms)
        model_covariates = _affordable(rows, covariates, scope, events)
        long = _binary_rows(rows[rows["sex"].isin(["women", "men"])])
        if model_covariates:
            adjusted = adjusted_difference(long, "y", "sex", model_covariates, categorical=model_covariates,
                                           weights="w")
        else:
            adjusted = _too_few(events)
        out.append(_Comparison(
            dimension, scope, category, wn, mn, other, _pp(ws / wn), _pp(ms / mn), None, raw_effect,
            _adjusted_effect(adjusted, "pp"), rr, tuple(model_covariates),
            notes=[f"Ingen justerad skattning: {adjusted.reason}."] if adjusted.estimate is None else [],
        ))
    return out


def _affordable(rows: pd.DataFrame, covariates: Sequence[str], scope: str | None, events: int) -> list[str]:
    """The legitimate covariates, in priority order, that the data can carry.

    A logistic model with fewer than about ten events per parameter overfits: its estimates are
    biased away from zero and its intervals too narrow. Covariates are taken in the configured
    order while every parameter (sex included) has ``PER_PARAMETER`` events; the result says which.
    """
    chosen: list[str] = []
    parameters = 1  # sex
    for covariate in covariates:
        if scope is not None and covariate == "intervention":
            continue
        levels = int(rows.loc[rows["sex"].isin(["women", "men"]), covariate].nunique())
        if levels < 2:
            continue
        if events < PER_PARAMETER * (parameters + levels - 1):
            break
        chosen.append(covariate)
        parameters += levels - 1
    return chosen


def _too_few(events: int) -> AdjustedDifference:
    return AdjustedDifference(
        estimate=None, std_error=None, ci_low=None, ci_high=None, p_value=None, odds_ratio=None, or_low=None,
        or_high=None, n=0, n_women=0, n_men=0, n_missing=0, mean_women=None, mean_men=None, adjusted_for=(),
        dropped_covariates=(), aliased_terms=(), perfect_prediction_levels=(), n_perfect_prediction=0,
        converged=False, reason="för få fall för att justera för behov", method="none",
    )


def _binary_rows(patterns: pd.DataFrame) -> pd.DataFrame:
    """Patterns with trials/successes as 0/1 rows with frequency weights (what the fit takes)."""
    yes = patterns.assign(y=1, w=patterns["successes"])
    no = patterns.assign(y=0, w=patterns["trials"] - patterns["successes"])
    rows = pd.concat([yes, no], ignore_index=True)
    return rows[rows["w"] > 0]


def _adjusted_effect(result: AdjustedDifference, unit: str) -> Effect | None:
    if result.estimate is None:
        return None
    scale = 100.0 if unit == "pp" else 1.0
    return Effect(result.estimate * scale, _scaled(result.ci_low, scale), _scaled(result.ci_high, scale),
                  result.p_value, unit, result.method)


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def _pp(value: float | None) -> float | None:
    return None if value is None or not np.isfinite(value) else 100.0 * value


# --------------------------------------------------------------------------------------- resources


def resource_rows(patterns: pd.DataFrame) -> pd.DataFrame:
    """Two weighted rows per pattern that reproduce its count, sum and sum of squares exactly.

    With ``n`` rows of mean ``m``, the rows ``m + δ`` (weight ``n − 1``) and ``m − (n − 1)δ``
    (weight 1), ``δ² = (Σy² − n m²) / (n (n − 1))``, have the same sum and sum of squares. Least
    squares on categorical covariates (constant within a pattern) depends on the data only
    through these, coefficients and robust (HC) variances included, so the fit equals the
    row-level fit.
    """
    n = patterns["n"].to_numpy(dtype=float)
    mean = patterns["total"].to_numpy(dtype=float) / n
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = (patterns["total_sq"].to_numpy(dtype=float) - n * mean**2) / (n * (n - 1))
    delta = np.sqrt(np.clip(np.nan_to_num(spread, nan=0.0), 0.0, None))
    many = n > 1
    upper = patterns.assign(y=np.where(many, mean + delta, mean), w=np.where(many, n - 1, 1))
    lower = patterns[many].assign(y=(mean - (n - 1) * delta)[many], w=1)
    return pd.concat([upper, lower], ignore_index=True)


def _resource(resource: str, patterns: pd.DataFrame, covariates: Sequence[str], config: AnalysisConfig,
              scopes: Sequence[str | None], skipped: list[dict[str, Any]]) -> list[_Comparison]:
    out = []
    unit = RESOURCE_LABELS[resource][2]
    for scope in scopes:
        rows = _scope_rows(patterns, scope)
        sums = rows.groupby("sex")[["n", "total"]].sum()
        wn, mn = int(sums["n"].get("women", 0)), int(sums["n"].get("men", 0))
        other = int(sums["n"].get("other", 0) + sums["n"].get("unknown", 0))
        if min(wn, mn) < config.min_per_sex:
            skipped.append({"dimension": "resource", "intervention": scope, "category": resource,
                            "reason": "för få kvinnor eller män för en jämförelse"})
            continue
        long = resource_rows(rows[rows["sex"].isin(["women", "men"])])
        raw = adjusted_mean_difference(long, "y", "sex", [], weights="w")
        model_covariates = _affordable(rows, covariates, scope, wn + mn)
        if model_covariates:
            adjusted = adjusted_mean_difference(long, "y", "sex", model_covariates, categorical=model_covariates,
                                                weights="w")
        else:
            adjusted = _too_few(wn + mn)
        raw_effect = _adjusted_effect(raw, unit) or Effect(None, None, None, None, unit, "ols-hc1")
        raw_effect = replace(raw_effect, method="mean difference (robust standard error)")
        mean_men = raw.mean_men
        adjusted_effect = _adjusted_effect(adjusted, unit)
        relative = (adjusted.estimate / mean_men if adjusted.estimate is not None and mean_men else None)
        out.append(_Comparison(
            "resource", scope, resource, wn, mn, other, raw.mean_women, raw.mean_men, None, raw_effect,
            adjusted_effect, None, tuple(model_covariates), relative_adjusted=relative,
            notes=[f"Ingen justerad skattning: {adjusted.reason}."] if adjusted.estimate is None else [],
        ))
    return out


# --------------------------------------------------------------------------------------- classification


def _classify(comparisons: list[_Comparison], config: AnalysisConfig, names: dict[str, str],
              sizes: dict[tuple[str, str | None, str], dict[str, int]]) -> list[Finding]:
    """Statuses after multiple-testing control, then every finding through the publication gate."""
    q_raw = benjamini_hochberg([c.raw.p_value for c in comparisons])
    q_adj = benjamini_hochberg([c.adjusted.p_value if c.adjusted else None for c in comparisons])
    findings = []
    for c, qr, qa in zip(comparisons, q_raw, q_adj, strict=True):
        status = _status(c, qr, qa, config)
        true = Finding(
            id=f"{c.dimension}:{c.intervention or 'all'}:{c.category}", dimension=c.dimension,
            intervention=c.intervention, category=c.category, status=status, year=config.year,
            n_women=c.n_women, n_men=c.n_men, n_other=c.n_other, women_value=c.women_value, men_value=c.men_value,
            reference_value=c.reference_value, raw=c.raw, adjusted=c.adjusted, risk_ratio=c.risk_ratio,
            q_raw=qr, q_adjusted=qa, adjusted_for=c.adjusted_for, explanation="", notes=tuple(c.notes),
        )
        published = publish_finding(true, _finding_cells(c), sizes.get(_population(c)), config.threshold,
                                    sizes.get(_successes(c)))
        # The sentence is written from the published figures only.
        shown = replace(c, women_value=published.women_value, men_value=published.men_value,
                        reference_value=published.reference_value, raw=published.raw, adjusted=published.adjusted,
                        risk_ratio=published.risk_ratio,
                        relative_adjusted=c.relative_adjusted if published.adjusted is not None
                        and published.adjusted.estimate is not None else None)
        sv, en = explain(shown, status, names, raw_significant=qr is not None and qr < config.q_level)
        findings.append(replace(published, explanation=sv, explanation_en=en))
    return findings


def _finding_cells(c: _Comparison) -> FindingCells:
    """The true counts behind a comparison (successes from the exact rates of binary comparisons)."""
    if c.dimension in ("component", "outcome") and c.women_value is not None and c.men_value is not None:
        return FindingCells(c.n_women, c.n_men, c.n_other, round(c.women_value / 100 * c.n_women),
                            round(c.men_value / 100 * c.n_men))
    return FindingCells(c.n_women, c.n_men, c.n_other)


def _successes(c: _Comparison) -> tuple[str, str | None, str]:
    """The published population of a binary comparison's successes (component offered, outcome reached)."""
    return (f"{c.dimension}_hits", c.intervention, c.category)


def _population(c: _Comparison) -> tuple[str, str | None, str]:
    """Which published population a comparison's group sizes are counts of."""
    if c.dimension == "participation":
        return ("people", c.intervention, "")
    if c.dimension == "outcome":
        return ("exited", c.intervention, "")
    if c.dimension == "resource":
        return ("resource", c.intervention, c.category)
    return ("enrolments", c.intervention, "")


def _published_sizes(con: Any, frame: Any, known_outcome: Any, interventions: pd.DataFrame,
                     config: AnalysisConfig, components: Sequence[str] = (),
                     outcomes: Sequence[str] = ()) -> dict[tuple[str, str | None, str], dict[str, int]]:
    """Published group sizes (women, men, other_unknown) of every population a comparison counts.

    The same records as the tables count, so a group size printed with a finding equals the
    published table cell of the same people (cell key method: same records, same value)."""
    if config.disclosure_method != "cell_key":
        return {}
    gate = Gate(config.policy())
    rows: pd.DataFrame = frame.select(
        "intervention", "sex", "participant_id", "outcome", *[f"c_{i}" for i in range(len(components))],
        exited=known_outcome,
        **{f"has_{r}": (frame[r].notnull() & known_outcome) if r == "duration_days" else frame[r].notnull()
           for r in d.RESOURCES},
    ).execute()
    rows["group"] = rows["sex"].map(sex_group)
    rows["record_id"] = rows["participant_id"]
    counts = con.table("counts").execute().rename(columns={"intervention_id": "intervention", "participants": "n"})
    if config.interventions:
        counts = counts[counts["intervention"].isin(config.interventions)]
    if config.year is not None:
        counts = counts[counts["year"] == config.year]
    people = pd.concat([rows[["intervention", "sex", "participant_id"]].drop_duplicates()
                        .rename(columns={"participant_id": "record_id"}),
                        _Cells(config).headcounts(counts, ["intervention"])[["intervention", "sex", "record_id"]]],
                       ignore_index=True)
    people["group"] = people["sex"].map(sex_group)
    populations: dict[tuple[str, str], pd.DataFrame] = {
        ("people", ""): people, ("enrolments", ""): rows, ("exited", ""): rows[rows["exited"].astype(bool)],
    }
    for r in d.RESOURCES:
        populations[("resource", r)] = rows[rows[f"has_{r}"].astype(bool)]
    # Successes of the binary comparisons: rates are published from these published counts.
    for i, component in enumerate(components):
        populations[("component_hits", component)] = rows[rows[f"c_{i}"].fillna(False).astype(bool)]
    exited = populations[("exited", "")]
    for outcome in outcomes:
        populations[("outcome_hits", outcome)] = exited[exited["outcome"] == outcome]
    scopes: list[str | None] = [None, *sorted(interventions["intervention_id"])]
    sizes: dict[tuple[str, str | None, str], dict[str, int]] = {}
    for (kind, category), records in populations.items():
        for scope in scopes:
            part = records if scope is None else records[records["intervention"] == scope]
            published = gate.counts_by(part, ["group"]) if len(part) else pd.Series(dtype="int64")
            sizes[(kind, scope, category)] = {g: int(published.get(g, 0)) for g in SEX_GROUPS}
    return sizes


def _status(c: _Comparison, q_raw: float | None, q_adj: float | None, config: AnalysisConfig) -> Status:
    raw_significant = q_raw is not None and q_raw < config.q_level
    if c.dimension == "participation":
        big = c.raw.estimate is not None and abs(c.raw.estimate) >= config.min_difference_pp
        return "unjustified" if raw_significant and big else "none"
    if c.adjusted is None or c.adjusted.estimate is None:
        return "none"
    adjusted_significant = q_adj is not None and q_adj < config.q_level
    if c.dimension == "resource":
        big = c.relative_adjusted is not None and abs(c.relative_adjusted) >= config.min_relative_resource_gap
    else:
        big = abs(c.adjusted.estimate) >= config.min_difference_pp
    if adjusted_significant and big:
        return "unjustified"
    if raw_significant and not adjusted_significant:
        return "explained"
    return "none"


def _abs_interval(effect: Effect | None) -> tuple[float | None, float | None]:
    """The interval of the size of a difference whose sign the sentence already says."""
    if effect is None or effect.ci_low is None or effect.ci_high is None:
        return None, None
    if (effect.estimate or 0) >= 0:
        return effect.ci_low, effect.ci_high
    return -effect.ci_high, -effect.ci_low


def _num(value: float | None, decimals: int = 0) -> str:
    """Swedish number: decimal comma, space between thousands, a real minus sign, no "−0"."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        text = text.lstrip("-")
    return text.replace(",", "\u00a0").replace(".", ",").replace("-", "−")


def category_label(dimension: str, category: str) -> str:
    if dimension == "resource":
        return RESOURCE_LABELS[category][0]
    if dimension == "participation":
        return "andel kvinnor"
    return OUTCOME_LABELS_SV.get(category, category.replace("_", " "))


def explain(c: _Comparison, status: Status, names: dict[str, str], *,
            raw_significant: bool = False) -> tuple[str, str]:
    """One plain sentence in Swedish (and English) saying what the comparison found."""
    where_sv = f"i {names.get(c.intervention, c.intervention)}" if c.intervention else "i förbundet som helhet"
    where_en = f"in {names.get(c.intervention, c.intervention)}" if c.intervention else "across the association"
    label = category_label(c.dimension, c.category)
    if c.dimension == "participation":
        share, ref = _num(c.women_value), _num(c.reference_value)
        diff = c.raw.estimate or 0.0
        if status == "unjustified":
            word, word_en = ("underrepresenterade", "under-represented") if diff < 0 else (
                "överrepresenterade", "over-represented")
            return (f"Kvinnor är {word} {where_sv}: {share} % av deltagarna mot {ref} % av målgruppen "
                    f"(skillnad {_num(diff)} procentenheter, 95 % KI {_num(c.raw.ci_low)} till "
                    f"{_num(c.raw.ci_high)}).",
                    f"Women are {word_en} {where_en}: {share}% of participants against {ref}% of the target "
                    f"group.")
        return (f"Andelen kvinnor {where_sv} ({share} %) skiljer sig inte påtagligt från målgruppens ({ref} %).",
                f"The share of women {where_en} ({share}%) does not differ markedly from the target group's "
                f"({ref}%).")
    adjusted = c.adjusted.estimate if c.adjusted and c.adjusted.estimate is not None else None
    if c.dimension == "resource":
        unit = {"hours": "timmar", "sek": "kronor", "days": "dagar"}[c.raw.unit]
        rel = _num(abs(c.relative_adjusted or 0) * 100)
        if status == "unjustified":
            more = "Kvinnor" if (adjusted or 0) > 0 else "Män"
            low, high = _abs_interval(c.adjusted)
            return (f"{more} fick {rel} % {RESOURCE_MORE_SV[c.category]} {where_sv} än "
                    f"{'män' if more == 'Kvinnor' else 'kvinnor'} "
                    f"med samma behov ({_num(abs(adjusted or 0), 1)} {unit} mer, 95 % KI {_num(low, 1)} till "
                    f"{_num(high, 1)}).",
                    f"{'Women' if more == 'Kvinnor' else 'Men'} received {rel}% more {RESOURCE_LABELS[c.category][1]}"
                    f" {where_en} than the other sex with the same needs.")
        if status == "explained":
            return (f"Skillnaden i {label} mellan kvinnor och män {where_sv} ({_num(c.raw.estimate, 1)} {unit}) "
                    f"förklaras av behov och bakgrund.",
                    f"The difference in {RESOURCE_LABELS[c.category][1]} {where_en} is explained by needs.")
        return (f"Ingen säkerställd omotiverad skillnad i {label} mellan kvinnor och män {where_sv}.",
                f"No established unjustified difference in {RESOURCE_LABELS[c.category][1]} {where_en}.")
    what = "erbjöds" if c.dimension == "component" else "fick utfallet"
    what_en = "were offered" if c.dimension == "component" else "reached"
    rates = (f" ({_num(c.women_value)} % mot {_num(c.men_value)} %)"
             if c.women_value is not None and c.men_value is not None else "")
    if status == "unjustified":
        more = "Kvinnor" if (adjusted or 0) > 0 else "Män"
        less = "män" if more == "Kvinnor" else "kvinnor"
        low, high = _abs_interval(c.adjusted)
        return (f"{more} {what} {label} oftare än {less} {where_sv}{rates}; skillnaden kvarstår när behov "
                f"och bakgrund hålls lika: {_num(abs(adjusted or 0))} procentenheter (95 % KI "
                f"{_num(low)} till {_num(high)}).",
                f"{'Women' if more == 'Kvinnor' else 'Men'} {what_en} {label} more often {where_en}; the "
                f"difference remains with needs held equal: {abs(adjusted or 0):.0f} percentage points.")
    if status == "explained":
        return (f"Kvinnor och män {what} {label} olika ofta {where_sv}{rates}, men skillnaden förklaras av "
                f"behov och bakgrund (justerad skillnad {_num(adjusted)} procentenheter).",
                f"Women and men {what_en} {label} at different rates {where_en}, but needs explain the "
                f"difference.")
    if raw_significant and adjusted is None:
        return (f"Kvinnor och män {what} {label} olika ofta {where_sv}{rates}; gruppen är för liten för att pröva "
                f"om behov förklarar skillnaden.",
                f"Women and men {what_en} {label} at different rates {where_en}; the group is too small to test "
                f"whether needs explain the difference.")
    return (f"Ingen säkerställd omotiverad skillnad mellan kvinnor och män i {label} {where_sv}{rates}.",
            f"No established unjustified difference between women and men in {label} {where_en}.")


# --------------------------------------------------------------------------------------- tables


class _Cells:
    """What a count table is made of: aggregated counts, or (for the cell key method) records.

    With threshold suppression the engine aggregates (``n`` per cell). The cell key method needs
    each record's key, so it fetches one row per record with its pseudonymous id; headcount-only
    interventions have no records, so each of their people becomes a record whose id names its
    cell (the same cell then always gets the same noise, as the method requires).
    """

    def __init__(self, config: AnalysisConfig):
        self.config = config
        self.records = config.disclosure_method == "cell_key"

    def people(self, frame: Any, by: list[str]) -> pd.DataFrame:
        """One row per (``by``, person): people, counted once in each cell they belong to."""
        if self.records:
            rows: pd.DataFrame = frame.select(*by, "sex", "participant_id").distinct().execute()
            return rows.rename(columns={"participant_id": "record_id"}).assign(n=1)
        return d.distinct_participants_by(frame, [*by, "sex"])

    def enrolments(self, frame: Any, by: list[str]) -> pd.DataFrame:
        if self.records:
            rows: pd.DataFrame = frame.select(*by, "sex", "participant_id").execute()
            return rows.rename(columns={"participant_id": "record_id"}).assign(n=1)
        return d.counts_by(frame, [*by, "sex"])

    def headcounts(self, counts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
        if not self.records:
            return counts[[*by, "sex", "n"]]
        if counts.empty:
            return counts[[*by, "sex", "n"]].assign(record_id=pd.Series(dtype=object))
        rows = counts.loc[counts.index.repeat(counts["n"].astype(int))].copy()
        rows["record_id"] = (rows["intervention"].astype(str) + ":" + rows["year"].astype(str) + ":" + rows["sex"]
                             + ":" + rows.groupby(["intervention", "year", "sex"]).cumcount().astype(str))
        return rows.assign(n=1)[[*by, "sex", "n", "record_id"]]


def _protected_table(key: str, title: str, title_en: str, cells: pd.DataFrame, row: str,
                     policy: DisclosurePolicy, *, kind: str = "counts", additive_rows: bool = True,
                     zero_groups: Sequence[str] = ()) -> ResultTable:
    """Counts by ``row`` and sex, through disclosure control, with a share-of-women column.

    ``zero_groups``: sex groups whose whole population in the analysed scope is published as 0; their
    cells are 0 too (:func:`jamkoll.analysis.publication.zero_consistent`)."""
    if cells.empty:
        empty = pd.DataFrame(columns=[*SEX_COLUMNS.values(), "Andel kvinnor (%)"])
        return ResultTable(key, title, title_en, empty, empty.astype(bool), "", "", kind)
    if policy.method == "cell_key":
        records = cells.assign(record_key=Gate(policy).keys(cells["record_id"]).to_numpy())
        records = records.assign(sex=pd.Categorical(records["sex"].map(sex_group), categories=list(SEX_COLUMNS)))
        protected = protect_records(records, [row, "sex"], policy)
    else:
        cells = cells.assign(sex=cells["sex"].map(sex_group))
        counts = cells.pivot_table(index=row, columns="sex", values="n", aggfunc="sum", fill_value=0)
        counts = counts.reindex(columns=list(SEX_COLUMNS), fill_value=0).fillna(0).astype(int)
        protected = protect_counts(counts, policy)
    values = protected.values
    if policy.method == "cell_key":
        values = zero_consistent(values, protected.row_total, protected.total_row, zero_groups)
    values = values.rename(columns=SEX_COLUMNS)
    suppressed = protected.suppressed.rename(columns=SEX_COLUMNS)
    values.columns.name = suppressed.columns.name = None
    if not additive_rows:  # a sum over non-exclusive categories means nothing: don't publish it
        values = values.drop(index=protected.total_row)
        suppressed = suppressed.drop(index=protected.total_row)
    women, men = values["Kvinnor"], values["Män"]
    share = (100 * women.astype("Float64") / (women + men).astype("Float64")).round(1)
    values = values.assign(**{"Andel kvinnor (%)": share})
    suppressed = suppressed.assign(**{"Andel kvinnor (%)": share.isna() & (women.isna() | men.isna())})
    return ResultTable(key, title, title_en, values, suppressed, protected.note, _note_en(protected), kind)


def _note_en(protected: Any) -> str:
    if not protected.note:
        return ""
    if protected.method == "cell_key":
        return "Values have been randomly perturbed (cell key method); parts may not add up to totals."
    return "Counts under the threshold are not shown (..), nor values from which they could be computed."


def _tables(con: Any, frame: Any, exited: Any, interventions: pd.DataFrame, components: list[str],
            config: AnalysisConfig) -> dict[str, ResultTable]:
    policy = config.policy()
    cells = _Cells(config)
    names = dict(zip(interventions["intervention_id"], interventions["name"], strict=True))
    tables: dict[str, ResultTable] = {}
    counts = con.table("counts").execute().rename(columns={"intervention_id": "intervention", "participants": "n"})
    if config.interventions:
        counts = counts[counts["intervention"].isin(config.interventions)]
    year_counts = counts if config.year is None else counts[counts["year"] == config.year]
    people = pd.concat([cells.people(frame, ["intervention"]), cells.headcounts(year_counts, ["intervention"])],
                       ignore_index=True)
    zero = _zero_groups(people, cells, policy)
    people["intervention"] = people["intervention"].map(lambda i: f"{i} {names.get(i, '')}".strip())
    tables["participants_by_intervention"] = _protected_table(
        "participants_by_intervention", "Deltagare per insats och kön", "Participants by intervention and sex",
        people, "intervention", policy, zero_groups=zero)
    all_years = d.enrolment_frame(con, interventions=config.interventions)
    by_year = pd.concat([cells.people(all_years, ["year"]), cells.headcounts(counts, ["year"])], ignore_index=True)
    tables["participants_by_year"] = _protected_table(
        "participants_by_year", "Deltagare per år (inskrivningsår) och kön", "Participants by year and sex",
        by_year, "year", policy, kind="trend", zero_groups=zero)
    offered = [cells.enrolments(frame.filter(frame[f"c_{i}"]), []).assign(component=component)
               for i, component in enumerate(components)]
    if offered:
        tables["components_by_sex"] = _protected_table(
            "components_by_sex", "Delinsatser som erbjöds, per kön (antal inskrivningar)",
            "Components offered by sex (enrolments)", pd.concat(offered, ignore_index=True), "component", policy,
            additive_rows=False, zero_groups=zero)
    enrolled = cells.enrolments(frame, []).assign(group="Alla inskrivningar")
    tables["enrolments_by_sex"] = _protected_table(
        "enrolments_by_sex", "Inskrivningar per kön", "Enrolments by sex", enrolled, "group", policy, zero_groups=zero)
    tables["outcomes_by_sex"] = _protected_table(
        "outcomes_by_sex", "Status efter avslut per kön (avslutade inskrivningar)", "Outcome after exit by sex",
        cells.enrolments(exited, ["outcome"]), "outcome", policy, zero_groups=zero)
    for ground in INTERSECTIONAL:
        grouped = cells.people(frame, [ground])
        grouped[ground] = grouped[ground].map(_ground_label)
        label = COVARIATE_LABELS_SV[ground]
        tables[f"sex_by_{ground}"] = _protected_table(
            f"sex_by_{ground}", f"Deltagare per kön och {label}", f"Participants by sex and {ground}",
            grouped, ground, policy, kind="intersectional", zero_groups=zero)
    tables["resources_by_sex"] = _resource_table(frame, exited, policy)
    tables["representation"] = _representation_table(tables["participants_by_intervention"])
    budgets = con.table("budgets").execute()
    if config.year is not None:
        budgets = budgets[budgets["year"] == config.year]
    if config.interventions:
        budgets = budgets[budgets["intervention_id"].isin(config.interventions)]
    if len(budgets):
        frame_b = budgets.pivot_table(index="intervention_id", columns="year", values="budget_sek", aggfunc="sum")
        frame_b.columns = [str(c) for c in frame_b.columns]
        tables["budgets"] = ResultTable("budgets", "Budget per insats och år (kr)", "Budget by intervention and year",
                                        frame_b, None, "", "", kind="budget")
    return tables


def _zero_groups(people: pd.DataFrame, cells: _Cells, policy: DisclosurePolicy) -> list[str]:
    """Sex groups whose people in the analysed scope are published as 0 (cell key method only)."""
    if not cells.records or people.empty:
        return []
    records = people.assign(group=people["sex"].map(sex_group))
    published = Gate(policy).counts_by(records, ["group"])
    return [g for g in SEX_GROUPS if int(published.get(g, 0)) == 0]


def _ground_label(value: Any) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nej"
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "uppgift saknas"
    return str(value)


def _resource_table(frame: Any, exited: Any, policy: DisclosurePolicy) -> ResultTable:
    rows = []
    for resource, (label, _, unit) in RESOURCE_LABELS.items():
        source = exited if resource == "duration_days" else frame
        t = source.filter(source[resource].notnull())
        stats = t.group_by("sex").aggregate(n=t.count(), mean=t[resource].mean(), median=t[resource].median())
        stats = stats.execute().set_index("sex")
        row: dict[str, Any] = {"resurs": f"{label} ({ {'hours': 'timmar', 'sek': 'kr', 'days': 'dagar'}[unit]})"}
        for sex, column in (("women", "Kvinnor"), ("men", "Män")):
            n = int(stats["n"].get(sex, 0))
            shown = n >= policy.threshold
            row[f"{column} medel"] = round(float(stats["mean"][sex]), 1) if shown else None
            row[f"{column} median"] = round(float(stats["median"][sex]), 1) if shown else None
        rows.append(row)
    table = pd.DataFrame(rows).set_index("resurs")
    return ResultTable("resources_by_sex", "Resurser per deltagare och kön (medelvärde och median)",
                       "Resources per participant by sex (mean and median)", table, table.isna(),
                       f"Medelvärden för grupper med färre än {policy.threshold} personer redovisas inte.",
                       "Means for groups of fewer than the threshold are not shown.", kind="means")


def _representation_table(participants: ResultTable) -> ResultTable:
    frame = participants.frame[["Kvinnor", "Män", "Andel kvinnor (%)"]].copy()
    frame = frame.drop(index=[i for i in frame.index if i == "Totalt"], errors="ignore")
    return ResultTable("representation", "Andel kvinnor bland deltagarna", "Share of women among participants",
                       frame, frame.isna(), participants.note, participants.note_en, kind="shares")


# --------------------------------------------------------------------------------------- decompositions


def _levels_in_both_groups(rows: pd.DataFrame, covariates: Sequence[str]) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Merge covariate levels that occur among only women or only men into one "övrigt" level.

    Group-specific regressions of the decomposition are not identified for a level absent from one
    group; merging such rare levels keeps the decomposition possible in small interventions and is
    reported with the result.
    """
    rows = rows.copy()
    merged: dict[str, list[str]] = {}
    for column in covariates:
        present = rows.groupby(column)["sex"].nunique()
        lonely = [str(level) for level in present.index[present < 2]]
        if not lonely:
            continue
        rows[column] = rows[column].astype(str).where(~rows[column].astype(str).isin(lonely), "övrigt")
        if rows.loc[rows[column] == "övrigt", "sex"].nunique() < 2:
            common = rows[column].value_counts().index[0]
            rows[column] = rows[column].replace("övrigt", common)
        merged[column] = lonely
    return rows, merged


def _bootstrap_size(rows: pd.DataFrame, config: AnalysisConfig) -> int:
    """Fewer replicates for very many patterns: each replicate refits four regressions on all of them."""
    return max(min(config.bootstrap, 10), min(config.bootstrap, 500_000 // max(len(rows), 1)))


def _decompositions(patterns: dict[str, pd.DataFrame], findings: list[Finding], covariates: Sequence[str],
                    config: AnalysisConfig) -> dict[str, dict[str, Any]]:
    """Blinder-Oaxaca decompositions of each resource gap, overall and where a resource was flagged."""
    wanted: list[tuple[str, str | None]] = [(r, None) for r in patterns]
    wanted += [(f.category, f.intervention) for f in findings
               if f.dimension == "resource" and f.intervention and f.status == "unjustified"]
    out: dict[str, dict[str, Any]] = {}
    for resource, scope in wanted:
        rows = _scope_rows(patterns[resource], scope)
        rows = rows[rows["sex"].isin(["women", "men"])]
        if rows.empty or rows.groupby("sex")["n"].sum().min() < config.min_per_sex:
            continue
        model_covariates = [c for c in covariates if not (scope is not None and c == "intervention")]
        rows, merged = _levels_in_both_groups(rows, [c for c in model_covariates if rows[c].nunique() > 1])
        model_covariates = [c for c in model_covariates if rows[c].nunique() > 1]
        result = None
        while result is None and model_covariates:
            try:
                result = oaxaca(resource_rows(rows), "y", "sex", model_covariates, categorical=model_covariates,
                                group_a="women", weights="w", bootstrap=_bootstrap_size(rows, config),
                                seed=config.seed)
            except ValueError:
                model_covariates = model_covariates[:-1]  # least essential last: drop it and try again
        if result is None:
            continue
        out[f"{resource}:{scope or 'all'}"] = {"resource": resource, "intervention": scope,
                                               "adjusted_for": model_covariates, "merged_levels": merged,
                                               **result.to_dict()}
    return out
