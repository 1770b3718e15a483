"""Turn a sheet of text into a typed table of the data contract, collecting every problem.

Parsing is vectorised over columns and, for every type but free text, done once per
distinct value of a column: dates, numbers, categories and personnummer repeat a lot in
large files, so each distinct value is parsed once and the results are spread back over
the rows by a code per row (see :class:`_Distinct`). Each problem names the file, sheet,
row, column, value and reason, in Swedish.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from jamkoll.ingest.layout import unnamed_label
from jamkoll.ingest.personal_data import (
    contains_personnummer,
    embedded_personnummer_mask,
    is_free_text_header,
    looks_like_contact,
    mask_personnummer,
    personnummer_mask,
)
from jamkoll.ingest.problems import Problem
from jamkoll.ingest.pseudonym import canonical_personnummer
from jamkoll.ingest.readers import Sheet
from jamkoll.ingest.schema import (
    BOOLEAN_ALIASES,
    COMPONENTS,
    COUNTS,
    ENROLMENTS,
    INTERVENTION_NAME_HEADER,
    INTERVENTIONS,
    KNOWN_COMPONENTS,
    MISREGISTERED,
    PARTICIPANTS,
    REFERENCE,
    SEX_ALIASES,
    SEX_LABELS_SV,
    TABLES,
    WIDE,
    Column,
    Table,
    header_index,
    known_headers,
    looks_like_enrolment_data,
    normalise_header,
    value_lookup,
)

TABLE_LABELS_SV = {
    "interventions": "insatser", "participants": "deltagare", "enrolments": "inskrivningar",
    "components": "delinsatser", "counts": "antal", "reference_population": "målgrupp",
    "wide": "bred tabell (en rad per inskrivning)", "budgets": "budgetar",
}


@dataclass
class ParsedSheet:
    """A sheet read as one table of the contract: typed columns plus provenance."""

    sheet: Sheet
    table: Table
    frame: pd.DataFrame  # canonical column names; index = the user's row numbers
    extras: dict[str, pd.Series] = field(default_factory=dict)
    components: dict[str, pd.Series] = field(default_factory=dict)  # wide sheet 0/1 columns
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Interventions of enrolments removed as "felregistrering": the import replaces them too.
    misregistered: set[str] = field(default_factory=set)
    # (intervention, start year) of removed felregistreringar: the import declares them, so that the
    # stored enrolments they correct are replaced.
    misregistered_years: set[tuple[str, int]] = field(default_factory=set)

    def problem(self, reason: str, row: int | None = None, column: Column | str | None = None,
                value: object = None) -> None:
        label = column.label if isinstance(column, Column) else column
        shown = None if value is None or (isinstance(column, Column) and column.type == "personnummer") else str(value)
        self.problems.append(Problem(self.sheet.file, reason, self.sheet.sheet, row, label, shown))


def _keys(*spellings: str) -> set[str]:
    return {normalise_header(s) for s in spellings}


_COMPONENT_KEYS = _keys("component", "delinsats")
_SEX_KEYS = _keys("sex", "kön", "gender")
_INTERVENTION_KEYS = _keys("intervention_id", "insats_id", "insatsid", "insats")
_PERSON_KEYS = _keys("participant_id", "deltagar_id", "deltagarid", "personnummer", "pnr")
_YEAR_KEYS = _keys("year", "år")
_COUNT_KEYS = _keys("participants", "deltagare", "antal_deltagare")
_NAME_KEYS = _keys("name", "namn", "insatsnamn")


def detect_table(sheet: Sheet) -> Table | None:
    """Decide which table of the contract a sheet holds, from its headers, else its name."""
    headers = {normalise_header(h) for h in sheet.frame.columns}
    if headers & _COMPONENT_KEYS:
        return COMPONENTS
    if headers >= _keys("women", "men") or headers >= _keys("kvinnor", "män"):
        return REFERENCE
    if headers & _COUNT_KEYS and headers & _YEAR_KEYS and headers & _SEX_KEYS:
        return COUNTS
    if headers & _INTERVENTION_KEYS and headers & _PERSON_KEYS:
        return WIDE if headers & _SEX_KEYS else ENROLMENTS
    if headers & _SEX_KEYS:
        return PARTICIPANTS
    if headers & _INTERVENTION_KEYS and headers & _NAME_KEYS:
        return INTERVENTIONS
    hint = normalise_header(sheet.name)
    # Longest hints first: "delinsatser" must not be taken for "insatser".
    candidates = sorted(
        ((h, t) for t in (*TABLES.values(), WIDE) for h in t.file_hints), key=lambda ht: -len(ht[0])
    )
    for spelling, table in candidates:
        if normalise_header(spelling) in hint:
            return table
    return None


# --- value parsers: each takes the stripped text column and returns (values, bad mask, reason) ---

ParseResult = tuple[pd.Series, pd.Series, str]


def _map_uniques(text: pd.Series, convert: Callable[[str], object]) -> pd.Series:
    uniques = pd.unique(text)
    mapping = {u: convert(u) for u in uniques}
    return text.map(mapping)


_INVALID = object()
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # A date-time (Excel shows it as a date when formatted so): the date is what the user sees.
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"), "ymd"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "ymd"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})[ -](\d{4})$"), "dmy"),  # Swedish 31/1 2024
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), "dmy"),
)


# Excel stores dates as days since 1899-12-30; a date cell formatted as General (or a CSV saved from
# one) shows that serial number. Five digits are 1927-05-18 to 2173-10-14; other lengths are not read
# as serials (eight digits are ``YYYYMMDD``).
_EXCEL_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date_text(text: str) -> dt.date | None | object:
    if text == "":
        return None
    serial = _EXCEL_SERIAL.match(text)
    if serial:
        return _EXCEL_EPOCH + dt.timedelta(days=int(serial.group(1)))
    for pattern, order in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            a, b, c = (int(g) for g in m.groups())
            y, mo, d = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return _INVALID
    return _INVALID


def parse_dates(text: pd.Series, today: dt.date) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (dates as datetime64, invalid mask, future mask)."""
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    rest = iso.isna() & (text != "")
    if rest.any():
        parsed = _map_uniques(text[rest], parse_date_text)
        bad_rest = parsed.map(lambda v: v is _INVALID).astype(bool)
        iso.loc[rest & ~bad_rest.reindex(text.index, fill_value=False)] = pd.to_datetime(
            parsed[~bad_rest].astype(object)
        )
        bad = bad_rest.reindex(text.index, fill_value=False)
    else:
        bad = pd.Series(False, index=text.index)
    future = iso > pd.Timestamp(today)
    return iso.astype("datetime64[s]"), bad, future.fillna(False)


