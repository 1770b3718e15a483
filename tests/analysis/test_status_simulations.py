"""Simulations of known truth: the findings' statuses say what the statistics can carry.

Each scenario draws data sets from a seeded generator (different seeds, not one tuned data set),
writes them through the store's import path (:meth:`Store.apply`) and runs the public entry
``analyze(store, AnalysisConfig(...))``. Shares are asserted against their nominal level with a
tolerance of three binomial standard errors of the simulation, ``3·√(α(1−α)/R)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from jamkoll.analysis import Analysis, AnalysisConfig, analyze
from jamkoll.analysis.stats import adjusted_difference, adjusted_mean_difference, cluster_pairs
from jamkoll.ingest import Store
from jamkoll.ingest.store import STORE_SCHEMA

ALPHA = 0.05


def _bound(level: float, runs: int) -> float:
    """The nominal level plus three simulation standard errors."""
    return level + 3 * math.sqrt(level * (1 - level) / runs)


@dataclass
class World:
    """A data-generating process for one component ("k") offered to enrolments.

    ``need`` is a legitimate need (``income_support_at_start`` = "a" or "b"); women have need "b"
    with probability ``p_need_women`` (men ``p_need_men``): the realistic imbalance. The chance of
    being offered the component is ``base + need_effect[intervention]·[need = b] + sex_effect·[woman]``
    (a linear probability, so the truth is a difference in percentage points). ``person_sd`` adds a
    person's own propensity (shared by all of their enrolments); ``enrolments`` is how many
    enrolments each person has (in different interventions).
    """

    persons: int = 400
    p_need_women: float = 0.7
    p_need_men: float = 0.3
    base: float = 0.25
    need_effect: tuple[float, float] = (0.3, 0.3)
    sex_effect: float = 0.0
    person_sd: float = 0.0
    enrolments: int = 1
    hours_sex_effect: float = 0.0

    def draw(self, rng: np.random.Generator) -> dict[str, pd.DataFrame]:
        ids = [f"p{i:05d}" for i in range(self.persons)]
        woman = rng.random(self.persons) < 0.5
        need = rng.random(self.persons) < np.where(woman, self.p_need_women, self.p_need_men)
        own = rng.normal(0, self.person_sd, self.persons)
        rows, offered = [], []
        for k in range(self.enrolments):
            intervention = rng.integers(0, 2, self.persons) if self.enrolments == 1 else (
                (np.arange(self.persons) + k) % 2)
            effect = np.where(intervention == 0, self.need_effect[0], self.need_effect[1])
            p = np.clip(self.base + effect * need + self.sex_effect * woman + own, 0.01, 0.99)
            gets = rng.random(self.persons) < p
            hours = 20 + 10 * need + self.hours_sex_effect * woman + 8 * own / max(self.person_sd, 1e-9) * (
                self.person_sd > 0) + rng.normal(0, 6, self.persons)
            for i in range(self.persons):
                enrolment = f"e{k}-{i:05d}"
                rows.append({
                    "enrolment_id": enrolment, "participant_id": ids[i],
                    "intervention_id": f"INS{intervention[i] + 1}",
                    "start_date": pd.Timestamp(f"2024-{1 + (i + k * 5) % 12:02d}-01"), "end_date": None,
                    "income_support_at_start": "b" if need[i] else "a", "months_in_support": None,
                    "income_support_at_exit": None, "employed_at_start": None, "referred_by": None,
                    "outcome": None, "hours": float(hours[i]), "cost_sek": None,
                })
                if gets[i]:
                    offered.append({"enrolment_id": enrolment, "intervention_id": f"INS{intervention[i] + 1}",
                                    "component": "k", "date": None, "hours": None})
        participants = pd.DataFrame({
            "participant_id": ids, "local_id": None, "sex": np.where(woman, "women", "men"),
            "birth_year": 1985, "education": None, "born_abroad": None, "disability": None,
            "municipality_code": None,
        })
        interventions = pd.DataFrame({
            "intervention_id": ["INS1", "INS2"], "name": ["Ett", "Två"], "organization": "Sim",
            "start_date": None, "end_date": None, "target_group": None,
        })
        components = pd.DataFrame(offered, columns=["enrolment_id", "intervention_id", "component", "date", "hours"])
        return {"interventions": interventions, "participants": participants,
                "enrolments": pd.DataFrame(rows), "components": components}


CONFIG = AnalysisConfig(legitimate_covariates=("income_support_at_start", "intervention"), per_intervention=False,
                        bootstrap=0, tables=False, publish=False)


def _connection(batch: dict[str, pd.DataFrame]) -> Any:
    """An in-memory DuckDB database with the store's tables (types as the store declares them)."""
    con = duckdb.connect()
    for name, columns in STORE_SCHEMA.items():
        declared = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        con.execute(f'CREATE TABLE "{name}" ({declared})')
        frame = batch.get(name)
        if frame is not None and len(frame):
            con.register("_incoming", frame.reindex(columns=list(columns)))
            con.execute(f'INSERT INTO "{name}" SELECT * FROM _incoming')
            con.unregister("_incoming")
    return ibis.duckdb.from_connection(con)


