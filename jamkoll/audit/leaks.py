"""Direct leaks: what a reader sees without any arithmetic.

* ``small_count``: a published count of persons (or enrolments) from 1 to 4;
* ``count_in_text``: a count from 1 to 4 inside a note, finding or any other text
  (``"för få fall (3)"``, ``"2 kvinnor"``, ``"n = 1"``);
* ``full_precision``: a share, rate, difference, ratio, interval or mean stored with all its binary
  digits (``4.554079696394687`` is 24/527): the printed rounding hides nothing from anyone who opens
  the file or the JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from jamkoll.audit.facts import MEASURES, Fact

__all__ = ["Leak", "find_leaks", "small_counts_in_text"]

_WORDS = (r"personer|person|deltagare|deltagaren|kvinnor|kvinna|män|man|individer|fall|"
          r"people|persons|participants|participant|women|woman|men|cases|individuals")
_PATTERNS = (
    re.compile(rf"(?:{_WORDS})\s*\(\s*(?:n\s*=\s*)?(\d+)\s*\)", re.IGNORECASE),
    re.compile(rf"(?<![\w,.])(\d+)\s+(?:{_WORDS})\b", re.IGNORECASE),
    re.compile(r"\bn\s*=\s*(\d+)\b", re.IGNORECASE),
)
_FLOAT_KINDS = frozenset({"share", "rate", "difference", "ratio", "ci_low", "ci_high", "mean"})


@dataclass(frozen=True)
class Leak:
    """One directly visible disclosure."""

    kind: str  # small_count | count_in_text | full_precision
    source: str
    location: str
    value: str
    detail: str = ""


def small_counts_in_text(text: str, threshold: int = 5) -> list[int]:
    """Counts 1..threshold-1 that the text states about people."""
    found = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            n = int(match.group(1))
            if 1 <= n < threshold:
                found.append(n)
    return found


def find_leaks(facts: Iterable[Fact], threshold: int = 5) -> list[Leak]:
    leaks: list[Leak] = []
    seen: set[tuple[str, str, str]] = set()
    for fact in facts:
        if fact.kind == "count" and fact.value is not None and fact.cell is not None:
            measure = MEASURES.get(fact.cell.measure)
            persons = measure.persons if measure is not None else True
            low, high = max(0.0, fact.value - fact.uncertainty), fact.value + fact.uncertainty
            if persons and 1 <= low and high < threshold:
                shown = f"{fact.value:g}" if low == high else f"{low:g}–{high:g}"
                leaks.append(Leak("small_count", fact.source, fact.location, shown, fact.cell.label()))
        elif fact.kind == "text" and fact.text:
            counts = small_counts_in_text(fact.text, threshold)
            key = (fact.source, fact.location, fact.text)
            if counts and key not in seen:
                seen.add(key)
                leaks.append(Leak("count_in_text", fact.source, fact.location,
                                  ", ".join(str(c) for c in counts), fact.text))
        elif fact.kind in _FLOAT_KINDS and fact.value is not None and fact.decimals is None:
            detail = fact.cell.label() if fact.cell is not None else ""
            leaks.append(Leak("full_precision", fact.source, fact.location, repr(fact.value), detail))
    return leaks
