"""The report as a Word document: real heading styles (so Word's navigation pane and table of
contents work), real tables with a repeating header row, and the charts as PNG with alt text."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from jamkoll.reports.charts import png_size, render_png
from jamkoll.reports.model import (
    BulletList,
    Figure,
    FindingBlock,
    KeyFigures,
    Paragraph,
    ReportContext,
    Section,
    Table,
)

FONT = "Arial"  # on every Office installation, unlike the DejaVu fonts of the PDF
TEAL = RGBColor(0x0F, 0x3F, 0x44)
GREY = RGBColor(0x33, 0x33, 0x33)
CONTENT_WIDTH_CM = 16.0

_TOC_HINT = {
    "sv": (
        "Innehållsförteckningen fylls i när dokumentet öppnas i Word "
        "(eller: högerklicka och välj Uppdatera fält)."
    ),
    "en": (
        "The table of contents is filled in when the document is opened in Word "
        "(or: right-click, Update field)."
    ),
}


def write_docx(ctx: ReportContext, path: Path) -> Path:
    doc = Document()
    _setup(doc, ctx)
    _cover(doc, ctx)
    for section in ctx.sections:
        doc.add_page_break()
        _section(doc, ctx, section, level=1)
    doc.add_page_break()
    doc.add_heading(ctx.labels["about"], level=1)
    for label, value in ctx.about:
        _labelled(doc, label, value)
    doc.save(str(path))
    return path


def _setup(doc: Any, ctx: ReportContext) -> None:
    props = doc.core_properties
    props.title = ctx.title
    props.subject = ctx.subtitle
    props.author = ctx.organisation or "Jämkoll"
    props.language = "sv-SE" if ctx.lang == "sv" else "en-GB"
    props.comments = "Jämkoll"
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    _set_language(normal, "sv-SE" if ctx.lang == "sv" else "en-GB")
    for name, size in (("Title", 26), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        style = styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.color.rgb = TEAL
        # The theme fonts would otherwise override the style's font in Word.
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attr), None)
    caption = styles["Caption"]
    caption.font.name = FONT
    caption.font.size = Pt(9)
    caption.font.bold = True
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{ctx.labels['page']} ")
    _field(footer, "PAGE")
    footer.add_run(f" {ctx.labels['of']} ")
    _field(footer, "NUMPAGES")
    header = section.header.paragraphs[0]
    run = header.add_run(ctx.title)
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    # Ask Word to refresh fields (table of contents, page count) when the document is opened.
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _set_language(style: Any, lang: str) -> None:
    rpr = style.element.get_or_add_rPr()
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), lang)
    rpr.append(element)


def _field(paragraph: Any, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, placeholder, end):
        run._r.append(element)


def _cover(doc: Any, ctx: ReportContext) -> None:
    if ctx.organisation:
        p = doc.add_paragraph()
        run = p.add_run(ctx.organisation)
        run.bold = True
        run.font.size = Pt(12)
    doc.add_paragraph(ctx.title, style="Title")
    p = doc.add_paragraph()
    run = p.add_run(ctx.subtitle)
    run.font.size = Pt(13)
    p = doc.add_paragraph()
    run = p.add_run(f"{ctx.labels['generated']} {ctx.generated}")
    run.font.color.rgb = GREY
    doc.add_paragraph()
    p = doc.add_paragraph()
    run = p.add_run(ctx.labels["contents"])
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = TEAL
    p = doc.add_paragraph()
    _field(p, 'TOC \\o "1-2" \\h \\z \\u')
    # The field shows this until Word updates it; the section titles are listed too for other readers.
    for section in ctx.sections:
        doc.add_paragraph(section.title, style="List Number")
    hint = doc.add_paragraph()
    run = hint.add_run(_TOC_HINT[ctx.lang])
    run.font.size = Pt(8)
    run.font.color.rgb = GREY


def _section(doc: Any, ctx: ReportContext, section: Section, level: int) -> None:
    doc.add_heading(section.title, level=min(level, 3))
    for block in section.blocks:
        _block(doc, ctx, block, level)
    for sub in section.subsections:
        _section(doc, ctx, sub, level + 1)


def _block(doc: Any, ctx: ReportContext, block: Any, level: int) -> None:
    if isinstance(block, Paragraph):
        p = doc.add_paragraph()
        run = p.add_run(block.text)
        if block.style == "lead":
            run.font.size = Pt(11)
        elif block.style == "note":
            run.font.size = Pt(8.5)
            run.font.color.rgb = GREY
    elif isinstance(block, BulletList):
        for item in block.items:
            doc.add_paragraph(item, style="List Bullet")
    elif isinstance(block, KeyFigures):
        _key_figures(doc, block)
    elif isinstance(block, Table):
        _table(doc, ctx, block)
    elif isinstance(block, Figure):
        _figure(doc, ctx, block)
    elif isinstance(block, FindingBlock):
        _finding(doc, block, level)


def _key_figures(doc: Any, block: KeyFigures) -> None:
    table = doc.add_table(rows=1, cols=len(block.figures))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, figure in zip(table.rows[0].cells, block.figures, strict=True):
        p = cell.paragraphs[0]
        run = p.add_run(figure.value)
        run.bold = True
        run.font.size = Pt(16)
        run.font.color.rgb = TEAL
        p = cell.add_paragraph()
        run = p.add_run(figure.label)
        run.bold = True
        run.font.size = Pt(8.5)
        if figure.detail:
            run = cell.add_paragraph().add_run(figure.detail)
            run.font.size = Pt(8)
    doc.add_paragraph()


def _table(doc: Any, ctx: ReportContext, block: Table) -> None:
    caption = doc.add_paragraph(style="Caption")
    caption.add_run(f"{ctx.labels['table']} {block.number}. {block.title}")
    caption.paragraph_format.keep_with_next = True
    size = Pt(7) if block.very_wide else Pt(7.5) if block.wide else Pt(8.5)
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = table.rows[0]
    _repeat_header(header)
    for j, text in enumerate(block.header):
        _cell_text(header.cells[j], text, size, bold=True, right=j >= block.label_columns, shade=True)
    for i, row in enumerate(block.rows, start=1):
        cells = table.rows[i].cells
        for j, cell in enumerate(row):
            text = "" if cell.repeated else cell.text
            _cell_text(cells[j], text, size, bold=cell.emphasis, right=cell.align == "right")
    for text, style in ((block.caption, None), (block.note, "note")):
        if text:
            p = doc.add_paragraph()
            label = f"{ctx.labels['note']}: " if style == "note" else ""
            run = p.add_run(label + text)
            run.font.size = Pt(8)
            run.font.color.rgb = GREY
    doc.add_paragraph()


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    trpr.append(element)


def _cell_text(
    cell: Any, text: str, size: Any, *, bold: bool = False, right: bool = False, shade: bool = False
) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run(text)
    run.font.size = size
    run.bold = bold
    if shade:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), "E6EEEF")
        cell._tc.get_or_add_tcPr().append(shading)


def _figure(doc: Any, ctx: ReportContext, figure: Figure) -> None:
    png = render_png(figure, ctx.lang)
    width_px = png_size(png)[0] / 2  # rendered at twice the size
    width = Cm(min(CONTENT_WIDTH_CM, width_px / 96 * 2.54))
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    run = p.add_run()
    run.add_picture(io.BytesIO(png), width=width)
    # Alt text where screen readers look for it: the drawing's description.
    for doc_pr in run._r.iter(qn("wp:docPr")):
        doc_pr.set("descr", figure.alt)
        doc_pr.set("title", figure.title)
    caption = doc.add_paragraph(style="Caption")
    caption.add_run(f"{ctx.labels['figure']} {figure.number}. {figure.title}")
    p = doc.add_paragraph()
    run = p.add_run(figure.alt)
    run.font.size = Pt(8)
    run.font.color.rgb = GREY


def _finding(doc: Any, block: FindingBlock, level: int) -> None:
    doc.add_heading(block.title, level=min(level, 3))
    p = doc.add_paragraph()
    run = p.add_run(block.status_label)
    run.bold = True
    if block.status == "unjustified":
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        _highlight(run, "111111")
    doc.add_paragraph(block.explanation)
    for label, value in block.facts:
        _labelled(doc, label, value, size=Pt(9))
    for note in block.notes:
        p = doc.add_paragraph()
        run = p.add_run(note)
        run.font.size = Pt(8.5)
        run.font.color.rgb = GREY
    doc.add_paragraph().add_run().add_break(WD_BREAK.LINE)


def _highlight(run: Any, fill: str) -> None:
    rpr = run._r.get_or_add_rPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    rpr.append(shading)


def _labelled(doc: Any, label: str, value: str, size: Any = None) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(2)
    head = p.add_run(f"{label}: ")
    head.bold = True
    body = p.add_run(value)
    if size is not None:
        head.font.size = size
        body.font.size = size
