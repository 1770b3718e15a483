"""The local analysis store: a folder (default ``.jamkoll/``) of immutable DuckDB versions.

Every import (and every rollback) writes a **new version**: the current database file is copied,
the import is applied to the copy in one transaction, the copy is flushed to disk, and only then
does ``versions.json`` (the manifest: the current version number and the history of versions,
who, when, what) switch to it with an atomic ``os.replace``. Readers keep reading the version they
opened; a failed or killed import leaves a ``*.partial`` file that is never read and is deleted by
the next write, and the previous version stays current. Old version files are kept for rollback
(the newest ``keep_versions``, at least 2; see :data:`DEFAULT_KEEP_VERSIONS`).

Version 1 of a store is ``jamkoll.duckdb`` in the folder (as in stores written before versions
existed: a folder with that file and no manifest is version 1); later versions are
``versions/NNNN.duckdb``.

The analysis reads the current version through Ibis. The store holds pseudonyms only: the
personnummer column of the contract has no place in any table here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from jamkoll.ingest.scope import ImportPlan, Scope

DEFAULT_STORE = Path(".jamkoll")
DATABASE_FILE = "jamkoll.duckdb"
MANIFEST_FILE = "versions.json"
VERSIONS_DIR = "versions"
LOCK_FILE = ".write.lock"
# Version files kept for rollback (the current one always is): ``$JAMKOLL_KEEP_VERSIONS`` or 20.
DEFAULT_KEEP_VERSIONS = 20

# Column order and SQL types of every stored table.
STORE_SCHEMA: dict[str, dict[str, str]] = {
    "interventions": {
        "intervention_id": "VARCHAR", "name": "VARCHAR", "organization": "VARCHAR",
        "start_date": "DATE", "end_date": "DATE", "target_group": "VARCHAR",
    },
    "budgets": {"intervention_id": "VARCHAR", "year": "BIGINT", "budget_sek": "DOUBLE"},
    "participants": {
        "participant_id": "VARCHAR", "local_id": "VARCHAR", "sex": "VARCHAR", "birth_year": "BIGINT",
        "education": "VARCHAR", "born_abroad": "BOOLEAN", "disability": "BOOLEAN",
        "municipality_code": "VARCHAR",
    },
    "enrolments": {
        "enrolment_id": "VARCHAR", "participant_id": "VARCHAR", "intervention_id": "VARCHAR",
        "start_date": "DATE", "end_date": "DATE", "income_support_at_start": "VARCHAR",
        "months_in_support": "BIGINT", "income_support_at_exit": "VARCHAR", "employed_at_start": "VARCHAR",
        "referred_by": "VARCHAR", "outcome": "VARCHAR", "hours": "DOUBLE", "cost_sek": "DOUBLE",
    },
    "components": {
        "enrolment_id": "VARCHAR", "intervention_id": "VARCHAR", "component": "VARCHAR",
        "date": "DATE", "hours": "DOUBLE",
    },
    "counts": {
        "intervention_id": "VARCHAR", "year": "BIGINT", "sex": "VARCHAR", "participants": "BIGINT",
        "exits_to_work": "BIGINT", "exits_to_studies": "BIGINT",
    },
    "reference_population": {
        "year": "BIGINT", "municipality_code": "VARCHAR", "group": "VARCHAR", "women": "BIGINT", "men": "BIGINT",
    },
    # Unknown extra columns of participants and enrolments, kept as optional covariates.
    "extra_values": {"entity": "VARCHAR", "entity_id": "VARCHAR", "column_name": "VARCHAR", "value": "VARCHAR"},
    "imports": {"imported_at": "TIMESTAMP", "files": "VARCHAR", "summary": "VARCHAR"},
}

DATA_TABLES = [t for t in STORE_SCHEMA if t != "imports"]


@dataclass(frozen=True)
class StoreVersion:
    """One version of the store: what made it, when, by whom, and where its file is.

    ``kind`` is ``import`` (an import or confirmed upload), ``rollback`` (a copy of the earlier
    version ``parent``) or ``initial`` (a store written before versions existed). ``available`` is
    False once the file has been removed by the retention setting (it can no longer be restored).
    """

    number: int
    file: str
    created_at: str
    kind: str = "import"
    author: str | None = None
    files: list[str] = field(default_factory=list)
    parent: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    available: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "file": self.file, "created_at": self.created_at, "kind": self.kind,
                "author": self.author, "files": self.files, "parent": self.parent, "details": self.details,
                "available": self.available}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoreVersion:
        return cls(number=int(data["number"]), file=str(data["file"]), created_at=str(data["created_at"]),
                   kind=str(data.get("kind", "import")), author=data.get("author"),
                   files=list(data.get("files") or []), parent=data.get("parent"),
                   details=dict(data.get("details") or {}), available=bool(data.get("available", True)))


class VersionNotFound(LookupError):
    """No such version, or its file was removed by the retention setting."""


class Store:
    """A folder holding the versioned DuckDB analysis store."""

    def __init__(self, path: Path | str = DEFAULT_STORE, keep_versions: int | None = None):
        self.path = Path(path)
        keep = keep_versions if keep_versions is not None else int(
            os.environ.get("JAMKOLL_KEEP_VERSIONS") or DEFAULT_KEEP_VERSIONS)
        # The previous version must survive a switch: a reader may have just resolved it.
        self.keep_versions = max(2, keep)

    # -- versions -------------------------------------------------------------------------------------
    @property
    def manifest(self) -> Path:
        return self.path / MANIFEST_FILE

    def _read_manifest(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self.manifest.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return data

    def versions(self) -> list[StoreVersion]:
        """Every version, oldest first (an unversioned store with data is version 1)."""
        data = self._read_manifest()
        if data is None:
            legacy = self.path / DATABASE_FILE
            if not legacy.exists():
                return []
            created = dt.datetime.fromtimestamp(legacy.stat().st_mtime).isoformat(timespec="seconds")
            return [StoreVersion(1, DATABASE_FILE, created, kind="initial")]
        return [StoreVersion.from_dict(v) for v in data["versions"]]

    def current_version(self) -> int | None:
        """The number of the current version (None: no data yet)."""
        data = self._read_manifest()
        if data is None:
            return 1 if (self.path / DATABASE_FILE).exists() else None
        return int(data["current"])

    def version(self, number: int) -> StoreVersion:
        for v in self.versions():
            if v.number == number:
                return v
        raise VersionNotFound(f"Version {number} finns inte i {self.path}.")

    def version_database(self, number: int) -> Path:
        """The database file of a version (which must still be kept)."""
        v = self.version(number)
        path = self.path / v.file
        if not v.available or not path.exists():
            raise VersionNotFound(f"Version {number} finns inte längre kvar (se JAMKOLL_KEEP_VERSIONS).")
        return path

    @property
    def database(self) -> Path:
        """The database file of the current version."""
        data = self._read_manifest()
        if data is None:
            return self.path / DATABASE_FILE
        current = int(data["current"])
        for v in data["versions"]:
            if int(v["number"]) == current:
                return self.path / str(v["file"])
        raise VersionNotFound(f"Den aktuella versionen {current} saknas i {self.manifest}.")

    def at_version(self, number: int | None = None) -> Store:
        """This store fixed at one version (default: the current one), for reading it while imports go on."""
        number = number if number is not None else self.current_version()
        if number is None:
            return self
        return _PinnedStore(self.path, self.version_database(number), number, self.keep_versions)

    def fingerprint(self) -> str:
        """Changes whenever the current data does: version number, file, size and modification time."""
        path = self.database
        if not path.exists():
            return ""
        info = path.stat()
        wal = path.with_name(path.name + ".wal")
        extra = f"|wal:{wal.stat().st_size}:{wal.stat().st_mtime_ns}" if wal.exists() else ""
        return f"{self.current_version()}|{path.name}|{info.st_size}|{info.st_mtime_ns}{extra}"

    def exists(self) -> bool:
        try:
            return self.database.exists()
        except VersionNotFound:
            return False

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the current version.

        Read-write use (creating the tables, tests and benchmarks that plant data) changes the
        current file in place; imports never do: they write a new version (:meth:`write_version`).
        """
        if not read_only and not self.path.exists():
            # Personal data (pseudonymised): the folder, and so the database and its WAL, for the owner only.
            self.path.mkdir(parents=True, mode=0o700)
            self.path.chmod(0o700)  # mkdir's mode is limited by the umask; this is not
        new = not read_only and not self.database.exists()
        con = duckdb.connect(str(self.database), read_only=read_only)
        if new:
            self.database.chmod(0o600)
        try:
            if not read_only:
                _create_tables(con)
            yield con
        finally:
            con.close()

    @contextmanager
    def connect_version(self, number: int) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to an earlier (or the current) version."""
        con = duckdb.connect(str(self.version_database(number)), read_only=True)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """One writer per store, across threads and processes (an advisory ``flock``)."""
        import fcntl

        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def write_version(self, build: Callable[[duckdb.DuckDBPyConnection, int | None], dict[str, Any] | None], *,
                      kind: str = "import", author: str | None = None, files: list[str] | None = None,
                      parent: int | None = None, source: Path | None = None) -> StoreVersion:
        """Write a new version: copy ``source`` (default: the current version), let ``build`` change the
        copy inside one transaction, flush it, then switch the manifest to it atomically.

        ``build(con, base)`` gets the copy's connection and the number of the version it was copied
        from; what it returns is kept as the version's ``details``. On any error (or a kill) the
        current version stays as it was.
        """
        with self._write_lock():
            _sweep_partial(self.path)
            versions = self.versions()
            base = self.current_version()
            number = max((v.number for v in versions), default=0) + 1
            name = DATABASE_FILE if number == 1 else f"{VERSIONS_DIR}/{number:04d}.duckdb"
            target = self.path / name
            partial = target.with_name(target.name + ".partial")
            partial.parent.mkdir(parents=True, exist_ok=True)
            for stale in (target, partial, partial.with_name(partial.name + ".wal")):
                stale.unlink(missing_ok=True)
            origin = source if source is not None else (self.database if base is not None else None)
            _copy_database(origin, partial)
            try:
                con = duckdb.connect(str(partial))
                try:
                    _create_tables(con)
                    con.execute("BEGIN TRANSACTION")
                    try:
                        details = build(con, base) or {}
                        con.execute("COMMIT")
                    except BaseException:
                        con.execute("ROLLBACK")
                        raise
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
                _fsync(partial)
                os.replace(partial, target)
            except BaseException:
                for leftover in (partial, partial.with_name(partial.name + ".wal")):
                    leftover.unlink(missing_ok=True)
                raise
            created = StoreVersion(number, name, dt.datetime.now().isoformat(timespec="seconds"), kind=kind,
                                   author=author, files=list(files or []),
                                   parent=parent if parent is not None else base, details=details)
            history = versions + [created]
            history = self._retain(history, number)
            self._write_manifest(number, history)
            self._remove_pruned(history)
            return created

    def rollback(self, number: int, *, author: str | None = None) -> StoreVersion:
        """Make an earlier version current again, as a new version (so a rollback can itself be undone).

        The new version is an exact copy of version ``number``'s file.
        """
        source = self.version_database(number)
        current = self.current_version()
        return self.write_version(lambda con, base: {"restored": number, "replaced": current},
                                  kind="rollback", author=author, parent=number, source=source)

    def _retain(self, history: list[StoreVersion], current: int) -> list[StoreVersion]:
        kept = {v.number for v in history if v.available}
        newest = sorted(kept, reverse=True)[: self.keep_versions]
        return [v if v.number in newest or v.number == current or not v.available
                else dataclasses.replace(v, available=False) for v in history]

    def _remove_pruned(self, history: list[StoreVersion]) -> None:
        in_use = {v.file for v in history if v.available}
        for v in history:
            if not v.available and v.file not in in_use:
                for path in (self.path / v.file, self.path / (v.file + ".wal")):
                    path.unlink(missing_ok=True)

    def _write_manifest(self, current: int, history: list[StoreVersion]) -> None:
        text = json.dumps({"current": current, "versions": [v.to_dict() for v in history]},
                          ensure_ascii=False, indent=1, default=str)
        tmp = self.manifest.with_name(self.manifest.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.manifest)
        _fsync_dir(self.path)

    # -- reading --------------------------------------------------------------------------------------
    def ibis(self) -> Any:
        """An Ibis connection to the store, read-only (the analysis reads through this)."""
        import ibis

        if not self.exists():
            raise FileNotFoundError(f"Ingen analysdatabas i {self.path}: kör 'jamkoll import' först.")
        # An in-memory database with the store attached read-only: the analysis may then keep
        # temporary tables (in memory, spilling to disk) without ever writing to the store.
        con = ibis.duckdb.connect()
        con.raw_sql("SET enable_progress_bar = false")
        con.raw_sql(f"ATTACH '{self.database.resolve()}' AS store (READ_ONLY)")
        con.raw_sql("USE store")
        return con

    def enrolment_rows(self, intervention_id: str, offset: int = 0, limit: int = 200, *,
                       year: int | None = None, sex: str | None = None,
                       state: str | None = None) -> tuple[int, list[tuple[Any, ...]]]:
        """One intervention's enrolments at individual level (pseudonymised), a page at a time:
        (number of enrolments, rows of participant_id, sex, birth_year, start_date, end_date,
        income_support_at_start, outcome) ordered by start date and pseudonym.

        Filters: ``year`` (the enrolment started that year, as the analysis counts a year), ``sex``
        (``women``, ``men``, ``other``, ``unknown``) and ``state`` (``ongoing``: no end date;
        ``ended``: an end date). The count is of the enrolments the filters leave."""
        if not self.exists():
            return 0, []
        where: list[str] = ["e.intervention_id = ?"]
        params: list[Any] = [intervention_id]
        if year is not None:
            where.append("year(e.start_date) = ?")
            params.append(int(year))
        if sex is not None:
            where.append("coalesce(p.sex, 'unknown') = ?")
            params.append(sex)
        if state == "ongoing":
            where.append("e.end_date IS NULL")
        elif state == "ended":
            where.append("e.end_date IS NOT NULL")
        condition = " AND ".join(where)
        source = "FROM enrolments e LEFT JOIN participants p USING (participant_id)"
        with self.connect(read_only=True) as con:
            (total,) = con.execute(f"SELECT count(*) {source} WHERE {condition}", params).fetchone() or (0,)
            rows = con.execute(
                "SELECT e.participant_id, p.sex, p.birth_year, e.start_date, e.end_date, "
                f"e.income_support_at_start, e.outcome {source} WHERE {condition} "
                "ORDER BY e.start_date, e.participant_id, e.enrolment_id LIMIT ? OFFSET ?",
                [*params, limit, max(0, offset)],
            ).fetchall()
        return int(total), [tuple(r) for r in rows]

    def disclosure_secret(self) -> bytes:
        """The installation key, for the record keys of disclosure control (never stored in the store)."""
        from jamkoll.ingest.pseudonym import load_or_create_secret

        return load_or_create_secret()

    def table(self, name: str) -> pd.DataFrame:
        if not self.exists():
            return _empty(name)
        with self.connect(read_only=True) as con:
            return con.execute(f'SELECT * FROM "{name}"').df()

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: self.table(name) for name in DATA_TABLES}

    def known_ids(self, reach: set[str] | None = None) -> dict[str, set[str]]:
        """Identifiers already stored, for checking references of a new import.

        ``reach``: only participants and enrolments of these interventions count as known (a
        reporter's import: whether a person is enrolled elsewhere must make no difference).
        """
        if not self.exists():
            return {"interventions": set(), "participants": set(), "local_ids": set(), "enrolments": set()}
        people, enrolments, params = _reach_filters(reach)
        with self.connect(read_only=True) as con:
            def ids(sql: str, args: list[Any] | None = None) -> set[str]:
                return {r[0] for r in con.execute(sql, args or []).fetchall() if r[0] is not None}
            return {
                "interventions": ids("SELECT intervention_id FROM interventions"),
                "participants": ids(f"SELECT participant_id FROM participants{people}", params),
                "local_ids": ids(f"SELECT local_id FROM participants{people}", params),
                "enrolments": ids(f"SELECT enrolment_id FROM enrolments{enrolments}", params),
            }

    def enrolment_interventions(self, enrolment_ids: list[str]) -> dict[str, str]:
        """The stored intervention of each of these enrolment ids that the store holds."""
        if not self.exists() or not enrolment_ids:
            return {}
        with self.connect(read_only=True) as con:
            rows = con.execute("SELECT enrolment_id, intervention_id FROM enrolments WHERE enrolment_id IN "
                               "(SELECT unnest(?::VARCHAR[]))", [list(enrolment_ids)]).fetchall()
        return {str(e): str(i) for e, i in rows}

    def local_id_map(self, reach: set[str] | None = None) -> dict[str, str]:
        """Provider ids of stored participants (``reach``: only those enrolled in these interventions)."""
        if not self.exists():
            return {}
        people, _enrolments, params = _reach_filters(reach)
        where = f"{people} AND" if people else " WHERE"
        with self.connect(read_only=True) as con:
            rows = con.execute(f"SELECT local_id, participant_id FROM participants{where} local_id IS NOT NULL",
                               params)
            return dict(rows.fetchall())

    # -- writing an import ----------------------------------------------------------------------------
    def plan(self, batch: dict[str, pd.DataFrame], scope: Scope, described_interventions: set[str]) -> ImportPlan:
        """What applying ``batch`` with ``scope`` would add, change and remove, per intervention and year."""
        from jamkoll.ingest.scope import plan_changes, stage_batch

        if not self.exists():
            con = duckdb.connect()
            base = None
        else:
            con = duckdb.connect(str(self.database), read_only=True)
            base = self.current_version()
        try:
            if base is None:
                _create_tables(con)
            stage_batch(con, batch)
            return plan_changes(con, scope, described_interventions, base)
        finally:
            con.close()

    def apply(self, batch: dict[str, pd.DataFrame], replaced_interventions: set[str] | None = None,
              described_interventions: set[str] | None = None, files: list[str] | None = None,
              summary: dict[str, Any] | None = None, *, scope: Scope | None = None,
              author: str | None = None, expect_base: int | None = None, reach: set[str] | None = None,
              after_stage: Callable[[], None] | None = None) -> tuple[StoreVersion, ImportPlan]:
        """Write an import as a new version: all of it or, on any error, none of it.

        The import replaces exactly what ``scope`` declares (see :mod:`jamkoll.ingest.scope`);
        removals outside the declared years raise :class:`~jamkoll.ingest.scope.ScopeRefused`
        unless ``scope.allow_removal_outside``. ``expect_base``: refuse (``StoreChanged``) when the
        current version is no longer the one the user's check was made against.
        ``replaced_interventions`` is accepted for compatibility and not used: what is replaced
        follows from the rows and the scope. ``reach`` (a reporter's interventions): the stored
        attributes of a participant also enrolled in another intervention are kept as they are; how
        many differed is kept in the version's details (``participant_conflicts``) for an admin or
        analyst to resolve.
        """
        from jamkoll.ingest.scope import Scope as _Scope
        from jamkoll.ingest.scope import ScopeRefused, StoreChanged, apply_changes, plan_changes, stage_batch

        scope = scope or _Scope()
        described = set(described_interventions or set())
        result: dict[str, Any] = {}

        def build(con: duckdb.DuckDBPyConnection, base: int | None) -> dict[str, Any]:
            if expect_base is not None and base != expect_base:
                raise StoreChanged(expect_base, base)
            stage_batch(con, batch)
            plan = plan_changes(con, scope, described, base)
            if plan.removed_outside() and not scope.allow_removal_outside:
                raise ScopeRefused(plan)
            if after_stage:
                after_stage()
            conflicts = apply_changes(con, scope, described, reach)
            con.execute(
                "INSERT INTO imports VALUES (?, ?, ?)",
                [dt.datetime.now(), json.dumps(files or [], ensure_ascii=False),
                 json.dumps(summary or {}, ensure_ascii=False, default=str)],
            )
            result["plan"] = plan
            result["conflicts"] = conflicts
            return {"scope": scope.to_dict(), "plan": plan.to_dict(), "summary": summary or {},
                    "participant_conflicts": conflicts}

        version = self.write_version(build, kind="import", author=author, files=files)
        plan: ImportPlan = result["plan"]
        return version, plan


class _PinnedStore(Store):
    """A store read at one version whatever imports do meanwhile (see :meth:`Store.at_version`)."""

    def __init__(self, path: Path, database: Path, number: int, keep_versions: int):
        super().__init__(path, keep_versions)
        self._database = database
        self._number = number

    @property
    def database(self) -> Path:
        return self._database

    def current_version(self) -> int | None:
        return self._number

    def write_version(self, *args: Any, **kwargs: Any) -> StoreVersion:
        raise TypeError("A store fixed at one version is read-only.")


def _reach_filters(reach: set[str] | None) -> tuple[str, str, list[Any]]:
    """WHERE clauses limiting participants and enrolments to those of the interventions in ``reach``."""
    if reach is None:
        return "", "", []
    people = (" WHERE participant_id IN (SELECT participant_id FROM enrolments "
              "WHERE intervention_id IN (SELECT unnest(?::VARCHAR[])))")
    enrolments = " WHERE intervention_id IN (SELECT unnest(?::VARCHAR[]))"
    return people, enrolments, [sorted(reach)]


def _copy_database(source: Path | None, target: Path) -> None:
    """``target`` as a byte copy of the database ``source`` (None: a new, empty database).

    A source with a pending write-ahead log (a store changed in place by an older version of
    Jämkoll) is copied through DuckDB instead, so that the log's changes are not lost.
    """
    if source is None:
        duckdb.connect(str(target)).close()
    elif source.with_name(source.name + ".wal").exists():
        con = duckdb.connect()
        try:
            con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
            con.execute(f"ATTACH '{target}' AS dst")
            con.execute("COPY FROM DATABASE src TO dst")
        finally:
            con.close()
    else:
        shutil.copyfile(source, target)
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)


def _sweep_partial(folder: Path) -> None:
    """Delete what an import killed half-way left behind (never read: only the manifest points at files)."""
    for path in list(folder.glob("*.partial*")) + list((folder / VERSIONS_DIR).glob("*.partial*")):
        path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - a platform without directory descriptors
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name, columns in STORE_SCHEMA.items():
        cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        con.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({cols})')


def _empty(name: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in STORE_SCHEMA[name]})


def _arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame as an Arrow table for DuckDB, else (mixed Python objects in a column) the frame itself.

    DuckDB reads Arrow without converting: text columns are Arrow-backed already, and numbers and
    dates convert without a Python object per cell. Scanning pandas object columns instead was the
    slowest part of storing a large import. NaN in a float column becomes NULL either way.
    """
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame
