"""``analyze``: every comparison of women and men in one run, with honest statistics.

For each scope (all interventions together, then each intervention) the engine
compares women and men in

* **participation**: the share of women among participants (persons) against the
  target group's share (exact central binomial test and the Clopper-Pearson
  interval that inverts it);
* **components** offered and **outcomes** reached (outcomes over the enrolments
  that have ended; ``n_ongoing`` says how many have not): raw risk difference
  (Fisher's exact test for small counts, otherwise chi-square) and the
  covariate-adjusted difference (average marginal effect from a logistic
  regression on the legitimate covariates, fitted on compressed covariate
  patterns);
* **resources** (staff hours, direct cost, days in the intervention over ended
  enrolments): raw mean gap and the adjusted gap (least squares on the legitimate
  covariates, equal to the unexplained part of the pooled Blinder-Oaxaca
  decomposition), with full decompositions for the report.

Adjustment: each finding lists the covariates used (``adjusted_for``) and those
left out with a reason code (``omitted_covariates``). The association-wide
models enter every need *within intervention* (covariate × intervention
interaction: each need has its own effect in each intervention, the difference
between women and men is common), so a need that matters in one intervention
cannot be mistaken for a difference between women and men elsewhere. Standard
errors are cluster-robust by person (a person may have several enrolments); the
pairs of enrolments of the same person are aggregated inside the database.

Statuses (raw and adjusted p-values each controlled over the run with the
Benjamini-Hochberg procedure; ``margin`` is the smallest difference that
matters, per unit in :class:`AnalysisConfig`):

* ``unjustified``: the adjusted difference has q < ``q_level`` and is at least the
  margin; its direction is the adjusted direction;
* ``explained``: the raw difference is material (q < ``q_level`` and at least the
  margin) and the adjusted 95 % interval lies within ±margin: a material
  difference is ruled out after adjustment (two one-sided tests, Schuirmann 1987,
  J Pharmacokinet Biopharm 15(6), 657-680, each at level 0.025);
* ``uncertain``: the raw difference is material but no adjusted estimate could be
  made, or the adjusted interval still includes material differences; ``needed``
  says what would settle it (``pool_years`` or ``more_data``);
* ``none``: no material raw difference is established (the interval is carried
  with the finding: "no established difference", not "no difference").

The analysis returns numbers and codes only; sentences are written in
:mod:`jamkoll.reports.explain`. Every table leaving the engine goes through
disclosure control (:mod:`jamkoll.analysis.disclosure`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import ibis
import numpy as np
import pandas as pd

from jamkoll.analysis import data as d
from jamkoll.analysis.config import DEFAULT_COVARIATES, AnalysisConfig  # noqa: F401 (re-exported)
from jamkoll.analysis.disclosure import DisclosurePolicy, Protection, TotalRow, protect_counts, protect_records
from jamkoll.analysis.oaxaca import oaxaca
from jamkoll.analysis.publication import (
    SEX_GROUPS,
    FindingCells,
    Gate,
    derived_allowed,
    key_cells,
    percent,
    publish_decomposition,
    publish_finding,
    sex_group,
    zero_consistent,
)
from jamkoll.analysis.results import (
    ALL_ENROLMENTS,
    MISSING,
    NO,
    SHARE_WOMEN,
    YES,
    Analysis,
    DecompositionKey,
    Dimension,
    Effect,
    Finding,
    ResultTable,
    Status,
    Topic,
)
from jamkoll.analysis.stats import (
    AdjustedDifference,
    adjusted_difference,
    adjusted_mean_difference,
    benjamini_hochberg,
    compare_proportions,
    representation,
)

# Events (or observations, for least squares) per estimated parameter that a model needs
# (Peduzzi et al. 1996, J Clin Epidemiol 49:1373; Vittinghoff & McCulloch 2007, Am J Epidemiol 165:710).
PER_PARAMETER = 10
RESOURCE_UNITS = {"hours": "hours", "cost_sek": "sek", "duration_days": "days"}
INTERSECTIONAL = ("age_band", "education", "income_support_at_start", "born_abroad", "disability")
# Published sex groups (see jamkoll.analysis.publication): other and unknown sex are published together.
# The tables' columns are these codes (and SHARE_WOMEN); the reports write them in words.
SEX_COLUMNS = ("women", "men", "other_unknown")
INTERACTED = "×intervention"  # suffix of a covariate entered within intervention


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
    margin: float = 0.0
    relative_adjusted: float | None = None  # resources: adjusted gap / men's mean
    omitted: dict[str, str] = field(default_factory=dict)
    interactions: tuple[str, ...] = ()
    n_ongoing: int | None = None
    km_medians: tuple[float | None, float | None] = (None, None)
    notes: list[str] = field(default_factory=list)


@dataclass
class _Clusters:
    """What cluster-robust errors need: pairs of one person's enrolments, and persons per sample."""

    pairs: pd.DataFrame
    persons: pd.DataFrame
    keys: list[str]
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict)

    def count(self, sample: str, scope: str | None) -> int:
        rows = self.persons[self.persons["intervention"].isna()] if scope is None else \
            self.persons[self.persons["intervention"] == scope]
        return int(rows[sample].sum()) if len(rows) else 0

    def for_measure(self, name: str, scope: str | None) -> pd.DataFrame:
        """The aggregated pairs of one measure (``n``, ``y_a``, ``y_b``, ``y_ab``) within a scope."""
        if name not in self._cache:
            pairs = self.pairs
            if f"{name}:n" not in pairs.columns:
                self._cache[name] = pairs.iloc[0:0].assign(n=0.0, y_a=0.0, y_b=0.0, y_ab=0.0)
            else:
                pairs = pairs[pairs[f"{name}:n"] > 0]
                columns = [f"{k}_{s}" for s in ("a", "b") for k in self.keys]
                self._cache[name] = pairs[columns].assign(
                    n=pairs[f"{name}:n"], y_a=pairs[f"{name}:y_a"], y_b=pairs[f"{name}:y_b"],
                    y_ab=pairs[f"{name}:y_ab"])
        pairs = self._cache[name]
        if scope is not None:
            pairs = pairs[(pairs["intervention_a"] == scope) & (pairs["intervention_b"] == scope)]
        return pairs


