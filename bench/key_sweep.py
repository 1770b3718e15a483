"""Run the demo attack (tests/audit/test_demo_attack.py) for several fixed installation keys.

The installation key reaches the cell key method through ``Store.disclosure_secret()``, which reads
the file ``$JAMKOLL_SECRET_FILE`` (``jamkoll.ingest.pseudonym.load_or_create_secret``). The demo store
is imported once (its pseudonyms with a key of its own, as the ``demo_store`` fixture does); then, per
key, the file holds ``sha256(b"jamkoll-key-sweep-<i>")`` and the 2024 and 2025 reports are written and
audited together. Every exposure, leak and conflict is written to ``OUT/key-<i>/audit.json`` with the
true count of the cell (``true_counts``, the same analyses without suppression).

    PYTHONPATH=. python -m bench.key_sweep --keys 0-9 --out /tmp/key-sweep
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "audit"))

from demo_outputs import YEARS, true_counts, write_demo_outputs  # noqa: E402

from bench.explain import explain_conflict, explain_exposure  # noqa: E402
from jamkoll.audit import CellId, audit_paths, read_outputs  # noqa: E402


def fast_analyses(bootstrap: int) -> None:
    """Make ``write_demo_outputs`` analyse each (year, scope) once per key (the 2024 analysis is also the
    2025 report's previous year) and with ``bootstrap`` replicates (the decompositions' standard errors
    only: no count, rate or table changes)."""
    import demo_outputs

    from jamkoll.analysis import analyze

    cache: dict[tuple[Any, ...], Any] = {}

    def cached(store: Any, config: Any) -> Any:
        config = replace(config, bootstrap=bootstrap)
        key = (str(getattr(store, "path", store)), os.environ.get("JAMKOLL_SECRET_FILE"), config)
        if key not in cache:
            if any(k[1] != key[1] for k in cache):  # another installation key: start afresh
                cache.clear()
            cache[key] = analyze(store, config)
        return cache[key]

    demo_outputs.analyze = cached  # type: ignore[attr-defined,assignment,unused-ignore]


def key_bytes(i: int) -> bytes:
    return hashlib.sha256(f"jamkoll-key-sweep-{i}".encode()).digest()


def use_key(path: Path, key: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key.hex())
    os.environ["JAMKOLL_SECRET_FILE"] = str(path)


def demo_store(out: Path) -> Path:
    from jamkoll.demo import write_demo
    from jamkoll.ingest import Store, import_files

    store = out / "store"
    if (out / "store.done").exists():
        return store
    use_key(out / "store-key" / "pseudonym.key", hashlib.sha256(b"jamkoll-demo-pseudonyms").digest())
    write_demo(out / "demo")
    import_files([out / "demo" / "xlsx" / "demoforbund.xlsx"], Store(store))
    (out / "store.done").touch()
    return store


def parse_keys(text: str) -> list[int]:
    keys: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        keys += list(range(int(lo), int(hi or lo) + 1))
    return keys


def record(i: int, published: Path, truth: dict[CellId, float], explain: bool = True) -> dict[str, Any]:
    """Audit ``published`` and describe every finding (with the relations behind each exposure)."""
    start = time.time()
    result = audit_paths([published])
    exposures = []
    model = None
    if explain and (result.exposures or result.conflicts):
        from jamkoll.audit.model import FAMILIES, build_model
        from jamkoll.audit.perturbation import is_perturbed, with_noise_bands

        facts, _, interventions = read_outputs([published])
        if is_perturbed(facts):
            facts = with_noise_bands(facts)
        model = build_model(facts, FAMILIES, interventions)
    for e in result.exposures:
        why = explain_exposure(model, e.cell, e.low, e.high) if model is not None else {}
        exposures.append({"cell": e.cell.to_dict(), "label": e.cell.label(), "low": e.low, "high": e.high,
                          "reason": e.reason, "attack": e.attack, "hidden_at": e.hidden_at,
                          "shown_at": e.shown_at, "true": truth.get(e.cell), "relations": why})
    conflicts = []
    for c in result.conflicts:
        entry: dict[str, Any] = {"conflict": c}
        label = c.split(": ", 1)[0]
        if model is not None and c.endswith("⊥"):
            measure, year, intervention, sex, *cat = label.split("/")
            cell = CellId(measure, year, intervention, sex, cat[0] if cat else "*")
            if cell in model.index:
                entry["relations"] = explain_conflict(model, cell)
        conflicts.append(entry)
    return {
        "key": i, "seconds_audit": round(time.time() - start, 1), "audited": result.audited,
        "files": result.files, "conflicts": conflicts,
        "leaks": [{"kind": x.kind, "value": x.value, "source": x.source, "location": x.location,
                   "detail": x.detail} for x in result.leaks],
        "exposures": exposures, "summary": result.summary(lang="en", limit=200),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keys", default="0-9")
    parser.add_argument("--out", type=Path, default=Path("/tmp/key-sweep"))
    parser.add_argument("--reaudit", default="", help="audit the outputs already written again, into this "
                        "file name of each key's folder (e.g. audit-new.json)")
    parser.add_argument("--summary", action="store_true", help="print the summary of every key audited so far")
    parser.add_argument("--years", default="2024,2025", help="report years (each with the year before)")
    parser.add_argument("--bootstrap", type=int, default=0,
                        help="bootstrap replicates of the decompositions (standard errors only; 200 as analyze)")
    args = parser.parse_args()
    fast_analyses(args.bootstrap)
    out: Path = args.out
    if args.summary:
        print(json.dumps(summarize(out), indent=1))
        return
    store = demo_store(out)
    years = tuple(int(y) for y in args.years.split(","))
    suffix = "" if years == YEARS else "-" + "-".join(map(str, years))
    truth_file = out / f"truth{suffix}.json"
    if not truth_file.exists():
        use_key(out / "truth-key" / "pseudonym.key", key_bytes(10_000))
        truth = true_counts(store, years)
        truth_file.write_text(json.dumps([[c.to_dict(), v] for c, v in truth.items()]))
    truth = {CellId.from_dict(c): v for c, v in json.loads(truth_file.read_text())}
    for i in parse_keys(args.keys):
        folder = out / f"key-{i}{suffix}"
        target = folder / (args.reaudit or "audit.json")
        if target.exists() or (args.reaudit and not (folder / "audit.json").exists()):
            continue
        start = time.time()
        if not args.reaudit:
            use_key(folder / "pseudonym.key", key_bytes(i))
            write_demo_outputs(store, folder / "published", years)
        written = time.time()
        found = record(i, folder / "published", truth)
        found["seconds_write"] = round(written - start, 1)
        target.write_text(json.dumps(found, indent=1, ensure_ascii=False))
        print(f"key {i}: {len(found['exposures'])} exposures, {len(found['leaks'])} leaks, "
              f"{len(found['conflicts'])} conflicts; write {written - start:.0f}s audit {found['seconds_audit']:.0f}s",
              flush=True)



def summarize(out: Path, names: tuple[str, ...] = ("audit.json", "audit-main.json", "audit-final.json"),
              ) -> dict[str, Any]:
    """Per audit file name: the keys audited, and exposures (by attack class, real or false alarm by the
    true count), leaks and conflicts summed over them."""
    summary: dict[str, Any] = {}
    for name in names:
        keys, exposures, leaks, conflicts = [], [], 0, 0
        for path in sorted(out.glob(f"key-*/{name}")):
            data = json.loads(path.read_text())
            keys.append(data["key"])
            exposures += [dict(e, key=data["key"]) for e in data["exposures"]]
            leaks += len(data["leaks"])
            conflicts += len(data["conflicts"])
        by_class: dict[str, dict[str, int]] = {}
        for e in exposures:
            true = e.get("true")
            real = true is not None and e["low"] <= true <= e["high"] and (
                e["reason"] != "small" or 1 <= true <= 4)
            entry = by_class.setdefault(e["attack"], {"real": 0, "false_alarm": 0, "unknown": 0})
            entry["unknown" if true is None else "real" if real else "false_alarm"] += 1
        summary[name] = {"keys": sorted(keys), "exposures": len(exposures), "by_class": by_class,
                         "leaks": leaks, "conflicts": conflicts}
    return summary


if __name__ == "__main__":
    main()
