"""Gender-equality indicators per municipality: women's and men's values, the gap, the ratio, rank,
change over time, and the region's and the country's value for comparison.

Method, for one KPI divided by gender, one area and one year:

* ``gap = women − men`` in the KPI's own unit (percentage points for a share);
* ``ratio = women / men``, where 1 means equal (the *könskvot* of SKR's Öppna jämförelser); undefined
  when the men's value is 0 or either value is missing;
* ``distance``: the distance from equality ``|log(ratio)|``, so that 0.8 and 1.25 are equally far from
  equal (0 is equal);
* ``rank``: among the region's municipalities with a ratio, 1 for the one closest to equal by
  ``distance`` (ties share the better rank); only for KPIs where that means something: not where a
  ratio far from 1 is the normal state (``compare(..., ranked=False)``, e.g. people in sheltered housing,
  where women are many times more than men everywhere);
* ``favoured``: which sex the difference is to the advantage of, for KPIs with a direction
  (:func:`favoured`: a higher or a lower value is better), else None;
* ``change``: the gap and the ratio now minus those of the latest earlier year with both values.

Kolada's ``count`` is the number of member municipalities behind a value (1 for a municipality, a
region or the country; more only for a group of municipalities), not a number of people: it never
hides a value. Kolada and SCB publish their statistics after their own disclosure control; a value
they withhold comes without a number, and the area's row is then marked ``suppressed`` ("no value
from the source") rather than shown as a gap of zero. Disclosure control of counts of people applies
to the associations' own figures (:mod:`jamkoll.analysis.disclosure`), not to these public statistics.

Indicators are grouped by the six national gender-equality goals
(:data:`jamkoll.reports.governance.NATIONAL_GOALS`).

References: SKR, Öppna jämförelser, Jämställdhet (könskvot); Jämställdhetsmyndigheten, Jämställdhetspolitikens
mål, https://jamstalldhetsmyndigheten.se/; RKA, Kolada.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

import pandas as pd

from jamkoll.indicators import register
from jamkoll.reports.governance import NATIONAL_GOALS

__all__ = [
    "OTHER_GOAL", "GoalGroup", "IndicatorRow", "MunicipalityProfile", "ProfileItem", "RegionalComparison", "Trend",
    "TrendPoint", "compare", "distance_from_equality", "favoured", "gap", "goal_groups", "periods", "profile", "ratio",
    "trend", "wide",
]

OTHER_GOAL = "other"


def gap(women: float | None, men: float | None) -> float | None:
    """Women's value minus men's, or None when either is missing."""
    if women is None or men is None or _missing(women) or _missing(men):
        return None
    return float(women) - float(men)


def ratio(women: float | None, men: float | None) -> float | None:
    """Women's value divided by men's (1 = equal); None when either is missing or men's is 0."""
    if women is None or men is None or _missing(women) or _missing(men) or float(men) == 0:
        return None
    return float(women) / float(men)


def favoured(women: float | None, men: float | None, direction: str) -> str | None:
    """``"women"`` or ``"men"``: whose value is the better one when ``direction`` is ``"higher"`` (a higher
    value is better) or ``"lower"``; None when the values are equal or missing or the KPI has no direction."""
    if direction not in ("higher", "lower") or gap(women, men) in (None, 0.0):
        return None
    higher = "women" if float(women) > float(men) else "men"  # type: ignore[arg-type]
    return higher if direction == "higher" else ("men" if higher == "women" else "women")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _optional(value: object) -> float | None:
    return None if _missing(value) else float(value)  # type: ignore[arg-type]


def _optional_int(value: object) -> int | None:
    return None if _missing(value) else int(value)  # type: ignore[call-overload]


def wide(values: pd.DataFrame) -> pd.DataFrame:
    """One row per kpi, municipality_id and period: ``women``, ``men``, ``total``, their Kolada counts
    (member municipalities), ``suppressed`` (the source listed the area but gave neither women's nor
    men's value), ``gap`` and ``ratio``. No value is removed: ``count`` is not a number of people."""
    keys = ["kpi", "municipality_id", "period"]
    if values.empty:
        return pd.DataFrame(columns=[*keys, "women", "men", "total", "count_women", "count_men", "count_total",
                                     "suppressed", "gap", "ratio"])
    frame = values.copy()
    labels = {"K": "women", "M": "men", "T": "total"}
    value = frame.pivot_table(index=keys, columns="gender", values="value", aggfunc="first", dropna=False)
    count = frame.pivot_table(index=keys, columns="gender", values="count", aggfunc="first", dropna=False)
    divided = frame["gender"].isin(["K", "M"])
    has_value = frame["value"].notna() & divided
    listed = divided.groupby([frame[k] for k in keys]).any()
    valued = has_value.groupby([frame[k] for k in keys]).any()
    out = pd.DataFrame(index=listed.index)
    for code, name in labels.items():
        out[name] = value[code] if code in value else float("nan")
        out[f"count_{name}"] = (count[code] if code in count else pd.Series(pd.NA, index=out.index)).astype("Int64")
    out["suppressed"] = listed & ~valued
    out["gap"] = [gap(w, m) for w, m in zip(out["women"], out["men"], strict=True)]
    out["ratio"] = [ratio(w, m) for w, m in zip(out["women"], out["men"], strict=True)]
    return out.reset_index()


