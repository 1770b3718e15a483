"""Result objects of the analysis: findings, tables and the whole analysis.

Their JSON shape is documented in ``docs/analysis-json.md``; reports, the CLI
and the web app read these objects, never the internals of the analysis.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import pandas as pd

from jamkoll.analysis.config import AnalysisConfig
from jamkoll.analysis.disclosure import Protection

#: Version 3: tables with a ``topic`` and coded columns (``women``, ``men``, ``total``, ``share_women`` ...).
#: Version 4: tables in codes only: a coded ``protection`` instead of notes, coded row labels (intervention ids,
#: ``yes``/``no``/``missing``, ``all_enrolments``); titles, notes and row labels are added by the reports layer
#: when it writes the file (``jamkoll.reports.labels.analysis_document``).
SCHEMA = "jamkoll.analysis/4"
Dimension = Literal["participation", "component", "outcome", "resource"]
Status = Literal["unjustified", "explained", "uncertain", "none"]
STATUSES: tuple[Status, ...] = ("unjustified", "explained", "uncertain", "none")
# Why a legitimate covariate was left out of an adjusted model.
OmissionReason = Literal["no_variation", "not_in_both_groups", "too_few_events", "fit_failed", "collinear"]
# What would settle an uncertain finding.
Needed = Literal["pool_years", "more_data"]
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

    @property
    def std_error(self) -> float | None:
        """The standard error implied by a 95 % normal interval (for the tests of change)."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return (self.ci_high - self.ci_low) / (2 * 1.959963984540054)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Effect:
        return cls(data.get("estimate"), data.get("ci_low"), data.get("ci_high"), data.get("p_value"),
                   str(data.get("unit", "")), str(data.get("method", "")))


