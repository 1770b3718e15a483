"""The analysis' own published tables as report tables: sorted into sections by topic, labels in words,
hidden cells ``..``, and in a steering-group report only the chosen intervention's rows."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from jamkoll.analysis.results import Analysis, ResultTable
from jamkoll.reports.labels import row_label, table_note, table_title
from jamkoll.reports.model import Cell, Table
from jamkoll.reports.sections.settings import Settings
from jamkoll.reports.text import (
    MISSING,
    SUPPRESSED,
    column_label,
    count_is_safe,
    finite,
    fmt_number,
    header_label,
)

# Topics the analysis' tables are sorted into, by words in their key (or title).
_TOPIC_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("intersectional", ("intersection", "intersektion", "intersek")),
    ("trend", ("trend", "by_year", "per_year", "years", "yearly", "over_time", "per_år", "år_för_år")),
    ("target", ("target", "reference", "representation", "målgrupp")),
    ("participation", ("particip", "deltag", "enrol", "inskriv", "headcount", "counts")),
    ("component", ("component", "delinsats")),
    ("outcome", ("outcome", "exit", "resultat", "avslut")),
    ("resource", ("resource", "hours", "cost", "duration", "budget", "resurs", "timmar", "kostnad")),
)


def hidden_mask(rt: ResultTable) -> pd.DataFrame:
    """Which cells of the published frame are hidden (all False when the table says nothing)."""
    if rt.suppressed is None or rt.suppressed.shape != rt.frame.shape:
        return pd.DataFrame(False, index=rt.frame.index, columns=rt.frame.columns)
    return pd.DataFrame(rt.suppressed.to_numpy(dtype=bool), index=rt.frame.index, columns=rt.frame.columns)


def is_total(label: Any) -> bool:
    return str(label).lower() in ("totalt", "total", "all", "alla")


def row_key(idx: Any) -> tuple[Any, ...]:
    return idx if isinstance(idx, tuple) else (idx,)


def sex_code(label: Any) -> str | None:
    text = str(label[-1] if isinstance(label, tuple) else label).strip().lower()
    if text in ("women", "kvinnor", "kvinna", "k", "female"):
        return "women"
    if text in ("men", "män", "man", "m", "male"):
        return "men"
    return None


def matches_intervention(label: Any, s: Settings) -> bool:
    """A row or column label naming the chosen intervention: its id, its name or 'INS03 Jobbcoach Mora'."""
    if s.intervention is None:
        return False
    text = str(label)
    return text in (s.intervention, s.names.get(s.intervention)) or text.startswith(f"{s.intervention} ")


def year_level(index: pd.Index) -> int | None:
    names = [str(n).lower() if n is not None else "" for n in index.names]
    for i, name in enumerate(names):
        if name in ("year", "år", "ar"):
            return i
    if index.nlevels == 1:
        values = [finite(v) for v in index]
        if values and all(v is not None and 1990 <= v <= 2100 and v == int(v) for v in values):
            return 0
    return None


def _topic(key: str, rt: ResultTable) -> str:
    """Which section a table of the analysis belongs in: its ``topic``; for a table without one (an
    older ``analysis.json``), by its kind, then by words in its key or title."""
    if rt.topic != "other":
        return rt.topic
    by_kind = {
        "intersectional": "intersectional",
        "trend": "trend",
        "reference": "target",
        "budget": "resource",
    }
    if rt.kind in by_kind:
        return by_kind[rt.kind]
    low = key.lower()
    for topic, words in _TOPIC_WORDS:
        if any(w in low for w in words):
            return topic
    if year_level(rt.frame.index) is not None:
        return "trend"
    title = table_title(rt, "sv").lower()
    for topic, words in _TOPIC_WORDS:
        if any(w in title for w in words):
            return topic
    return "other"


def sort_tables(analysis: Analysis, s: Settings) -> dict[str, list[ResultTable]]:
    topics: dict[str, list[ResultTable]] = {}
    for key, rt in analysis.tables.items():
        topics.setdefault(_topic(key, rt), []).append(rt)
    return topics


def convert_table(rt: ResultTable, s: Settings) -> Table | None:
    """A published ResultTable as a report table: labels in words, numbers formatted, hidden cells '..'.

    In a steering-group report only the chosen intervention's rows (or column) are kept; a table
    without an intervention axis is left out there, since it describes the whole association.
    """
    frame = rt.frame
    if frame is None or frame.empty:
        return None
    mask = hidden_mask(rt)
    if s.intervention is not None and not s.restricted:
        restricted = _restrict(frame, mask, s)
        if restricted is None:
            return None
        frame, mask = restricted
        if frame.empty:
            return None

    has_index = not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None)
    index_names = [n for n in frame.index.names] if has_index else []
    header = [_capital(header_label(n, s.lang)) if n is not None else "" for n in index_names]
    for col in frame.columns:
        parts = col if isinstance(col, tuple) else (col,)
        header.append(_capital(" – ".join(column_label(p, s.lang) for p in parts if str(p) != "")))

    formats = {col: _column_format(frame[col], col, rt.kind) for col in frame.columns}
    rows: list[list[Cell]] = []
    for position, (idx, row) in enumerate(frame.iterrows()):
        labels = [row_label(rt, v, s.lang, s.names) for v in row_key(idx)] if has_index else []
        total = any(lab.lower() in ("totalt", "total", "alla", "all") for lab in labels)
        cells = [Cell(lab, lab, emphasis=total) for lab in labels]
        for j, col in enumerate(frame.columns):
            cells.append(_table_cell(row[col], bool(mask.iat[position, j]), formats[col], rt.kind, s, total))
        rows.append(cells)
    label_columns = len(index_names)
    if not has_index:
        label_columns = sum(1 for col in frame.columns if formats[col] == "text")
    table = Table(key=rt.key, title=table_title(rt, s.lang), header=header, rows=rows,
                  label_columns=max(label_columns, 0), caption=counted(rt.key, s))
    # A cell key table points to the method section (its note is the method's explanation).
    cell_key = rt.protection.method == "cell_key"
    note = "" if cell_key else table_note(rt, s.lang)
    if table.has_suppressed:
        generic = s.t["generic_note"]
        note = f"{note} {generic}".strip() if ".." not in note else note
    table.note = f"{s.t['ckm_ref']} {note}".strip() if cell_key else note
    return table


def counted(key: str, s: Settings) -> str:
    """What a table of the analysis counts (persons or enrolments), in a sentence: every table says it."""
    if key.startswith("sex_by_"):
        return s.t["counts_sex_by"]
    return s.t.get(f"counts_{key}", "")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _column_format(series: pd.Series, col: Any, kind: str) -> str:
    """'int', 'dec1' or 'text' for a column of a published table."""
    label = " ".join(str(p) for p in (col if isinstance(col, tuple) else (col,))).lower()
    numbers = pd.to_numeric(series, errors="coerce")
    if numbers.notna().sum() == 0 and series.notna().sum() > 0:
        return "text"
    if kind == "means" or any(w in label for w in ("%", "share", "andel", "rate", "medel", "mean", "median")):
        return "dec1"
    values = numbers.dropna()
    if bool(((values - values.round()).abs() < 1e-9).all()):
        return "int"
    return "dec1"


def _table_cell(value: Any, hidden: bool, fmt: str, kind: str, s: Settings, total: bool) -> Cell:
    if hidden:
        return Cell(SUPPRESSED, None, suppressed=True, align="right")
    if fmt == "text":
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return Cell(MISSING, None)
        text = header_label(value, s.lang)
        return Cell(text, text, emphasis=total)
    number = finite(value)
    if number is None:
        return Cell(MISSING, None, align="right")
    if fmt == "int":
        # Defence in depth: a count of people between 1 and the threshold is never printed, even
        # if a table reached the report without disclosure control. Budgets and the target
        # population (public statistics) are not counts of participants.
        if kind not in ("budget", "reference") and not count_is_safe(number, s.threshold):
            return Cell(SUPPRESSED, None, suppressed=True, align="right")
        return Cell(fmt_number(number, s.lang, 0), int(round(number)), "#,##0", align="right", emphasis=total)
    return Cell(fmt_number(number, s.lang, 1), number, "0.0", align="right", emphasis=total)


def _restrict(
    frame: pd.DataFrame, mask: pd.DataFrame, s: Settings
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The chosen intervention's rows (or column) of a table; None when the table has no such axis."""
    index = frame.index
    for level in range(index.nlevels):
        keep = [matches_intervention(v, s) for v in index.get_level_values(level)]
        if any(keep):
            return frame[keep], mask[keep]
    for col in frame.columns:
        parts = col if isinstance(col, tuple) else (col,)
        if any(matches_intervention(p, s) for p in parts):
            return frame[[col]], mask[[col]]
    return None
