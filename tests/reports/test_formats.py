"""The four files, opened as their readers open them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from docx import Document
from openpyxl import load_workbook

from jamkoll.analysis.disclosure import is_safe
from jamkoll.analysis.results import Analysis
from jamkoll.reports import build_context, write_report
from jamkoll.reports.html import render_html

EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


def test_files_are_written_with_readable_names(written: dict[str, Path]) -> None:
    assert list(written) == ["html", "pdf", "docx", "xlsx"]
    for fmt, path in written.items():
        assert path.name == f"jamstalldhetsrapport-2025.{fmt}"
        assert path.stat().st_size > 5_000


# ---------------------------------------------------------------------------------------------- HTML


def test_html_is_self_contained_and_accessible(written: dict[str, Path]) -> None:
    text = written["html"].read_text(encoding="utf-8")
    doc = lxml.html.fromstring(text)
    assert doc.get("lang") == "sv"
    assert doc.findtext(".//title").startswith("Jämställdhetsuppföljning 2025")
    assert [h.text_content() for h in doc.iter("h1")] == ["Jämställdhetsuppföljning 2025"]
    h2 = [h.text_content() for h in doc.iter("h2")]
    assert {"Innehåll", "Sammanfattning", "Möjliga omotiverade skillnader", "Metodbilaga"} <= set(h2)
    assert len(doc.findall(".//table")) >= 10
    assert all(t.find("caption") is not None for t in doc.iter("table"))
    # Nothing is loaded from elsewhere: no external src or href, no stylesheet link, no script.
    for element in doc.iter():
        for attr in ("src", "href", "xlink:href", "{http://www.w3.org/1999/xlink}href"):
            value = element.get(attr)
            assert value is None or not EXTERNAL.match(value), (element.tag, value)
    assert not doc.findall(".//link") and not doc.findall(".//script")
    assert "@import" not in text and "url(http" not in text
    # Every chart is an inline SVG with a title and description as its text alternative.
    svgs = [e for e in doc.iter() if isinstance(e.tag, str) and e.tag.endswith("svg")]
    assert len(svgs) >= 6
    for svg in svgs:
        assert svg.get("role") == "img"
        titles = [c for c in svg if isinstance(c.tag, str) and c.tag.endswith("title")]
        assert titles and titles[0].text_content().strip()
    for img in doc.iter("img"):
        assert img.get("alt")
    # Ids stay unique although every chart names its clip paths alike.
    ids = [e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) == len(set(ids))


def test_html_tables_publish_no_small_counts(written: dict[str, Path]) -> None:
    doc = lxml.html.fromstring(written["html"].read_text(encoding="utf-8"))
    suppressed = doc.xpath("//td[contains(@class, 'suppressed')]")
    assert suppressed and all(td.text_content() == ".." for td in suppressed)
    for table in doc.iter("table"):
        head = [th.text_content() for th in table.xpath("./thead/tr/th")]
        count_columns = [
            i
            for i, h in enumerate(head)
            if h in ("Kvinnor", "Män", "Totalt", "Antal kvinnor", "Antal män", "Annat kön", "Okänt kön")
        ]
        values = []
        for row in table.xpath("./tbody/tr"):
            cells = row.xpath("./th|./td")
            values += [cells[i].text_content().replace("\u00a0", "") for i in count_columns if i < len(cells)]
        assert is_safe(values, 5), (table.findtext("caption"), values)
    notes = doc.xpath("//p[@class='table-note']")
    assert any("Värden under 5 redovisas inte" in n.text_content() for n in notes)


# ----------------------------------------------------------------------------------------------- PDF


def test_pdf_has_page_numbers_and_contents(analysis: Analysis, previous: Analysis) -> None:
    """Checked on WeasyPrint's own document (no PDF reader needed): page numbers come from CSS
    counters and the table of contents points at the sections."""
    import weasyprint

    ctx = build_context(analysis, previous=previous)
    html = render_html(ctx, mode="pdf")
    assert "counter(page)" in html and "target-counter(attr(href), page)" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org', "")
    document = weasyprint.HTML(string=html).render()
    assert len(document.pages) >= 8
    anchors = {name for page in document.pages for name in page.anchors}
    assert {s.id for s in ctx.sections} <= anchors
    # The summary starts on the page after the contents and names every possible unjustified
    # difference and every change (issue 12), so it may run over two pages; sections follow in order.
    first_page: dict[str, int] = {}
    for i, page in enumerate(document.pages):
        for name in page.anchors:
            first_page.setdefault(name, i)
    assert first_page["sammanfattning"] == 1
    assert first_page["sammanfattning"] < first_page["skillnader"] <= first_page["sammanfattning"] + 2


def test_pdf_text(written: dict[str, Path]) -> None:
    pdf = written["pdf"]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None and not os.environ.get("JAMKOLL_CI"):
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed: PDF text not checked")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Sammanfattning" in text and "Metodbilaga" in text
    assert re.search(r"Sida 2 av \d+", text)
    # The table of contents gives page numbers.
    assert re.search(r"Metodbilaga\s*\.+\s*\d+", text)


# ---------------------------------------------------------------------------------------------- Word


def test_docx_has_headings_tables_and_charts(written: dict[str, Path]) -> None:
    doc = Document(str(written["docx"]))
    headings = {p.style.name: [] for p in doc.paragraphs}  # type: ignore[union-attr]
    for p in doc.paragraphs:
        headings[p.style.name].append(p.text)  # type: ignore[union-attr]
    assert {"Sammanfattning", "Möjliga omotiverade skillnader", "Metodbilaga"} <= set(headings["Heading 1"])
    assert "Vad som jämförs" in headings["Heading 2"]
    assert headings["Title"] == ["Jämställdhetsuppföljning 2025"]
    assert len(doc.tables) >= 10
    header = doc.tables[1].rows[0].cells[0].paragraphs[0].runs[0]
    assert header.bold
    assert any(c == ".." for t in doc.tables for row in t.rows for c in (cell.text for cell in row.cells))
    assert len(doc.inline_shapes) >= 6
    with zipfile.ZipFile(written["docx"]) as z:
        body = z.read("word/document.xml").decode("utf-8")
        footer = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer"))
    assert body.count('descr="') >= 6 and 'descr=""' not in body
    assert "PAGE" in footer and "TOC \\o" in body
    assert any(p.text.startswith("Figur 1.") for p in doc.paragraphs if p.style.name == "Caption")  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------- Excel


def test_xlsx_one_formatted_sheet_per_table(
    written: dict[str, Path], analysis: Analysis, previous: Analysis
) -> None:
    wb = load_workbook(written["xlsx"])
    ctx = build_context(analysis, previous=previous)
    assert wb.sheetnames[0] == "Om rapporten"
    assert len(wb.sheetnames) == 1 + len(ctx.tables())
    about = wb["Om rapporten"]
    assert about["A1"].value == "Jämställdhetsuppföljning 2025"
    labels = [about.cell(row=r, column=1).value for r in range(1, about.max_row + 1)]
    assert "Röjandeskydd" in labels and "Teckenförklaring" in labels
    # A long wrapped note gets a row tall enough for its lines (spreadsheets do not grow it themselves).
    long_notes = [r for r in range(1, about.max_row + 1) if len(str(about.cell(row=r, column=3).value or "")) > 70]
    assert long_notes
    for r in long_notes:
        height = about.row_dimensions[r].height
        assert height is not None and height >= 30, (r, about.cell(row=r, column=3).value)
    for name in wb.sheetnames[1:]:
        ws = wb[name]
        assert len(name) <= 31
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("4")
        assert all(c.font.bold for c in ws[3] if c.value is not None)
        assert ws.column_dimensions["A"].width >= 9
    # The fixture's participant table (key "participation"): found by its header.
    ws = next(wb[n] for n in wb.sheetnames[1:] if [c.value for c in wb[n][3]] == ["Insats", "Kvinnor", "Män", "Totalt"])
    rows = list(ws.iter_rows(min_row=4, max_row=8, values_only=True))
    assert rows[0] == ("Steg till arbete", 300, 210, 510)
    assert rows[3] == ("Pilot: Hälsa i fokus", "..", 9, "..")
    assert ws.cell(row=4, column=2).number_format == "#,##0"
    note = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Not:")]
    assert note and "Värden under 5 redovisas inte" in note[0]
    # Counts of people have the thousands format; counts of comparisons ("0") may well be small.
    for name in wb.sheetnames[1:]:
        values = [
            c.value
            for row in wb[name].iter_rows(min_row=4)
            for c in row
            if isinstance(c.value, int) and c.number_format == "#,##0"
        ]
        assert is_safe(values, 5), name


# ---------------------------------------------------------------------------------------------- API


def test_formats_language_and_steering_group(tmp_path: Path, analysis: Analysis) -> None:
    steps: list[str] = []
    paths = write_report(
        analysis, tmp_path, formats="xlsx,html", lang="en", intervention="INS03", progress=steps.append
    )
    assert list(paths) == ["html", "xlsx"]
    assert paths["html"].name == "steering-group-report-2025-INS03.html"
    assert steps == [
        "content",
        "charts",
        "steering-group-report-2025-INS03.html",
        "steering-group-report-2025-INS03.xlsx",
    ]
    doc = lxml.html.fromstring(paths["html"].read_text(encoding="utf-8"))
    assert doc.get("lang") == "en"
    assert "Summary" in [h.text_content() for h in doc.iter("h2")]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths.values())
    with pytest.raises(ValueError, match="odt"):
        write_report(analysis, tmp_path, formats=("odt",))
