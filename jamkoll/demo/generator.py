"""A realistic, synthetic coordination association with planted differences.

``generate(seed)`` builds the association deterministically: four Dalarna
municipalities, twelve interventions over 2021–2025, about 6 000 enrolments
with the covariates of the data contract, components, hours, costs, outcomes,
a target-group reference population, a few participants of other or unknown
sex, one small intervention whose cells fall under the disclosure threshold
and one headcount-only intervention.

Women and men are generated from the same model except where a difference is
*planted*; the planted truth (which differences are unjustified, which are
explained by legitimate needs) is returned beside the data so that the
analysis can be tested against it. Needs differ by sex as they do in the
register data (women are more often on sickness benefit at enrolment), which
makes raw differences that adjustment explains.

All personnummer are synthetic: valid checksums on random dates. They exist
only in the generated input files, as a user's files would hold them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from jamkoll.ingest.schema import EDUCATION, INCOME_SUPPORT, OUTCOMES, REFERRERS

ASSOCIATION = "Samordningsförbundet Siljan-Västerdal (demo)"
MUNICIPALITIES = {"2062": ("Mora", 0.42), "2034": ("Orsa", 0.16), "2039": ("Älvdalen", 0.12),
                  "2023": ("Malung-Sälen", 0.30)}
YEARS = (2021, 2022, 2023, 2024, 2025)
EXPORT_DATE = dt.date(2026, 1, 31)

# Target groups with the share of women in the reference population and its size per 10 000 inhabitants.
TARGET_GROUPS = {
    "sjukpenning": (0.64, 180), "försörjningsstöd": (0.47, 150), "aktivitetsersättning": (0.44, 60),
    "unga_arbetslösa": (0.41, 90), "långtidsarbetslösa": (0.45, 120), "sjukersättning": (0.58, 140),
}


@dataclass(frozen=True)
class InterventionSpec:
    id: str
    name: str
    target_group: str
    years: tuple[int, ...]
    enrolments: int  # over all its years
    budget: int  # SEK per year
    base_hours: float
    # Component propensities on the logit scale (before needs and planted effects).
    components: dict[str, float] = field(default_factory=dict)


INTERVENTIONS: tuple[InterventionSpec, ...] = (
    InterventionSpec("INS01", "Steg till arbete", "sjukpenning", YEARS, 900, 2_400_000, 38,
                     {"arbetsträning": 0.3, "samtalsstöd": 0.0, "praktik": -0.6, "hälsofrämjande": -0.3}),
    InterventionSpec("INS02", "Hälsolotsen", "sjukersättning", YEARS, 700, 1_800_000, 34,
                     {"hälsofrämjande": 0.6, "samtalsstöd": 0.4, "arbetsträning": -0.4}),
    InterventionSpec("INS03", "Jobbcoach Mora", "försörjningsstöd", YEARS, 800, 2_100_000, 30,
                     {"jobbcoachning": 0.8, "praktik": 0.0, "arbetsgivarkontakt": 0.2}),
    InterventionSpec("INS04", "Unga vuxna i rörelse", "unga_arbetslösa", YEARS, 650, 1_600_000, 32,
                     {"studiestöd": 0.5, "utbildning": 0.2, "praktik": 0.0, "samtalsstöd": -0.2}),
    InterventionSpec("INS05", "Jobbspåret", "långtidsarbetslösa", YEARS, 700, 1_700_000, 28,
                     {"jobbcoachning": 0.5, "arbetsgivarkontakt": 0.4, "praktik": 0.3}),
    InterventionSpec("INS06", "Arbetsträning Orsa", "sjukpenning", (2021, 2022, 2023, 2024), 420, 900_000, 36,
                     {"arbetsträning": 1.0, "praktik": -0.3}),
    InterventionSpec("INS07", "Rehabkoordinering", "sjukpenning", YEARS, 560, 1_300_000, 40,
                     {"samtalsstöd": 0.2, "hälsofrämjande": 0.1, "arbetsträning": 0.0}),
    InterventionSpec("INS08", "Vägledningscentrum", "aktivitetsersättning", (2022, 2023, 2024, 2025), 380,
                     800_000, 26, {"studiestöd": 0.6, "utbildning": 0.5, "samtalsstöd": 0.0}),
    InterventionSpec("INS09", "Praktikplats Siljan", "långtidsarbetslösa", (2023, 2024, 2025), 330, 750_000, 24,
                     {"praktik": 0.8, "arbetsgivarkontakt": 0.6}),
    InterventionSpec("INS10", "Starta om", "försörjningsstöd", (2021, 2022, 2023), 300, 700_000, 30,
                     {"samtalsstöd": 0.3, "jobbcoachning": 0.2, "hälsofrämjande": 0.0}),
    InterventionSpec("INS11", "Öppen mötesplats", "försörjningsstöd", YEARS, 0, 400_000, 0, {}),
    InterventionSpec("INS12", "Pilot: Hälsa i fokus", "sjukersättning", (2025,), 14, 150_000, 30,
                     {"hälsofrämjande": 0.8, "samtalsstöd": 0.4}),
)
HEADCOUNT_ONLY = "INS11"
SMALL = "INS12"

COMPONENT_BASE = {
    "kartläggning": 1.8, "arbetsträning": -0.9, "praktik": -0.9, "studiestöd": -1.8, "samtalsstöd": -0.7,
    "hälsofrämjande": -1.2, "jobbcoachning": -1.0, "arbetsgivarkontakt": -1.2, "utbildning": -1.7,
}
# Planted unjustified differences in components: log-odds for women (negative favours men).
PLANTED_COMPONENT_GAPS = {"praktik": -0.9, "arbetsgivarkontakt": -1.0, "samtalsstöd": 0.65}
UNDER_REPRESENTED = ("INS05", -0.20)  # women's share 20 points under the target group's
WORK_GAP = ("INS03", -1.0)  # log-odds of exiting to work for women in this intervention
HOURS_GAP = ("INS07", 1.35)  # men get 35 % more staff hours here, needs held equal

SICK = {"sjukpenning", "sjukersättning", "aktivitetsersättning"}


def _age_band(age: np.ndarray) -> np.ndarray:
    return np.select([age < 25, age < 30, age < 40, age < 50], ["18-24", "25-29", "30-39", "40-49"], "50-64")


def _luhn_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def synthetic_personnummer(rng: np.random.Generator, birth: dt.date, female: bool) -> str:
    """A checksum-valid personnummer on a given birth date (the second-last digit is even for women)."""
    serial = int(rng.integers(0, 100))
    sex_digit = int(rng.integers(0, 5)) * 2 + (0 if female else 1)
    nine = f"{birth:%y%m%d}{serial:02d}{sex_digit}"
    return f"{birth:%Y%m%d}-{serial:02d}{sex_digit}{_luhn_digit(nine)}"


@dataclass
class DemoAssociation:
    """The generated tables (contract column names) and the planted truth."""

    tables: dict[str, pd.DataFrame]
    truth: dict[str, Any]


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def generate(seed: int = 2026) -> DemoAssociation:
    rng = np.random.default_rng(seed)
    reference = _reference_population(rng)
    specs = [s for s in INTERVENTIONS if s.id != HEADCOUNT_ONLY]
    rows: list[pd.DataFrame] = []
    for spec in specs:
        rows.append(_enrolments_for(rng, spec, reference))
    enrol = pd.concat(rows, ignore_index=True)
    enrol = _reuse_participants(rng, enrol)
    outcomes, planted_effects = _outcomes(rng, enrol)
    enrol = enrol.assign(**outcomes)
    components = _components(rng, enrol, planted_effects)
    participants = _participants(rng, enrol)
    interventions = _interventions()
    counts = _counts(rng)
    tables = {
        "interventions": interventions,
        "participants": participants,
        "enrolments": enrol[[
            "enrolment_id", "personnummer", "intervention_id", "start_date", "end_date",
            "income_support_at_start", "months_in_support", "income_support_at_exit", "employed_at_start",
            "referred_by", "outcome", "hours", "cost_sek",
        ]].copy(),
        "components": components,
        "counts": counts,
        "reference_population": reference,
    }
    return DemoAssociation(tables, _truth(seed, planted_effects))


def _reference_population(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    inhabitants = {"2062": 20_300, "2034": 6_900, "2039": 7_000, "2023": 10_100}
    for year in YEARS:
        for code, population in inhabitants.items():
            for group, (share, per10k) in TARGET_GROUPS.items():
                total = int(population * per10k / 10_000 * rng.uniform(0.9, 1.1))
                women = int(rng.binomial(total, share))
                rows.append({"year": year, "municipality_code": code, "group": group,
                             "women": women, "men": total - women})
    return pd.DataFrame(rows)


def _enrolments_for(rng: np.random.Generator, spec: InterventionSpec, reference: pd.DataFrame) -> pd.DataFrame:
    n = spec.enrolments
    years = rng.choice(spec.years, size=n)
    ref = reference[reference["group"] == spec.target_group].groupby("year")[["women", "men"]].sum()
    share = (ref["women"] / (ref["women"] + ref["men"])).reindex(years).to_numpy()
    if spec.id == UNDER_REPRESENTED[0]:
        share = share + UNDER_REPRESENTED[1]
    u = rng.uniform(size=n)
    sex = np.where(u < share, "women", "men").astype(object)
    if spec.id != SMALL:
        odd = rng.uniform(size=n) < 0.004
        sex[odd] = rng.choice(["other", "unknown"], size=int(odd.sum()))
    else:  # a tiny pilot: 9 women, 4 men and one of unknown sex
        sex = np.array(["women"] * 9 + ["men"] * 4 + ["unknown"], dtype=object)
    women = sex == "women"
    young_group = spec.target_group in ("unga_arbetslösa", "aktivitetsersättning")
    age = np.where(young_group, rng.integers(18, 30, size=n), rng.integers(20, 64, size=n))
    start = np.array([dt.date(int(y), 1, 1) + dt.timedelta(days=int(d))
                      for y, d in zip(years, rng.integers(0, 365, size=n), strict=True)])
    birth_year = years - age
    # Needs: sickness benefit is more common among women (register fact), which makes raw gaps.
    support = _income_support(rng, spec.target_group, women)
    sick = np.isin(support, list(SICK))
    months = np.clip(rng.gamma(2.0, 9.0, size=n) * np.where(sick, 1.5, 1.0), 0, 180).astype(int)
    education = rng.choice(EDUCATION, size=n, p=[0.30, 0.45, 0.20, 0.05])
    referred = np.where(sick, rng.choice(REFERRERS, size=n, p=[0.55, 0.15, 0.1, 0.15, 0.05]),
                        rng.choice(REFERRERS, size=n, p=[0.1, 0.45, 0.35, 0.05, 0.05]))
    employed = rng.choice(["ingen", "deltid", "heltid", "subventionerad"], size=n, p=[0.78, 0.14, 0.03, 0.05])
    duration = (rng.gamma(3.0, 60.0, size=n) + 60.0 * sick + 40.0 * (months > 24)).astype(int) + 14
    end = np.array([s + dt.timedelta(days=int(d)) for s, d in zip(start, duration, strict=True)])
    ongoing = end > EXPORT_DATE
    # Resources grow additively with needs (sickness benefit, long support), as staff time does.
    long_support = months > 24
    hours = spec.base_hours + 12.0 * sick + 6.0 * long_support + rng.gamma(4.0, 3.0, size=n) - 12.0
    if spec.id == HOURS_GAP[0]:
        hours = np.where(sex == "men", hours * HOURS_GAP[1], hours)
    frame = pd.DataFrame({
        "intervention_id": spec.id, "year": years, "sex": sex, "age": age, "age_band": _age_band(age),
        "birth_year": birth_year, "start_date": start, "end_date": np.where(ongoing, np.array(None), end),
        "duration": duration, "income_support_at_start": support, "months_in_support": months,
        "education": education, "referred_by": referred, "employed_at_start": employed,
        "hours": np.round(hours, 1),
    })
    frame["enrolment_id"] = [f"{spec.id}-{i + 1:05d}" for i in range(n)]
    return frame


def _income_support(rng: np.random.Generator, group: str, women: np.ndarray) -> np.ndarray:
    n = len(women)
    codes = list(INCOME_SUPPORT)
    main = {"sjukpenning": "sjukpenning", "sjukersättning": "sjukersättning",
            "aktivitetsersättning": "aktivitetsersättning", "försörjningsstöd": "försörjningsstöd",
            "unga_arbetslösa": "aktivitetsstöd", "långtidsarbetslösa": "aktivitetsstöd"}[group]
    base = np.full(len(codes), 0.04)
    base[codes.index(main)] = 0.55
    women_p = base.copy()
    men_p = base.copy()
    # Women more often on sickness benefit, men more often on unemployment support.
    women_p[codes.index("sjukpenning")] += 0.16
    men_p[codes.index("aktivitetsstöd")] += 0.08
    men_p[codes.index("a-kassa")] += 0.08
    women_p /= women_p.sum()
    men_p /= men_p.sum()
    out = np.where(women, rng.choice(codes, size=n, p=women_p), rng.choice(codes, size=n, p=men_p))
    return out.astype(object)


def _reuse_participants(rng: np.random.Generator, enrol: pd.DataFrame) -> pd.DataFrame:
    """Give every enrolment a person; about one in ten people take part in two interventions."""
    enrol = enrol.sort_values(["start_date", "enrolment_id"]).reset_index(drop=True)
    person = np.arange(len(enrol))
    for sex in ("women", "men"):
        idx = np.flatnonzero(enrol["sex"].to_numpy() == sex)
        half = len(idx) // 2
        early, late = idx[:half], idx[half:]
        reuse = late[rng.uniform(size=len(late)) < 0.10]
        sources = rng.choice(early, size=len(reuse), replace=False)
        for target, source in zip(reuse, sources, strict=True):
            if enrol.at[target, "intervention_id"] != enrol.at[source, "intervention_id"]:
                person[target] = person[source]
    enrol["person"] = person
    # A person's fixed attributes come from their first enrolment.
    first = enrol.groupby("person")[["birth_year", "education"]].transform("first")
    enrol["birth_year"] = first["birth_year"]
    enrol["education"] = first["education"]
    enrol["age"] = enrol["year"] - enrol["birth_year"]
    enrol["age_band"] = _age_band(enrol["age"].to_numpy())
    pnr: dict[int, str] = {}
    taken: set[str] = set()
    for p, birth_year, sex in enrol.groupby("person")[["birth_year", "sex"]].first().itertuples():
        number = ""
        while not number or number in taken:
            born = dt.date(int(birth_year), 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
            number = synthetic_personnummer(rng, born, sex == "women")
        taken.add(number)
        pnr[p] = number
    enrol["personnummer"] = enrol["person"].map(pnr)
    return enrol


def _needs_logit(enrol: pd.DataFrame) -> dict[str, np.ndarray]:
    support = enrol["income_support_at_start"].to_numpy()
    sick = np.isin(support, list(SICK))
    young = enrol["age"].to_numpy() < 25
    higher = enrol["education"].to_numpy() == "eftergymnasial"
    low = enrol["education"].to_numpy() == "förgymnasial"
    long_support = enrol["months_in_support"].to_numpy() > 24
    return {"sick": sick.astype(float), "young": young.astype(float), "higher": higher.astype(float),
            "low": low.astype(float), "long": long_support.astype(float)}


def _outcomes(rng: np.random.Generator, enrol: pd.DataFrame) -> tuple[dict[str, Any], dict[str, Any]]:
    n = len(enrol)
    x = _needs_logit(enrol)
    women = (enrol["sex"] == "women").to_numpy()
    categories = ["arbete", "studier", "arbetssökande", "fortsatt_rehabilitering", "sjukskrivning", "annan"]
    utility = np.zeros((n, len(categories)))
    utility[:, 0] = 0.3 - 1.3 * x["sick"] + 0.6 * x["higher"] - 0.5 * x["long"] - 0.3 * x["low"]
    utility[:, 1] = -0.8 + 1.4 * x["young"] - 0.5 * x["higher"]
    utility[:, 2] = 0.2 - 1.0 * x["sick"] + 0.2 * x["long"]
    utility[:, 3] = -1.0 + 1.6 * x["sick"] + 0.3 * x["long"]
    utility[:, 4] = -1.6 + 1.2 * x["sick"]
    utility[:, 5] = -1.2
    work_gap = np.where(women & (enrol["intervention_id"].to_numpy() == WORK_GAP[0]), WORK_GAP[1], 0.0)
    planted = utility.copy()
    planted[:, 0] += work_gap
    probs = np.exp(planted) / np.exp(planted).sum(axis=1, keepdims=True)
    draws = (probs.cumsum(axis=1) > rng.uniform(size=(n, 1))).argmax(axis=1)
    outcome = np.array(categories, dtype=object)[draws]
    outcome[rng.uniform(size=n) < 0.02] = "okänd"
    exited = enrol["end_date"].notna().to_numpy()
    outcome[~exited] = None
    support_exit = np.where(outcome == "arbete", "ingen", enrol["income_support_at_start"].to_numpy())
    support_exit = np.where(exited, support_exit, np.array(None))
    # True effect of the planted work gap in INS03 (women − men at the women's covariates), for the truth.
    mask = women & (enrol["intervention_id"].to_numpy() == WORK_GAP[0])
    p_as_men = (np.exp(utility) / np.exp(utility).sum(axis=1, keepdims=True))[mask, 0]
    effects = {"work_gap_pp": float(100 * (probs[mask, 0] - p_as_men).mean())}
    cost = enrol["hours"].to_numpy() * 640 + rng.gamma(2.0, 900, size=n)
    return ({"outcome": outcome, "income_support_at_exit": support_exit, "cost_sek": np.round(cost, 0)},
            effects)


def _components(rng: np.random.Generator, enrol: pd.DataFrame, effects: dict[str, Any]) -> pd.DataFrame:
    x = _needs_logit(enrol)
    women = (enrol["sex"] == "women").to_numpy()
    spec_by_id = {s.id: s for s in INTERVENTIONS}
    needs = {
        "arbetsträning": 1.0 * x["sick"] - 0.3 * x["young"],
        "praktik": -0.6 * x["sick"] + 0.4 * x["young"],
        "studiestöd": 1.2 * x["young"] + 0.8 * x["low"] - 0.8 * x["higher"],
        "samtalsstöd": 0.7 * x["sick"] + 0.3 * x["long"],
        "hälsofrämjande": 0.9 * x["sick"],
        "jobbcoachning": -0.8 * x["sick"] + 0.3 * x["long"],
        "arbetsgivarkontakt": -0.7 * x["sick"] + 0.3 * x["higher"],
        "utbildning": 0.6 * x["young"] + 0.5 * x["low"],
        "kartläggning": np.zeros(len(enrol)),
    }
    rows = []
    start = pd.to_datetime(enrol["start_date"]).to_numpy()
    for component, base in COMPONENT_BASE.items():
        propensity = np.array([spec_by_id[i].components.get(component, -0.8 if component != "kartläggning"
                                                            else 0.0) for i in enrol["intervention_id"]])
        logit = base + propensity + needs[component]
        gap = PLANTED_COMPONENT_GAPS.get(component, 0.0)
        p_women_as_men = _logistic(logit)
        planted_logit = logit + np.where(women, gap, 0.0)
        offered = rng.uniform(size=len(enrol)) < _logistic(planted_logit)
        if gap:
            effects[f"component_{component}_pp"] = float(
                100 * (_logistic(planted_logit)[women] - p_women_as_men[women]).mean())
        idx = np.flatnonzero(offered)
        days = rng.integers(0, 60, size=len(idx))
        rows.append(pd.DataFrame({
            "enrolment_id": enrol["enrolment_id"].to_numpy()[idx],
            "component": component,
            "date": [pd.Timestamp(s).date() + dt.timedelta(days=int(d)) for s, d in zip(start[idx], days,
                                                                                       strict=True)],
            "hours": np.round(rng.gamma(2.0, 4.0, size=len(idx)), 1),
        }))
    components = pd.concat(rows, ignore_index=True)
    ends = enrol.set_index("enrolment_id")["end_date"]
    end = components["enrolment_id"].map(ends)
    too_late = end.notna() & (pd.to_datetime(components["date"]) > pd.to_datetime(end))
    components.loc[too_late, "date"] = end[too_late]
    components.loc[pd.to_datetime(components["date"]) > pd.Timestamp(EXPORT_DATE), "date"] = EXPORT_DATE
    return components.sort_values(["enrolment_id", "date", "component"]).reset_index(drop=True)


def _participants(rng: np.random.Generator, enrol: pd.DataFrame) -> pd.DataFrame:
    people = enrol.groupby("person").first()
    n = len(people)
    codes = list(MUNICIPALITIES)
    weights = np.array([w for _, w in MUNICIPALITIES.values()])
    return pd.DataFrame({
        "personnummer": people["personnummer"].to_numpy(),
        "sex": people["sex"].to_numpy(),
        "birth_year": people["birth_year"].astype(int).to_numpy(),
        "education": people["education"].to_numpy(),
        "born_abroad": rng.uniform(size=n) < 0.22,
        "disability": rng.uniform(size=n) < 0.18,
        "municipality_code": rng.choice(codes, size=n, p=weights / weights.sum()),
    })


def _interventions() -> pd.DataFrame:
    rows = []
    for spec in INTERVENTIONS:
        for year in spec.years:
            rows.append({
                "intervention_id": spec.id, "name": spec.name, "organization": ASSOCIATION,
                "start_date": dt.date(spec.years[0], 1, 1), "end_date": dt.date(spec.years[-1], 12, 31),
                "budget_sek": float(spec.budget), "year": year, "target_group": spec.target_group,
            })
    return pd.DataFrame(rows)


def _counts(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for year in YEARS:
        # Headcounts follow the target group (försörjningsstöd): no planted difference here.
        total = int(rng.integers(70, 110))
        women = int(rng.binomial(total, TARGET_GROUPS["försörjningsstöd"][0]))
        for sex, people in (("women", women), ("men", total - women), ("other", int(rng.integers(1, 4)))):
            rows.append({"intervention_id": HEADCOUNT_ONLY, "year": year, "sex": sex, "participants": people,
                         "exits_to_work": int(rng.binomial(people, 0.12)),
                         "exits_to_studies": int(rng.binomial(people, 0.08))})
    return pd.DataFrame(rows)


def _truth(seed: int, effects: dict[str, Any]) -> dict[str, Any]:
    component_direction = {c: "women" if g > 0 else "men" for c, g in PLANTED_COMPONENT_GAPS.items()}
    return {
        "seed": seed,
        "association": ASSOCIATION,
        "years": list(YEARS),
        "municipalities": {code: name for code, (name, _) in MUNICIPALITIES.items()},
        "adjusted_for": ["age_band", "education", "income_support_at_start", "months_in_support",
                         "referred_by", "intervention", "year"],
        "rule": ("An unjustified difference planted with intervention null holds in every intervention: a "
                 "finding of the same dimension, category and direction for a single intervention agrees "
                 "with the truth. higher_for names the sex with the higher rate, share or mean."),
        "unjustified": [
            *({"dimension": "component", "category": c, "intervention": None, "higher_for": d,
               "true_effect_pp_women_minus_men": round(effects[f"component_{c}_pp"], 2)}
              for c, d in component_direction.items()),
            {"dimension": "participation", "category": "share_of_women", "intervention": UNDER_REPRESENTED[0],
             "higher_for": "men", "true_effect_pp_women_minus_men": 100 * UNDER_REPRESENTED[1]},
            {"dimension": "outcome", "category": "arbete", "intervention": WORK_GAP[0], "higher_for": "men",
             "true_effect_pp_women_minus_men": round(effects["work_gap_pp"], 2)},
            {"dimension": "resource", "category": "hours", "intervention": HOURS_GAP[0], "higher_for": "men",
             "true_relative_gap": round(1 / HOURS_GAP[1] - 1, 3)},
        ],
        # Differences that follow mechanically from a planted one: allowed, not required.
        "consequences": [
            {"dimension": "resource", "category": "cost_sek", "intervention": HOURS_GAP[0], "higher_for": "men",
             "because": "direct cost is priced from staff hours"},
            *({"dimension": "outcome", "category": o, "intervention": WORK_GAP[0], "higher_for": "women",
               "because": "women who do not reach work in this intervention end in the other outcomes"}
              for o in ("studier", "arbetssökande", "fortsatt_rehabilitering", "sjukskrivning", "annan")),
        ],
        "justified": [
            {"dimension": "outcome", "category": "fortsatt_rehabilitering", "intervention": None,
             "higher_for": "women", "explained_by": ["income_support_at_start"]},
            {"dimension": "resource", "category": "duration_days", "intervention": None,
             "higher_for": "women", "explained_by": ["income_support_at_start", "months_in_support"]},
        ],
        "small_intervention": SMALL,
        "headcount_only_intervention": HEADCOUNT_ONLY,
        "outcome_categories": [o for o in OUTCOMES if o != "okänd"],
    }
