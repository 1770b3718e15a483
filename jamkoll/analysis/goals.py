"""Measurable goals of funded applications, followed up against an intervention's imported data.

A goal names an *indicator* that can be computed from the data contract's tables, a numeric baseline
and target for women and for men, and a follow-up year. :func:`measure` computes the indicator's
actual value for women, men and other/unknown sex; :func:`goal_met` compares it with the target.

Which enrolments a year covers: the same as the yearly analysis, the report, the dashboards and the
portal (one definition per measure, :mod:`jamkoll.analysis.publication`):

* **the year's enrolments** (basis ``active``): enrolments that *started* in year *Y*
  (:func:`jamkoll.analysis.data.enrolment_frame` with ``year=Y``);
* **completed** (basis ``completed``): of those, the ones that have ended with a known outcome.

Indicators (``IndicatorSpec.kind``):

``outcome_share``       per cent of completed enrolments with a known outcome (not ``okänd``) whose
                        outcome is ``parameter`` (e.g. ``arbete``)
``component_share``     per cent of the year's enrolments offered the component ``parameter`` (e.g. ``praktik``)
``mean_hours``          mean staff hours per enrolment of the year (where hours are known)
``mean_cost``           mean direct cost (kr) per enrolment of the year (where the cost is known)
``mean_days``           mean days from enrolment to exit, completed enrolments
``participants``        number of distinct participants with an enrolment of the year, plus the
                        headcount-only ``counts`` of the year; published through the publication gate
                        (the cell key method, when the policy carries the installation key), so it is
                        the number the analysis tables show for the same people
``participant_share``   each sex's per cent of those participants (of the published counts, as the
                        analysis tables' share of women)
``target_group_reach``  published participants per 100 of the same sex in the intervention's target
                        group (``reference_population`` rows whose ``group`` is the intervention's
                        ``target_group``, for *Y* or the latest earlier year)

Disclosure control (:mod:`jamkoll.analysis.disclosure`, threshold default 5): a value of one sex is
withheld (``None``, ``withheld`` true) when it rests on fewer people than the threshold: for means,
when the denominator is below the threshold; for shares, when the people who had the component or
outcome, or those who did not, are fewer than the threshold (zero included: a share and its
denominator give back the numerator); for counts (``participants``,
``participant_share``, ``target_group_reach``) when that sex's count lies between 1 and the threshold
minus one. The counts behind each value are returned for the caller's own checks and must not be
published unchecked.

With the installation key (the publication gate, ``policy.secret``) every count is the gate's published
count and is never withheld (it is 0 or at least the threshold), shares are computed from published
counts, and a mean or share is withheld unless the published counts of the cells behind it prove at
least the threshold people in each (:func:`jamkoll.analysis.publication.evidenced`): decided on
published values, "withheld" then tells nothing that the analysis tables do not (decided on the true
counts, a withheld value beside a table's 5 said "1 to 4").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from jamkoll.analysis import data as d
from jamkoll.analysis.disclosure import DisclosurePolicy
from jamkoll.analysis.publication import (
    Gate,
    count_publishable,
    derived_allowed,
    evidenced,
    key_cells,
    rounded,
)

SEXES = ("women", "men", "other")  # "other" holds other and unknown sex: kept, never dropped


@dataclass(frozen=True)
class Indicator:
    """An indicator in codes: its kind, unit, what its parameter names and which enrolments it counts (the
    words are in ``jamkoll.reports.goals``)."""

    kind: str
    unit: str  # "percent", "count", "sek", "hours", "days"
    parameter: str = ""  # what the parameter names: "outcome", "component" or "" (none)
    basis: str = "active"  # "active" or "completed" enrolments


INDICATORS: dict[str, Indicator] = {i.kind: i for i in (
    Indicator("outcome_share", "percent", "outcome", "completed"),
    Indicator("component_share", "percent", "component"),
    Indicator("mean_hours", "hours"),
    Indicator("mean_cost", "sek"),
    Indicator("mean_days", "days", basis="completed"),
    Indicator("participants", "count"),
    Indicator("participant_share", "percent"),
    Indicator("target_group_reach", "percent"),
)}
#: The units an indicator is measured in.
UNITS: tuple[str, ...] = ("percent", "count", "sek", "hours", "days")


@dataclass(frozen=True)
class IndicatorSpec:
    """What to measure: an indicator kind and, for outcomes and components, which one."""

    kind: str
    parameter: str = ""

    def __post_init__(self) -> None:
        indicator = INDICATORS.get(self.kind)
        if indicator is None:
            raise ValueError(f"unknown indicator {self.kind!r}; choose from {', '.join(INDICATORS)}")
        if indicator.parameter and not self.parameter:
            raise ValueError(f"indicator {self.kind!r} needs a parameter ({indicator.parameter})")

    @property
    def indicator(self) -> Indicator:
        return INDICATORS[self.kind]

    @property
    def unit(self) -> str:
        return self.indicator.unit


@dataclass
class GoalActual:
    """The measured value of one indicator for one intervention and year, by sex.

    ``values`` maps ``women``/``men``/``other`` to the value (None when withheld or not measurable);
    ``counts`` to the number of people (or enrolments) the value rests on; ``withheld`` names the
    sexes whose value disclosure control withheld.
    """

    spec: IndicatorSpec
    intervention: str
    year: int
    values: dict[str, float | None]
    counts: dict[str, int]
    withheld: list[str] = field(default_factory=list)
    threshold: int = 5

    @property
    def women(self) -> float | None:
        return self.values.get("women")

    @property
    def men(self) -> float | None:
        return self.values.get("men")

    @property
    def other(self) -> float | None:
        return self.values.get("other")

    def to_frame(self) -> pd.DataFrame:
        """One row per sex: value, count, withheld."""
        return pd.DataFrame({
            "value": [self.values.get(s) for s in SEXES],
            "n": [self.counts.get(s, 0) for s in SEXES],
            "withheld": [s in self.withheld for s in SEXES],
        }, index=pd.Index(SEXES, name="sex"))

    def to_dict(self) -> dict[str, Any]:
        return {"spec": asdict(self.spec), "intervention": self.intervention, "year": self.year,
                "values": dict(self.values), "withheld": list(self.withheld), "threshold": self.threshold}


def goal_met(baseline: float | None, target: float | None, actual: float | None) -> bool | None:
    """Whether ``actual`` reached ``target``: the goal's direction is from baseline to target (a target
    above the baseline is met at or above it, one below at or below it, an unchanged one within 0.5 %).
    None when any value is missing."""
    if baseline is None or target is None or actual is None:
        return None
    if target > baseline:
        return actual >= target
    if target < baseline:
        return actual <= target
    return abs(actual - target) <= 0.005 * max(abs(target), 1.0)


def _sex_key(sex: Any) -> str:
    return str(sex) if sex in ("women", "men") else "other"


def year_enrolments(con: Any, intervention: str | None, year: int) -> Any:
    """The year's enrolments: those that started in ``year``, as the yearly analysis counts them."""
    return d.enrolment_frame(con, year=year, interventions=[intervention] if intervention else None)