_SPACES = re.compile(r"[\s\u00a0\u202f']")


def _number_text(value: str) -> str:
    value = _SPACES.sub("", value)
    if "," in value and "." in value:
        # Whichever separator comes last is the decimal mark; the other groups thousands.
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    return value.replace(",", ".").replace("\u2212", "-")


def parse_numbers(text: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Return (numbers, not-a-number mask, not-an-integer-or-negative mask)."""
    cleaned = text
    if cleaned.str.contains(r"[,\s\u00a0\u202f'\u2212]", regex=True).any():
        cleaned = _map_uniques(text, _number_text)
    numbers = pd.to_numeric(cleaned, errors="coerce")
    filled = text != ""
    not_number = filled & numbers.isna()
    wrong = filled & ~not_number & (numbers < 0)
    if integer:
        wrong |= filled & ~not_number & (numbers.fillna(0) % 1 != 0)
        return numbers.astype("Int64") if not (not_number | wrong).any() else numbers, not_number, wrong
    return numbers.astype("float64"), not_number, wrong


def _lookup(aliases: dict[str, object]) -> dict[str, object]:
    return {normalise_header(k): v for k, v in aliases.items()}


_SEX_LOOKUP = _lookup(dict(SEX_ALIASES))
_BOOL_LOOKUP = _lookup(dict(BOOLEAN_ALIASES))


def parse_lookup(text: pd.Series, lookup: dict[str, object], empty: object = None) -> tuple[pd.Series, pd.Series]:
    missing = object()
    values = _map_uniques(text, lambda v: empty if v == "" else lookup.get(normalise_header(v), missing))
    bad = values.map(lambda v: v is missing).astype(bool)
    return values.where(~bad, None), bad


# pandas' default text dtype (Arrow-backed); results of parsing distinct values keep it.
_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def distinct_codes(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """A code per row and the distinct values the codes point at (a missing value is one of them).

    Categorical columns (see :func:`spread_text`) have their codes already; Arrow encodes text
    columns several times faster than ``pd.factorize``, which takes the other columns.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        categories = list(values.cat.categories)
        return np.where(codes < 0, len(categories), codes), [*categories, None]
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        codes, dictionary = _encode_text(values)
        return codes, dictionary.to_pylist()
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.asarray(codes), list(uniques)


def spread_text(values: pd.Series | list[Any], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """A text column from distinct ``values`` (repeats and missing ones allowed) and a code per row.

    The column is categorical: a small code per row instead of a copy of the text per row, which
    is much faster to build for a large file, and stored as such (DuckDB reads it as text).
    """
    value_codes, categories = pd.factorize(pd.Series(values, dtype=object))
    return pd.Series(pd.Categorical.from_codes(value_codes[codes], categories=categories), index=index)


def _encode_text(values: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Dictionary-encode an Arrow-backed text column: codes per row, and the dictionary."""
    arrow = pa.array(values, from_pandas=True)
    if isinstance(arrow, pa.ChunkedArray):
        if arrow.num_chunks == 0:
            return np.zeros(0, dtype=np.int32), pa.array([], type=arrow.type)
        encoded = arrow.dictionary_encode(null_encoding="encode")
        # Arrow encodes all chunks against one growing dictionary: the last chunk's holds every value.
        dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
        codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks])
        return codes, dictionary
    encoded_array = arrow.dictionary_encode(null_encoding="encode")
    return encoded_array.indices.to_numpy(zero_copy_only=False), encoded_array.dictionary


class _Distinct:
    """A column's cells as distinct stripped values (``values``) and a code per row (``codes``).

    The parsers below are elementwise, so parsing ``values`` and spreading the results over the
    rows with :meth:`rows` gives what parsing every row would, and the same problems, at the cost
    of the distinct values only. The column is encoded before stripping (distinct raw cells are
    few too); cells that strip to the same text just share a parse result.
    """

    def __init__(self, raw: pd.Series):
        self.index = raw.index
        # ``astype(str)`` as the row-by-row parser had it; a no-op for the reader's text columns.
        codes, dictionary = _encode_text(raw.astype(str))
        self.codes: np.ndarray = codes
        self.values: pd.Series = pd.Series(pd.array(dictionary, dtype=_STR)).str.strip()

    def rows(self, per_value: pd.Series) -> pd.Series:
        """Spread a result per distinct value over the rows: text as a categorical column (see
        :func:`spread_text`), other results (dates, numbers, flags) in their own dtype."""
        if per_value.dtype == object or isinstance(per_value.dtype, pd.StringDtype):
            return spread_text(per_value, self.codes, self.index)
        return per_value.take(self.codes).set_axis(self.index)

    def mask(self, per_value: pd.Series) -> np.ndarray:
        """A boolean mask per distinct value, as a mask over the rows."""
        if not len(self.codes):
            return np.zeros(0, dtype=bool)
        return per_value.to_numpy(dtype=bool)[self.codes]


def parse_sheet(sheet: Sheet, table: Table, today: dt.date) -> ParsedSheet:
    """Map headers, parse every column by its type and collect the problems of the sheet."""
    index = header_index(table)
    raw = sheet.frame
    parsed = ParsedSheet(sheet, table, pd.DataFrame(index=raw.index))
    parsed.warnings += sheet.notes
    mapped: dict[str, str] = {}
    unknown: list[str] = []
    left_out: list[str] = []
    for header in raw.columns:
        key = normalise_header(header)
        name = index.get(key)
        if contains_personnummer(str(header)):
            parsed.problem(
                "Rubriken ser ut som ett personnummer: bladet verkar sakna rubrikrad, eller så innehåller en "
                "rubrik ett personnummer. Skriv rubrikerna enligt dataformatet på första raden.", column=header)
            continue
        if name is None:
            if table is WIDE and (key in {normalise_header(c) for c in KNOWN_COMPONENTS}):
                parsed.components[next(c for c in KNOWN_COMPONENTS if normalise_header(c) == key)] = raw[header]
            elif header and (is_free_text_header(header) or looks_like_contact(raw[header].head(200))):
                left_out.append(header)  # names, contact details and notes stay out of the store
            elif header:
                unknown.append(header)
            continue
        if name in mapped:
            weak = normalise_header(INTERVENTION_NAME_HEADER)
            if name == "intervention_id" and weak in (key, normalise_header(mapped[name])):
                # "Insats" beside "insats_id" names the intervention that the id already gives.
                dropped = header if key == weak else mapped[name]
                mapped[name] = mapped[name] if key == weak else header
                parsed.warnings.append(f"{_where(sheet)}: kolumnen {dropped!r} läses inte: insatsen anges redan "
                                       f"i kolumnen {mapped[name]!r}.")
                continue
            parsed.problem(f"Kolumnen finns två gånger (även som {mapped[name]!r}).", column=header)
            continue
        mapped[name] = header
    _unknown_columns(parsed, unknown)
    for header in unknown:  # personnummer outside the personnummer column: refused wherever they are
        refuse_personnummer(parsed, header, embedded_personnummer_mask(raw[header]))
    if left_out:
        where = mask_personnummer(f"{sheet.file}{' blad ' + sheet.sheet if sheet.sheet else ''}")
        parsed.warnings.append(
            f"{where}: kolumnerna {mask_personnummer(', '.join(repr(h) for h in left_out))} ser ut att innehålla "
            "namn, kontaktuppgifter eller fritext och har inte lästs in. Sådana uppgifter sparas inte i "
            "analysdatabasen; ta bort kolumnerna ur filen för att slippa den här varningen."
        )
    for col in table.columns:
        if col.required and col.name not in mapped:
            alternatives = " eller ".join(repr(h) for h in (col.name, *col.swedish))
            parsed.problem(f"Obligatorisk kolumn saknas (rubriken ska vara {alternatives}).", column=col)
    if table in (PARTICIPANTS, WIDE, ENROLMENTS) and not ({"participant_id", "personnummer"} & mapped.keys()):
        parsed.problem("Kolumn för deltagare saknas: ange 'deltagar_id' eller 'personnummer'.",
                       column="deltagar_id / personnummer")
    for name, header in mapped.items():
        _parse_column(parsed, table.column(name), raw[header], today)
    for component, values in parsed.components.items():
        cells = _Distinct(values)
        refuse_personnummer(parsed, component, cells.mask(pd.Series(personnummer_mask(cells.values))))
        flags, bad = parse_lookup(cells.values, _BOOL_LOOKUP, empty=False)
        _report(parsed, cells.mask(bad), Column(component, (component,), "boolean"), values,
                "Ska vara 1/0 (ja/nej) för om delinsatsen gavs.")
        parsed.components[component] = cells.rows(flags.fillna(False).astype(bool))
    if "start_date" in parsed.frame and "end_date" in parsed.frame:
        before = parsed.frame["end_date"] < parsed.frame["start_date"]
        end_col = table.column("end_date")
        _report(parsed, before.fillna(False).to_numpy(dtype=bool), end_col, raw[mapped["end_date"]],
                "Slutdatum ligger före startdatum.")
    if "exit_reason" in parsed.frame:
        _exit_reasons(parsed)
    return parsed


def _where(sheet: Sheet) -> str:
    return f"{sheet.file}{' blad ' + sheet.sheet if sheet.sheet else ''}"


# Tables whose unknown columns are kept (as background variables of participants or enrolments).
_KEEPS_EXTRAS = ("participants", "enrolments", "wide")
# Tables in which an unknown column that looks like enrolment data is refused.
_REFUSES_ENROLMENT_LIKE = ("participants", "enrolments", "wide", "counts")


def _unknown_columns(parsed: ParsedSheet, headers: list[str]) -> None:
    """Decide, for each column the table does not know, whether it is kept, refused or left unused.

    Nothing is dropped without a word: a column with data but no header, and a column whose header
    says it holds enrolment data (dates, exit, income support: :func:`looks_like_enrolment_data`), are
    refused with the remedy; a header of another table of the contract is named as not used here; any
    other column of participants and enrolments is kept as an optional background variable, and in
    the other tables named as not used.
    """
    sheet, table = parsed.sheet, parsed.table
    raw = sheet.frame
    others = known_headers()
    kept: list[str] = []
    unused: list[str] = []
    for header in headers:
        key = normalise_header(header)
        if unnamed_label(header):
            parsed.problem("Kolumnen har ingen rubrik men innehåller data. Skriv en rubrik enligt dataformatet "
                           "eller ta bort kolumnen.", column=unnamed_label(header))
        elif key in others and table.name in _REFUSES_ENROLMENT_LIKE and looks_like_enrolment_data(header):
            home = _home_table(key)
            parsed.problem(
                f"Kolumnen hör till tabellen {home}, inte till {TABLE_LABELS_SV.get(table.name, table.name)}, och "
                "kan inte användas här. Flytta den till ett blad för den tabellen, eller lägg till kolumnerna "
                "insats_id och deltagar_id (eller personnummer) i bladet så läses det som en bred tabell med en "
                "rad per inskrivning.", column=header)
        elif key in others:
            unused.append(header)
            if table.name in _KEEPS_EXTRAS:
                parsed.extras[header] = raw[header].str.strip()
        elif table.name in _REFUSES_ENROLMENT_LIKE and looks_like_enrolment_data(header):
            parsed.problem(
                "Kolumnen ser ut att innehålla uppgifter om inskrivningen (datum, avslut, försörjning eller "
                "sysselsättning) men motsvarar ingen kolumn i dataformatet, så den kan inte användas. Byt "
                "rubriken till dataformatets (t.ex. inskrivningsdatum, avslutsdatum, avslutsanledning, "
                "försörjning_vid_start, försörjning_vid_avslut, status_efter_avslut; se mallen från "
                "'jamkoll template') eller ta bort kolumnen.", column=header)
        elif table.name in _KEEPS_EXTRAS:
            kept.append(header)
            parsed.extras[header] = raw[header].str.strip()
        else:
            unused.append(header)
    if kept:
        parsed.warnings.append(
            f"{_where(sheet)}: okända kolumner behålls som valfria bakgrundsvariabler: {', '.join(kept)}."
        )
    if unused:
        label = TABLE_LABELS_SV.get(table.name, table.name)
        fate = "sparas som bakgrundsvariabler" if table.name in _KEEPS_EXTRAS else "används inte och sparas inte"
        parsed.warnings.append(
            f"{_where(sheet)}: kolumnerna {', '.join(unused)} hör inte till tabellen {label} och {fate}."
        )


def _home_table(key: str) -> str:
    """The Swedish name of the table(s) of the contract that know a header (normalised)."""
    homes = [TABLE_LABELS_SV[t.name] for t in TABLES.values() if key in header_index(t)]
    return " eller ".join(homes) or "?"


def _exit_reasons(parsed: ParsedSheet) -> None:
    """Remove enrolments whose exit reason is "felregistrering" (they never happened), and keep the
    exit reason of the others as a stored value of the enrolment ("avslutsanledning")."""
    reasons = parsed.frame.pop("exit_reason")
    wrong = (reasons.astype(object) == MISREGISTERED).fillna(False).to_numpy(dtype=bool)
    if wrong.any():
        rows = parsed.frame.index[wrong]
        keep = ~wrong
        if "intervention_id" in parsed.frame:
            parsed.misregistered |= {str(i) for i in parsed.frame["intervention_id"][wrong].dropna()}
            if "start_date" in parsed.frame:
                starts = pd.to_datetime(parsed.frame["start_date"][wrong], errors="coerce")
                parsed.misregistered_years |= {(str(i), int(d.year)) for i, d in
                                               zip(parsed.frame["intervention_id"][wrong], starts, strict=True)
                                               if pd.notna(i) and pd.notna(d)}
        parsed.frame = parsed.frame.loc[keep]
        reasons = reasons.loc[keep]
        parsed.components = {k: v.loc[keep] for k, v in parsed.components.items()}
        parsed.extras = {k: v.loc[keep] for k, v in parsed.extras.items()}
        shown = ", ".join(str(r) for r in rows[:20]) + (" …" if len(rows) > 20 else "")
        parsed.warnings.append(
            f"{_where(parsed.sheet)}: {len(rows)} inskrivningar med avslutsanledning Felregistrering togs bort "
            f"(rad {shown}). De räknas inte, och eftersom importen ersätter insatsens inskrivningar försvinner de "
            "också ur databasen om de har importerats tidigare."
        )
    parsed.extras["avslutsanledning"] = reasons.astype(object).where(reasons.notna(), "").astype(str)


def _report(parsed: ParsedSheet, mask: np.ndarray, col: Column, values: pd.Series | _Distinct,
            reason: str) -> None:
    """One problem per marked row, in row order; ``values`` gives the cell shown for each."""
    positions = np.flatnonzero(mask)
    if not len(positions):
        return
    rows = parsed.frame.index.to_numpy()[positions].tolist()
    if isinstance(values, _Distinct):
        shown = values.values.to_numpy(dtype=object)[values.codes[positions]].tolist()
    else:
        shown = values.to_numpy(dtype=object)[positions].tolist()
    for row, value in zip(rows, shown, strict=True):
        parsed.problem(reason, row=int(row), column=col, value=value)


# Tables whose dates record what happened, so cannot lie in the future.
_NO_FUTURE = ("enrolments", "wide", "components")
# A kommunkod typed as a number loses its leading zero (0180 → 180); "0180 Stockholm" carries its name.
_MUNICIPALITY = re.compile(r"^(\d{3,4})(?:\s+\D.*)?$")


def _municipality_code(text: str) -> str:
    m = _MUNICIPALITY.match(text)
    return m.group(1).zfill(4) if m else text


def _personnummer(text: str, today: dt.date) -> str | None:
    """The canonical personnummer of a cell, or "" when invalid. A 10-digit number typed into Excel as a
    number loses a leading zero (born 2000-2009: 0501011234 → 501011234); the zero is put back and the
    checksum decides."""
    if text == "":
        return None
    if text.isdigit() and len(text) == 9:
        text = "0" + text
    return canonical_personnummer(text, today) or ""


def refuse_personnummer(parsed: ParsedSheet, column: Column | str, rows: np.ndarray) -> None:
    """One problem for a column that holds personnummer outside the personnummer column (the
    numbers themselves are never shown)."""
    hits = int(np.count_nonzero(rows))
    if not hits:
        return
    first = int(parsed.frame.index[int(np.argmax(rows))])
    where = f"på {hits} {'rad' if hits == 1 else 'rader'} (första: rad {first})"
    if isinstance(column, Column) and column.name == "participant_id":
        reason = (
            f"Deltagar-id:t är ett personnummer {where}. Ett deltagar-id får inte vara ett personnummer: lägg "
            "personnumren i en kolumn med rubriken 'personnummer' (då pseudonymiseras de vid importen och "
            "sparas aldrig) eller använd ett eget löpnummer."
        )
    else:
        reason = (
            f"Kolumnen innehåller personnummer {where}. Personnummer får bara finnas i kolumnen "
            "'personnummer', där de pseudonymiseras vid importen; ta bort dem ur den här kolumnen (eller döp "
            "om den till 'personnummer' om det är den) och försök igen."
        )
    parsed.problem(reason, row=first, column=column)


def _parse_column(parsed: ParsedSheet, col: Column, raw: pd.Series, today: dt.date) -> None:
    out = parsed.frame
    if col.type == "text":
        # Identifiers and free text are mostly distinct: handle them as whole columns.
        # Identifiers and free text: a personnummer may also hide inside one ("P-199001011234").
        refuse_personnummer(parsed, col, embedded_personnummer_mask(raw))
        text = raw.astype(str).str.strip()
        if col.name == "municipality_code":
            text = _map_uniques(text, _municipality_code)
        empty = (text == "").to_numpy(dtype=bool)
        if col.required:
            _report(parsed, empty, col, text, "Värde saknas i en obligatorisk kolumn.")
        out[col.name] = text.where(~empty, None)
        return
    cells = _Distinct(raw)
    if col.type != "personnummer":
        refuse_personnummer(parsed, col, cells.mask(pd.Series(personnummer_mask(cells.values))))
    if col.required and col.type != "sex":  # an empty sex is the contract's "unknown"
        _report(parsed, cells.mask(cells.values == ""), col, cells, "Värde saknas i en obligatorisk kolumn.")
    if col.type == "date":
        values, bad, future = parse_dates(cells.values, today)
        _report(parsed, cells.mask(bad), col, cells, "Ogiltigt datum; skriv till exempel 2024-01-31 eller 31/1 2024.")
        if parsed.table.name in _NO_FUTURE:  # an intervention's planned end date may lie ahead
            _report(parsed, cells.mask(future), col, cells, f"Datumet ligger i framtiden (efter {today.isoformat()}).")
        out[col.name] = cells.rows(values)
    elif col.type in ("number", "integer"):
        values, not_number, wrong = parse_numbers(cells.values, integer=col.type == "integer")
        _report(parsed, cells.mask(not_number), col, cells, "Ska vara ett tal men innehåller text.")
        kind = "ett heltal som inte är negativt" if col.type == "integer" else "ett tal som inte är negativt"
        _report(parsed, cells.mask(wrong), col, cells, f"Ska vara {kind}.")
        out[col.name] = cells.rows(values)
    elif col.type == "sex":
        values, bad = parse_lookup(cells.values, _SEX_LOOKUP, empty="unknown")
        allowed = "K/kvinna, M/man, A/annat eller tomt/okänt"
        _report(parsed, cells.mask(bad), col, cells, f"Okänt värde för kön. Tillåtna värden: {allowed}.")
        column = out[col.name] = cells.rows(values)
        unknown = int((column == "other").sum() + (column == "unknown").sum())
        if unknown:
            parsed.warnings.append(
                f"{parsed.sheet.file}: {unknown} rader med {SEX_LABELS_SV['other']} eller "
                f"{SEX_LABELS_SV['unknown']} behålls och redovisas under röjandekontroll."
            )
    elif col.type == "category":
        lookup = value_lookup(col)
        values, bad = parse_lookup(cells.values, dict(lookup))
        _report(parsed, cells.mask(bad), col, cells, f"Okänt värde. Tillåtna värden: {', '.join(col.categories)}.")
        out[col.name] = cells.rows(values)
        _note_aliases(parsed, col, cells, values, bad)
    elif col.type == "boolean":
        values, bad = parse_lookup(cells.values, _BOOL_LOOKUP)
        _report(parsed, cells.mask(bad), col, cells, "Ska vara ja/nej (1/0).")
        out[col.name] = cells.rows(values.astype("boolean"))
    elif col.type == "personnummer":
        canon = _map_uniques(cells.values, lambda v: _personnummer(v, today))
        bad = (canon == "").fillna(False).astype(bool)
        _report(parsed, cells.mask(bad), col, cells,
                "Ogiltigt personnummer: kontrollsiffran eller datumet stämmer inte (värdet visas inte).")
        # The canonical number lives only in memory until the importer has pseudonymised it.
        out[col.name] = cells.rows(canon.where(~bad, None))


def _note_aliases(parsed: ParsedSheet, col: Column, cells: _Distinct, values: pd.Series, bad: pd.Series) -> None:
    """Say in the report which values were read through a code list (e.g. SUS's labels), and as what."""
    codes = {normalise_header(c) for c in col.categories}
    counts = np.bincount(cells.codes, minlength=len(cells.values)) if len(cells.codes) else np.zeros(0, int)
    read: list[str] = []
    for i, (text, value, wrong) in enumerate(zip(cells.values, values, bad, strict=True)):
        if wrong or text == "" or normalise_header(text) in codes or not counts[i]:
            continue
        shown = "tomt (okänt)" if value is None or (isinstance(value, float) and np.isnan(value)) else repr(value)
        read.append(f"{text!r} → {shown} ({counts[i]} rader)")
    if read:
        parsed.warnings.append(f"{_where(parsed.sheet)}, kolumn {col.label}: lästes enligt kodlistan: "
                               f"{'; '.join(read)}.")