def analyze(store: Any, config: AnalysisConfig | None = None) -> Analysis:
    """Analyse the data in ``store`` (a :class:`jamkoll.ingest.Store` or an Ibis connection)."""
    config = config or AnalysisConfig()
    if config.secret is None and hasattr(store, "disclosure_secret"):
        config = replace(config, secret=store.disclosure_secret())
    if config.publish and config.disclosure_method == "cell_key" and not config.secret:
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
    resource_known = {r: (known_outcome if r == "duration_days" else ibis.literal(True)) for r in d.RESOURCES}
    cube = d.pattern_cube(
        frame, covariates, {c: frame[f"c_{i}"] for i, c in enumerate(components)}, known_outcome, outcomes,
        resource_known,
    )
    keys = list(dict.fromkeys([*covariates, "sex", "intervention"]))
    measures: dict[str, tuple[Any, Any]] = {
        f"ind:{c}": (d.as_count(frame[f"c_{i}"]), ibis.literal(True)) for i, c in enumerate(components)}
    measures.update({f"out:{o}": (d.as_count(frame.outcome == o), known_outcome) for o in outcomes})
    measures.update({r: (frame[r], resource_known[r] & frame[r].notnull()) for r in d.RESOURCES})
    samples = {"all": frame.exited | ~frame.exited, "exited": known_outcome,
               **{r: resource_known[r] & frame[r].notnull() for r in d.RESOURCES}}
    clusters = _Clusters(d.pair_cube(frame, covariates, measures), d.persons_per_sample(frame, samples), keys)
    for component in components:
        patterns = cube[keys].assign(trials=cube["n"], successes=cube[f"ind:{component}"])
        comparisons += _binary("component", component, patterns, covariates, config, scopes, skipped, clusters)
    for outcome in outcomes:
        patterns = cube[keys].assign(trials=cube["n_exited"], successes=cube[f"out:{outcome}"],
                                     ongoing=cube["n_ongoing"])
        comparisons += _binary("outcome", outcome, patterns, covariates, config, scopes, skipped, clusters)
    resource_patterns: dict[str, pd.DataFrame] = {}
    for resource in d.RESOURCES:
        patterns = cube[keys].assign(n=cube[f"{resource}:n"], total=cube[f"{resource}:sum"],
                                     total_sq=cube[f"{resource}:sumsq"], ongoing=cube["n_ongoing"])
        comparisons += _resource(resource, patterns, covariates, config, scopes, skipped, clusters)
        resource_patterns[resource] = patterns[patterns["n"] > 0]
    _add_km_medians(comparisons, d.spells(con, frame))
    cells = _Cells(config, con)  # one per analysis: everyone's record keys are computed once
    sizes = _published_sizes(cells, frame, known_outcome, interventions, components, outcomes) \
        if config.publish else None
    findings = _classify(comparisons, config, sizes)
    tables = _tables(con, cells, frame, exited, components, config) if config.tables else {}
    decompositions = ({key: publish_decomposition(result, (sizes or {}).get(("resource", result["intervention"],
                                                                     result["resource"])))
                       for key, result in _decompositions(resource_patterns, findings, covariates, config).items()}
                      if config.tables else {})
    organisations = sorted({str(o) for o in interventions["organization"].dropna()})
    meta = {
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "organisation": ", ".join(organisations) or None,
        "interventions": names,
        "components": components,
        "outcomes": outcomes,
        "not_compared": skipped,
        "n_comparisons": len(findings),
        "covariates": list(covariates),
        "years": available_years(con),
    }
    return Analysis(config=config.published(), findings=findings, tables=tables,
                    decompositions=decompositions, meta=meta)


def available_years(con: Any) -> list[int]:
    """The calendar years in which enrolments started."""
    e = con.table("enrolments")
    years = e.select(year=e.start_date.year()).distinct().execute()["year"]
    return sorted(int(y) for y in years if pd.notna(y))


# --------------------------------------------------------------------------------------- participation


def _participation(con: Any, frame: Any, interventions: pd.DataFrame, config: AnalysisConfig,
                   scopes: Sequence[str | None], skipped: list[dict[str, Any]]) -> list[_Comparison]:
    """Share of women among participants against the target group, per intervention and overall.

    Participants are persons: per intervention each person counts once whatever the number of
    enrolments, and the association-wide comparison counts each person once whatever the number of
    interventions (headcount-only interventions add their reported counts). The overall target
    share is the interventions' target shares weighted by their participants.
    """
    people = d.distinct_participants_by(frame, ["intervention", "sex"])
    years_of = d.distinct_participants_by(frame, ["intervention", "year"])
    counts = con.table("counts").execute()
    if config.year is not None:
        counts = counts[counts["year"] == config.year]
    counts = counts.rename(columns={"intervention_id": "intervention", "participants": "n"})
    if config.interventions:
        counts = counts[counts["intervention"].isin(config.interventions)]
    people = pd.concat([people, counts[["intervention", "sex", "n"]]], ignore_index=True)
    years_of = pd.concat([years_of, counts[["intervention", "year", "n"]]], ignore_index=True)
    reference = con.table("reference_population").execute()
    target = dict(zip(interventions["intervention_id"], interventions["target_group"], strict=True))
    out: list[_Comparison] = []
    expected_women = 0.0
    weighted = 0
    included: list[str] = []
    for scope in sorted(people["intervention"].dropna().unique()):
        rows = people[people["intervention"] == scope]
        by_sex = rows.groupby("sex")["n"].sum()
        women, men = int(by_sex.get("women", 0)), int(by_sex.get("men", 0))
        other = int(by_sex.get("other", 0) + by_sex.get("unknown", 0))
        group = target.get(scope)
        years = sorted(years_of.loc[years_of["intervention"] == scope, "year"].unique())
        ref = reference[(reference["group"] == group) & reference["year"].isin(years)]
        if not len(ref) or not (ref["women"].sum() + ref["men"].sum()):
            skipped.append({"dimension": "participation", "intervention": scope, "reason": "no_reference_population"})
            continue
        if min(women, men) < config.min_per_sex and women + men < 2 * config.min_per_sex:
            skipped.append({"dimension": "participation", "intervention": scope, "reason": "too_few_participants"})
            continue
        ref_w, ref_m = int(ref["women"].sum()), int(ref["men"].sum())
        if scope in scopes:
            out.append(_representation(scope, women, men, other, ref_w, ref_m, config))
        expected_women += ref_w / (ref_w + ref_m) * (women + men)
        weighted += women + men
        included.append(scope)
    if None in scopes and weighted:
        # Each person once, over the interventions compared with a target group.
        overall = d.distinct_participants_by(frame.filter(frame.intervention.isin(included)), ["sex"])
        recorded = overall.groupby("sex")["n"].sum()
        heads = counts[counts["intervention"].isin(included)].groupby("sex")["n"].sum()
        women = int(recorded.get("women", 0) + heads.get("women", 0))
        men = int(recorded.get("men", 0) + heads.get("men", 0))
        other = int(sum(recorded.get(s, 0) + heads.get(s, 0) for s in ("other", "unknown")))
        p0 = expected_women / weighted
        comparison = _representation(None, women, men, other, p0, 1 - p0, config)
        comparison.notes.append("reference_weighted_by_participants")
        out.insert(0, comparison)
    return out


