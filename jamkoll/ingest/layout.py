"""Find the table in a worksheet as people lay it out: title rows, merged and two-row headers.

Workbooks made by hand rarely start with the header in row 1. Above it there is often a title
("Deltagare i Steg framåt 2024") in cells merged across the table, an empty row, or a group row
("Försörjning" merged over "före insats" | "efter insats"). The header is found by recognition:
among the first rows, the row, or pair of adjacent rows, whose cells name the most columns of the
data contract (any table, any accepted spelling) is the header. Cells of a merged range all carry
the value of its top-left cell, so that a group label reaches every column below it; a two-row
header is combined column by column (``"Försörjning" + "före insats"``), keeping whichever of the
combined text, the lower cell or the upper cell is a known header; only rows with merged cells are
tried as the upper row of a two-row header. A tie goes to the single row.
When no row names a known column, the first row with two or more filled cells is the header.

Sheets that are hidden, or that are named and shaped like lookup lists or instructions, are not
data and are skipped; the import report says so (:func:`skip_reason`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jamkoll.ingest.schema import KNOWN_COMPONENTS, known_headers, normalise_header

# Rows searched for the header: title blocks are short.
SCAN_ROWS = 30
# Headers of tables people make that the contract reads through a conversion (headcount tables).
_EXTRA_KNOWN = ("kvinnor", "män", "totalt", "ålder", "antal")
_ID_KEYS = {normalise_header(h) for h in (
    "insats_id", "insatsid", "insats", "deltagar_id", "deltagarid", "personnummer", "pnr", "participant_id",
    "intervention_id", "inskrivnings_id", "enrolment_id",
)}
_LOOKUP_NAME = re.compile(
    r"^(lista|listor|list|lists|lookup|kod|koder|kodlista|kodlistor|uppslag|val|värden|dropdown|"
    r"instruktion|instruktioner|anvisning|anvisningar|hjälp|help|info|readme|läs ?mig|meta|metadata)\b",
    re.IGNORECASE,
)

MergedRange = tuple[tuple[int, int], tuple[int, int]]


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(known_headers() | {normalise_header(h) for h in (*KNOWN_COMPONENTS, *_EXTRA_KNOWN)})


@dataclass(frozen=True)
class HeaderLayout:
    """Where a sheet's table is: its header (one text per column), the rows it came from."""

    header: list[str]
    rows: tuple[int, ...]  # 0-based indices of the header row(s)
    body_start: int  # 0-based index of the first row below the header
    title: str  # the text of the rows above the header, e.g. a year in "Deltagare 2024"
    recognised: int  # header cells that name a column of the contract

    @property
    def has_identifier(self) -> bool:
        return any(normalise_header(h) in _ID_KEYS for h in self.header)

    def note(self, file: str, sheet: str) -> str | None:
        """A line for the import report when the header is not simply row 1."""
        if self.rows == (0,):
            return None
        if len(self.rows) == 1:
            return f"{file} blad {sheet}: rad {self.rows[0] + 1} togs som rubrikrad (raderna ovanför är rubrik/titel)."
        first, last = self.rows[0] + 1, self.rows[-1] + 1
        return (f"{file} blad {sheet}: raderna {first}–{last} togs som en rubrik i två rader och slogs ihop "
                f"({', '.join(repr(h) for h in self.header if h)}).")


