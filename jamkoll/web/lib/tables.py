"""Turn a published analysis table (``ResultTable``) into rows for an accessible HTML table."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from jamkoll.analysis.results import SHARE_WOMEN
from jamkoll.reports.labels import row_label, table_note, table_title
from jamkoll.reports.text import column_label
from jamkoll.web.lib.language import report_language

# Index names of the analysis tables, as row-header column titles.
INDEX_LABELS: dict[str, Any] = {
    "year": _("År"), "intervention": _("Insats"), "intervention_id": _("Insats"), "component": _("Delinsats"),
    "group": _("Grupp"), "outcome": _("Status efter avslut"), "age_band": _("Åldersgrupp"),
    "education": _("Utbildningsnivå"), "income_support_at_start": _("Försörjning vid start"),
    "born_abroad": _("Utrikes född"), "disability": _("Funktionsnedsättning"), "resurs": _("Resurs"),
    "resource": _("Resurs"),
}
SUPPRESSED_MARK = ".."


@dataclass
class Cell:
    text: str
    suppressed: bool = False
    missing: bool = False


@dataclass
class Row:
    headers: list[str]
    cells: list[Cell]
    total: bool = False


def _label(value: Any) -> str:
    if value is True:
        return str(_("Ja"))
    if value is False:
        return str(_("Nej"))
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return str(value)


def _words(table: Any, value: Any, lang: str, names: dict[str, str] | None) -> str:
    """A row label in plain words (the report's labels: "Fortsatt rehabilitering", not
    ``fortsatt_rehabilitering``; "INS01 Steg till arbete", not ``INS01``); anything the reports layer does
    not know is shown as it is."""
    if isinstance(value, str):
        return row_label(table, value, lang, names)
    return _label(value)


def _column(value: Any, lang: str) -> str:
    """A table's column (``women``, ``share_women``, a year ...) in plain words."""
    if isinstance(value, str):
        return column_label(value, lang)
    return _label(value)


def format_value(value: Any, kind: str = "counts") -> str:
    """A number as the active language writes it (sv: ``1 234,5``); missing values as an en dash. ``kind``:
    the table's kind (counts and budgets as whole numbers), or ``"percent"`` (always one decimal)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return _label(value)
    if kind == "percent":  # a share is printed with its one decimal, 50,0 too
        return number_format(float(value), 1, force_grouping=True)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and kind in ("counts", "budget")):
        return number_format(int(value), 0, force_grouping=True)
    if isinstance(value, float):
        return number_format(value, 0 if kind == "budget" else 1, force_grouping=True)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return format_value(int(number) if number.is_integer() and kind != "means" else number, kind)


def table_rows(table: Any, names: dict[str, str] | None = None) -> dict[str, Any]:
    """Caption, column headers, rows (with suppression marks) and note of a ``ResultTable``, in the words of
    the reports layer (``names``: intervention id -> name, for the rows)."""
    frame: pd.DataFrame = table.frame
    mask: pd.DataFrame | None = table.suppressed
    lang = report_language()
    index_names = [INDEX_LABELS.get(str(n), str(n)) if n is not None else "" for n in frame.index.names]
    columns = [" – ".join(_column(part, lang) for part in c) if isinstance(c, tuple) else _column(c, lang)
               for c in frame.columns]
    rows = []
    for i, (label, values) in enumerate(zip(frame.index, frame.itertuples(index=False), strict=True)):
        labels = list(label) if isinstance(label, tuple) else [label]
        cells = []
        for j, value in enumerate(values):
            hidden = bool(mask.iat[i, j]) if mask is not None and mask.shape == frame.shape else False
            if hidden:
                cells.append(Cell(SUPPRESSED_MARK, suppressed=True))
            else:
                missing = value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
                kind = "percent" if frame.columns[j] == SHARE_WOMEN else table.kind
                cells.append(Cell(format_value(value, kind), missing=missing))
        headers = [_words(table, v, lang, names) for v in labels]
        rows.append(Row(headers, cells, total=str(labels[0]) in ("total", "Totalt", "Total")))
    return {
        "key": table.key, "caption": table_title(table, lang), "index_names": index_names, "columns": columns,
        "rows": rows, "note": table_note(table, lang),
        "has_suppressed": any(c.suppressed for r in rows for c in r.cells),
    }
