"""The report's tables as an Excel workbook: an "Om rapporten" sheet, then one sheet per table.

Numbers are stored as numbers with a number format (so they can be summed and charted), hidden
cells as the text ``..``. Each table sheet has its title on row 1, the header on row 3 (bold,
frozen) and its note under the table.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jamkoll.reports.model import ReportContext, Table

HEADER_ROW = 3
_ABOUT = {"sv": "Om rapporten", "en": "About the report"}
ABOUT_TEXT_WIDTH = 70
LINE_HEIGHT_PT = 15
_TABLES = {"sv": ("Blad", "Tabell", "Not"), "en": ("Sheet", "Table", "Note")}
_BAD = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(ctx: ReportContext, path: Path) -> Path:
    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = _ABOUT[ctx.lang]
    tables = ctx.tables()
    names = _sheet_names(tables, ctx)
    _about_sheet(about, ctx, tables, names)
    for table, name in zip(tables, names, strict=True):
        _table_sheet(wb.create_sheet(name), table, ctx)
    wb.properties.title = ctx.title
    wb.properties.creator = "Jämkoll"
    wb.properties.language = ctx.lang
    wb.save(path)
    return path


def _sheet_names(tables: list[Table], ctx: ReportContext) -> list[str]:
    """'T01 Deltagare per insats': numbered (so they sort as in the report), at most 31 characters,
    without the characters Excel forbids."""
    names = []
    for table in tables:
        name = f"T{table.number:02d} {_BAD.sub(' ', table.title)}"
        if len(name) > 31:  # Excel's limit; cut between words where one ends late enough
            cut = name[:31]
            name = cut.rsplit(" ", 1)[0] if " " in cut[20:] else cut
        names.append(name.rstrip(" ,"))
    return names


def _about_sheet(ws: Worksheet, ctx: ReportContext, tables: list[Table], names: list[str]) -> None:
    ws["A1"] = ctx.title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = ctx.subtitle
    row = 4
    for label, value in ctx.about:
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        ws.cell(row=row, column=2, value=value).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    sheet, table_word, note_word = _TABLES[ctx.lang]
    for col, text in enumerate((sheet, table_word, note_word), start=1):
        ws.cell(row=row, column=col, value=text).font = Font(bold=True)
    row += 1
    for table, name in zip(tables, names, strict=True):
        ws.cell(row=row, column=1, value=name)
        ws.cell(row=row, column=2, value=table.title).alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=row, column=3, value=table.note or None).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        # Spreadsheet programs do not grow a row for wrapped text written by openpyxl: give it the lines.
        lines = max(_wrapped_lines(table.title, ABOUT_TEXT_WIDTH), _wrapped_lines(table.note, ABOUT_TEXT_WIDTH))
        if lines > 1:
            ws.row_dimensions[row].height = LINE_HEIGHT_PT * lines
        row += 1
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = ABOUT_TEXT_WIDTH
    ws.column_dimensions["C"].width = ABOUT_TEXT_WIDTH


def _wrapped_lines(text: str | None, width: int) -> int:
    """Lines a wrapped cell of ``width`` characters needs (a little under one character per unit)."""
    return max(1, math.ceil(len(text or "") / (width * 0.9)))


def printed_precision(value: float, number_format: str) -> float:
    """A number as the report prints it: rounded to the decimals of its number format, so that the
    workbook holds no more precision than the other formats publish (a full-precision share would
    give back the counts behind it)."""
    if "0" not in number_format:  # "General": no printed precision of its own
        return float(f"{value:.4g}")
    section = number_format.split(";", 1)[0]
    after = section.split(".", 1)[1] if "." in section else ""
    decimals = len(after) - len(after.lstrip("0#")) + (2 if "%" in section else 0)
    return round(value, decimals)


def _table_sheet(ws: Worksheet, table: Table, ctx: ReportContext) -> None:
    ws["A1"] = f"{ctx.labels['table']} {table.number}. {table.title}"
    ws["A1"].font = Font(bold=True, size=12)
    if table.caption:
        ws["A2"] = table.caption
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E6EEEF")
    line = Border(bottom=Side(style="medium", color="333333"))
    widths = [len(h) for h in table.header]
    for j, text in enumerate(table.header, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=text)
        cell.font = bold
        cell.fill = fill
        cell.border = line
        cell.alignment = Alignment(
            wrap_text=True, vertical="bottom", horizontal="right" if j > table.label_columns else "left"
        )
    for i, row in enumerate(table.rows, start=HEADER_ROW + 1):
        for j, c in enumerate(row, start=1):
            value = c.text if c.suppressed or c.value is None else c.value
            if isinstance(value, float):
                value = printed_precision(value, c.number_format)
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = c.number_format
            if c.align == "right":
                cell.alignment = Alignment(horizontal="right")
            if c.emphasis:
                cell.font = bold
            widths[j - 1] = max(widths[j - 1], len(c.text))
    last = HEADER_ROW + len(table.rows)
    if table.note:
        ws.cell(row=last + 2, column=1, value=f"{ctx.labels['note']}: {table.note}")
    for j, width in enumerate(widths, start=1):
        # Header words wrap; the column only needs to fit its longest figure or a few words.
        ws.column_dimensions[get_column_letter(j)].width = max(
            9, min(45, width + 2 if j <= table.label_columns else min(width, 18) + 2)
        )
    ws.row_dimensions[HEADER_ROW].height = 32
    ws.freeze_panes = f"{get_column_letter(table.label_columns + 1)}{HEADER_ROW + 1}"
