"""Read SCB's Statistikdatabasen (PxWeb) tables by region, sex and year into the tidy indicator frame.

Accepted, as PxWeb serves or saves them:

* **JSON-stat 2** (the default of the new PxWebApi 2, ``outputFormat=json-stat2``): one dataset
  ``{"version": "2.0", "class": "dataset", "id": [...], "size": [...], "dimension": {id: {"label",
  "category": {"index", "label"}}}, "role": {"time", "geo", "metric"}, "value": [...], "status": ...}``.
  ``value`` is row-major over ``id`` (the last dimension varies fastest), an array or an object
  ``{"position": value}``; ``status`` is a string for every cell, an array, or such an object.
  ``category.index`` is an object ``{code: position}`` or an array of codes.
* **JSON-stat 1.x** (PxWeb v1 ``json-stat``): the same dataset wrapped by name
  (``{"dataset": {...}}``), with ``id``, ``size`` and ``role`` inside ``dimension``.
* **PxWeb v1 ``json``**: ``{"columns": [{"code", "text", "type": "d"|"t"|"c"}], "data": [{"key":
  [codes of the d and t columns], "values": [one per c column]}], "metadata": [...]}``.
* **PxWeb CSV** (v1 and v2, ``,``, ``;`` or tab; UTF-8 or cp1252): optional title lines above the header
  (the table's name, blank lines), a region column (``0180 Stockholm``, ``20 Dalarnas län``,
  ``00 Riket``, or the name alone), a kön column and one column per year, headed ``2023`` or
  ``<contents> <year>`` (``Folkmängd 2023``); footnotes after a blank line below the table.

The dimensions are recognised by role or name: region (``Region``, geo role), sex (``Kon``/``kön``),
time (``Tid``, time role; whole years only) and contents (``ContentsCode``, metric role: the
indicator). Sex comes as SCB's codes ``1`` (män), ``2`` (kvinnor), ``1+2`` (totalt) or as labels
(``män``, ``kvinnor``, ``totalt``, ``totalt, samtliga män och kvinnor``). Regions are mapped by code
to Kolada's ids (``00`` → ``0000``, ``20`` → ``0020``, ``0180``); a label without a code by the name
of a municipality, a county or ``Riket``. Any other dimension must hold one value (choose one in
PxWeb): a table split further is refused rather than summed or dropped. SCB's ``..`` and other
status symbols give a missing value with the symbol as status.

The indicator's id is the contents code (``BE0101N1``), or the id the user gives (``--scb-kpi``);
its title the contents label. SCB's count of people is the value itself: these are published
statistics after SCB's own disclosure control, and ``count`` stays empty.

References: JSON-stat 2.0 format, https://json-stat.org/format/; SCB, PxWebApi 2
(https://statistikdatabasen.scb.se/api/v2, ``/tables/{id}/data``); SCB, PxWeb API 1.0 description
(the ``json`` and ``csv`` response formats).
"""

from __future__ import annotations

import csv
import io
import math
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from jamkoll.indicators import register
from jamkoll.indicators.kolada import KPI_COLUMNS, VALUE_COLUMNS, empty_values
from jamkoll.ingest.problems import ImportRejected, Problem
from jamkoll.ingest.readers import decode_text

__all__ = ["ATTRIBUTION", "SCB_BASE_URL", "PxWebClient", "find_header", "is_jsonstat", "is_pxweb_json",
           "looks_like_pxweb_csv", "parse_jsonstat", "parse_pxweb_csv", "parse_pxweb_json", "region_id", "scb_gender"]

ATTRIBUTION = "Källa: SCB"
SOURCE = "SCB"
SCB_BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
MAX_CELLS = 5_000_000

_SEX_NAMES = {"kon", "kön", "sex", "gender", "kön_"}
_TIME_NAMES = {"tid", "år", "ar", "year", "time"}
_REGION_NAMES = {"region", "kommun", "län", "lan", "område", "omrade", "regionkod", "kommunkod"}
_METRIC_NAMES = {"contentscode", "tabellinnehåll", "contents"}
_SEX_CODES = {"1": "M", "2": "K", "1+2": "T", "t": "T", "tot": "T", "totalt": "T"}
_SEX_WORDS = {"män": "M", "man": "M", "men": "M", "male": "M", "m": "M",
              "kvinnor": "K", "kvinna": "K", "women": "K", "female": "K", "k": "K",
              "totalt": "T", "total": "T", "samtliga": "T", "båda könen": "T", "män och kvinnor": "T",
              "kvinnor och män": "T", "t": "T"}
