"""The auditor attacks cell key tables of random data: no total pins a part (issue 11).

Each table is published whole (inner cells, the column totals and the row totals, which are the sums of
the published parts), its relations (every column adds up to the total row, every row to
its row total) handed to the auditor with the cell key note, and every published or withheld cell
must keep its protection: no count pinned into 1-4, no withheld count narrowed below five values.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from jamkoll.analysis.disclosure import DisclosurePolicy, ProtectedTable, TotalRow, cell_key_counts, record_keys
from jamkoll.analysis.pinning import published_band, withheld_parts
from jamkoll.audit import ALL, CellId, Fact, ProtectionRule, Published, SumRelation, audit
from jamkoll.audit.perturbation import band

NOTE = Fact("t.xlsx", "note", "text", None, text="Slumpmässigt störda värden (cell key-metoden).")


def _published(table: ProtectedTable) -> Published:
    """Every cell of ``table`` as a fact, with the relations a reader sees in it."""
    values = table.values
    rows = [r for r in values.index if r != table.total_row]
    columns = [c for c in values.columns if c != table.row_total]

    def cell(r: object, c: object) -> CellId:
        return CellId("participants", "2025", "INS99", ALL if c == table.row_total else str(c),
                      ALL if r == table.total_row else f"group={r}")

    facts = [NOTE]
    for r in values.index:
        for c in values.columns:
            v = values.at[r, c]
            facts.append(Fact("t.xlsx", f"T!{r}:{c}", "count", None if pd.isna(v) else float(v), cell=cell(r, c)))
    sums = [SumRelation(cell(table.total_row, c), tuple(cell(r, c) for r in rows), "t.xlsx", f"col {c}")
            for c in columns]
    sums += [SumRelation(cell(r, table.row_total), tuple(cell(r, c) for c in columns), "t.xlsx", f"row {r}")
             for r in [*rows, table.total_row]]
    return Published(facts, sums)


def _records(parts: list[tuple[int, int]], seed: int) -> pd.DataFrame:
    ids, groups, sexes = [], [], []
    for g, (women, men) in enumerate(parts):
        for sex, n in (("women", women), ("men", men)):
            ids += [f"{seed}-{g}-{sex}-{i}" for i in range(n)]
            groups += [f"g{g}"] * n
            sexes += [sex] * n
    return pd.DataFrame({"id": ids, "group": groups, "sex": sexes})


#: Women per row as the risky columns have them: several rows of none, one or two women (a small total
#: over many small parts), and up to two rows of many (large parts that leave the total little room).
SMALL = st.lists(st.sampled_from([0, 1, 1, 1, 2]), min_size=3, max_size=8)
LARGE = st.lists(st.integers(12, 25), max_size=2)


@settings(max_examples=60, deadline=None)
@given(small=SMALL, large=LARGE, men=st.lists(st.integers(0, 20), min_size=10, max_size=10),
       seed=st.integers(0, 2**20), total_row=st.sampled_from(["kept", "kept", "yields"]))
def test_no_part_of_a_cell_key_table_is_pinned(small: list[int], large: list[int], men: list[int], seed: int,
                                               total_row: TotalRow) -> None:
    # Eight installation keys per table: a pin needs the noise of the total and the parts to fall just so
    # (without the gate's withholding this fails within a few dozen tables).
    women = small + large
    records = _records(list(zip(women, men, strict=False)), seed)
    if records.empty:
        return
    exposed = []
    for key in range(8):
        secret = hashlib.sha256(f"pinned-parts-{seed}-{key}".encode()).digest()
        policy = DisclosurePolicy(method="cell_key", secret=secret, margin_label="total")
        keyed = records.assign(record_key=record_keys(records["id"], secret, key_range=policy.key_range))
        table = cell_key_counts(keyed, ["group", "sex"], policy=policy, total_row=total_row)
        result = audit(_published(table))
        exposed += [(key, result.summary(limit=5)) for _ in result.exposures[:1]]
    assert exposed == []


def _column(*values: int) -> np.ndarray:
    """One published column (parts, then its total) with its row totals, in the canonical layout."""
    column = np.array(values)
    return np.column_stack([column, column])


def test_a_small_total_over_two_large_parts_withholds_the_small_ones() -> None:
    # The steering-group workbook the key sweep exposed (key 23): a total published 39 (at most 43) over
    # parts published 25 and 21 (at least 21 and 17) leaves each part published 5 one to four.
    policy = DisclosurePolicy(method="cell_key")
    column = _column(25, 21, 0, 5, 5, 39)
    hidden = withheld_parts(column, policy)
    assert hidden[:, 0].tolist() == [False, False, True, True, True, False]  # the 0 too: which is 0 is not told


def test_no_part_is_withheld_when_the_total_leaves_room() -> None:
    policy = DisclosurePolicy(method="cell_key")
    assert not withheld_parts(_column(25, 21, 0, 5, 5, 50), policy).any()
    assert not withheld_parts(_column(0, 0, 0), policy).any()  # a 0 total: all 0


def test_withheld_parts_stay_uncertain_by_five() -> None:
    # A total published 18 (at most 22) over large parts 14 and 9 (at least 10 and 7) and two 5s: each 5
    # would be 1 to 4; withheld, the two are 0 to 5 together, enough. Under a total published 20 (at most
    # 24) over 16 and 12 (at least 12 and 9) they would be 0 to 3: the smaller large part is withheld too.
    policy = DisclosurePolicy(method="cell_key")
    hidden = withheld_parts(_column(14, 9, 5, 5, 18), policy)[:, 0].tolist()
    assert hidden == [False, False, True, True, False]
    hidden = withheld_parts(_column(16, 12, 5, 5, 20), policy)[:, 0].tolist()
    assert hidden == [False, True, True, True, False]


def test_a_total_that_yields_is_withheld_over_small_parts_only() -> None:
    # A table by year: each year's cell is that year's own total elsewhere, so the total over the years
    # gives way, decided on the parts alone (a zero or large parts only keep it).
    policy = DisclosurePolicy(method="cell_key")
    assert withheld_parts(_column(25, 21, 0, 5, 5, 50), policy, total_row="yields")[:, 0].tolist() == [
        False, False, False, False, False, True]
    assert not withheld_parts(_column(25, 21, 0, 7, 51), policy, total_row="yields").any()
    assert not withheld_parts(_column(25, 5, 0, 5, 5, 39), policy, total_row="dropped").any()


def test_the_gate_and_the_auditor_read_the_perturbation_table_alike() -> None:
    policy = DisclosurePolicy(method="cell_key")
    for value in [0, *range(5, 40)]:
        assert published_band(value, policy) == band(value), value


def test_a_withheld_zero_that_another_table_shows_is_no_exposure() -> None:
    # The gate withholds the zeros of a column with its small parts (so that nobody can tell which are 0);
    # the association's table may still show that nobody of other or unknown sex had the outcome, and so
    # that each intervention's hidden part is 0. A 0 tells of nobody: exposed only where zeros are protected.
    association = CellId("exits", "2024", ALL, "other_unknown", "outcome=studier")
    intervention = association.with_(intervention="INS03")
    facts = [NOTE, Fact("a.xlsx", "T!D4", "count", 0.0, cell=association),
             Fact("b.xlsx", "T!D4", "count", None, cell=intervention)]
    assert audit(Published(facts, []), interventions={"INS03"}).exposures == []
    strict = audit(Published(facts, []), rule=ProtectionRule(zeros=True), interventions={"INS03"})
    assert [(e.cell, e.reason) for e in strict.exposures] == [(intervention, "exact")]
    assert ProtectionRule().reason(0, 0) is None and ProtectionRule().reason(0, 3) == "narrow"
    assert ProtectionRule().reason(2, 2) == "exact"