def completed_enrolments(con: Any, intervention: str | None, year: int) -> Any:
    """The year's enrolments that have ended with a known outcome (the analysis' outcome base)."""
    t = year_enrolments(con, intervention, year)
    return t.filter(t.exited & t.outcome.notnull() & (t.outcome != "okänd"))


def _by_sex(frame: pd.DataFrame, value: str, n: str) -> tuple[dict[str, float], dict[str, int]]:
    sums: dict[str, float] = {s: 0.0 for s in SEXES}
    counts: dict[str, int] = {s: 0 for s in SEXES}
    for row in frame.itertuples(index=False):
        key = _sex_key(row.sex)
        sums[key] += float(getattr(row, value) or 0)
        counts[key] += int(getattr(row, n) or 0)
    return sums, counts


def _headcounts(con: Any, intervention: str | None, year: int) -> pd.DataFrame:
    c = con.table("counts")
    c = c.filter(c.year == year)
    if intervention:
        c = c.filter(c.intervention_id == intervention)
    frame: pd.DataFrame = c.execute()
    return frame.rename(columns={"intervention_id": "intervention", "participants": "n"})


def participants_by_sex(con: Any, intervention: str | None, year: int) -> dict[str, int]:
    """Distinct participants with an enrolment of ``year`` plus the year's headcount-only counts."""
    t = year_enrolments(con, intervention, year)
    people = t.group_by("sex").aggregate(n=t.participant_id.nunique()).execute()
    _, counts = _by_sex(people.assign(v=0.0), "v", "n")
    for row in _headcounts(con, intervention, year).itertuples(index=False):
        counts[_sex_key(row.sex)] += int(row.n or 0)
    return counts