_YEAR_HEADER = re.compile(r"^(?:(?P<contents>.*\S)\s+)?(?P<year>\d{4})$")
_CODE_LABEL = re.compile(r"^(?P<code>\d{2}|\d{4})(?:\s+(?P<label>.*))?$")
_MISSING = {"", "..", ".", "-", "–", "null", "none", "nan", "na"}


# -- codes ----------------------------------------------------------------------------------------


def scb_gender(code: Any, label: Any = None) -> str | None:
    """``K``, ``M`` or ``T`` from SCB's code (``1``, ``2``, ``1+2``) or label; None when unknown."""
    text = "" if code is None else str(code).strip().lower()
    if text in _SEX_CODES:
        return _SEX_CODES[text]
    for candidate in (text, "" if label is None else str(label).strip().lower()):
        if candidate in _SEX_WORDS:
            return _SEX_WORDS[candidate]
        if candidate.startswith(("totalt", "samtliga")):
            return "T"
    return None


def _names() -> dict[str, str]:
    names = {register.COUNTRY_NAME.lower(): register.COUNTRY_ID, "hela riket": register.COUNTRY_ID,
             "sverige": register.COUNTRY_ID}
    for r in register.regions():
        names[r.county_name.lower()] = r.kolada_id
        names[r.name.lower()] = r.kolada_id
    for m in register.municipalities():
        names.setdefault(m.name.lower(), m.code)
    return names


def region_id(code: Any, label: Any = None) -> str | None:
    """Kolada's id of a region given by SCB: ``00``/``Riket`` → ``0000``, ``20`` → ``0020``, ``0180``
    (also ``0180 Stockholm``, ``20 Dalarnas län``), or a municipality's or county's name; None if unknown."""
    for text in (code, label):
        if text is None:
            continue
        cleaned = str(text).strip()
        match = _CODE_LABEL.match(cleaned)
        if match:
            digits = match.group("code")
            if digits == "00":
                return register.COUNTRY_ID
            if len(digits) == 2:
                return register.kolada_id(digits) if register.region(digits) else None
            return digits if register.municipality(digits) or digits == register.COUNTRY_ID else None
        found = _names().get(cleaned.lower())
        if found:
            return found
    return None


def _year(code: Any) -> int | None:
    text = str(code).strip()
    return int(text) if re.fullmatch(r"\d{4}", text) and 1900 <= int(text) <= 2100 else None


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text.lower() in _MISSING:
        return None
    return float(text.replace(",", "."))


# -- the parts of a table -------------------------------------------------------------------------


class _Dimension:
    def __init__(self, key: str, label: str, codes: list[str], labels: dict[str, str]) -> None:
        self.key, self.label, self.codes, self.labels = key, label, codes, labels

    def role(self, roles: Mapping[str, Sequence[str]]) -> str | None:
        name, label = self.key.strip().lower(), self.label.strip().lower()
        if self.key in roles.get("metric", ()) or name in _METRIC_NAMES or label in _METRIC_NAMES:
            return "metric"
        if name in _SEX_NAMES or label in _SEX_NAMES:
            return "sex"
        if self.key in roles.get("time", ()) or name in _TIME_NAMES or label in _TIME_NAMES:
            return "time"
        if self.key in roles.get("geo", ()) or name in _REGION_NAMES or label in _REGION_NAMES:
            return "region"
        return None


def _categories(file: str, key: str, spec: Any, problems: list[Problem]) -> _Dimension | None:
    if not isinstance(spec, Mapping) or not isinstance(spec.get("category"), Mapping):
        problems.append(Problem(file, "Dimensionen saknar 'category'.", column=f"dimension.{key}"))
        return None
    category = spec["category"]
    index = category.get("index")
    labels = category.get("label") if isinstance(category.get("label"), Mapping) else {}
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, Mapping):
        codes = [str(c) for c, _ in sorted(index.items(), key=lambda item: int(item[1]))]
    elif len(labels) == 1:  # JSON-stat allows a single category without an index
        codes = [str(next(iter(labels)))]
    else:
        problems.append(Problem(file, "Dimensionen saknar 'category.index'.", column=f"dimension.{key}.category"))
        return None
    return _Dimension(key, str(spec.get("label") or key), codes, {str(k): str(v) for k, v in labels.items()})


