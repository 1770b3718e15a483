"""Store versions: an import replaces exactly its declared scope, is a new immutable version, and can be
rolled back; a failed or killed import leaves the previous version current."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jamkoll.cli import app
from jamkoll.ingest import Scope, ScopeRefused, Store, StoreChanged, VersionNotFound, import_files, plan_files
from jamkoll.ingest.compare import compare_versions
from jamkoll.ingest.scope import years_text

GOOD = Path(__file__).parent / "files" / "good"
HEADER = "inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum;timmar\n"


def good_files() -> list[Path]:
    return sorted(GOOD.iterdir())


def enrolment_file(folder: Path, rows: str, name: str = "inskrivningar.csv") -> Path:
    path = folder / name
    path.write_text(HEADER + textwrap.dedent(rows).strip() + "\n", encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """The good files (INS01 and INS02, 2024 and 2025) as version 1."""
    store = Store(tmp_path / "store")
    import_files(good_files(), store)
    return store


def ids(store: Store) -> list[str]:
    return sorted(store.table("enrolments")["enrolment_id"])


def frames(store: Store) -> dict[str, pd.DataFrame]:
    return {name: frame.sort_values(list(frame.columns)).reset_index(drop=True)
            for name, frame in store.tables().items()}


def test_uploading_one_year_keeps_every_other_year(store: Store, tmp_path: Path) -> None:
    # INS02 has E3 (2024), E5 and E6 (2025). A file of INS02's 2025: E5 changed, E7 new, E6 left out.
    later = enrolment_file(tmp_path, """
        E5;D005;INS02;2025-02-01;30
        E7;D001;INS02;2025-09-01;4
    """)
    planned = plan_files([later], store)
    assert planned.plan is not None and planned.plan.base_version == 1
    [change] = planned.plan.of("enrolments")
    assert (change.intervention_id, change.year) == ("INS02", 2025)
    assert (change.added, change.changed, change.removed) == (1, 1, 1)
    assert not planned.plan.removed_outside()
    assert ids(store) == ["E1", "E2", "E3", "E4", "E5", "E6"], "planning stores nothing"

    report = import_files([later], store)
    assert report.version == 2 and store.current_version() == 2
    assert ids(store) == ["E1", "E2", "E3", "E4", "E5", "E7"]  # 2024 of INS02 and all of INS01 kept
    enrolments = store.table("enrolments").set_index("enrolment_id")
    assert enrolments.at["E5", "hours"] == pytest.approx(30)
    # E3's components (2024) are kept; E6 had none; E5's (none in the new file) are replaced.
    assert set(store.table("components")["enrolment_id"]) == {"E1", "E2", "E3", "E4"}
    assert len(store.table("budgets")) == 3 and len(store.table("interventions")) == 2


def test_an_enrolment_moved_to_another_year_is_changed_not_duplicated(store: Store, tmp_path: Path) -> None:
    moved = enrolment_file(tmp_path, "E3;D003;INS02;2025-01-15;12,25")
    report = import_files([moved], store)
    assert report.plan is not None
    by_year = {c.year: c for c in report.plan.of("enrolments")}
    # The 2025 scope: E3 changed (it moved there); E5 and E6 of 2025 are removed.
    assert by_year[2025].changed == 1 and by_year[2025].removed == 2
    assert ids(store) == ["E1", "E2", "E3", "E4"]
    assert str(store.table("enrolments").set_index("enrolment_id").at["E3", "start_date"])[:10] == "2025-01-15"


def test_removal_outside_the_declared_year_needs_an_explicit_choice(store: Store, tmp_path: Path) -> None:
    # Declared 2025, but the file also has a 2024 row of INS02: replacing 2024 would remove E3.
    mixed = enrolment_file(tmp_path, """
        E5;D005;INS02;2025-02-01;25
        E6;D006;INS02;2025-03-01;5
        E8;D001;INS02;2024-11-01;2
    """)
    declared = Scope(years=frozenset({2025}))
    planned = plan_files([mixed], store, declared)
    assert planned.plan is not None
    [outside] = planned.plan.removed_outside()
    assert (outside.intervention_id, outside.years, outside.count) == ("INS02", [2024], 1)
    before = store.database.read_bytes()
    with pytest.raises(ScopeRefused) as refused:
        import_files([mixed], store, scope=declared)
    assert "1 inskrivningar för INS02 2024" in str(refused.value)
    assert store.current_version() == 1 and store.database.read_bytes() == before
    assert len(store.versions()) == 1
    report = import_files([mixed], store, scope=Scope(years=frozenset({2025}), allow_removal_outside=True))
    assert report.version == 2
    assert ids(store) == ["E1", "E2", "E4", "E5", "E6", "E8"]


def test_replacing_an_intervention_or_everything_is_explicit(store: Store, tmp_path: Path) -> None:
    one = enrolment_file(tmp_path, "E9;D001;INS02;2025-05-01;1")
    with pytest.raises(ScopeRefused):
        import_files([one], store, scope=Scope(mode="intervention"))
    plan = plan_files([one], store, Scope(mode="all")).plan
    assert plan is not None
    removed = {(r.intervention_id, r.count, r.outside, r.years_text) for r in plan.removals()}
    assert removed == {("INS01", 3, True, "2024–2025"), ("INS02", 1, True, "2024"), ("INS02", 2, False, "2025")}
    import_files([one], store, scope=Scope(mode="intervention", allow_removal_outside=True))
    assert ids(store) == ["E1", "E2", "E4", "E9"]
    assert set(store.table("components")["intervention_id"]) == {"INS01"}


def test_headcounts_are_replaced_per_intervention_and_year(store: Store, tmp_path: Path) -> None:
    counts = tmp_path / "antal.csv"
    counts.write_text("insats_id;år;kön;antal_deltagare\nINS01;2023;K;10\nINS01;2023;M;12\n"
                      "INS01;2024;K;20\nINS01;2024;M;22\n", encoding="utf-8")
    import_files([counts], store)
    update = tmp_path / "antal-2024.csv"
    update.write_text("insats_id;år;kön;antal_deltagare\nINS01;2024;K;21\n", encoding="utf-8")
    report = import_files([update], store)
    assert report.plan is not None
    [change] = report.plan.of("counts")
    assert (change.year, change.changed, change.removed) == (2024, 1, 1)
    stored = store.table("counts")
    assert sorted(zip(stored["year"], stored["sex"], stored["participants"], strict=True)) == [
        (2023, "men", 12), (2023, "women", 10), (2024, "women", 21)]


def test_an_enrolment_id_of_another_intervention_is_refused(store: Store, tmp_path: Path) -> None:
    from jamkoll.ingest import ImportRejected

    taken = enrolment_file(tmp_path, "E1;D001;INS02;2025-05-01;1")
    with pytest.raises(ImportRejected) as rejected:
        import_files([taken], store)
    [problem] = rejected.value.problems
    assert problem.column == "inskrivnings_id" and "annan insats" in problem.reason
    assert "INS01" not in problem.reason
    assert store.current_version() == 1


def test_rollback_restores_the_previous_version_exactly(demo_store: Path, tmp_path: Path) -> None:
    from jamkoll.analysis import AnalysisConfig, analyze

    folder = tmp_path / "demo"
    shutil.copytree(demo_store, folder)
    store = Store(folder)
    enrolments = store.table("enrolments")
    year = int(enrolments["start_date"].dt.year.max())
    person = str(enrolments["participant_id"].iloc[0])
    iid = str(enrolments["intervention_id"].value_counts().index[0])
    before_tables = frames(store)
    config = AnalysisConfig(year=year)
    before = analyze(store, config)

    one = enrolment_file(tmp_path, f"X1;{person};{iid};{year}-03-01;2")
    report = import_files([one], store)
    assert report.plan is not None and report.plan.totals("enrolments")["removed"] > 0
    assert len(store.table("enrolments")) < len(enrolments)
    other_years = enrolments[(enrolments["intervention_id"] != iid) | (enrolments["start_date"].dt.year != year)]
    assert set(other_years["enrolment_id"]) <= set(store.table("enrolments")["enrolment_id"])

    restored = store.rollback(1, author="test")
    assert (restored.number, restored.kind, restored.parent) == (3, "rollback", 1)
    assert store.current_version() == 3
    after_tables = frames(store)
    for name, frame in before_tables.items():
        pd.testing.assert_frame_equal(after_tables[name], frame, check_dtype=False, obj=name)
    after = analyze(store, config)
    pd.testing.assert_frame_equal(after.to_frame(), before.to_frame())
    assert [f.id for f in after.flagged()] == [f.id for f in before.flagged()]
    comparison = compare_versions(store, 1, 3)
    assert comparison.identical
    changed = compare_versions(store, 1, 2)
    assert not changed.identical
    assert sum(c.removed for c in changed.enrolments) == report.plan.totals("enrolments")["removed"]


def test_a_failed_import_mid_apply_leaves_the_previous_version(store: Store, tmp_path: Path) -> None:
    before = frames(store)
    later = enrolment_file(tmp_path, "E5;D005;INS02;2025-02-01;30")

    def crash() -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        store.apply(*_batch(later, store), scope=Scope(), after_stage=crash)
    assert store.current_version() == 1 and len(store.versions()) == 1
    assert not list(store.path.rglob("*.partial*"))
    for name, frame in frames(store).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)


def _batch(path: Path, store: Store) -> tuple:
    from jamkoll.ingest import load_files

    batch = load_files([path], store)
    return (batch.tables, batch.replaced_interventions, batch.described_interventions, [path.name], {})


KILLED = """
import os, signal, sys
from pathlib import Path
from jamkoll.ingest import Scope, Store, load_files
store = Store(sys.argv[1])
batch = load_files([Path(sys.argv[2])], store)
def die():
    Path(sys.argv[3]).write_text("applying")
    os.kill(os.getpid(), signal.SIGKILL)