@dataclass(frozen=True)
class Finding:
    """One comparison of women and men, in numbers and codes (the words are in ``jamkoll.reports.explain``).

    ``id`` is stable across runs and years for the same comparison:
    ``{dimension}:{intervention or "all"}:{category}``; ``year`` is the analysed
    year (or None for all years), so a finding that recurs next year has the same id.

    ``status`` (see :mod:`jamkoll.analysis.engine` and ``docs/analysis-json.md``): ``unjustified``,
    ``explained``, ``uncertain`` (then ``needed`` says what would settle it) or ``none``.
    ``margin``: the materiality margin in the effect's unit (percentage points, or the resource's
    unit: ``min_relative_resource_gap`` × the men's mean). ``adjusted_for``: exactly the covariates
    in the adjusted model; ``omitted_covariates``: the legitimate covariates left out, with a reason
    code; ``interactions``: those of ``adjusted_for`` entered within intervention.
    ``relative_adjusted``: resources: the adjusted gap as a share of the men's mean (base: men).
    ``n_ongoing``: outcomes and time in the intervention: enrolments of the scope not yet ended
    (not in the comparison), rounded to tens, None for 1 to threshold − 1.
    ``km_median_women``/``km_median_men``: time in the intervention only: the Kaplan-Meier median
    (days) over all enrolments, ongoing ones censored at the data's date (None when not reached).
    ``notes``: codes (``no_adjusted_estimate``, ``rates_withheld_small_count``,
    ``reference_weighted_by_participants``).
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
    omitted_covariates: dict[str, str] = field(default_factory=dict)
    interactions: tuple[str, ...] = ()
    margin: float | None = None
    relative_adjusted: float | None = None
    needed: str | None = None
    n_ongoing: int | None = None
    km_median_women: float | None = None
    km_median_men: float | None = None
    notes: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.status == "unjustified"

    @property
    def effect(self) -> Effect:
        """The effect the status is about: the adjusted one for an unjustified difference, else the raw."""
        return self.adjusted if self.status == "unjustified" and self.adjusted else self.raw

    def higher_for(self) -> str | None:
        """Which sex has the higher value: adjusted for an unjustified difference, else as observed."""
        effect = self.effect
        if effect.estimate is None or effect.estimate == 0:
            return None
        return "women" if effect.estimate > 0 else "men"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["raw"] = self.raw.to_dict()
        data["adjusted"] = self.adjusted.to_dict() if self.adjusted else None
        data["risk_ratio"] = self.risk_ratio.to_dict() if self.risk_ratio else None
        data["adjusted_for"] = list(self.adjusted_for)
        data["interactions"] = list(self.interactions)
        data["notes"] = list(self.notes)
        data["higher_for"] = self.higher_for()
        return _clean(data)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """A finding from its JSON form (``to_dict``), e.g. one stored by the web app's register.

        Older records (before ``omitted_covariates`` and the ``uncertain`` status) read with defaults.
        """
        def effect(key: str) -> Effect | None:
            value = data.get(key)
            return Effect.from_dict(value) if isinstance(value, dict) else None

        raw = effect("raw") or Effect(None, None, None, None, "pp", "")
        return cls(
            id=str(data.get("id", "")), dimension=data.get("dimension", "component"),
            intervention=data.get("intervention"), category=str(data.get("category", "")),
            status=data.get("status", "none"), year=data.get("year"),
            n_women=int(data.get("n_women") or 0), n_men=int(data.get("n_men") or 0), n_other=data.get("n_other"),
            women_value=data.get("women_value"), men_value=data.get("men_value"),
            reference_value=data.get("reference_value"), raw=raw, adjusted=effect("adjusted"),
            risk_ratio=effect("risk_ratio"), q_raw=data.get("q_raw"), q_adjusted=data.get("q_adjusted"),
            adjusted_for=tuple(data.get("adjusted_for") or ()),
            omitted_covariates=dict(data.get("omitted_covariates") or {}),
            interactions=tuple(data.get("interactions") or ()), margin=data.get("margin"),
            relative_adjusted=data.get("relative_adjusted"), needed=data.get("needed"),
            n_ongoing=data.get("n_ongoing"), km_median_women=data.get("km_median_women"),
            km_median_men=data.get("km_median_men"), notes=tuple(data.get("notes") or ()),
        )


# What a published table is about: the report section it belongs in (see docs/analysis-json.md).
Topic = Literal["participation", "trend", "component", "outcome", "intersectional", "resource", "target", "other"]
TOPICS: tuple[Topic, ...] = ("participation", "trend", "component", "outcome", "intersectional", "resource",
                             "target", "other")
# Column codes of the published tables (the words are in ``jamkoll.reports.text.column_label``).
SHARE_WOMEN = "share_women"  # the share of women of women and men, in per cent with one decimal
COLUMNS = ("women", "men", "other_unknown", "share_women", "women_mean", "women_median", "men_mean",
           "men_median")
# A decomposition is keyed by (resource, intervention); None: all interventions together.
DecompositionKey = tuple[str, str | None]


def decomposition_key(key: DecompositionKey) -> str:
    """The key of a decomposition in ``analysis.json``: ``{resource}:{intervention or "all"}``."""
    resource, intervention = key
    return f"{resource}:{intervention or 'all'}"


#: Row codes of the published tables that are not data values (the words are in ``jamkoll.reports.labels``).
ALL_ENROLMENTS = "all_enrolments"  # the one row of ``enrolments_by_sex``
YES, NO, MISSING = "yes", "no", "missing"  # a yes/no ground of the intersectional tables, or not known


@dataclass(frozen=True)
class ResultTable:
    """A published table: already through disclosure control, in numbers and codes.

    ``frame`` holds the published values (suppressed cells are missing) under coded columns
    (:data:`COLUMNS`, or years for budgets), a coded index name (``intervention``, ``year``,
    ``component``, ``outcome``, ``resource``, ``group``, a covariate) and coded rows (intervention ids,
    years, outcome and component codes, :data:`YES`/:data:`NO`/:data:`MISSING`, :data:`ALL_ENROLMENTS`,
    the margin ``total``); ``suppressed`` says which cells were hidden, ``protection`` how.
    ``topic``: the section the table belongs in. Titles, notes and row labels in words are written by
    ``jamkoll.reports.labels``.
    """

    key: str
    frame: pd.DataFrame
    suppressed: pd.DataFrame | None = None
    protection: Protection = field(default_factory=Protection)
    kind: str = "counts"  # counts | shares | means | reference | trend | intersectional | budget
    topic: Topic = "other"

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickling a table kept before the codes (schema 3 and older): its Swedish note becomes a
        :class:`Protection`; its titles are dropped (the reports write them from the key)."""
        if "protection" not in state:
            state = dict(state)
            state["protection"] = protection_from_note(str(state.get("note") or ""))
        for old in ("title", "title_en", "note", "note_en"):
            state.pop(old, None)
        self.__dict__.update(state)

    def to_dict(self) -> dict[str, Any]:
        frame = self.frame.reset_index()
        frame.columns = [str(c) for c in frame.columns]
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        suppressed = None
        if self.suppressed is not None:
            mask = self.suppressed.reset_index(drop=True)
            suppressed = [[str(c) for c in mask.columns[row]] for row in mask.to_numpy(dtype=bool)]
        return {"key": self.key, "kind": self.kind, "topic": self.topic,
                "columns": [str(c) for c in frame.columns], "rows": records, "suppressed": suppressed,
                "protection": self.protection.to_dict()}


