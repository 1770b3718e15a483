"""Import participant data per the data contract (``shared/spec/participant-data.md``)."""

from jamkoll.ingest.importer import ImportReport, import_files, load_files, plan_files, validate_files
from jamkoll.ingest.problems import ImportRejected, Problem
from jamkoll.ingest.scope import ImportPlan, Scope, ScopeRefused, StoreChanged
from jamkoll.ingest.store import DEFAULT_STORE, Store, StoreVersion, VersionNotFound

__all__ = [
    "DEFAULT_STORE", "ImportPlan", "ImportRejected", "ImportReport", "Problem", "Scope", "ScopeRefused", "Store",
    "StoreChanged", "StoreVersion", "VersionNotFound", "import_files", "load_files", "plan_files", "validate_files",
]
