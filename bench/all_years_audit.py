"""Audit the all-years ``analysis.json`` of the demo store (alone and with the yearly outputs) for a key.

    PYTHONPATH=. python -m bench.all_years_audit --key 0 --out /tmp/key-sweep
Uses the store and key files of ``bench.key_sweep``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.key_sweep import demo_store, key_bytes, use_key
from jamkoll.analysis import AnalysisConfig, analyze
from jamkoll.audit import audit_paths
from jamkoll.ingest import Store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/key-sweep"))
    args = parser.parse_args()
    store = demo_store(args.out)
    folder = args.out / f"all-years-{args.key}"
    use_key(folder / "pseudonym.key", key_bytes(args.key))
    target = folder / "published" / "all"
    target.mkdir(parents=True, exist_ok=True)
    (target / "analysis.json").write_text(analyze(Store(store), AnalysisConfig()).to_json(), encoding="utf-8")
    alone = audit_paths([target])
    print("ALONE:\n" + alone.summary(lang="en", limit=60), flush=True)
    yearly = args.out / f"key-{args.key}" / "published"
    if yearly.exists():
        both = audit_paths([target, yearly])
        print("WITH YEARLY OUTPUTS:\n" + both.summary(lang="en", limit=60), flush=True)


if __name__ == "__main__":
    main()
