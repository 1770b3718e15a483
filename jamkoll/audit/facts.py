"""Published figures as *facts*: one number, where it was published, and which population cell it describes.

Every reader (report workbook, ``analysis.json``, the long ``published.json`` format) turns an output into
a list of :class:`Fact`. The auditor only ever sees facts, so a new output format needs a new reader
and nothing else.

Cell identity
    A :class:`CellId` names one true count in the data: ``(measure, year, intervention, sex, category)``.
    Two facts with the same cell identity describe the same number, wherever they were published
    (another table, another format, another year's report, a per-intervention report): that is how the
    attacker links outputs.

    * ``measure``: what is counted, e.g. ``participants`` (persons), ``components`` (enrolments that got
      a component), ``exits`` (closed enrolments). :data:`MEASURES` says how each one adds up.
    * ``year``: ``"2025"``; an all-years total is the range it covers, ``"2021-2025"``.
    * ``intervention``: an intervention code, ``"*"`` for the whole association (each person once) or
      ``"+"`` for the sum over interventions (a person in two interventions counts twice).
    * ``sex``: ``women``, ``men``, ``other``, ``unknown`` or ``"*"`` (all).
    * ``category``: ``"*"`` or ``"dimension=value"``, e.g. ``"age_band=18-24"``.

Fact kinds
    ``count`` (the cell itself), ``share`` and ``rate`` (``scale * cell / sum(denominator)``),
    ``difference`` (``rate1 - rate2``), ``ratio`` (``rate1 / rate2``), ``ci_low``/``ci_high`` (the
    interval of a difference), ``mean`` (a mean over ``denominator`` persons) and ``text`` (a note or any
    other string, searched for counts). ``value`` is ``None`` when the cell was suppressed (``..``).
    ``decimals`` is the printed precision; ``None`` means the full binary value was published (a float
    with all its digits in XLSX or JSON). ``uncertainty`` is the published error bound of a count, e.g.
    5 for counts rounded to tens: the true value lies in ``[value - uncertainty, value + uncertainty]``.

``published.json`` (schema ``jamkoll.published/1``)
    ``{"schema": "jamkoll.published/1", "facts": [fact, ...], "sums": [sum, ...]}`` where each fact is
    ``{"source", "location", "kind", "measure", "year", "intervention", "sex", "category", "value",
    "decimals", "uncertainty", "scale", "denominator": [cell, ...], "other": cell,
    "other_denominator": [cell, ...], "text"}`` and a cell is ``{"measure", "year", "intervention",
    "sex", "category"}``. Only ``kind`` and ``value`` are required; missing cell fields default to
    ``"*"``. A sum is ``{"total": cell, "parts": [cell, ...]}``: a table's margin (its rows are
    exhaustive). See :func:`facts_to_json` and :func:`read_published`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "ALL",
    "MEASURES",
    "SEXES",
    "SUM",
    "CellId",
    "Fact",
    "Kind",
    "Measure",
    "Published",
    "SumRelation",
    "facts_to_json",
    "read_published",
]

ALL = "*"
#: The sum over interventions (a person in two interventions counts twice).
SUM = "+"
#: The sexes that partition every population (women + men + other + unknown = all).
SEXES = ("women", "men", "other", "unknown")
SCHEMA = "jamkoll.published/1"

Kind = Literal["count", "share", "rate", "difference", "ratio", "ci_low", "ci_high", "mean", "text"]
KINDS: tuple[str, ...] = ("count", "share", "rate", "difference", "ratio", "ci_low", "ci_high", "mean", "text")


@dataclass(frozen=True)
class Measure:
    """How the counts of one measure add up (what the attacker may assume).

    Attributes:
        persons: the cells count persons or their enrolments (a published 1-4 is a direct leak).
        additive: the association's cell (``"*"``) is the sum over interventions (enrolments, exits,
            components). For persons it is not: a person can take part in two interventions; then
            ``max_i x_i <= x_* <= sum_i x_i``.
    """

    persons: bool = True
    additive: bool = False


#: The measures the readers know. An unknown measure is treated as persons, not additive.
MEASURES: dict[str, Measure] = {
    "participants": Measure(persons=True, additive=False),
    "enrolments": Measure(persons=True, additive=True),
    "components": Measure(persons=True, additive=True),
    "exits": Measure(persons=True, additive=True),
}


@dataclass(frozen=True, order=True)
class CellId:
    """One true count in the data (see the module docstring)."""

    measure: str
    year: str = ALL
    intervention: str = ALL
    sex: str = ALL
    category: str = ALL

    def with_(self, **changes: str) -> CellId:
        data = {**self.to_dict(), **changes}
        return CellId(**data)

    def to_dict(self) -> dict[str, str]:
        return {
            "measure": self.measure,
            "year": self.year,
            "intervention": self.intervention,
            "sex": self.sex,
            "category": self.category,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CellId:
        return cls(**{k: str(data.get(k, ALL)) for k in ("measure", "year", "intervention", "sex", "category")})

    def label(self) -> str:
        parts = [self.measure, self.year, self.intervention, self.sex]
        if self.category != ALL:
            parts.append(self.category)
        return "/".join(parts)


@dataclass(frozen=True)
class Fact:
    """One published number (or string) and the cell(s) it is about."""

    source: str
    location: str
    kind: Kind
    value: float | None
    cell: CellId | None = None
    decimals: int | None = 0
    uncertainty: float = 0.0
    scale: float = 100.0
    denominator: tuple[CellId, ...] = ()
    other: CellId | None = None
    other_denominator: tuple[CellId, ...] = ()
    text: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.value is None and self.kind != "text"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source, "location": self.location, "kind": self.kind,
                                "value": self.value, "decimals": self.decimals}
        if self.cell is not None:
            data.update(self.cell.to_dict())
        if self.uncertainty:
            data["uncertainty"] = self.uncertainty
        if self.kind in ("share", "rate", "difference", "ratio", "ci_low", "ci_high"):
            data["scale"] = self.scale
        if self.denominator:
            data["denominator"] = [c.to_dict() for c in self.denominator]
        if self.other is not None:
            data["other"] = self.other.to_dict()
        if self.other_denominator:
            data["other_denominator"] = [c.to_dict() for c in self.other_denominator]
        if self.text is not None:
            data["text"] = self.text
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "") -> Fact:
        kind = str(data.get("kind", ""))
        if kind not in KINDS:
            raise ValueError(f"unknown fact kind {kind!r}; expected one of {', '.join(KINDS)}")
        value = data.get("value")
        if value is not None and not isinstance(value, int | float):
            raise ValueError(f"fact value must be a number or null, got {value!r}")
        cell = CellId.from_dict(data) if "measure" in data else None
        other = CellId.from_dict(data["other"]) if data.get("other") else None
        decimals = data.get("decimals", 0)
        return cls(
            source=str(data.get("source") or source),
            location=str(data.get("location", "")),
            kind=kind,  # type: ignore[arg-type]
            value=None if value is None else float(value),
            cell=cell,
            decimals=None if decimals is None else int(decimals),
            uncertainty=float(data.get("uncertainty", 0.0)),
            scale=float(data.get("scale", 100.0)),
            denominator=tuple(CellId.from_dict(c) for c in data.get("denominator", ())),
            other=other,
            other_denominator=tuple(CellId.from_dict(c) for c in data.get("other_denominator", ())),
            text=data.get("text"),
        )


@dataclass(frozen=True)
class SumRelation:
    """A published table's own margin: ``total`` is the sum of ``parts`` (a total row or column).

    Only a table says that its rows are exhaustive (every age band, every intervention of the year);
    the readers emit one relation per total row and column they see.
    """

    total: CellId
    parts: tuple[CellId, ...]
    source: str = ""
    location: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total.to_dict(), "parts": [p.to_dict() for p in self.parts],
                "source": self.source, "location": self.location}

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "") -> SumRelation:
        return cls(CellId.from_dict(data["total"]), tuple(CellId.from_dict(p) for p in data["parts"]),
                   str(data.get("source") or source), str(data.get("location", "")))


@dataclass
class Published:
    """What one or more outputs published: facts and the sums their tables state."""

    facts: list[Fact] = field(default_factory=list)
    sums: list[SumRelation] = field(default_factory=list)

    def extend(self, other: Published) -> None:
        self.facts.extend(other.facts)
        self.sums.extend(other.sums)

    def to_json(self, indent: int | None = 2) -> str:
        return facts_to_json(self.facts, self.sums, indent=indent)


def facts_to_json(facts: Iterable[Fact], sums: Iterable[SumRelation] = (), indent: int | None = 2) -> str:
    """The long ``published.json`` format (schema ``jamkoll.published/1``)."""
    return json.dumps({"schema": SCHEMA, "facts": [f.to_dict() for f in facts],
                       "sums": [s.to_dict() for s in sums]}, ensure_ascii=False, indent=indent)


def read_published(path: Path, data: dict[str, Any] | None = None) -> Published:
    """Read a ``published.json`` file (see the module docstring)."""
    if data is None:
        data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{path}: not a {SCHEMA} file")
    return Published(
        [Fact.from_dict(item, source=path.name) for item in _as_list(data.get("facts"), "facts")],
        [SumRelation.from_dict(item, source=path.name) for item in _as_list(data.get("sums", []), "sums")],
    )


def _as_list(value: Any, name: str) -> Sequence[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValueError(f"'{name}' must be a list of objects")
    return value
