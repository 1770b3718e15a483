"""Made-up, deterministic indicator values for the demo: Region Dalarna (county 20), its 15
municipalities, the region and the country, twelve KPIs divided by gender across the six national
goals (two each) and one total-only KPI, for five years.

The values are invented, not Kolada's: they have plausible levels and gaps, change a little every
year and are the same on every run (a fixed seed per KPI and area). The KPI ids start with ``DEMO``
so that they are never taken for real Kolada ids. As in Kolada, every value's ``count`` is 1 (one
member municipality, region or country behind it: not a number of people). One KPI (people in
sheltered housing) has no value in the smallest municipalities, as when the producer withholds a
value, so that the portal shows how a value missing at the source looks.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from jamkoll.indicators import register
from jamkoll.indicators.kolada import parse_kpis, parse_values

__all__ = ["DEMO_COUNTY", "DEMO_GOALS", "DEMO_KPIS", "DEMO_META", "DEMO_YEARS", "demo_kpi_payload", "demo_kpis",
           "demo_payload",
           "demo_values", "write_demo_indicators"]

DEMO_COUNTY = "20"
DEMO_YEARS = (2020, 2021, 2022, 2023, 2024)
# Inhabitants (rounded), to weigh the region's value and to choose where a value is withheld.
POPULATION = {
    "2021": 6_600, "2023": 10_000, "2026": 10_200, "2029": 15_600, "2031": 10_800, "2034": 6_900, "2039": 7_000,
    "2061": 10_700, "2062": 20_300, "2080": 59_600, "2081": 52_400, "2082": 11_100, "2083": 15_200,
    "2084": 23_100, "2085": 25_700,
}
COUNTRY_POPULATION = 10_500_000


@dataclass(frozen=True)
class DemoKpi:
    id: str
    title: str
    goal: str  # a key of jamkoll.reports.governance.NATIONAL_GOALS
    women: float  # country level in the first year
    men: float
    trend_women: float  # change per year
    trend_men: float
    spread: float  # how much municipalities differ (in the unit)
    withheld_below: int | None  # no value (withheld at the source) in municipalities with fewer inhabitants
    decimals: int = 1
    divided: bool = True


DEMO_KPIS: tuple[DemoKpi, ...] = (
    DemoKpi("DEMO001", "Chefer bland förvärvsarbetande, andel (%)", "power", 4.6, 6.9, 0.1, -0.05, 1.2, None),
    DemoKpi("DEMO002", "Ledamöter i kommunfullmäktige, andel (%)", "power", 43.0, 57.0, 0.4, -0.4, 6.0, None),
    DemoKpi("DEMO003", "Medianinkomst av förvärvsarbete 20–64 år, tkr", "economy", 348.0, 401.0, 9.0, 8.0, 25.0,
            None, 0),
    DemoKpi("DEMO004", "Kommunalt anställda som arbetar heltid, andel (%)", "economy", 71.0, 84.0, 1.2, 0.3, 5.0, None),
    DemoKpi("DEMO005", "Elever i åk 9 som är behöriga till gymnasiet, andel (%)", "education", 88.0, 83.0, 0.1, -0.2,
            4.0, None),
    DemoKpi("DEMO006", "Gymnasieelever med examen inom fyra år, andel (%)", "education", 76.0, 68.0, 0.3, 0.2, 5.0,
            None),
    DemoKpi("DEMO007", "Uttagna föräldrapenningdagar, andel (%)", "care", 70.0, 30.0, -0.5, 0.5, 3.0, None),
    DemoKpi("DEMO008", "Uttagna dagar för vård av barn, andel (%)", "care", 61.0, 39.0, -0.3, 0.3, 2.5, None),
    DemoKpi("DEMO009", "Sjukpenningtal, dagar per försäkrad", "health", 12.8, 6.9, -0.2, -0.1, 2.0, None),
    DemoKpi("DEMO010", "Invånare med gott självskattat hälsotillstånd, andel (%)", "health", 71.0, 76.0, 0.2, 0.1, 3.5,
            None),
    DemoKpi("DEMO011", "Invånare som känner sig otrygga ute sent på kvällen, andel (%)", "violence", 29.0, 9.0, -0.4,
            -0.1, 5.0, None),
    DemoKpi("DEMO012", "Personer i skyddat boende, per 10 000 invånare", "violence", 3.2, 0.6, 0.05, 0.01, 0.5, 7500),
    DemoKpi("DEMO013", "Invånare totalt, antal", "", 0, 0, 0, 0, 0, None, 0, divided=False),
)
DEMO_GOALS: dict[str, str] = {k.id: k.goal for k in DEMO_KPIS if k.divided}
# Per KPI: the direction ("higher" or "lower" value is better, "" neither) and whether ranking the
# municipalities by distance from equality means something. Sheltered housing is not ranked: women are
# many times more than men everywhere (ratio about 5), so closeness to 1 would only reward small numbers.
DEMO_META: dict[str, tuple[str, bool]] = {
    "DEMO001": ("higher", True), "DEMO002": ("", True), "DEMO003": ("higher", True), "DEMO004": ("higher", True),
    "DEMO005": ("higher", True), "DEMO006": ("higher", True), "DEMO007": ("", True), "DEMO008": ("", True),
    "DEMO009": ("lower", True), "DEMO010": ("higher", True), "DEMO011": ("lower", True), "DEMO012": ("", False),
}


def _rng(*parts: str) -> random.Random:
    # A seed from the names, not Python's hash(): the same on every run and machine.
    return random.Random(int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big"))


def _level(kpi: DemoKpi, area: str) -> tuple[float, float]:
    """The area's offset from the country, for women and men (fixed over the years)."""
    rng = _rng(kpi.id, area)
    common = rng.gauss(0, kpi.spread)
    return common + rng.gauss(0, kpi.spread / 3), common + rng.gauss(0, kpi.spread / 3)


