"""Read Kolada-style indicator values and KPI lists (JSON as the Kolada API returns them, or CSV),
and SCB-style tables by sex, into one tidy frame.

The tidy frame (:data:`VALUE_COLUMNS`) has one row per ``kpi``, ``municipality_id`` (Kolada's id: a
municipality code, ``00`` + county code for a region, ``0000`` for the country), ``period`` (year),
``gender`` (``K`` women, ``M`` men, ``T`` total), with ``value`` (float, NaN when missing),
``count`` (nullable integer) and ``status`` (Kolada's status text, empty when fine).

Kolada's JSON (API v3, data endpoints)::

    {"count": 2, "values": [{"kpi": "N00945", "municipality": "2080", "period": 2024,
        "values": [{"gender": "K", "count": 1, "status": "", "value": 81.2, "isdeleted": false}, …]}],
     "next_url": "https://api.kolada.se/v3/…&page=2", "previous_url": null}

(``next_page``/``previous_page`` in v2 and files saved from it). ``count`` is the number of member
municipalities behind the value (1 for a municipality, a region or the country; more for a group of
municipalities), not a number of people. A value marked ``isdeleted`` is not a value and is left out.

Kolada's KPI metadata: ``{"values": [{"id": "N00945", "title": "…", "description": "…",
"is_divided_by_gender": true, "auspice": "E", "operating_area": "…", "has_ou_data": false, …}]}``
(``is_divided_by_gender`` was 0/1 in v2; ``auspices`` is read as ``auspice``).

CSV in Kolada's long shape, also as rKolada's ``get_values()`` writes it with R's ``write.csv``
(a leading unnamed row-name column, quoted cells, ``NA`` for missing; ``municipality`` is then the
name next to ``municipality_id``, and ``year`` the period) or ``write.csv2`` (``;``, decimal comma,
often cp1252). A column that is neither used nor one of those known extras is refused, never dropped.

A file that cannot be read is rejected as a whole (:class:`jamkoll.ingest.problems.ImportRejected`)
with every problem in Swedish: file, row (CSV) or position in the JSON (``values[3].values[1]``),
field and reason, as for participant data.

References: RKA, Kolada API documentation, https://github.com/Hypergene/kolada (the v2 shape, kept
in v3); SCB, Statistikdatabasen (PxWeb), CSV export with ``region``, ``kön`` and one column per year.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from jamkoll.ingest.problems import ImportRejected, Problem

__all__ = [
    "GENDERS", "KPI_COLUMNS", "VALUE_COLUMNS", "empty_values", "is_kpi_metadata", "is_municipality_metadata",
    "parse_kpis", "parse_values", "parse_values_frame", "parse_scb_table", "read_indicator_file",
]

VALUE_COLUMNS = ["kpi", "municipality_id", "period", "gender", "value", "count", "status"]
KPI_COLUMNS = ["id", "title", "is_divided_by_gender", "description", "auspice", "operating_area", "source"]
GENDERS = ("K", "M", "T")
_GENDER_WORDS = {
    "k": "K", "kvinnor": "K", "kvinna": "K", "female": "K", "women": "K", "f": "K",
    "m": "M", "män": "M", "man": "M", "male": "M", "men": "M",
    "t": "T", "totalt": "T", "total": "T", "samtliga": "T", "alla": "T", "båda könen": "T",
}
# Headers of a Kolada CSV, Swedish or English, mapped to the tidy column names.
_CSV_HEADERS = {
    "kpi": "kpi", "nyckeltal": "kpi", "kpi_id": "kpi",
    "municipality_id": "municipality_id", "municipality": "municipality_id", "kommun_id": "municipality_id",
    "kommunkod": "municipality_id", "kommun": "municipality_id",
    "period": "period", "year": "period", "år": "period",
    "gender": "gender", "kön": "gender", "kon": "gender",
    "value": "value", "värde": "value", "varde": "value",
    "count": "count", "antal": "count",
    "status": "status",
}
# Columns rKolada's get_values() adds that carry nothing to import: the area's name and type (the code
# is in municipality_id) and R's row names (an unnamed first column).
_KNOWN_EXTRAS = {"municipality_type", "kommuntyp", "municipality_name", "kommunnamn", "title"}
# The attribution Jämkoll writes into its own CSV downloads (read back as the file's source).
SOURCE_HEADERS = {"source", "källa", "kalla"}
_DELETED_HEADERS = {"isdeleted", "is_deleted"}
_TRUE = {"true", "1", "ja", "yes", "t"}
_FALSE = {"false", "0", "nej", "no", "f", ""}
_MISSING = {"", "..", ".", "-", "–", "null", "none", "nan", "na"}
_YEAR = re.compile(r"^\d{4}$")
_AREA = re.compile(r"^(\d{2}|\d{4})(?:\s+.*)?$")


def empty_values() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in VALUE_COLUMNS}))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[VALUE_COLUMNS].copy()
    out["kpi"] = out["kpi"].astype(str)
    out["municipality_id"] = out["municipality_id"].astype(str)
    out["period"] = out["period"].astype("int64")
    out["gender"] = out["gender"].astype(str)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out["count"] = pd.array(out["count"], dtype="Int64")
    out["status"] = out["status"].fillna("").astype(str)
    return out.sort_values(["kpi", "municipality_id", "period", "gender"], ignore_index=True)


def _number(text: Any) -> float | None:
    """A number as Kolada or a Swedish spreadsheet writes it (``81.2``, ``81,2``, ``1 234``); None if empty."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, int | float):
        return None if isinstance(text, float) and math.isnan(text) else float(text)
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.lower() in _MISSING:
        return None
    return float(cleaned.replace(",", "."))


