"""Feasibility intervals of unknown counts: integer programming over the attacker's constraints.

For each target cell the auditor computes ``L = min x`` and ``U = max x`` over all non-negative integer
vectors ``x`` that satisfy every constraint of the :class:`~jamkoll.audit.model.Model` -- the
*feasibility interval* of the cell (Hundepool et al. 2024, *Handbook on SDC* §4.2; sdcTable ``attack()``
and the τ-ARGUS audit do the same with a continuous LP). Integer programming matters: the LP relaxation
gives a wider interval and can miss a disclosure.

Method: published constants are substituted, the remaining unknowns are split into connected components
(variables that share a constraint), bounds are first tightened by interval propagation (cheap, always
valid), and then every target gets two mixed-integer programs (``scipy.optimize.milp``, HiGHS). An
enumerated relation (:class:`~jamkoll.audit.model.Table`) is modelled with one binary per allowed tuple.
A program that HiGHS declares infeasible is solved again without presolve: with scipy 1.17.1 the
presolve declared small, plainly feasible components of the demo outputs infeasible (a hand-checked
integer solution satisfied every row).
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from jamkoll.audit.model import BIG, Model

__all__ = ["Interval", "intervals", "propagate"]

_EPS = 1e-6


@dataclass(frozen=True)
class Interval:
    """``[low, high]`` of a cell over every solution; ``feasible`` False when the constraints contradict."""

    low: float
    high: float
    feasible: bool = True

    @property
    def unbounded(self) -> bool:
        return self.high >= BIG


def propagate(model: Model, rounds: int = 30) -> tuple[np.ndarray, np.ndarray, bool]:
    """Bounds implied by every linear row (interval propagation, rounded to integers). Valid outer
    bounds of the integer solutions; returns ``(lb, ub, consistent)``."""
    lb = np.array(model.lb, dtype=float)
    ub = np.array(model.ub, dtype=float)
    rows = [(np.array([i for i, _ in r.coefs]), np.array([c for _, c in r.coefs]), r.lo, r.hi)
            for r in model.rows]
    for table in model.tables:
        for j, v in enumerate(table.vars):
            lb[v] = max(lb[v], float(table.allowed[:, j].min()))
            ub[v] = min(ub[v], float(table.allowed[:, j].max()))
    for _ in range(rounds):
        changed = False
        for idx, coef, lo, hi in rows:
            mins = np.where(coef > 0, coef * lb[idx], coef * ub[idx])
            maxs = np.where(coef > 0, coef * ub[idx], coef * lb[idx])
            total_min, total_max = mins.sum(), maxs.sum()
            for k, (v, c) in enumerate(zip(idx, coef, strict=True)):
                rest_min = total_min - mins[k]
                rest_max = total_max - maxs[k]
                # lo <= c*x + rest <= hi
                lo_cx = lo - rest_max if np.isfinite(lo) else -np.inf
                hi_cx = hi - rest_min if np.isfinite(hi) else np.inf
                if c > 0:
                    new_lo, new_hi = lo_cx / c, hi_cx / c
                else:
                    new_lo, new_hi = hi_cx / c, lo_cx / c
                new_lo = np.ceil(new_lo - _EPS) if np.isfinite(new_lo) else -np.inf
                new_hi = np.floor(new_hi + _EPS) if np.isfinite(new_hi) else np.inf
                if new_lo > lb[v]:
                    lb[v] = new_lo
                    changed = True
                if new_hi < ub[v]:
                    ub[v] = new_hi
                    changed = True
                if lb[v] > ub[v]:
                    return lb, ub, False
        if not changed:
            break
    return lb, ub, True


def _components(model: Model, fixed: np.ndarray) -> list[tuple[list[int], list[int], list[int]]]:
    """Connected components of the free variables: (variables, row indices, table indices)."""
    parent = list(range(len(model.cells)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(vars_: Iterable[int]) -> None:
        free = [v for v in vars_ if not fixed[v]]
        for v in free[1:]:
            ra, rb = find(free[0]), find(v)
            if ra != rb:
                parent[rb] = ra

    for row in model.rows:
        union(i for i, _ in row.coefs)
    for table in model.tables:
        union(table.vars)
    members: dict[int, list[int]] = defaultdict(list)
    for v in range(len(model.cells)):
        if not fixed[v]:
            members[find(v)].append(v)
    row_of: dict[int, list[int]] = defaultdict(list)
    for r, row in enumerate(model.rows):
        free = [i for i, _ in row.coefs if not fixed[i]]
        if free:
            row_of[find(free[0])].append(r)
    table_of: dict[int, list[int]] = defaultdict(list)
    for t, table in enumerate(model.tables):
        free = [v for v in table.vars if not fixed[v]]
        if free:
            table_of[find(free[0])].append(t)
    return [(vs, row_of[root], table_of[root]) for root, vs in members.items()]


@contextmanager
def _native_output_silenced() -> Iterator[None]:
    """HiGHS's C++ code sometimes prints to the process's standard output (file descriptor 1) even with
    ``disp=False``; keep those lines out of the audit report."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError, AttributeError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class _Component:
    """One connected component as a MILP: unknowns, then one binary per allowed tuple of each table."""

    def __init__(self, model: Model, vars_: list[int], rows: list[int], tables: list[int],
                 lb: np.ndarray, ub: np.ndarray) -> None:
        self.pos = {v: k for k, v in enumerate(vars_)}
        n = len(vars_)
        data: list[float] = []
        ri: list[int] = []
        ci: list[int] = []
        lo: list[float] = []
        hi: list[float] = []
        r = 0
        for row_index in rows:
            row = model.rows[row_index]
            shift = 0.0
            for v, c in row.coefs:
                if v in self.pos:
                    data.append(c)
                    ri.append(r)
                    ci.append(self.pos[v])
                else:
                    shift += c * lb[v]  # a fixed variable: lb == ub
            lo.append(row.lo - shift)
            hi.append(row.hi - shift)
            r += 1
        extra_lb: list[float] = []
        extra_ub: list[float] = []
        col = n
        for t in tables:
            table = model.tables[t]
            keep = np.ones(len(table.allowed), dtype=bool)
            for j, v in enumerate(table.vars):
                keep &= (table.allowed[:, j] >= lb[v] - _EPS) & (table.allowed[:, j] <= ub[v] + _EPS)
            allowed = table.allowed[keep]
            k = len(allowed)
            # sum z = 1
            for z in range(k):
                data.append(1.0)
                ri.append(r)
                ci.append(col + z)
            lo.append(1.0)
            hi.append(1.0)
            r += 1
            for j, v in enumerate(table.vars):
                shift = 0.0
                if v in self.pos:
                    data.append(1.0)
                    ri.append(r)
                    ci.append(self.pos[v])
                else:
                    shift = lb[v]
                for z in range(k):
                    data.append(-float(allowed[z, j]))
                    ri.append(r)
                    ci.append(col + z)
                lo.append(-shift)
                hi.append(-shift)
                r += 1
            extra_lb.extend([0.0] * k)
            extra_ub.extend([1.0] * k)
            col += k
        self.size = col
        self.lb = np.concatenate([lb[vars_], np.array(extra_lb)])
        self.ub = np.concatenate([ub[vars_], np.array(extra_ub)])
        self.constraint = (
            LinearConstraint(coo_array((data, (ri, ci)), shape=(r, col)).tocsr(), np.array(lo), np.array(hi))
            if r else None
        )

    def solve(self, c: np.ndarray) -> np.ndarray | None:
        """An optimal integer solution for objective ``c`` (``None`` if there is none)."""
        for presolve in (True, False):
            with _native_output_silenced():
                result = milp(c, constraints=self.constraint, integrality=np.ones(self.size),
                              bounds=Bounds(self.lb, self.ub), options={"presolve": presolve})
            if result.status == 0 and result.x is not None:
                return np.round(np.asarray(result.x))
        return None

    def optimize(self, v: int, sign: float) -> np.ndarray | None:
        c = np.zeros(self.size)
        c[self.pos[v]] = sign
        return self.solve(c)


