"""Disclosure control (röjandekontroll) for every count table that leaves Jämkoll.

Two methods are offered; :class:`DisclosurePolicy` chooses between them.

Threshold rule with secondary cell suppression (``method="suppress"``)
    Implemented by :func:`protect_counts`. The published table is always the
    *inner cells plus the margins*: a column of row totals, a row of column
    totals and the grand total. The margins are computed here from the inner
    cells (margins passed in with the table are checked and replaced), so that
    totals are always consistent with the parts.

    *Primary suppression*: every cell -- margins included -- with a count
    ``0 < c < threshold`` is hidden (with ``suppress_zeros=True`` also every 0).

    *Secondary suppression*: with the table's additivity equations an attacker
    can often compute a hidden cell from the published ones (a single hidden
    cell in a row is its total minus the rest). The attacker's knowledge is the
    polytope {x >= 0 : every row and column adds up, published cells fixed};
    the *feasibility interval* of a hidden cell is its min and max over that
    polytope. A cell is protected when its interval is at least
    ``min_interval`` wide (default 1, i.e. never a single point). For a
    two-dimensional table with margins the constraint matrix is the incidence
    matrix of a bipartite graph (rows and columns are nodes, cells are edges),
    so it is totally unimodular: the interval bounds are integers and the
    interval is computed exactly as two maximum flows (Ford-Fulkerson) in the
    graph of hidden cells (Cox 1980; Kelly, Golden & Assad 1992; Castro 2002).

    Complementary cells are chosen with a simple, deterministic heuristic:
    while some hidden cell is not protected (first in row-major order), hide
    the *cheapest set of published cells that closes a cycle through it* --
    a shortest path (Dijkstra) from the cell's row to its column in the
    row/column graph, where an already hidden cell costs 0, a published cell
    costs its value and a margin additionally costs more than all inner cells
    together. In the common case this is exactly "the smallest published cell
    in the same row, then the smallest cell in that column that also lies in a
    column/row with a hidden cell", i.e. the classical rectangle. Published
    zeros are avoided first (a hidden 0 can only move upwards); if that does
    not give a wide enough interval, only cells with a value >= ``min_interval``
    are used; if even that is impossible (tiny tables) the whole table is
    hidden. Adding hidden cells only widens intervals, and every round hides at
    least one more cell, so the loop terminates. As a consequence every row and
    column (margins included) holds either no hidden cell or at least two.

    Limitation (as in most suppression software): the attacker is assumed not
    to use the knowledge that a *primary* cell lies below the threshold.

Cell key method (``method="cell_key"``)
    Implemented by :func:`record_keys` and :func:`cell_key_counts`, following
    the ABS cell key method (Fraser & Wooton 2005; Thompson, Broadfoot &
    Elazar 2013) which SCB uses for population statistics from reference year
    2025. Every record carries a fixed record key, a uniform integer in
    ``[0, key_range)`` derived from the record's pseudonymous id with
    HMAC-SHA256 and a secret, so a person always has the same key. A cell's
    key is the sum of its records' keys modulo ``key_range``; the same set of
    records therefore gets the same cell key -- and the same noise -- in every
    table. The noise ``d`` is looked up in a fixed perturbation table (see
    :func:`perturbation_table`) indexed by the cell value (capped) and the cell
    key. Every cell and the column totals are perturbed independently, so the
    parts do not always add up to the column totals; a row total is the sum of
    the row's published parts. Parts that a column total would pin into 1 to
    threshold - 1 are withheld (:mod:`jamkoll.analysis.pinning`).

References
    Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte
    Nordholt, E., Spicer, K. & de Wolf, P.-P. (2012). *Statistical Disclosure
    Control*. Wiley. Chapters 4 (tabular data) and 5 (frequency tables).
    Cox, L. H. (1980). Suppression methodology and statistical disclosure
    control. *JASA* 75(370), 377-385.
    Kelly, J. P., Golden, B. L. & Assad, A. A. (1992). Cell suppression:
    disclosure protection for sensitive tabular data. *Networks* 22, 397-417.
    Castro, J. (2002). Network flows heuristics for complementary cell
    suppression: an empirical evaluation and extensions. *Inference Control in
    Statistical Databases*, LNCS 2316, 59-73.
    Fraser, B. & Wooton, J. (2005). A proposed method for confidentialising
    tabular output to protect against differencing. UNECE/Eurostat Work Session
    on Statistical Data Confidentiality, Geneva.
    Thompson, G., Broadfoot, S. & Elazar, D. (2013). Methodology for the
    automatic confidentialisation of statistical outputs from remote servers at
    the Australian Bureau of Statistics. UNECE/Eurostat Work Session on
    Statistical Data Confidentiality, Ottawa.
    Giessing, S. (2016). Computational issues in the design of transition
    probabilities and disclosure risk estimation for additive noise. *Privacy
    in Statistical Databases*, LNCS 9867, 237-251.
    SCB (2025). Frågor och svar om röjandeskydd i befolkningsstatistiken
    (Cell Key Method), https://www.scb.se/FAQ-CKM.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import math
from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

__all__ = [
    "COUNT_COLUMN",
    "DisclosurePolicy",
    "Protection",
    "ProtectedShares",
    "ProtectedTable",
    "TotalRow",
    "cell_key_counts",
    "is_safe",
    "perturbation_table",
    "protect_counts",
    "protect_records",
    "protect_shares",
    "record_keys",
]

#: Name of the single value column when a table is built from records with one ``by`` variable.
COUNT_COLUMN = "Antal"

_RECORD_KEY_DOMAIN = b"jamkoll/record-key/v1\x00"

Method = Literal["suppress", "cell_key"]
#: What gives way when a cell key table's column total would pin a part (:func:`cell_key_counts`).
TotalRow = Literal["kept", "yields", "dropped"]
Cell = tuple[int, int]


# --------------------------------------------------------------------------------------------------
# Policy and results
# --------------------------------------------------------------------------------------------------

#: Codes of :attr:`Protection.method`.
ProtectionMethod = Literal["", "cell_key", "suppression", "min_group"]


@dataclass(frozen=True)
class Protection:
    """How a published table was protected, in codes (the words are written by ``jamkoll.reports.labels``).

    Attributes:
        method: ``"cell_key"`` (every count perturbed by the cell key method), ``"suppression"`` (counts
            under ``threshold`` hidden by the threshold rule), ``"min_group"`` (a mean or median of a group
            of fewer than ``threshold`` people withheld) or ``""`` (nothing had to be done).
        threshold: the disclosure threshold (None with method ``""``).
        marker: the symbol shown for a hidden value (suppression only).
        zeros: zeros were hidden too (``suppress_zeros``; suppression only).
        secondary: other cells were hidden so that the hidden ones cannot be computed from the totals.
    """

    method: ProtectionMethod = ""
    threshold: int | None = None
    marker: str = ""
    zeros: bool = False
    secondary: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "threshold": self.threshold, "marker": self.marker, "zeros": self.zeros,
                "secondary": self.secondary}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Protection:
        data = data or {}
        method = str(data.get("method") or "")
        threshold = data.get("threshold")
        return cls(cast(ProtectionMethod, method if method in ("cell_key", "suppression", "min_group") else ""),
                   int(threshold) if threshold is not None else None, str(data.get("marker") or ""),
                   bool(data.get("zeros")), bool(data.get("secondary")))



@dataclass(frozen=True)
class DisclosurePolicy:
    """How tables are protected before they are published.

    Attributes:
        threshold: a published count ``c`` must satisfy ``c == 0`` or ``c >= threshold``.
        method: ``"suppress"`` (threshold rule + secondary suppression) or ``"cell_key"``.
        suppress_zeros: also hide cells that are 0 (primary suppression).
        min_interval: minimum width of the feasibility interval of every hidden cell
            (suppression only). 1 means "never exactly recoverable". The default, 5 (the
            default threshold), also keeps a hidden count of 1-4 from being narrowed *into* 1-4:
            an interval at least ``threshold - 1`` wide that starts at 1 or above reaches the
            threshold (issue 11; checked by the auditor in tests/audit/test_protect_counts.py).
        marker: symbol for hidden values in text output (SCB uses ``..``).
        margin_label: label of computed margins (row and column totals).
        max_noise: largest absolute noise ``D`` for cells ``>= threshold`` (cell key only).
        noise_variance: target variance of the noise for cells ``>= threshold + max_noise``
            (at most ``max_noise * (max_noise + 1) / 3``, the uniform distribution).
        key_range: record and cell keys are integers in ``[0, key_range)`` (cell key only).
        secret: the installation key from which record keys are derived (cell key only). It reaches
            the analysis through the policy, never by reading a file; it is left out of ``repr`` and
            comparisons.
    """

    threshold: int = 5
    method: Method = "suppress"
    suppress_zeros: bool = False
    min_interval: int = 5
    marker: str = ".."
    margin_label: str = "Totalt"
    max_noise: int = 4
    noise_variance: float = 2.5
    key_range: int = 256
    secret: bytes | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, int) or self.threshold < 1:
            raise ValueError(f"threshold must be a positive integer, got {self.threshold!r}")
        if self.method not in ("suppress", "cell_key"):
            raise ValueError(f"method must be 'suppress' or 'cell_key', got {self.method!r}")
        if not isinstance(self.min_interval, int) or self.min_interval < 1:
            raise ValueError(f"min_interval must be an integer >= 1, got {self.min_interval!r}")
        if not isinstance(self.max_noise, int) or self.max_noise < 1:
            raise ValueError(f"max_noise must be an integer >= 1, got {self.max_noise!r}")
        top = self.max_noise * (self.max_noise + 1) / 3
        if not (0 < self.noise_variance <= top):
            raise ValueError(
                f"noise_variance must lie in (0, D(D+1)/3] = (0, {top:g}] for max_noise D, "
                f"got {self.noise_variance!r}"
            )
        if not isinstance(self.key_range, int) or self.key_range < max(2, self.threshold**2):
            raise ValueError(
                f"key_range must be an integer >= max(2, threshold**2) = {max(2, self.threshold**2)}, "
                f"got {self.key_range!r}"
            )
        if not self.marker:
            raise ValueError("marker must not be empty")


def _jsonable(label: object) -> Any:
    if isinstance(label, np.generic):
        return label.item()
    if isinstance(label, tuple):
        return [_jsonable(part) for part in label]
    if label is None or isinstance(label, str | int | float | bool):
        return label
    return str(label)


def _mask_lists(mask: pd.DataFrame) -> list[list[bool]]:
    return [[bool(v) for v in row] for row in mask.to_numpy(dtype=bool)]


@dataclass(frozen=True, eq=False)
class ProtectedTable:
    """A count table that may be published.

    Attributes:
        values: published counts, dtype ``Int64``; hidden cells are ``pd.NA``. Includes the
            margin column ``row_total`` and the margin row ``total_row``.
        suppressed: True where a value is hidden (``primary | secondary``).
        primary: hidden because the count itself is below the threshold (or 0 with
            ``suppress_zeros``).
        secondary: hidden so that primary cells cannot be computed from the totals.
        protection: how the table was protected, in codes (method ``""`` when nothing had to be done).
        policy: the policy used.
        method: ``"suppress"`` or ``"cell_key"``.
        row_total: label of the column holding the row totals.
        total_row: label of the row holding the column totals.
    """

    values: pd.DataFrame
    suppressed: pd.DataFrame
    primary: pd.DataFrame
    secondary: pd.DataFrame
    protection: Protection
    policy: DisclosurePolicy
    method: Method
    row_total: Hashable
    total_row: Hashable

    def to_frame(self, marker: str | None = None) -> pd.DataFrame:
        """Published table as strings, hidden cells shown as ``marker`` (default ``policy.marker``)."""
        mark = self.policy.marker if marker is None else marker
        hidden = self.suppressed.to_numpy(dtype=bool)
        shown = self.values.to_numpy(dtype=object)
        text = [
            [mark if hidden[i, j] else str(int(shown[i, j])) for j in range(shown.shape[1])]
            for i in range(shown.shape[0])
        ]
        return pd.DataFrame(text, index=self.values.index, columns=self.values.columns, dtype=object)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description: labels, published values (None when hidden), masks and protection codes."""
        shown = self.values.to_numpy(dtype=object)
        hidden = self.suppressed.to_numpy(dtype=bool)
        values = [
            [None if hidden[i, j] else int(shown[i, j]) for j in range(shown.shape[1])]
            for i in range(shown.shape[0])
        ]
        return {
            "method": self.method,
            "threshold": self.policy.threshold,
            "index": [_jsonable(v) for v in self.values.index],
            "columns": [_jsonable(v) for v in self.values.columns],
            "index_names": [_jsonable(v) for v in self.values.index.names],
            "columns_names": [_jsonable(v) for v in self.values.columns.names],
            "row_total": _jsonable(self.row_total),
            "total_row": _jsonable(self.total_row),
            "values": values,
            "suppressed": _mask_lists(self.suppressed),
            "primary": _mask_lists(self.primary),
            "secondary": _mask_lists(self.secondary),
            "marker": self.policy.marker,
            "protection": self.protection.to_dict(),
        }


