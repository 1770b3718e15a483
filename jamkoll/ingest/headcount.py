"""Headcount tables as people make them, read as the contract's ``counts`` (antal) table.

Two shapes are common besides the contract's own (insats_id, år, kön, deltagare):

* an annual-report table, one row per intervention: ``Insats | Kvinnor | Män | Totalt``, the year in
  an ``År`` column or in the title above the table ("Deltagare per insats 2024") or the sheet's name.
  Each row becomes a count for women and one for men; a ``Totalt`` larger than women + men gives the
  difference as people of other or unknown sex, a smaller one is refused. Sum rows (``Totalt``,
  ``Summa``) are skipped and named in the report.
* anonymous rows, one per participant without any identifier (as SUS registers anonymous participants,
  and associations keep them in Excel): kön, start and end dates, perhaps age. Each person counts once
  in every calendar year from the start year to the end year (to the current year while ongoing):
  "people who started or took part that year", the contract's definition of ``deltagare``.

What cannot be read this way (no year, no intervention) is refused with a message that points to the
counts table and to the template (``jamkoll template``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pandas as pd

from jamkoll.ingest.problems import Problem
from jamkoll.ingest.readers import Sheet
from jamkoll.ingest.schema import ENROLMENTS, SEX_ALIASES, header_index, normalise_header

_REMEDY = ("Fyll i tabellen antal (insats_id, år, kön, deltagare) i stället, en rad per insats, år och kön; "
           "mallen från 'jamkoll template' (eller nedladdningen på uppladdningssidan) har ett blad för den.")


def _keys(*spellings: str) -> set[str]:
    return {normalise_header(s) for s in spellings}


_INTERVENTION = _keys("insats_id", "insatsid", "insats", "intervention_id", "insatsnamn")
_WOMEN = _keys("kvinnor", "women", "k")
_MEN = _keys("män", "men", "m")
_TOTAL = _keys("totalt", "total", "summa", "samtliga")
_YEAR = _keys("år", "year")
_SEX = _keys("kön", "sex", "gender")
_REFERENCE = _keys("grupp", "group", "kommunkod", "område", "municipality_code")
_PERSON = _keys("participant_id", "deltagar_id", "deltagarid", "personnummer", "pnr", "inskrivnings_id",
                "inskrivningsid", "enrolment_id")
_ENROLMENT_INDEX = header_index(ENROLMENTS)
_START = {k for k, v in _ENROLMENT_INDEX.items() if v == "start_date"}
_END = {k for k, v in _ENROLMENT_INDEX.items() if v == "end_date"}
_SUM_ROWS = _keys("totalt", "total", "summa", "samtliga", "alla", "sum")
_A_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_SEX_LOOKUP = {normalise_header(k): v for k, v in SEX_ALIASES.items()}


def _column(sheet: Sheet, keys: set[str]) -> str | None:
    return next((h for h in sheet.frame.columns if normalise_header(h) in keys), None)


def kind(sheet: Sheet) -> str | None:
    """"summary", "anonymous" or None (the sheet is not a headcount table of these shapes)."""
    headers = {normalise_header(h) for h in sheet.frame.columns}
    if headers & _INTERVENTION and headers & _WOMEN and headers & _MEN and not headers & _REFERENCE:
        return "summary"
    if headers & _SEX and headers & (_START | _keys("ålder", "födelseår")) and not headers & _PERSON:
        return "anonymous"
    return None


def _where(sheet: Sheet) -> str:
    return f"{sheet.file}{' blad ' + sheet.sheet if sheet.sheet else ''}"


def _counts_sheet(sheet: Sheet, rows: list[tuple[int, str, str, str, str]]) -> Sheet:
    frame = pd.DataFrame(
        [r[1:] for r in rows], columns=["insats_id", "år", "kön", "deltagare"],
        index=pd.Index([r[0] for r in rows]), dtype="string",
    )
    return Sheet(sheet.file, sheet.sheet, frame, notes=list(sheet.notes), title=sheet.title)


def to_counts(sheet: Sheet, today: dt.date) -> tuple[Sheet | None, list[Problem], list[str]]:
    """The sheet as a counts table, or the problems that stop it; and lines for the import report."""
    shape = kind(sheet)
    if shape == "summary":
        return _summary(sheet)
    if shape == "anonymous":
        return _anonymous(sheet, today)
    return sheet, [], []


def _int(text: str) -> int | None:
    cleaned = re.sub(r"[\s\u00a0]", "", text)
    return int(cleaned) if cleaned.isdigit() else None


def _summary(sheet: Sheet) -> tuple[Sheet | None, list[Problem], list[str]]:
    frame = sheet.frame
    insats = _column(sheet, _INTERVENTION)
    women, men = _column(sheet, _WOMEN), _column(sheet, _MEN)
    total, year_col = _column(sheet, _TOTAL), _column(sheet, _YEAR)
    assert insats and women and men
    year: str | None = None
    if year_col is None:
        years = set(_A_YEAR.findall(f"{sheet.title} {sheet.sheet or ''}"))
        if len(years) != 1:
            return None, [Problem(
                sheet.file, "Bladet ser ut att vara en sammanställning per insats (Insats | Kvinnor | Män | Totalt) "
                "men året framgår inte (ingen kolumn 'år' och inget entydigt år i rubriken eller bladets namn). "
                "Lägg till en kolumn 'år', eller: " + _REMEDY, sheet.sheet)], []
        year = years.pop()
    rows: list[tuple[int, str, str, str, str]] = []
    problems: list[Problem] = []
    skipped: list[str] = []
    for row, values in frame.iterrows():
        name = str(values[insats]).strip()
        if normalise_header(name) in _SUM_ROWS or not name:
            skipped.append(str(row))
            continue
        y = year or str(values[year_col]).strip()
        k, m = str(values[women]).strip(), str(values[men]).strip()
        rows += [(int(row), name, y, "K", k), (int(row), name, y, "M", m)]
        if total is not None:
            t, nk, nm = _int(str(values[total])), _int(k), _int(m)
            if t is not None and nk is not None and nm is not None:
                if t < nk + nm:
                    problems.append(Problem(sheet.file, f"Totalt ({t}) är mindre än kvinnor + män ({nk + nm}). "
                                            "Rätta siffrorna.", sheet.sheet, int(row), total, str(t)))
                elif t > nk + nm:
                    rows.append((int(row), name, y, "okänt", str(t - nk - nm)))
    notes = [f"{_where(sheet)}: lästes som tabellen antal (sammanställning per insats: Insats | Kvinnor | Män"
             f"{' | Totalt' if total else ''}{', år ' + year + ' ur rubriken' if year else ''}); "
             "Totalt utöver kvinnor + män räknas som okänt kön."]
    if skipped:
        notes.append(f"{_where(sheet)}: summeringsrader hoppades över (rad {', '.join(skipped)}).")
    unused = [h for h in frame.columns if h not in (insats, women, men, total, year_col)]
    if unused:
        notes.append(f"{_where(sheet)}: kolumnerna {', '.join(map(str, unused))} används inte i tabellen antal.")
    if problems:
        return None, problems, []
    return _counts_sheet(sheet, rows), [], notes


def _anonymous(sheet: Sheet, today: dt.date) -> tuple[Sheet | None, list[Problem], list[str]]:
    from jamkoll.ingest.validate import _INVALID, parse_date_text

    frame = sheet.frame
    insats, sex = _column(sheet, _INTERVENTION), _column(sheet, _SEX)
    start, end = _column(sheet, _START), _column(sheet, _END)
    if insats is None or start is None:
        missing = "insats" if insats is None else "startdatum"
        return None, [Problem(
            sheet.file, "Bladet ser ut att innehålla anonyma deltagare (kön och datum eller ålder, utan "
            f"deltagar_id eller personnummer), men kolumnen {missing!r} saknas, så de kan inte räknas per insats "
            "och år. Ska deltagarna registreras var för sig: lägg till kolumnen deltagar_id eller personnummer. "
            "Annars: " + _REMEDY, sheet.sheet)], []
    assert sex is not None
    groups: Counter[tuple[str, int, str]] = Counter()
    first_row: dict[tuple[str, int, str], int] = {}
    problems: list[Problem] = []
    for row, values in frame.iterrows():
        r = int(row)
        who = _SEX_LOOKUP.get(normalise_header(values[sex]))
        began = parse_date_text(str(values[start]).strip())
        ended = parse_date_text(str(values[end]).strip()) if end else None
        if who is None:
            problems.append(Problem(sheet.file, "Okänt värde för kön. Tillåtna värden: K/kvinna, M/man, A/annat "
                                    "eller tomt/okänt.", sheet.sheet, r, sex, str(values[sex])))
        for col, value in ((start, began), (end, ended)):
            if value is _INVALID or (col == start and value is None):
                problems.append(Problem(sheet.file, "Ogiltigt eller saknat datum; skriv till exempel 2024-01-31.",
                                        sheet.sheet, r, col, str(values[col])))
            elif isinstance(value, dt.date) and value > today:
                problems.append(Problem(sheet.file, f"Datumet ligger i framtiden (efter {today.isoformat()}).",
                                        sheet.sheet, r, col, str(values[col])))
        if problems and problems[-1].row == r or who is None:
            continue
        assert isinstance(began, dt.date)
        last = ended.year if isinstance(ended, dt.date) else today.year
        for year in range(began.year, last + 1):
            key = (str(values[insats]).strip(), year, who)
            groups[key] += 1
            first_row.setdefault(key, r)
    if problems:
        return None, problems, []
    codes = {"women": "K", "men": "M", "other": "annat", "unknown": "okänt"}
    rows = [(first_row[key], key[0], str(key[1]), codes[key[2]], str(n)) for key, n in sorted(groups.items())]
    unused = [h for h in frame.columns if h not in (insats, sex, start, end)]
    notes = [f"{_where(sheet)}: {len(frame)} anonyma deltagare (utan id) lästes som tabellen antal: "
             f"{len(rows)} antal per insats, år och kön; varje person räknas varje år från start till avslut."]
    if unused:
        notes.append(f"{_where(sheet)}: kolumnerna {', '.join(map(str, unused))} används inte: tabellen antal "
                     "har bara insats, år, kön och antal.")
    return _counts_sheet(sheet, rows), [], notes