def intervals(model: Model, targets: Iterable[int],
              exposed: Callable[[int, float, float], bool] | None = None) -> dict[int, Interval]:
    """Integer feasibility interval of every target variable.

    With ``exposed`` (a test that only narrows as the interval narrows, such as
    :meth:`~jamkoll.audit.result.ProtectionRule.reason`), a target whose values seen in *some*
    solutions already span a safe range is not optimised: its interval, which contains those values, is
    then reported as the span seen (a lower bound of the true width). Exposed targets always get their
    exact interval.
    """
    lb, ub, consistent = propagate(model)
    wanted = sorted(set(targets))
    if not consistent:
        # contradictory outputs somewhere: let each component's own program find out where
        lb, ub = np.array(model.lb, dtype=float), np.array(model.ub, dtype=float)
    fixed = lb >= ub
    out: dict[int, Interval] = {}
    for v in wanted:
        if fixed[v]:
            out[v] = Interval(lb[v], ub[v])
    rest = {v for v in wanted if v not in out}
    if not rest:
        return out
    rng = np.random.default_rng(0)
    for vars_, rows, tables in _components(model, fixed):
        targets_here = [v for v in vars_ if v in rest]
        if not targets_here:
            continue
        component = _Component(model, vars_, rows, tables, lb, ub)
        seen_lo = {v: np.inf for v in targets_here}
        seen_hi = {v: -np.inf for v in targets_here}

        def witness(x: np.ndarray, component: _Component = component, seen_lo: dict[int, float] = seen_lo,
                    seen_hi: dict[int, float] = seen_hi) -> None:
            for w in seen_lo:
                value = float(x[component.pos[w]])
                seen_lo[w] = min(seen_lo[w], value)
                seen_hi[w] = max(seen_hi[w], value)

        if exposed is not None and len(targets_here) > 1:
            for trial in range(4):
                c = np.zeros(component.size)
                weights = (np.full(len(targets_here), 1.0 if trial == 0 else -1.0) if trial < 2
                           else rng.choice([-1.0, 1.0], size=len(targets_here)))
                for w, weight in zip(targets_here, weights, strict=True):
                    c[component.pos[w]] = weight
                x = component.solve(c)
                if x is None:
                    break
                witness(x)
        infeasible = False
        for v in targets_here:
            if exposed is not None and seen_lo[v] <= seen_hi[v] and not exposed(v, seen_lo[v], seen_hi[v]):
                out[v] = Interval(seen_lo[v], seen_hi[v])
                continue
            x_low = component.optimize(v, 1.0)
            if x_low is None:
                infeasible = True
                break
            witness(x_low)
            x_high = component.optimize(v, -1.0)
            if x_high is not None:
                witness(x_high)
            out[v] = Interval(float(x_low[component.pos[v]]),
                              float(x_high[component.pos[v]]) if x_high is not None else ub[v])
        if infeasible:
            for w in targets_here:
                out[w] = Interval(lb[w], ub[w], feasible=False)
    return out