_OLD_THRESHOLD = re.compile(r"(?:under|färre än) (\d+)")
_OLD_MARKER = re.compile(r"markerade med ([^)]+)\)")


def protection_from_note(note: str) -> Protection:
    """The codes a Swedish table note of schema 3 and older expressed (for pickles kept by the web app)."""
    found = _OLD_THRESHOLD.search(note)
    threshold = int(found.group(1)) if found else None
    if "cell key" in note:
        return Protection("cell_key", threshold or 5)
    if note.startswith("Medelvärden"):
        return Protection("min_group", threshold)
    if note.startswith("Värden under"):
        marker = _OLD_MARKER.search(note)
        return Protection("suppression", threshold, marker.group(1) if marker else "..", "och nollor" in note,
                          "andra värden har dolts" in note)
    return Protection()


def _coded_index(table: ResultTable, names: dict[str, str]) -> ResultTable:
    """An old pickled table with its row labels in words turned into the codes of schema 4."""
    words = {"ja": YES, "nej": NO, "uppgift saknas": MISSING, "Alla inskrivningar": ALL_ENROLMENTS,
             **{f"{code} {name}".strip(): code for code, name in names.items()}}
    index = table.frame.index
    if isinstance(index, pd.MultiIndex) or not any(str(v) in words for v in index):
        return table
    coded = pd.Index([words.get(str(v), v) for v in index], name=index.name)
    frame = table.frame.set_axis(coded, axis=0)
    suppressed = table.suppressed
    if suppressed is not None and suppressed.shape == table.frame.shape:
        suppressed = suppressed.set_axis(coded, axis=0)
    return replace(table, frame=frame, suppressed=suppressed)


@dataclass
class Analysis:
    """Everything one analysis run found. Use :func:`jamkoll.analysis.analyze` to make one.

    ``config``: what the run was asked to do (without the installation key).
    ``decompositions``: Blinder-Oaxaca decompositions keyed by (resource, intervention), None for all
    interventions together.
    """

    config: AnalysisConfig
    findings: list[Finding]
    tables: dict[str, ResultTable]
    decompositions: dict[DecompositionKey, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickling (the web app keeps results on disk): an analysis kept before the configuration was
        typed has a dict ``config`` and decompositions under ``"{resource}:{intervention or all}"``; one
        kept before schema 4 has tables with row labels in words ("INS01 Steg till arbete", "ja"), which
        become codes (the tables' notes become codes in :meth:`ResultTable.__setstate__`)."""
        if isinstance(state.get("config"), dict):
            state["config"] = AnalysisConfig.from_dict(state["config"])
        state["decompositions"] = {
            (k if isinstance(k, tuple) else (str(d.get("resource", k.split(":")[0])), d.get("intervention"))): d
            for k, d in (state.get("decompositions") or {}).items()}
        names = {str(k): str(v) for k, v in ((state.get("meta") or {}).get("interventions") or {}).items()}
        state["tables"] = {k: _coded_index(t, names) for k, t in (state.get("tables") or {}).items()}
        self.__dict__.update(state)

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

    def uncertain(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "uncertain"]

    def summary(self) -> str:
        """Counts per status and the ids of the possible unjustified differences (no sentences: those
        are written by ``jamkoll.reports.explain``)."""
        counts = {s: sum(f.status == s for f in self.findings) for s in STATUSES}
        lines = [f"{len(self.findings)} comparisons: {counts['unjustified']} possible unjustified differences, "
                 f"{counts['explained']} explained by legitimate needs, {counts['uncertain']} uncertain."]
        for f in self.flagged():
            lines.append(f"  - {f.id}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return _clean({
            "schema": SCHEMA,
            "config": self.config.to_dict(),
            "meta": self.meta,
            "findings": [f.to_dict() for f in self.findings],
            "tables": {k: t.to_dict() for k, t in self.tables.items()},
            "decompositions": {decomposition_key(k): d for k, d in self.decompositions.items()},
        })  # type: ignore[no-any-return]

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=str)
