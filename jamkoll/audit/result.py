"""Typed audit results: exposed cells, direct leaks, and a report in Swedish or English."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from jamkoll.audit.facts import CellId
from jamkoll.audit.leaks import Leak

__all__ = ["ATTACKS", "AuditResult", "Exposure", "ProtectionRule"]

#: Attack classes, in the order the auditor tries them (the first that exposes a cell names it).
ATTACKS: dict[str, tuple[str, str]] = {
    "sums": ("summor: totaler minus synliga delar, samma cell visad i en annan tabell i samma fil",
             "sums: totals minus visible parts, the same cell shown in another table of the same file"),
    "shares": ("andelar med sina nämnare", "shares with their denominators"),
    "full_precision": ("flyttal med full precision", "full-precision floats"),
    "derived": ("skillnader, riskkvoter och konfidensintervall", "differences, risk ratios and intervals"),
    "linked_outputs": ("kombination av utdata (andra år, insatsrapporter, JSON)",
                       "combining outputs (other years, intervention reports, JSON)"),
    "unpublished": ("en cell som aldrig publiceras men kan räknas fram till 1–4",
                    "a cell never published that can be computed to lie in 1–4"),
}
_REASONS = {
    "exact": ("exakt värde", "exact value"),
    "small": ("ligger i 1–4", "lies in 1–4"),
    "narrow": ("för smalt intervall", "interval too narrow"),
}
_LEAKS = {
    "small_count": ("publicerat antal 1–4", "published count 1–4"),
    "count_in_text": ("antal 1–4 i text", "count 1–4 in text"),
    "full_precision": ("flyttal med full precision", "full-precision float"),
}
_CELLREF = re.compile(r"^(?P<sheet>.+)!(?P<col>[A-Z]+)(?P<row>\d+)$")


@dataclass(frozen=True)
class ProtectionRule:
    """When a hidden count counts as exposed, given its feasibility interval ``[L, U]``.

    A cell is exposed if (a) ``L == U`` (exact disclosure, the sdcTable ``attack()`` and τ-ARGUS
    "exactly disclosed" level), (b) ``small_min <= L`` and ``U <= small_max`` (the reader learns that
    the count is 1-4, which the threshold rule forbids even though the value is not exact), or
    (c) ``U - L < min_width`` (the protection interval of τ-ARGUS/sdcTable: the hidden value must be
    uncertain by at least ``min_width``). ``min_width=1`` keeps only (a) and (b).

    A hidden count worked out to be exactly 0 is exposed only with ``zeros=True``: the publication gate
    prints zeros (a 0 tells of nobody), and withholds some only so that the non-zero parts beside them
    cannot be told apart; another table may still show that a part is 0 (an association-wide 0 makes
    every intervention's part 0).
    """

    min_width: int = 5
    small_min: int = 1
    small_max: int = 4
    zeros: bool = False

    def reason(self, low: float, high: float) -> str | None:
        if high == 0 and not self.zeros:
            return None
        if low == high:
            return "exact"
        if self.small_min <= low and high <= self.small_max:
            return "small"
        if high - low < self.min_width:
            return "narrow"
        return None


@dataclass(frozen=True)
class Exposure:
    """A hidden (or rounded) cell whose true value the published outputs pin down."""

    cell: CellId
    low: float
    high: float
    reason: str
    attack: str
    hidden_at: tuple[tuple[str, str], ...]
    shown_at: tuple[tuple[str, str], ...] = ()


@dataclass
class AuditResult:
    """Everything the auditor found in a set of outputs."""

    files: list[str]
    exposures: list[Exposure] = field(default_factory=list)
    leaks: list[Leak] = field(default_factory=list)
    audited: int = 0
    conflicts: list[str] = field(default_factory=list)
    rule: ProtectionRule = field(default_factory=ProtectionRule)
    skipped: list[str] = field(default_factory=list)  # files in the folders that are no known output

    @property
    def ok(self) -> bool:
        return not self.exposures and not self.leaks

    def by_attack(self) -> Counter[str]:
        return Counter(e.attack for e in self.exposures)

    def to_frame(self) -> pd.DataFrame:
        """One row per exposed cell and per leak (``finding`` = ``exposure`` or ``leak``)."""
        rows = []
        for e in self.exposures:
            source, location = e.hidden_at[0] if e.hidden_at else ("", "")
            rows.append({"finding": "exposure", "kind": e.reason, "attack": e.attack, "cell": e.cell.label(),
                         "measure": e.cell.measure, "year": e.cell.year, "intervention": e.cell.intervention,
                         "sex": e.cell.sex, "category": e.cell.category, "low": e.low, "high": e.high,
                         "source": source, "location": location, "places": len(e.hidden_at), "value": None})
        for leak in self.leaks:
            rows.append({"finding": "leak", "kind": leak.kind, "attack": None, "cell": leak.detail,
                         "measure": None, "year": None, "intervention": None, "sex": None, "category": None,
                         "low": None, "high": None, "source": leak.source, "location": leak.location,
                         "places": 1, "value": leak.value})
        return pd.DataFrame(rows, columns=["finding", "kind", "attack", "cell", "measure", "year", "intervention",
                                           "sex", "category", "low", "high", "source", "location", "places",
                                           "value"])

    def summary(self, lang: str = "sv", limit: int | None = None) -> str:
        """A report of every exposed cell (file, sheet/table, row, column, interval) and every leak."""
        en = lang == "en"
        k = 1 if en else 0
        lines = []
        head = ("Disclosure audit of {n} files: {c} hidden cells checked." if en
                else "Röjandegranskning av {n} filer: {c} dolda celler kontrollerade.")
        lines.append(head.format(n=len(self.files), c=self.audited))
        if self.skipped:
            lines.append(("Not read (not a report workbook, analysis.json or published.json): " if en
                          else "Lästes inte (varken rapportarbetsbok, analysis.json eller published.json): ")
                         + ", ".join(self.skipped))
        if self.ok:
            lines.append("No hidden cell can be recomputed and nothing leaks directly." if en
                         else "Ingen dold cell kan räknas fram och inget röjs direkt.")
        if self.exposures:
            n = len(self.exposures)
            lines.append(f"{n} exposed cells (interval narrower than the protection range):" if en
                         else f"{n} röjda celler (intervallet är smalare än skyddsintervallet):")
            for attack, n in self.by_attack().most_common():
                lines.append(f"  {ATTACKS.get(attack, (attack, attack))[k]}: {n}")
            for e in self.exposures[:limit]:
                interval = (f"{e.low:g}" if e.low == e.high else f"{e.low:g}–{e.high:g}")
                reason = _REASONS[e.reason][k]
                where = "; ".join(_place(s, loc, en) for s, loc in e.hidden_at[:3])
                more = len(e.hidden_at) - 3
                if more > 0:
                    where += f" (+{more} {'more' if en else 'till'})"
                word = "value" if en else "värde"
                lines.append(f"- {e.cell.label()}: {word} {interval} ({reason}; "
                             f"{ATTACKS.get(e.attack, (e.attack, e.attack))[k]}). {where}")
            if limit is not None and len(self.exposures) > limit:
                lines.append(f"  … {len(self.exposures) - limit} {'more' if en else 'till'}")
        if self.leaks:
            lines.append(f"{len(self.leaks)} direct leaks:" if en else f"{len(self.leaks)} direkta röjanden:")
            for kind, n in Counter(leak.kind for leak in self.leaks).most_common():
                lines.append(f"  {_LEAKS.get(kind, (kind, kind))[k]}: {n}")
            for leak in self.leaks[:limit]:
                lines.append(f"- {_LEAKS.get(leak.kind, (leak.kind, leak.kind))[k]}: {leak.value}. "
                             f"{_place(leak.source, leak.location, en)}"
                             + (f" ({leak.detail[:80]})" if leak.detail else ""))
            if limit is not None and len(self.leaks) > limit:
                lines.append(f"  … {len(self.leaks) - limit} {'more' if en else 'till'}")
        if self.conflicts:
            lines.append("Published figures that contradict each other (≠: two values for one cell; ⊥: no "
                         "counts satisfy all figures around the cell, which was not audited):" if en
                         else "Publicerade uppgifter som motsäger varandra (≠: två värden för samma cell; ⊥: inga "
                         "antal uppfyller alla uppgifter kring cellen, som därför inte granskades):")
            lines.extend(f"- {c}" for c in self.conflicts[:limit])
        return "\n".join(lines)


def _place(source: str, location: str, en: bool) -> str:
    match = _CELLREF.match(location)
    if match:
        if en:
            return (f"file {source}, sheet '{match['sheet']}', row {match['row']}, column {match['col']}")
        return f"fil {source}, blad '{match['sheet']}', rad {match['row']}, kolumn {match['col']}"
    return f"{'file' if en else 'fil'} {source}, {location}"