def _cells(values: Any, size: int) -> Callable[[int], Any]:
    if isinstance(values, list):
        return lambda i: values[i] if i < len(values) else None
    if isinstance(values, Mapping):
        return lambda i: values.get(str(i))
    return lambda i: None


def _statuses(status: Any) -> Callable[[int], str]:
    if isinstance(status, str):
        return lambda i: status
    if isinstance(status, list):
        return lambda i: str(status[i] or "") if i < len(status) else ""
    if isinstance(status, Mapping):
        return lambda i: str(status.get(str(i)) or "")
    return lambda i: ""


def _kpi_id(file: str, metric: _Dimension | None, code: str | None, scb_kpi: str | None,
            problems: list[Problem]) -> str | None:
    if scb_kpi:
        if metric is not None and len(metric.codes) > 1:
            problems.append(Problem(file, f"Tabellen har {len(metric.codes)} innehåll ("
                                          f"{', '.join(metric.codes[:5])}); ett id för nyckeltalet räcker bara för "
                                          "ett. Ta bort id:t, så blir innehållskoderna nyckeltalens id, eller välj ett "
                                          "innehåll i PxWeb.", column=f"dimension.{metric.key}"))
            return None
        return scb_kpi
    if code is None:
        problems.append(Problem(file, "Tabellen saknar innehållsdimension (ContentsCode): ange nyckeltalets id "
                                      "(--scb-kpi eller fältet för SCB-tabeller)."))
    return code