def _representation(scope: str | None, women: int, men: int, other: int,
                    ref_w: float, ref_m: float, config: AnalysisConfig) -> _Comparison:
    result = representation(women, men, ref_w, ref_m)
    raw = Effect(percent(result.difference), percent(result.diff_low), percent(result.diff_high), result.p_value,
                 "pp", "binomial-exact central test (Clopper-Pearson)")
    return _Comparison("participation", scope, "share_of_women", women, men, other, percent(result.share_women),
                       percent(1 - result.share_women) if result.share_women is not None else None,
                       percent(result.reference_share), raw, None, None, (), margin=config.min_difference_pp)


# --------------------------------------------------------------------------------------- covariates


@dataclass
class _Plan:
    """The covariates one model uses, those it leaves out (name → reason code), and which enter
    within intervention."""

    used: list[str]
    omitted: dict[str, str]
    interacted: list[str]

    def columns(self) -> list[str]:
        return [f"{c}{INTERACTED}" if c in self.interacted else c for c in self.used]


def _plan(rows: pd.DataFrame, covariates: Sequence[str], scope: str | None, events: int) -> _Plan:
    """The legitimate covariates, in priority order, that the data can carry, and why others are left out.

    A model with fewer than about ten events per parameter overfits: its estimates are biased away
    from zero and its intervals too narrow. Each covariate is taken in the configured order if it
    varies (else ``no_variation``), if some level holds both women and men (else
    ``not_in_both_groups``), and if every parameter (sex included) still has ``PER_PARAMETER`` events
    (else ``too_few_events``, and so are all later ones: a lesser need is not adjusted for while a
    more important one is left out, which would make an "adjusted" difference mean little). In the
    association-wide
    scope the intervention comes first and every other covariate enters within intervention
    (one set of levels per intervention: a covariate × intervention interaction), costing one
    parameter per level and intervention.
    """
    people = rows.loc[rows["sex"].isin(["women", "men"])]
    codes = {c: pd.factorize(people[c])[0].astype(np.int64) for c in dict.fromkeys([*covariates, "intervention"])}
    woman = (people["sex"] == "women").to_numpy().astype(np.int64)
    interventions = len(np.unique(codes["intervention"]))
    pooled = scope is None and interventions > 1
    candidates = [c for c in covariates if not (scope is not None and c == "intervention")]
    if pooled and "intervention" in candidates:
        candidates = ["intervention", *[c for c in candidates if c != "intervention"]]
    plan = _Plan([], {}, [])
    parameters = 1  # sex
    for covariate in candidates:
        if "too_few_events" in plan.omitted.values():
            plan.omitted[covariate] = "too_few_events"
            continue
        code = codes[covariate]
        levels = len(np.unique(code))
        if levels < 2:
            plan.omitted[covariate] = "no_variation"
            continue
        if len(np.unique(code * 2 + woman)) == levels:  # no level holds both women and men
            plan.omitted[covariate] = "not_in_both_groups"
            continue
        within = pooled and covariate != "intervention"
        if within:
            cost = len(np.unique(codes["intervention"] * (int(code.max()) + 1) + code)) - interventions
        else:
            cost = levels - 1
        if events < PER_PARAMETER * (parameters + cost):
            plan.omitted[covariate] = "too_few_events"
            continue
        plan.used.append(covariate)
        if within:
            plan.interacted.append(covariate)
        parameters += cost
    return plan


def _with_interactions(frame: pd.DataFrame, interacted: Sequence[str], suffixes: Sequence[str] = ("",)) -> pd.DataFrame:
    """Add a column ``<covariate>×intervention`` (the pair of values) for each interacted covariate."""
    if not interacted:
        return frame
    extra = {}
    for suffix in suffixes:
        for c in interacted:
            intervention, value = frame[f"intervention{suffix}"], frame[f"{c}{suffix}"]
            if isinstance(intervention.dtype, pd.CategoricalDtype) and isinstance(value.dtype, pd.CategoricalDtype):
                extra[f"{c}{INTERACTED}{suffix}"] = _category_pairs(intervention, value)
            else:
                extra[f"{c}{INTERACTED}{suffix}"] = intervention.astype(str) + "\x1f" + value.astype(str)
    return frame.assign(**extra)


def _category_pairs(first: pd.Series, second: pd.Series) -> pd.Series:
    """``first + "\x1f" + second`` (as text) of two category columns, built from their codes: the same
    values as the text, without a new string per row (the pairs of every model, see pair_cube)."""
    names_a, codes_a = _names_and_codes(first)
    names_b, codes_b = _names_and_codes(second)
    labels = [f"{x}\x1f{y}" for x in names_a for y in names_b]
    if len(set(labels)) < len(labels):  # two values with the same text: as text, then
        return first.astype(str) + "\x1f" + second.astype(str)
    pairs = pd.Categorical.from_codes(codes_a * len(names_b) + codes_b, categories=labels)
    return pd.Series(pairs, index=first.index).cat.remove_unused_categories()


def _names_and_codes(column: pd.Series) -> tuple[list[str], np.ndarray]:
    """A category column's values as text (what ``astype(str)`` gives, a missing value ``"nan"``) and its
    codes into them."""
    names = ["nan" if pd.isna(x) else str(x) for x in column.cat.categories]
    codes = column.cat.codes.to_numpy().astype(np.int64)
    if (codes < 0).any():
        if "nan" not in names:
            names.append("nan")
        codes = np.where(codes < 0, names.index("nan"), codes)
    return names, codes


