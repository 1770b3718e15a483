"""Result objects of the analysis: findings, tables and the whole analysis.

Their JSON shape is documented in ``docs/analysis-json.md``; reports, the CLI
and the web app read these objects, never the internals of the analysis.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import pandas as pd

Dimension = Literal["participation", "component", "outcome", "resource"]
Status = Literal["unjustified", "explained", "none"]
DIMENSIONS: tuple[Dimension, ...] = ("participation", "component", "outcome", "resource")


def _clean(value: Any) -> Any:
    """JSON has no NaN: missing numbers become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


@dataclass(frozen=True)
class Effect:
    """An estimate with its confidence interval and p-value.

    ``unit`` is ``"pp"`` (percentage points, women − men), ``"ratio"`` (women / men),
    ``"sek"``, ``"hours"`` or ``"days"`` (women − men), or ``"relative"`` (women − men
    as a share of the men's mean).
    """

    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    unit: str
    method: str

    def to_dict(self) -> dict[str, Any]:
        return _clean(asdict(self))  # type: ignore[no-any-return]

    def significant(self, level: float = 0.05) -> bool:
        return self.p_value is not None and self.p_value < level


@dataclass(frozen=True)
class Finding:
    """One comparison of women and men, classified as an unjustified, explained or no difference.

    ``id`` is stable across runs and years for the same comparison:
    ``{dimension}:{intervention or "all"}:{category}``; ``year`` is the analysed
    year (or None for all years), so a finding that recurs next year has the same id.
    """

    id: str
    dimension: Dimension
    intervention: str | None
    category: str
    status: Status
    year: int | None
    n_women: int | None  # published group sizes (publication gate); None where withheld
    n_men: int | None
    n_other: int | None  # other or unknown sex together: counted, not compared
    women_value: float | None  # rate (0–100 %), mean, or share of women (%)
    men_value: float | None
    reference_value: float | None  # participation: the target group's share of women (%)
    raw: Effect
    adjusted: Effect | None
    risk_ratio: Effect | None
    q_raw: float | None
    q_adjusted: float | None
    adjusted_for: tuple[str, ...]
    explanation: str
    explanation_en: str = ""
    notes: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.status == "unjustified"

    def higher_for(self) -> str | None:
        """Which sex has the higher value: adjusted for an unjustified difference, else as observed."""
        effect = self.adjusted if self.status == "unjustified" and self.adjusted else self.raw
        if effect.estimate is None or effect.estimate == 0:
            return None
        return "women" if effect.estimate > 0 else "men"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["raw"] = self.raw.to_dict()
        data["adjusted"] = self.adjusted.to_dict() if self.adjusted else None
        data["risk_ratio"] = self.risk_ratio.to_dict() if self.risk_ratio else None
        data["adjusted_for"] = list(self.adjusted_for)
        data["notes"] = list(self.notes)
        data["higher_for"] = self.higher_for()
        return _clean(data)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ResultTable:
    """A published table: already through disclosure control.

    ``frame`` holds the published values (suppressed cells are missing);
    ``suppressed`` says which cells were hidden, ``note`` explains how in Swedish.
    """

    key: str
    title: str
    title_en: str
    frame: pd.DataFrame
    suppressed: pd.DataFrame | None = None
    note: str = ""
    note_en: str = ""
    kind: str = "counts"  # counts | shares | means | reference

    def to_dict(self) -> dict[str, Any]:
        frame = self.frame.reset_index()
        frame.columns = [str(c) for c in frame.columns]
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        suppressed = None
        if self.suppressed is not None:
            mask = self.suppressed.reset_index(drop=True)
            suppressed = [[str(c) for c in mask.columns[row]] for row in mask.to_numpy(dtype=bool)]
        return {"key": self.key, "title": self.title, "title_en": self.title_en, "kind": self.kind,
                "columns": [str(c) for c in frame.columns], "rows": records, "suppressed": suppressed,
                "note": self.note, "note_en": self.note_en}


@dataclass
class Analysis:
    """Everything one analysis run found. Use :func:`jamkoll.analysis.analyze` to make one."""

    config: dict[str, Any]
    findings: list[Finding]
    tables: dict[str, ResultTable]
    decompositions: dict[str, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def flagged(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "unjustified"]

    def explained(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "explained"]

    def to_frame(self) -> pd.DataFrame:
        rows = []
        for f in self.findings:
            rows.append({
                "id": f.id, "dimension": f.dimension, "intervention": f.intervention, "category": f.category,
                "status": f.status, "n_women": f.n_women, "n_men": f.n_men, "women": f.women_value,
                "men": f.men_value, "raw": f.raw.estimate, "raw_low": f.raw.ci_low, "raw_high": f.raw.ci_high,
                "adjusted": f.adjusted.estimate if f.adjusted else None, "q_raw": f.q_raw,
                "q_adjusted": f.q_adjusted,
            })
        return pd.DataFrame(rows)

    def summary(self) -> str:
        counts = {s: sum(f.status == s for f in self.findings) for s in ("unjustified", "explained", "none")}
        lines = [f"{len(self.findings)} comparisons: {counts['unjustified']} possible unjustified differences, "
                 f"{counts['explained']} explained by legitimate needs."]
        for f in self.flagged():
            lines.append(f"  - {f.explanation}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return _clean({
            "schema": "jamkoll.analysis/1",
            "config": self.config,
            "meta": self.meta,
            "findings": [f.to_dict() for f in self.findings],
            "tables": {k: t.to_dict() for k, t in self.tables.items()},
            "decompositions": self.decompositions,
        })  # type: ignore[no-any-return]

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=str)
