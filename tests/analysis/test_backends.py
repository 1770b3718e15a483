"""The same analysis expressions on another engine: the demo store copied into PostgreSQL and analysed
through Ibis's PostgreSQL backend gives the findings and tables that DuckDB gives.

Runs whenever PostgreSQL answers on 127.0.0.1:5432 (user postgres, trust auth, as on every project
machine and in CI, where it is required); a user's machine without a server skips it.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from jamkoll.analysis import AnalysisConfig, analyze
from jamkoll.ingest import Store

PG_HOST, PG_PORT = "127.0.0.1", 5432
TABLES = ("interventions", "participants", "enrolments", "components", "counts", "budgets", "reference_population")


def _postgres_answers() -> bool:
    try:
        socket.create_connection((PG_HOST, PG_PORT), timeout=3).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def postgres_copy(demo_store: Path) -> Iterator[Any]:
    """A throw-away PostgreSQL database holding the demo store's tables, as an Ibis connection."""
    if not _postgres_answers():
        if os.environ.get("JAMKOLL_CI"):
            pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 but CI requires it")
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")
    import ibis
    import psycopg

    name = f"jamkoll_analysis_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        con = ibis.postgres.connect(host=PG_HOST, port=PG_PORT, user="postgres", database=name)
        source = Store(demo_store).ibis()
        for table in TABLES:
            expr = source.table(table)
            # The store's own column types: a column that is all NULL here is still typed there.
            con.create_table(table, ibis.memtable(expr.to_pandas(), schema=expr.schema()))
        source.disconnect()
        yield con
        con.disconnect()
    finally:
        with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres",
                             autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("year", [2025, None])
def test_postgres_gives_the_duckdb_findings_and_tables(demo_store: Path, postgres_copy: Any,
                                                       year: int | None) -> None:
    config = AnalysisConfig(year=year)
    on_duckdb = analyze(Store(demo_store), config)
    on_postgres = analyze(postgres_copy, config)

    assert on_postgres.flagged(), "the planted differences are found on PostgreSQL too"
    left = {f.id: f for f in on_duckdb.findings}
    right = {f.id: f for f in on_postgres.findings}
    assert left.keys() == right.keys()
    for key, finding in left.items():
        other = right[key]
        assert (other.status, other.n_women, other.n_men) == (finding.status, finding.n_women, finding.n_men), key
        for mine, theirs in ((finding.raw, other.raw), (finding.adjusted, other.adjusted)):
            if mine is None:
                assert theirs is None, key
            else:
                assert theirs is not None and theirs.estimate == pytest.approx(mine.estimate, rel=1e-9, abs=1e-9), key
    assert on_duckdb.tables.keys() == on_postgres.tables.keys()
    for key, table in on_duckdb.tables.items():
        pd.testing.assert_frame_equal(on_postgres.tables[key].frame, table.frame, check_dtype=False,
                                      check_exact=False, rtol=1e-9, obj=key)
