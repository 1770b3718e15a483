"""The report as a plain document: sections of paragraphs, lists, tables, figures and findings.

:func:`jamkoll.reports.sections.build.build_context` writes the content once into these objects; the
HTML/PDF, Word and Excel writers only lay them out. Every text is final (translated, numbers
formatted, small counts hidden), so a writer never formats a number itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Align = Literal["left", "right"]


@dataclass
class Cell:
    """One table cell: the text every format shows and, for the workbook, the number behind it."""

    text: str
    value: float | int | str | None = None
    number_format: str = "General"  # Excel format code for ``value``
    suppressed: bool = False
    align: Align = "left"
    emphasis: bool = False  # e.g. a total row, or a flagged difference
    nowrap: bool = False
    repeated: bool = (
        False  # a row label equal to the one above: shown blank in print, kept for screen readers
    )


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]
    note: str = ""  # disclosure note (jamkoll.reports.labels.table_note) and other caveats
    caption: str = ""  # what the table shows, in a sentence
    label_columns: int = 1  # leading columns that label rows rather than hold figures
    number: int = 0  # "Tabell 3", set once the whole report is built
    kind: Literal["table"] = "table"

    @property
    def wide(self) -> bool:
        return len(self.header) > 7

    @property
    def very_wide(self) -> bool:
        return len(self.header) > 11

    @property
    def has_suppressed(self) -> bool:
        return any(c.suppressed for row in self.rows for c in row)


@dataclass
class Paragraph:
    text: str
    style: Literal["", "lead", "note", "callout"] = ""
    kind: Literal["paragraph"] = "paragraph"


@dataclass
class BulletList:
    items: list[str]
    kind: Literal["list"] = "list"


@dataclass
class KeyFigure:
    label: str
    value: str
    detail: str = ""


@dataclass
class KeyFigures:
    figures: list[KeyFigure]
    kind: Literal["keyfigures"] = "keyfigures"


@dataclass
class Figure:
    """A chart: its Vega-Lite spec, rendered once to SVG (HTML) and PNG (PDF, Word) on demand."""

    key: str
    title: str
    alt: str  # text alternative: what the chart shows, for readers who cannot see it
    spec: dict[str, Any]
    raw_svg: str = ""  # as vl-convert made it
    svg: str = ""  # ready to be put inline in HTML
    png: bytes = b""
    number: int = 0
    kind: Literal["figure"] = "figure"


@dataclass
class FindingBlock:
    """One comparison explained for a reader: what was compared, the result, and how sure it is."""

    id: str
    title: str
    status: str
    status_label: str
    explanation: str
    facts: list[tuple[str, str]]  # (label, value) lines: values, raw and adjusted effect, adjustment, n
    notes: list[str] = field(default_factory=list)
    kind: Literal["finding"] = "finding"


Block = Paragraph | BulletList | KeyFigures | Table | Figure | FindingBlock


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self

    def sub(self, id: str, title: str) -> Section:
        section = Section(id=f"{self.id}-{id}", title=title)
        self.subsections.append(section)
        return section

    def walk_tables(self) -> list[Table]:
        found = [b for b in self.blocks if isinstance(b, Table)]
        for s in self.subsections:
            found.extend(s.walk_tables())
        return found

    def walk_figures(self) -> list[Figure]:
        found = [b for b in self.blocks if isinstance(b, Figure)]
        for s in self.subsections:
            found.extend(s.walk_figures())
        return found

    def is_empty(self) -> bool:
        return not self.blocks and all(s.is_empty() for s in self.subsections)


@dataclass
class ReportContext:
    """Everything the writers need, in the report's language."""

    lang: str
    title: str
    subtitle: str
    organisation: str
    year: int | None
    intervention: str | None
    generated: str  # date of writing, ISO
    threshold: int
    sections: list[Section]
    about: list[tuple[str, str]]  # "Om rapporten": (label, text) pairs for the workbook and the colophon
    labels: dict[str, str]  # fixed words of the layout (table of contents, page, figure, …)

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.walk_tables()]

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.walk_figures()]