def cell_text(value: object) -> str:
    """A header cell as text (numbers without a trailing ``.0``, dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _filled(rows: Sequence[Sequence[object]], merged: Sequence[MergedRange], limit: int) -> dict[tuple[int, int], str]:
    """The top-left text of every merged range, for each of its cells in the first ``limit`` rows."""
    filled: dict[tuple[int, int], str] = {}
    for (r0, c0), (r1, c1) in merged:
        if r0 >= limit or r0 >= len(rows):
            continue
        top = rows[r0]
        value = cell_text(top[c0]) if c0 < len(top) else ""
        for r in range(r0, min(r1, limit - 1) + 1):
            for c in range(c0, c1 + 1):
                filled[(r, c)] = value
    return filled


def _score(header: Sequence[str]) -> int:
    known = _known()
    return sum(1 for h in header if h and normalise_header(h) in known)


def _combine(upper: str, lower: str) -> str:
    """One column of a two-row header."""
    if not upper or upper == lower:
        return lower
    if not lower:
        return upper
    known = _known()
    for candidate in (f"{upper} {lower}", lower, upper):
        if normalise_header(candidate) in known:
            return candidate
    return f"{upper} {lower}"


def find_header(rows: Sequence[Sequence[object]], merged: Sequence[MergedRange] | None = None,
                scan: int = SCAN_ROWS) -> HeaderLayout | None:
    """Find the header of a sheet given as rows of cell values (None when the sheet is empty)."""
    limit = min(scan, len(rows))
    filled = _filled(rows, merged or (), limit)
    width = max([len(r) for r in rows[:limit]] + [c1 + 1 for (_, _), (_, c1) in (merged or ())] + [0])

    def text(r: int, c: int) -> str:
        if (r, c) in filled:
            return filled[(r, c)]
        row = rows[r]
        return cell_text(row[c]) if c < len(row) else ""

    lines = [[text(r, c) for c in range(width)] for r in range(limit)]
    # A two-row header is a merged one: a group label across columns, or a cell spanning both rows.
    # Requiring a merge keeps the first data row from being read as the second row of a header.
    merge_starts = {r0 for (r0, c0), (r1, c1) in (merged or ()) if c1 > c0 or r1 > r0}
    filled_counts = [sum(1 for v in line if v) for line in lines]
    if not any(filled_counts):
        return None
    candidates: list[tuple[int, int, int, list[str], tuple[int, ...]]] = []
    for r in range(limit):
        if not filled_counts[r]:
            continue
        candidates.append((_score(lines[r]), 1, r, lines[r], (r,)))
        if r + 1 < limit and filled_counts[r + 1] and r in merge_starts:
            pair = [_combine(u, lo) for u, lo in zip(lines[r], lines[r + 1], strict=True)]
            candidates.append((_score(pair), 2, r, pair, (r, r + 1)))
    best = max(candidates, key=lambda c: (c[0], -c[1], -c[2]))
    if best[0] == 0:
        # Nothing recognised: the first row that looks like a header rather than a title.
        wide_rows = [i for i, n in enumerate(filled_counts) if n >= 2]
        r = wide_rows[0] if wide_rows else next(i for i, n in enumerate(filled_counts) if n)
        best = (0, 1, r, lines[r], (r,))
    _, _, _, header, used = best
    header = list(header)
    while header and header[-1] == "":
        header.pop()
    title = " ".join(v for line in lines[: used[0]] for v in dict.fromkeys(line) if v)
    return HeaderLayout(header, used, used[-1] + 1, title, best[0])


# A list of options behind drop-down menus is short.
_LOOKUP_MAX_ROWS = 200
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def skip_reason(sheet: str, hidden: bool, layout: HeaderLayout | None,
                body: Sequence[Sequence[object]] = ()) -> str | None:
    """Why a sheet is not read as data (hidden, or a lookup/instructions sheet), or None to read it.

    A lookup sheet is named so (*Listor*, *Koder*, *Instruktioner* …) and has no identifier column, or,
    whatever its name, looks like the option lists behind drop-down menus: no identifier column, at
    most 200 rows, only text (no numbers or dates), and no value repeated within a column.
    """
    if hidden:
        return "dolt blad"
    if layout is None or layout.has_identifier:
        return None
    if _LOOKUP_NAME.match(sheet.strip()):
        return "uppslagslista eller instruktioner (bladets namn och innehåll)"
    if body and _looks_like_option_lists(layout, body):
        return "uppslagslista: bara listor med olika textvärden, utan id, datum eller tal"
    return None


def _looks_like_option_lists(layout: HeaderLayout, body: Sequence[Sequence[object]]) -> bool:
    rows = [r for r in body if any(v not in (None, "") for v in r)]
    if not rows or len(rows) > _LOOKUP_MAX_ROWS:
        return False
    for j in range(max(len(layout.header), max(len(r) for r in rows))):
        values = [r[j] for r in rows if j < len(r) and r[j] not in (None, "")]
        if any(not isinstance(v, str) or _DATE_LIKE.match(v.strip()) or v.strip().isdigit() for v in values):
            return False
        texts = [v.strip().lower() for v in values if isinstance(v, str)]
        if len(set(texts)) != len(texts):
            return False
    return True


def column_letter(index: int) -> str:
    """Excel's column name of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


UNNAMED_PREFIX = "(utan rubrik"
# pandas' name for a CSV column without a header.
UNNAMED_PANDAS = re.compile(r"Unnamed: (\d+)(?:\.\d+)?")


def unnamed_header(index: int) -> str:
    """The name given to a column with data but no header, so that it is refused, not lost."""
    return f"{UNNAMED_PREFIX}, kolumn {column_letter(index)})"


def fill_merged_body(rows: list[list[Any]], merged: Sequence[MergedRange], body_start: int) -> int:
    """Give every cell of a merged range in the data rows the value of its top-left cell, in place.

    People merge an intervention or a date down over the rows it applies to; Excel keeps the value in
    the first cell only. Returns the number of ranges filled (for the import report).
    """
    filled = 0
    for (r0, c0), (r1, c1) in merged:
        if r0 < body_start or r0 >= len(rows):
            continue
        top = rows[r0]
        value = top[c0] if c0 < len(top) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
        filled += 1
    return filled


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def csv_title_lines(text: str, scan: int = SCAN_ROWS) -> tuple[int, str]:
    """Lines above the header of a CSV file saved from a sheet with a title, and their text.

    Only lines with at most one filled field count as title lines, and only when a later line (among
    the first ``scan``) has two or more fields and names a column of the contract: a file whose first
    line is its header is never touched.
    """
    lines = LINE_BREAK.split(text[: 1 << 16], maxsplit=scan)[:scan]
    if len(lines) < 2:
        return 0, ""
    sample = "\n".join(lines)
    sep = max((";", "\t", ","), key=sample.count)

    def fields(line: str) -> list[str]:
        return [f.strip().strip('"').strip() for f in line.split(sep)]

    for i, line in enumerate(lines):
        cells = fields(line)
        if sum(1 for c in cells if c) >= 2:
            if i == 0 or _score(cells) == 0:
                return 0, ""
            title = " ".join(c for previous in lines[:i] for c in fields(previous) if c)
            return i, title
    return 0, ""


def unnamed_label(header: str) -> str | None:
    """How a problem names a column without a header (XLSX or CSV), or None for a named column."""
    if header.startswith(UNNAMED_PREFIX):
        return header
    pandas_name = UNNAMED_PANDAS.fullmatch(header)
    return unnamed_header(int(pandas_name.group(1))) if pandas_name else None
