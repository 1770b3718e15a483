"""Checks of an XLSX file before any spreadsheet reader sees it.

An XLSX file is a ZIP archive of XML parts (ECMA-376 Part 2, Open Packaging Conventions). Three
kinds of hostile file can take a reader down long before it gives a cell back, and each is refused
here with a Swedish message saying what is wrong and what to do:

* **ZIP bombs**: a few megabytes that inflate to gigabytes. The archive's central directory is
  checked before anything is inflated: the number of entries, the total declared uncompressed size
  and the compression ratio of every large entry. Python's ``zipfile`` never inflates an entry past
  its declared size (it fails the CRC check instead), so the declared sizes bound the work.
* **XML with a DTD**: entity expansion ("billion laughs") and external entities (XXE). OOXML parts
  never carry a document type declaration (ECMA-376 Part 2, §8.1.4: a package with a DTD is
  invalid), so the prolog of every XML part is read with expat, the way ``defusedxml`` does it,
  and any ``<!DOCTYPE``, entity declaration or external entity reference refuses the file.
* **Far cells**: readers that build a dense grid from A1 to the last used cell (python-calamine
  does) allocate rows × columns cells, so one cell at ``XFD1048576`` asks for 17 billion cells and
  aborts the process. Every worksheet's declared ``<dimension>`` and its actual last row and far
  columns are compared with the cells it really holds: the grid may be at most
  :data:`ROWS_PER_CELL` times taller and :data:`GRID_PER_CELL` times larger than the number of cells
  written (beyond small floors), so a real sheet of a million rows passes and a near-empty sheet
  with one far cell does not. The worksheet XML is inflated in a stream and scanned with
  byte-level counts and one regular expression, never parsed into memory.

These checks are cheap next to reading the file and catch the known hostile classes with a
precise message; the memory and time limits of :mod:`jamkoll.ingest.sandbox` bound whatever slips
through.
"""

from __future__ import annotations

import re
import xml.parsers.expat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

# --- limits -------------------------------------------------------------------------------------
MAX_ENTRIES = 10_000
# A million rows with inline strings (what many export tools write) take about 700 MB of XML.
MAX_UNCOMPRESSED_BYTES = 1536 * 1024 * 1024
# Real worksheets deflate 5-40 times; a bomb hundreds or thousands of times. Small parts may compress
# better (styles, repeated tags) and cost nothing either way.
MAX_RATIO = 200
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# Excel's own grid (ECMA-376 Part 1, §18.3.1.73 and Excel's specifications and limits).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
# A sheet may end this many times further down than it has cells (blank rows), beyond a floor ...
ROWS_PER_CELL = 4
ROW_FLOOR = 10_000
# ... and its grid (rows × columns from A1) may be this many times larger than its cells, beyond a
# floor. Columns beyond :data:`WIDE_FROM` are located exactly; narrower sheets pass this rule.
GRID_PER_CELL = 8
GRID_FLOOR = 1_000_000
WIDE_FROM = 64
# The prolog of an XML part (declaration, comments) before its root element.
MAX_PROLOG_BYTES = 1024 * 1024

_CHUNK = 1 << 20
_OVERLAP = 32
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d*))?"')
# The reference of a row (digits) or a cell (letters and digits): the only ``r`` attributes of a sheet.
_REF = re.compile(rb' r="([A-Z]*)(\d+)"')
# A cell reference in a column after BL (the 64th): three letters, or two beginning C-Z, or BM-BZ.
_WIDE_CELL = re.compile(rb' r="([A-Z]{3,}|[C-Z][A-Z]|B[M-Z])\d')


class UnsafeWorkbook(Exception):
    """The file is refused before reading; ``args[0]`` is the Swedish reason and remedy."""