def _fit(kind: str, long: pd.DataFrame, plan: _Plan, pairs: pd.DataFrame, persons: int,
         events: int) -> AdjustedDifference:
    """Fit the adjusted model with the planned covariates, cluster-robust by person.

    Should the fit fail (separation, collinearity), the last covariate is left out
    (``fit_failed``) and the fit is tried again; covariates the fit itself had to drop are moved
    from ``plan.used`` to ``plan.omitted``.
    """
    fit = adjusted_difference if kind == "binary" else adjusted_mean_difference
    long = _with_interactions(long, plan.interacted)
    pairs = _with_interactions(pairs, plan.interacted, ("_a", "_b"))
    result = _too_few(events)
    while plan.used:
        columns = plan.columns()
        result = fit(long, "y", "sex", columns, categorical=columns, weights="w", n_clusters=persons,
                     cluster_pairs=pairs)
        if result.estimate is not None:
            break
        plan.omitted[plan.used.pop()] = "fit_failed"
    if result.estimate is None:
        return result
    aliased = set(result.aliased_terms)
    for column in result.adjusted_for:
        name = column.removesuffix(INTERACTED)
        if column in result.dropped_covariates:
            plan.omitted[name] = "no_variation"
        elif column != "intervention" and _all_terms_aliased(column, long, aliased):
            plan.omitted[name] = "collinear"
    for column in result.dropped_covariates:
        plan.omitted[column.removesuffix(INTERACTED)] = "no_variation"
    plan.used = [c for c in plan.used if c not in plan.omitted]
    plan.interacted = [c for c in plan.interacted if c in plan.used]
    return result


def _all_terms_aliased(column: str, long: pd.DataFrame, aliased: set[str]) -> bool:
    """Every non-baseline level of ``column`` was left out as a combination of earlier columns."""
    levels = {f"{column}={v}" for v in long[column].dropna().unique()}
    terms = {t for t in aliased if t.startswith(f"{column}=")}
    return len(levels) > 1 and len(terms) >= len(levels) - 1


def _too_few(events: int) -> AdjustedDifference:
    return AdjustedDifference(
        estimate=None, std_error=None, ci_low=None, ci_high=None, p_value=None, odds_ratio=None, or_low=None,
        or_high=None, n=0, n_women=0, n_men=0, n_missing=0, mean_women=None, mean_men=None, adjusted_for=(),
        dropped_covariates=(), aliased_terms=(), perfect_prediction_levels=(), n_perfect_prediction=0,
        converged=False, reason="too_few_events", method="none",
    )


# --------------------------------------------------------------------------------------- binary outcomes


def _scope_rows(patterns: pd.DataFrame, scope: str | None) -> pd.DataFrame:
    return patterns if scope is None else patterns[patterns["intervention"] == scope]


def _ongoing(rows: pd.DataFrame) -> int | None:
    if "ongoing" not in rows.columns:
        return None
    return int(rows.loc[rows["sex"].isin(["women", "men"]), "ongoing"].sum())


def _binary(dimension: Dimension, category: str, patterns: pd.DataFrame, covariates: Sequence[str],
            config: AnalysisConfig, scopes: Sequence[str | None], skipped: list[dict[str, Any]],
            clusters: _Clusters) -> list[_Comparison]:
    out = []
    sample, measure = ("all", f"ind:{category}") if dimension == "component" else ("exited", f"out:{category}")
    for scope in scopes:
        rows = _scope_rows(patterns, scope)
        ongoing = _ongoing(rows) if dimension == "outcome" else None
        rows = rows[rows["trials"] > 0]
        sums = rows.groupby("sex")[["trials", "successes"]].sum().reindex(
            ["women", "men", "other", "unknown"], fill_value=0).astype(int)
        wn, mn = int(sums.at["women", "trials"]), int(sums.at["men", "trials"])
        ws, ms = int(sums.at["women", "successes"]), int(sums.at["men", "successes"])
        other = int(sums.at["other", "trials"] + sums.at["unknown", "trials"])
        if min(wn, mn) < config.min_per_sex:
            skipped.append({"dimension": dimension, "intervention": scope, "category": category,
                            "reason": "too_few_per_sex"})
            continue
        if ws + ms == 0:
            continue  # never offered or reached by anyone in this scope: nothing to compare
        raw = compare_proportions(ws, wn, ms, mn)
        raw_effect = Effect(percent(raw.difference), percent(raw.diff_low), percent(raw.diff_high), raw.p_value, "pp",
                            raw.test)
        rr = (Effect(raw.risk_ratio, raw.rr_low, raw.rr_high, raw.p_value, "ratio", "katz-log")
              if raw.risk_ratio is not None else None)
        events = min(ws + ms, wn + mn - ws - ms)
        plan = _plan(rows, covariates, scope, events)
        long = _binary_rows(rows[rows["sex"].isin(["women", "men"])])
        adjusted = _fit("binary", long, plan, clusters.for_measure(measure, scope), clusters.count(sample, scope),
                        events)
        out.append(_Comparison(
            dimension, scope, category, wn, mn, other, percent(ws / wn), percent(ms / mn), None, raw_effect,
            _adjusted_effect(adjusted, "pp"), rr, tuple(plan.used), margin=config.min_difference_pp,
            omitted=dict(plan.omitted), interactions=tuple(plan.interacted), n_ongoing=ongoing,
            notes=["no_adjusted_estimate"] if adjusted.estimate is None else [],
        ))
    return out


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


# --------------------------------------------------------------------------------------- resources


