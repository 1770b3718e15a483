"""The same analysis expressions on other engines: the demo store copied into PostgreSQL, or into a
local Spark session, and analysed through Ibis gives the findings and tables that DuckDB gives.

PostgreSQL runs whenever a server answers on 127.0.0.1:5432 (user postgres, trust auth, as on every
project machine and in CI, where it is required); Spark needs Java (`make test` installs Debian's
default-jre-headless). A user's machine without them skips these tests; CI fails instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from dataclasses import replace
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


def _missing(reason: str) -> None:
    if os.environ.get("JAMKOLL_CI"):
        pytest.fail(f"{reason}, but CI requires it")
    pytest.skip(reason)


def _copy_tables(demo_store: Path, con: Any) -> None:
    import ibis

    source = Store(demo_store).ibis()
    for table in TABLES:
        expr = source.table(table)
        # The store's own column types: a column that is all NULL here is still typed there.
        con.create_table(table, ibis.memtable(expr.to_pandas(), schema=expr.schema()), overwrite=True)
    source.disconnect()


@pytest.fixture(scope="module")
def spark_copy(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A local two-core Spark session holding the demo store's tables, as an Ibis connection."""
    if shutil.which("java") is None:
        _missing("Java is not installed (Spark needs it)")
    import ibis
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("jamkoll-tests")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))
             .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={tmp_path_factory.mktemp('derby')}")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    try:
        con = ibis.pyspark.connect(spark)
        _copy_tables(demo_store, con)
        yield con
    finally:
        spark.stop()


@pytest.fixture(scope="module")
def postgres_copy(demo_store: Path) -> Iterator[Any]:
    """A throw-away PostgreSQL database holding the demo store's tables, as an Ibis connection."""
    if not _postgres_answers():
        _missing("PostgreSQL is not reachable at 127.0.0.1:5432")
    import ibis
    import psycopg

    name = f"jamkoll_analysis_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        con = ibis.postgres.connect(host=PG_HOST, port=PG_PORT, user="postgres", database=name)
        _copy_tables(demo_store, con)
        yield con
        con.disconnect()
    finally:
        with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres",
                             autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("year", [2025, None])
def test_postgres_gives_the_duckdb_findings_and_tables(demo_store: Path, postgres_copy: Any,
                                                       year: int | None) -> None:
    assert_same_analysis(demo_store, postgres_copy, AnalysisConfig(year=year))


@pytest.mark.slow
def test_spark_gives_the_duckdb_findings_and_tables(demo_store: Path, spark_copy: Any) -> None:
    assert_same_analysis(demo_store, spark_copy, AnalysisConfig(year=2025))


def assert_same_analysis(demo_store: Path, con: Any, config: AnalysisConfig) -> None:
    # The installation key reaches the analysis through the configuration on every engine.
    config = replace(config, secret=Store(demo_store).disclosure_secret())
    on_duckdb = analyze(Store(demo_store), config)
    on_other = analyze(con, config)

    assert on_other.flagged(), "the planted differences are found on the other engine too"
    left = {f.id: f for f in on_duckdb.findings}
    right = {f.id: f for f in on_other.findings}
    assert left.keys() == right.keys()
    for key, finding in left.items():
        other = right[key]
        assert (other.status, other.n_women, other.n_men) == (finding.status, finding.n_women, finding.n_men), key
        for mine, theirs in ((finding.raw, other.raw), (finding.adjusted, other.adjusted)):
            if mine is None:
                assert theirs is None, key
            else:
                assert theirs is not None, key
                if mine.estimate is None:  # withheld by the publication gate: withheld on both
                    assert theirs.estimate is None, key
                else:
                    assert theirs.estimate == pytest.approx(mine.estimate, rel=1e-9, abs=1e-9), key
    assert on_duckdb.tables.keys() == on_other.tables.keys()
    for key, table in on_duckdb.tables.items():
        pd.testing.assert_frame_equal(on_other.tables[key].frame, table.frame, check_dtype=False,
                                      check_exact=False, rtol=1e-9, obj=key)
