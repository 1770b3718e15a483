"""Parts of a cell key table that its own total would pin into 1 to threshold − 1: withheld.

Under the cell key method (:func:`jamkoll.analysis.disclosure.cell_key_counts`) every count is published
with noise from a public perturbation table, so each published value tells an attacker an interval for
the true one (:func:`published_band`): a 0 is a true 0, a ``threshold`` or ``threshold + 1`` is a true
1 to ``threshold + 1 + D``, a larger value ``v`` a true value of at least about ``(v + threshold) / 2``.
A total perturbed on its own bounds the sum of its parts from above while every published part bounds
itself from below, and together they can pin a small part: a column total published 39 (at most 43)
over parts published 25 and 21 (at least 21 and 17) and two parts published 5 (at least 1 each) leaves
each of those two 1 to 4 (the auditor found exactly this in a steering-group report of the demo
association, ``bench/results/key_sweep.md``); so do six categories of one person each under a total
published 5 (``tests/audit/test_many_small_parts.py``).

The rule, for every column of the table against its total row (a row total is the sum of the row's
published parts, :func:`jamkoll.analysis.disclosure.cell_key_counts`, and pins nothing):

* The *small* parts are those published as 0, ``threshold`` or ``threshold + 1``: the only published
  values whose band reaches below the threshold. The others are *large* (true value at least
  ``threshold + 1``).
* Worst case: if every small part were non-zero (at least 1 each), one of them would be at most
  ``U = total + D − Σ lower(large) − (small − 1)``. When ``U < threshold`` every small part of the
  column is withheld, zeros included, and shown with the marker.
* The decision uses only what stays published (the total and the large parts) and the number of small
  parts (which the markers show): withholding says nothing about which withheld parts are 0.
* A withheld part is then known to lie in ``[0, total + D − Σ lower(large)]``; while that is narrower
  than ``min_interval`` (the suppression method's protection interval) the smallest large part is
  withheld too.
* Where the parts are published elsewhere anyway (each year of a table by year is that year's own
  total), withholding them here would not help: then the column total gives way instead, whenever the
  column has a small non-zero part (``total_row="yields"``; decided on the parts alone, as any published
  total could be low enough to pin them).

Each cell lies in one relation (its column), so the bounds are exact: the feasibility interval of a part
under one equality and boxes is the interval computed here.

Reference: the attacker model is that of the auditor (``jamkoll audit-disclosure``): linear relations
between published cells and the public perturbation table (Hundepool et al. 2012, ch. 5; Giessing 2016
on the disclosure risk of additive noise).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from jamkoll.analysis.disclosure import DisclosurePolicy, TotalRow, _ptable_counts

__all__ = ["published_band", "withheld_parts"]


@lru_cache(maxsize=4096)
def _band(value: int, threshold: int, max_noise: int, variance: float, key_range: int) -> tuple[int, int]:
    rows = _ptable_counts(threshold, max_noise, variance, key_range)
    possible = [v for v, row in enumerate(rows[:-1]) for d, _ in row if v + d == value]
    capped = len(rows) - 1  # the last row holds for every true value from here on
    possible += [u for u in range(max(capped, value - max_noise), value + max_noise + 1)
                 for d, _ in rows[-1] if u + d == value]
    if not possible:  # never published by the method (a count 1 to threshold − 1): as small as can be
        return 1, value + max_noise
    return min(possible), max(possible)


def published_band(value: int, policy: DisclosurePolicy) -> tuple[int, int]:
    """The smallest and largest true count that the perturbation table publishes as ``value``.

    Read from :func:`jamkoll.analysis.disclosure.perturbation_table` (public): 0 only from 0; 5 from 1
    to 9; 7 from 6 to 11 (a true 5 is always published as 5); from ``threshold + 2 D`` on, ``value ± D``."""
    return _band(int(value), policy.threshold, policy.max_noise, policy.noise_variance, policy.key_range)


def withheld_parts(full: np.ndarray, policy: DisclosurePolicy, *, total_row: TotalRow = "kept") -> np.ndarray:
    """Which cells of a perturbed table to withhold so that no column total pins a part (module docstring).

    ``full``: the published counts in canonical layout (inner cells, the row totals as the last column,
    the column totals as the last row); the row totals are the sums of the published parts, so they pin
    nothing and are not checked (nor the column of row totals). ``total_row``: ``"kept"`` withholds the
    parts a column total would pin; ``"yields"`` withholds the total of every column with a small
    non-zero part instead (decided on the parts alone, so the withheld total cannot be bounded by the
    decision); ``"dropped"`` checks nothing. Returns a boolean mask of the same shape. Deterministic on
    the published values."""
    hidden = np.zeros(full.shape, dtype=bool)
    if total_row == "dropped":
        return hidden
    t, d = policy.threshold, policy.max_noise
    m = full.shape[0] - 1
    for j in range(full.shape[1] - 1):
        total = int(full[m, j])
        if total == 0:  # a published 0 is a true 0: so is every part
            continue
        small = [i for i in range(m) if full[i, j] <= t + 1]
        if total_row == "yields":
            hidden[m, j] = any(full[i, j] > 0 for i in small)
            continue
        large = sorted((i for i in range(m) if full[i, j] > t + 1), key=lambda i: (full[i, j], i))
        lower_large = sum(published_band(full[i, j], policy)[0] for i in large)
        top = total + d
        if not small or top - lower_large - (len(small) - 1) >= t:
            continue
        hidden[small, j] = True
        while large and top - lower_large < policy.min_interval:
            smallest = large.pop(0)
            hidden[smallest, j] = True
            lower_large -= published_band(full[smallest, j], policy)[0]
    return hidden
