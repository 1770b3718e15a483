"""Read CSV and XLSX files as users really have them, into frames of text.

Swedish Excel habits are normal input: ``;`` separators, decimal commas,
cp1252 from older Excel, a UTF-8 BOM, UTF-16 "Unicode text". Every cell is
read as text here; the validator decides what it means and reports what it
cannot understand. A file that is not what its extension says is refused
with a message naming what it looks like instead.

CSV files are parsed by Arrow's multi-threaded reader. Where Arrow and pandas'
parser could disagree (ragged rows, blank or duplicate headers and the like),
Arrow refuses or the file is handed to pandas, whose reading, and error
messages, are the reference.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from jamkoll.ingest.problems import Problem

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF"
_NOT_BLANK = re.compile(rb"[^ \t\r\n\xef\xbb\xbf]")


@dataclass
class Sheet:
    """One table-shaped piece of input: a CSV file or one sheet of a workbook."""

    file: str
    sheet: str | None
    # Every column holds text ("" for an empty cell); the index is the row number the user
    # sees (the header is row 1 in a CSV file), so that problems can point at it.
    frame: pd.DataFrame
    # Lines for the import report about how the sheet was read (header row, skipped sheets).
    notes: list[str] = field(default_factory=list)
    # Text above the header (title rows of a workbook), e.g. the year of a summary table.
    title: str = ""

    @property
    def name(self) -> str:
        return self.sheet or Path(self.file).stem


def read_file(path: Path) -> tuple[list[Sheet], list[Problem]]:
    """Read a CSV or XLSX file; return its sheets or the problems that stop reading it."""
    name = path.name
    suffix = path.suffix.lower()
    if not path.exists():
        return [], [Problem(name, "Filen finns inte.")]
    # Untrusted input: size limits before reading, workbooks checked and read in a separate process
    # under memory and time limits (see jamkoll.ingest.sandbox).
    from jamkoll.ingest.personal_data import contains_personnummer
    from jamkoll.ingest.sandbox import read_xlsx_isolated, size_problem

    if contains_personnummer(path.stem):  # the name would be kept in the store's import log
        return [], [Problem(name, "Filnamnet innehåller ett personnummer. Byt namn på filen och försök igen.")]
    too_large = size_problem(path, xlsx=suffix in XLSX_SUFFIXES)
    if too_large:
        return [], [too_large]
    raw = path.read_bytes()
    if not _NOT_BLANK.search(raw):  # only whitespace and BOM bytes; ``raw.strip()`` would copy a large file
        return [], [Problem(name, "Filen är tom.")]
    looks_like = _sniff(raw)
    if suffix in XLSX_SUFFIXES:
        if looks_like != "zip":
            return [], [Problem(name, f"Filen heter {suffix} men är inte en XLSX-fil ({_describe(looks_like)}).")]
        return read_xlsx_isolated(path, name)
    if suffix in CSV_SUFFIXES:
        if looks_like in ("zip", "ole", "pdf", "binary"):
            return [], [Problem(name, f"Filen heter {suffix} men är inte en textfil ({_describe(looks_like)}).")]
        return _read_csv(name, raw)
    return [], [Problem(
        name, f"Filtypen {suffix or '(ingen filändelse)'} stöds inte. Använd CSV (.csv) eller Excel (.xlsx)."
    )]


def _sniff(raw: bytes) -> str:
    if raw.startswith(_ZIP_MAGIC):
        return "zip"
    if raw.startswith(_OLE_MAGIC):
        return "ole"
    if raw.startswith(_PDF_MAGIC):
        return "pdf"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if b"\x00" in raw[:8192]:
        return "binary"
    return "text"


def _describe(kind: str) -> str:
    return {
        "zip": "den ser ut att vara en XLSX- eller ZIP-fil; spara om den som CSV eller byt filändelse till .xlsx",
        "ole": "den ser ut att vara en äldre Excel-fil (.xls); spara den som .xlsx",
        "pdf": "den är en PDF",
        "binary": "den innehåller binära data",
        "text": "den är en textfil; byt filändelse till .csv",
        "utf16": "den är en textfil; byt filändelse till .csv",
    }[kind]


def decode_text(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252 from older Excel."""
    return _decode(raw)[0]


