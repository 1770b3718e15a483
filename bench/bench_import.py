"""Import throughput: enrolment rows per second from Swedish CSV, and a 100 000-row XLSX.

Targets (issue 2): at least 200 000 enrolment rows per second from CSV; a 100 000-row XLSX in under 5 s.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from bench.run import median_seconds, write_result
from jamkoll.demo import generate
from jamkoll.demo.writer import swedish_frame, write_swedish_csv
from jamkoll.ingest import Store, import_files


def _enrolments(demo_enrolments: pd.DataFrame, rows: int) -> pd.DataFrame:
    reps = -(-rows // len(demo_enrolments))
    big = pd.concat([demo_enrolments] * reps, ignore_index=True).iloc[:rows].copy()
    big["enrolment_id"] = [f"B{i:08d}" for i in range(rows)]
    return big


def run(quick: bool = False) -> None:
    work = Path(tempfile.mkdtemp(prefix="jamkoll-bench-"))
    os.environ.setdefault("JAMKOLL_SECRET_FILE", str(work / "pseudonym.key"))
    try:
        demo = generate()
        base = work / "base"
        for name in ("interventions", "participants"):
            write_swedish_csv(swedish_frame(name, demo.tables[name]), base / f"{name}.csv")
        csv_rows = 50_000 if quick else 1_000_000
        xlsx_rows = 5_000 if quick else 100_000
        csv_path = work / "inskrivningar.csv"
        write_swedish_csv(swedish_frame("enrolments", _enrolments(demo.tables["enrolments"], csv_rows)), csv_path)
        xlsx_path = work / "inskrivningar.xlsx"
        _write_xlsx(swedish_frame("enrolments", _enrolments(demo.tables["enrolments"], xlsx_rows)), xlsx_path)
        store_dir = work / "store"

        def fresh_store() -> None:
            shutil.rmtree(store_dir, ignore_errors=True)
            import_files(sorted(base.glob("*.csv")), Store(store_dir))

        csv_seconds = median_seconds(lambda: import_files([csv_path], Store(store_dir)), setup=fresh_store)
        xlsx_seconds = median_seconds(lambda: import_files([xlsx_path], Store(store_dir)), setup=fresh_store)
        write_result("import", {
            "csv_rows": csv_rows, "csv_median_s": round(csv_seconds, 3),
            "csv_rows_per_s": round(csv_rows / csv_seconds),
            "csv_target_rows_per_s": 200_000, "csv_meets_target": csv_rows / csv_seconds >= 200_000,
            "xlsx_rows": xlsx_rows, "xlsx_median_s": round(xlsx_seconds, 3), "xlsx_target_s": 5.0,
            "xlsx_meets_target": xlsx_seconds < 5.0, "repeats": 3, "quick": quick,
        })
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("inskrivningar")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append([None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
    workbook.save(path)
