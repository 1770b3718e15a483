"""Import participant data per the data contract (``shared/spec/participant-data.md``)."""

from jamkoll.ingest.importer import ImportReport, import_files, load_files, validate_files
from jamkoll.ingest.problems import ImportRejected, Problem
from jamkoll.ingest.store import DEFAULT_STORE, Store

__all__ = [
    "DEFAULT_STORE", "ImportRejected", "ImportReport", "Problem", "Store",
    "import_files", "load_files", "validate_files",
]
