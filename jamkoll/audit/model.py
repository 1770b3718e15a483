"""The attacker's knowledge as constraints on the true counts.

Unknowns: one non-negative integer per :class:`~jamkoll.audit.facts.CellId` that any output mentions
(plus the sex and intervention cells the relations below need). Constraints, by *family*:

``sums`` (linear equalities)
    * a published count fixes its cell (``uncertainty`` u: ``|x - v| <= u``); the same cell published in
      two places is one unknown, so a count hidden in one table and shown in another is known;
    * a table's total row or column is the sum of its rows (:class:`~jamkoll.audit.facts.SumRelation`);
    * sexes partition every population: ``x[*] = x[women] + x[men] + x[other] + x[unknown]``
      (and ``x[other_unknown] = x[other] + x[unknown]`` when that combination is published);
    * a table of persons by a dimension with several values per person (``"dimension=*"``, its total
      row): at most their enrolments;
    * interventions: ``x[+] = sum_i x[i]`` over every intervention the outputs name; for additive
      measures (enrolments, components, exits) ``x[*] = x[+]``. For persons nothing is assumed: a
      person can take part in two interventions, and interventions that report head counts only are
      in ``+`` but not in the association's person tables (the demo's INS11 and INS12), so even
      ``x[i] <= x[*]`` is false there.
``shares`` (linear inequalities)
    a share or rate ``s = scale * n / (d1 + d2 + ...)`` printed with ``k`` decimals gives
    ``(s - h) * D <= scale * n <= (s + h) * D`` with ``h = 0.5 * 10**-k``: linear in the counts whether or
    not the denominator is known.
``full_precision`` (linear equalities)
    a share published with all its binary digits is a fraction ``p/q`` in lowest terms
    (:meth:`fractions.Fraction.limit_denominator`), so ``q * n = p * D`` exactly.
``derived`` (finite sets of integer tuples)
    a difference of two rates, their risk ratio and the Newcombe interval of the difference are not linear.
    With both denominators bounded (say rounded to tens: 11 values each), every integer
    ``(a, A, b, B)`` is tried and only the tuples that reproduce every published figure, at its printed
    precision, are kept (:mod:`jamkoll.audit.derived`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from jamkoll.audit.facts import ALL, MEASURES, SEXES, SUM, CellId, Fact, Published

__all__ = ["FAMILIES", "Model", "Row", "Table", "build_model"]

FAMILIES = ("sums", "shares", "full_precision", "derived")
#: Upper bound of a count nobody published (large enough for any association).
BIG = 1_000_000
OTHER_UNKNOWN = "other_unknown"
_NOT_INTERVENTIONS = frozenset({ALL, SUM, "compared"})


@dataclass(frozen=True)
class Row:
    """``lo <= sum(coef * x[var]) <= hi``, with where it came from."""

    coefs: tuple[tuple[int, float], ...]
    lo: float
    hi: float
    family: str
    origin: str


@dataclass(frozen=True)
class Table:
    """The variables ``vars`` must equal one row of ``allowed`` (a finite, enumerated relation)."""

    vars: tuple[int, ...]
    allowed: np.ndarray
    family: str
    origin: str


@dataclass
class Model:
    cells: list[CellId] = field(default_factory=list)
    index: dict[CellId, int] = field(default_factory=dict)
    lb: list[float] = field(default_factory=list)
    ub: list[float] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def var(self, cell: CellId) -> int:
        i = self.index.get(cell)
        if i is None:
            i = len(self.cells)
            self.index[cell] = i
            self.cells.append(cell)
            self.lb.append(0.0)
            self.ub.append(float(BIG))
        return i

    def bound(self, cell: CellId, lo: float, hi: float, origin: str) -> None:
        i = self.var(cell)
        new_lo, new_hi = max(self.lb[i], lo), min(self.ub[i], hi)
        if new_lo > new_hi + 1e-9:
            self.conflicts.append(f"{cell.label()}: {origin} [{lo:g}, {hi:g}] ≠ [{self.lb[i]:g}, {self.ub[i]:g}]")
            return
        self.lb[i], self.ub[i] = new_lo, new_hi

    def add(self, coefs: Iterable[tuple[CellId, float]], lo: float, hi: float, family: str, origin: str) -> None:
        merged: dict[int, float] = defaultdict(float)
        for cell, c in coefs:
            merged[self.var(cell)] += c
        items = tuple((i, c) for i, c in merged.items() if c != 0)
        if items:
            self.rows.append(Row(items, lo, hi, family, origin))


def build_model(published: Published, families: Iterable[str] = FAMILIES,
                interventions: Iterable[str] = ()) -> Model:
    """All constraints of the chosen families on the cells of ``published``."""
    wanted = set(families)
    model = Model()
    for fact in published.facts:
        if fact.kind == "count" and fact.cell is not None:
            model.var(fact.cell)
            if fact.value is not None:
                u = fact.uncertainty
                model.bound(fact.cell, max(0.0, fact.value - u), fact.value + u, _origin(fact))
    if "sums" in wanted:
        for s in published.sums:
            model.add([(s.total, 1.0), *((p, -1.0) for p in s.parts)], 0.0, 0.0, "sums",
                      f"{s.source} {s.location}")
    for fact in published.facts:
        if fact.kind in ("share", "rate") and fact.value is not None and fact.cell is not None:
            _share(model, fact, wanted)
    if "sums" in wanted:
        _sex_relations(model)
        _pair_totals(model)
        _intervention_relations(model, set(interventions))
    if "derived" in wanted:
        from jamkoll.audit.derived import add_derived

        add_derived(model, published.facts)
    return model


def _origin(fact: Fact) -> str:
    return f"{fact.source} {fact.location}"


def _share(model: Model, fact: Fact, wanted: set[str]) -> None:
    assert fact.value is not None and fact.cell is not None
    if not fact.denominator:
        return
    s = fact.value / fact.scale
    terms_den = [(d, 1.0) for d in fact.denominator]
    if fact.decimals is None:
        if "full_precision" not in wanted:
            return
        frac = Fraction(s).limit_denominator(1_000_000)
        if abs(float(frac) - s) <= 1e-12 * max(1.0, abs(s)):
            p, q = frac.numerator, frac.denominator
            model.add([(fact.cell, float(q)), *((d, -float(p) * c) for d, c in terms_den)], 0.0, 0.0,
                      "full_precision", _origin(fact))
            return
        h = 1e-9 * max(1.0, abs(s))
        family = "full_precision"
    else:
        if "shares" not in wanted:
            return
        h = 0.5 * 10.0 ** (-fact.decimals) / fact.scale + 1e-12
        family = "shares"
    # n - (s + h) * D <= 0 and n - (s - h) * D >= 0
    model.add([(fact.cell, 1.0), *((d, -(s + h) * c) for d, c in terms_den)], -np.inf, 0.0, family,
              _origin(fact))
    model.add([(fact.cell, 1.0), *((d, -(s - h) * c) for d, c in terms_den)], 0.0, np.inf, family,
              _origin(fact))


def _sex_relations(model: Model) -> None:
    for cell in list(model.cells):
        if cell.sex == ALL:
            parts = [(cell.with_(sex=s), -1.0) for s in SEXES]
            model.add([(cell, 1.0), *parts], 0.0, 0.0, "sums", "women + men + other + unknown = all")
        elif cell.sex == OTHER_UNKNOWN:
            model.add([(cell, 1.0), (cell.with_(sex="other"), -1.0), (cell.with_(sex="unknown"), -1.0)],
                      0.0, 0.0, "sums", "other + unknown")


def _pair_totals(model: Model) -> None:
    """The total row of a published table of persons by a dimension one person can have several values
    of (category ``"dimension=*"``, :func:`jamkoll.audit.labels.category`) counts person-value pairs: at
    most the enrolments (each pair has one). Not "at least the persons": the persons cell of an
    intervention may hold people of head counts, who have no values at all."""
    for cell in list(model.cells):
        if cell.measure == "participants" and cell.category.endswith(f"={ALL}"):
            enrolments = cell.with_(measure="enrolments", category=ALL)
            model.add([(cell, 1.0), (enrolments, -1.0)], -np.inf, 0.0, "sums", "person-value pairs <= enrolments")


def _intervention_relations(model: Model, interventions: set[str]) -> None:
    known = set(interventions) | {c.intervention for c in model.cells if c.intervention not in _NOT_INTERVENTIONS}
    if not known:
        return
    groups: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for cell in model.cells:
        groups[(cell.measure, cell.year, cell.sex, cell.category)].add(cell.intervention)
    for (measure, year, sex, cat), present in groups.items():
        if not (present & {ALL, SUM}):
            continue
        base = CellId(measure, year, ALL, sex, cat)
        per = [base.with_(intervention=i) for i in sorted(known)]
        total = base.with_(intervention=SUM)
        model.add([(total, 1.0), *((p, -1.0) for p in per)], 0.0, 0.0, "sums", "sum over interventions")
        if ALL not in present:
            continue
        additive = MEASURES.get(measure)
        if additive is not None and additive.additive:
            model.add([(base, 1.0), (total, -1.0)], 0.0, 0.0, "sums", "association = sum over interventions")