def published_participants(con: Any, intervention: str, year: int, gate: Gate) -> dict[str, int]:
    """The gate's published counts of the same people as :func:`participants_by_sex` (the values the
    analysis tables show for the intervention and year)."""
    t = year_enrolments(con, intervention, year)
    people = key_cells(gate.keyed(t), ["sex"], people=True)
    heads = gate.headcount_cells(_headcounts(con, intervention, year), [])
    published = gate.counts_by_group(pd.concat([people, heads], ignore_index=True) if len(heads) else people)
    return {s: int(published.get(group, 0)) for s, group in GOAL_GROUPS}


def target_group(con: Any, intervention: str, year: int) -> tuple[int, int] | None:
    """Women and men in the intervention's target group for ``year`` (else the latest earlier year)."""
    iv = con.table("interventions")
    groups = iv.filter(iv.intervention_id == intervention).select("target_group").execute()["target_group"]
    groups = [g for g in groups if isinstance(g, str) and g]
    if not groups:
        return None
    ref = con.table("reference_population")
    ref = ref.filter((ref["group"] == groups[0]) & (ref.year <= year))
    rows = ref.group_by("year").aggregate(women=ref.women.sum(), men=ref.men.sum()).execute()
    if rows.empty:
        return None
    latest = rows.sort_values("year").iloc[-1]
    women, men = int(latest["women"] or 0), int(latest["men"] or 0)
    return (women, men) if women + men > 0 else None


#: Each of :data:`SEXES` with the publication gate's group of the same people.
GOAL_GROUPS = (("women", "women"), ("men", "men"), ("other", "other_unknown"))


def _shares(t: Any, flag: Any, hits: dict[str, float], counts: dict[str, int],
            policy: DisclosurePolicy | None) -> tuple[dict[str, float | None], dict[str, list[int]]]:
    """Per cent of enrolments with ``flag``, by sex, and (with the installation key) the published counts
    of the cells it rests on per sex: those with the flag and those without. With the key (the
    publication gate) the share is computed from the *published* counts of the same enrolments, as the
    analysis publishes its rates; without it, from the true counts."""
    if policy is None or not policy.secret:
        return {s: (100.0 * hits[s] / counts[s] if counts[s] else None) for s in SEXES}, {}
    gate = Gate(policy)
    keyed = gate.keyed(t.mutate(_hit=flag))
    hit = keyed["_hit"].fill_null(False)
    whole = gate.counts_by_group(key_cells(keyed, ["sex"]))
    part = gate.counts_by_group(key_cells(keyed.filter(hit), ["sex"]))
    rest = gate.counts_by_group(key_cells(keyed.filter(~hit), ["sex"]))
    out: dict[str, float | None] = {}
    cells: dict[str, list[int]] = {}
    for s, group in GOAL_GROUPS:
        n = int(whole.get(group, 0))
        out[s] = 100.0 * min(int(part.get(group, 0)), n) / n if n else None
        cells[s] = [int(part.get(group, 0)), int(rest.get(group, 0))]
    return out, cells


