"""Write the demo association's published outputs, as `jamkoll report` and `jamkoll analyze --json` do.

For each year: the overall report workbook and ``analysis.json``, and the steering-group report of
every intervention that had participants that year (XLSX only: the auditor reads XLSX and JSON; the
other formats print the same tables).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jamkoll.analysis import AnalysisConfig, analyze
from jamkoll.audit import CellId
from jamkoll.audit.analysis_json import read_analysis_json
from jamkoll.ingest import Store
from jamkoll.reports import write_report
from jamkoll.reports.labels import analysis_json

YEARS = (2024, 2025)


@contextmanager
def installation_key(path: Path) -> Iterator[None]:
    """Publish as one installation: the installation key in ``path`` (created on first use) for
    everything written inside, whatever key the test around it has. Outputs written under different keys
    are two installations' outputs: their perturbed counts differ, and audited together they contradict
    each other (the auditor's ⊥)."""
    old = os.environ.get("JAMKOLL_SECRET_FILE")
    os.environ["JAMKOLL_SECRET_FILE"] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("JAMKOLL_SECRET_FILE", None)
        else:
            os.environ["JAMKOLL_SECRET_FILE"] = old


def write_demo_outputs(store_dir: Path, out: Path, years: tuple[int, ...] = YEARS) -> Path:
    """Publish the demo store's reports and ``analysis.json`` for ``years`` under ``out``."""
    store = Store(store_dir)
    for year in years:
        overall = analyze(store, AnalysisConfig(year=year))
        previous = analyze(store, AnalysisConfig(year=year - 1)) if year - 1 >= 2021 else None
        folder = out / str(year)
        write_report(overall, folder, formats=["xlsx"], previous=previous)
        (folder / "analysis.json").write_text(analysis_json(overall), encoding="utf-8")
        rows = overall.tables["participants_by_intervention"].frame.reset_index()
        codes = sorted({m.group(0) for v in rows.iloc[:, 0] if (m := re.match(r"INS\d+", str(v)))})
        for code in codes:
            scope = (code,)
            ins = analyze(store, AnalysisConfig(year=year, interventions=scope))
            prev = analyze(store, AnalysisConfig(year=year - 1, interventions=scope)) if previous else None
            write_report(ins, folder / code, formats=["xlsx"], intervention=code, previous=prev)
    return out


def write_all_years(store_dir: Path, out: Path) -> Path:
    """The all-years ``analysis.json`` (``jamkoll analyze --json`` without ``--year``) under ``out/all``."""
    folder = out / "all"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "analysis.json").write_text(analysis_json(analyze(Store(store_dir), AnalysisConfig())), encoding="utf-8")
    return folder


def true_counts(store_dir: Path, years: tuple[int, ...] = YEARS) -> dict[CellId, float]:
    """The true count of every cell the demo's tables describe: the same analyses without suppression
    (threshold 1), read by the auditor's own ``analysis.json`` reader so the cell identities match."""
    store = Store(store_dir)
    truth: dict[CellId, float] = {}
    for year in years:
        scopes: list[tuple[str, ...] | None] = [None]
        overall = analyze(store, AnalysisConfig(year=year, threshold=1, disclosure_method="suppress"))
        rows = overall.tables["participants_by_intervention"].frame.reset_index()
        scopes += [(m.group(0),) for v in rows.iloc[:, 0] if (m := re.match(r"INS\d+", str(v)))]
        for scope in scopes:
            analysis = overall if scope is None else analyze(
                store, AnalysisConfig(year=year, interventions=scope, threshold=1, disclosure_method="suppress"))
            data = json.loads(analysis.to_json())
            data["findings"] = []  # rounded sizes; the tables hold the exact counts
            for fact in read_analysis_json(Path("truth.json"), data).facts:
                if fact.kind == "count" and fact.cell is not None and fact.value is not None:
                    truth.setdefault(fact.cell, fact.value)
    return truth
