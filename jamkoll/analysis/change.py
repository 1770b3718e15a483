"""Change between two years' findings, tested: a finding is *new* or *resolved* only when the change
of its effect between the years is itself statistically established.

Test: the two years' effects (the adjusted effect when both years have one, else the raw effect)
are compared with a two-sided z-test of their difference, ``z = (e₁ − e₀) / √(se₁² + se₀²)``,
each standard error taken from the 95 % interval (``(high − low) / (2·1.96)``). The years are
treated as independent samples (enrolments that started in different years; a person enrolled in
both years makes the test slightly conservative or liberal, depending on the correlation).
Reference: Altman, D. G. and Bland, J. M. (2003). Interaction revisited: the difference between two
estimates. BMJ 326(7382), 219.

Codes: ``new`` (flagged now, not before, change significant), ``resolved`` (flagged before, not
now, change significant), ``changed`` (another change of status, e.g. uncertain to explained,
with a significant change), ``changed_not_established`` (the status changed, the change is not
significant or could not be tested), ``unchanged``, ``not_compared`` (no finding one of the years).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy import stats as sps

from jamkoll.analysis.results import Effect, Finding

ChangeCode = Literal["new", "resolved", "changed", "changed_not_established", "unchanged", "not_compared"]


@dataclass(frozen=True)
class YearChange:
    """The change of one comparison between two years, with its test (numbers and a code)."""

    id: str
    code: ChangeCode
    status_before: str | None
    status_now: str | None
    difference: float | None  # effect now − effect before, in the effect's unit
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    unit: str | None


def _effects(now: Finding, before: Finding) -> tuple[Effect, Effect]:
    if (now.adjusted is not None and before.adjusted is not None and now.adjusted.estimate is not None
            and before.adjusted.estimate is not None):
        return now.adjusted, before.adjusted
    return now.raw, before.raw


def year_change(now: Finding | None, before: Finding | None, level: float = 0.05) -> YearChange:
    """Compare one comparison's findings of two years (``now`` and ``before``; either may be None)."""
    either = now or before
    ident = either.id if either is not None else ""
    if now is None or before is None:
        return YearChange(ident, "not_compared", before.status if before else None, now.status if now else None,
                          None, None, None, None, None)
    e_now, e_before = _effects(now, before)
    difference = low = high = p = None
    se_now, se_before = e_now.std_error, e_before.std_error
    if e_now.estimate is not None and e_before.estimate is not None and se_now and se_before:
        difference = e_now.estimate - e_before.estimate
        se = math.hypot(se_now, se_before)
        z = sps.norm.ppf(1 - level / 2)
        low, high = difference - z * se, difference + z * se
        p = float(2 * sps.norm.sf(abs(difference) / se))
    flagged_now, flagged_before = now.status == "unjustified", before.status == "unjustified"
    established = p is not None and p < level
    code: ChangeCode
    if now.status == before.status:
        code = "unchanged"
    elif flagged_now and not flagged_before and established:
        code = "new"
    elif flagged_before and not flagged_now and established:
        code = "resolved"
    elif established and not (flagged_now or flagged_before):
        code = "changed"
    else:
        code = "changed_not_established"
    return YearChange(ident, code, before.status, now.status, difference, low, high, p, e_now.unit)


def compare_years(now: list[Finding], before: list[Finding], level: float = 0.05) -> dict[str, YearChange]:
    """Every comparison found in either year, by finding id."""
    a = {f.id: f for f in now}
    b = {f.id: f for f in before}
    return {i: year_change(a.get(i), b.get(i), level) for i in sorted(set(a) | set(b))}