def _value(kpi: DemoKpi, area: str, year: int, sex: str) -> float:
    step = year - DEMO_YEARS[0]
    base, trend = (kpi.women, kpi.trend_women) if sex == "K" else (kpi.men, kpi.trend_men)
    offset_w, offset_m = _level(kpi, area) if area != register.COUNTRY_ID else (0.0, 0.0)
    noise = _rng(kpi.id, area, str(year), sex).gauss(0, kpi.spread / 10)
    value = base + trend * step + (offset_w if sex == "K" else offset_m) + noise
    if kpi.title.endswith("(%)"):
        value = min(max(value, 0.5), 99.5)
    return round(max(value, 0.0), kpi.decimals)


def _entry(kpi: DemoKpi, area: str, year: int, values: dict[str, float | None]) -> dict[str, Any]:
    # Kolada's count: the number of member municipalities behind the value, 1 for one area.
    items = [{"gender": sex, "count": 1, "status": "", "value": value} for sex, value in values.items()]
    return {"kpi": kpi.id, "municipality": area, "period": year, "values": items}


def _withheld(kpi: DemoKpi, population: int) -> bool:
    return kpi.withheld_below is not None and population < kpi.withheld_below


def demo_payload() -> dict[str, Any]:
    """The demo values as one Kolada v3 API response (``{"count", "values", "next_url", …}``)."""
    areas = {m.code: POPULATION[m.code] for m in register.municipalities_in(DEMO_COUNTY)}
    region_population = sum(areas.values())
    entries: list[dict[str, Any]] = []
    for kpi in DEMO_KPIS:
        for year in DEMO_YEARS:
            if not kpi.divided:
                for area, population in [*areas.items(), (register.kolada_id(DEMO_COUNTY), region_population),
                                         (register.COUNTRY_ID, COUNTRY_POPULATION)]:
                    entries.append(_entry(kpi, area, year, {"T": float(population)}))
                continue
            per_area = {}
            for area, population in areas.items():
                if _withheld(kpi, population):
                    entries.append(_entry(kpi, area, year, {"K": None, "M": None, "T": None}))
                    continue
                women, men = _value(kpi, area, year, "K"), _value(kpi, area, year, "M")
                per_area[area] = (women, men)
                entries.append(_entry(kpi, area, year, {"K": women, "M": men,
                                                        "T": round((women + men) / 2, kpi.decimals)}))
            # The region: the municipalities with a value, weighted by inhabitants.
            weight = sum(areas[a] for a in per_area)
            women = round(sum(w * areas[a] for a, (w, _m) in per_area.items()) / weight, kpi.decimals)
            men = round(sum(m * areas[a] for a, (_w, m) in per_area.items()) / weight, kpi.decimals)
            entries.append(_entry(kpi, register.kolada_id(DEMO_COUNTY), year,
                                  {"K": women, "M": men, "T": round((women + men) / 2, kpi.decimals)}))
            women, men = _value(kpi, register.COUNTRY_ID, year, "K"), _value(kpi, register.COUNTRY_ID, year, "M")
            entries.append(_entry(kpi, register.COUNTRY_ID, year,
                                  {"K": women, "M": men, "T": round((women + men) / 2, kpi.decimals)}))
    return {"count": len(entries), "values": entries, "next_url": None, "previous_url": None}


def demo_kpi_payload() -> dict[str, Any]:
    """The demo KPI list in Kolada's shape."""
    return {"count": len(DEMO_KPIS), "values": [
        {"id": k.id, "title": k.title, "is_divided_by_gender": k.divided, "auspice": "X",
         "operating_area": "Demo", "has_ou_data": False, "municipality_type": "K",
         "description": "Påhittat nyckeltal för demonstration av Jämkoll (inte Koladas data)."}
        for k in DEMO_KPIS]}


def demo_values() -> pd.DataFrame:
    return parse_values([demo_payload()], "demo")


def demo_kpis() -> pd.DataFrame:
    return parse_kpis(demo_kpi_payload(), "demo")


def write_demo_indicators(out: Path) -> dict[str, Path]:
    """Write the demo as Kolada JSON (values and KPI list) and as a tidy CSV."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"values": out / "kolada-varden.json", "kpis": out / "kolada-nyckeltal.json",
             "csv": out / "kolada-varden.csv"}
    paths["values"].write_text(json.dumps(demo_payload(), ensure_ascii=False, indent=1), encoding="utf-8")
    paths["kpis"].write_text(json.dumps(demo_kpi_payload(), ensure_ascii=False, indent=1), encoding="utf-8")
    demo_values().to_csv(paths["csv"], index=False)
    return paths
