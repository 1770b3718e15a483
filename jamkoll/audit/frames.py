"""Facts from a protected count table in memory (:class:`jamkoll.analysis.disclosure.ProtectedTable`).

Lets a publication step audit a table before it is written, and lets tests audit
:func:`~jamkoll.analysis.disclosure.protect_counts` in isolation. Each inner cell is the cell
``category="row=<row>|col=<column>"`` of one measure; the margins are stated as sums.
"""

from __future__ import annotations

from typing import Any

from jamkoll.audit.facts import ALL, CellId, Fact, Published, SumRelation

__all__ = ["published_from_protected"]


def published_from_protected(protected: Any, measure: str = "table", source: str = "table") -> Published:
    """Every cell of ``protected`` as a count fact (``None`` where suppressed) plus its margins."""
    values = protected.values
    hidden = protected.suppressed
    row_total, total_row = protected.row_total, protected.total_row
    rows = [r for r in values.index if r != total_row]
    cols = [c for c in values.columns if c != row_total]

    def cell(r: Any, c: Any) -> CellId:
        rk = ALL if r == total_row else f"row={r}"
        ck = ALL if c == row_total else f"col={c}"
        return CellId(measure, category=f"{rk}|{ck}")

    out = Published()
    for i, r in enumerate(values.index):
        for j, c in enumerate(values.columns):
            value = None if bool(hidden.iloc[i, j]) else float(values.iloc[i, j])
            out.facts.append(Fact(source, f"{r}/{c}", "count", value, cell=cell(r, c)))
    for r in values.index:
        out.sums.append(SumRelation(cell(r, row_total), tuple(cell(r, c) for c in cols), source, f"row {r}"))
    for c in values.columns:
        out.sums.append(SumRelation(cell(total_row, c), tuple(cell(r, c) for r in rows), source, f"column {c}"))
    return out
