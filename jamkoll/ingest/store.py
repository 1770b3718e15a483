"""The local analysis store: one DuckDB file in a folder (default ``.jamkoll/``).

The import writes it in one transaction; the analysis reads it through Ibis.
It holds pseudonyms only: the personnummer column of the contract has no
place in any table here.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

DEFAULT_STORE = Path(".jamkoll")
DATABASE_FILE = "jamkoll.duckdb"

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


class Store:
    """A folder holding the DuckDB analysis store."""

    def __init__(self, path: Path | str = DEFAULT_STORE):
        self.path = Path(path)

    @property
    def database(self) -> Path:
        return self.path / DATABASE_FILE

    def exists(self) -> bool:
        return self.database.exists()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if not read_only:
            self.path.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(self.database), read_only=read_only)
        try:
            if not read_only:
                _create_tables(con)
            yield con
        finally:
            con.close()

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

    def known_ids(self) -> dict[str, set[str]]:
        """Identifiers already stored, for checking references of a new import."""
        if not self.exists():
            return {"interventions": set(), "participants": set(), "local_ids": set(), "enrolments": set()}
        with self.connect(read_only=True) as con:
            def ids(sql: str) -> set[str]:
                return {r[0] for r in con.execute(sql).fetchall() if r[0] is not None}
            return {
                "interventions": ids("SELECT intervention_id FROM interventions"),
                "participants": ids("SELECT participant_id FROM participants"),
                "local_ids": ids("SELECT local_id FROM participants"),
                "enrolments": ids("SELECT enrolment_id FROM enrolments"),
            }

    def local_id_map(self) -> dict[str, str]:
        if not self.exists():
            return {}
        with self.connect(read_only=True) as con:
            rows = con.execute("SELECT local_id, participant_id FROM participants WHERE local_id IS NOT NULL")
            return dict(rows.fetchall())

    def apply(self, batch: dict[str, pd.DataFrame], replaced_interventions: set[str],
              described_interventions: set[str], files: list[str], summary: dict[str, Any]) -> None:
        """Write an import in one transaction: all of it or, on any error, none of it."""
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                ids = sorted(replaced_interventions)
                described = sorted(described_interventions)
                for name in ("enrolments", "components", "counts"):
                    con.execute(f"DELETE FROM {name} WHERE intervention_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
                for name in ("interventions", "budgets"):
                    con.execute(f"DELETE FROM {name} WHERE intervention_id IN (SELECT unnest(?::VARCHAR[]))",
                                [described])
                con.execute(
                    "DELETE FROM extra_values WHERE entity = 'enrolments' AND entity_id NOT IN "
                    "(SELECT enrolment_id FROM enrolments)"
                )
                _upsert(con, "participants", batch.get("participants"), ["participant_id"])
                _upsert(con, "reference_population", batch.get("reference_population"),
                        ["year", "municipality_code", "group"])
                _upsert(con, "extra_values", batch.get("extra_values"), ["entity", "entity_id", "column_name"])
                for name in ("interventions", "budgets", "enrolments", "components", "counts"):
                    _insert(con, name, batch.get(name))
                con.execute(
                    "INSERT INTO imports VALUES (?, ?, ?)",
                    [dt.datetime.now(), json.dumps(files, ensure_ascii=False),
                     json.dumps(summary, ensure_ascii=False, default=str)],
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise


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


def _insert(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame | None) -> None:
    if frame is None or frame.empty:
        return
    columns = list(STORE_SCHEMA[name])
    data = _arrow(frame.reindex(columns=columns))
    con.register("_incoming", data)
    try:
        select = ", ".join(f'CAST("{c}" AS {t}) AS "{c}"' for c, t in STORE_SCHEMA[name].items())
        con.execute(f'INSERT INTO "{name}" SELECT {select} FROM _incoming')
    finally:
        con.unregister("_incoming")


def _upsert(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame | None, keys: list[str]) -> None:
    if frame is None or frame.empty:
        return
    con.register("_keys", _arrow(frame[keys]))
    try:
        match = " AND ".join(f't."{k}" = k."{k}"' for k in keys)
        con.execute(f'DELETE FROM "{name}" t WHERE EXISTS (SELECT 1 FROM _keys k WHERE {match})')
    finally:
        con.unregister("_keys")
    _insert(con, name, frame)
