"""A small total with many small non-zero parts, through the real cell key method, attacked by the auditor.

Under the cell key method a published 0 means a true 0 and a published 5 or more a true 1 or more, so an
attacker knows which parts of a column are non-zero. A column total published as ``p`` is at most
``p + max_noise``; with ``k`` non-zero parts each is at most ``p + max_noise − (k − 1)``: inside 1–4
once ``k >= p + 1``. This runs ``cell_key_counts`` on ``k`` categories of one woman each (and some men)
for many installation keys and counts the keys for which the auditor pins a part into 1–4 (none since
the gate withholds such parts, ``jamkoll/analysis/pinning.py``; a third of the keys before).

    PYTHONPATH=. python -m bench.many_small_parts 6 200
"""

from __future__ import annotations

import hashlib
import sys

import pandas as pd

from jamkoll.analysis.disclosure import DisclosurePolicy, cell_key_counts, record_keys
from jamkoll.audit import ALL, CellId, Fact, Published, SumRelation, audit


def table_facts(values: pd.DataFrame, dimension: str) -> Published:
    facts = [Fact("t.xlsx", "note", "text", None, text="cell key")]
    sums = []
    sexes = {"women": "women", "men": "men"}
    rows = [r for r in values.index if r != "total"]
    for column, sex in sexes.items():
        for r in [*rows, "total"]:
            cell = CellId("participants", "2025", "INS99", sex, ALL if r == "total" else f"{dimension}={r}")
            value = values.at[r, column]  # withheld by the gate (jamkoll/analysis/pinning.py): pd.NA
            facts.append(Fact("t.xlsx", f"T!{column}:{r}", "count", None if pd.isna(value) else float(value),
                              cell=cell))
        total = CellId("participants", "2025", "INS99", sex, ALL)
        sums.append(SumRelation(total, tuple(total.with_(category=f"{dimension}={r}") for r in rows), "t.xlsx",
                                f"T!{column}"))
    return Published(facts, sums)


def main() -> None:
    k, n_keys = int(sys.argv[1]), int(sys.argv[2])
    records = pd.DataFrame({
        "id": [f"w{i}" for i in range(k)] + [f"m{i}" for i in range(3 * k)],
        "group": [f"g{i}" for i in range(k)] + [f"g{i % k}" for i in range(3 * k)],
        "sex": ["women"] * k + ["men"] * (3 * k),
    })
    exposed_keys = 0
    for i in range(n_keys):
        secret = hashlib.sha256(f"many-small-parts-{i}".encode()).digest()
        policy = DisclosurePolicy(method="cell_key", secret=secret, margin_label="total")
        keyed = records.assign(record_key=record_keys(records["id"], secret, key_range=policy.key_range))
        table = cell_key_counts(keyed, ["group", "sex"], policy=policy)
        result = audit(table_facts(table.values, "group"))
        if result.exposures:
            exposed_keys += 1
            if exposed_keys <= 3:
                print(f"key {i}: women published {table.values['women'].to_dict()}")
                print("  " + "; ".join(f"{e.cell.label()} [{e.low:g}, {e.high:g}] {e.reason}"
                                       for e in result.exposures[:3]))
    print(f"{k} parts of one woman each: exposed for {exposed_keys} of {n_keys} keys")


if __name__ == "__main__":
    main()