@dataclass(frozen=True, eq=False)
class ProtectedShares:
    """Shares (percent of the row total) computed from a protected count table.

    Attributes:
        values: percent, dtype ``Float64``, rounded to ``decimals``; ``pd.NA`` where hidden or
            undefined (row total 0).
        suppressed: True where the share is hidden because its count or its row total is hidden.
        counts: the protected count table the shares were computed from.
        decimals: number of decimals the shares were rounded to.
        protection: how the counts were protected (that of ``counts``).
    """

    values: pd.DataFrame
    suppressed: pd.DataFrame
    counts: ProtectedTable
    decimals: int
    protection: Protection

    def to_frame(
        self, marker: str | None = None, *, decimal: str = ",", undefined: str = "."
    ) -> pd.DataFrame:
        """Shares as strings with Swedish decimal comma; hidden -> ``marker``, 0/0 -> ``undefined``."""
        mark = self.counts.policy.marker if marker is None else marker
        hidden = self.suppressed.to_numpy(dtype=bool)
        shown = self.values.to_numpy(dtype=object)
        text: list[list[str]] = []
        for i in range(shown.shape[0]):
            row: list[str] = []
            for j in range(shown.shape[1]):
                if hidden[i, j]:
                    row.append(mark)
                elif shown[i, j] is pd.NA:
                    row.append(undefined)
                else:
                    row.append(f"{float(shown[i, j]):.{self.decimals}f}".replace(".", decimal))
            text.append(row)
        return pd.DataFrame(text, index=self.values.index, columns=self.values.columns, dtype=object)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (None for hidden or undefined shares)."""
        shown = self.values.to_numpy(dtype=object)
        values = [[None if v is pd.NA else float(v) for v in row] for row in shown]
        return {
            "method": self.counts.method,
            "unit": "percent",
            "decimals": self.decimals,
            "index": [_jsonable(v) for v in self.values.index],
            "columns": [_jsonable(v) for v in self.values.columns],
            "values": values,
            "suppressed": _mask_lists(self.suppressed),
            "marker": self.counts.policy.marker,
            "protection": self.protection.to_dict(),
        }


# --------------------------------------------------------------------------------------------------
# Table handling (inner cells + margins)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where the inner cells and margins go in the published table."""

    index: pd.Index
    columns: pd.Index
    row_total: Hashable
    total_row: Hashable
    col_pos: int  # position of the margin column in the published table
    row_pos: int  # position of the margin row in the published table