def _run(world: World, seed: int, tmp: Path, config: AnalysisConfig = CONFIG, *, store: bool = False) -> Analysis:
    """One data set of the world, analysed. ``store``: through the real import path (Store.apply)
    into a store on disk; else an in-memory database with the same tables (faster)."""
    batch = world.draw(np.random.default_rng(seed))
    if not store:
        return analyze(_connection(batch), config)
    target = Store(tmp / f"s{seed}")
    target.apply(batch, {"INS1", "INS2"}, {"INS1", "INS2"}, [], {})
    return analyze(target, config)


def _component(analysis: Analysis):  # noqa: ANN202 - a Finding
    return next(f for f in analysis.findings if f.id == "component:all:k")


@pytest.mark.slow
def test_null_with_covariate_imbalance_keeps_false_flags_at_the_nominal_level(tmp_path: Path) -> None:
    """No difference between women and men, but women have the need that earns the component (and
    more staff time) more often (raw differences ≈ +12 pp and +4 hours): the share of runs with any
    false `unjustified` stays at the nominal level."""
    runs = 30
    world = World()
    false, raw = 0, []
    for seed in range(runs):
        analysis = _run(world, seed, tmp_path, store=seed == 0)
        false += any(f.status == "unjustified" for f in analysis.findings)
        raw.append(_component(analysis).raw.estimate)
    assert np.mean(raw) > 8, "the imbalance makes a real raw difference (about 12 pp)"
    assert false / runs <= _bound(ALPHA, runs)


def test_simpson_is_never_explained_and_gets_the_adjusted_direction(tmp_path: Path) -> None:
    """Raw: women +20 pp (they have the need far more often); truth: women −9 pp at equal need."""
    world = World(persons=2500, p_need_women=0.9, p_need_men=0.1, base=0.2, need_effect=(0.5, 0.5),
                  sex_effect=-0.09)
    statuses = []
    for seed in range(6):
        f = _component(_run(world, 100 + seed, tmp_path))
        assert f.raw.estimate is not None and f.raw.estimate > 0, "the raw difference favours women"
        assert f.status != "explained", f
        if f.status == "unjustified":
            assert f.higher_for() == "men", f
        statuses.append(f.status)
    assert statuses.count("unjustified") >= 3, statuses  # and mostly found at this size


@pytest.mark.slow
def test_a_need_acting_in_one_intervention_only_creates_no_association_wide_flag(tmp_path: Path) -> None:
    """The need earns the component in intervention 1 only; the association-wide model lets its
    effect differ by intervention, so no difference between women and men is found."""
    runs = 12
    world = World(persons=1200, p_need_women=0.8, p_need_men=0.2, base=0.2, need_effect=(0.5, 0.0))
    flagged = 0
    for seed in range(runs):
        f = _component(_run(world, 200 + seed, tmp_path))
        assert "income_support_at_start" in f.interactions, f
        flagged += f.status == "unjustified"
    assert flagged / runs <= _bound(ALPHA, runs)


def test_a_fully_needs_explained_difference_is_explained(tmp_path: Path) -> None:
    """Large data, a material raw difference (≈ +15 pp), no difference at equal need: `explained`."""
    world = World(persons=8000, p_need_women=0.75, p_need_men=0.25, need_effect=(0.3, 0.3))
    statuses = [_component(_run(world, 300 + seed, tmp_path)).status for seed in range(4)]
    assert statuses.count("explained") >= 3, statuses
    assert "unjustified" not in statuses


def test_a_planted_material_difference_is_never_explained(tmp_path: Path) -> None:
    """Women 10 pp less often at equal need, n = 400: the data may be uncertain, never `explained`."""
    world = World(persons=400, sex_effect=-0.10)
    for seed in range(12):
        f = _component(_run(world, 400 + seed, tmp_path))
        assert f.status != "explained", f
        if f.status == "unjustified":
            assert f.higher_for() == "men"


