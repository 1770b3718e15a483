"""Read ``analysis.json`` (``jamkoll analyze --json``, schemas ``jamkoll.analysis/1`` to ``/4``) into facts.

* ``tables``: the same sex count tables as the report (``null`` where suppressed: the row's
  ``suppressed`` list names the hidden columns), with coded columns (``women``, ``men``, ``total``,
  ``share_women``) or, in files written before the codes, Swedish ones (``Kvinnor``, ``Män`` ...); from
  version 4 the rows are codes too (``INS01``, ``yes``/``no``/``missing``, ``all_enrolments``), with the
  words the report prints beside them (``title``, ``note``, ``row_labels``), read as text;
* ``findings``: per comparison ``n_women``/``n_men`` (the published counts of the cell key method when
  ``config.disclosure_method`` is ``cell_key``, read as exact like every published count; in older
  files rounded to tens: uncertainty 5), ``n_other``
  (other + unknown sex; ``null`` means 1 to threshold - 1, which is itself a disclosure), the two rates,
  the raw difference with its interval and the risk ratio (full precision floats), and the notes and
  explanations as text;
* ``meta.interventions``: the intervention codes (the attacker knows the list).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jamkoll.audit.facts import ALL, CellId, Fact, Kind, Published, SumRelation
from jamkoll.audit.labels import (
    CATEGORY_DIMENSIONS,
    SEX_COLUMNS,
    SHARE_OF_WOMEN,
    TOTAL_LABELS,
    canon,
    category,
    intervention_code,
)
from jamkoll.audit.xlsx import COMPARED, decimals_of, total_scope

__all__ = ["SCHEMA", "SCHEMAS", "interventions_of", "read_analysis_json"]

SCHEMA = "jamkoll.analysis/4"
#: Every analysis.json schema the reader understands (version 1: before the findings lost their sentences;
#: version 2: before the tables had coded columns and a topic; version 3: before the tables' rows and
#: protection were codes).
SCHEMAS = frozenset({"jamkoll.analysis/1", "jamkoll.analysis/2", "jamkoll.analysis/3", SCHEMA})
ROUNDED_N = 5.0
_MEASURE = {"components": "components", "component": "components", "outcomes": "exits", "outcome": "exits"}


def interventions_of(data: dict[str, Any]) -> dict[str, str]:
    """Intervention names (canonical) -> codes from ``meta.interventions``."""
    meta = data.get("meta") or {}
    return {canon(name): str(code) for code, name in (meta.get("interventions") or {}).items()}


def read_analysis_json(path: Path, data: dict[str, Any] | None = None, source: str | None = None) -> Published:
    if data is None:
        data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") not in SCHEMAS:
        raise ValueError(f"{path}: not a {SCHEMA} file")
    src = source or path.name
    config = data.get("config") or {}
    year = str(config.get("year")) if config.get("year") is not None else ALL
    scoped = config.get("interventions")
    scope = str(scoped[0]) if isinstance(scoped, list) and len(scoped) == 1 else ALL
    threshold = int(config.get("threshold") or 5)
    # Under the cell key method a finding's group sizes are the gate's published counts of the same
    # people (the rates beside them are computed from them), not counts rounded to tens.
    n_uncertainty = 0.0 if config.get("disclosure_method") == "cell_key" else ROUNDED_N
    names = interventions_of(data)
    out = Published()
    for key, table in (data.get("tables") or {}).items():
        _table(out, src, key, table, year, scope, names)
    for i, finding in enumerate(data.get("findings") or []):
        _finding(out, src, f"findings[{i}]", finding, year, scope, threshold, n_uncertainty)
    for i, item in enumerate((data.get("meta") or {}).get("not_compared") or []):
        if isinstance(item, dict) and item.get("reason"):
            out.facts.append(Fact(src, f"meta.not_compared[{i}]", "text", None, text=str(item["reason"])))
    return out


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _table(out: Published, src: str, key: str, table: dict[str, Any], year: str, scope: str,
           names: dict[str, str]) -> None:
    columns = [str(c) for c in table.get("columns") or []]
    rows = table.get("rows") or []
    hidden = table.get("suppressed") or [[] for _ in rows]
    for text_key in ("note", "title", "note_en", "title_en"):
        if table.get(text_key):
            out.facts.append(Fact(src, f"tables.{key}.{text_key}", "text", None, text=str(table[text_key])))
    protection = table.get("protection")
    if isinstance(protection, dict) and protection.get("method") == "cell_key":
        # the declaration in codes (files without the words say it only here): counts are perturbed
        out.facts.append(Fact(src, f"tables.{key}.protection.method", "text", None, text="cell key"))
    for lang, labels in (table.get("row_labels") or {}).items():
        for code, label in (labels or {}).items() if isinstance(labels, dict) else ():
            out.facts.append(Fact(src, f"tables.{key}.row_labels.{lang}.{code}", "text", None, text=str(label)))
    # Old files head the columns in Swedish ("Kvinnor", "Män"), newer ones with codes ("women", "men").
    if not {"women", "men"} <= {SEX_COLUMNS.get(canon(c)) for c in columns}:
        return
    label_col = columns[0]
    measure, dimension = CATEGORY_DIMENSIONS.get(canon(label_col), (f"table:{key}", "row"))
    years = [str(r.get(label_col)) for r in rows if str(r.get(label_col)).isdigit()]
    placed: list[tuple[str, tuple[str, str, str]]] = []
    for i, row in enumerate(rows):
        label = row.get(label_col)
        where = _where(label, dimension, measure, year, scope, names, years)
        if where is None:
            continue
        y, intervention, cat = where
        placed.append((canon(label), where))
        base = CellId(measure, y, intervention, ALL, cat)
        hidden_here = set(hidden[i]) if i < len(hidden) and hidden[i] else set()
        for col in columns[1:]:
            name = canon(col)
            loc = f"tables.{key}.rows[{i}].{col}"
            value = _num(row.get(col))
            if value is None and col not in hidden_here:
                continue
            if name in SEX_COLUMNS:
                out.facts.append(Fact(src, loc, "count", value, cell=base.with_(sex=SEX_COLUMNS[name]),
                                      decimals=0 if value is None else decimals_of(value)))
            elif name in SHARE_OF_WOMEN:
                out.facts.append(Fact(src, loc, "share", value, cell=base.with_(sex="women"),
                                      decimals=None if value is None else decimals_of(value),
                                      denominator=(base.with_(sex="women"), base.with_(sex="men"))))
    totals = [w for label, w in placed if label in TOTAL_LABELS]
    parts = [w for label, w in placed if label not in TOTAL_LABELS]
    if totals and parts and not (dimension == "intervention" and totals[0][1] == COMPARED):
        for col in columns[1:]:
            if canon(col) in SEX_COLUMNS:
                sex = SEX_COLUMNS[canon(col)]
                out.sums.append(SumRelation(
                    CellId(measure, totals[0][0], totals[0][1], sex, totals[0][2]),
                    tuple(CellId(measure, p[0], p[1], sex, p[2]) for p in parts), src, f"tables.{key}.{col}"))


def _where(label: Any, dimension: str, measure: str, year: str, scope: str, names: dict[str, str],
           years: list[str]) -> tuple[str, str, str] | None:
    text = canon(label)
    total = text in TOTAL_LABELS
    if dimension == "intervention":
        if total:  # persons: each once (the comparison's population, as the xlsx reader); else the sum
            return year, total_scope(measure) if scope == ALL else scope, ALL
        code = intervention_code(label, names)
        return (year, code, ALL) if code else None
    if dimension == "year":
        who = COMPARED if scope == ALL else scope  # each person once a year, as in the xlsx reader
        if total:
            return (f"{min(years)}-{max(years)}" if years else ALL), who, ALL
        return (str(label), who, ALL) if str(label).isdigit() else None
    return year, scope, category(dimension, label, year)


def _finding(out: Published, src: str, loc: str, f: dict[str, Any], year: str, scope: str,
             threshold: int, n_uncertainty: float = ROUNDED_N) -> None:
    for text_key in ("explanation", "explanation_en"):
        if f.get(text_key):
            out.facts.append(Fact(src, f"{loc}.{text_key}", "text", None, text=str(f[text_key])))
    for j, note in enumerate(f.get("notes") or []):
        out.facts.append(Fact(src, f"{loc}.notes[{j}]", "text", None, text=str(note)))
    dimension = str(f.get("dimension", ""))
    y = str(f["year"]) if f.get("year") is not None else year
    intervention = str(f["intervention"]) if f.get("intervention") else ALL
    if dimension == "participation":
        who = intervention if intervention != ALL else COMPARED
        base = CellId("participants", y, who)
        _n(out, src, loc, f, base, base, threshold, n_uncertainty)
        for key, sex in (("women_value", "women"), ("men_value", "men")):
            value = _num(f.get(key))
            if value is not None:
                out.facts.append(Fact(src, f"{loc}.{key}", "share", value, cell=base.with_(sex=sex),
                                      decimals=decimals_of(value),
                                      denominator=(base.with_(sex="women"), base.with_(sex="men"))))
        return
    measure = _MEASURE.get(dimension)
    if measure is None:  # resources: means only
        for key in ("women_value", "men_value"):
            value = _num(f.get(key))
            if value is not None:
                out.facts.append(Fact(src, f"{loc}.{key}", "mean", value, decimals=decimals_of(value)))
        return
    cat = category("component" if measure == "components" else "outcome", f.get("category", ""))
    den_measure = "enrolments" if measure == "components" else measure  # the gate counts enrolments
    den = CellId(den_measure, y, intervention)
    num = CellId(measure, y, intervention, ALL, cat)
    _n(out, src, loc, f, den, den, threshold, n_uncertainty)
    for key, sex in (("women_value", "women"), ("men_value", "men")):
        value = _num(f.get(key))
        if value is not None:
            out.facts.append(Fact(src, f"{loc}.{key}", "rate", value, cell=num.with_(sex=sex),
                                  decimals=decimals_of(value), denominator=(den.with_(sex=sex),)))
    def pair(where: str, kind: Kind, value: float, scale: float = 100.0) -> Fact:
        return Fact(src, where, kind, value, cell=num.with_(sex="women"), decimals=decimals_of(value),
                    scale=scale, denominator=(den.with_(sex="women"),), other=num.with_(sex="men"),
                    other_denominator=(den.with_(sex="men"),))

    raw = f.get("raw") or {}
    kinds: tuple[tuple[str, Kind], ...] = (("estimate", "difference"), ("ci_low", "ci_low"), ("ci_high", "ci_high"))
    for key, kind in kinds:
        value = _num(raw.get(key))
        if value is not None and raw.get("unit", "pp") == "pp":
            out.facts.append(pair(f"{loc}.raw.{key}", kind, value))
    rr = f.get("risk_ratio") or {}
    value = _num(rr.get("estimate"))
    if value is not None:
        out.facts.append(pair(f"{loc}.risk_ratio.estimate", "ratio", value, scale=1.0))


def _n(out: Published, src: str, loc: str, f: dict[str, Any], base: CellId, other_base: CellId,
       threshold: int, uncertainty: float = ROUNDED_N) -> None:
    for key, sex in (("n_women", "women"), ("n_men", "men")):
        value = _num(f.get(key))
        if value is not None:
            out.facts.append(Fact(src, f"{loc}.{key}", "count", value, cell=base.with_(sex=sex),
                                  uncertainty=uncertainty))
    if "n_other" in f:
        value = _num(f.get("n_other"))
        cell = other_base.with_(sex="other_unknown")
        if value is None:
            # documented meaning of null: 1 to threshold - 1 persons of other or unknown sex
            mid = threshold / 2
            out.facts.append(Fact(src, f"{loc}.n_other", "count", mid, cell=cell, decimals=None,
                                  uncertainty=mid - 1))
        else:
            out.facts.append(Fact(src, f"{loc}.n_other", "count", value, cell=cell))
