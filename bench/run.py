"""Benchmarks: `make bench` runs them all and writes JSON and a summary to bench/results/.

Timings are medians of repeated runs measured side by side in one process, never assertions in
tests (timed tests flake on shared machines).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def median_seconds(fn: Callable[[], Any], repeat: int = 3, setup: Callable[[], Any] | None = None) -> float:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> dict[str, Any]:
    import os

    return {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()}


def write_result(name: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {"benchmark": name, "machine": machine(), "when": time.strftime("%Y-%m-%dT%H:%M:%S"), **result}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return path


SUITES = ("import", "analysis", "report", "load")


def parse_args(argv: list[str] | None = None) -> tuple[list[str], bool]:
    """The suites to run (all when none is named) and whether to run them small."""
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    # Checked by hand: Python 3.11's argparse refuses an empty ``nargs="*"`` list when ``choices`` is given.
    parser.add_argument("suite", nargs="*", help=f"one or more of {', '.join(SUITES)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, to check that benchmarks run")
    args = parser.parse_args(argv)
    unknown = [name for name in args.suite if name not in SUITES]
    if unknown:
        parser.error(f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    return list(args.suite) or list(SUITES), bool(args.quick)


def main(argv: list[str] | None = None) -> None:
    from bench import bench_analysis, bench_import, bench_load, bench_report

    runners = {"import": bench_import.run, "analysis": bench_analysis.run, "report": bench_report.run,
               "load": bench_load.run}
    names, quick = parse_args(argv)
    for name in names:
        runners[name](quick=quick)


if __name__ == "__main__":
    main()
