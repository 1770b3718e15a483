"""End to end: the real analysis of the demo association, written in all four formats."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from docx import Document
from openpyxl import load_workbook

from jamkoll.analysis.disclosure import is_safe


def test_demo_association_report(demo_store: Path, tmp_path: Path) -> None:
    analysis_module = pytest.importorskip("jamkoll.analysis")
    if not hasattr(analysis_module, "analyze"):
        pytest.skip("jamkoll.analysis.analyze does not exist yet")
    from jamkoll.ingest import Store
    from jamkoll.reports import write_report

    # No bootstrap: the decompositions' standard errors are not shown, and it saves most of the time.
    analysis = analysis_module.analyze(
        Store(demo_store), analysis_module.AnalysisConfig(year=2025, bootstrap=0)
    )
    paths = write_report(analysis, tmp_path / "board")
    assert sorted(paths) == ["docx", "html", "pdf", "xlsx"]
    assert paths["pdf"].read_bytes()[:5] == b"%PDF-"

    doc = lxml.html.fromstring(paths["html"].read_text(encoding="utf-8"))
    text = doc.text_content()
    # The planted unjustified differences of the demo association are reported.
    assert "Kvinnor är underrepresenterade i Jobbspåret" in text
    assert "Jobbcoach Mora" in text and "Rehabkoordinering" in text
    assert len([e for e in doc.iter() if isinstance(e.tag, str) and e.tag.endswith("svg")]) >= 6
    assert "Metodbilaga" in [h.text_content() for h in doc.iter("h2")]

    wb = load_workbook(paths["xlsx"])
    assert wb.sheetnames[0] == "Om rapporten" and len(wb.sheetnames) > 15
    for name in wb.sheetnames[1:]:
        counts = [
            c.value
            for row in wb[name].iter_rows(min_row=4)
            for c in row
            if isinstance(c.value, int) and c.number_format == "#,##0"
        ]
        assert is_safe(counts, 5), name
    assert any(c.value == ".." for name in wb.sheetnames[1:] for row in wb[name].iter_rows() for c in row)

    word = Document(str(paths["docx"]))
    assert "Sammanfattning" in [p.text for p in word.paragraphs if p.style.name == "Heading 1"]  # type: ignore[union-attr]
    assert len(word.tables) > 15

    # The steering group's report for one intervention from the same analysis.
    steering = write_report(analysis, tmp_path / "styrgrupp", formats=["html"], intervention="INS03")
    page = lxml.html.fromstring(steering["html"].read_text(encoding="utf-8"))
    assert page.findtext(".//h1") == "Jämställdhetsuppföljning 2025: Jobbcoach Mora"
    rows = page.xpath("//table[caption[contains(., 'Deltagare per insats och kön')]]/tbody/tr/th")
    assert [r.text_content() for r in rows] == ["INS03 Jobbcoach Mora"]
    assert "Hälsolotsen" not in page.xpath("string(//main)")

