"""Audit published outputs: read them, model the attacker, compute intervals, report.

:func:`audit_paths` reads files and folders (report workbooks ``*.xlsx``, ``analysis.json``,
``published.json``); :func:`audit` works on facts already read. Every output is audited *together*:
an attacker holds the report, its other formats, the per-intervention reports and last year's.

Attack classes: cells exposed by all outputs together are attributed to the first of these that
already exposes them: within one file with sums only (``sums``), plus shares printed with their
precision (``shares``), plus full-precision floats (``full_precision``), plus differences, ratios
and intervals (``derived``); otherwise it takes several outputs (``linked_outputs``).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from jamkoll.audit.analysis_json import SCHEMAS as ANALYSIS_SCHEMAS
from jamkoll.audit.analysis_json import interventions_of, read_analysis_json
from jamkoll.audit.facts import SCHEMA as PUBLISHED_SCHEMA
from jamkoll.audit.facts import CellId, Published, read_published
from jamkoll.audit.leaks import find_leaks
from jamkoll.audit.model import FAMILIES, build_model
from jamkoll.audit.perturbation import is_perturbed, with_noise_bands
from jamkoll.audit.result import AuditResult, Exposure, ProtectionRule
from jamkoll.audit.solver import Interval, intervals, propagate
from jamkoll.audit.xlsx import read_xlsx, scan_xlsx_names

__all__ = ["audit", "audit_paths", "read_outputs"]

_STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sums", ("sums",)),
    ("shares", ("sums", "shares")),
    ("full_precision", ("sums", "shares", "full_precision")),
    ("derived", FAMILIES),
)


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in (".xlsx", ".json")
                                and not p.name.startswith("~$")))
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(path)
    return found


def read_outputs(paths: Iterable[Path]) -> tuple[Published, list[str], set[str]]:
    """Read every output under ``paths``; returns (facts and sums, file names, intervention codes)."""
    files = _files(paths)
    root = _common_root(files)
    names: dict[str, str] = {}
    jsons: dict[Path, dict] = {}
    for f in files:
        if f.suffix.lower() == ".xlsx":
            names.update(scan_xlsx_names(f))
        else:
            data = json.loads(f.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                jsons[f] = data
                names.update(interventions_of(data))
    published = Published()
    used: list[str] = []
    for f in files:
        source = str(f.resolve().relative_to(root)) if root else f.name
        if f.suffix.lower() == ".xlsx":
            part = read_xlsx(f, names)
            part = _renamed(part, source)
        elif f in jsons and jsons[f].get("schema") in ANALYSIS_SCHEMAS:
            part = read_analysis_json(f, jsons[f], source=source)
        elif f in jsons and jsons[f].get("schema") == PUBLISHED_SCHEMA:
            part = _renamed(read_published(f, jsons[f]), source)
        else:
            continue
        published.extend(part)
        used.append(source)
    return published, used, set(names.values())


def _common_root(files: Sequence[Path]) -> Path | None:
    """The folder the file names are shown relative to: the parent of the files' common folder."""
    if not files:
        return None
    common = Path(os.path.commonpath([str(p.resolve().parent) for p in files]))
    return common.parent


def _renamed(part: Published, source: str) -> Published:
    from dataclasses import replace

    return Published([replace(f, source=source) for f in part.facts],
                     [replace(s, source=source) for s in part.sums])


def audit_paths(paths: Iterable[Path], rule: ProtectionRule | None = None, threshold: int = 5,
                attribute: bool = True) -> AuditResult:
    paths = list(paths)
    published, files, interventions = read_outputs(paths)
    result = audit(published, rule=rule, threshold=threshold, files=files, interventions=interventions,
                   attribute=attribute)
    found = _files(paths)
    root = _common_root(found)
    every = [str(f.resolve().relative_to(root)) if root else f.name for f in found]
    result.skipped = [f for f in every if f not in set(files)]
    return result