@dataclass(frozen=True)
class SheetExtent:
    """What a worksheet's XML says about its size."""

    sheet: str  # the sheet's name (its part's name when the workbook does not say)
    references: int  # row and cell references in its XML: about its cells plus its rows
    last_row: int
    far_column: int  # the furthest column located exactly (0 when none is beyond WIDE_FROM)
    declared_rows: int
    declared_columns: int


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``Z`` → 26, ``AA`` → 27, ``XFD`` → 16 384."""
    text = letters.decode("ascii") if isinstance(letters, bytes) else letters
    number = 0
    for ch in text.upper():
        number = number * 26 + ord(ch) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_xlsx(source: Path | IO[bytes]) -> list[SheetExtent]:
    """Refuse (:class:`UnsafeWorkbook`) a ZIP bomb, XML with a DTD or a worksheet with far cells.

    Returns the extent of every worksheet when the file may be read.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise UnsafeWorkbook(
            "Filen är skadad eller ofullständig: ZIP-arkivet i XLSX-filen kan inte öppnas "
            f"({exc.__class__.__name__}). Öppna filen i Excel och spara om den, eller ladda upp den igen."
        ) from exc
    with archive:
        infos = archive.infolist()
        _check_directory(infos)
        worksheets = []
        for info in infos:
            name = info.filename
            if info.is_dir():
                continue
            if _is_worksheet(name):
                worksheets.append(info)
            elif name.lower().endswith((".xml", ".rels")):
                with _open(archive, info) as stream:
                    _check_prolog(name, stream)
            elif name.lower().endswith(".vml"):
                # Legacy drawings (comments' boxes) are HTML-like, not always well-formed XML: only
                # the declarations are looked for. No reader of this project parses them.
                with _open(archive, info) as stream:
                    head = _read(name, stream, MAX_PROLOG_BYTES)
                if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                    raise _refuse_dtd(name)
        # Every part but the worksheets is now known to be free of DTDs: the sheet names may be read.
        titles = _sheet_titles(archive)
        extents = []
        for info in worksheets:
            with _open(archive, info) as stream:
                extents.append(_scan_worksheet(info.filename, stream, titles.get(info.filename)))
        return extents


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the sheet's name as the user sees it (from the workbook and its relations)."""
    import xml.etree.ElementTree as ElementTree

    try:
        if max(archive.getinfo(n).file_size for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")) > 1 << 24:
            return {}
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations}
    titles = {}
    for sheet in workbook.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            titles[part] = sheet.get("name", "")
    return titles


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise UnsafeWorkbook(
            f"Filen innehåller {len(infos)} delar; en XLSX-fil med data har sällan fler än några hundra "
            f"(högst {MAX_ENTRIES} tillåts). Spara om filen i Excel med bara de blad som behövs."
        )
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
        raise UnsafeWorkbook(
            "Filen är en ZIP-fil men ingen Excel-arbetsbok (xl/workbook.xml saknas). "
            "Spara filen som Excel-arbetsbok (.xlsx) eller som CSV."
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnsafeWorkbook("Filen är lösenordsskyddad eller krypterad. Ta bort skyddet i Excel och spara om.")
        total += info.file_size
        if info.file_size >= RATIO_CHECKED_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeWorkbook(
                f"Filen packas upp till {_mb(info.file_size)} från {_mb(info.compress_size)} "
                f"({info.filename}): så extrem komprimering har inga riktiga data (en så kallad ZIP-bomb). "
                "Filen läses inte; spara om den från Excel."
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnsafeWorkbook(
            f"Filen packas upp till {_mb(total)}, mer än de {_mb(MAX_UNCOMPRESSED_BYTES)} som tillåts. "
            "Dela upp den i flera filer eller spara den som CSV."
        )


def _open(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    try:
        return archive.open(info)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise UnsafeWorkbook(
            f"Filen är skadad: delen {info.filename} kan inte packas upp ({exc}). Spara om den i Excel."
        ) from exc


def _read(name: str, stream: IO[bytes] | _Replay, size: int) -> bytes:
    try:
        return stream.read(size)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise UnsafeWorkbook(
            f"Filen är skadad eller ofullständig: delen {name} kan inte packas upp. "
            "Öppna filen i Excel och spara om den, eller ladda upp den igen."
        ) from exc


def _is_worksheet(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".xml") and ("/worksheets/" in lower or "/chartsheets/" in lower
                                      or "/dialogsheets/" in lower)


class _RootReached(Exception):
    pass


def _refuse_dtd(name: str) -> UnsafeWorkbook:
    return UnsafeWorkbook(
        f"Filen innehåller en XML-dokumenttypdeklaration (DTD) i {name}. Sådana deklarationer förekommer "
        "inte i filer från Excel och kan användas för att överbelasta eller lura ett system "
        "(entitetsexpansion, externa entiteter). Filen läses inte; spara om den från Excel."
    )


def _prolog_parser(name: str) -> xml.parsers.expat.XMLParserType:
    """An expat parser that refuses a DTD and any entity, and stops at the root element."""
    parser = xml.parsers.expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise _refuse_dtd(name)

    def root(*_: object) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.UnparsedEntityDeclHandler = doctype
    parser.ExternalEntityRefHandler = doctype  # type: ignore[assignment]
    parser.StartElementHandler = root
    return parser


def _check_prolog(name: str, stream: IO[bytes] | _Replay) -> None:
    """Read an XML part up to its root element; refuse a DTD or entity declaration before it."""
    parser = _prolog_parser(name)
    seen = 0
    chunk = _read(name, stream, 1 << 16)
    while True:
        try:
            parser.Parse(chunk, not chunk)
        except _RootReached:
            return
        except xml.parsers.expat.ExpatError as exc:
            if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                raise _refuse_dtd(name) from exc
            raise UnsafeWorkbook(
                f"Filen är skadad: delen {name} är inte giltig XML ({xml.parsers.expat.ErrorString(exc.code)}). "
                "Öppna filen i Excel och spara om den."
            ) from exc
        if not chunk:
            return  # an empty part: the reader reports it if it matters
        seen += len(chunk)
        if seen > MAX_PROLOG_BYTES:
            raise UnsafeWorkbook(
                f"Filen är inte en vanlig XLSX-fil: delen {name} har mer än {_mb(MAX_PROLOG_BYTES)} före sitt "
                "första element. Spara om den från Excel."
            )
        chunk = _read(name, stream, 1 << 16)


def _scan_worksheet(name: str, stream: IO[bytes], title: str | None) -> SheetExtent:
    first = _read(name, stream, _CHUNK)
    # The prolog must be within the first chunk (or the part is refused); then the cells are counted.
    _check_prolog(name, _Replay(first))
    declared_rows = declared_columns = 0
    match = _DIMENSION.search(first)
    if match:
        first_col, first_row, last_col, last_row = match.groups()
        declared_columns = column_number(last_col or first_col or b"")
        declared_rows = int(last_row or first_row or 0)
    refs = last_row_seen = far = 0
    tail = b""
    chunk = first
    while chunk:
        # Row and cell references: a cell, or a row and its first cell, for each reference.
        refs += chunk.count(b' r="')
        # References cut by the chunk boundary are found in the joint of the two chunks.
        for window in (tail + chunk[:_OVERLAP], chunk):
            for wide in _WIDE_CELL.finditer(window):
                far = max(far, column_number(wide.group(1)))
        last_row_seen = max(last_row_seen, _last_row(chunk) or _last_row(tail + chunk[:_OVERLAP]))
        tail = chunk[-_OVERLAP:]
        chunk = _read(name, stream, _CHUNK)
    if refs == 0:
        # Without references cells are placed one after another: the grid is the data, whatever the
        # (then meaningless) declared dimension says.
        declared_rows = declared_columns = 0
    sheet = title or name.rsplit("/", 1)[-1].removesuffix(".xml")
    extent = SheetExtent(sheet, refs, last_row_seen, far, declared_rows, declared_columns)
    _check_extent(extent)
    return extent


class _Replay:
    """The first chunk of a worksheet as a stream that ends after it (for the prolog check)."""

    def __init__(self, first: bytes):
        self._first = first

    def read(self, size: int = -1) -> bytes:
        data, self._first = self._first, b""
        return data


def _last_row(window: bytes) -> int:
    """The row of the last row or cell reference in the window (0 when there is none).

    Rows and the cells in them come in ascending order (ECMA-376 Part 1, §18.3.1.73 and §18.3.1.4),
    so the last reference of the part is its last row.
    """
    at = window.rfind(b' r="')
    while at >= 0:
        match = _REF.match(window, at)
        if match:
            return int(match.group(2))
        at = window.rfind(b' r="', 0, at)
    return 0


def _check_extent(extent: SheetExtent) -> None:
    sheet = extent.sheet
    rows = max(extent.last_row, extent.declared_rows)
    columns = max(extent.far_column, extent.declared_columns)
    if rows > EXCEL_MAX_ROWS or columns > EXCEL_MAX_COLUMNS:
        raise UnsafeWorkbook(
            f"Bladet {sheet} går utanför Excels rutnät (rad {rows}, kolumn {columns}). "
            "Filen är skadad eller tillverkad; spara om den från Excel."
        )
    cells = max(extent.references, 1)
    if rows > ROW_FLOOR and rows > ROWS_PER_CELL * cells:
        raise UnsafeWorkbook(
            f"Bladet {sheet} sträcker sig till rad {rows} men är nästan tomt. "
            "En cell långt ner på bladet gör att hela rutnätet måste läsas in. Ta bort tomma rader och "
            "celler längst ner (markera dem och välj Ta bort i Excel), spara och försök igen."
        )
    if columns > WIDE_FROM and rows * columns > GRID_FLOOR and rows * columns > GRID_PER_CELL * cells:
        raise UnsafeWorkbook(
            f"Bladet {sheet} sträcker sig till kolumn {column_letters(columns)} och rad {rows} men är "
            "nästan tomt. En cell långt ut till höger gör att hela rutnätet måste "
            "läsas in. Ta bort tomma kolumner längst till höger i Excel, spara och försök igen."
        )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} kB"
