"""Table cells and short texts for figures: numbers, published counts, effects and intervals."""

from __future__ import annotations

import math
from typing import Any

from jamkoll.analysis.results import Effect
from jamkoll.reports.model import Cell
from jamkoll.reports.sections.settings import Settings
from jamkoll.reports.text import (
    MISSING,
    SUPPRESSED,
    count_is_safe,
    finite,
    fmt_count,
    fmt_effect_value,
    fmt_number,
    unit_label,
)


def wilson(rate_pct: float | None, n: int) -> tuple[float | None, float | None]:
    """95 % Wilson interval, in per cent, for a rate given in per cent over n people, to one decimal (the
    printed precision of every published percentage, charts' data included)."""
    if rate_pct is None or n <= 0:
        return None, None
    p = min(1.0, max(0.0, rate_pct / 100.0))
    z = 1.959963984540054
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1)


def number_cell(value: Any, s: Settings, decimals: int, *, fmt: str = "0.0", signed: bool = False) -> Cell:
    number = finite(value)
    return Cell(
        fmt_number(number, s.lang, decimals, signed=signed),
        number,
        fmt if number is not None else "General",
        align="right",
    )


def count_cell(value: Any, s: Settings) -> Cell:
    number = finite(value)
    if number is not None and not count_is_safe(number, s.threshold):
        return Cell(SUPPRESSED, None, suppressed=True, align="right")
    return Cell(
        fmt_count(number, s.threshold, s.lang),
        int(number) if number is not None else None,
        "#,##0",
        align="right",
    )


def published_count(value: Any, s: Settings) -> int | None:
    """A group size taken from a finding; None when it must not be shown.

    The publication gate (:mod:`jamkoll.analysis.publication`) has already replaced it by the
    published count of the same people, the value the tables show for them, so it is printed as it
    is. A value from 1 to the threshold (which the gate never gives) is still refused here.
    """
    number = finite(value)
    if number is None or not count_is_safe(number, s.threshold):
        return None
    return int(number)


def rounded_cell(value: Any, s: Settings) -> Cell:
    number = published_count(value, s)
    if number is None:
        return Cell(
            SUPPRESSED if finite(value) is not None else MISSING,
            None,
            suppressed=finite(value) is not None,
            align="right",
        )
    return Cell(fmt_number(number, s.lang), number, "#,##0", align="right")


def rounded_text(value: Any, s: Settings) -> str:
    number = published_count(value, s)
    if number is None:
        return SUPPRESSED if finite(value) is not None else MISSING
    return fmt_number(number, s.lang)


def hidden_cells(n: int = 1) -> list[Cell]:
    return [Cell(SUPPRESSED, None, suppressed=True, align="right") for _ in range(n)]


def _effect_number(value: float | None, unit: str, s: Settings) -> tuple[str, float | None, str]:
    """An effect as a table shows it, without its unit (the column or row names it): the text, the
    number for the workbook and its Excel format."""
    number = finite(value)
    if number is None:
        return MISSING, None, "General"
    if unit == "ratio":
        return fmt_number(number, s.lang, 2), number, "0.00"
    if unit == "relative":  # a fraction of the men's mean, shown in per cent
        return fmt_number(100 * number, s.lang, 0, signed=True), 100 * number, "+0;-0;0"
    if unit == "sek":
        return fmt_number(number, s.lang, 0, signed=True), number, "+#,##0;-#,##0;0"
    return fmt_number(number, s.lang, 1, signed=True), number, "+0.0;-0.0;0.0"


def ci_cell(e: Effect | None, s: Settings) -> Cell:
    if e is None or e.ci_low is None or e.ci_high is None:
        return Cell(MISSING, None, align="right")
    low, high = _effect_number(e.ci_low, e.unit, s)[0], _effect_number(e.ci_high, e.unit, s)[0]
    text = f"{low}{' till ' if s.lang == 'sv' else ' to '}{high}"
    return Cell(text, text, align="right", nowrap=True)


def effect_cell(e: Effect | None, s: Settings) -> Cell:
    if e is None:
        return Cell(MISSING, None, align="right")
    text, value, number_format = _effect_number(e.estimate, e.unit, s)
    return Cell(text, value, number_format, align="right")


def unit_words(e: Effect | None, s: Settings) -> str:
    return unit_label(e.unit, s.lang) if e is not None else ""


def effect_text(e: Effect | None, s: Settings) -> str:
    if e is None or e.estimate is None:
        return MISSING
    text = fmt_effect_value(e.estimate, e.unit, s.lang)
    if e.ci_low is not None and e.ci_high is not None:
        low = fmt_effect_value(e.ci_low, e.unit, s.lang)
        high = fmt_effect_value(e.ci_high, e.unit, s.lang)
        text += f" ({s.t['ci'].format(low=low, high=high)})"
    return text
