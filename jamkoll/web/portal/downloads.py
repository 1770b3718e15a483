"""What a portal page shows, as CSV or XLSX: the same rows at the same printed precision, inert cells.

A page and its download are made from one list of :class:`Table` rows (built in ``views``), so the
file holds exactly the numbers on the page. CSV is written as Excel in Sweden reads it (UTF-8 with
BOM, ``;``, decimal comma; decimal point in English); XLSX keeps numbers as numbers with the printed
number of decimals. Text cells go through :mod:`jamkoll.reports.inert`, so no name or title becomes
a formula. Every file names its source and year in its first rows (XLSX) or columns (CSV).

The associations' figures are the counts the publication gate published (``PublishedFigure``:
``jamkoll.analysis.publication.headline_figures``); a count the gate withheld is written as the
page's mark, never as a number.

Public downloads are not written to the audit log: they hold nothing that is not on the public page,
and the portal's public API is not logged either (an anonymous visitor could otherwise fill the log).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.styles import Font

from jamkoll.reports.inert import inert_row, write_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    label: str
    decimals: int | None = None  # None: text


@dataclass
class Table:
    """A page's table: title (indicator and year), source, columns and rows of values (None: no value)."""

    title: str
    source: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _decimal_comma() -> bool:
    return not (get_language() or "sv").startswith("en")


def _csv_value(value: Any, column: Column) -> Any:
    if value is None:
        return ""
    if column.decimals is not None and isinstance(value, int | float):
        text = f"{value:.{column.decimals}f}"
        return text.replace(".", ",") if _decimal_comma() else text
    return value


def to_csv(table: Table) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";" if _decimal_comma() else ",", lineterminator="\r\n")
    writer.writerow(inert_row([c.label for c in table.columns]))
    for row in table.rows:
        writer.writerow(inert_row([_csv_value(v, c) for v, c in zip(row, table.columns, strict=True)]))
    return out.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Data"
    write_cell(sheet, 1, 1, table.title).font = Font(bold=True)
    write_cell(sheet, 2, 1, table.source)
    first = 4
    for j, column in enumerate(table.columns, start=1):
        write_cell(sheet, first, j, column.label).font = Font(bold=True)
    for i, row in enumerate(table.rows, start=first + 1):
        for j, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
            cell = write_cell(sheet, i, j, value)
            if column.decimals is not None and isinstance(value, int | float):
                cell.number_format = "0" if column.decimals == 0 else "0." + "0" * column.decimals
    for k, note in enumerate(table.notes, start=first + len(table.rows) + 2):
        write_cell(sheet, k, 1, note)
    sheet.freeze_panes = f"B{first + 1}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def response(table: Table, fmt: str, name: str) -> HttpResponse:
    """The table as a download in ``fmt`` (``csv`` or ``xlsx``), named ``name`` (slugified)."""
    base = slugify(name) or "data"
    if fmt == "xlsx":
        result = HttpResponse(to_xlsx(table), content_type=XLSX_TYPE)
    else:
        result = HttpResponse(to_csv(table), content_type="text/csv; charset=utf-8")
    result["Content-Disposition"] = f'attachment; filename="{base}.{fmt}"'
    return result