def periods(values: pd.DataFrame, kpi: str | None = None) -> list[int]:
    """The years with values (of ``kpi``), latest first."""
    selected = values if kpi is None else values[values["kpi"] == kpi]
    return sorted({int(p) for p in selected["period"]}, reverse=True)


@dataclass(frozen=True)
class IndicatorRow:
    """One area's value of one KPI in one year, as the portal shows it."""

    area_id: str  # Kolada id: municipality code, "0020" for Region Dalarna, "0000" for the country
    name: str
    kind: str  # "municipality", "region" or "country"
    women: float | None
    men: float | None
    total: float | None
    gap: float | None
    ratio: float | None
    count_women: int | None = None  # Kolada's count: member municipalities behind the value, not people
    count_men: int | None = None
    suppressed: bool = False  # the source listed the area without a value for women or men
    rank: int | None = None
    distance: float | None = None  # |log(ratio)|: 0 is equal
    previous_period: int | None = None
    gap_change: float | None = None
    ratio_change: float | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _area_name(area_id: str) -> tuple[str, str]:
    kind, code = register.parse_kolada_id(area_id)
    if kind == "country":
        return register.COUNTRY_NAME, kind
    if kind == "region":
        found = register.region(code)
        return (found.name if found else area_id), kind
    found_m = register.municipality(code)
    return (found_m.name if found_m else area_id), kind


def _row(table: pd.DataFrame, kpi: str, area_id: str, period: int) -> IndicatorRow | None:
    """The area's row of ``period``, with the change since the latest earlier year with a gap."""
    own = table[(table["kpi"] == kpi) & (table["municipality_id"] == area_id)].sort_values("period")
    now = own[own["period"] == period]
    if now.empty:
        return None
    record = now.iloc[0]
    earlier = own[(own["period"] < period) & own["gap"].notna()]
    before = earlier.iloc[-1] if not earlier.empty else None
    current_gap, current_ratio = _optional(record["gap"]), _optional(record["ratio"])
    name, kind = _area_name(area_id)
    return IndicatorRow(
        area_id=area_id, name=name, kind=kind,
        women=_optional(record["women"]), men=_optional(record["men"]), total=_optional(record["total"]),
        gap=current_gap, ratio=current_ratio,
        count_women=_optional_int(record["count_women"]), count_men=_optional_int(record["count_men"]),
        suppressed=bool(record["suppressed"]),
        previous_period=int(before["period"]) if before is not None else None,
        gap_change=(current_gap - float(before["gap"])) if before is not None and current_gap is not None else None,
        ratio_change=(current_ratio - float(before["ratio"]))
        if before is not None and current_ratio is not None and not _missing(before["ratio"]) else None,
    )


def distance_from_equality(value: float | None) -> float | None:
    """``|log(ratio)|``, 0 for equal, the same for a ratio and its inverse; None without a positive ratio."""
    if value is None or value <= 0:
        return None
    # Rounded so that 0.8 and 1.25 tie as they should, whatever the floating-point noise of log().
    return round(abs(math.log(value)), 9)


@dataclass(frozen=True)
class RegionalComparison:
    """One KPI in one year for every municipality of a region, ranked, with the region and the country."""

    kpi: str
    period: int
    county_code: str
    rows: list[IndicatorRow]
    region: IndicatorRow | None
    country: IndicatorRow | None

    def row(self, area_id: str) -> IndicatorRow | None:
        return next((r for r in self.rows if r.area_id == area_id), None)

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.rows if r.rank is not None)

    def to_frame(self) -> pd.DataFrame:
        rows = [*self.rows, *(r for r in (self.region, self.country) if r is not None)]
        frame = pd.DataFrame([r.to_dict() for r in rows])
        frame.insert(0, "period", self.period)
        frame.insert(0, "kpi", self.kpi)
        return frame


def compare(values: pd.DataFrame, kpi: str, county_code: str, period: int | None = None,
            table: pd.DataFrame | None = None, ranked: bool = True) -> RegionalComparison:
    """``kpi`` in ``period`` (default: the latest year with values) for the region of ``county_code``.

    ``ranked=False`` leaves every ``rank`` None (a KPI where the distance from equality ranks nothing).

    ``table`` is :func:`wide` of ``values`` when the caller already has it (it is the expensive part).
    """
    table = wide(values) if table is None else table
    if period is None:
        years = periods(values, kpi)
        period = years[0] if years else 0
    rows = [row for m in register.municipalities_in(county_code)
            if (row := _row(table, kpi, m.code, period)) is not None]
    distances = pd.Series([distance_from_equality(r.ratio) for r in rows], dtype="float64")
    ranks = distances.rank(method="min")
    rows = [IndicatorRow(**{**r.to_dict(),  # type: ignore[arg-type]
                            "rank": None if pd.isna(rank) or not ranked else int(rank),
                            "distance": None if pd.isna(distance) else float(distance)})
            for r, rank, distance in zip(rows, ranks, distances, strict=True)]
    return RegionalComparison(kpi=kpi, period=period, county_code=county_code, rows=rows,
                              region=_row(table, kpi, register.kolada_id(county_code), period),
                              country=_row(table, kpi, register.COUNTRY_ID, period))