def _count_array(frame: pd.DataFrame) -> np.ndarray:
    """Validate non-negative integer counts and return them as an int64 array."""
    out = np.zeros(frame.shape, dtype=np.int64)
    for j in range(frame.shape[1]):
        col = frame.iloc[:, j]
        if col.isna().any():
            raise ValueError(f"column {frame.columns[j]!r} contains missing values")
        try:
            num = pd.to_numeric(col)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"column {frame.columns[j]!r} is not numeric") from exc
        arr = num.to_numpy(dtype=np.float64)
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError(f"column {frame.columns[j]!r} does not hold whole numbers")
        if np.any(arr < 0):
            raise ValueError(f"column {frame.columns[j]!r} holds negative counts")
        out[:, j] = num.to_numpy(dtype=np.int64)
    return out


def _plain_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.CategoricalIndex):
        return index.astype(object)
    return index


def _margin_label(index: pd.Index, label: str) -> Hashable:
    if isinstance(index, pd.MultiIndex):
        return (label,) + ("",) * (index.nlevels - 1)
    return label


def _split(
    table: pd.DataFrame, row_total: Hashable | None, total_row: Hashable | None, margin_label: str
) -> tuple[np.ndarray, _Layout]:
    """Separate inner cells from given margins (which are checked) and decide the layout."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError("table must be a pandas DataFrame")
    if not table.index.is_unique or not table.columns.is_unique:
        raise ValueError("row and column labels must be unique")
    values = _count_array(table)
    columns = _plain_index(table.columns)
    index = _plain_index(table.index)

    col_pos = row_pos = -1
    if row_total is not None:
        if row_total not in columns:
            raise ValueError(f"row_total column {row_total!r} not found in the table")
        col_pos = int(cast(int, columns.get_loc(row_total)))
    if total_row is not None:
        if total_row not in index:
            raise ValueError(f"total_row {total_row!r} not found in the table")
        row_pos = int(cast(int, index.get_loc(total_row)))

    keep_cols = [j for j in range(values.shape[1]) if j != col_pos]
    keep_rows = [i for i in range(values.shape[0]) if i != row_pos]
    inner = values[np.ix_(keep_rows, keep_cols)]
    if inner.size == 0:
        raise ValueError("the table needs at least one inner row and one inner column")
    if row_total is not None:
        given = values[keep_rows, col_pos]
        if not np.array_equal(given, inner.sum(axis=1)):
            raise ValueError(f"column {row_total!r} is not the sum of the other columns")
    if total_row is not None:
        given = values[row_pos, keep_cols]
        if not np.array_equal(given, inner.sum(axis=0)):
            raise ValueError(f"row {total_row!r} is not the sum of the other rows")
        if row_total is not None and values[row_pos, col_pos] != inner.sum():
            raise ValueError("the grand total is not the sum of the inner cells")

    inner_columns = columns[keep_cols]
    inner_index = index[keep_rows]
    if row_total is None:
        row_total = _margin_label(inner_columns, margin_label)
        if row_total in inner_columns:
            raise ValueError(f"the table already has a column named {row_total!r}; pass row_total=")
        col_pos = len(inner_columns)
    if total_row is None:
        total_row = _margin_label(inner_index, margin_label)
        if total_row in inner_index:
            raise ValueError(f"the table already has a row named {total_row!r}; pass total_row=")
        row_pos = len(inner_index)
    layout = _Layout(
        index=inner_index.insert(row_pos, total_row),
        columns=inner_columns.insert(col_pos, row_total),
        row_total=row_total,
        total_row=total_row,
        col_pos=col_pos,
        row_pos=row_pos,
    )
    return inner, layout


def _with_margins(inner: np.ndarray) -> np.ndarray:
    """Canonical full table: inner cells, row totals as last column, column totals as last row."""
    m, n = inner.shape
    full = np.zeros((m + 1, n + 1), dtype=np.int64)
    full[:m, :n] = inner
    full[:m, n] = inner.sum(axis=1)
    full[m, :n] = inner.sum(axis=0)
    full[m, n] = inner.sum()
    return full


def _to_layout(full: np.ndarray, layout: _Layout) -> np.ndarray:
    """Reorder a canonical full array (margins last) into the published order."""
    m, n = full.shape[0] - 1, full.shape[1] - 1
    rows = list(range(m))
    rows.insert(layout.row_pos, m)
    cols = list(range(n))
    cols.insert(layout.col_pos, n)
    return full[np.ix_(rows, cols)]


def _frame(arr: np.ndarray, layout: _Layout) -> pd.DataFrame:
    return pd.DataFrame(_to_layout(arr, layout), index=layout.index, columns=layout.columns)


# --------------------------------------------------------------------------------------------------
# Secondary suppression
# --------------------------------------------------------------------------------------------------


def _signs(shape: tuple[int, int]) -> np.ndarray:
    """+1 for inner cells and the grand total, -1 for margins.

    With y = sign * x every row and column of the full table sums to zero, so changes of the
    hidden cells that keep the published table consistent are exactly circulations in the
    bipartite row/column graph.
    """
    sign = -np.ones(shape, dtype=np.int64)
    sign[:-1, :-1] = 1
    sign[-1, -1] = 1
    return sign


def _capacities(full: np.ndarray, hidden: np.ndarray, sign: np.ndarray, limit: int) -> np.ndarray:
    """Residual capacities (clipped at ``limit``) of the graph of hidden cells.

    Node i < M is row i, node M + j is column j. Flow row -> column raises y = sign * x of the
    cell; for an inner cell that raises x (unbounded), for a margin it lowers x (bounded by x).
    """
    m_rows, n_cols = full.shape
    cap = np.zeros((m_rows + n_cols, m_rows + n_cols), dtype=np.int64)
    for i, j in zip(*np.nonzero(hidden), strict=True):
        x = min(int(full[i, j]), limit)
        if sign[i, j] > 0:
            cap[i, m_rows + j], cap[m_rows + j, i] = limit, x
        else:
            cap[i, m_rows + j], cap[m_rows + j, i] = x, limit
    return cap


def _max_flow(cap: np.ndarray, source: int, sink: int, limit: int) -> int:
    """Ford-Fulkerson with BFS (Edmonds-Karp), stopped as soon as the flow reaches ``limit``."""
    residual = cap.copy()
    size = residual.shape[0]
    flow = 0
    while flow < limit:
        parent = [-1] * size
        parent[source] = source
        queue = deque([source])
        while queue and parent[sink] < 0:
            u = queue.popleft()
            for nxt in np.flatnonzero(residual[u] > 0).tolist():
                if parent[nxt] < 0:
                    parent[nxt] = u
                    queue.append(nxt)
        if parent[sink] < 0:
            break
        push = limit - flow
        v = sink
        while v != source:
            push = min(push, int(residual[parent[v], v]))
            v = parent[v]
        v = sink
        while v != source:
            residual[parent[v], v] -= push
            residual[v, parent[v]] += push
            v = parent[v]
        flow += push
    return flow


def _is_protected(full: np.ndarray, cap: np.ndarray, sign: np.ndarray, cell: Cell, limit: int) -> bool:
    """Is the feasibility interval of the hidden ``cell`` at least ``limit`` wide?"""
    i, j = cell
    m_rows = full.shape[0]
    r, c = i, m_rows + j
    saved = cap[r, c], cap[c, r]
    cap[r, c] = cap[c, r] = 0
    try:
        # Raising x by t sends t units r -> c through the cell (c -> r for a margin); they must
        # return through the other hidden cells.
        up_src, up_dst = (c, r) if sign[i, j] > 0 else (r, c)
        up = _max_flow(cap, up_src, up_dst, limit)
        if up >= limit:
            return True
        down = min(int(full[i, j]), _max_flow(cap, up_dst, up_src, limit))
        return up + down >= limit
    finally:
        cap[r, c], cap[c, r] = saved


def _cheapest_cycle(
    full: np.ndarray, hidden: np.ndarray, cell: Cell, allowed: np.ndarray, margin_cost: int
) -> list[Cell] | None:
    """Cells of the cheapest path from ``cell``'s row to its column avoiding ``cell`` (Dijkstra)."""
    m_rows, n_cols = full.shape
    size = m_rows + n_cols
    source, target = cell[0], m_rows + cell[1]

    def cost(i: int, j: int) -> int:
        if hidden[i, j]:
            return 0
        margin = i == m_rows - 1 or j == n_cols - 1
        return int(full[i, j]) + (margin_cost if margin else 0)

    dist = [math.inf] * size
    prev: list[int] = [-1] * size
    dist[source] = 0
    heap: list[tuple[float, int]] = [(0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist[u]:
            continue
        if u == target:
            break
        if u < m_rows:
            neighbours = [(m_rows + j, (u, j)) for j in range(n_cols)]
        else:
            neighbours = [(i, (i, u - m_rows)) for i in range(m_rows)]
        for v, (i, j) in neighbours:
            if (i, j) == cell or not allowed[i, j]:
                continue
            nd = d + cost(i, j)
            if nd < dist[v]:
                dist[v] = nd
                prev[v] = u
                heapq.heappush(heap, (nd, v))
    if math.isinf(dist[target]):
        return None
    path: list[Cell] = []
    v = target
    while v != source:
        u = prev[v]
        path.append((u, v - m_rows) if u < m_rows else (v, u - m_rows))
        v = u
    return path


def _suppress(full: np.ndarray, policy: DisclosurePolicy) -> tuple[np.ndarray, np.ndarray]:
    """Primary and total (primary + secondary) suppression masks of a canonical full table."""
    primary = (full > 0) & (full < policy.threshold)
    if policy.suppress_zeros:
        primary |= full == 0
    hidden = primary.copy()
    sign = _signs(full.shape)
    limit = policy.min_interval
    margin_cost = int(full[-1, -1]) + 1
    # Work list in row-major order: a cell found protected stays protected (hiding more cells
    # only widens intervals), so the first unprotected cell is always the smallest one queued.
    queue: list[Cell] = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden), strict=True)]
    heapq.heapify(queue)
    cap = _capacities(full, hidden, sign, limit)
    while queue:
        bad = heapq.heappop(queue)
        if _is_protected(full, cap, sign, bad, limit):
            continue
        for allowed in ((full > 0) | hidden, full >= limit):
            path = _cheapest_cycle(full, hidden, bad, allowed, margin_cost)
            if path is not None and not all(hidden[c] for c in path):
                new = [c for c in path if not hidden[c]]
                break
        else:  # no cycle can protect the cell: hide everything (intervals become unbounded)
            new = [(int(i), int(j)) for i, j in zip(*np.nonzero(~hidden), strict=True)]
        for c in new:
            hidden[c] = True
            heapq.heappush(queue, c)
        heapq.heappush(queue, bad)
        cap = _capacities(full, hidden, sign, limit)
    return primary, hidden


