"""Files in the vocabulary of SUS / Uppföljning Finsam, and the rule that no enrolment column is lost.

The SUS export is rebuilt in the test from SUS's own field names and code lists (inregistrering,
utregistrering, folkbokföringskommun, försörjning före/efter insats with SUS's labels, avslutsanledning
with felregistrering); personnummer are synthetic, checksum-valid numbers generated here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from jamkoll.ingest import ImportRejected, Store, import_files, validate_files
from jamkoll.ingest.schema import ENROLMENTS, INCOME_SUPPORT, value_lookup

TODAY = dt.date(2025, 6, 1)


def luhn_check_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def synthetic_pnr(born: str, serial: int) -> str:
    """A checksum-valid 12-digit personnummer for a birth date ``YYYYMMDD`` (synthetic test data)."""
    nine = born[2:] + f"{serial:03d}"
    return born + f"{serial:03d}" + luhn_check_digit(nine)


def interventions_csv(tmp_path: Path) -> Path:
    path = tmp_path / "insatser.csv"
    path.write_text("insats_id;namn;startdatum;slutdatum\nINS01;Steg framåt;2024-01-01;2030-12-31\n"
                    "INS02;Arbetsträning;2024-01-01;\n", encoding="utf-8")
    return path


SUS_HEADER = ["Personnummer", "Kön", "Folkbokföringskommun", "Insats", "Inregistreringsdatum",
              "Utregistreringsdatum", "Försörjning före insats", "Försörjning efter insats", "Avslutsanledning",
              "Utbildningsnivå"]


def sus_export(tmp_path: Path, rows: list[list[object]], name: str = "sus_export.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Deltagare"
    sheet.append(SUS_HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


P1, P2, P3 = synthetic_pnr("19850314", 123), synthetic_pnr("19900101", 456), synthetic_pnr("19771230", 789)


def sus_rows(misregistered: bool) -> list[list[object]]:
    return [
        [P1, "Kvinna", "0180", "INS01", "2024-01-15", "2024-06-30", "Sjukpenning inkl. rehabiliteringspenning",
         "Egen försörjning", "Avslutad enligt plan", "Gymnasium"],
        [P2, "Man", 180, "INS01", "2024-02-01", None, "Ekonomiskt bistånd", None, None, "Grundskola"],
        [P3, "Kvinna", "1280", "INS01", "2024-03-01", "2024-03-02", "Aktivitetsstöd inkl. utvecklingsersättning",
         "Ingen ersättning/okänd", "Felregistrering" if misregistered else "Avbrott", "Okänt"],
        [P1, "Kvinna", "0180", "INS02", "2024-08-01", "2025-01-31", "Arbetslöshetsersättning",
         "Aktivitetsersättning", "Avbrott", "Gymnasium"],
    ]


def test_sus_export_imports_with_its_vocabulary_mapped(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    report = import_files([interventions_csv(tmp_path), sus_export(tmp_path, sus_rows(False))], store, today=TODAY)
    enrolments = store.table("enrolments")
    assert len(enrolments) == 4
    by_start = enrolments.set_index(enrolments["start_date"].astype(str).str[:10])
    assert by_start.at["2024-01-15", "income_support_at_start"] == "sjukpenning"
    assert by_start.at["2024-01-15", "income_support_at_exit"] == "ingen"
    assert str(by_start.at["2024-01-15", "end_date"])[:10] == "2024-06-30"
    assert by_start.at["2024-02-01", "income_support_at_start"] == "försörjningsstöd"
    assert pd.isna(by_start.at["2024-02-01", "end_date"])
    assert by_start.at["2024-03-01", "income_support_at_start"] == "aktivitetsstöd"
    assert pd.isna(by_start.at["2024-03-01", "income_support_at_exit"])  # "Ingen ersättning/okänd": unknown
    assert by_start.at["2024-08-01", "income_support_at_start"] == "a-kassa"
    assert by_start.at["2024-08-01", "income_support_at_exit"] == "aktivitetsersättning"
    participants = store.table("participants").set_index("birth_year")
    # Folkbokföringskommun typed as the number 180 gets its leading zero back.
    assert participants.at[1990, "municipality_code"] == "0180"
    assert participants.at[1977, "municipality_code"] == "1280"
    assert participants.at[1985, "education"] == "gymnasial"
    assert participants.at[1990, "education"] == "förgymnasial"
    # The exit reason is kept with the enrolment, as the contract's code.
    extras = store.table("extra_values")
    reasons = extras[extras["column_name"] == "avslutsanledning"].merge(
        enrolments, left_on="entity_id", right_on="enrolment_id")
    assert sorted(zip(reasons["start_date"].astype(str).str[:10], reasons["value"], strict=True)) == [
        ("2024-01-15", "avslutad_enligt_plan"), ("2024-03-01", "avbruten"), ("2024-08-01", "avbruten")]
    # The report says how SUS's labels were read.
    said = " ".join(report.warnings)
    assert "'Ekonomiskt bistånd' → 'försörjningsstöd'" in said
    assert "'Ingen ersättning/okänd' → tomt (okänt)" in said


def test_felregistrering_removes_the_enrolment_with_a_note(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    import_files([interventions_csv(tmp_path), sus_export(tmp_path, sus_rows(False))], store, today=TODAY)
    assert len(store.table("enrolments")) == 4
    # The same export after the enrolment of P3 was registered out as felregistrering.
    later = sus_export(tmp_path, sus_rows(True), "sus_export_2.xlsx")
    report = import_files([later], store, today=TODAY)
    enrolments = store.table("enrolments")
    assert len(enrolments) == 3
    assert "2024-03-01" not in set(enrolments["start_date"].astype(str).str[:10])
    note = next(w for w in report.warnings if "Felregistrering" in w)
    assert "1 inskrivningar" in note and "rad 4" in note and "sus_export_2.xlsx" in note
    assert report.rows["enrolments"] == 3


def test_felregistrering_also_drops_a_participant_known_only_from_that_row(tmp_path: Path) -> None:
    report = validate_files([interventions_csv(tmp_path), sus_export(tmp_path, sus_rows(True))], today=TODAY)
    assert report.rows["participants"] == 2
    assert report.rows["enrolments"] == 3


def test_sus_code_lists_cover_every_income_support_label_named_in_the_issue() -> None:
    lookup = value_lookup(ENROLMENTS.column("income_support_at_start"))
    from jamkoll.ingest.schema import normalise_header

    for label in ("Sjukpenning inkl. rehabiliteringspenning", "Aktivitetsstöd inkl. utvecklingsersättning",
                  "Ekonomiskt bistånd", "Aktivitetsersättning", "Sjukersättning", "Arbetslöshetsersättning",
                  "Egen försörjning", "Annan försörjning"):
        assert lookup[normalise_header(label)] in INCOME_SUPPORT, label
    assert lookup[normalise_header("Ingen ersättning/okänd")] is None


def test_enrolment_columns_under_other_names_are_mapped_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "inskrivningar.csv"
    path.write_text("deltagar_id;kön;insats_id;Startdatum insats;Slutdatum;Avslutsorsak\n"
                    "D1;K;INS01;2024-02-01;2024-05-31;Avbrott\nD2;M;INS01;2024-03-01;;\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    report = import_files([interventions_csv(tmp_path), path], store, today=TODAY)
    enrolments = store.table("enrolments").set_index("participant_id")
    assert str(enrolments.at["D1", "start_date"])[:10] == "2024-02-01"
    assert str(enrolments.at["D1", "end_date"])[:10] == "2024-05-31"
    assert pd.isna(enrolments.at["D2", "end_date"])
    extras = store.table("extra_values")
    assert list(extras.loc[extras["column_name"] == "avslutsanledning", "value"]) == ["avbruten"]
    assert not any("bakgrundsvariabler" in w for w in report.warnings)


def test_unrecognised_enrolment_like_columns_are_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "inskrivningar.csv"
    path.write_text("deltagar_id;kön;insats_id;inskrivningsdatum;Datum för uppföljning;Ersättning efter 90 dagar;"
                    "Hobby\nD1;K;INS01;2024-02-01;2024-08-01;Sjukpenning;Fotboll\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    with pytest.raises(ImportRejected) as caught:
        import_files([interventions_csv(tmp_path), path], store, today=TODAY)
    refused = {p.column: p.reason for p in caught.value.problems}
    assert set(refused) == {"Datum för uppföljning", "Ersättning efter 90 dagar"}
    for reason in refused.values():
        assert "inskrivningen" in reason and "kan inte användas" in reason and "Byt rubriken" in reason
    assert store.table("enrolments").empty


def test_other_unknown_columns_are_kept_as_background_and_named(tmp_path: Path) -> None:
    path = tmp_path / "inskrivningar.csv"
    path.write_text("deltagar_id;kön;insats_id;inskrivningsdatum;Hobby\nD1;K;INS01;2024-02-01;Fotboll\n",
                    encoding="utf-8")
    store = Store(tmp_path / "store")
    report = import_files([interventions_csv(tmp_path), path], store, today=TODAY)
    assert any("bakgrundsvariabler: Hobby" in w for w in report.warnings)
    extras = store.table("extra_values")
    assert list(extras.loc[extras["column_name"] == "Hobby", "value"]) == ["Fotboll"]


def test_unknown_columns_of_tables_that_keep_none_are_named_as_unused(tmp_path: Path) -> None:
    path = tmp_path / "insatser.csv"
    path.write_text("insats_id;namn;Beslutsdatum\nINS01;Steg framåt;2023-11-20\n", encoding="utf-8")
    report = validate_files([path], today=TODAY)
    assert any("Beslutsdatum" in w and "används inte och sparas inte" in w for w in report.warnings)


def test_unknown_exit_reason_is_refused_with_the_code_list(tmp_path: Path) -> None:
    path = tmp_path / "inskrivningar.csv"
    path.write_text("deltagar_id;kön;insats_id;inskrivningsdatum;avslutsanledning\nD1;K;INS01;2024-02-01;Vet ej\n",
                    encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        validate_files([interventions_csv(tmp_path), path], today=TODAY)
    (problem,) = caught.value.problems
    assert problem.row == 2 and "avslutsanledning" in (problem.column or "")
    assert "felregistrering" in problem.reason and problem.value == "Vet ej"


def test_the_appendix_lists_every_spelling_of_the_code_lists() -> None:
    from jamkoll.ingest.schema import (
        EDUCATION_ALIASES,
        EXIT_REASON_ALIASES,
        INCOME_SUPPORT_ALIASES,
        OUTCOME_ALIASES,
    )

    appendix = (Path(__file__).parents[2] / "docs" / "data-contract-sus.md").read_text(encoding="utf-8").lower()
    for aliases in (INCOME_SUPPORT_ALIASES, EXIT_REASON_ALIASES, EDUCATION_ALIASES, OUTCOME_ALIASES):
        for spelling, code in aliases.items():
            assert spelling in appendix, spelling
            assert code is None or f"`{code}`" in appendix, code


def test_an_intervention_named_only_by_a_felregistrering_is_emptied_and_said_so(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    import_files([interventions_csv(tmp_path), sus_export(tmp_path, sus_rows(False))], store, today=TODAY)
    correction = sus_export(tmp_path, [[P1, "Kvinna", "0180", "INS02", "2024-08-01", "2025-01-31",
                                        "Arbetslöshetsersättning", None, "Felregistrering", None]], "rattelse.xlsx")
    report = import_files([correction], store, today=TODAY)
    enrolments = store.table("enrolments")
    assert set(enrolments["intervention_id"]) == {"INS01"} and len(enrolments) == 3
    assert any("INS02 har bara felregistrerade inskrivningar" in w for w in report.warnings)


def test_an_enrolment_column_in_a_participants_sheet_is_refused_not_kept_as_text(tmp_path: Path) -> None:
    path = tmp_path / "deltagare.csv"
    path.write_text("deltagar_id;kön;Inregistreringsdatum;Hobby\nD1;K;2024-02-01;Fotboll\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        validate_files([path], today=TODAY)
    (problem,) = caught.value.problems
    assert problem.column == "Inregistreringsdatum"
    assert "hör till tabellen inskrivningar, inte till deltagare" in problem.reason
    assert "bred tabell" in problem.reason


def test_interventions_named_by_name_get_their_id(tmp_path: Path) -> None:
    rows = sus_rows(False)
    for row in rows:
        row[3] = {"INS01": "Steg framåt", "INS02": "arbetsträning"}[str(row[3])]  # SUS exports the name
    store = Store(tmp_path / "store")
    report = import_files([interventions_csv(tmp_path), sus_export(tmp_path, rows)], store, today=TODAY)
    enrolments = store.table("enrolments")
    assert sorted(enrolments["intervention_id"]) == ["INS01", "INS01", "INS01", "INS02"]
    assert any("'Steg framåt' → INS01" in w and "'arbetsträning' → INS02" in w for w in report.warnings)
    # Later, with the interventions in the store only.
    later = sus_export(tmp_path, rows[:1], "later.xlsx")
    import_files([later], store, today=TODAY)
    assert set(store.table("enrolments")["intervention_id"]) == {"INS01", "INS02"}


def test_an_insats_name_column_beside_insats_id_is_named_not_doubled(tmp_path: Path) -> None:
    path = tmp_path / "inskrivningar.csv"
    path.write_text("deltagar_id;kön;Insats;insats_id;inskrivningsdatum\nD1;K;Steg framåt;INS01;2024-02-01\n",
                    encoding="utf-8")
    insatser = tmp_path / "insatser.csv"
    insatser.write_text("insats_id;Insats\nINS01;Steg framåt\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    report = import_files([insatser, path], store, today=TODAY)
    assert list(store.table("enrolments")["intervention_id"]) == ["INS01"]
    assert store.table("interventions").set_index("intervention_id").at["INS01", "name"] == "Steg framåt"
    assert any("kolumnen 'Insats' läses inte: insatsen anges redan i kolumnen 'insats_id'" in w
               for w in report.warnings)