def _decode(raw: bytes) -> tuple[str, bool]:
    """The text of ``decode_text``, and whether it was UTF-8 (then ``raw`` less a BOM encodes it)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), False
    if _may_be_utf8(raw):
        try:
            return raw.decode("utf-8-sig"), True
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("cp1252"), False
    except UnicodeDecodeError:
        return raw.decode("latin-1"), False


def _may_be_utf8(raw: bytes, prefix_size: int = 1 << 16) -> bool:
    """False when the start of ``raw`` already shows it is not UTF-8: a large cp1252 file is then not
    decoded in full just to fail."""
    prefix = raw[:prefix_size]
    try:
        prefix.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A character takes at most 4 bytes: an error further than that from the cut is in ``raw`` too.
        return len(prefix) < len(raw) and exc.start > len(prefix) - 4
    return True


def detect_separator(text: str) -> str:
    first = _first_line(text)
    counts = {sep: first.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _first_line(text: str) -> str:
    """The first line that is not blank, as ``text.splitlines()`` would give it, without splitting all of
    a large file."""
    size = 1 << 16
    while True:
        lines = text[:size].splitlines()
        whole = size >= len(text)
        # Unless the prefix is the whole text, its last line may be cut off: only earlier ones are sure.
        for line in lines if whole else lines[:-1]:
            if line.strip():
                return line
        if whole:
            return ""
        size *= 4


def _read_csv(name: str, raw: bytes) -> tuple[list[Sheet], list[Problem]]:
    from jamkoll.ingest.layout import LINE_BREAK, UNNAMED_PANDAS, csv_title_lines

    text, utf8 = _decode(raw)
    # A sheet with a title row saved as CSV: the title lines are left out (see jamkoll.ingest.layout).
    skip, title = csv_title_lines(text)
    if skip:
        text, utf8 = LINE_BREAK.split(text, maxsplit=skip)[-1], False
    sep = detect_separator(text)
    # Arrow reads UTF-8: the file itself when it is UTF-8 already.
    data = (raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw) if utf8 else text.encode("utf-8")
    frame = _read_csv_arrow(data, sep)
    if frame is None:
        try:
            frame = pd.read_csv(
                io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                skip_blank_lines=False, engine="c",
            )
        except pd.errors.ParserError as exc:
            return [], [Problem(name, f"Filen kunde inte läsas som CSV med avgränsaren {sep!r}: {_parser_reason(exc)}")]
        except pd.errors.EmptyDataError:
            return [], [Problem(name, "Filen är tom.")]
    frame.columns = [str(c).strip() for c in frame.columns]
    # pandas names a column without a header "Unnamed: N" (the validator refuses one with data, and
    # R's row names keep the name the indicator reader knows); an empty one is left out.
    unnamed = [j for j, c in enumerate(frame.columns) if UNNAMED_PANDAS.fullmatch(c)]
    if unnamed:
        empty = {j for j in unnamed if not (frame.iloc[:, j].str.strip() != "").any()}
        frame = frame.iloc[:, [j for j in range(frame.shape[1]) if j not in empty]]
    frame.index = pd.RangeIndex(2 + skip, len(frame) + 2 + skip)
    frame = _drop_empty_rows(frame)
    if frame.empty:
        return [], [Problem(name, "Filen har rubriker men inga rader med data.")]
    notes = [f"{name}: rad {skip + 1} togs som rubrikrad (raderna ovanför är rubrik/titel)."] if skip else []
    return [Sheet(name, None, frame, notes=notes, title=title)], []


# Arrow needs a type per column name before it reads: autogenerated names are f0, f1, ... and
# names beyond the file's columns are ignored. A file wider than this is left to pandas. Large
# strings are what pandas' text dtype holds, so the columns pass to pandas without conversion.
_MAX_ARROW_COLUMNS = 4096
_ARROW_TEXT = {f"f{i}": pa.large_string() for i in range(_MAX_ARROW_COLUMNS)}


def _read_csv_arrow(data: bytes, sep: str) -> pd.DataFrame | None:
    """Parse UTF-8 CSV as pandas' C parser would parse its text (every cell as text, blank lines as
    empty rows).

    Returns None when Arrow refuses the file (rows of the wrong length, an unterminated quote, ...)
    or when the header needs pandas' renaming (empty or repeated names): pandas then reads it.
    """
    quoted = b'"' in data
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            # The header is read as the first row, parsed exactly as the rows below it.
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, use_threads=True),
            parse_options=pa_csv.ParseOptions(
                delimiter=sep, quote_char='"', double_quote=True, escape_char=False,
                # A quoted cell may hold a line break; checking for that halves Arrow's speed, so only
                # when the file has quotes at all.
                newlines_in_values=quoted, ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=_ARROW_TEXT, strings_can_be_null=False, quoted_strings_can_be_null=False,
                check_utf8=False,  # decoded (so checked) by the caller
            ),
        )
    except pa.ArrowException:  # whatever Arrow cannot read, pandas reads or explains
        return None
    if table.num_columns > _MAX_ARROW_COLUMNS or table.num_rows == 0:
        return None
    header = [str(v) for v in table.slice(0, 1).to_pylist()[0].values()]
    if "" in header or len(set(header)) != len(header):
        return None
    body = table.slice(1)
    return pd.DataFrame(
        {i: pd.Series(pd.array(column, dtype=_STR), copy=False) for i, column in enumerate(body.columns)}
    ).set_axis(header, axis=1)


# pandas' default text dtype, Arrow-backed: what ``pd.read_csv(dtype=str)`` gives.
_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def _drop_empty_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.shape[1] == 0:
        return frame
    # Column by column, and only while some row still looks empty (usually none after the first).
    filled = np.zeros(len(frame), dtype=bool)
    for i in range(frame.shape[1]):
        filled |= (frame.iloc[:, i].str.strip() != "").to_numpy(dtype=bool)
        if filled.all():
            return frame
    return frame[filled]


def _parser_reason(exc: Exception) -> str:
    message = str(exc)
    # pandas: "Error tokenizing data. C error: Expected 5 fields in line 7, saw 6"
    if "Expected" in message and "line" in message:
        tail = message.split("C error:")[-1].strip()
        return tail.replace("Expected", "väntade").replace("fields in line", "fält på rad").replace("saw", "fann")
    return message


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _float_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _datetime_text(value: dt.datetime) -> str:
    return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")


# ``_cell_text`` by the exact type of a cell (other types, subclasses included, go to ``_cell_text``).
_TEXT_BY_TYPE: dict[type, Callable[[Any], str]] = {
    str: str.strip, float: _float_text, type(None): lambda _: "", dt.datetime: _datetime_text,
    dt.date: dt.date.isoformat,
}


def _column_text(values: Sequence[object]) -> pa.Array:
    """``_cell_text`` of every cell of a column, as Arrow text; one loop per column of a single type."""
    kinds = set(map(type, values))
    if kinds == {str}:
        texts = [v.strip() for v in cast("Sequence[str]", values)]
    elif kinds == {float}:
        texts = [_float_text(v) for v in cast("Sequence[float]", values)]
    else:
        texts = [_TEXT_BY_TYPE.get(type(v), _cell_text)(v) for v in values]
    return pa.array(texts, type=pa.large_string())


def _read_xlsx(name: str, raw: bytes) -> tuple[list[Sheet], list[Problem]]:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    from jamkoll.ingest.layout import fill_merged_body, find_header, skip_reason

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        return [], [Problem(name, f"Filen kunde inte läsas som XLSX: {exc}")]
    sheets: list[Sheet] = []
    notes: list[str] = []
    for meta in workbook.sheets_metadata:
        sheet_name = meta.name
        hidden = meta.visible != SheetVisibleEnum.Visible
        worksheet = workbook.get_sheet_by_name(sheet_name)
        rows = [] if hidden else worksheet.to_python(skip_empty_area=False)
        # Title rows, merged cells and two-row headers: see jamkoll.ingest.layout.
        layout = None if hidden else find_header(rows, worksheet.merged_cell_ranges or ())
        skipped = skip_reason(sheet_name, hidden, layout, rows[layout.body_start :] if layout else ())
        if skipped:
            notes.append(f"{name} blad {sheet_name}: lästes inte ({skipped}).")
            continue
        if layout is None:
            continue
        merged_body = fill_merged_body(rows, worksheet.merged_cell_ranges or (), layout.body_start)
        body: Sequence[Sequence[object]] = rows[layout.body_start :]
        width = max((len(r) for r in body), default=0)
        if not body or not width:
            continue  # no rows: nothing to read
        # Column by column: cells of a column mostly share a type, so each converts in one pass.
        if any(len(r) < width for r in body):
            body = [[*r, *[None] * (width - len(r))] for r in body]
        texts = {j: _column_text(column) for j, column in enumerate(zip(*body, strict=False))}
        named: list[tuple[str, pa.Array]] = []
        for j, column_text in texts.items():
            heading = layout.header[j] if j < len(layout.header) else ""
            if not heading:
                if not pc.any(pc.not_equal(column_text, "")).as_py():
                    continue  # neither header nor data
                # A column with data but no header is named as pandas names one in a CSV file: the
                # validator refuses it (never dropped), the indicator reader knows R's row names by it.
                heading = f"Unnamed: {j}"
            named.append((heading, column_text))
        if not named:
            continue
        frame = pd.DataFrame({j: pd.array(c, dtype=_STR) for j, (_, c) in enumerate(named)}).set_axis(
            [h for h, _ in named], axis=1)
        frame.index = pd.RangeIndex(layout.body_start + 1, layout.body_start + 1 + len(frame))
        frame = _drop_empty_rows(frame)
        if frame.empty:
            continue
        sheet_notes = [n for n in [layout.note(name, sheet_name)] if n]
        if merged_body:
            sheet_notes.append(f"{name} blad {sheet_name}: {merged_body} sammanfogade cellområden bland raderna "
                               "lästes som om värdet stod i varje cell.")
        sheets.append(Sheet(name, sheet_name, frame, notes=sheet_notes, title=layout.title))
    if not sheets:
        skipped_text = f" ({' '.join(notes)})" if notes else ""
        return [], [Problem(name, f"Filen är tom: inget blad innehåller rader med data.{skipped_text}")]
    sheets[0].notes[:0] = notes
    return sheets, []
