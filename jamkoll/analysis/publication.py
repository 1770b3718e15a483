"""The publication gate: every count and every figure derived from counts leaves Jämkoll here.

Method (chosen after ``../shared/research/disclosure-practice.md``; the method appendix of the
report says the same in plain Swedish):

1. **Sex groups.** Women and men are published separately; people of other sex and of unknown sex
   are published together as one group (``other_unknown``). They are usually very few, and two
   separate tiny columns were the source of most of the secondary suppression (and of most of what
   an attacker could recover).
2. **Counts: the cell key method** (ABS; SCB for population statistics from reference year 2025),
   :func:`jamkoll.analysis.disclosure.cell_key_counts`. Every record (person or enrolment) has a
   fixed secret key derived from its pseudonymous id with the installation key; a cell's key is the
   sum of its records' keys, and its published value is the true value plus noise looked up with
   that key. The same set of people therefore gets the *same* published value in every table,
   format, report, year, page, portal and API answer -- differencing two outputs reveals nothing new
   -- and no published count lies between 1 and 4 (true 1–4 become 5 or 6, never 0; larger counts move
   by at most ``max_noise``). Zeros stay zeros.
3. **Derived figures only from published counts**: a share of women is computed from the published
   counts of women and men (:func:`share`), never from the true ones.
4. **Statistics from the true data** (rates, differences, risk ratios, intervals and p-values of the
   comparisons, which must be computed from the data to be right) are published only when every
   cell behind them -- successes and failures of women and of men -- holds at least ``threshold``
   people, zero included (:func:`derived_allowed`); otherwise all of them are withheld together, so
   a withheld rate can never be recomputed from a difference and a risk ratio, and the withholding
   itself only says "0 to 4", which contains 0. Published statistics carry their printed precision
   (:data:`DECIMALS`), never full-precision floats.
5. Group sizes printed with a comparison are the published (perturbed) counts of the same people,
   so a board member sees one number for one thing.

The gate never prints: words belong to :mod:`jamkoll.reports`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from jamkoll.analysis.disclosure import DisclosurePolicy, _lookup, record_keys
from jamkoll.analysis.results import Effect, Finding

#: Published sex groups, in order. ``other_unknown`` holds people of other and of unknown sex.
SEX_GROUPS: tuple[str, ...] = ("women", "men", "other_unknown")
#: Sex codes of the store mapped to the published groups.
SEX_GROUP_OF: dict[str, str] = {"women": "women", "men": "men", "other": "other_unknown",
                                "unknown": "other_unknown"}

#: Printed precision of published statistics by unit (decimals).
DECIMALS: dict[str, int] = {"pp": 1, "percent": 1, "ratio": 2, "sek": 0, "hours": 1, "days": 0,
                            "relative": 3}


def sex_group(sex: Any) -> str:
    """The published group of a stored sex code (anything not woman or man: ``other_unknown``)."""
    return SEX_GROUP_OF.get(str(sex), "other_unknown")


def rounded(value: float | None, decimals: int) -> float | None:
    """``value`` at its printed precision (None for missing or non-finite values)."""
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return round(number, decimals)


def percent(value: float | None) -> float | None:
    """A proportion (0 to 1) in per cent, or a difference of proportions in percentage points; None
    when missing or not finite. The one such helper of the engine and the gate."""
    if value is None:
        return None
    number = float(value)
    return 100.0 * number if math.isfinite(number) else None


def share(part: int | None, whole: int | None, decimals: int = DECIMALS["percent"]) -> float | None:
    """A share in percent from *published* counts (None when either is missing or the whole is 0)."""
    if part is None or whole is None or whole <= 0:
        return None
    return rounded(100.0 * part / whole, decimals)


def count_publishable(value: float | None, threshold: int) -> bool:
    """Whether a count of people may be published as it is: 0 or at least ``threshold`` (a missing
    value publishes nothing). The one rule for every count that does not go through the cell key
    method: budget lines by sex, event attendance, the report's defence in depth."""
    if value is None:
        return True
    number = float(value)
    return not math.isfinite(number) or not 0 < number < threshold