def audit(published: Published, rule: ProtectionRule | None = None, threshold: int = 5,
          files: Sequence[str] = (), interventions: Iterable[str] = (), attribute: bool = True) -> AuditResult:
    """Feasibility interval of every hidden cell under every relation; exposures and leaks."""
    rule = rule or ProtectionRule(small_max=threshold - 1)
    interventions = set(interventions)
    raw = published  # direct leaks are what the outputs print, before any noise band
    if is_perturbed(published):
        published = with_noise_bands(published, threshold)
    hidden_ids = {f.cell for f in published.facts if f.kind == "count" and f.cell is not None and f.value is None}
    targets, shown = _targets(published, hidden_ids)
    model = build_model(published, FAMILIES, interventions)
    index = {cell: model.var(cell) for cell in targets}
    hidden_vars = {v for cell, v in index.items() if cell in hidden_ids}
    found = intervals(model, index.values(),
                      lambda v, lo, hi: _reason(rule, Interval(lo, hi), v in hidden_vars) is not None)
    result = AuditResult(files=list(files) or sorted({f.source for f in published.facts}), rule=rule,
                         audited=len(targets), conflicts=list(model.conflicts))
    exposed: dict[CellId, tuple[Interval, str]] = {}
    for cell, v in index.items():
        interval = found[v]
        if not interval.feasible:
            result.conflicts.append(f"{cell.label()}: ⊥")
            continue
        reason = _reason(rule, interval, cell in hidden_ids)
        if reason is not None:
            exposed[cell] = (interval, reason)
    # cells nobody published that the relations still pin to 1..4 (cheap outer bounds only)
    lb, ub, consistent = propagate(model)
    if consistent:
        for v, cell in enumerate(model.cells):
            if cell not in index and cell not in shown and rule.small_min <= lb[v] and ub[v] <= rule.small_max:
                exposed[cell] = (Interval(lb[v], ub[v]), "small")
    attacks = _attribute(published, exposed, interventions, rule) if attribute and exposed else {}
    for cell, (interval, reason) in sorted(exposed.items(), key=lambda item: item[0]):
        result.exposures.append(Exposure(
            cell=cell, low=interval.low, high=interval.high, reason=reason,
            attack=attacks.get(cell, ("linked_outputs" if cell in targets else "unpublished") if attribute else ""),
            hidden_at=tuple(targets.get(cell, ())), shown_at=tuple(shown.get(cell, ())),
        ))
    result.leaks = find_leaks(raw.facts, threshold)
    return result


def _targets(published: Published, hidden_ids: set[CellId]) -> tuple[
        dict[CellId, list[tuple[str, str]]], dict[CellId, list[tuple[str, str]]]]:
    hidden: dict[CellId, list[tuple[str, str]]] = defaultdict(list)
    shown: dict[CellId, list[tuple[str, str]]] = defaultdict(list)
    for fact in published.facts:
        if fact.kind != "count" or fact.cell is None:
            continue
        place = (fact.source, fact.location)
        if fact.value is None or fact.uncertainty > 0:
            hidden[fact.cell].append(place)
        else:
            shown[fact.cell].append(place)
    targets = {c: p for c, p in hidden.items() if c in hidden_ids or c not in shown}
    return targets, shown


def _reason(rule: ProtectionRule, interval: Interval, hidden: bool) -> str | None:
    """A hidden cell must keep the full protection range; a count that is only *rounded* (never
    hidden) is exposed only when it is pinned into 1..4 (rounding large counts is presentation)."""
    reason = rule.reason(interval.low, interval.high)
    if hidden or reason is None:
        return reason
    small = rule.small_min <= interval.low and interval.high <= rule.small_max
    return ("exact" if interval.low == interval.high else "small") if small else None


def _attribute(published: Published, exposed: dict[CellId, tuple[Interval, str]], interventions: set[str],
               rule: ProtectionRule) -> dict[CellId, str]:
    """The first attack class (within one file) that already exposes each cell."""
    by_source: dict[str, Published] = defaultdict(Published)
    for fact in published.facts:
        by_source[fact.source].facts.append(fact)
    for s in published.sums:
        by_source[s.source].sums.append(s)
    remaining = set(exposed)
    hidden = {f.cell for f in published.facts if f.kind == "count" and f.value is None}
    attacks: dict[CellId, str] = {}
    for name, families in _STAGES:
        if not remaining:
            break
        for part in by_source.values():
            cells = {f.cell for f in part.facts if f.kind == "count" and f.cell in remaining
                     and (f.value is None or f.uncertainty > 0)}
            if not cells:
                continue
            model = build_model(part, families, interventions)
            index = {cell: model.var(cell) for cell in cells}
            found = intervals(model, index.values())  # only exposed cells: every interval is needed
            for cell, v in index.items():
                interval = found[v]
                if interval.feasible and _reason(rule, interval, cell in hidden) is not None:
                    attacks[cell] = name
                    remaining.discard(cell)
    return attacks
