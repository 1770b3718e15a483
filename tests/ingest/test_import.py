"""Import of the data contract: good files in Swedish Excel habits, the bad-input corpus, the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from jamkoll.cli import app
from jamkoll.ingest import ImportRejected, Scope, Store, import_files, validate_files
from jamkoll.ingest.pseudonym import canonical_personnummer

FILES = Path(__file__).parent / "files"
GOOD = FILES / "good"


def good_files() -> list[Path]:
    return sorted(GOOD.iterdir())


def test_good_files_import_with_swedish_habits(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    report = import_files(good_files(), store)
    assert report.rows["enrolments"] == 6
    assert report.rows["budgets"] == 3
    assert report.sex == {"women": 2, "men": 2, "other": 1, "unknown": 1}
    enrolments = store.table("enrolments").set_index("enrolment_id")
    # Decimal comma and thousands space, cp1252 "ö" in a category, a Swedish "1/3 2024" date.
    assert enrolments.at["E1", "hours"] == pytest.approx(42.5)
    assert enrolments.at["E1", "cost_sek"] == pytest.approx(27000)
    assert enrolments.at["E1", "income_support_at_start"] == "sjukpenning"
    assert enrolments.at["E4", "income_support_at_start"] == "försörjningsstöd"
    assert pd.isna(enrolments.at["E3", "end_date"])
    budgets = store.table("budgets").set_index(["intervention_id", "year"])
    assert budgets.at[("INS01", 2024), "budget_sek"] == pytest.approx(1_200_000.50)
    interventions = store.table("interventions").set_index("intervention_id")
    assert str(interventions.at["INS02", "start_date"])[:10] == "2024-03-01"
    components = store.table("components")
    assert set(components["intervention_id"]) == {"INS01", "INS02"}


def test_import_replaces_the_interventions_it_names(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    import_files(good_files(), store)
    import_files(good_files(), store)
    assert len(store.table("enrolments")) == 6
    assert len(store.table("participants")) == 6
    # A later file naming only INS02, imported to replace every year of INS02, replaces INS02 and
    # leaves INS01 as it was (the default replaces only the file's years: tests/ingest/test_versions.py).
    later = tmp_path / "inskrivningar.csv"
    later.write_text(
        "inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\nE9;D001;INS02;2025-05-01\n", encoding="utf-8"
    )
    import_files([later], store, scope=Scope(mode="intervention", allow_removal_outside=True))
    enrolments = store.table("enrolments")
    assert sorted(enrolments["enrolment_id"]) == ["E1", "E2", "E4", "E9"]
    assert set(store.table("components")["intervention_id"]) == {"INS01"}


# Each case: the files that replace their namesakes among the good files, and a problem expected
# in the report (file, row, column fragment, reason fragment).
BAD_CASES = {
    "missing_required_column": ("inskrivningar.csv", None, "inskrivningsdatum", "Obligatorisk kolumn saknas"),
    "unknown_category": ("inskrivningar.csv", 2, "försörjning_vid_start", "Tillåtna värden: sjukpenning"),
    "invalid_personnummer": ("participants.csv", 2, "personnummer", "Ogiltigt personnummer"),
    "end_before_start": ("inskrivningar.csv", 2, "avslutsdatum", "före startdatum"),
    "future_date": ("inskrivningar.csv", 2, "inskrivningsdatum", "i framtiden"),
    "unknown_participant": ("inskrivningar.csv", 2, "deltagar_id", "deltagare som inte finns"),
    "unknown_intervention": ("inskrivningar.csv", 2, "insats_id", "insats som inte finns"),
    "duplicate_ids": ("participants.csv", 4, "deltagar_id", "finns redan på rad 2"),
    "number_with_text": ("inskrivningar.csv", 2, "timmar", "innehåller text"),
    "empty_file": ("inskrivningar.csv", None, None, "tom"),
    "wrong_file_type": ("deltagare.json", None, None, "Filtypen .json stöds inte"),
    "xlsx_named_csv": ("inskrivningar.csv", None, None, "XLSX- eller ZIP-fil"),
    "csv_named_xlsx": ("inskrivningar.xlsx", None, None, "inte en XLSX-fil"),
    "unknown_sex": ("participants.csv", 2, "kön", "Okänt värde för kön"),
}


def files_for(case: str, tmp_path: Path) -> list[Path]:
    folder = tmp_path / case
    shutil.copytree(GOOD, folder)
    for bad in (FILES / "bad" / case).iterdir():
        for namesake in folder.glob(Path(bad.name).stem + ".*"):
            namesake.unlink()
        shutil.copy(bad, folder / bad.name)
    return sorted(folder.iterdir())


def store_snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {name: sorted(map(tuple, frame.astype(str).to_numpy().tolist()))
            for name, frame in store.tables().items()}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_file_is_rejected_with_a_swedish_report_and_nothing_stored(case: str, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    import_files(good_files(), store)
    before = store_snapshot(store)
    file, row, column, reason = BAD_CASES[case]
    with pytest.raises(ImportRejected) as caught:
        import_files(files_for(case, tmp_path), store)
    matching = [p for p in caught.value.problems
                if p.file == file and p.row == row and reason in p.reason
                and (column is None or column in (p.column or ""))]
    assert matching, caught.value.summary()
    assert store_snapshot(store) == before


def test_every_case_of_the_corpus_is_tested() -> None:
    assert sorted(p.name for p in (FILES / "bad").iterdir()) == sorted([*BAD_CASES, "many_problems"])


def test_all_problems_of_a_file_are_listed(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        validate_files(files_for("many_problems", tmp_path))
    found = {(p.row, p.column, p.reason.split(".")[0]) for p in caught.value.problems}
    rows = {r for r, _, _ in found}
    assert {2, 3, 4} <= rows
    reasons = " ".join(p.reason for p in caught.value.problems)
    for fragment in ("före startdatum", "Ogiltigt datum", "innehåller text", "Tillåtna värden", "negativt"):
        assert fragment in reasons


def test_the_error_text_never_repeats_a_personnummer(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        validate_files(files_for("invalid_personnummer", tmp_path))
    text = caught.value.summary()
    assert "19850101" not in text and "850101" not in text and "1235" not in text
    assert canonical_personnummer("19850101-1235") is None


def test_cli_exits_non_zero_with_row_and_column(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["import", "--store", str(store), *map(str, files_for("end_before_start",
                                                                                          tmp_path))])
    assert result.exit_code == 1
    assert "rad 2" in result.output and "avslutsdatum" in result.output and "Inget har sparats" in result.output
    assert not (store / "jamkoll.duckdb").exists() or Store(store).table("enrolments").empty


def test_cli_validate_and_import_summaries(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["validate", *map(str, good_files())])
    assert result.exit_code == 0, result.output
    assert "inga fel" in result.output
    result = runner.invoke(app, ["import", "--store", str(tmp_path / "s"), *map(str, good_files())])
    assert result.exit_code == 0, result.output
    assert "kvinnor 2" in result.output and "män 2" in result.output and "okänt kön 1" in result.output


def test_wide_sheet_gives_the_same_tables_as_normalised_ones(tmp_path: Path) -> None:
    wide = tmp_path / "samlad.csv"
    wide.write_text(
        "deltagar_id;kön;födelseår;insats_id;inskrivningsdatum;avslutsdatum;timmar;praktik;kartläggning\n"
        "D001;K;1980;INS01;2024-02-01;2024-09-30;42,5;1;1\n"
        "D001;K;1980;INS02;2024-10-01;;10;0;1\n"
        "D002;M;1975;INS01;2024-03-15;;30;0;0\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    import_files([GOOD / "insatser.csv", wide], store)
    assert len(store.table("participants")) == 2
    enrolments = store.table("enrolments")
    assert len(enrolments) == 3
    components = store.table("components").merge(enrolments[["enrolment_id", "participant_id"]])
    assert sorted(zip(components["participant_id"], components["component"], strict=True)) == [
        ("D001", "kartläggning"), ("D001", "kartläggning"), ("D001", "praktik")]


def test_wide_sheet_with_conflicting_participant_rows_is_rejected(tmp_path: Path) -> None:
    wide = tmp_path / "samlad.csv"
    wide.write_text(
        "deltagar_id;kön;insats_id;inskrivningsdatum\nD001;K;INS01;2024-02-01\nD001;M;INS02;2024-10-01\n",
        encoding="utf-8")
    with pytest.raises(ImportRejected, match="olika uppgifter"):
        validate_files([GOOD / "insatser.csv", wide])
