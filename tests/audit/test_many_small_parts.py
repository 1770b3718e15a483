"""Many small parts under a small total (issue 11): the gate withholds them.

A published 0 is a true 0 and a published 5 or more a true 1 or more, so an attacker knows which parts
of a column are non-zero; a column total published as ``p`` is at most ``p + 4``. With ``k`` non-zero
parts each is then at most ``p + 4 − (k − 1)``, inside 1–4 once ``k >= p + 1``: six categories of one
woman each, whose total (true 6) the table publishes as 5 for a third of the installation keys. This was
a known limit (a strict expected failure) until the gate withheld such parts
(:mod:`jamkoll.analysis.pinning`); the auditor now finds nothing for any key.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from jamkoll.analysis.disclosure import DisclosurePolicy, cell_key_counts, record_keys
from jamkoll.audit import ALL, CellId, Fact, Published, SumRelation, audit

KEYS = range(12)


def _published(values: pd.DataFrame) -> Published:
    facts = [Fact("t.xlsx", "note", "text", None, text="Slumpmässigt störda värden (cell key-metoden).")]
    sums = []
    rows = [r for r in values.index if r != "total"]
    for sex in ("women", "men"):
        total = CellId("participants", "2025", "INS99", sex, ALL)
        for r in [*rows, "total"]:
            cell = total if r == "total" else total.with_(category=f"group={r}")
            value = values.at[r, sex]
            facts.append(Fact("t.xlsx", f"T!{sex}:{r}", "count", None if pd.isna(value) else float(value),
                              cell=cell))
        sums.append(SumRelation(total, tuple(total.with_(category=f"group={r}") for r in rows), "t.xlsx", sex))
    return Published(facts, sums)


def test_six_categories_of_one_woman_each_are_not_pinned_for_any_key() -> None:
    records = pd.DataFrame({"id": [f"w{i}" for i in range(6)] + [f"m{i}" for i in range(18)],
                            "group": [f"g{i}" for i in range(6)] + [f"g{i % 6}" for i in range(18)],
                            "sex": ["women"] * 6 + ["men"] * 18})
    exposed = []
    for i in KEYS:
        secret = hashlib.sha256(f"many-small-parts-{i}".encode()).digest()
        policy = DisclosurePolicy(method="cell_key", secret=secret, margin_label="total")
        keyed = records.assign(record_key=record_keys(records["id"], secret, key_range=policy.key_range))
        result = audit(_published(cell_key_counts(keyed, ["group", "sex"], policy=policy).values))
        exposed += [(i, e.cell.label(), e.low, e.high) for e in result.exposures]
    assert exposed == []
