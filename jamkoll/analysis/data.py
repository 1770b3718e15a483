"""The analysis frame as Ibis expressions: the same code runs on DuckDB, PostgreSQL and Spark.

Everything that grows with the number of rows (joins, derived covariates,
group-bys) happens in the engine; what comes back to Python is aggregated:
counts per cell, or *compressed covariate patterns* (one row per distinct
combination of covariates with its count and outcome sums), whose size is
bounded by the number of covariate combinations, not by the number of people.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

AGE_BANDS = ("18-24", "25-29", "30-39", "40-49", "50-64", "65+")
MONTHS_BANDS = ("0-5", "6-11", "12-23", "24-59", "60+")
RESOURCES = ("hours", "cost_sek", "duration_days")


def age_band(age: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        (age.isnull(), "okänd"), (age < 25, "18-24"), (age < 30, "25-29"), (age < 40, "30-39"),
        (age < 50, "40-49"), (age < 65, "50-64"), else_="65+",
    )


def months_band(months: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        (months.isnull(), "okänd"), (months < 6, "0-5"), (months < 12, "6-11"), (months < 24, "12-23"),
        (months < 60, "24-59"), else_="60+",
    )


def enrolment_frame(con: Any, *, year: int | None = None,
                    interventions: Sequence[str] | None = None) -> ir.Table:
    """One row per enrolment with the participant's attributes and derived covariates.

    ``year`` is the calendar year of enrolment (the start date): a year's analysis
    covers the enrolments that started that year.
    """
    e = con.table("enrolments")
    p = con.table("participants").drop("local_id")
    t = e.join(p, "participant_id", how="left")
    start_year = t.start_date.year()
    t = t.mutate(
        sex=t.sex.fill_null("unknown"),
        year=start_year,
        age_band=age_band(start_year - t.birth_year),
        months_band=months_band(t.months_in_support),
        education=t.education.fill_null("okänd"),
        income_support_at_start=t.income_support_at_start.fill_null("okänd"),
        referred_by=t.referred_by.fill_null("okänd"),
        employed_at_start=t.employed_at_start.fill_null("okänd"),
        exited=t.end_date.notnull(),
        duration_days=t.end_date.delta(t.start_date, unit="day"),
        intervention=t.intervention_id,
    )
    if year is not None:
        t = t.filter(t.year == year)
    if interventions:
        t = t.filter(t.intervention_id.isin(list(interventions)))
    return t


def component_names(con: Any) -> list[str]:
    c = con.table("components")
    names = c.select("component").distinct().order_by("component").execute()["component"]
    return [str(n) for n in names if n is not None]


def with_components(con: Any, frame: ir.Table, components: Sequence[str]) -> ir.Table:
    """Add one boolean column per component: was it offered during the enrolment."""
    if not components:
        return frame
    c = con.table("components")
    offered = c.group_by("enrolment_id").aggregate(
        **{f"c_{i}": (c.component == name).any() for i, name in enumerate(components)}
    )
    joined = frame.left_join(offered, "enrolment_id").drop("enrolment_id_right")
    return joined.mutate(**{f"c_{i}": joined[f"c_{i}"].fill_null(False) for i in range(len(components))})


def as_count(condition: ir.BooleanValue) -> ir.IntegerValue:
    """1 where the condition holds, else 0. Not a cast: PostgreSQL cannot cast boolean to bigint."""
    result: ir.IntegerValue = condition.ifelse(1, 0)
    return result


def binary_patterns(frame: ir.Table, indicator: ir.BooleanValue, covariates: Sequence[str]) -> pd.DataFrame:
    """Compressed patterns for a binary outcome: covariates, sex, trials and successes."""
    keys = list(dict.fromkeys([*covariates, "sex", "intervention"]))
    t = frame.mutate(_y=as_count(indicator))
    result: pd.DataFrame = t.group_by(keys).aggregate(trials=t.count(), successes=t._y.sum()).execute()
    return result


def resource_patterns(frame: ir.Table, resource: str, covariates: Sequence[str]) -> pd.DataFrame:
    """Compressed patterns for a continuous resource: count, sum and sum of squares per pattern.

    These are sufficient statistics for least squares with categorical covariates:
    coefficients, residual sums of squares and heteroskedasticity-robust
    variances are exact from them.
    """
    keys = list(dict.fromkeys([*covariates, "sex", "intervention"]))
    t = frame.filter(frame[resource].notnull())
    y = t[resource].cast("float64")
    result: pd.DataFrame = t.group_by(keys).aggregate(n=t.count(), total=y.sum(), total_sq=(y * y).sum()).execute()
    return result


def counts_by(frame: ir.Table, by: Sequence[str]) -> pd.DataFrame:
    result: pd.DataFrame = frame.group_by(list(by)).aggregate(n=frame.count()).execute()
    return result


def distinct_participants_by(frame: ir.Table, by: Sequence[str]) -> pd.DataFrame:
    result: pd.DataFrame = frame.group_by(list(by)).aggregate(n=frame.participant_id.nunique()).execute()
    return result


def materialize(con: Any, frame: ir.Table, name: str) -> ir.Table:
    """Compute the analysis frame once as a temporary table, so that later queries scan a flat
    table instead of repeating the joins. Backends that cannot make temporary tables keep the
    expression (the results are the same, only slower)."""
    try:
        return con.create_table(name, frame, temp=True, overwrite=True)
    except Exception:  # noqa: BLE001 - any backend limitation means: keep the lazy expression
        return frame


def pattern_cube(frame: ir.Table, covariates: Sequence[str], indicators: dict[str, ir.BooleanValue],
                 outcome_base: ir.BooleanValue, outcomes: Sequence[str],
                 resources: dict[str, ir.BooleanValue]) -> pd.DataFrame:
    """Every compressed pattern the comparisons need, in one scan of the data.

    One row per combination of covariates, sex and intervention with: ``n`` enrolments (``n_ongoing``
    of them not ended), ``ind:<name>``
    enrolments with each component; ``n_exited`` exited enrolments with a known outcome and
    ``out:<name>`` those with each outcome; and per resource ``<r>:n``, ``<r>:sum``, ``<r>:sumsq``
    over the rows where the resource is known (and, for a resource's own condition, true).
    """
    keys = list(dict.fromkeys([*covariates, "sex", "intervention"]))
    metrics: dict[str, Any] = {"n": frame.count(), "n_ongoing": as_count(~frame.exited).sum()}
    for name, condition in indicators.items():
        metrics[f"ind:{name}"] = as_count(condition).sum()
    metrics["n_exited"] = as_count(outcome_base).sum()
    for outcome in outcomes:
        metrics[f"out:{outcome}"] = as_count(outcome_base & (frame.outcome == outcome)).sum()
    for resource, condition in resources.items():
        known = condition & frame[resource].notnull()
        value = frame[resource].cast("float64")
        metrics[f"{resource}:n"] = as_count(known).sum()
        metrics[f"{resource}:sum"] = known.ifelse(value, 0.0).sum()
        metrics[f"{resource}:sumsq"] = known.ifelse(value * value, 0.0).sum()
    result: pd.DataFrame = frame.group_by(keys).aggregate(**metrics).execute()
    return result


def spells(con: Any, frame: ir.Table) -> pd.DataFrame:
    """Time in the intervention for Kaplan-Meier: counts per intervention, sex, days and whether the
    enrolment has ended (``event``); an ongoing enrolment is censored at the data's date, the latest
    start or end date in the store. Aggregated in the engine (at most one row per day and group)."""
    e = con.table("enrolments")
    as_of = e.aggregate(d=ibis.greatest(e.start_date.max(), e.end_date.max())).execute()["d"].iloc[0]
    if as_of is None or pd.isna(as_of):
        return pd.DataFrame(columns=["intervention", "sex", "days", "event", "n"])
    t = frame.filter(frame.sex.isin(["women", "men"]))
    days = t.end_date.isnull().ifelse(ibis.literal(pd.Timestamp(as_of).date()).delta(t.start_date, unit="day"),
                                      t.duration_days)
    t = t.mutate(days=days, event=as_count(t.exited))
    result: pd.DataFrame = t.group_by(["intervention", "sex", "days", "event"]).aggregate(n=t.count()).execute()
    return result


#: People with several enrolments above which the pairs are summed over a sample of them (see pair_cube).
PAIR_PERSONS_LIMIT = 50_000
_BUCKETS = 1_000_000


def pair_cube(frame: ir.Table, covariates: Sequence[str], measures: dict[str, tuple[ir.Value, ir.BooleanValue]],
              *, limit: int = PAIR_PERSONS_LIMIT) -> pd.DataFrame:
    """Aggregated pairs of two different enrolments of the same person, for cluster-robust errors.

    ``measures`` maps a name to ``(value, known)``. The engine joins the women's and men's
    enrolments with the same person's other enrolments (ordered pairs) and returns one row per
    combination of both enrolments' patterns (covariates, sex, intervention; suffixes ``_a`` and
    ``_b``) with, per measure, ``<name>:n`` pairs where both values are known and the sums
    ``<name>:y_a``, ``<name>:y_b``, ``<name>:y_ab``: what :func:`jamkoll.analysis.stats._cluster_meat`
    needs. Only people with more than one enrolment contribute, and only aggregates leave the engine.

    Size: the pairs' patterns are nearly all different when there are many people with several
    enrolments (millions of rows of patterns at 10 million enrolments, more memory than a machine
    has). Above ``limit`` such people the pairs are summed over a sample of them: each person is in
    it when a hash of the pseudonymous id falls below the sampling fraction (the same people every
    run), and the sums are divided by that fraction, an unbiased estimate of the cross term of the
    cluster-robust variance (Horvitz–Thompson); its relative error is of the order of
    ``1/sqrt(limit)``, against standard errors that are tiny at such sizes anyway.
    """
    keys = list(dict.fromkeys([*covariates, "sex", "intervention"]))
    t = frame.filter(frame.sex.isin(["women", "men"]))
    per_person = t.group_by("participant_id").aggregate(enrolments=t.count())
    several = int(per_person.filter(per_person.enrolments > 1).count().execute())
    fraction = 1.0
    if several > limit:
        kept = max(1, int(_BUCKETS * limit / several))
        fraction = kept / _BUCKETS
        t = t.filter((t.participant_id.hash() % _BUCKETS).abs() < kept)
    columns: dict[str, Any] = {"pid": t.participant_id, "eid": t.enrolment_id}
    columns.update({f"k_{i}": t[k] for i, k in enumerate(keys)})
    names = list(measures)
    for j, name in enumerate(names):
        value, known = measures[name]
        columns[f"v_{j}"] = known.ifelse(value.cast("float64"), 0.0)
        columns[f"m_{j}"] = as_count(known)
    side = t.select(**columns)
    a = side.rename({f"{c}_a": c for c in columns})
    b = side.rename({f"{c}_b": c for c in columns})
    joined = a.join(b, [a.pid_a == b.pid_b, a.eid_a != b.eid_b])
    metrics: dict[str, Any] = {}
    for j, name in enumerate(names):
        both = joined[f"m_{j}_a"] * joined[f"m_{j}_b"]
        metrics[f"{name}:n"] = both.sum()
        metrics[f"{name}:y_a"] = (both * joined[f"v_{j}_a"]).sum()
        metrics[f"{name}:y_b"] = (both * joined[f"v_{j}_b"]).sum()
        metrics[f"{name}:y_ab"] = (both * joined[f"v_{j}_a"] * joined[f"v_{j}_b"]).sum()
    group = [f"k_{i}_{side_}" for side_ in ("a", "b") for i in range(len(keys))]
    result: pd.DataFrame = joined.group_by(group).aggregate(**metrics).execute()
    if fraction < 1.0:
        sums = list(metrics)
        result[sums] = result[sums].astype("float64") / fraction
    rename = {f"k_{i}_{side_}": f"{k}_{side_}" for side_ in ("a", "b") for i, k in enumerate(keys)}
    # The patterns as categories: every model's design reads them again (stats._pair_design), and a
    # category column gives its values without making a new string per row each time.
    for column in rename:
        result[column] = result[column].astype("category")
    return result.rename(columns=rename)


def persons_per_sample(frame: ir.Table, samples: dict[str, ir.BooleanValue]) -> pd.DataFrame:
    """Distinct women and men (the clusters) per intervention and overall, for each sample condition.

    One row per intervention plus a row with intervention ``None`` for all of them together; one
    column per sample.
    """
    t = frame.filter(frame.sex.isin(["women", "men"]))
    metrics = {name: t.participant_id.nunique(where=condition) for name, condition in samples.items()}
    per: pd.DataFrame = t.group_by("intervention").aggregate(**metrics).execute()
    overall: pd.DataFrame = t.aggregate(**metrics).execute().assign(intervention=None)
    return pd.concat([per, overall], ignore_index=True)