def resource_rows(patterns: pd.DataFrame) -> pd.DataFrame:
    """Two weighted rows per pattern that reproduce its count, sum and sum of squares exactly.

    With ``n`` rows of mean ``m``, the rows ``m + δ`` (weight ``n − 1``) and ``m − (n − 1)δ``
    (weight 1), ``δ² = (Σy² − n m²) / (n (n − 1))``, have the same sum and sum of squares. Least
    squares on categorical covariates (constant within a pattern) depends on the data only
    through these, coefficients and robust (HC and cluster) variances included, so the fit equals
    the row-level fit.
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
              scopes: Sequence[str | None], skipped: list[dict[str, Any]], clusters: _Clusters) -> list[_Comparison]:
    out = []
    unit = RESOURCE_UNITS[resource]
    for scope in scopes:
        rows = _scope_rows(patterns, scope)
        ongoing = _ongoing(rows) if resource == "duration_days" else None
        rows = rows[rows["n"] > 0]
        sums = rows.groupby("sex")[["n", "total"]].sum()
        wn, mn = int(sums["n"].get("women", 0)), int(sums["n"].get("men", 0))
        other = int(sums["n"].get("other", 0) + sums["n"].get("unknown", 0))
        if min(wn, mn) < config.min_per_sex:
            skipped.append({"dimension": "resource", "intervention": scope, "category": resource,
                            "reason": "too_few_per_sex"})
            continue
        long = resource_rows(rows[rows["sex"].isin(["women", "men"])])
        pairs = clusters.for_measure(resource, scope)
        persons = clusters.count(resource, scope)
        raw = adjusted_mean_difference(long, "y", "sex", [], weights="w", n_clusters=persons, cluster_pairs=pairs)
        plan = _plan(rows, covariates, scope, wn + mn)
        adjusted = _fit("mean", long, plan, pairs, persons, wn + mn)
        raw_effect = _adjusted_effect(raw, unit) or Effect(None, None, None, None, unit, "ols-cluster")
        raw_effect = replace(raw_effect, method="mean difference (cluster-robust standard error)")
        mean_men = raw.mean_men
        adjusted_effect = _adjusted_effect(adjusted, unit)
        relative = (adjusted.estimate / mean_men if adjusted.estimate is not None and mean_men else None)
        out.append(_Comparison(
            "resource", scope, resource, wn, mn, other, raw.mean_women, raw.mean_men, None, raw_effect,
            adjusted_effect, None, tuple(plan.used), margin=config.min_relative_resource_gap * abs(mean_men or 0.0),
            relative_adjusted=relative, omitted=dict(plan.omitted), interactions=tuple(plan.interacted),
            n_ongoing=ongoing, notes=["no_adjusted_estimate"] if adjusted.estimate is None else [],
        ))
    return out


def _add_km_medians(comparisons: list[_Comparison], spells: pd.DataFrame) -> None:
    """Kaplan-Meier medians of time in the intervention, by sex, for each duration comparison.

    Completed spells alone are biased short in a year whose long spells are still running; the
    Kaplan-Meier estimate (Kaplan and Meier 1958, JASA 53(282), 457-481; statsmodels'
    ``SurvfuncRight`` with frequency weights) uses the ongoing enrolments too, censored at the
    data's date. The median is None when the survival curve does not fall to one half.
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    if spells.empty:
        return
    spells = spells.dropna(subset=["days"])
    for c in comparisons:
        if c.dimension != "resource" or c.category != "duration_days":
            continue
        rows = spells if c.intervention is None else spells[spells["intervention"] == c.intervention]
        medians: list[float | None] = []
        for sex in ("women", "men"):
            part = rows[rows["sex"] == sex].groupby(["days", "event"], as_index=False)["n"].sum()
            if part.empty or not part["event"].any():
                medians.append(None)
                continue
            survival = SurvfuncRight(part["days"].to_numpy(dtype=float), part["event"].to_numpy(dtype=float),
                                     freq_weights=part["n"].to_numpy(dtype=float))
            median = float(survival.quantile(0.5))
            medians.append(median if np.isfinite(median) else None)
        c.km_medians = (medians[0], medians[1])


# --------------------------------------------------------------------------------------- classification


def _classify(comparisons: list[_Comparison], config: AnalysisConfig,
              sizes: dict[tuple[str, str | None, str], dict[str, int]] | None) -> list[Finding]:
    """Statuses after multiple-testing control, then every finding through the publication gate
    (``sizes`` None: not for publication, the findings as estimated)."""
    q_raw = benjamini_hochberg([c.raw.p_value for c in comparisons])
    q_adj = benjamini_hochberg([c.adjusted.p_value if c.adjusted else None for c in comparisons])
    findings = []
    for c, qr, qa in zip(comparisons, q_raw, q_adj, strict=True):
        status, needed = _status(c, qr, qa, config)
        true = Finding(
            id=f"{c.dimension}:{c.intervention or 'all'}:{c.category}", dimension=c.dimension,
            intervention=c.intervention, category=c.category, status=status, year=config.year,
            n_women=c.n_women, n_men=c.n_men, n_other=c.n_other, women_value=c.women_value, men_value=c.men_value,
            reference_value=c.reference_value, raw=c.raw, adjusted=c.adjusted, risk_ratio=c.risk_ratio,
            q_raw=qr, q_adjusted=qa, adjusted_for=c.adjusted_for, omitted_covariates=dict(c.omitted),
            interactions=c.interactions, margin=c.margin, relative_adjusted=c.relative_adjusted,
            needed=needed, n_ongoing=_published_ongoing(c.n_ongoing, config.threshold),
            km_median_women=c.km_medians[0], km_median_men=c.km_medians[1],
            notes=tuple(c.notes),
        )
        if sizes is None:
            findings.append(true)
            continue
        findings.append(publish_finding(true, _finding_cells(c), sizes.get(_population(c)), config.threshold,
                                        sizes.get(_successes(c)), _published_cells(c, sizes), config.policy()))
    return findings


def _published_cells(c: _Comparison, sizes: dict[tuple[str, str | None, str], dict[str, int]]
                     ) -> list[int | None] | None:
    """The published counts of the cells a comparison's statistics rest on (None: not counted by the gate):
    women and men, or for a rate those who had it and those who did not, of each sex."""
    if not sizes:
        return None
    if c.dimension in ("component", "outcome"):
        hits, misses = sizes.get(_successes(c)), sizes.get(_misses(c))
        if hits is None or misses is None:
            return None
        return [hits.get("women"), misses.get("women"), hits.get("men"), misses.get("men")]
    group = sizes.get(_population(c))
    return None if group is None else [group.get("women"), group.get("men")]


def _published_ongoing(n: int | None, threshold: int) -> int | None:
    """Enrolments still ongoing, for publication: rounded to tens, or None when fewer than the
    threshold (0 included, so that None never says "1 to 4")."""
    if n is None or n < threshold:
        return None
    return max(threshold, int(round(n, -1)))


def _finding_cells(c: _Comparison) -> FindingCells:
    """The true counts behind a comparison (successes from the exact rates of binary comparisons)."""
    if c.dimension in ("component", "outcome") and c.women_value is not None and c.men_value is not None:
        return FindingCells(c.n_women, c.n_men, c.n_other, round(c.women_value / 100 * c.n_women),
                            round(c.men_value / 100 * c.n_men))
    return FindingCells(c.n_women, c.n_men, c.n_other)


def _successes(c: _Comparison) -> tuple[str, str | None, str]:
    """The published population of a binary comparison's successes (component offered, outcome reached)."""
    return (f"{c.dimension}_hits", c.intervention, c.category)


def _misses(c: _Comparison) -> tuple[str, str | None, str]:
    """The published population of a binary comparison's failures (component not offered, outcome not
    reached): with the successes, the cells its statistics rest on."""
    return (f"{c.dimension}_misses", c.intervention, c.category)


