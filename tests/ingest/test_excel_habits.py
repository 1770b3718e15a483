"""Workbooks as people make them: title rows, merged and two-row headers, serial dates, hidden and lookup
sheets, numbers that lost their leading zeros, planned end dates, and headcount tables.

Every workbook is built here with openpyxl the way Excel users lay them out; personnummer are
synthetic, checksum-valid numbers generated in the test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from jamkoll.ingest import ImportRejected, Store, import_files, validate_files
from jamkoll.ingest.layout import find_header

TODAY = dt.date(2025, 6, 1)


def luhn_check_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def ten_digit_pnr(yymmdd: str, serial: int) -> str:
    """A checksum-valid 10-digit personnummer (synthetic test data)."""
    nine = yymmdd + f"{serial:03d}"
    return nine + luhn_check_digit(nine)


def interventions_sheet(workbook: openpyxl.Workbook, end: object = None) -> None:
    sheet = workbook.create_sheet("Insatser")
    sheet.append(["insats_id", "namn", "startdatum", "slutdatum"])
    sheet.append(["INS01", "Steg framåt", dt.date(2024, 1, 1), end])
    sheet.append(["INS02", "Arbetsträning", dt.date(2024, 1, 1), None])


def new_workbook() -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    return workbook


def test_title_rows_above_the_header_and_the_row_taken_is_reported(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Deltagare")
    sheet["A1"] = "Deltagare i Steg framåt – uppföljning 2024"
    sheet.merge_cells("A1:E1")
    sheet["A2"] = "Uppdaterad av: handläggare"
    sheet.append([])
    sheet.append(["deltagar_id", "kön", "födelseår", "insats_id", "inskrivningsdatum"])
    sheet.append(["D1", "K", 1980, "INS01", dt.date(2024, 2, 1)])
    sheet.append(["D2", "M", 1975, "INS01", dt.date(2024, 3, 15)])
    path = tmp_path / "deltagare.xlsx"
    workbook.save(path)
    store = Store(tmp_path / "store")
    report = import_files([path], store, today=TODAY)
    participants = store.table("participants").set_index("participant_id")
    assert participants.at["D1", "sex"] == "women" and participants.at["D2", "birth_year"] == 1975
    assert any("blad Deltagare: rad 4 togs som rubrikrad" in w for w in report.warnings)


def test_a_problem_below_a_title_points_at_the_row_the_user_sees(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Deltagare")
    sheet["A1"] = "Deltagare 2024"
    sheet.merge_cells("A1:D1")
    sheet.append(["deltagar_id", "kön", "insats_id", "inskrivningsdatum"])
    sheet.append(["D1", "K", "INS01", "2024-02-01"])
    sheet.append(["D2", "Q", "INS01", "2024-02-01"])
    path = tmp_path / "deltagare.xlsx"
    workbook.save(path)
    with pytest.raises(ImportRejected) as caught:
        validate_files([path], today=TODAY)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.value) == ("Deltagare", 4, "Q")


def test_two_row_merged_header_is_combined(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Uppföljning")
    sheet["A1"] = "Uppföljning Steg framåt"
    sheet.merge_cells("A1:G1")
    for column, title in zip("ABC", ("deltagar_id", "kön", "insats_id"), strict=True):
        sheet[f"{column}2"] = title
        sheet.merge_cells(f"{column}2:{column}3")  # spans both header rows
    sheet["D2"] = "Inskrivning"
    sheet.merge_cells("D2:E2")
    sheet["D3"], sheet["E3"] = "inskrivningsdatum", "avslutsdatum"
    sheet["F2"] = "Försörjning"
    sheet.merge_cells("F2:G2")
    sheet["F3"], sheet["G3"] = "före insats", "efter insats"
    sheet.append(["D1", "K", "INS01", dt.date(2024, 2, 1), dt.date(2024, 9, 30), "Ekonomiskt bistånd", "Lön"])
    sheet.append(["D2", "M", "INS01", dt.date(2024, 3, 1), None, "Sjukpenning", None])
    path = tmp_path / "uppfoljning.xlsx"
    workbook.save(path)
    store = Store(tmp_path / "store")
    report = import_files([path], store, today=TODAY)
    enrolments = store.table("enrolments").set_index("participant_id")
    assert enrolments.at["D1", "income_support_at_start"] == "försörjningsstöd"
    assert enrolments.at["D1", "income_support_at_exit"] == "ingen"
    assert str(enrolments.at["D1", "end_date"])[:10] == "2024-09-30"
    assert enrolments.at["D2", "income_support_at_start"] == "sjukpenning"
    assert any("raderna 2–3" in w and "'Försörjning före insats'" in w for w in report.warnings)


def test_serial_dates_in_general_cells_and_date_times_shown_as_dates(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Inskrivningar")
    sheet.append(["deltagar_id", "kön", "insats_id", "inskrivningsdatum", "avslutsdatum"])
    sheet.append(["D1", "K", "INS01", 45307, 45382.75])  # General cells: 2024-01-16 and 2024-03-31 18:00
    sheet.append(["D2", "M", "INS01", dt.datetime(2024, 5, 31, 14, 30), None])
    sheet["D3"].number_format = "yyyy-mm-dd"  # the time is there but not shown
    path = tmp_path / "inskrivningar.xlsx"
    workbook.save(path)
    store = Store(tmp_path / "store")
    import_files([path], store, today=TODAY)
    enrolments = store.table("enrolments").set_index("participant_id")
    assert str(enrolments.at["D1", "start_date"])[:10] == "2024-01-16"
    assert str(enrolments.at["D1", "end_date"])[:10] == "2024-03-31"
    assert str(enrolments.at["D2", "start_date"])[:10] == "2024-05-31"


def test_hidden_and_lookup_sheets_are_skipped_and_said_so(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Deltagare")
    sheet.append(["deltagar_id", "kön", "insats_id", "inskrivningsdatum"])
    sheet.append(["D1", "Kvinna", "INS01", "2024-02-01"])
    hidden = workbook.create_sheet("Data")
    hidden.append(["kön", "försörjning"])
    hidden.append(["Kvinna", "Sjukpenning"])
    hidden.sheet_state = "hidden"
    lookup = workbook.create_sheet("Koder")
    lookup.append(["Kod", "Betydelse"])
    lookup.append(["K", "Kvinna"])
    path = tmp_path / "deltagare.xlsx"
    workbook.save(path)
    report = validate_files([path], today=TODAY)
    assert report.rows["enrolments"] == 1
    said = " ".join(report.warnings)
    assert "blad Data: lästes inte (dolt blad)" in said
    assert "blad Koder: lästes inte (uppslagslista" in said


def test_a_column_with_data_but_no_header_is_refused(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Deltagare")
    sheet.append(["deltagar_id", "kön", "insats_id", "inskrivningsdatum", None])
    sheet.append(["D1", "K", "INS01", "2024-02-01", "2024-06-30"])
    path = tmp_path / "deltagare.xlsx"
    workbook.save(path)
    with pytest.raises(ImportRejected) as caught:
        validate_files([path], today=TODAY)
    (problem,) = caught.value.problems
    assert problem.column == "(utan rubrik, kolumn E)" and "ingen rubrik" in problem.reason


def test_numbers_that_lost_leading_zeros_are_restored_and_the_checksum_decides(tmp_path: Path) -> None:
    born_2005 = ten_digit_pnr("050101", 234)  # starts with 0: Excel keeps 9 digits of it as a number
    born_1988 = ten_digit_pnr("880229", 345)
    assert born_2005.startswith("0")
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Deltagare")
    sheet.append(["personnummer", "kön", "kommunkod", "insats_id", "inskrivningsdatum"])
    sheet.append([int(born_2005), "K", 180, "INS01", "2024-02-01"])
    sheet.append([int(born_1988), "M", 1280, "INS01", "2024-02-01"])
    path = tmp_path / "deltagare.xlsx"
    workbook.save(path)
    store = Store(tmp_path / "store")
    import_files([path], store, today=TODAY)
    participants = store.table("participants").set_index("birth_year")
    assert participants.at[2005, "municipality_code"] == "0180"
    assert participants.at[1988, "municipality_code"] == "1280"
    # Nothing of the number is stored: the id is a pseudonym.
    assert born_2005 not in " ".join(map(str, store.table("participants").to_numpy().ravel()))

    wrong = str(int(born_2005))[:-1] + str((int(born_2005[-1]) + 1) % 10)
    sheet["A2"] = int(wrong)
    workbook.save(path)
    with pytest.raises(ImportRejected) as caught:
        validate_files([path], today=TODAY)
    (problem,) = caught.value.problems
    assert problem.row == 2 and "Ogiltigt personnummer" in problem.reason and problem.value is None


def test_planned_end_date_of_an_intervention_may_lie_ahead_but_not_an_enrolment(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook, end=dt.date(2030, 12, 31))
    sheet = workbook.create_sheet("Deltagare")
    sheet.append(["deltagar_id", "kön", "insats_id", "inskrivningsdatum"])
    sheet.append(["D1", "K", "INS01", "2024-02-01"])
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    store = Store(tmp_path / "store")
    import_files([path], store, today=TODAY)
    interventions = store.table("interventions").set_index("intervention_id")
    assert str(interventions.at["INS01", "end_date"])[:10] == "2030-12-31"
    sheet["D2"] = "2030-01-01"
    workbook.save(path)
    with pytest.raises(ImportRejected, match="i framtiden"):
        validate_files([path], today=TODAY)


def summary_workbook(tmp_path: Path, title: str | None, total_row: bool = True) -> Path:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Årsrapport")
    if title:
        sheet["A1"] = title
        sheet.merge_cells("A1:D1")
        sheet.append([])
    sheet.append(["Insats", "Kvinnor", "Män", "Totalt"])
    sheet.append(["INS01", 12, 9, 22])
    sheet.append(["INS02", 7, 5, 12])
    if total_row:
        sheet.append(["Totalt", 19, 14, 34])
    path = tmp_path / "arsrapport.xlsx"
    workbook.save(path)
    return path


def test_annual_report_table_is_read_as_counts(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    report = import_files([summary_workbook(tmp_path, "Deltagare per insats 2024")], store, today=TODAY)
    counts = store.table("counts")
    got = sorted(zip(counts["intervention_id"], counts["year"], counts["sex"], counts["participants"], strict=True))
    assert got == [("INS01", 2024, "men", 9), ("INS01", 2024, "unknown", 1), ("INS01", 2024, "women", 12),
                   ("INS02", 2024, "men", 5), ("INS02", 2024, "women", 7)]
    said = " ".join(report.warnings)
    assert "lästes som tabellen antal" in said and "summeringsrader hoppades över (rad 6)" in said


def test_annual_report_table_without_a_year_points_to_the_counts_table(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        validate_files([summary_workbook(tmp_path, None)], today=TODAY)
    (problem,) = caught.value.problems
    assert problem.sheet == "Årsrapport"
    assert "året framgår inte" in problem.reason and "tabellen antal" in problem.reason
    assert "jamkoll template" in problem.reason


def test_anonymous_rows_are_counted_per_intervention_year_and_sex(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Anonyma")
    sheet.append(["Insats", "Kön", "Ålder", "Startdatum", "Slutdatum"])
    sheet.append(["INS01", "K", 34, dt.date(2023, 11, 1), dt.date(2024, 2, 1)])
    sheet.append(["INS01", "K", 41, dt.date(2024, 3, 1), None])
    sheet.append(["INS01", "M", 29, dt.date(2024, 4, 1), dt.date(2024, 5, 1)])
    path = tmp_path / "anonyma.xlsx"
    workbook.save(path)
    store = Store(tmp_path / "store")
    report = import_files([path], store, today=TODAY)
    counts = store.table("counts")
    got = sorted(zip(counts["year"], counts["sex"], counts["participants"], strict=True))
    # The first woman took part in 2023 and 2024; the second from 2024 and still in 2025 (TODAY).
    assert got == [(2023, "women", 1), (2024, "men", 1), (2024, "women", 2), (2025, "women", 1)]
    assert store.table("participants").empty and store.table("enrolments").empty
    said = " ".join(report.warnings)
    assert "3 anonyma deltagare" in said and "kolumnerna Ålder används inte" in said


def test_anonymous_rows_without_an_intervention_are_refused_with_the_remedy(tmp_path: Path) -> None:
    path = tmp_path / "anonyma.csv"
    path.write_text("kön;ålder;startdatum;slutdatum\nK;34;2024-01-10;\nM;50;2024-02-01;2024-03-01\n",
                    encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        validate_files([path], today=TODAY)
    (problem,) = caught.value.problems
    assert "anonyma deltagare" in problem.reason and "'insats'" in problem.reason
    assert "tabellen antal (insats_id, år, kön, deltagare)" in problem.reason


def test_find_header_prefers_the_row_naming_known_columns() -> None:
    rows = [["Rapport", "", ""], ["", "", ""], ["insats_id", "namn", "år"], ["INS01", "Steg", 2024]]
    layout = find_header(rows, [((0, 0), (0, 2))])
    assert layout is not None
    assert (layout.header, layout.rows, layout.body_start, layout.title) == (
        ["insats_id", "namn", "år"], (2,), 3, "Rapport")
    # Nothing recognised: the first row with two filled cells, not a one-cell title.
    layout = find_header([["Titel", ""], ["a", "b"], ["1", "2"]])
    assert layout is not None and layout.rows == (1,) and layout.recognised == 0


def test_serial_dates_in_a_csv_saved_from_excel(tmp_path: Path) -> None:
    # A CSV saved from Excel with General date cells carries the serial numbers.
    path = tmp_path / "inskrivningar.csv"
    path.write_text("deltagar_id;kön;insats_id;inskrivningsdatum\nD1;K;INS01;45307\n", encoding="utf-8")
    insatser = tmp_path / "insatser.csv"
    insatser.write_text("insats_id;namn\nINS01;Steg framåt\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    import_files([insatser, path], store, today=TODAY)
    start = store.table("enrolments")["start_date"]
    assert pd.Timestamp(start.iloc[0]).date() == dt.date(2024, 1, 16)


def test_a_value_merged_down_over_rows_applies_to_each_row(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Deltagare")
    sheet.append(["insats_id", "deltagar_id", "kön", "inskrivningsdatum"])
    sheet.append(["INS01", "D1", "K", "2024-02-01"])
    sheet.append([None, "D2", "M", "2024-02-15"])
    sheet.append([None, "D3", "K", "2024-03-01"])
    sheet.append(["INS02", "D4", "M", "2024-04-01"])
    sheet.merge_cells("A2:A4")
    path = tmp_path / "deltagare.xlsx"
    workbook.save(path)
    store = Store(tmp_path / "store")
    report = import_files([path], store, today=TODAY)
    enrolments = store.table("enrolments").set_index("participant_id")
    assert enrolments["intervention_id"].to_dict() == {"D1": "INS01", "D2": "INS01", "D3": "INS01", "D4": "INS02"}
    assert any("1 sammanfogade cellområden" in w for w in report.warnings)


def test_the_first_data_row_is_not_taken_for_a_second_header_row() -> None:
    # "Typ" is unknown and its first value is a component name: without merged cells above, no pair.
    rows = [["inskrivnings_id", "delinsats", "Typ"], ["E1", "praktik", "praktik"], ["E2", "kartläggning", "x"]]
    layout = find_header(rows, [])
    assert layout is not None and layout.rows == (0,) and layout.header == ["inskrivnings_id", "delinsats", "Typ"]


def test_annual_report_table_naming_interventions_by_name(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Antal 2024")
    sheet.append(["Insats", "Kvinnor", "Män", "Totalt"])
    sheet.append(["Steg framåt", 12, 9, 21])
    path = tmp_path / "arsrapport.xlsx"
    workbook.save(path)
    store = Store(tmp_path / "store")
    report = import_files([path], store, today=TODAY)
    counts = store.table("counts")
    assert sorted(zip(counts["intervention_id"], counts["year"], counts["sex"], counts["participants"],
                      strict=True)) == [("INS01", 2024, "men", 9), ("INS01", 2024, "women", 12)]
    assert any("'Steg framåt' → INS01" in w for w in report.warnings)


def test_a_visible_sheet_of_drop_down_lists_is_skipped_and_said_so(tmp_path: Path) -> None:
    workbook = new_workbook()
    interventions_sheet(workbook)
    sheet = workbook.create_sheet("Deltagare")
    sheet.append(["deltagar_id", "kön", "insats_id", "inskrivningsdatum", "försörjning_vid_start"])
    sheet.append(["D1", "Kvinna", "INS01", "2024-02-01", "Sjukpenning"])
    sheet.append(["D2", "Kvinna", "INS01", "2024-02-01", "Sjukpenning"])
    lists = workbook.create_sheet("Blad3")
    lists.append(["Kön", "Försörjning"])
    for sex, support in (("Kvinna", "Sjukpenning"), ("Man", "Ekonomiskt bistånd"), ("Annat", "Lön")):
        lists.append([sex, support])
    path = tmp_path / "deltagare.xlsx"
    workbook.save(path)
    report = validate_files([path], today=TODAY)
    assert report.rows["enrolments"] == 2
    assert any("blad Blad3: lästes inte (uppslagslista" in w for w in report.warnings)


def test_a_sheet_with_a_title_saved_as_csv(tmp_path: Path) -> None:
    insatser = tmp_path / "insatser.csv"
    insatser.write_text("insats_id;namn\nINS01;Steg framåt\n", encoding="utf-8")
    path = tmp_path / "deltagare.csv"
    path.write_text("Deltagare i Steg framåt 2024;;;\n;;;\ndeltagar_id;kön;insats_id;inskrivningsdatum\n"
                    "D1;K;INS01;2024-02-01\nD2;Q;INS01;2024-02-01\n", encoding="cp1252")
    with pytest.raises(ImportRejected) as caught:
        validate_files([insatser, path], today=TODAY)
    (problem,) = caught.value.problems
    assert problem.row == 5 and problem.value == "Q"  # the row number the user sees
    path.write_text(path.read_text(encoding="cp1252").replace("D2;Q", "D2;M"), encoding="cp1252")
    report = validate_files([insatser, path], today=TODAY)
    assert report.sex["women"] == 1 and report.sex["men"] == 1
    assert any("deltagare.csv: rad 3 togs som rubrikrad" in w for w in report.warnings)


def test_a_csv_column_with_data_but_no_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deltagare.csv"
    path.write_text("deltagar_id;kön;;\nD1;K;2024-06-30;\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        validate_files([path], today=TODAY)
    (problem,) = caught.value.problems
    assert problem.column == "(utan rubrik, kolumn C)"