def derived_allowed(cells: Iterable[int | None], threshold: int) -> bool:
    """Whether statistics computed from these true counts may be published.

    Every cell must hold at least ``threshold`` people; a zero counts as small too, so that
    "withheld" only ever says "0 to threshold − 1" (a range that contains 0, never pinned to 1–4).
    """
    values = list(cells)
    return bool(values) and all(c is not None and c >= threshold for c in values)


def evidenced(published: Iterable[int | None], policy: DisclosurePolicy) -> bool:
    """Whether statistics may be published beside these *published* (cell key) counts.

    Each published count must prove that its cell holds at least ``threshold`` people: the smallest
    true value the perturbation table publishes as it (:func:`jamkoll.analysis.pinning.published_band`)
    is at least the threshold, so a published 0, ``threshold`` or ``threshold + 1`` (a true 0 to 4, or
    5 to 10) withholds them. Decided on published values only: a withheld statistic tells nothing the
    counts beside it do not. (Decided on the true counts, "withheld" next to a cell published as 5 and
    a large one said that the first held 1 to 4 people.)"""
    from jamkoll.analysis.pinning import published_band

    values = list(published)
    return bool(values) and all(v is not None and published_band(int(v), policy)[0] >= policy.threshold
                                for v in values)


@dataclass(frozen=True)
class Gate:
    """Publishes counts with the cell key method of ``policy`` (which carries the installation key)."""

    policy: DisclosurePolicy

    def __post_init__(self) -> None:
        if not self.policy.secret:
            raise ValueError("the publication gate needs the installation key (DisclosurePolicy.secret)")

    @property
    def threshold(self) -> int:
        return self.policy.threshold

    def publishable(self, n: float | None) -> bool:
        """Whether the count ``n`` may be published as it is (:func:`count_publishable`)."""
        return count_publishable(n, self.threshold)

    def keys(self, record_ids: pd.Series) -> pd.Series:
        """Each record's fixed key (see :func:`jamkoll.analysis.disclosure.record_keys`)."""
        assert self.policy.secret is not None
        return record_keys(record_ids.astype(str), self.policy.secret, key_range=self.policy.key_range)

    def perturb(self, n: int, key_sum: int) -> int:
        """The published value of a cell of ``n`` records whose keys add up to ``key_sum``."""
        lookup = _lookup(self.policy)
        capped = min(int(n), lookup.shape[0] - 1)
        return int(n + lookup[capped, int(key_sum) % self.policy.key_range])

    def count(self, record_ids: pd.Series) -> int:
        """The published count of a set of records (one id per record; repeated ids are records too)."""
        if len(record_ids) == 0:
            return 0
        return self.perturb(len(record_ids), int(self.keys(record_ids).sum()))

    def counts_by(self, records: pd.DataFrame, by: Sequence[str], id_column: str = "record_id") -> pd.Series:
        """Published counts of ``records`` grouped by ``by`` (a Series indexed like the groups)."""
        if records.empty:
            return pd.Series(dtype="int64")
        keyed = records.assign(n=1, key_sum=self.keys(records[id_column]).to_numpy())
        return self.counts_of_cells(keyed, by)

    def counts_of_cells(self, cells: pd.DataFrame, by: Sequence[str]) -> pd.Series:
        """Published counts of aggregated ``cells`` (columns ``n``: records, ``key_sum``: the sum of
        their keys, as :func:`key_cells` gives them) grouped by ``by``; groups of no record are left out."""
        if cells.empty:
            return pd.Series(dtype="int64")
        grouped = cells.groupby(list(by), observed=True, sort=True)[["n", "key_sum"]].sum()
        grouped = grouped[grouped["n"] > 0]
        return pd.Series([self.perturb(int(n), int(k)) for n, k in zip(grouped["n"], grouped["key_sum"],
                                                                        strict=True)],
                         index=grouped.index, dtype="int64")

    def counts_by_group(self, cells: pd.DataFrame) -> pd.Series:
        """Published counts of aggregated ``cells`` (with ``sex``, ``n``, ``key_sum``) per sex group
        (:func:`sex_group`: women, men, other_unknown)."""
        return self.counts_of_cells(cells.assign(group=cells["sex"].map(sex_group)), ["group"])

    def headcount_cells(self, counts: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
        """Headcount-only ``counts`` (intervention, year, sex, n) as keyed cells by ``by`` and sex: their
        :func:`headcount_records` keyed and summed (``n``, ``key_sum``), like :func:`key_cells` gives."""
        records = headcount_records(counts)
        if records.empty:
            return pd.DataFrame(columns=[*by, "sex", "n", "key_sum"])
        records = records.assign(key_sum=self.keys(records["record_id"]).to_numpy())
        return records.groupby([*by, "sex"], as_index=False)[["n", "key_sum"]].sum()

    def key_table(self, ids: pd.Series) -> pd.DataFrame:
        """``participant_id`` and ``record_key`` of each distinct id in ``ids`` (one keyed hash per person)."""
        unique = pd.Series(pd.unique(ids.dropna()), name="participant_id")
        return pd.DataFrame({"participant_id": unique, "record_key": self.keys(unique).to_numpy()})

    def keyed(self, table: Any, keys: pd.DataFrame | None = None) -> Any:
        """The Ibis ``table`` (with ``participant_id``) with each record's key as ``record_key``.

        ``keys``: a :meth:`key_table` covering the table's people, when the caller keys many tables of the
        same people (the analysis keys everyone once); else the table's own people are keyed. The keys
        join the table in the database, so the records are counted there (:func:`key_cells`), never
        fetched one by one."""
        import ibis

        if keys is None:
            keys = self.key_table(table.select("participant_id").distinct().execute()["participant_id"])
        schema = {"participant_id": table.participant_id.type(), "record_key": "int64"}
        return table.join(ibis.memtable(keys, schema=schema), "participant_id")


def key_cells(table: Any, by: Sequence[str], *, people: bool = False) -> pd.DataFrame:
    """Records of a keyed Ibis ``table`` (:meth:`Gate.keyed`) counted in the database by ``by``: one row per
    group with ``n`` (records) and ``key_sum`` (the sum of their keys), what the cell key method needs.

    ``people``: count each person once per group (distinct ``participant_id``), not each row."""
    if people:
        table = table.select(*by, "participant_id", "record_key").distinct()
    if not by:
        row = table.aggregate(n=table.count(), key_sum=table.record_key.sum()).execute()
        return row.fillna({"key_sum": 0}).astype({"n": "int64", "key_sum": "int64"})
    cells: pd.DataFrame = table.group_by(list(by)).aggregate(n=table.count(),
                                                             key_sum=table.record_key.sum()).execute()
    return cells.astype({"n": "int64", "key_sum": "int64"})


def significant(value: float | None, digits: int = 2) -> float | None:
    """A p- or q-value at two significant digits (what the report prints)."""
    if value is None or not math.isfinite(float(value)):
        return None
    return float(f"{float(value):.{digits}g}")


def headcount_records(counts: pd.DataFrame) -> pd.DataFrame:
    """One record per person of headcount-only ``counts`` (columns intervention, year, sex, n), with an
    id that names its cell (``intervention:year:sex:i``), so the same headcounts get the same cell
    keys, and so the same published values, wherever they are counted."""
    if counts.empty:
        return counts.assign(n=pd.Series(dtype="int64"), record_id=pd.Series(dtype=object))
    rows = counts.loc[counts.index.repeat(counts["n"].fillna(0).astype(int))].copy()
    rows["record_id"] = (rows["intervention"].astype(str) + ":" + rows["year"].astype(str) + ":"
                         + rows["sex"].astype(str) + ":"
                         + rows.groupby(["intervention", "year", "sex"]).cumcount().astype(str))
    return rows.assign(n=1)


def _rounded_effect(effect: Effect | None) -> Effect | None:
    if effect is None:
        return None
    decimals = DECIMALS.get(effect.unit, 2)
    return replace(effect, estimate=rounded(effect.estimate, decimals), ci_low=rounded(effect.ci_low, decimals),
                   ci_high=rounded(effect.ci_high, decimals), p_value=significant(effect.p_value))


def _withheld(effect: Effect | None) -> Effect | None:
    if effect is None:
        return None
    return replace(effect, estimate=None, ci_low=None, ci_high=None, p_value=None)


@dataclass(frozen=True)
class FindingCells:
    """The true counts behind one comparison: group sizes and, for rates, the successes."""

    n_women: int
    n_men: int
    n_other: int
    successes_women: int | None = None
    successes_men: int | None = None

    def cells(self) -> list[int]:
        if self.successes_women is None or self.successes_men is None:
            return [self.n_women, self.n_men]
        return [self.successes_women, self.n_women - self.successes_women,
                self.successes_men, self.n_men - self.successes_men]


def _published_rates(finding: Finding, sizes: Mapping[str, int], hits: Mapping[str, int] | None
                     ) -> tuple[float | None, float | None, Effect, Effect | None]:
    """Rates, raw difference (with its Newcombe interval) and risk ratio computed from published counts.

    A binary comparison (component, outcome) uses the published successes and group sizes; the
    participation comparison the published women and men against the (public) target group. Figures
    computed from published counts tell nothing the counts do not: e.g. exact rates of every outcome
    but one would otherwise give back the last one. Methods: Newcombe (1998) hybrid score interval for
    the difference, Katz log interval for the ratio, Clopper–Pearson for the share of women
    (:mod:`jamkoll.analysis.stats`)."""
    from jamkoll.analysis.stats import compare_proportions, representation

    w, m = sizes.get("women"), sizes.get("men")
    if finding.dimension == "participation":
        if not w or not m or finding.reference_value is None:
            return None, None, finding.raw, finding.risk_ratio
        ref = finding.reference_value / 100
        shares = representation(int(w), int(m), ref, 1 - ref)
        raw = replace(finding.raw, estimate=percent(shares.difference), ci_low=percent(shares.diff_low),
                      ci_high=percent(shares.diff_high), p_value=shares.p_value)
        share_w = percent(shares.share_women)
        return share_w, (None if share_w is None else 100 - share_w), raw, finding.risk_ratio
    if hits is None or not w or not m:
        return finding.women_value, finding.men_value, finding.raw, finding.risk_ratio
    a, b = int(hits.get("women", 0)), int(hits.get("men", 0))
    a, b = min(a, int(w)), min(b, int(m))
    result = compare_proportions(a, int(w), b, int(m))
    raw = replace(finding.raw, estimate=percent(result.difference), ci_low=percent(result.diff_low),
                  ci_high=percent(result.diff_high), p_value=result.p_value)
    ratio = (replace(finding.risk_ratio, estimate=result.risk_ratio, ci_low=result.rr_low, ci_high=result.rr_high,
                     p_value=result.p_value) if finding.risk_ratio is not None else None)
    return 100 * a / int(w), 100 * b / int(m), raw, ratio


def publish_finding(finding: Finding, cells: FindingCells, published_sizes: Mapping[str, int] | None,
                    threshold: int, published_hits: Mapping[str, int] | None = None,
                    published_cells: Sequence[int | None] | None = None,
                    policy: DisclosurePolicy | None = None) -> Finding:
    """The published version of ``finding``.

    Group sizes become the published counts of the same people (``published_sizes``: women, men,
    other_unknown), or are withheld (None) when the gate could not count them. Rates, the raw
    difference with its interval and the risk ratio are computed from published counts
    (``published_hits``: the published successes); the adjusted estimate and the q-values come from the
    data (the status rests on them). All of them are withheld together when the counts behind them may
    be small; otherwise they are rounded to their printed precision. Codes, statuses and covariates
    pass unchanged.

    "May be small": under the cell key method (``published_cells``, the published counts of the cells
    behind the statistics, with the ``policy``) when a published count does not prove its cell holds at
    least the threshold (:func:`evidenced`); otherwise when a true count (``cells``) is under it
    (:func:`derived_allowed`, the threshold rule, whose tables hide those counts too).
    """
    sizes = dict(published_sizes or {})
    if published_cells is not None and policy is not None:
        allowed = evidenced(published_cells, policy)
    else:
        allowed = derived_allowed(cells.cells(), threshold)
    if allowed and sizes and finding.dimension in ("participation", "component", "outcome"):
        women_rate, men_rate, raw_published, rr_published = _published_rates(finding, sizes, published_hits)
        finding = replace(finding, women_value=women_rate, men_value=men_rate, raw=raw_published,
                          risk_ratio=rr_published)
    if allowed:
        women_value, men_value = rounded(finding.women_value, 1), rounded(finding.men_value, 1)
        raw = _rounded_effect(finding.raw) or finding.raw
        adjusted, risk_ratio = _rounded_effect(finding.adjusted), _rounded_effect(finding.risk_ratio)
        q_raw, q_adjusted = significant(finding.q_raw), significant(finding.q_adjusted)
    else:
        women_value = men_value = None
        raw = replace(finding.raw, estimate=None, ci_low=None, ci_high=None, p_value=None)
        adjusted, risk_ratio = _withheld(finding.adjusted), _withheld(finding.risk_ratio)
        q_raw = q_adjusted = None
    notes = tuple(finding.notes) + (() if allowed else ("withheld_small_cells",))
    extra: dict[str, Any] = {}
    if hasattr(finding, "relative_adjusted"):
        extra["relative_adjusted"] = rounded(finding.relative_adjusted, DECIMALS["relative"]) if allowed else None
    for key in ("km_median_women", "km_median_men"):
        if hasattr(finding, key):  # medians of the same people: withheld with the rest
            extra[key] = rounded(getattr(finding, key), 0) if allowed else None
    # The materiality margin of a resource is a share of the men's mean: data, printed like the mean (and
    # withheld with it); of a rate it is a setting in percentage points.
    margin = finding.margin
    if finding.dimension == "resource":
        margin = rounded(margin, 1) if allowed else None
    return replace(
        finding, **extra, margin=margin, n_women=sizes.get("women"), n_men=sizes.get("men"),
        n_other=sizes.get("other_unknown"),
        women_value=women_value, men_value=men_value, reference_value=rounded(finding.reference_value, 1),
        raw=raw, adjusted=adjusted, risk_ratio=risk_ratio, q_raw=q_raw, q_adjusted=q_adjusted, notes=notes,
    )


def published_frame(frame: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """A published table's floats at their printed precision (integers and text unchanged)."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_float_dtype(series.dtype):
            out[column] = series.round(decimals)
        elif series.dtype == object:
            out[column] = series.map(lambda v: round(v, decimals) if isinstance(v, float | np.floating) else v)
    return out


#: The association's headline measures and the one published table cell that defines each: the
#: report, the dashboards and the portal all take them from here (one definition per measure).
#: ``started``: people whose enrolment started in the year (each intervention counts its own people);
#: ``exits_work`` / ``exits_studies``: enrolments started in the year that have ended, by outcome.
HEADLINE_MEASURES: dict[str, tuple[str, str]] = {
    "started": ("participants_by_intervention", "total"),
    "exits_work": ("outcomes_by_sex", "arbete"),
    "exits_studies": ("outcomes_by_sex", "studier"),
}
_GROUP_COLUMNS = {"women": "women", "men": "men", "other_unknown": "other_unknown", "total": "total"}


def headline_figures(tables: Mapping[str, Any]) -> pd.DataFrame:
    """The headline measures of an analysis (its ``tables``) as published: rows are the measures of
    :data:`HEADLINE_MEASURES`, columns ``women``, ``men``, ``other_unknown`` and ``total``; a value
    is missing where the table withholds it or has no such row (an outcome nobody reached is 0)."""
    rows: dict[str, dict[str, int | None]] = {}
    for measure, (key, row) in HEADLINE_MEASURES.items():
        table = tables.get(key)
        frame = table.frame if table is not None else pd.DataFrame()
        values: dict[str, int | None] = {}
        for group, column in _GROUP_COLUMNS.items():
            if row in frame.index and column in frame.columns:
                value = frame.at[row, column]
                values[group] = None if pd.isna(value) else int(value)
            else:
                values[group] = 0 if not frame.empty and row not in frame.index else None
        rows[measure] = values
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(_GROUP_COLUMNS)).astype("Int64")


#: The decomposition's reference coefficients that are published (the pooled model; Neumark 1988).
DECOMPOSITION_REFERENCE = "pooled"


def _base_variable(term: str) -> str:
    return term.split("[", 1)[0]


def _published_part(part: Mapping[str, Any], decimals: int) -> dict[str, Any]:
    by_variable: dict[str, float] = {}
    for term, value in (part.get("by_variable") or {}).items():
        if term == "(Intercept)" or value is None:
            continue
        by_variable[_base_variable(term)] = by_variable.get(_base_variable(term), 0.0) + float(value)
    return {"name": part.get("name"), "estimate": rounded(part.get("estimate"), decimals),
            "se": rounded(part.get("se"), decimals + 1),
            "by_variable": {k: rounded(v, decimals) for k, v in by_variable.items()}}


def publish_decomposition(result: Mapping[str, Any], sizes: Mapping[str, int] | None,
                          decimals: int = 1) -> dict[str, Any]:
    """The published summary of a Blinder–Oaxaca decomposition.

    A full decomposition carries each group's covariate means and coefficients, and the detailed parts
    under several references: together they give back each group's covariate means, hence the exact
    number of women or men in every covariate level (e.g. the one woman aged 65+). Published are only
    the gap, the group means and the explained and unexplained parts of the pooled reference, with the
    explained part summed per covariate (never per level), at printed precision; the group sizes are
    the gate's published counts of the same people (``sizes``)."""
    twofold = result.get("twofold") or {}
    reference = DECOMPOSITION_REFERENCE if isinstance(twofold.get(DECOMPOSITION_REFERENCE), Mapping) else next(
        (k for k, v in twofold.items() if isinstance(v, Mapping)), None)
    published_twofold: dict[str, Any] = {}
    if reference is not None:
        part = twofold[reference]
        published_twofold[reference] = {"reference": reference,
                                        "explained": _published_part(part.get("explained") or {}, decimals),
                                        "unexplained": _published_part(part.get("unexplained") or {}, decimals)}
        published_twofold[reference]["unexplained"]["by_variable"] = {}
    sizes = dict(sizes or {})
    return {
        "resource": result.get("resource"), "intervention": result.get("intervention"),
        "adjusted_for": list(result.get("adjusted_for") or []), "merged_levels": result.get("merged_levels") or {},
        "outcome": result.get("outcome"), "group": result.get("group"), "group_a": result.get("group_a"),
        "group_b": result.get("group_b"), "weighted": result.get("weighted"),
        "n_a": sizes.get(str(result.get("group_a"))), "n_b": sizes.get(str(result.get("group_b"))),
        "mean_a": rounded(result.get("mean_a"), decimals), "mean_b": rounded(result.get("mean_b"), decimals),
        "gap": rounded(result.get("gap"), decimals), "se_gap": rounded(result.get("se_gap"), decimals + 1),
        "twofold": published_twofold, "bootstrap": result.get("bootstrap"),
        "bootstrap_used": result.get("bootstrap_used"), "seed": result.get("seed"),
    }


def zero_consistent(values: pd.DataFrame, row_total: Any, total_row: Any,
                    zero_columns: Iterable[Any] = ()) -> pd.DataFrame:
    """Published zeros that hold for everything inside them.

    Under the cell key method a published 0 means "0 to threshold − 1", and a published positive
    count means "at least 1": a part published positive inside a total published 0 would pin the total
    into 1–4 (for example men with a disability shown as 5 while the intervention's men show 0). So
    every inner cell of a row or column whose published total is 0 is published as 0 too, and so is
    every cell of ``zero_columns`` (groups whose whole population in the analysed scope is published
    as 0). Deterministic on published values, so the same in every output.
    """
    out = values.copy()
    columns = [c for c in out.columns if c != row_total]
    rows = [r for r in out.index if r != total_row]
    for column in zero_columns:
        if column in out.columns:
            out[column] = out[column].where(out[column].isna(), 0)
    if row_total in out.columns:
        for r in rows:
            if _is_zero(out.at[r, row_total]):
                out.loc[r, columns] = out.loc[r, columns].where(out.loc[r, columns].isna(), 0)
    if total_row in out.index:
        for c in columns:
            if _is_zero(out.at[total_row, c]):
                out.loc[rows, c] = out.loc[rows, c].where(out.loc[rows, c].isna(), 0)
    return out


def _is_zero(value: Any) -> bool:
    """A published 0 (a withheld value is no 0)."""
    return bool(pd.notna(value) and value == 0)


def republished(finding: Finding, threshold: int) -> Finding:
    """A finding kept from an earlier analysis (e.g. in the web app's findings register), checked again
    before it leaves Jämkoll once more.

    A finding the gate published never holds a group size of 1 to ``threshold`` − 1; a stored one that
    does (written before the gate, or altered) has its group sizes withheld and, when the women or the
    men are that few, every statistic with them, as :func:`publish_finding` would. Everything else is
    rounded to its printed precision.
    """
    def small(n: int | None) -> bool:
        return n is not None and 0 < n < threshold

    n_women, n_men, n_other = (None if small(n) else n for n in (finding.n_women, finding.n_men, finding.n_other))
    data_margin = finding.dimension == "resource"  # a share of the men's mean (publish_finding)
    if small(finding.n_women) or small(finding.n_men):
        return replace(finding, km_median_women=None, km_median_men=None,
                       margin=None if data_margin else finding.margin,
                       n_women=n_women, n_men=n_men, n_other=n_other, women_value=None, men_value=None,
                       raw=_withheld(finding.raw) or finding.raw, adjusted=_withheld(finding.adjusted),
                       risk_ratio=_withheld(finding.risk_ratio), q_raw=None, q_adjusted=None,
                       relative_adjusted=None,
                       notes=tuple(dict.fromkeys((*finding.notes, "withheld_small_cells"))))
    return replace(finding, n_women=n_women, n_men=n_men, n_other=n_other,
                   margin=rounded(finding.margin, 1) if data_margin else finding.margin,
                   km_median_women=rounded(finding.km_median_women, 0),
                   km_median_men=rounded(finding.km_median_men, 0),
                   relative_adjusted=rounded(finding.relative_adjusted, DECIMALS["relative"]),
                   women_value=rounded(finding.women_value, 1), men_value=rounded(finding.men_value, 1),
                   reference_value=rounded(finding.reference_value, 1),
                   raw=_rounded_effect(finding.raw) or finding.raw, adjusted=_rounded_effect(finding.adjusted),
                   risk_ratio=_rounded_effect(finding.risk_ratio), q_raw=significant(finding.q_raw),
                   q_adjusted=significant(finding.q_adjusted))
