"""Which published relations the auditor needs for a finding (an exposure's bound, or a conflict).

A deletion filter (Chinneck's irreducible infeasible subsystem): for an exposed cell with interval
``[L, U]`` the model plus ``x <= L - 1`` is infeasible (and so is ``x >= U + 1``); rows are dropped one at a
time while the system stays infeasible, and the rows left are a minimal set of relations that prove the
bound. Published bounds of cells (the noise bands) are always kept; the cells those rows touch are
listed with their bounds. For a contradiction (⊥) the same is done without any extra bound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from jamkoll.audit.facts import CellId
from jamkoll.audit.model import Model, Row
from jamkoll.audit.solver import _Component


def _component_rows(model: Model, var: int) -> tuple[list[int], list[int]]:
    """Rows and variables connected to ``var`` through rows (fixed variables do not connect)."""
    fixed = [lo >= hi for lo, hi in zip(model.lb, model.ub, strict=True)]
    rows_of: dict[int, list[int]] = defaultdict(list)
    for r, row in enumerate(model.rows):
        for v, _ in row.coefs:
            rows_of[v].append(r)
    seen_v, seen_r, todo = {var}, set(), [var]
    while todo:
        v = todo.pop()
        if fixed[v] and v != var:
            continue
        for r in rows_of[v]:
            if r in seen_r:
                continue
            seen_r.add(r)
            for w, _ in model.rows[r].coefs:
                if w not in seen_v:
                    seen_v.add(w)
                    todo.append(w)
    return sorted(seen_r), sorted(seen_v)


def _feasible(model: Model, rows: list[int], vars_: list[int], lb: np.ndarray, ub: np.ndarray) -> bool:
    free = [v for v in vars_ if lb[v] < ub[v]]
    if any(lb[v] > ub[v] for v in vars_):
        return False
    for r in rows:  # rows with fixed variables only
        row = model.rows[r]
        if all(lb[v] >= ub[v] for v, _ in row.coefs):
            total = sum(c * lb[v] for v, c in row.coefs)
            if not row.lo - 1e-6 <= total <= row.hi + 1e-6:
                return False
    if not free:
        return True
    rows_free = [r for r in rows if any(lb[v] < ub[v] for v, _ in model.rows[r].coefs)]
    comp = _Component(model, free, rows_free, [], lb, ub)
    return comp.solve(np.zeros(comp.size)) is not None


def minimal_rows(model: Model, var: int, low: float | None = None, high: float | None = None) -> list[Row]:
    """A minimal set of rows that, with the published bounds, make ``low <= x[var] <= high`` infeasible."""
    rows, vars_ = _component_rows(model, var)
    lb, ub = np.array(model.lb, dtype=float), np.array(model.ub, dtype=float)
    if low is not None:
        lb[var] = max(lb[var], low)
    if high is not None:
        ub[var] = min(ub[var], high)
    if _feasible(model, rows, vars_, lb, ub):
        return []
    keep = list(rows)
    for r in list(rows):
        trial = [k for k in keep if k != r]
        if not _feasible(model, trial, vars_, lb, ub):
            keep = trial
    return [model.rows[r] for r in keep]


def describe(model: Model, rows: Iterable[Row]) -> list[str]:
    out = []
    for row in rows:
        terms = " ".join(f"{c:+g}·{model.cells[v].label()}[{model.lb[v]:g},{model.ub[v]:g}]" for v, c in row.coefs)
        bounds = f"{row.lo:g}" if row.lo == row.hi else f"[{row.lo:g},{row.hi:g}]"
        out.append(f"{row.family}: {terms} = {bounds}  ({row.origin})")
    return out


def explain_exposure(model: Model, cell: CellId, low: float, high: float) -> dict[str, list[str]]:
    """The relations behind ``x >= low`` and behind ``x <= high`` (empty when a published band alone does it)."""
    v = model.index[cell]
    return {"lower": describe(model, minimal_rows(model, v, high=low - 1)),
            "upper": describe(model, minimal_rows(model, v, low=high + 1))}


def explain_conflict(model: Model, cell: CellId) -> list[str]:
    return describe(model, minimal_rows(model, model.index[cell]))
