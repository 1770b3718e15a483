"""The findings register as a download (CSV and XLSX): one row per finding, in Swedish or English.

The figures are the finding's published ones: the web app passes findings checked again by the
publication gate (:func:`jamkoll.analysis.publication.republished`), and this module only lays them
out, at their printed precision, with ``..`` where the gate withheld a figure. Every text cell is
inert (:mod:`jamkoll.reports.inert`): a title or an action typed by a user never becomes a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jamkoll.analysis.publication import DECIMALS
from jamkoll.analysis.results import Finding
from jamkoll.reports.explain import explain, title, topic
from jamkoll.reports.inert import inert_row, write_cell
from jamkoll.reports.text import check_lang

#: The marker for a figure the publication gate withheld (as in the report's tables).
WITHHELD = ".."

COLUMNS = {
    "sv": ("Fynd", "Område", "Insats", "År", "Status", "Klart senast", "Åtgärder", "Kvinnor (antal)", "Män (antal)",
           "Kvinnor", "Män", "Målgruppens andel kvinnor (%)", "Enhet", "Skillnad", "95 % KI från", "95 % KI till",
           "Skillnadens enhet", "Beskrivning"),
    "en": ("Finding", "Area", "Intervention", "Year", "Status", "Due", "Actions", "Women (number)", "Men (number)",
           "Women", "Men", "Target group's share of women (%)", "Unit", "Difference", "95% CI from", "95% CI to",
           "Unit of the difference", "Description"),
}
SHEET = {"sv": "Fyndregister", "en": "Findings register"}
WHOLE = {"sv": "Hela organisationen", "en": "The whole organisation"}
_UNITS = {
    "sv": {"percent": "%", "pp": "procentenheter", "hours": "timmar", "sek": "kronor", "days": "dagar"},
    "en": {"percent": "%", "pp": "percentage points", "hours": "hours", "sek": "kronor", "days": "days"},
}
_VALUE_UNIT = {"hours": "hours", "cost_sek": "sek", "duration_days": "days"}


@dataclass(frozen=True)
class RegisterEntry:
    """One case of the register as the download shows it: the words the web app knows (status, the
    intervention's name, the actions) and the finding as published."""

    finding: Finding
    year: int
    status: str
    intervention: str = ""
    due: dt.date | None = None
    actions: str = ""


def _figure(value: float | int | None, decimals: int, withheld: bool) -> Any:
    if value is None:
        return WITHHELD if withheld else ""
    return int(value) if decimals == 0 else round(float(value), decimals)


def register_rows(entries: Iterable[RegisterEntry], lang: str = "sv",
                  names: Mapping[str, str] | None = None) -> list[list[Any]]:
    """The rows under :data:`COLUMNS`: texts, dates as ``YYYY-MM-DD``, figures as numbers, ``..`` withheld."""
    lang = check_lang(lang)
    rows = []
    for e in entries:
        f = e.finding
        withheld = "withheld_small_cells" in f.notes or "rates_withheld_small_count" in f.notes
        value_unit = "percent" if f.dimension != "resource" else _VALUE_UNIT.get(f.category, "")
        effect = f.raw if f.dimension == "participation" else (f.adjusted or f.raw)
        decimals = DECIMALS.get(effect.unit, 1)
        men = None if f.dimension == "participation" else f.men_value
        rows.append([
            title(f, lang, names), topic(f, lang), e.intervention or WHOLE[lang], e.year, e.status,
            e.due.isoformat() if e.due else "", e.actions,
            _figure(f.n_women, 0, True), _figure(f.n_men, 0, True),
            _figure(f.women_value, 1, withheld), "" if f.dimension == "participation" else _figure(men, 1, withheld),
            _figure(f.reference_value, 1, False) if f.dimension == "participation" else "",
            _UNITS[lang].get(value_unit, value_unit),
            _figure(effect.estimate, decimals, withheld), _figure(effect.ci_low, decimals, withheld),
            _figure(effect.ci_high, decimals, withheld), _UNITS[lang].get(effect.unit, effect.unit),
            explain(f, lang, names),
        ])
    return rows


def _csv_value(value: Any, lang: str) -> Any:
    if isinstance(value, float) and lang == "sv":
        return f"{value}".replace(".", ",")
    return value


def register_csv(rows: list[list[Any]], lang: str = "sv") -> str:
    """CSV as Excel in Sweden reads it: semicolons, UTF-8 with a byte order mark, decimal commas in Swedish."""
    lang = check_lang(lang)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS[lang])
    for row in rows:
        writer.writerow(inert_row([_csv_value(v, lang) for v in row]))
    return out.getvalue()


def register_xlsx(rows: list[list[Any]], lang: str = "sv") -> bytes:
    """The register as a workbook: one sheet, the header bold and frozen, numbers as numbers."""
    lang = check_lang(lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET[lang]
    for j, text in enumerate(COLUMNS[lang], start=1):
        write_cell(ws, 1, j, text).font = Font(bold=True)
    for i, row in enumerate(rows, start=2):
        for j, value in enumerate(row, start=1):
            cell = write_cell(ws, i, j, value)
            if isinstance(value, float):
                cell.number_format = "0.0" if round(value, 1) == value else "0.00"
            if j in (1, len(row)):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, width in enumerate((50, 24, 22, 6, 16, 12, 40) + (11,) * 10 + (80,), start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "B2"
    wb.properties.title = SHEET[lang]
    wb.properties.creator = "Jämkoll"
    wb.properties.language = lang
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
