"""Exports are inert: no text from users becomes a formula in a spreadsheet (CSV or formula injection).

A spreadsheet program treats a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula, so a component named ``=HYPERLINK("http://…","Klicka")`` would become a live link, or worse,
in the report's workbook. Following OWASP's "CSV Injection" guidance:

* in CSV such a text is written with a leading ``'`` (:func:`inert_text`), which the spreadsheet shows and
  never evaluates;
* in XLSX it is stored as a text cell, not a formula (:func:`write_cell`), marked with Excel's "quote
  prefix" so that editing the cell keeps it text.

Numbers stay numbers: an ``int``/``float`` is never touched, and neither is a text that is wholly a number
(``-12``, ``-3,5``, ``+46``), which no spreadsheet reads as a formula.

Reference: OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def is_formula_like(value: Any) -> bool:
    """A text a spreadsheet could read as a formula (not a number written as text)."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and _NUMBER.fullmatch(value.strip()) is None)


def inert_text(value: Any) -> Any:
    """A CSV field: a formula-like text gets a leading ``'``; anything else (numbers too) is returned as is."""
    return "'" + value if is_formula_like(value) else value


def inert_row(values: list[Any]) -> list[Any]:
    """:func:`inert_text` applied to every field of a CSV row."""
    return [inert_text(v) for v in values]


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``ws.cell(row, column, value)`` that never writes a formula: a formula-like text becomes a text cell."""
    cell = ws.cell(row=row, column=column, value=value)
    make_inert(cell)
    return cell


def make_inert(cell: Any) -> None:
    """Turn a cell that openpyxl took for a formula (a text beginning with ``=``) or that begins like one into
    a text cell with Excel's quote prefix."""
    if cell.data_type == "f" or is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