store.apply(batch.tables, set(), batch.described_interventions, ["x.csv"], {}, scope=Scope(), after_stage=die)
"""


def test_a_killed_import_leaves_the_previous_version_intact(store: Store, tmp_path: Path) -> None:
    before = frames(store)
    later = enrolment_file(tmp_path, "E5;D005;INS02;2025-02-01;30")
    marker = tmp_path / "marker"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "OPENBLAS_NUM_THREADS": "1"}
    result = subprocess.run([sys.executable, "-c", KILLED, str(store.path), str(later), str(marker)],
                            env=env, capture_output=True, check=False)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    assert marker.read_text() == "applying", "killed in the middle of the import"
    assert list(store.path.rglob("*.partial*")), "the half-written version is left behind"
    assert store.current_version() == 1
    for name, frame in frames(store).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)
    # The next import goes through and sweeps what the killed one left.
    assert import_files([later], store).version == 2
    assert not list(store.path.rglob("*.partial*"))


def test_a_reader_and_an_import_at_the_same_time_both_succeed(store: Store, tmp_path: Path) -> None:
    later = enrolment_file(tmp_path, "E5;D005;INS02;2025-02-01;30")
    applying, read = threading.Event(), threading.Event()
    seen: list[list[str]] = []
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            assert applying.wait(60)
            seen.append(ids(store))  # while the import holds its write connection
            pinned = store.at_version()
            seen.append(sorted(pinned.table("enrolments")["enrolment_id"]))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            read.set()

    def pause() -> None:
        applying.set()
        assert read.wait(60)

    thread = threading.Thread(target=reader)
    thread.start()
    version, _plan = store.apply(*_batch(later, store), scope=Scope(), after_stage=pause)
    thread.join()
    assert not errors
    assert seen == [["E1", "E2", "E3", "E4", "E5", "E6"]] * 2, "the reader saw the previous version, whole"
    assert version.number == 2 and ids(store) == ["E1", "E2", "E3", "E4", "E5"]


def test_a_stale_check_is_refused(store: Store, tmp_path: Path) -> None:
    later = enrolment_file(tmp_path, "E5;D005;INS02;2025-02-01;30")
    import_files([later], store)
    with pytest.raises(StoreChanged):
        import_files([later], store, expect_base=1)


def test_old_versions_are_removed_beyond_the_retention(tmp_path: Path) -> None:
    store = Store(tmp_path / "store", keep_versions=2)
    for _ in range(4):
        import_files(good_files(), store)
    versions = store.versions()
    assert [v.number for v in versions] == [1, 2, 3, 4]
    assert [v.available for v in versions] == [False, False, True, True]
    assert not (store.path / "jamkoll.duckdb").exists() and not (store.path / "versions" / "0002.duckdb").exists()
    with pytest.raises(VersionNotFound):
        store.rollback(1)
    assert store.rollback(3).number == 5
    assert oct((store.path / "versions" / "0005.duckdb").stat().st_mode & 0o777) == "0o600"


def test_years_text() -> None:
    assert years_text([2021, 2022, 2023, 2024]) == "2021–2024"
    assert years_text([2021, 2023, None]) == "2021, 2023, utan år"
    assert years_text([2025, 2021, 2022]) == "2021–2022, 2025"


def test_cli_import_versions_and_rollback(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "store"
    result = runner.invoke(app, ["import", *map(str, good_files()), "--store", str(folder)])
    assert result.exit_code == 0, result.output
    one = enrolment_file(tmp_path, "E9;D001;INS02;2025-05-01;1")
    refused = runner.invoke(app, ["import", str(one), "--store", str(folder), "--replace", "intervention"])
    assert refused.exit_code == 1
    assert "Tar bort 1 inskrivningar för INS02 från 2024 (utanför de angivna åren)" in refused.output
    assert Store(folder).current_version() == 1
    default = runner.invoke(app, ["import", str(one), "--store", str(folder)])
    assert default.exit_code == 0, default.output
    assert "version 2" in default.output
    assert ids(Store(folder)) == ["E1", "E2", "E3", "E4", "E9"]
    listed = runner.invoke(app, ["versions", "--store", str(folder)])
    assert listed.exit_code == 0 and "2 (aktuell)" in listed.output
    back = runner.invoke(app, ["rollback", "1", "--store", str(folder)])
    assert back.exit_code == 0 and "som version 3" in back.output
    assert ids(Store(folder)) == ["E1", "E2", "E3", "E4", "E5", "E6"]
    assert runner.invoke(app, ["rollback", "9", "--store", str(folder)]).exit_code == 1