def measure(con: Any, intervention: str, year: int, spec: IndicatorSpec,
            policy: DisclosurePolicy | None = None) -> GoalActual:
    """The indicator's value for women, men and other/unknown sex in ``intervention`` and ``year``.

    ``con`` is an Ibis connection to an analysis store (``Store(path).ibis()``). See the module
    docstring for each indicator's definition and the disclosure rule.
    """
    threshold = (policy or DisclosurePolicy()).threshold
    kind = spec.kind
    values: dict[str, float | None] = {s: None for s in SEXES}
    counts: dict[str, int] = {s: 0 for s in SEXES}
    count_like = kind in _COUNT_KINDS
    hits: dict[str, float] = {s: 0.0 for s in SEXES}
    gated = policy is not None and bool(policy.secret)
    published: dict[str, list[int]] = {}  # with the gate: the published counts behind each sex's value

    if kind in _COUNT_KINDS:
        counts = participants_by_sex(con, intervention, year)
        # With the installation key every count is the gate's published count of the same people (the
        # intervention's row of the analysis tables), and shares are computed from those: a share of the
        # true counts would give back the true counts the tables perturb (and 100 % minus the women's and
        # the men's share the withheld other/unknown sex).
        shown: dict[str, int] = dict(counts)
        if gated:
            shown = published_participants(con, intervention, year, Gate(policy))  # type: ignore[arg-type]
        total = sum(shown.values())
        if kind == "participants":
            values = {s: float(shown[s]) for s in SEXES}
        elif kind == "participant_share":
            values = {s: (100.0 * shown[s] / total if total else None) for s in SEXES}
        else:
            ref = target_group(con, intervention, year)
            if ref is not None:
                values["women"] = 100.0 * shown["women"] / ref[0] if ref[0] else None
                values["men"] = 100.0 * shown["men"] / ref[1] if ref[1] else None
    elif kind == "component_share":
        t = year_enrolments(con, intervention, year)
        comp = con.table("components")
        offered = comp.filter(comp.component == spec.parameter).select("enrolment_id").distinct()
        t = t.mutate(_offered=t.enrolment_id.isin(offered.enrolment_id))
        rows = t.group_by("sex").aggregate(n=t.count(), k=d.as_count(t._offered).sum()).execute()
        hits, counts = _by_sex(rows, "k", "n")
        values, published = _shares(t, t._offered, hits, counts, policy)
    elif kind == "outcome_share":
        t = completed_enrolments(con, intervention, year)
        t = t.filter(t.outcome.notnull() & (t.outcome != "okänd"))
        rows = t.group_by("sex").aggregate(n=t.count(), k=d.as_count(t.outcome == spec.parameter).sum()).execute()
        hits, counts = _by_sex(rows, "k", "n")
        values, published = _shares(t, t.outcome == spec.parameter, hits, counts, policy)
    else:
        column = {"mean_hours": "hours", "mean_cost": "cost_sek", "mean_days": "duration_days"}[kind]
        t = completed_enrolments(con, intervention, year) if kind == "mean_days" else year_enrolments(
            con, intervention, year)
        t = t.filter(t[column].notnull())
        rows = t.group_by("sex").aggregate(n=t.count(), total=t[column].cast("float64").sum()).execute()
        sums, counts = _by_sex(rows, "total", "n")
        values = {s: (sums[s] / counts[s] if counts[s] else None) for s in SEXES}
        if gated:
            gate = Gate(policy)  # type: ignore[arg-type]
            behind = gate.counts_by_group(key_cells(gate.keyed(t), ["sex"]))
            published = {s: [int(behind.get(group, 0))] for s, group in GOAL_GROUPS}

    withheld = []
    for s in SEXES:
        n = counts[s]
        if gated:
            # Decided on the published counts of the cells behind the value (publication.evidenced), so
            # that "withheld" says nothing the analysis tables do not: a count published by the gate is
            # never withheld; a mean or share is, unless the published counts prove five people in each cell
            # (zero included: a withheld value then says "maybe 0 to 4", whatever the truth).
            small = kind not in _COUNT_KINDS and not evidenced(published.get(s, []), policy)  # type: ignore[arg-type]
            if small:
                values[s] = None
                withheld.append(s)
            continue
        # Without the gate (the threshold rule, whose tables hide 1 to 4 and show 0): a count by the
        # count rule; a mean: a statistic of the n people behind it.
        small = not count_publishable(n, threshold) if count_like else not derived_allowed([n], threshold)
        if kind in ("component_share", "outcome_share") and n:
            # A share gives back its numerator when the denominator is known: both the people who
            # had it and those who did not must be safe counts, zero included (publication gate).
            small = not derived_allowed([int(hits[s]), n - int(hits[s])], threshold)
        if small and (values[s] is not None or n > 0):
            values[s] = None
            withheld.append(s)
    # Printed precision, as every published figure (a mean at full precision times its published count
    # would give back the true count): per cent and means of hours or days one decimal, kronor and counts
    # whole numbers.
    decimals = _DECIMALS[spec.indicator.unit]
    values = {s: rounded(v, decimals) for s, v in values.items()}
    return GoalActual(spec, intervention, year, values, counts, withheld, threshold)


_DECIMALS = {"percent": 1, "hours": 1, "days": 1, "sek": 0, "count": 0}
#: Indicators whose values are the gate's published counts of people (or shares of them).
_COUNT_KINDS = ("participants", "participant_share", "target_group_reach")
