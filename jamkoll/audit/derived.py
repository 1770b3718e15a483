"""Non-linear published figures -- difference of two rates, risk ratio, Newcombe interval -- as finite
relations on the four counts behind them.

A comparison of women and men publishes, for counts ``a`` of ``A`` women and ``b`` of ``B`` men,
``d = scale * (a/A - b/B)``, ``RR = (a/A) / (b/B)`` and the interval of ``d`` (Newcombe 1998, method 10:
Wilson score intervals combined by square-and-add; the risk ratio with 0.5 added to every cell when one
group has no successes, as Katz et al. 1978 and :func:`jamkoll.analysis.stats.compare_proportions`).
None is linear, but the counts are small integers: every ``(a, A, b, B)`` inside the current bounds of
the four cells is tried, and the tuples that reproduce every published figure at its printed precision
are kept. An attacker with a spreadsheet can do the same. If more than ``max_tuples`` survive, only the
range of each count is kept (still valid, but weaker).

References: Newcombe, R. G. (1998). Interval estimation for the difference between independent
proportions. *Statistics in Medicine* 17, 873-890. Wilson, E. B. (1927). *JASA* 22, 209-212.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from jamkoll.audit.facts import CellId, Fact
from jamkoll.audit.model import Model, Table

__all__ = ["add_derived", "matching_tuples"]

Z95 = 1.959963984540054
MAX_ENUMERATION = 4_000_000
MAX_TUPLES = 2_000
_KINDS = ("difference", "ratio", "ci_low", "ci_high")


def _tolerance(value: float, decimals: int | None) -> float:
    if decimals is None:
        return 1e-7 * max(1.0, abs(value))
    return 0.5 * 10.0 ** (-decimals) + 1e-9


def _wilson(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    p = x / n
    z2 = z * z
    centre = (x + z2 / 2.0) / (n + z2)
    half = z * np.sqrt(np.maximum(n * p * (1.0 - p) + z2 / 4.0, 0.0)) / (n + z2)
    low = np.where(x == 0, 0.0, np.maximum(0.0, centre - half))
    high = np.where(x == n, 1.0, np.minimum(1.0, centre + half))
    return low, high


def matching_tuples(facts: list[Fact], bounds: dict[str, tuple[int, int]]) -> np.ndarray | None:
    """All integer ``(a, A, b, B)`` within ``bounds`` (keys ``a``, ``A``, ``b``, ``B``) that reproduce
    every fact (kinds ``difference``, ``ratio``, ``ci_low``, ``ci_high``). ``None`` if too many to try."""
    (a_lo, a_hi), (A_lo, A_hi), (b_lo, b_hi), (B_lo, B_hi) = (bounds[k] for k in ("a", "A", "b", "B"))
    A_lo, B_lo = max(A_lo, 1), max(B_lo, 1)
    if A_lo > A_hi or B_lo > B_hi or a_lo > a_hi or b_lo > b_hi:
        return np.zeros((0, 4), dtype=np.int64)
    size = (A_hi - A_lo + 1) * (B_hi - B_lo + 1) * (min(a_hi, A_hi) - a_lo + 1) * (min(b_hi, B_hi) - b_lo + 1)
    if size > MAX_ENUMERATION:
        return None
    found: list[np.ndarray] = []
    for A in range(A_lo, A_hi + 1):
        a = np.arange(a_lo, min(a_hi, A) + 1, dtype=float)
        if a.size == 0:
            continue
        for B in range(B_lo, B_hi + 1):
            b = np.arange(b_lo, min(b_hi, B) + 1, dtype=float)
            if b.size == 0:
                continue
            aa, bb = np.meshgrid(a, b, indexing="ij")
            ok = np.ones(aa.shape, dtype=bool)
            p1, p2 = aa / A, bb / B
            for fact in facts:
                assert fact.value is not None
                tol = _tolerance(fact.value, fact.decimals)
                if fact.kind == "difference":
                    ok &= np.abs(fact.scale * (p1 - p2) - fact.value) <= tol
                elif fact.kind == "ratio":
                    zero = (aa == 0) | (bb == 0)
                    num = np.where(zero, (aa + 0.5) / (A + 1.0), p1)
                    den = np.where(zero, (bb + 0.5) / (B + 1.0), p2)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        rr = num / den
                    ok &= ~((aa == 0) & (bb == 0)) & (np.abs(fact.scale * rr - fact.value) <= tol)
                else:
                    l1, u1 = _wilson(aa, np.full_like(aa, A), Z95)
                    l2, u2 = _wilson(bb, np.full_like(bb, B), Z95)
                    d = p1 - p2
                    if fact.kind == "ci_low":
                        bound = np.maximum(-1.0, d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
                    else:
                        bound = np.minimum(1.0, d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
                    ok &= np.abs(fact.scale * bound - fact.value) <= tol
                if not ok.any():
                    break
            if ok.any():
                hits = np.argwhere(ok)
                block = np.empty((len(hits), 4), dtype=np.int64)
                block[:, 0] = a[hits[:, 0]].astype(np.int64)
                block[:, 1] = A
                block[:, 2] = b[hits[:, 1]].astype(np.int64)
                block[:, 3] = B
                found.append(block)
    return np.concatenate(found) if found else np.zeros((0, 4), dtype=np.int64)


def add_derived(model: Model, facts: Iterable[Fact], max_tuples: int = MAX_TUPLES) -> None:
    """Add one enumerated relation per compared pair of rates (see the module docstring)."""
    from jamkoll.audit.solver import propagate

    groups: dict[tuple[CellId, CellId, CellId, CellId], list[Fact]] = defaultdict(list)
    for fact in facts:
        if (fact.kind in _KINDS and fact.value is not None and fact.cell is not None
                and fact.other is not None and len(fact.denominator) == 1 and len(fact.other_denominator) == 1):
            groups[(fact.cell, fact.denominator[0], fact.other, fact.other_denominator[0])].append(fact)
    if not groups:
        return
    for key in groups:
        for cell in key:
            model.var(cell)
    lb, ub, consistent = propagate(model)
    if not consistent:
        lb, ub = np.array(model.lb, dtype=float), np.array(model.ub, dtype=float)
    for key, group in groups.items():
        idx = tuple(model.index[c] for c in key)
        bounds = {name: (int(lb[i]), int(min(ub[i], 100_000))) for name, i in zip(("a", "A", "b", "B"), idx,
                                                                                 strict=True)}
        # a rate cannot exceed its denominator
        bounds["a"] = (bounds["a"][0], min(bounds["a"][1], bounds["A"][1]))
        bounds["b"] = (bounds["b"][0], min(bounds["b"][1], bounds["B"][1]))
        unique = {(f.kind, f.value, f.decimals, f.scale): f for f in group}
        tuples = matching_tuples(list(unique.values()), bounds)
        if tuples is None:
            continue
        origin = "; ".join(sorted({f"{f.source} {f.location}" for f in group}))
        if len(tuples) == 0:
            model.conflicts.append(f"{origin}: ⊥ ({', '.join(c.label() for c in key)})")
            continue
        if len(tuples) <= max_tuples:
            model.tables.append(Table(idx, tuples, "derived", origin))
        else:
            for j in range(len(idx)):
                model.add([(key[j], 1.0)], float(tuples[:, j].min()), float(tuples[:, j].max()), "derived", origin)