def _population(c: _Comparison) -> tuple[str, str | None, str]:
    """Which published population a comparison's group sizes are counts of."""
    if c.dimension == "participation":
        return ("people", c.intervention, "")
    if c.dimension == "outcome":
        return ("exited", c.intervention, "")
    if c.dimension == "resource":
        return ("resource", c.intervention, c.category)
    return ("enrolments", c.intervention, "")


def _published_sizes(cells_of: _Cells, frame: Any, known_outcome: Any, interventions: pd.DataFrame,
                     components: Sequence[str] = (),
                     outcomes: Sequence[str] = ()) -> dict[tuple[str, str | None, str], dict[str, int]]:
    """Published group sizes (women, men, other_unknown) of every population a comparison counts.

    The same records as the tables count, so a group size printed with a finding equals the
    published table cell of the same people (cell key method: same records, same value). Counted in
    the database: one pass over the enrolments gives every population's records and key sums per
    intervention and sex (a conditional count and sum each), one more the people."""
    config, con = cells_of.config, cells_of.con
    if not cells_of.records:
        return {}
    gate = Gate(config.policy())
    keyed = cells_of.keyed(frame.mutate(_exited=known_outcome))
    exited = keyed["_exited"].fill_null(False)
    conditions: dict[tuple[str, str], Any] = {("enrolments", ""): None, ("exited", ""): exited}
    for r in d.RESOURCES:
        conditions[("resource", r)] = (keyed[r].notnull() & exited) if r == "duration_days" else keyed[r].notnull()
    # Successes of the binary comparisons: rates are published from these published counts.
    # Their failures too: whether the statistics may be published is decided on these published counts.
    for i, component in enumerate(components):
        hit = keyed[f"c_{i}"].fill_null(False)
        conditions[("component_hits", component)] = hit
        conditions[("component_misses", component)] = ~hit
    for outcome in outcomes:
        reached = (keyed["outcome"] == outcome).fill_null(False)
        conditions[("outcome_hits", outcome)] = exited & reached
        conditions[("outcome_misses", outcome)] = exited & ~reached
    names = {population: f"p{i}" for i, population in enumerate(conditions)}
    aggregates: dict[str, Any] = {}
    for population, condition in conditions.items():
        where = None if condition is None else condition.fill_null(False)
        aggregates[f"{names[population]}_n"] = keyed.count(where=where)
        aggregates[f"{names[population]}_k"] = keyed.record_key.sum(where=where)
    rows: pd.DataFrame = keyed.group_by(["intervention", "sex"]).aggregate(**aggregates).execute()
    counts = con.table("counts").execute().rename(columns={"intervention_id": "intervention", "participants": "n"})
    if config.interventions:
        counts = counts[counts["intervention"].isin(config.interventions)]
    if config.year is not None:
        counts = counts[counts["year"] == config.year]
    heads = cells_of.headcounts(counts, ["intervention"])
    people = pd.concat([key_cells(keyed, ["intervention", "sex"], people=True), heads], ignore_index=True)
    # Association-wide, a person counts once however many interventions she or he took part in.
    everyone = pd.concat([key_cells(keyed, ["sex"], people=True), heads.drop(columns="intervention")],
                         ignore_index=True)
    populations: dict[tuple[str, str], pd.DataFrame] = {("people", ""): people}
    for population, name in names.items():
        populations[population] = rows[["intervention", "sex"]].assign(
            n=rows[f"{name}_n"].fillna(0).astype("int64"), key_sum=rows[f"{name}_k"].fillna(0).astype("int64"))
    scopes: list[str | None] = [None, *sorted(interventions["intervention_id"])]
    sizes: dict[tuple[str, str | None, str], dict[str, int]] = {}
    for (kind, category), cells in populations.items():
        for scope in scopes:
            if scope is None:
                part = everyone if kind == "people" else cells
            else:
                part = cells[cells["intervention"] == scope]
            published = gate.counts_by_group(part)
            sizes[(kind, scope, category)] = {g: int(published.get(g, 0)) for g in SEX_GROUPS}
    return sizes


def _status(c: _Comparison, q_raw: float | None, q_adj: float | None,
            config: AnalysisConfig) -> tuple[Status, str | None]:
    """The status of a comparison and, when ``uncertain``, what would settle it (see the module)."""
    margin = c.margin
    raw = c.raw.estimate
    material_raw = (q_raw is not None and q_raw < config.q_level and raw is not None
                    and abs(raw) >= margin > 0)
    if c.dimension == "participation":
        return ("unjustified" if material_raw else "none"), None
    needed = "pool_years" if config.year is not None else "more_data"
    adjusted = c.adjusted
    if adjusted is None or adjusted.estimate is None or adjusted.ci_low is None or adjusted.ci_high is None:
        return ("uncertain", needed) if material_raw else ("none", None)
    if q_adj is not None and q_adj < config.q_level and margin > 0 and abs(adjusted.estimate) >= margin:
        return "unjustified", None
    if not material_raw:
        return "none", None
    if -margin < adjusted.ci_low and adjusted.ci_high < margin:
        return "explained", None
    return "uncertain", needed


# --------------------------------------------------------------------------------------- tables


