"""One entry point for every indicator file Jämkoll accepts: it tells the formats apart and returns
the values and, where the file has them, the KPI metadata.

Recognised, in this order:

* JSON: JSON-stat 2 or 1.x from PxWeb (:mod:`jamkoll.indicators.pxweb`); PxWeb v1 ``json``
  (``columns``/``data``); Kolada's KPI metadata (``values`` of ``id``/``title``); Kolada's municipality
  list (refused with an explanation: the register is built in); else Kolada values (``values`` of
  ``kpi``/``municipality``/``period``).
* CSV/TXT with an SCB id (``scb_kpi``): a PxWeb CSV table (title lines, region, kön, a column per year).
* CSV/XLSX otherwise: Kolada's long shape, including rKolada's ``write.csv``/``write.csv2`` files; an
  XLSX with ``scb_kpi`` is an SCB table by sex (:func:`jamkoll.indicators.kolada.parse_scb_table`).

Every file is read whole or refused whole (:class:`jamkoll.ingest.problems.ImportRejected`, Swedish).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from jamkoll.indicators import kolada, pxweb
from jamkoll.ingest.problems import ImportRejected, Problem
from jamkoll.ingest.readers import decode_text, read_file

__all__ = ["IndicatorFile", "read_indicator_bytes", "read_indicators"]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


@dataclass(frozen=True)
class IndicatorFile:
    """What one file held: tidy values (possibly none), KPI metadata (or None), the format's name and
    the source to attribute (``Kolada`` or ``SCB``)."""

    values: pd.DataFrame
    kpis: pd.DataFrame | None
    format: str
    source: str


def _json(name: str, raw: bytes, scb_kpi: str | None) -> IndicatorFile:
    try:
        payload = json.loads(decode_text(raw))
    except json.JSONDecodeError as exc:
        raise ImportRejected([Problem(name, f"Filen är inte giltig JSON (rad {exc.lineno}, tecken {exc.colno}): "
                                            f"{exc.msg}.")]) from exc
    except RecursionError as exc:  # hostile nesting: refused, not a crash
        raise ImportRejected([Problem(name, "Filen är för djupt nästlad för att vara Koladas eller SCB:s JSON.")]) \
            from exc
    if pxweb.is_jsonstat(payload):
        values, kpis = pxweb.parse_jsonstat(payload, name, scb_kpi)
        version = "JSON-stat 2" if isinstance(payload, dict) and payload.get("class") == "dataset" else "JSON-stat 1"
        return IndicatorFile(values, kpis, version, pxweb.SOURCE)
    if pxweb.is_pxweb_json(payload):
        values, kpis = pxweb.parse_pxweb_json(payload, name, scb_kpi)
        return IndicatorFile(values, kpis, "PxWeb json", pxweb.SOURCE)
    if kolada.is_municipality_metadata(payload):
        raise ImportRejected([Problem(name, "Filen är Koladas lista över kommuner och regioner, inte värden. Jämkoll "
                                            "har kommunregistret inbyggt: läs in värden eller nyckeltal i stället.")])
    if kolada.is_kpi_metadata(payload):
        return IndicatorFile(kolada.empty_values(), kolada.parse_kpis(payload, name), "Kolada nyckeltal", "Kolada")
    return IndicatorFile(kolada.parse_values([payload], name), None, "Kolada värden", "Kolada")


def _source_column(sheets: list[Any]) -> str | None:
    """The one source named in a ``source``/``källa`` column (Jämkoll's own CSV downloads), if any."""
    found = set()
    for sheet in sheets:
        for column in sheet.frame.columns:
            if str(column).strip().lower() in kolada.SOURCE_HEADERS:
                found |= {str(v).strip().removeprefix("Källa:").strip() for v in sheet.frame[column]} - {""}
    return found.pop() if len(found) == 1 else None


def read_indicator_bytes(name: str, raw: bytes, scb_kpi: str | None = None) -> IndicatorFile:
    """Read one file's bytes; ``name`` gives the format (by its extension) and names the file in messages."""
    suffix = Path(name).suffix.lower()
    if suffix == ".json":
        return _json(name, raw, scb_kpi)
    if scb_kpi and suffix in CSV_SUFFIXES:
        values, kpis = pxweb.parse_pxweb_csv(raw, name, scb_kpi)
        return IndicatorFile(values, kpis, "PxWeb CSV", pxweb.SOURCE)
    if suffix in CSV_SUFFIXES and pxweb.looks_like_pxweb_csv(raw):
        raise ImportRejected([Problem(name, "Filen ser ut som en tabell från SCB:s Statistikdatabas (region, kön och "
                                            "en kolumn per år) men har ingen kod för nyckeltalet: ange nyckeltalets id "
                                            "(--scb-kpi, eller fältet 'Nyckeltalets id för SCB-tabeller'), eller "
                                            "hämta tabellen som JSON-stat 2.")])
    import tempfile

    with tempfile.TemporaryDirectory(prefix="jamkoll-indicators-") as tmp:
        path = Path(tmp) / f"upload{suffix or '.csv'}"
        path.write_bytes(raw)
        sheets, problems = read_file(path)
    if problems:
        raise ImportRejected([Problem(name, p.reason, p.sheet, p.row, p.column, p.value) for p in problems])
    if scb_kpi:
        frames = [kolada.parse_scb_table(s.frame, name, scb_kpi) for s in sheets]
        source, fmt = pxweb.SOURCE, "SCB-tabell"
    else:
        frames = [kolada.parse_values_frame(s.frame, name) for s in sheets]
        source, fmt = _source_column(sheets) or "Kolada", "Kolada CSV"
    values = kolada._deduplicated(pd.concat(frames, ignore_index=True), name) if frames else kolada.empty_values()
    return IndicatorFile(values, None, fmt, source)


def read_indicators(path: Path, name: str | None = None, scb_kpi: str | None = None) -> IndicatorFile:
    """Read the indicator file at ``path`` (see the module's list of formats)."""
    label = name or path.name
    return read_indicator_bytes(label if Path(label).suffix else path.name, path.read_bytes(), scb_kpi=scb_kpi)
