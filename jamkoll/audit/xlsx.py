"""Read a report workbook (``jamkoll report --format xlsx``) into facts, as a reader of the file would.

Layout (see ``jamkoll/reports/excel.py``): the first sheet is "Om rapporten" with label/value rows (``År``,
``Insats``); every other sheet holds one table: title on row 1, header on row 3, data rows until the first
empty row, then the note. Hidden cells are the text ``..``. Tables are recognised by their header:

* *sex count tables*: columns ``Kvinnor``, ``Män``, (``Annat kön``, ``Okänt kön``), ``Totalt`` and maybe
  ``Andel kvinnor (%)`` (women / (women + men)); the first column says what the rows are (interventions,
  years, an age band, a component, an outcome ...). A ``Totalt`` row is the sum of the rows above,
  except in participants by intervention, where it counts each person once (:data:`COMPARED`).
* *comparison tables*: ``Antal kvinnor``/``Antal män`` (rounded to tens when the note says so),
  ``Kvinnor (%)``/``Män (%)`` (rates), ``Skillnad (procentenheter)`` and ``95 % KI``; or
  ``Andel kvinnor (%)`` for participation.
* the year-on-year table (``Kvinnor som deltog``, ``Män som deltog``).

Every string cell (notes, the about sheet, findings) becomes a ``text`` fact, scanned for counts.
The stored value is what is published: a float stored with all its binary digits is read with
``decimals=None`` (full precision), whatever the number format shows.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from jamkoll.audit.facts import ALL, MEASURES, SUM, CellId, Fact, Published, SumRelation
from jamkoll.audit.labels import (
    CATEGORY_DIMENSIONS,
    COMPARISON_HEADERS,
    SEX_COLUMNS,
    SHARE_OF_WOMEN,
    TOTAL_LABELS,
    canon,
    category,
    intervention_code,
)

__all__ = ["COMPARED", "decimals_of", "read_xlsx", "scan_xlsx_names", "total_scope"]

HEADER_ROW = 3
MARKERS = frozenset({"..", "…"})
MISSING = frozenset({"–", "-", "—", ""})
_YEAR = re.compile(r"^(19|20)\d\d$")
_CI = re.compile(r"^\s*([+−-]?[\d\s\xa0]+(?:,\d+)?)\s+(?:till|to)\s+([+−-]?[\d\s\xa0]+(?:,\d+)?)\s*$")
_ROUNDED_TENS = ("avrundade till tiotal", "rounded to tens")
_ALL_INTERVENTIONS = frozenset({"alla insatser", "all interventions"})


def decimals_of(value: float, number_format: str | None = None, max_decimals: int = 6) -> int | None:
    """Printed precision of a stored number: the decimals of its shortest exact representation
    (``None``: full binary precision, more than ``max_decimals``), but at least what the number
    format shows (a share 50 in format ``0.0`` is known to one decimal)."""
    shown = 0
    if number_format and number_format != "General":
        first = number_format.split(";")[0]
        shown = len(first.split(".", 1)[1].rstrip("%")) if "." in first else 0
    digits = stored_decimals(value)
    if digits is None or digits > max_decimals:
        return None
    return max(digits, shown)


def stored_decimals(value: float) -> int | None:
    """Decimals of the shortest representation that reads back as exactly ``value``."""
    if not math.isfinite(value):
        return None
    text = repr(float(value))
    if "e" in text or "E" in text:
        mantissa, exponent = text.lower().split("e")
        frac = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
        return max(0, frac - int(exponent))
    frac_part = text.split(".", 1)[1] if "." in text else ""
    return 0 if frac_part in ("", "0") else len(frac_part)


class _Context:
    def __init__(self, source: str, year: str, scope: str, names: dict[str, str]) -> None:
        self.source = source
        self.year = year
        self.scope = scope  # intervention code, or "*" for the association's report
        self.names = names
        self.facts: list[Fact] = []
        self.sums: list[SumRelation] = []

    @property
    def overall(self) -> bool:
        return self.scope == ALL

    def loc(self, ws: Worksheet, row: int, col: int) -> str:
        return f"{ws.title}!{_col_letter(col)}{row}"

    def add(self, **kwargs: Any) -> None:
        self.facts.append(Fact(source=self.source, **kwargs))


def _col_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def scan_xlsx_names(path: Path) -> dict[str, str]:
    """Intervention names -> codes found in a workbook (``INS01 Steg till arbete``, ``Steg till arbete (INS01)``)."""
    wb = load_workbook(path, read_only=True, data_only=True)
    names: dict[str, str] = {}
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, str):
                        m = re.match(r"^(INS\d+)\s+(.+)$", value.strip()) or re.match(
                            r"^(.+?)\s*\((INS\d+)\)$", value.strip())
                        if m:
                            code, name = (m.group(1), m.group(2)) if value.strip().startswith("INS") else (
                                m.group(2), m.group(1))
                            names[canon(name)] = code
    finally:
        wb.close()
    return names


def read_xlsx(path: Path, names: dict[str, str] | None = None) -> Published:
    """All facts of one report workbook. ``names`` maps intervention names to codes (see
    :func:`scan_xlsx_names`; names in this workbook are added)."""
    known = {**scan_xlsx_names(path), **(names or {})}
    wb = load_workbook(path, data_only=True)
    sheets = wb.worksheets
    year, scope = _about(sheets[0], known)
    ctx = _Context(path.name, year, scope, known)
    for ws in sheets:
        _texts(ws, ctx)
    for ws in sheets[1:]:
        _table(ws, ctx)
    return Published(ctx.facts, ctx.sums)


def _about(ws: Worksheet, names: dict[str, str]) -> tuple[str, str]:
    year, scope = ALL, ALL
    for row in ws.iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        label = canon(row[0])
        value = row[1] if len(row) > 1 else None
        if label in ("år", "year") and value is not None:
            year = str(value).strip()
        elif label in ("insats", "intervention") and value is not None:
            scope = intervention_code(value, names) or canon(value)
    return year, scope


def _texts(ws: Worksheet, ctx: _Context) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() not in MARKERS | MISSING:
                ctx.add(location=ctx.loc(ws, cell.row, cell.column), kind="text", value=None,
                        text=cell.value)


def _table(ws: Worksheet, ctx: _Context) -> None:
    header = [canon(c.value) if c.value is not None else "" for c in ws[HEADER_ROW]]
    if not header or not header[0]:
        return
    rows: list[tuple[int, list[Any]]] = []
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        cells = [ws.cell(row=r, column=c) for c in range(1, len(header) + 1)]
        if all(c.value is None for c in cells):
            break
        rows.append((r, cells))
    note = " ".join(str(c.value) for row in ws.iter_rows(min_row=HEADER_ROW + len(rows) + 1)
                    for c in row if isinstance(c.value, str)).casefold()
    title = canon(ws.cell(row=1, column=1).value or "")
    if (("kvinnor" in header and "män" in header) or ("women" in header and "men" in header)) and (
        header[0] in CATEGORY_DIMENSIONS
    ):
        _sex_table(ws, ctx, header, rows)
    elif any(h in COMPARISON_HEADERS for h in header):
        _comparison_table(ws, ctx, header, rows, note, title)
    elif header[0] in ("mått", "measure"):
        _year_on_year(ws, ctx, header, rows, note)


def _number(cell: Any) -> float | None:
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _row_cells(ctx: _Context, dimension: str, measure: str, label: object,
               years_in_table: list[str]) -> tuple[str, str, str] | None:
    """(year, intervention, category) of a row of a sex count table."""
    text = canon(label)
    is_total = text in TOTAL_LABELS
    if dimension == "intervention":
        if is_total:  # the association (each person once) or the sum over the interventions of this report
            return ctx.year, total_scope(measure) if ctx.overall else ctx.scope, ALL
        code = intervention_code(label, ctx.names)
        return (ctx.year, code, ALL) if code else None
    scope = ctx.scope if not ctx.overall else ALL
    if dimension == "year":
        # the association's persons of each year, each once (as the total row of participants by
        # intervention): not the sum over the interventions, where a person in two counts twice
        scope = ctx.scope if not ctx.overall else COMPARED
        if is_total:
            return (f"{min(years_in_table)}-{max(years_in_table)}" if years_in_table else ALL), scope, ALL
        return (str(label).strip(), scope, ALL) if _YEAR.match(str(label).strip()) else None
    return ctx.year, scope, category(dimension, label, ctx.year)


#: The association's persons, each counted once, with the people of interventions that report head
#: counts only: the population of the association-wide participation comparison, which the total row
#: of participants by intervention publishes too (the same people, so the same published value).
COMPARED = "compared"


def total_scope(measure: str) -> str:
    """What the total row of a table by intervention counts: for persons, each person once (the
    comparison's population, :data:`COMPARED`, which is no sum of the interventions' cells); for
    additive measures the sum over the interventions (``+``)."""
    known = MEASURES.get(measure)
    return SUM if known is not None and known.additive else COMPARED


def _sex_table(ws: Worksheet, ctx: _Context, header: list[str], rows: list[tuple[int, list[Any]]]) -> None:
    measure, dimension = CATEGORY_DIMENSIONS.get(header[0], (f"table:{canon(ws.title)}", "row"))
    years = [str(c[0].value).strip() for _, c in rows if _YEAR.match(str(c[0].value).strip())]
    row_cells: list[tuple[int, list[Any], tuple[str, str, str]]] = []
    for r, cells in rows:
        where = _row_cells(ctx, dimension, measure, cells[0].value, years)
        if where is not None:
            row_cells.append((r, cells, where))
    for r, cells, (year, intervention, cat) in row_cells:
        base = CellId(measure, year, intervention, ALL, cat)
        for j, name in enumerate(header):
            cell = cells[j]
            if name in SEX_COLUMNS:
                _count(ws, ctx, cell, base.with_(sex=SEX_COLUMNS[name]), r, j + 1)
            elif name in SHARE_OF_WOMEN:
                value = _number(cell)
                if value is None and str(cell.value).strip() not in MARKERS:
                    continue
                ctx.add(location=ctx.loc(ws, r, j + 1), kind="share", value=value,
                        cell=base.with_(sex="women"),
                        decimals=None if value is None else decimals_of(value, cell.number_format),
                        denominator=(base.with_(sex="women"), base.with_(sex="men")))
    # the table's own margin: a total row is the sum of the rows above it, unless it counts persons
    # once over the interventions (then it is the association's cell, which is no sum of them)
    totals = [rc for rc in row_cells if canon(rc[1][0].value) in TOTAL_LABELS]
    parts = [rc for rc in row_cells if canon(rc[1][0].value) not in TOTAL_LABELS]
    if totals and parts and not (dimension == "intervention" and totals[0][2][1] == COMPARED):
        for j, name in enumerate(header):
            if name not in SEX_COLUMNS:
                continue
            sex = SEX_COLUMNS[name]
            total_cell = _cell(measure, totals[0][2], sex)
            part_cells = [_cell(measure, p[2], sex) for p in parts]
            ctx.sums.append(SumRelation(total_cell, tuple(part_cells), ctx.source,
                                        f"{ws.title}!{_col_letter(j + 1)}"))


def _cell(measure: str, where: tuple[str, str, str], sex: str) -> CellId:
    year, intervention, cat = where
    return CellId(measure, year, intervention, sex, cat)


def _count(ws: Worksheet, ctx: _Context, cell: Any, cell_id: CellId, r: int, c: int,
           uncertainty: float = 0.0) -> None:
    value = _number(cell)
    text = str(cell.value).strip() if cell.value is not None else ""
    if value is None and text not in MARKERS:
        return
    ctx.add(location=ctx.loc(ws, r, c), kind="count", value=value, cell=cell_id,
            decimals=None if value is None else decimals_of(value, cell.number_format),
            uncertainty=uncertainty if value is not None else 0.0)


def _ci(text: object) -> tuple[float, float, int] | None:
    match = _CI.match(str(text or ""))
    if not match:
        return None
    parts = []
    for raw in match.groups():
        cleaned = raw.replace("−", "-").replace("\xa0", "").replace(" ", "").replace(",", ".")
        parts.append(cleaned)
    decimals = len(parts[0].split(".", 1)[1]) if "." in parts[0] else 0
    return float(parts[0]), float(parts[1]), decimals


def _comparison_table(ws: Worksheet, ctx: _Context, header: list[str], rows: list[tuple[int, list[Any]]],
                      note: str, title: str) -> None:
    cols = {COMPARISON_HEADERS[h]: j for j, h in enumerate(header) if h in COMPARISON_HEADERS}
    share_col = next((j for j, h in enumerate(header) if h in SHARE_OF_WOMEN), None)
    rounded = 5.0 if any(s in note for s in _ROUNDED_TENS) else 0.0
    label_cols = [j for j, h in enumerate(header) if h in CATEGORY_DIMENSIONS]
    intervention_col = next((j for j in label_cols if CATEGORY_DIMENSIONS[header[j]][1] == "intervention"), None)
    item_col = next((j for j in label_cols if CATEGORY_DIMENSIONS[header[j]][1] in ("component", "outcome")),
                    None)
    for r, cells in rows:
        if intervention_col is not None:
            label = cells[intervention_col].value
            if canon(label) in _ALL_INTERVENTIONS:
                scope = ALL
            else:
                code = intervention_code(label, ctx.names)
                if code is None:
                    continue
                scope = code
        else:
            scope = ALL if ctx.overall else ctx.scope
            if any(canon(a) in title for a in _ALL_INTERVENTIONS):
                scope = ALL
        if share_col is not None and item_col is None:
            _participation_row(ws, ctx, cells, r, cols, share_col, scope, rounded)
        elif item_col is not None and "rate_women" in cols:
            measure, dimension = CATEGORY_DIMENSIONS[header[item_col]]
            _rate_row(ws, ctx, cells, r, cols, measure, category(dimension, cells[item_col].value), scope,
                      rounded)
        elif "mean_women" in cols:
            _mean_row(ws, ctx, cells, r, cols)


def _participation_row(ws: Worksheet, ctx: _Context, cells: list[Any], r: int, cols: dict[str, int],
                       share_col: int, scope: str, rounded: float) -> None:
    # "Alla insatser" in the participation table is not a cell of the other tables (only the
    # interventions that were compared): its own identity, linked to nothing else.
    intervention = scope if scope != ALL else COMPARED
    base = CellId("participants", ctx.year, intervention, ALL, ALL)
    for key, sex in (("n_women", "women"), ("n_men", "men")):
        if key in cols:
            _count(ws, ctx, cells[cols[key]], base.with_(sex=sex), r, cols[key] + 1, rounded)
    value = _number(cells[share_col])
    if value is not None or str(cells[share_col].value).strip() in MARKERS:
        ctx.add(location=ctx.loc(ws, r, share_col + 1), kind="share", value=value,
                cell=base.with_(sex="women"),
                decimals=None if value is None else decimals_of(value, cells[share_col].number_format),
                denominator=(base.with_(sex="women"), base.with_(sex="men")))


def _rate_row(ws: Worksheet, ctx: _Context, cells: list[Any], r: int, cols: dict[str, int], measure: str,
              cat: str, scope: str, rounded: float) -> None:
    den_measure = "enrolments" if measure == "components" else measure  # the gate counts enrolments
    num = {s: CellId(measure, ctx.year, scope, s, cat) for s in ("women", "men")}
    den = {s: CellId(den_measure, ctx.year, scope, s, ALL) for s in ("women", "men")}
    for key, sex in (("n_women", "women"), ("n_men", "men")):
        if key in cols:
            _count(ws, ctx, cells[cols[key]], den[sex], r, cols[key] + 1, rounded)
    for key, sex in (("rate_women", "women"), ("rate_men", "men")):
        if key not in cols:
            continue
        cell = cells[cols[key]]
        value = _number(cell)
        if value is None and str(cell.value).strip() not in MARKERS:
            continue
        ctx.add(location=ctx.loc(ws, r, cols[key] + 1), kind="rate", value=value, cell=num[sex],
                decimals=None if value is None else decimals_of(value, cell.number_format),
                denominator=(den[sex],))
    pair = {"cell": num["women"], "denominator": (den["women"],), "other": num["men"],
            "other_denominator": (den["men"],)}
    if "difference" in cols:
        cell = cells[cols["difference"]]
        value = _number(cell)
        if value is not None:
            ctx.add(location=ctx.loc(ws, r, cols["difference"] + 1), kind="difference", value=value,
                    decimals=decimals_of(value, cell.number_format), **pair)
    if "ratio" in cols:
        cell = cells[cols["ratio"]]
        value = _number(cell)
        if value is not None:
            ctx.add(location=ctx.loc(ws, r, cols["ratio"] + 1), kind="ratio", value=value,
                    decimals=decimals_of(value, cell.number_format), scale=1.0, **pair)
    if "ci" in cols:
        parsed = _ci(cells[cols["ci"]].value)
        if parsed is not None:
            low, high, decimals = parsed
            for kind, value in (("ci_low", low), ("ci_high", high)):
                ctx.add(location=ctx.loc(ws, r, cols["ci"] + 1), kind=kind, value=value, decimals=decimals,
                        **pair)


def _mean_row(ws: Worksheet, ctx: _Context, cells: list[Any], r: int, cols: dict[str, int]) -> None:
    for key in ("mean_women", "mean_men"):
        if key in cols:
            value = _number(cells[cols[key]])
            if value is not None:
                ctx.add(location=ctx.loc(ws, r, cols[key] + 1), kind="mean", value=value,
                        decimals=decimals_of(value, cells[cols[key]].number_format))


def _year_on_year(ws: Worksheet, ctx: _Context, header: list[str], rows: list[tuple[int, list[Any]]],
                  note: str) -> None:
    rounded = 5.0 if any(s in note for s in _ROUNDED_TENS) else 0.0
    years: dict[int, str] = {}
    for j, h in enumerate(header[1:], start=1):
        if _YEAR.match(h):
            years[j] = h
        elif h in ("i år", "this year"):
            years[j] = ctx.year
    # Not the cells of the year table: the demo's 2024 report says 667 women took part in 2023 here
    # and 661 in its year table. A careful reader links this table only to itself, year to year.
    scope = SUM if ctx.overall else ctx.scope
    measure = "participants_year_on_year"
    sexes = {"kvinnor som deltog": "women", "män som deltog": "men", "women who took part": "women",
             "men who took part": "men"}
    for r, cells in rows:
        label = canon(cells[0].value)
        for j, year in years.items():
            if label in sexes:
                _count(ws, ctx, cells[j], CellId(measure, year, scope, sexes[label], ALL), r, j + 1, rounded)
            elif label in SHARE_OF_WOMEN:
                value = _number(cells[j])
                if value is not None:
                    base = CellId(measure, year, scope, "women", ALL)
                    ctx.add(location=ctx.loc(ws, r, j + 1), kind="share", value=value, cell=base,
                            decimals=decimals_of(value, cells[j].number_format),
                            denominator=(base, base.with_(sex="men")))