def _repeated(rng: np.random.Generator, persons: int = 150) -> pd.DataFrame:
    """Two enrolments per person (need and intervention vary between them), a strong personal
    propensity shared by both, and no difference by sex."""
    woman = rng.random(persons) < 0.5
    own = rng.normal(0, 1.0, persons)
    rows = []
    for _ in range(2):
        need = rng.random(persons) < np.where(woman, 0.6, 0.4)
        p = 1 / (1 + np.exp(-(-0.5 + 0.8 * need + 1.5 * own)))
        rows.append(pd.DataFrame({
            "pid": np.arange(persons), "sex": np.where(woman, "women", "men"), "need": np.where(need, "b", "a"),
            "y": (rng.random(persons) < p).astype(int), "h": 20 + 5 * need + 8 * own + rng.normal(0, 3, persons),
        }))
    return pd.concat(rows, ignore_index=True)


def test_cluster_robust_errors_hold_their_size_with_repeated_enrolments() -> None:
    """Under the null, tests that treat a person's two enrolments as independent reject too often;
    the cluster-robust tests (from aggregated pairs, as the engine computes them) hold their size."""
    runs = 400
    rng = np.random.default_rng(12)
    clustered = {"y": 0, "h": 0}
    naive = {"y": 0, "h": 0}
    for _ in range(runs):
        data = _repeated(rng)
        persons = data["pid"].nunique()
        for outcome, fit in (("y", adjusted_difference), ("h", adjusted_mean_difference)):
            pairs = cluster_pairs(data, "pid", ["sex", "need"], outcome)
            robust = fit(data, outcome, "sex", ["need"], categorical=["need"], n_clusters=persons,
                         cluster_pairs=pairs)
            plain = fit(data, outcome, "sex", ["need"], categorical=["need"])
            assert robust.p_value is not None and plain.p_value is not None
            clustered[outcome] += robust.p_value < ALPHA
            naive[outcome] += plain.p_value < ALPHA
    for outcome in ("y", "h"):
        assert clustered[outcome] / runs <= _bound(ALPHA, runs), (outcome, clustered, naive)
        assert naive[outcome] > clustered[outcome], (outcome, clustered, naive)


def test_the_engine_s_cluster_robust_errors_equal_the_row_level_ones(tmp_path: Path) -> None:
    """The engine aggregates the pairs of a person's enrolments in the database; its standard errors
    equal statsmodels' cluster-robust ones computed from the rows (same small-sample factor)."""
    sm = pytest.importorskip("statsmodels.api")
    world = World(persons=300, enrolments=2, person_sd=0.15, p_need_women=0.6, p_need_men=0.4)
    config = AnalysisConfig(legitimate_covariates=("income_support_at_start",), per_intervention=True,
                            bootstrap=0, tables=False, publish=False)
    batch = world.draw(np.random.default_rng(7))
    analysis = _run(world, 7, tmp_path, config)
    rows = batch["enrolments"].merge(batch["participants"][["participant_id", "sex"]], on="participant_id")
    rows = rows.assign(y=rows["enrolment_id"].isin(batch["components"]["enrolment_id"]).astype(float))
    design = pd.DataFrame({"const": 1.0, "woman": (rows["sex"] == "women").astype(float),
                           "need": (rows["income_support_at_start"] == "b").astype(float)})
    groups = pd.factorize(rows["participant_id"])[0]
    logit = sm.Logit(rows["y"], design).fit(disp=0, cov_type="cluster", cov_kwds={"groups": groups})
    margins = logit.get_margeff(at="overall", dummy=True)
    ols = sm.OLS(rows["hours"], design).fit(cov_type="cluster", cov_kwds={"groups": groups})
    found = {f.id: f for f in analysis.findings}
    for scope in ("INS1", "INS2"):
        assert found[f"component:{scope}:k"].adjusted is not None  # each person has one enrolment per scope
    # Association-wide: intervention enters too; compare with a model that has it.
    design = design.assign(ins2=(rows["intervention_id"] == "INS2").astype(float))
    design = design.assign(need_ins2=design["need"] * design["ins2"])  # the need within intervention
    logit = sm.Logit(rows["y"], design).fit(disp=0, cov_type="cluster", cov_kwds={"groups": groups})
    margins = logit.get_margeff(at="overall", dummy=True)
    ols = sm.OLS(rows["hours"], design).fit(cov_type="cluster", cov_kwds={"groups": groups})
    component = found["component:all:k"].adjusted
    hours = found["resource:all:hours"].adjusted
    assert component is not None and hours is not None
    assert component.estimate == pytest.approx(100 * margins.margeff[0], rel=1e-6)
    assert component.std_error == pytest.approx(100 * margins.margeff_se[0], rel=1e-6)
    assert hours.estimate == pytest.approx(ols.params["woman"], rel=1e-6)
    # Least squares: the interval uses t with G − 1 degrees of freedom (G = 300 persons).
    half = stats.t.ppf(0.975, 299) * ols.bse["woman"]
    assert hours.ci_high is not None and hours.ci_high - hours.estimate == pytest.approx(half, rel=1e-6)