def _suppression(policy: DisclosurePolicy, n_primary: int, n_secondary: int) -> Protection:
    """The codes of a suppressed table: nothing when no cell was hidden."""
    if n_primary == 0 and n_secondary == 0:
        return Protection()
    return Protection("suppression", policy.threshold, policy.marker, policy.suppress_zeros, n_secondary > 0)


def protect_counts(
    table: pd.DataFrame,
    policy: DisclosurePolicy = DisclosurePolicy(),
    *,
    row_total: str | None = None,
    col_total: str | None = None,
    total_row: object | None = None,
) -> ProtectedTable:
    """Protect a count table with the threshold rule and secondary suppression.

    Args:
        table: non-negative whole counts; rows are categories (e.g. interventions), columns e.g.
            women/men/other/unknown. May already contain margins, named by the arguments below.
        policy: the disclosure policy; ``policy.method`` must be ``"suppress"`` (the cell key
            method needs record keys, see :func:`cell_key_counts`).
        row_total: name of a column holding the row totals, if the table has one.
        col_total: label of a row holding the column totals, if the table has one (alias of
            ``total_row`` for string labels).
        total_row: label of a row holding the column totals (any hashable label).

    The published table always contains the inner cells, the row totals, the column totals and
    the grand total. Margins that are given are checked (``ValueError`` if they do not add up)
    and kept at their position; missing margins are appended as ``policy.margin_label``.
    The method is described in the module docstring: primary suppression of counts strictly
    between 0 and the threshold (margins too), then secondary suppression until no hidden cell
    can be narrowed to an interval shorter than ``policy.min_interval`` from the published cells
    and the additivity equations (Hundepool et al. 2012, ch. 4-5; Cox 1980).
    """
    if policy.method != "suppress":
        raise ValueError(
            "protect_counts implements method='suppress'; the cell key method needs record keys "
            "(use cell_key_counts or protect_records)"
        )
    if col_total is not None and total_row is not None and col_total != total_row:
        raise ValueError("col_total and total_row name the same row; give one of them")
    margin_row = cast(Hashable | None, total_row if total_row is not None else col_total)
    inner, layout = _split(table, row_total, margin_row, policy.margin_label)
    full = _with_margins(inner)
    primary, hidden = _suppress(full, policy)
    secondary = hidden & ~primary
    suppressed_frame = _frame(hidden, layout)
    values = _frame(full, layout).astype("Int64").mask(suppressed_frame)
    return ProtectedTable(
        values=values,
        suppressed=suppressed_frame,
        primary=_frame(primary, layout),
        secondary=_frame(secondary, layout),
        protection=_suppression(policy, int(primary.sum()), int(secondary.sum())),
        policy=policy,
        method="suppress",
        row_total=layout.row_total,
        total_row=layout.total_row,
    )