@dataclass(frozen=True)
class TrendPoint:
    period: int
    women: float | None
    men: float | None
    gap: float | None
    ratio: float | None
    region_ratio: float | None
    country_ratio: float | None


@dataclass(frozen=True)
class Trend:
    """One KPI over the years for one municipality, with the region's and the country's ratio."""

    kpi: str
    area_id: str
    points: list[TrendPoint]

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame([asdict(p) for p in self.points], columns=list(TrendPoint.__dataclass_fields__))
        frame.insert(0, "area_id", self.area_id)
        frame.insert(0, "kpi", self.kpi)
        return frame


def trend(values: pd.DataFrame, kpi: str, municipality_id: str, table: pd.DataFrame | None = None) -> Trend:
    table = wide(values) if table is None else table
    county = municipality_id[:2]
    own = table[table["kpi"] == kpi].set_index(["municipality_id", "period"])

    def ratio_of(area: str, year: int) -> float | None:
        return _optional(own.at[(area, year), "ratio"]) if (area, year) in own.index else None

    points = []
    for year in sorted(periods(values, kpi)):
        if (municipality_id, year) not in own.index:
            continue
        record = own.loc[(municipality_id, year)]
        points.append(TrendPoint(period=year, women=_optional(record["women"]), men=_optional(record["men"]),
                                 gap=_optional(record["gap"]), ratio=_optional(record["ratio"]),
                                 region_ratio=ratio_of(register.kolada_id(county), year),
                                 country_ratio=ratio_of(register.COUNTRY_ID, year)))
    return Trend(kpi=kpi, area_id=municipality_id, points=points)


@dataclass(frozen=True)
class GoalGroup:
    """The KPIs that follow one national gender-equality goal."""

    key: str  # a key of NATIONAL_GOALS, or "other"
    title_sv: str
    title_en: str
    kpis: list[str] = field(default_factory=list)

    def title(self, lang: str = "sv") -> str:
        return self.title_en if lang == "en" else self.title_sv


def goal_groups(kpi_goals: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[GoalGroup]:
    """Group KPI ids by national goal, in the government's order of the goals; KPIs without a known goal
    come last under "Övriga nyckeltal". Empty groups are left out."""
    pairs = list(kpi_goals.items()) if isinstance(kpi_goals, Mapping) else list(kpi_goals)
    groups = [GoalGroup(key, sv, en, [k for k, g in pairs if g == key]) for key, (sv, en) in NATIONAL_GOALS.items()]
    groups.append(GoalGroup(OTHER_GOAL, "Övriga nyckeltal", "Other indicators",
                            [k for k, g in pairs if g not in NATIONAL_GOALS]))
    return [g for g in groups if g.kpis]


@dataclass(frozen=True)
class ProfileItem:
    kpi: str
    period: int
    current: IndicatorRow | None
    region: IndicatorRow | None
    country: IndicatorRow | None
    of_ranked: int
    trend: Trend


@dataclass(frozen=True)
class MunicipalityProfile:
    """Every KPI of one municipality: the latest year against the region and the country, and the trend."""

    municipality_id: str
    name: str
    items: list[ProfileItem]

    def item(self, kpi: str) -> ProfileItem | None:
        return next((i for i in self.items if i.kpi == kpi), None)

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for item in self.items:
            current = item.current.to_dict() if item.current else {}
            rows.append({"kpi": item.kpi, **current,
                         "region_ratio": item.region.ratio if item.region else None,
                         "country_ratio": item.country.ratio if item.country else None,
                         "of_ranked": item.of_ranked})
        return pd.DataFrame(rows)


def profile(values: pd.DataFrame, kpis: Iterable[str], municipality_id: str,
            unranked: Iterable[str] = ()) -> MunicipalityProfile:
    """Every KPI of ``kpis`` for the municipality; ``unranked``: KPIs not ranked (see :func:`compare`)."""
    table = wide(values)
    county = municipality_id[:2]
    no_rank = set(unranked)
    items = []
    for kpi in kpis:
        comparison = compare(values, kpi, county, table=table, ranked=kpi not in no_rank)
        items.append(ProfileItem(kpi=kpi, period=comparison.period, current=comparison.row(municipality_id),
                                 region=comparison.region, country=comparison.country, of_ranked=comparison.ranked,
                                 trend=trend(values, kpi, municipality_id, table=table)))
    found = register.municipality(municipality_id)
    return MunicipalityProfile(municipality_id, found.name if found else municipality_id, items)
