"""Exports are inert: text from users that looks like a formula is written as text (OWASP CSV injection)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from openpyxl import Workbook, load_workbook

from jamkoll.analysis.results import Analysis
from jamkoll.reports import write_report
from jamkoll.reports.inert import inert_row, inert_text, write_cell

from .conftest import make_analysis

EVIL = '=HYPERLINK("http://x","y")'


def _hostile_analysis() -> Analysis:
    """The test analysis with user-supplied names that begin like formulas: an intervention name, a component
    and the organisation's name, as they would come from an imported file."""
    analysis = make_analysis()
    findings = [dataclasses.replace(f, category=EVIL) if f.category == "praktik" else f for f in analysis.findings]
    tables = dict(analysis.tables)
    counts = tables["participation"]
    frame = counts.frame.rename(index={"INS05": "@SUM(A1:A9)"})
    hidden = counts.suppressed.rename(index={"INS05": "@SUM(A1:A9)"}) if counts.suppressed is not None else None
    tables["participation"] = dataclasses.replace(counts, frame=frame, suppressed=hidden)
    names = {**analysis.meta["interventions"], "INS01": EVIL, "INS03": "+cmd|' /C calc'!A0", "INS12": "-2+3"}
    meta = {**analysis.meta, "organisation": "\t=1+1", "interventions": names}
    return dataclasses.replace(analysis, findings=findings, tables=tables, meta=meta)


def test_report_xlsx_has_no_formula_cells(tmp_path: Path) -> None:
    path = write_report(_hostile_analysis(), tmp_path, formats="xlsx")["xlsx"]
    wb = load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    # The names are there, as text, with the quote prefix that keeps them text when edited.
    assert any(EVIL in t for t in texts), "the hostile component name is in the workbook"
    quoted = [c for c in cells if isinstance(c.value, str) and c.value == EVIL]
    assert quoted and all(c.data_type == "s" and c.quotePrefix for c in quoted)
    # Numbers stay numbers.
    assert any(isinstance(c.value, int) and c.data_type == "n" for c in cells)


def test_write_cell_keeps_numbers_and_plain_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    values = [EVIL, "+46 70 123", "-5", -5, 3.5, "@user", "\tflik", "\rvagn", "vanlig text", "e-post"]
    for row, value in enumerate(values, start=1):
        write_cell(ws, row, 1, value)
    wb.save(tmp_path / "x.xlsx")
    back = load_workbook(tmp_path / "x.xlsx").active
    assert back is not None
    got = [(back.cell(row=r, column=1).value, back.cell(row=r, column=1).data_type,
            back.cell(row=r, column=1).quotePrefix) for r in range(1, len(values) + 1)]
    assert got == [
        (EVIL, "s", True), ("+46 70 123", "s", True), ("-5", "s", False), (-5, "n", False), (3.5, "n", False),
        ("@user", "s", True), ("\tflik", "s", True), ("\rvagn", "s", True), ("vanlig text", "s", False),
        ("e-post", "s", False),
    ]


def test_csv_fields_are_escaped_with_a_quote() -> None:
    assert inert_text(EVIL) == "'" + EVIL
    assert [inert_text(v) for v in ("+1+1", "-1+1", "@A1", "\t=1", "\r=1")] == [
        "'+1+1", "'-1+1", "'@A1", "'\t=1", "'\r=1"]
    # Numbers, numbers written as text, and ordinary text are left alone.
    assert inert_row([-12, 3.5, "-12", "-3,5", "+46", "Ja", "", None]) == [-12, 3.5, "-12", "-3,5", "+46", "Ja",
                                                                            "", None]