# --------------------------------------------------------------------------------------------------
# Shares and checks
# --------------------------------------------------------------------------------------------------


def protect_shares(
    counts: pd.DataFrame | ProtectedTable,
    policy: DisclosurePolicy = DisclosurePolicy(),
    *,
    decimals: int = 1,
    row_total: str | None = None,
    col_total: str | None = None,
    total_row: object | None = None,
) -> ProtectedShares:
    """Shares in percent of the row total (e.g. share of women per intervention).

    ``counts`` is either a raw count table (protected first with :func:`protect_counts`) or an
    already protected table. Shares are computed from the *published* counts and are shown only
    where both the count and its row total are published: a share of a hidden count, or of a
    hidden total (which would reveal the total as count / share), is hidden too. The margin
    column itself (always 100 %) is left out; the margin row gives the shares of the total.
    """
    if isinstance(counts, ProtectedTable):
        protected = counts
    else:
        protected = protect_counts(
            counts, policy, row_total=row_total, col_total=col_total, total_row=total_row
        )
    values = protected.values
    hidden = protected.suppressed
    columns = values.columns.drop([protected.row_total])
    num = values[columns].to_numpy(dtype=np.float64, na_value=np.nan)
    den = values[protected.row_total].to_numpy(dtype=np.float64, na_value=np.nan)
    total_hidden = hidden[protected.row_total].to_numpy(dtype=bool)
    share_hidden = hidden[columns].to_numpy(dtype=bool) | total_hidden[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.round(100.0 * num / den[:, None], decimals)
    share = np.where(share_hidden | ~np.isfinite(share), np.nan, share)
    share_frame = pd.DataFrame(share, index=values.index, columns=columns).astype("Float64")
    hidden_frame = pd.DataFrame(share_hidden, index=values.index, columns=columns)
    return ProtectedShares(
        values=share_frame,
        suppressed=hidden_frame,
        counts=protected,
        decimals=decimals,
        protection=protected.protection,
    )


def is_safe(
    values: pd.DataFrame | pd.Series | np.ndarray | Sequence[Any] | ProtectedTable, threshold: int = 5
) -> bool:
    """True when no published count lies strictly between 0 and ``threshold``.

    Missing values (hidden cells) and text markers such as ``..`` are ignored, so the check works
    on :attr:`ProtectedTable.values`, on :meth:`ProtectedTable.to_frame` output and on arrays.
    """
    if isinstance(values, ProtectedTable):
        values = values.values
    if isinstance(values, pd.DataFrame):
        flat = pd.Series(values.to_numpy(dtype=object).ravel(), dtype=object)
    elif isinstance(values, pd.Series):
        flat = values.astype(object)
    else:
        flat = pd.Series(np.asarray(values, dtype=object).ravel(), dtype=object)
    numbers = pd.to_numeric(flat, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    numbers = numbers[~np.isnan(numbers)]
    return not bool(np.any((numbers > 0) & (numbers < threshold)))


# --------------------------------------------------------------------------------------------------
# Cell key method
# --------------------------------------------------------------------------------------------------


def record_keys(ids: pd.Series, secret: bytes, *, key_range: int = 256) -> pd.Series:
    """Fixed record keys: uniform integers in ``[0, key_range)`` from a keyed hash of each id.

    ``key = int(HMAC-SHA256(secret, domain || str(id))[:8]) mod key_range``. The same id and
    secret always give the same key; without the secret the keys cannot be reproduced. Use the
    installation's secret (:func:`jamkoll.ingest.pseudonym.load_or_create_secret`) and the
    pseudonymous person id, so that a person has the same key in every table and every import.
    ``key_range`` must match :attr:`DisclosurePolicy.key_range`.
    """
    if not secret:
        raise ValueError("secret must not be empty")
    if key_range < 2:
        raise ValueError("key_range must be at least 2")
    if ids.isna().any():
        raise ValueError("ids contain missing values")
    # hmac.digest: OpenSSL's one-shot HMAC (the same value as hmac.new(...).digest(), several times faster:
    # an analysis of 10 million enrolments keys millions of people).
    digest, domain, sha256 = hmac.digest, _RECORD_KEY_DOMAIN, hashlib.sha256
    keys = [int.from_bytes(digest(secret, domain + str(v).encode("utf-8"), sha256)[:8], "big") % key_range
            for v in ids]
    return pd.Series(keys, index=ids.index, name="record_key", dtype=np.int64)


def _maxent_symmetric(half_width: int, variance: float) -> np.ndarray:
    """Maximum-entropy distribution on -h..h with mean 0 and the given variance.

    The solution is a discrete Gaussian p(d) ~ exp(-lam * d**2) with lam >= 0 (probabilities
    never increase with |d|); lam is found by bisection (the variance decreases in lam). The
    variance is capped at h(h+1)/3, the variance of the uniform distribution (lam = 0).
    Returns probabilities for d = -h..h.
    """
    h = half_width
    d2 = np.arange(-h, h + 1, dtype=np.float64) ** 2
    if h == 0 or variance >= h * (h + 1) / 3:
        return np.full(2 * h + 1, 1.0 / (2 * h + 1))

    def dist(lam: float) -> np.ndarray:
        a = -lam * d2
        w = np.exp(a - a.max())
        return np.asarray(w / w.sum())

    lo, hi = 0.0, 200.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if float(dist(mid) @ d2) > variance:
            lo = mid
        else:
            hi = mid
    return dist((lo + hi) / 2)


@lru_cache(maxsize=32)
def _ptable_counts(
    threshold: int, max_noise: int, variance: float, key_range: int
) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Per capped value v = 0..threshold+max_noise: ((d, number of keys), ...) with d ascending."""
    t, big_d, k = threshold, max_noise, key_range
    rows: list[tuple[tuple[int, int], ...]] = [((0, k),)]
    for v in range(1, t):
        # A small count moves to t or t+1, never to 0: a printed 0 then always means nobody, so a
        # positive part printed elsewhere (one intervention's "other sex" 5) can never pin a total
        # printed as 0 into 1..t-1 (found by the auditor on the demo outputs). The price is an upward
        # bias of small cells; the share moved to t+1 grows with v, so the order of v is kept on average.
        n_t1 = (v * k) // (2 * t)
        n_t = k - n_t1
        rows.append(tuple((d, n) for d, n in ((t - v, n_t), (t + 1 - v, n_t1)) if n > 0))
    for v in range(t, t + big_d + 1):
        h = min(big_d, v - t)
        p = _maxent_symmetric(h, variance)
        counts = np.rint(p * k).astype(np.int64)
        counts[h + 1 :] = counts[:h][::-1]  # exact symmetry -> mean exactly 0
        while 2 * counts[:h].sum() > k:  # rounding must leave a non-negative count for d = 0
            outer = int(np.flatnonzero(counts[:h])[0])
            counts[outer] -= 1
            counts[2 * h - outer] -= 1
        counts[h] = k - 2 * counts[:h].sum()
        rows.append(tuple((d, int(n)) for d, n in zip(range(-h, h + 1), counts, strict=True) if n > 0))
    return tuple(rows)


def _lookup(policy: DisclosurePolicy) -> np.ndarray:
    """Array ``[capped value, cell key] -> noise``."""
    rows = _ptable_counts(policy.threshold, policy.max_noise, policy.noise_variance, policy.key_range)
    table = np.zeros((len(rows), policy.key_range), dtype=np.int64)
    for v, row in enumerate(rows):
        start = 0
        for d, n in row:
            table[v, start : start + n] = d
            start += n
    return table


def perturbation_table(policy: DisclosurePolicy = DisclosurePolicy(method="cell_key")) -> pd.DataFrame:
    """The fixed perturbation table (p-table) of the cell key method.

    Construction, for threshold t, maximum noise D and key range K (all deterministic):

    * v = 0 stays 0 (empty cells are never invented).
    * 1 <= v < t moves to t or t+1 (never to 0) with probabilities n_t/K, n_{t+1}/K where
      n_{t+1} = floor(v*K / 2t): no published value lies strictly between 0 and t, and a published
      0 always means 0. The small rows are biased upwards (mean about t + v/2t): an unbiased move
      needs 0 as an outcome, and an ambiguous 0 lets a positive part printed in another table pin
      its total into 1..t-1 (a hierarchy attack the auditor found on the demo outputs). (Here |d|
      can exceed D.)
    * v >= t gets noise d in [-h, h], h = min(D, v - t) (so v + d >= t), from the maximum-entropy
      distribution with mean 0 and variance ``noise_variance`` (capped at h(h+1)/3, the
      uniform distribution), a discrete Gaussian as in Giessing (2016). Probabilities are
      rounded to multiples of 1/K symmetrically, so the mean stays exactly 0. Rows are
      identical for v >= t + D, so the table is indexed by min(v, t + D).

    Within a row the outcomes are ordered by d and each occupies a contiguous range of cell keys:
    a cell with key k gets the d with ``key_from <= k < key_to`` (the cell key's position in
    [0, 1) mapped to the cumulative distribution).

    Columns: ``value`` (capped original value; the last applies to all larger values),
    ``noise``, ``published`` (value + noise), ``probability``, ``key_from``, ``key_to``.
    """
    rows = _ptable_counts(policy.threshold, policy.max_noise, policy.noise_variance, policy.key_range)
    records: list[dict[str, Any]] = []
    for v, row in enumerate(rows):
        start = 0
        for d, n in row:
            records.append(
                {
                    "value": v,
                    "noise": d,
                    "published": v + d,
                    "probability": n / policy.key_range,
                    "key_from": start,
                    "key_to": start + n,
                }
            )
            start += n
    return pd.DataFrame.from_records(records)


def _aggregate(
    records: pd.DataFrame, by: list[str], key_column: str | None, key_range: int = 0,
    count_column: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Counts (and key sums) of records by ``by``: rows = by[:-1] (or by[0]), columns = by[-1].

    ``count_column``: ``records`` are already aggregated cells, each row holding its number of records
    in ``count_column`` and the sum of their keys in ``key_column`` (what a database's GROUP BY gives);
    the result is the same as for the records themselves."""
    if isinstance(by, str):
        by = [by]
    if not by:
        raise ValueError("by must name at least one column")
    missing = [c for c in [*by, *([key_column] if key_column else []), *([count_column] if count_column else [])]
               if c not in records.columns]
    if missing:
        raise ValueError(f"columns not found in records: {missing}")
    if len(records) == 0:
        raise ValueError("no records to count")
    for c in by:
        if records[c].isna().any():
            raise ValueError(f"column {c!r} has missing values; give them a category (e.g. 'okänt')")
    data = records[list(by)].copy()
    data["_n"] = 1 if count_column is None else records[count_column].astype(np.int64).to_numpy()
    if key_column is not None:
        keys = pd.to_numeric(records[key_column], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        if not (np.all(np.isfinite(keys)) and np.all(keys == np.round(keys))):
            raise ValueError(f"column {key_column!r} must hold whole-number record keys (no missing values)")
        if np.any(keys < 0) or (count_column is None and np.any(keys >= key_range)):
            raise ValueError(f"record keys must lie in [0, {key_range}); use record_keys()")
        data["_k"] = keys.astype(np.int64)
    grouped = data.groupby(list(by), observed=False, sort=True)[
        ["_n", "_k"] if key_column is not None else ["_n"]
    ].sum()
    if len(by) == 1:
        counts = grouped[["_n"]].set_axis([COUNT_COLUMN], axis=1)
        keysum = grouped[["_k"]].set_axis([COUNT_COLUMN], axis=1) if key_column is not None else None
    else:
        counts = grouped["_n"].unstack(by[-1], fill_value=0)
        keysum = grouped["_k"].unstack(by[-1], fill_value=0) if key_column is not None else None
    return counts, keysum


def cell_key_counts(
    records: pd.DataFrame,
    by: list[str],
    key_column: str = "record_key",
    policy: DisclosurePolicy | None = None,
    count_column: str | None = None,
    *,
    total_row: TotalRow = "kept",
) -> ProtectedTable:
    """Count records by ``by`` and perturb every cell with the cell key method.

    ``count_column``: ``records`` are aggregated cells (records per row in ``count_column``, the sum of
    their keys in ``key_column``), e.g. from a GROUP BY in the database; same result as the records.

    The table has rows ``by[:-1]`` (a MultiIndex when several) and columns ``by[-1]``; with a
    single ``by`` variable there is one column named ``"Antal"``. Row totals, column totals and
    the grand total are added and perturbed like any other cell: each cell's key is the sum of
    its records' keys modulo ``policy.key_range`` and its noise comes from
    :func:`perturbation_table`. Identical sets of records therefore get identical published
    values in every table, no published value lies strictly between 0 and the threshold, and the
    noise is unbiased; parts need not add up to the totals. ``policy.method`` is not consulted
    (default policy: ``DisclosurePolicy(method="cell_key")``). Record keys must come from
    :func:`record_keys` with the same ``key_range``.

    Each row total (the last ``by`` variable summed over) is the sum of the row's published parts, not
    perturbed on its own: perturbed on its own it can pin a small part of its row (a total published 6,
    true 1 to 10, next to men published 11, true at least 7, leaves women 1 to 3), and the sum adds nothing
    an attacker does not already have. It is hidden when a part is. The total row (the other variables
    summed over) is perturbed like every cell, and a column total can pin a small part (a total published
    39, at most 43, over parts published 25 and 21, at least 21 and 17, leaves two parts published 5 at 1
    to 4 each). ``total_row`` says what gives way (:mod:`jamkoll.analysis.pinning`):

    * ``"kept"``: the parts such a total would pin are withheld (with the smallest large part where that
      is needed to keep them uncertain): for tables whose parts are published nowhere else;
    * ``"yields"``: the total of every column with a part published as ``threshold`` or
      ``threshold + 1`` is withheld: for tables whose parts are published elsewhere too (each year's
      people are the total of that year's own tables);
    * ``"dropped"``: the caller will not publish the total row (its categories overlap, or it is
      replaced by another count): nothing is checked.

    Withheld cells are ``pd.NA``, marked in ``suppressed`` and ``secondary``, and the protection says so.
    """
    policy = policy or DisclosurePolicy(method="cell_key")
    counts, keysum = _aggregate(records, by, key_column, policy.key_range, count_column)
    assert keysum is not None
    raw_keys = keysum.to_numpy(dtype=np.int64)
    inner, layout = _split(counts, None, None, policy.margin_label)
    full = _with_margins(inner)
    cell_keys = _with_margins(raw_keys) % policy.key_range
    lookup = _lookup(policy)
    capped = np.minimum(full, lookup.shape[0] - 1)
    published = full + lookup[capped, cell_keys]
    from jamkoll.analysis.pinning import withheld_parts  # it reads this module's perturbation table

    published[:, -1] = published[:, :-1].sum(axis=1)
    hidden = withheld_parts(published, policy, total_row=total_row)
    hidden[:, -1] = hidden[:, :-1].any(axis=1)
    no_mask = np.zeros(full.shape, dtype=bool)
    false_frame = _frame(no_mask, layout)
    hidden_frame = _frame(hidden, layout)
    values = _frame(published, layout).astype("Int64").mask(hidden_frame)
    withheld = bool(hidden.any())
    return ProtectedTable(
        values=values,
        suppressed=hidden_frame,
        primary=false_frame,
        secondary=hidden_frame.copy(),
        protection=Protection("cell_key", policy.threshold, marker=policy.marker if withheld else "",
                              secondary=withheld),
        policy=policy,
        method="cell_key",
        row_total=layout.row_total,
        total_row=layout.total_row,
    )


def protect_records(
    records: pd.DataFrame,
    by: list[str],
    policy: DisclosurePolicy = DisclosurePolicy(),
    *,
    key_column: str = "record_key",
    count_column: str | None = None,
    total_row: TotalRow = "kept",
) -> ProtectedTable:
    """Count records by ``by`` (rows ``by[:-1]``, columns ``by[-1]``) and protect the table.

    Dispatches on ``policy.method``: ``"suppress"`` -> :func:`protect_counts`, ``"cell_key"`` ->
    :func:`cell_key_counts` (needs ``key_column``; ``total_row`` is its option).
    ``count_column``: ``records`` are aggregated cells (see :func:`cell_key_counts`).
    """
    if policy.method == "cell_key":
        return cell_key_counts(records, by, key_column=key_column, policy=policy, count_column=count_column,
                               total_row=total_row)
    counts, _ = _aggregate(records, by, None, count_column=count_column)
    return protect_counts(counts, policy)
