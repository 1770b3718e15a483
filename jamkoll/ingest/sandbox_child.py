"""What the reader process of :mod:`jamkoll.ingest.sandbox` runs: check a workbook, then read it.

Imported once by the fork server, so that every reader process starts with pandas, Arrow and
python-calamine loaded.
"""

from __future__ import annotations

from pathlib import Path

import python_calamine  # noqa: F401  (loaded once in the fork server)

from jamkoll.ingest import readers
from jamkoll.ingest.problems import Problem
from jamkoll.ingest.xlsx_guard import UnsafeWorkbook, check_xlsx


def read_checked(path: Path, name: str, guard: bool = True) -> tuple[list[readers.Sheet], list[Problem]]:
    """Refuse a hostile workbook (:func:`check_xlsx`), else read it; every failure is a problem."""
    try:
        if guard:
            check_xlsx(path)
    except UnsafeWorkbook as exc:
        return [], [Problem(name, str(exc))]
    try:
        return readers._read_xlsx(name, path.read_bytes())
    except MemoryError:
        raise
    except Exception as exc:  # calamine's errors for broken XML, shared strings, styles and the like
        return [], [Problem(name, (
            f"Filen kunde inte läsas som XLSX ({exc.__class__.__name__}: {str(exc)[:200]}). "
            "Öppna den i Excel och spara om den, eller spara den som CSV, och försök igen."
        ))]
