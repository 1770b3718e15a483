"""The full yearly report for the demo association: analysis plus all four formats.

Target (issue 4): all four formats in under 10 s on this machine. Reported separately: the
analysis of the report year and the writing of the files, each a median of three runs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from bench.run import median_seconds, write_result


def run(quick: bool = False) -> None:
    from jamkoll.analysis import AnalysisConfig, analyze
    from jamkoll.demo import write_demo
    from jamkoll.ingest import Store, import_files
    from jamkoll.reports import write_report

    work = Path(tempfile.mkdtemp(prefix="jamkoll-bench-report-"))
    os.environ.setdefault("JAMKOLL_SECRET_FILE", str(work / "pseudonym.key"))
    try:
        write_demo(work / "demo")
        store = Store(work / "store")
        import_files([work / "demo" / "xlsx" / "demoforbund.xlsx"], store)
        config = AnalysisConfig(year=2025)
        analysis = analyze(store, config)
        previous = analyze(store, AnalysisConfig(year=2024))
        repeat = 1 if quick else 3
        analyse_s = median_seconds(lambda: analyze(store, config), repeat=repeat)
        write_s = median_seconds(
            lambda: write_report(analysis, work / "out", previous=previous), repeat=repeat,
            setup=lambda: shutil.rmtree(work / "out", ignore_errors=True))
        full_s = median_seconds(
            lambda: write_report(analyze(store, config), work / "out", previous=previous), repeat=repeat,
            setup=lambda: shutil.rmtree(work / "out", ignore_errors=True))
        sizes = {p.suffix: p.stat().st_size for p in (work / "out").iterdir()}
        write_result("report", {
            "analysis_median_s": round(analyse_s, 2), "write_four_formats_median_s": round(write_s, 2),
            "analysis_and_four_formats_median_s": round(full_s, 2), "target_s": 10,
            "meets_target": full_s < 10, "file_bytes": sizes, "repeats": repeat, "quick": quick,
        })
    finally:
        shutil.rmtree(work, ignore_errors=True)
