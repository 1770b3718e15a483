"""Full analysis of a national-size register on DuckDB, against row-by-row statsmodels on pandas.

Target (issue 3): 10 million synthetic enrolments analysed in under 60 s and 8 GB on this 2-core
machine. The baseline fits the same logistic models row by row with statsmodels on pandas; at
10 million rows that does not fit in a reasonable time (about 30 minutes already for 1 million), so
both are also run side by side on the same 250 000 rows for the overall models and the ratio is
reported; the row-by-row cost grows with the rows, the compressed fit's does not.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import write_result
from jamkoll.ingest.store import Store

SUPPORT = ["sjukpenning", "aktivitetsersättning", "sjukersättning", "försörjningsstöd", "aktivitetsstöd",
           "a-kassa", "ingen", "annan"]
EDUCATION = ["förgymnasial", "gymnasial", "eftergymnasial", "okänd"]
REFERRERS = ["Försäkringskassan", "Arbetsförmedlingen", "kommun", "region", "annan"]
OUTCOMES = ["arbete", "studier", "arbetssökande", "fortsatt_rehabilitering", "sjukskrivning", "annan"]
COMPONENTS = ["kartläggning", "arbetsträning", "praktik", "samtalsstöd", "jobbcoachning", "arbetsgivarkontakt"]


def _pick(values: list[str], seed: int) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"([{quoted}])[1 + r(i, {seed}, {len(values)})]"


def build_store(path: Path, rows: int) -> None:
    """Synthetic enrolments written straight into a store with DuckDB SQL (fast at any size)."""
    store = Store(path)
    people = rows * 9 // 10
    intervention = "'INS' || lpad(CAST(1 + r(i, 11, 12) AS VARCHAR), 2, '0')"
    with store.connect() as con:
        # r(i, k, m): a reproducible pseudo-random integer in [0, m) for row i and stream k.
        con.execute("CREATE OR REPLACE TEMP MACRO r(i, k, m) AS CAST(hash(i, k) % m AS BIGINT)")
        con.execute(f"""
            INSERT INTO participants SELECT 'P' || i, NULL,
              CASE WHEN r(i, 1, 1000) < 4 THEN 'unknown' WHEN r(i, 2, 2) = 0 THEN 'women' ELSE 'men' END,
              1960 + r(i, 3, 45), {_pick(EDUCATION, 4)}, r(i, 5, 5) = 0, r(i, 6, 6) = 0, '2062'
            FROM range({people}) t(i)""")
        con.execute(f"""
            INSERT INTO enrolments SELECT 'E' || i, 'P' || r(i, 10, {people}), {intervention},
              DATE '2021-01-01' + CAST(r(i, 12, 1800) AS INTEGER),
              DATE '2021-01-01' + CAST(r(i, 12, 1800) + 30 + r(i, 13, 300) AS INTEGER),
              {_pick(SUPPORT, 14)}, r(i, 15, 80), NULL, 'ingen', {_pick(REFERRERS, 16)}, {_pick(OUTCOMES, 17)},
              20 + r(i, 18, 60), 10000 + r(i, 19, 30000)
            FROM range({rows}) t(i)""")
        for k, component in enumerate(COMPONENTS):
            con.execute(f"""
                INSERT INTO components SELECT 'E' || i, {intervention}, '{component}', NULL, 4
                FROM range({rows}) t(i) WHERE r(i, {30 + k}, 3) = 0""")
        con.execute("""INSERT INTO interventions SELECT 'INS' || lpad(CAST(i AS VARCHAR), 2, '0'), 'Insats ' || i,
                       'Bench', DATE '2021-01-01', DATE '2025-12-31', 'sjukpenning' FROM range(1, 13) t(i)""")
        con.execute("""INSERT INTO reference_population SELECT y, '2062', 'sjukpenning', 60000, 40000
                       FROM range(2021, 2026) t(y)""")


def _child(store: str, quick: bool) -> None:
    from jamkoll.analysis import AnalysisConfig, analyze

    start = time.perf_counter()
    analysis = analyze(Store(store), AnalysisConfig())
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(json.dumps({"seconds": seconds, "peak_gb": peak, "findings": len(analysis.findings)}))


def _baseline(store: Path, sample_rows: int) -> dict[str, float]:
    """The overall models fitted row by row (statsmodels Logit on pandas) against the engine's compressed fit."""
    import pandas as pd
    import statsmodels.api as sm

    from jamkoll.analysis import DEFAULT_COVARIATES
    from jamkoll.analysis import data as d
    from jamkoll.analysis.engine import _binary_rows
    from jamkoll.analysis.stats import adjusted_difference

    con = Store(store).ibis()
    frame = d.enrolment_frame(con).limit(sample_rows)
    covariates = list(DEFAULT_COVARIATES)
    rows = frame.execute()
    rows = rows[rows["sex"].isin(["women", "men"])]
    start = time.perf_counter()
    for outcome in OUTCOMES:
        design = pd.get_dummies(rows[[*covariates, "sex"]].astype(str), drop_first=True, dtype=float)
        sm.Logit((rows["outcome"] == outcome).astype(float), sm.add_constant(design)).fit(disp=0, maxiter=100)
    row_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for outcome in OUTCOMES:
        patterns = d.binary_patterns(frame, frame.outcome == outcome, covariates)
        adjusted_difference(_binary_rows(patterns[patterns["sex"].isin(["women", "men"])]), "y", "sex", covariates,
                            categorical=covariates, weights="w")
    compressed_seconds = time.perf_counter() - start
    return {"rows": len(rows), "models": len(OUTCOMES), "statsmodels_row_by_row_s": round(row_seconds, 2),
            "jamkoll_compressed_s": round(compressed_seconds, 2),
            "ratio": round(row_seconds / compressed_seconds, 1)}


def run(quick: bool = False) -> None:
    rows = 200_000 if quick else 10_000_000
    sample = 50_000 if quick else 250_000
    work = Path(tempfile.mkdtemp(prefix="jamkoll-bench-analysis-"))
    try:
        start = time.perf_counter()
        build_store(work / "store", rows)
        built = time.perf_counter() - start
        child = subprocess.run([sys.executable, "-m", "bench.bench_analysis", str(work / "store")],
                               capture_output=True, text=True, check=True)
        full = json.loads(child.stdout.strip().splitlines()[-1])
        baseline = _baseline(work / "store", sample)
        write_result("analysis", {
            "enrolments": rows, "build_store_s": round(built, 1), "analysis_s": round(full["seconds"], 1),
            "analysis_peak_gb": round(full["peak_gb"], 2), "comparisons": full["findings"],
            "target_s": 60, "target_gb": 8, "meets_target": full["seconds"] < 60 and full["peak_gb"] < 8,
            "side_by_side": baseline, "quick": quick,
        })
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    _child(sys.argv[1], quick=False)