def _build(file: str, dims: list[_Dimension], roles: Mapping[str, Sequence[str]], cell: Callable[[int], Any],
           status: Callable[[int], str], title: str, scb_kpi: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    problems: list[Problem] = []
    by_role: dict[str, _Dimension] = {}
    for dim in dims:
        role = dim.role(roles)
        if role is not None and role not in by_role:
            by_role[role] = dim
        elif len(dim.codes) > 1:
            problems.append(Problem(file, f"Tabellen är uppdelad på '{dim.label}' ({len(dim.codes)} värden). Jämkoll "
                                          "läser region, kön, år och innehåll: välj ett enda värde för "
                                          f"'{dim.label}' i PxWeb och hämta tabellen igen.",
                                    column=f"dimension.{dim.key}"))
    for role, what in (("region", "region"), ("time", "år (Tid)")):
        if role not in by_role:
            problems.append(Problem(file, f"Tabellen saknar dimensionen {what}."))
    if problems:
        raise ImportRejected(problems)
    metric = by_role.get("metric")
    kpi_of = {code: _kpi_id(file, metric, code, scb_kpi, problems) for code in (metric.codes if metric else [None])}
    mapped: dict[str, dict[str, Any]] = {}
    for role, dim in by_role.items():
        translate: dict[str, Any] = {}
        for code in dim.codes:
            label = dim.labels.get(code)
            result: Any = (region_id(code, label) if role == "region" else scb_gender(code, label) if role == "sex"
                           else _year(code) if role == "time" else code)
            if result is None:
                what = {"region": "en kommun, ett län eller riket (t.ex. 0180, 20 eller 00)",
                        "sex": "kön (1 män, 2 kvinnor, 1+2 totalt)", "time": "ett helt år (t.ex. 2023)"}[role]
                problems.append(Problem(file, f"Koden i '{dim.label}' är inte {what}.", column=f"dimension.{dim.key}",
                                        value=f"{code} {label or ''}".strip()))
            translate[code] = result
        mapped[dim.key] = translate
    if problems:
        raise ImportRejected(problems)
    total = math.prod(len(d.codes) for d in dims)
    if total > MAX_CELLS:
        raise ImportRejected([Problem(file, f"Tabellen har {total} celler; högst {MAX_CELLS} läses. Hämta en mindre "
                                            "tabell (färre år eller regioner).")])
    strides = [math.prod(len(d.codes) for d in dims[i + 1:]) for i in range(len(dims))]
    rows: list[dict[str, Any]] = []
    for position in range(total):
        codes = {d.key: d.codes[(position // stride) % len(d.codes)] for d, stride in zip(dims, strides, strict=True)}
        raw = cell(position)
        try:
            value = _number(raw)
        except ValueError:
            problems.append(Problem(file, "Värdet är inte ett tal.", column=f"value[{position}]", value=str(raw)))
            continue
        rows.append({"kpi": kpi_of[codes[metric.key]] if metric else kpi_of[None],
                     "municipality_id": mapped[by_role["region"].key][codes[by_role["region"].key]],
                     "period": mapped[by_role["time"].key][codes[by_role["time"].key]],
                     "gender": mapped[by_role["sex"].key][codes[by_role["sex"].key]] if "sex" in by_role else "T",
                     "value": value, "count": None,
                     "status": status(position) or (raw.strip() if isinstance(raw, str) and value is None else "")})
        if len(problems) > 200:
            break
    if problems:
        raise ImportRejected(problems)
    values = _tidy(pd.DataFrame(rows, columns=VALUE_COLUMNS), file)
    divided = "sex" in by_role and {"K", "M"} <= set(mapped[by_role["sex"].key].values())
    kpis = pd.DataFrame([{"id": kpi, "title": (metric.labels.get(code, code) if metric and code else title) or kpi,
                          "is_divided_by_gender": divided, "description": title, "auspice": "",
                          "operating_area": "", "source": SOURCE}
                         for code, kpi in kpi_of.items() if kpi], columns=KPI_COLUMNS).drop_duplicates("id")
    return values, kpis


def _tidy(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    from jamkoll.indicators.kolada import _deduplicated

    if frame.empty:
        return empty_values()
    # A total of both sexes given twice (e.g. "1+2" and "totalt") is one value, not two.
    return _deduplicated(frame, file)


# -- JSON-stat ------------------------------------------------------------------------------------


def is_jsonstat(payload: Any) -> bool:
    """JSON-stat 2 (``class: dataset``) or 1.x (datasets wrapped by name, ``dimension`` inside)."""
    if not isinstance(payload, Mapping):
        return False
    if payload.get("class") == "dataset" and isinstance(payload.get("dimension"), Mapping):
        return True
    return any(isinstance(v, Mapping) and isinstance(v.get("dimension"), Mapping) and "value" in v
               for v in payload.values())


def parse_jsonstat(payload: Any, file: str, scb_kpi: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, KPI metadata) of a JSON-stat 2 or 1.x dataset from PxWeb."""
    if isinstance(payload, Mapping) and payload.get("class") == "dataset":
        dataset, ids, sizes, roles = payload, payload.get("id"), payload.get("size"), payload.get("role") or {}
        dimensions = payload.get("dimension") or {}
    else:
        wrapped = [v for v in payload.values() if isinstance(v, Mapping) and "dimension" in v] \
            if isinstance(payload, Mapping) else []
        if len(wrapped) != 1:
            raise ImportRejected([Problem(file, "Filen har flera JSON-stat-dataset; hämta ett i taget.")])
        dataset = wrapped[0]
        dimensions = dataset["dimension"]
        ids, sizes, roles = dimensions.get("id"), dimensions.get("size"), dimensions.get("role") or {}
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise ImportRejected([Problem(file, "JSON-stat-filen saknar 'id' och 'size' (lika många).")])
    problems: list[Problem] = []
    dims = [d for key in ids if (d := _categories(file, str(key), dimensions.get(key), problems)) is not None]
    for dim, size in zip(dims, sizes, strict=False):
        if len(dim.codes) != size:
            problems.append(Problem(file, f"Dimensionen '{dim.key}' har {len(dim.codes)} kategorier men 'size' "
                                          f"säger {size}.", column=f"dimension.{dim.key}"))
    values = dataset.get("value")
    if not isinstance(values, list | Mapping):
        problems.append(Problem(file, "JSON-stat-filen saknar 'value'."))
    elif isinstance(values, list) and not problems and len(values) != math.prod(sizes):
        problems.append(Problem(file, f"'value' har {len(values)} värden men dimensionerna ger "
                                      f"{math.prod(sizes)}.", column="value"))
    if problems:
        raise ImportRejected(problems)
    safe_roles = {k: [str(x) for x in v] for k, v in roles.items() if isinstance(v, list)} \
        if isinstance(roles, Mapping) else {}
    return _build(file, dims, safe_roles, _cells(values, math.prod(sizes)), _statuses(dataset.get("status")),
                  str(dataset.get("label") or ""), scb_kpi)


# -- PxWeb v1 json --------------------------------------------------------------------------------


def is_pxweb_json(payload: Any) -> bool:
    return isinstance(payload, Mapping) and isinstance(payload.get("columns"), list) \
        and isinstance(payload.get("data"), list)


def parse_pxweb_json(payload: Any, file: str, scb_kpi: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, KPI metadata) of PxWeb v1's ``json`` response (``columns`` and ``data``)."""
    columns = [c for c in payload["columns"] if isinstance(c, Mapping)]
    keys = [c for c in columns if c.get("type") in ("d", "t")]
    contents = [c for c in columns if c.get("type") == "c"]
    problems: list[Problem] = []
    if not contents:
        problems.append(Problem(file, "PxWeb-filen saknar en innehållskolumn (type \"c\")."))
    codes: list[dict[str, None]] = [{} for _ in keys]
    cells: dict[tuple[str, ...], list[Any]] = {}
    for i, entry in enumerate(payload["data"], start=1):
        key, vals = (entry.get("key"), entry.get("values")) if isinstance(entry, Mapping) else (None, None)
        if not isinstance(key, list) or not isinstance(vals, list) or len(key) != len(keys) \
                or len(vals) != len(contents):
            problems.append(Problem(file, f"Raden ska ha {len(keys)} nycklar och {len(contents)} värden.",
                                    column=f"data[{i}]"))
            continue
        for j, code in enumerate(key):
            codes[j][str(code)] = None
        cells[tuple(str(c) for c in key)] = vals
    if problems:
        raise ImportRejected(problems)
    metadata = payload.get("metadata")
    title = str(metadata[0].get("label") or "") if isinstance(metadata, list) and metadata \
        and isinstance(metadata[0], Mapping) else ""
    dims = [_Dimension(str(c.get("code")), str(c.get("text") or c.get("code")), list(found), {})
            for c, found in zip(keys, codes, strict=True)]
    metric = _Dimension("ContentsCode", "tabellinnehåll", [str(c.get("code")) for c in contents],
                        {str(c.get("code")): str(c.get("text") or c.get("code")) for c in contents})
    roles = {"time": [str(c.get("code")) for c in keys if c.get("type") == "t"], "metric": ["ContentsCode"]}
    all_dims = [*dims, metric]
    strides = [math.prod(len(d.codes) for d in all_dims[i + 1:]) for i in range(len(all_dims))]

    def cell(position: int) -> Any:
        parts = [d.codes[(position // s) % len(d.codes)] for d, s in zip(all_dims, strides, strict=True)]
        found = cells.get(tuple(parts[:-1]))
        return None if found is None else found[metric.codes.index(parts[-1])]

    return _build(file, all_dims, roles, cell, lambda i: "", title, scb_kpi)


# -- PxWeb CSV ------------------------------------------------------------------------------------


def find_header(lines: list[str]) -> tuple[int, str] | None:
    """The header's line number and separator: the first line with a region-like and a year column."""
    for number, line in enumerate(lines[:30]):
        for sep in (";", "\t", ","):
            cells = next(csv.reader([line], delimiter=sep))
            lowered = [c.strip().lower() for c in cells]
            if len(cells) >= 2 and any(_YEAR_HEADER.match(c.strip()) for c in cells) \
                    and any(c in _REGION_NAMES for c in lowered):
                return number, sep
    return None


def looks_like_pxweb_csv(raw: bytes) -> bool:
    """Whether a CSV file has PxWeb's shape (a region column and a column per year near the top)."""
    return find_header(decode_text(raw[:1 << 16]).splitlines()) is not None


def parse_pxweb_csv(raw: bytes, file: str, scb_kpi: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, KPI metadata) of a PxWeb CSV table: region, kön and one column per year."""
    text = decode_text(raw)
    lines = text.splitlines()
    found = find_header(lines)
    if found is None:
        raise ImportRejected([Problem(file, "Hittar ingen rubrikrad med en regionkolumn och en kolumn per år "
                                            "(t.ex. region;kön;2023 eller \"Folkmängd 2023\") bland de första 30 "
                                            "raderna.")])
    start, sep = found
    title = " ".join(line.strip().strip('"') for line in lines[:start] if line.strip())
    reader = list(csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=sep))
    header = [h.strip() for h in reader[0]]
    lowered = [h.lower() for h in header]
    region_col = next(i for i, h in enumerate(lowered) if h in _REGION_NAMES)
    sex_col = next((i for i, h in enumerate(lowered) if h in _SEX_NAMES), None)
    year_cols = {i: _YEAR_HEADER.match(h) for i, h in enumerate(header)}
    years = {i: m for i, m in year_cols.items() if m and i not in (region_col, sex_col)}
    problems: list[Problem] = []
    for i, h in enumerate(header):
        if i not in years and i not in (region_col, sex_col):
            problems.append(Problem(file, "Kolumnen känns inte igen: en PxWeb-tabell ska ha region, kön och en "
                                          "kolumn per år. Välj ett enda värde för övriga variabler i PxWeb.",
                                    row=start + 1, column=h))
    contents = {m.group("contents") for m in years.values() if m.group("contents")}
    if len(contents) > 1:
        problems.append(Problem(file, f"Tabellen har flera innehåll ({', '.join(sorted(contents))}); hämta ett i "
                                      "taget.", row=start + 1))
    if problems:
        raise ImportRejected(problems)
    rows: list[dict[str, Any]] = []
    ended = False
    for offset, cells in enumerate(reader[1:], start=start + 2):
        if not any(c.strip() for c in cells):
            ended = True
            continue
        if ended or (len(cells) == 1 and len(header) > 1):
            ended = True
            if len(cells) > 1 and any(c.strip() for c in cells[1:]):
                problems.append(Problem(file, "En rad med data efter tabellens slut (efter en tom rad eller en "
                                              "fotnot).", row=offset))
            continue  # footnotes
        if len(cells) != len(header):
            problems.append(Problem(file, f"Raden har {len(cells)} celler men rubrikraden {len(header)}.",
                                    row=offset))
            continue
        area = region_id(cells[region_col])
        if area is None:
            problems.append(Problem(file, "Regionen är inte en kommun, ett län eller riket (t.ex. 0180 Stockholm, "
                                          "20 Dalarnas län, 00 Riket).", row=offset, column=header[region_col],
                                    value=cells[region_col]))
            continue
        sex = scb_gender(cells[sex_col]) if sex_col is not None else "T"
        if sex is None:
            problems.append(Problem(file, "Okänt kön: använd män, kvinnor, totalt (eller SCB:s koder 1, 2, 1+2).",
                                    row=offset, column=header[sex_col or 0], value=cells[sex_col or 0]))
            continue
        for i, match in years.items():
            cell = cells[i].strip()
            try:
                value = _number(cell)
            except ValueError:
                problems.append(Problem(file, "Värdet är inte ett tal.", row=offset, column=header[i], value=cell))
                continue
            rows.append({"kpi": scb_kpi, "municipality_id": area, "period": int(match.group("year")),
                         "gender": sex, "value": value, "count": None,
                         "status": cell if value is None and cell else ""})
    if problems:
        raise ImportRejected(problems)
    values = _tidy(pd.DataFrame(rows, columns=VALUE_COLUMNS), file)
    divided = {"K", "M"} <= set(values["gender"])
    kpis = pd.DataFrame([{"id": scb_kpi, "title": next(iter(contents)) if contents else (title or scb_kpi),
                          "is_divided_by_gender": divided, "description": title, "auspice": "",
                          "operating_area": "", "source": SOURCE}], columns=KPI_COLUMNS)
    return values, kpis


# -- a client for PxWebApi 2 ----------------------------------------------------------------------


class PxWebClient:
    """Fetch one table as JSON-stat 2 from PxWebApi 2: ``GET {base}/tables/{id}/data?lang=sv&
    outputFormat=json-stat2&valueCodes[Region]=…``. Retries and timeouts as :class:`KoladaClient`."""

    def __init__(self, base_url: str = SCB_BASE_URL, **kwargs: Any) -> None:
        from jamkoll.indicators.client import KoladaClient

        self.base_url = base_url.rstrip("/")
        self._http = KoladaClient(self.base_url, service="SCB", **kwargs)

    def data_url(self, table: str, selection: Mapping[str, Iterable[str]], lang: str = "sv") -> str:
        query = [("lang", lang), ("outputFormat", "json-stat2")]
        query += [(f"valueCodes[{name}]", ",".join(codes)) for name, codes in selection.items()]
        return f"{self.base_url}/tables/{urllib.parse.quote(table, safe='')}/data?{urllib.parse.urlencode(query)}"

    def table(self, table: str, selection: Mapping[str, Iterable[str]], scb_kpi: str | None = None,
              lang: str = "sv") -> tuple[pd.DataFrame, pd.DataFrame]:
        """(values, KPI metadata) of ``table`` with the chosen value codes per variable."""
        payload = self._http.get_json(self.data_url(table, selection, lang))
        if not is_jsonstat(payload):
            raise ImportRejected([Problem(f"SCB {table}", "Svaret är inte JSON-stat 2.")])
        return parse_jsonstat(payload, f"SCB {table}", scb_kpi)