class _Cells:
    """What a count table is made of: aggregated counts, or (for the cell key method) keyed cells.

    With threshold suppression the engine aggregates (``n`` per cell). The cell key method needs the
    sum of the cell's record keys too: each person's key is computed once per analysis (a keyed hash
    of the pseudonymous id, :meth:`Gate.key_table`), joined to the records in the database and summed
    there with the counts (``n``, ``key_sum`` per cell, :func:`key_cells`); records are never fetched
    one by one. Headcount-only interventions have no records, so each of their people becomes a
    record whose id names its cell (the same cell then always gets the same noise, as the method
    requires).
    """

    def __init__(self, config: AnalysisConfig, con: Any = None):
        self.config = config
        self.con = con
        self.records = config.disclosure_method == "cell_key"
        self._keys: pd.DataFrame | None = None

    def keyed(self, frame: Any) -> Any:
        """``frame`` with each record's key (:meth:`Gate.keyed`), everyone keyed once per analysis."""
        gate = Gate(self.config.policy())
        if self._keys is None and self.con is not None:
            ids = self.con.table("enrolments").select("participant_id").distinct().execute()["participant_id"]
            self._keys = gate.key_table(ids)
        return gate.keyed(frame, self._keys)

    def people(self, frame: Any, by: list[str]) -> pd.DataFrame:
        """People, counted once in each (``by``, sex) cell they belong to."""
        if self.records:
            return key_cells(self.keyed(frame), [*by, "sex"], people=True)
        return d.distinct_participants_by(frame, [*by, "sex"])

    def enrolments(self, frame: Any, by: list[str]) -> pd.DataFrame:
        if self.records:
            return key_cells(self.keyed(frame), [*by, "sex"])
        return d.counts_by(frame, [*by, "sex"])

    def headcounts(self, counts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
        if not self.records:
            return counts[[*by, "sex", "n"]]
        return Gate(self.config.policy()).headcount_cells(counts, by)


def _protected_table(key: str, cells: pd.DataFrame, row: str,
                     policy: DisclosurePolicy, *, kind: str = "counts", additive_rows: bool = True,
                     zero_groups: Sequence[str] = (), topic: Topic = "other",
                     total_row: TotalRow = "kept") -> ResultTable:
    """Counts by ``row`` and sex, through disclosure control, with a share-of-women column.

    ``zero_groups``: sex groups whose whole population in the analysed scope is published as 0; their
    cells are 0 too (:func:`jamkoll.analysis.publication.zero_consistent`). ``total_row``: what gives way
    when a column total would pin a part (:func:`jamkoll.analysis.disclosure.cell_key_counts`); a table
    whose rows are not additive drops it."""
    if cells.empty:
        empty = pd.DataFrame(columns=[*SEX_COLUMNS, SHARE_WOMEN])
        return ResultTable(key, empty, empty.astype(bool), Protection(), kind, topic)
    if not additive_rows:
        total_row = "dropped"
    if policy.method == "cell_key":  # keyed cells (_Cells): n records whose keys sum to key_sum
        records = cells.assign(sex=pd.Categorical(cells["sex"].map(sex_group), categories=list(SEX_COLUMNS)))
        protected = protect_records(records, [row, "sex"], policy, key_column="key_sum", count_column="n",
                                    total_row=total_row)
    else:
        cells = cells.assign(sex=cells["sex"].map(sex_group))
        counts = cells.pivot_table(index=row, columns="sex", values="n", aggfunc="sum", fill_value=0)
        counts = counts.reindex(columns=list(SEX_COLUMNS), fill_value=0).fillna(0).astype(int)
        protected = protect_counts(counts, policy)
    values = protected.values
    if policy.method == "cell_key":
        values = zero_consistent(values, protected.row_total, protected.total_row, zero_groups)
        values = _total_of_published_parts(values, protected.row_total)
    values = values.rename(columns=str)
    suppressed = protected.suppressed.rename(columns=str)
    values.columns.name = suppressed.columns.name = None
    if not additive_rows:  # a sum over non-exclusive categories means nothing: don't publish it
        values = values.drop(index=protected.total_row)
        suppressed = suppressed.drop(index=protected.total_row)
    women, men = values["women"], values["men"]
    share = (100 * women.astype("Float64") / (women + men).astype("Float64")).round(1)
    values = values.assign(**{SHARE_WOMEN: share})
    suppressed = suppressed.assign(**{SHARE_WOMEN: share.isna() & (women.isna() | men.isna())})
    return ResultTable(key, values, suppressed, protected.protection, kind, topic)


def _total_of_published_parts(values: pd.DataFrame, row_total: Any) -> pd.DataFrame:
    """The total of women, men and other/unknown sex as the sum of their published counts, again after
    :func:`jamkoll.analysis.publication.zero_consistent` (as the gate publishes every row total,
    :func:`jamkoll.analysis.disclosure.cell_key_counts`)."""
    if row_total not in values.columns:
        return values
    parts = [c for c in values.columns if c != row_total]
    out = values.copy()
    out[row_total] = out[parts].sum(axis=1, min_count=len(parts))
    return out


def _tables(con: Any, cells: _Cells, frame: Any, exited: Any, components: list[str],
            config: AnalysisConfig) -> dict[str, ResultTable]:
    policy = config.policy()
    tables: dict[str, ResultTable] = {}
    counts = con.table("counts").execute().rename(columns={"intervention_id": "intervention", "participants": "n"})
    if config.interventions:
        counts = counts[counts["intervention"].isin(config.interventions)]
    year_counts = counts if config.year is None else counts[counts["year"] == config.year]
    people = pd.concat([cells.people(frame, ["intervention"]), cells.headcounts(year_counts, ["intervention"])],
                       ignore_index=True)
    zero = _zero_groups(people, cells, policy)
    by_intervention = _protected_table("participants_by_intervention", people, "intervention", policy,
                                       zero_groups=zero, topic="participation",
                                       total_row="dropped")  # replaced by the persons, each once
    # Its total row counts each person once, however many interventions she or he took part in: the
    # association-wide count of the gate (the same people, so the same value, as the association-wide
    # comparison and the year's row of participants_by_year), not the sum over the interventions.
    persons = pd.concat([cells.people(frame, []), cells.headcounts(year_counts, [])], ignore_index=True)
    everyone = _protected_table("persons", persons.assign(scope=PERSONS_ROW), "scope", policy,
                                zero_groups=zero)
    tables["participants_by_intervention"] = _with_person_total(by_intervention, everyone, policy)
    all_years = d.enrolment_frame(con, interventions=config.interventions)
    by_year = pd.concat([cells.people(all_years, ["year"]), cells.headcounts(counts, ["year"])], ignore_index=True)
    tables["participants_by_year"] = _protected_table(
        "participants_by_year", by_year, "year", policy, kind="trend", topic="trend",
        total_row="yields",  # each year's cells are that year's own total in the year's tables
        # its rows are every year: the groups published as 0 over all of them, not in the analysed year
        zero_groups=_zero_groups(by_year, cells, policy))
    offered = [cells.enrolments(frame.filter(frame[f"c_{i}"]), []).assign(component=component)
               for i, component in enumerate(components)]
    if offered:
        tables["components_by_sex"] = _protected_table(
            "components_by_sex", pd.concat(offered, ignore_index=True), "component", policy,
            additive_rows=False, zero_groups=zero, topic="component")
    enrolled = cells.enrolments(frame, []).assign(group=ALL_ENROLMENTS)
    tables["enrolments_by_sex"] = _protected_table(
        "enrolments_by_sex", enrolled, "group", policy, zero_groups=zero, topic="participation")
    tables["outcomes_by_sex"] = _protected_table(
        "outcomes_by_sex", cells.enrolments(exited, ["outcome"]), "outcome", policy, zero_groups=zero,
        topic="outcome")
    for ground in INTERSECTIONAL:
        grouped = cells.people(frame, [ground])
        grouped[ground] = grouped[ground].map(_ground_code)
        tables[f"sex_by_{ground}"] = _protected_table(
            f"sex_by_{ground}", grouped, ground, policy, kind="intersectional", zero_groups=zero,
            topic="intersectional")
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
        tables["budgets"] = ResultTable("budgets", frame_b, None, Protection(), kind="budget", topic="resource")
    return tables


PERSONS_ROW = "persons"


def _with_person_total(table: ResultTable, everyone: ResultTable, policy: DisclosurePolicy) -> ResultTable:
    """``table`` with its total row replaced by ``everyone``'s row of all persons (each counted once).

    Under the cell key method a published 0 in the total row means "0 to threshold − 1" persons, so
    every intervention's cell of that column is published as 0 too (as
    :func:`jamkoll.analysis.publication.zero_consistent` does for a table's own margins)."""
    total_row = policy.margin_label
    if (table.frame.empty or total_row not in table.frame.index or PERSONS_ROW not in everyone.frame.index
            or table.suppressed is None or everyone.suppressed is None):
        return table
    values, hidden = table.frame.copy(), table.suppressed.copy()
    values.loc[total_row] = everyone.frame.loc[PERSONS_ROW, values.columns].to_numpy()
    hidden.loc[total_row] = everyone.suppressed.loc[PERSONS_ROW, hidden.columns].to_numpy()
    if policy.method == "cell_key":
        rows = [r for r in values.index if r != total_row]
        for column in SEX_COLUMNS:
            if pd.notna(values.at[total_row, column]) and values.at[total_row, column] == 0:
                values.loc[rows, column] = values.loc[rows, column].where(values.loc[rows, column].isna(), 0)
        women, men = values["women"], values["men"]
        values[SHARE_WOMEN] = (100 * women.astype("Float64") / (women + men).astype("Float64")).round(1)
    return replace(table, frame=values, suppressed=hidden)


def _zero_groups(people: pd.DataFrame, cells: _Cells, policy: DisclosurePolicy) -> list[str]:
    """Sex groups whose people in the analysed scope are published as 0 (cell key method only)."""
    if not cells.records or people.empty:
        return []
    published = Gate(policy).counts_by_group(people)
    return [g for g in SEX_GROUPS if int(published.get(g, 0)) == 0]


def _ground_code(value: Any) -> str:
    """A ground of the intersectional tables as a row code: yes/no grounds as ``yes``/``no``, not known as
    ``missing``, a band or level as itself."""
    if value is True:
        return YES
    if value is False:
        return NO
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return MISSING
    return str(value)


def _resource_table(frame: Any, exited: Any, policy: DisclosurePolicy) -> ResultTable:
    rows = []
    for resource in RESOURCE_UNITS:
        source = exited if resource == "duration_days" else frame
        t = source.filter(source[resource].notnull())
        stats = t.group_by("sex").aggregate(n=t.count(), mean=t[resource].mean(), median=t[resource].median())
        stats = stats.execute().set_index("sex")
        row: dict[str, Any] = {"resource": resource}
        for sex in ("women", "men"):
            n = int(stats["n"].get(sex, 0))
            shown = derived_allowed([n], policy.threshold)  # a mean rests on its n people
            row[f"{sex}_mean"] = round(float(stats["mean"][sex]), 1) if shown else None
            row[f"{sex}_median"] = round(float(stats["median"][sex]), 1) if shown else None
        rows.append(row)
    table = pd.DataFrame(rows).set_index("resource")
    return ResultTable("resources_by_sex", table, table.isna(), Protection("min_group", policy.threshold),
                       kind="means", topic="resource")


def _representation_table(participants: ResultTable) -> ResultTable:
    frame = participants.frame[["women", "men", SHARE_WOMEN]].copy()
    frame = frame.drop(index=[i for i in frame.index if i == "total"], errors="ignore")
    return ResultTable("representation", frame, frame.isna(), participants.protection, kind="shares",
                       topic="target")


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


MIN_BOOTSTRAP = 200  # fewer replicates give standard errors too noisy to print (Efron and Tibshirani 1993, §6.4)


def _bootstrap_size(config: AnalysisConfig) -> int:
    """Replicates for a decomposition's standard errors: none when asked for none, else at least 200."""
    return 0 if config.bootstrap <= 0 else max(MIN_BOOTSTRAP, config.bootstrap)


def _in_fixed_order(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` sorted by all their values (as text): the database returns groups in any order."""
    keys = [rows[c].astype(str).to_numpy() for c in reversed(rows.columns)]
    return rows.iloc[np.lexsort(keys)].reset_index(drop=True) if len(rows) else rows


def _decompositions(patterns: dict[str, pd.DataFrame], findings: list[Finding], covariates: Sequence[str],
                    config: AnalysisConfig) -> dict[DecompositionKey, dict[str, Any]]:
    """Blinder-Oaxaca decompositions of each resource gap, overall and where a resource was flagged."""
    wanted: list[tuple[str, str | None]] = [(r, None) for r in patterns]
    wanted += [(f.category, f.intervention) for f in findings
               if f.dimension == "resource" and f.intervention and f.status == "unjustified"]
    out: dict[DecompositionKey, dict[str, Any]] = {}
    for resource, scope in wanted:
        rows = _scope_rows(patterns[resource], scope)
        rows = rows[rows["sex"].isin(["women", "men"])]
        if rows.empty or rows.groupby("sex")["n"].sum().min() < config.min_per_sex:
            continue
        model_covariates = [c for c in covariates if not (scope is not None and c == "intervention")]
        omitted = {c: "no_variation" for c in model_covariates if rows[c].nunique() < 2}
        rows, merged = _levels_in_both_groups(rows, [c for c in model_covariates if rows[c].nunique() > 1])
        model_covariates = [c for c in model_covariates if rows[c].nunique() > 1]
        rows = _in_fixed_order(rows)  # the bootstrap's seed gives the same replicates only over the same rows
        result = None
        while result is None and model_covariates:
            try:
                result = oaxaca(resource_rows(rows), "y", "sex", model_covariates, categorical=model_covariates,
                                group_a="women", weights="w", bootstrap=_bootstrap_size(config),
                                seed=config.seed)
            except ValueError:
                omitted[model_covariates[-1]] = "fit_failed"
                model_covariates = model_covariates[:-1]  # least essential last: drop it and try again
        if result is None:
            continue
        out[(resource, scope)] = {"resource": resource, "intervention": scope,
                                               "adjusted_for": model_covariates, "omitted_covariates": omitted,
                                               "merged_levels": merged, **result.to_dict()}
    return out