def _count(text: Any) -> int | None:
    number = _number(text)
    if number is None:
        return None
    if number < 0 or number != int(number):
        raise ValueError(text)
    return int(number)


def _gender(text: Any) -> str | None:
    return _GENDER_WORDS.get(str(text).strip().lower()) if text is not None else None


def _period(text: Any) -> int:
    if isinstance(text, bool):
        raise ValueError(text)
    value = int(str(text).strip())
    if not 1900 <= value <= 2100:
        raise ValueError(text)
    return value


def _area(text: Any) -> str:
    """A Kolada id from ``2080``, ``2080 Falun``, ``20 Dalarnas län`` (→ ``0020``) or ``00 Riket`` (→ ``0000``)."""
    match = _AREA.match(str(text).strip())
    if not match:
        raise ValueError(text)
    code = match.group(1)
    return code if len(code) == 4 else ("0000" if code == "00" else "00" + code)


# -- JSON -----------------------------------------------------------------------------------------


def _json_values(payload: Any, file: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    if not isinstance(payload, Mapping) or not isinstance(payload.get("values"), list):
        return [], [Problem(file, "Filen är inte i Koladas format: en lista 'values' saknas på översta nivån.")]
    for i, entry in enumerate(payload["values"], start=1):
        where = f"values[{i}]"
        if not isinstance(entry, Mapping):
            problems.append(Problem(file, "Posten är inte ett objekt med kpi, municipality, period och values.",
                                    column=where))
            continue
        if "ou" in entry and "municipality" not in entry:
            problems.append(Problem(file, "Posten gäller en organisatorisk enhet (ou), inte en kommun eller region: "
                                          "hämta värdena per kommun (data/kpi/…/municipality/…).", column=f"{where}.ou",
                                    value=str(entry.get("ou"))))
            continue
        fields: dict[str, Any] = {}
        for name, parse, reason in (
            ("kpi", lambda v: str(v).strip() or _fail(v), "nyckeltalets id saknas"),
            ("municipality", _area, "inte ett kommun- eller regions-id (fyra siffror)"),
            ("period", _period, "inte ett årtal"),
        ):
            try:
                fields[name] = parse(entry.get(name))
            except (TypeError, ValueError):
                problems.append(Problem(file, f"Fältet '{name}' är fel: {reason}.", column=f"{where}.{name}",
                                        value=None if entry.get(name) is None else str(entry.get(name))))
        inner = entry.get("values")
        if not isinstance(inner, list):
            problems.append(Problem(file, "Fältet 'values' (värden per kön) saknas eller är inte en lista.",
                                    column=f"{where}.values"))
            continue
        for j, item in enumerate(inner, start=1):
            at = f"{where}.values[{j}]"
            if not isinstance(item, Mapping):
                problems.append(Problem(file, "Värdet är inte ett objekt med gender, value, count och status.",
                                        column=at))
                continue
            if _truthy(item.get("isdeleted")):
                continue  # withdrawn by Kolada: not a value
            parsed = _gender_value(file, at, item.get("gender"), item.get("value"), item.get("count"), problems)
            if parsed is not None and len(fields) == 3:
                rows.append({"kpi": fields["kpi"], "municipality_id": fields["municipality"],
                             "period": fields["period"], **parsed, "status": str(item.get("status") or "")})
    return rows, problems


def _fail(value: Any) -> str:
    raise ValueError(value)


def _truthy(value: Any) -> bool:
    """A JSON or CSV boolean (``true``, ``1``, ``TRUE`` as R writes it); False when absent."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int | float):
        return value == 1
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE or text in _MISSING:
        return False
    raise ValueError(value)


def _gender_value(file: str, at: str, gender: Any, value: Any, count: Any, problems: list[Problem],
                  row: int | None = None) -> dict[str, Any] | None:
    sex = _gender(gender)
    ok = True
    if sex is None:
        problems.append(Problem(file, "Okänt kön: använd K (kvinnor), M (män) eller T (totalt).", row=row,
                                column=f"{at}.gender" if row is None else "gender",
                                value=None if gender is None else str(gender)))
        ok = False
    try:
        number = _number(value)
    except ValueError:
        problems.append(Problem(file, "Värdet är inte ett tal.", row=row,
                                column=f"{at}.value" if row is None else "value", value=str(value)))
        ok = False
    try:
        people = _count(count)
    except ValueError:
        problems.append(Problem(file, "Antalet är inte ett heltal som är noll eller större.", row=row,
                                column=f"{at}.count" if row is None else "count", value=str(count)))
        ok = False
    if not ok:
        return None
    return {"gender": sex, "value": number, "count": people}


def parse_values(payloads: Iterable[Any], file: str = "kolada.json") -> pd.DataFrame:
    """The tidy frame of one or several Kolada value responses (the pages of one download)."""
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, payload in enumerate(payloads, start=1):
        name = file if number == 1 else f"{file} (sida {number})"
        page_rows, page_problems = _json_values(payload, name)
        rows += page_rows
        problems += page_problems
    if problems:
        raise ImportRejected(problems)
    return _deduplicated(pd.DataFrame(rows, columns=VALUE_COLUMNS), file) if rows else empty_values()


def _deduplicated(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    typed = _typed(frame)
    keys = ["kpi", "municipality_id", "period", "gender"]
    duplicated = typed[typed.duplicated(keys, keep=False)]
    if not duplicated.empty:
        first = duplicated.iloc[0]
        raise ImportRejected([Problem(
            file, f"Samma nyckeltal, område, år och kön finns flera gånger ({len(duplicated)} rader), t.ex. "
                  f"{first['kpi']} {first['municipality_id']} {first['period']} {first['gender']}.")])
    return typed


def is_kpi_metadata(payload: Any) -> bool:
    """Whether a JSON payload is Kolada's KPI metadata (``values`` of objects with ``id`` and ``title``)."""
    values = payload.get("values") if isinstance(payload, Mapping) else None
    return isinstance(values, list) and bool(values) and isinstance(values[0], Mapping) and "id" in values[0] \
        and "title" in values[0] and "kpi" not in values[0] and "type" not in values[0]


def is_municipality_metadata(payload: Any) -> bool:
    """Whether a JSON payload is Kolada's municipality list (``id``, ``title``, ``type`` K or L)."""
    values = payload.get("values") if isinstance(payload, Mapping) else None
    return isinstance(values, list) and bool(values) and isinstance(values[0], Mapping) \
        and {"id", "title", "type"} <= set(values[0]) and "kpi" not in values[0]


def parse_kpis(payload: Any, file: str = "kpi.json", source: str = "Kolada") -> pd.DataFrame:
    """Kolada's KPI metadata as a frame (:data:`KPI_COLUMNS`): ``id``, ``title``, ``is_divided_by_gender``
    (bool; ``true``/``false`` in v3, 1/0 in v2), ``description``, ``auspice``, ``operating_area`` and
    ``source``. Other fields (``has_ou_data``, ``publication_date`` …) are metadata Jämkoll does not keep."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("values"), list):
        raise ImportRejected([Problem(file, "Filen är inte en nyckeltalslista i Koladas format: "
                                            "en lista 'values' saknas.")])
    rows = []
    problems = []
    for i, entry in enumerate(payload["values"], start=1):
        if not isinstance(entry, Mapping) or not str(entry.get("id") or "").strip():
            problems.append(Problem(file, "Nyckeltalet saknar 'id'.", column=f"values[{i}].id"))
            continue
        if not str(entry.get("title") or "").strip():
            problems.append(Problem(file, "Nyckeltalet saknar 'title'.", column=f"values[{i}].title",
                                    value=str(entry["id"])))
            continue
        try:
            divided = _truthy(entry.get("is_divided_by_gender"))
        except ValueError:
            problems.append(Problem(file, "'is_divided_by_gender' ska vara true eller false.",
                                    column=f"values[{i}].is_divided_by_gender",
                                    value=str(entry.get("is_divided_by_gender"))))
            continue
        auspice = entry.get("auspice", entry.get("auspices"))
        rows.append({"id": str(entry["id"]).strip(), "title": str(entry["title"]).strip(),
                     "is_divided_by_gender": divided,
                     "description": str(entry.get("description") or "").strip(),
                     "auspice": "" if auspice is None else str(auspice).strip(),
                     "operating_area": str(entry.get("operating_area") or "").strip(),
                     "source": source})
    if problems:
        raise ImportRejected(problems)
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


# -- CSV and SCB tables ---------------------------------------------------------------------------


def _row_names(frame: pd.DataFrame, column: Any) -> bool:
    """Whether ``column`` is R's row names as ``write.csv`` writes them: no header, 1, 2, 3 …"""
    if not (str(column).strip() == "" or str(column).startswith("Unnamed: ")):
        return False
    cells = [str(v).strip() for v in frame[column]]
    return cells == [str(i) for i in range(1, len(cells) + 1)]


def _csv_columns(frame: pd.DataFrame, file: str) -> tuple[dict[Any, str], list[Any], list[Problem]]:
    """(column → tidy name, the ``isdeleted`` column if any, problems for columns nobody uses)."""
    headers = {c: str(c).strip().lower() for c in frame.columns}
    has_id = any(h in ("municipality_id", "kommun_id", "kommunkod") for h in headers.values())
    renamed: dict[Any, str] = {}
    deleted: list[Any] = []
    problems: list[Problem] = []
    for column, header in headers.items():
        if header == "municipality" and has_id:
            continue  # rKolada: the name beside municipality_id
        if header in _CSV_HEADERS:
            renamed[column] = _CSV_HEADERS[header]
        elif header in _DELETED_HEADERS:
            deleted.append(column)
        elif header in _KNOWN_EXTRAS or header in SOURCE_HEADERS or _row_names(frame, column):
            continue
        else:
            problems.append(Problem(
                file, "Kolumnen känns inte igen och kan inte läsas in. Ta bort den, eller byt namn till en av "
                      "kpi, municipality_id, period (år), gender (kön), value (värde), count, status.",
                row=1, column=str(column)))
    return renamed, deleted, problems


def parse_values_frame(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Tidy values from a table of text in Kolada's long shape (one row per kpi, area, year and sex).

    ``frame`` holds text cells, indexed by the row number the user sees (as
    :func:`jamkoll.ingest.readers.read_file` returns it). Headers may be Swedish or English, or
    rKolada's (``municipality_id``, ``year``, with the name in ``municipality``, the row names in an
    unnamed first column and ``municipality_type``); rows marked ``isdeleted`` are withdrawn values and
    left out. Any other column is refused.
    """
    renamed, deleted, problems = _csv_columns(frame, file)
    present = set(renamed.values())
    missing = [c for c in ("kpi", "municipality_id", "period", "gender", "value") if c not in present]
    if missing:
        raise ImportRejected([*problems, *(Problem(file, f"Kolumnen '{name}' saknas.", row=1, column=name)
                                           for name in missing)])
    if len(renamed) != len(present):
        doubled = sorted({v for v in renamed.values() if list(renamed.values()).count(v) > 1})
        raise ImportRejected([*problems, *(Problem(file, f"Flera kolumner betyder '{name}': behåll en av dem.",
                                                   row=1, column=name) for name in doubled)])
    table = frame.rename(columns=renamed)
    rows: list[dict[str, Any]] = []
    for row_number, record in zip(table.index, table.to_dict("records"), strict=True):
        row = int(row_number)
        try:
            if any(_truthy(record[c]) for c in deleted):
                continue
        except ValueError:
            problems.append(Problem(file, "'isdeleted' ska vara TRUE eller FALSE.", row=row,
                                    column=str(deleted[0])))
            continue
        fields: dict[str, Any] = {}
        kpi = str(record["kpi"]).strip()
        if not kpi:
            problems.append(Problem(file, "Nyckeltalets id saknas.", row=row, column="kpi"))
        for name, parse, reason in (("municipality_id", _area, "inte ett kommun- eller regions-id (fyra siffror)"),
                                    ("period", _period, "inte ett årtal")):
            try:
                fields[name] = parse(record[name])
            except (TypeError, ValueError):
                problems.append(Problem(file, f"Fel i '{name}': {reason}.", row=row, column=name,
                                        value=str(record[name])))
        parsed = _gender_value(file, "", record["gender"], record["value"], record.get("count"), problems, row=row)
        if parsed is not None and kpi and len(fields) == 2:
            status = str(record.get("status") or "")
            rows.append({"kpi": kpi, **fields, **parsed, "status": "" if status.upper() == "NA" else status})
    if problems:
        raise ImportRejected(problems)
    return _deduplicated(pd.DataFrame(rows, columns=VALUE_COLUMNS), file) if rows else empty_values()


def _reject_missing(file: str, missing: Sequence[str]) -> pd.DataFrame:
    raise ImportRejected([Problem(file, f"Kolumnen '{name}' saknas.", row=1, column=name) for name in missing])


def parse_scb_table(frame: pd.DataFrame, file: str, kpi: str) -> pd.DataFrame:
    """Tidy values from an SCB table by sex read from a spreadsheet (text cells, the header as columns):
    read exactly as a PxWeb CSV (:func:`jamkoll.indicators.pxweb.parse_pxweb_csv`): a region column
    (``2080 Falun``, ``20 Dalarnas län``, ``00 Riket``), a kön column (``kvinnor``, ``män``, ``totalt``
    or SCB's codes 1, 2, 1+2) and one column per year (``2024`` or ``Folkmängd 2024``)."""
    import csv
    import io

    from jamkoll.indicators.pxweb import parse_pxweb_csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([str(c) for c in frame.columns])
    writer.writerows(frame.astype(str).itertuples(index=False, name=None))
    return parse_pxweb_csv(buffer.getvalue().encode("utf-8"), file, kpi)[0]


def read_indicator_file(path: Path, name: str | None = None, scb_kpi: str | None = None) -> pd.DataFrame:
    """The values of any accepted indicator file (:func:`jamkoll.indicators.files.read_indicators`)."""
    from jamkoll.indicators.files import read_indicators

    return read_indicators(path, name=name, scb_kpi=scb_kpi).values
