"""The Excel template: its sheets, drop-down lists from the schema, and a clean import once filled in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from jamkoll.cli import app
from jamkoll.ingest import Store, import_files
from jamkoll.ingest.schema import ENROLMENTS, EXIT_REASONS, INCOME_SUPPORT, SEX_INPUT
from jamkoll.ingest.template import TEMPLATE_TABLES, template_bytes

TODAY = dt.date(2025, 6, 1)


def luhn_check_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def synthetic_pnr(born: str, serial: int) -> str:
    """A checksum-valid 12-digit personnummer (synthetic test data)."""
    nine = born[2:] + f"{serial:03d}"
    return born + f"{serial:03d}" + luhn_check_digit(nine)


def write_cli_template(tmp_path: Path) -> Path:
    out = tmp_path / "mall.xlsx"
    result = CliRunner().invoke(app, ["template", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def list_values(workbook: openpyxl.Workbook, sheet_name: str, header: str) -> list[str]:
    """The values of the drop-down list of a column, read through its validation formula."""
    sheet = workbook[sheet_name]
    headers = [c.value for c in sheet[1]]
    letter = openpyxl.utils.get_column_letter(headers.index(header) + 1)
    (validation,) = [v for v in sheet.data_validations.dataValidation if f"{letter}2" in v]
    assert validation.type == "list"
    target, cells = validation.formula1.split("!")
    first, last = cells.replace("$", "").split(":")
    return [c.value for (c,) in workbook[target][f"{first}:{last}"]]


def test_template_has_a_sheet_per_table_with_swedish_headers_and_instructions(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(write_cli_template(tmp_path))
    assert workbook.sheetnames[0] == "Instruktioner"
    assert [t.swedish for t in TEMPLATE_TABLES] == ["insatser", "deltagare", "inskrivningar", "delinsatser", "antal"]
    for table in TEMPLATE_TABLES:
        headers = [c.value for c in workbook[table.swedish][1]]
        assert headers == [c.swedish[0] for c in table.columns]
    assert workbook["Listor"].sheet_state == "hidden"
    text = " ".join(str(c.value) for (c,) in workbook["Instruktioner"].iter_rows(max_col=1) if c.value)
    assert "felregistrering" in text and "antal" in text and "pseudonym" in text


def test_drop_down_lists_come_from_the_schema(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(write_cli_template(tmp_path))
    assert list_values(workbook, "deltagare", "kön") == list(SEX_INPUT)
    assert list_values(workbook, "antal", "kön") == list(SEX_INPUT)
    assert list_values(workbook, "inskrivningar", "försörjning_vid_start") == list(INCOME_SUPPORT)
    assert list_values(workbook, "inskrivningar", "försörjning_vid_avslut") == list(INCOME_SUPPORT)
    assert list_values(workbook, "inskrivningar", "avslutsanledning") == list(EXIT_REASONS)
    outcome = ENROLMENTS.column("outcome")
    assert list_values(workbook, "inskrivningar", "status_efter_avslut") == list(outcome.categories)


def test_filled_template_imports_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "ifylld.xlsx"
    path.write_bytes(template_bytes())
    workbook = openpyxl.load_workbook(path)
    pnr = synthetic_pnr("19820704", 318)

    def fill(sheet: str, values: dict[str, object]) -> None:
        ws = workbook[sheet]
        headers = [c.value for c in ws[1]]
        row = ws.max_row + 1 if any(c.value for c in ws[ws.max_row]) and ws.max_row > 1 else 2
        for header, value in values.items():
            ws.cell(row=row, column=headers.index(header) + 1, value=value)

    fill("insatser", {"insats_id": "INS01", "namn": "Steg framåt", "startdatum": dt.date(2024, 1, 1),
                      "slutdatum": dt.date(2030, 12, 31)})
    fill("deltagare", {"personnummer": pnr, "kön": "kvinna", "kommunkod": "0180"})
    fill("deltagare", {"deltagar_id": "D2", "kön": "man", "födelseår": 1979})
    fill("inskrivningar", {"personnummer": pnr, "insats_id": "INS01", "inskrivningsdatum": dt.date(2024, 2, 1),
                           "avslutsdatum": dt.date(2024, 8, 31), "avslutsanledning": "avslutad_enligt_plan",
                           "försörjning_vid_start": "sjukpenning", "försörjning_vid_avslut": "ingen"})
    fill("inskrivningar", {"deltagar_id": "D2", "insats_id": "INS01", "inskrivningsdatum": dt.date(2024, 3, 1),
                           "avslutsanledning": "felregistrering"})
    fill("antal", {"insats_id": "INS01", "år": 2024, "kön": "okänt", "deltagare": 6})
    workbook.save(path)

    store = Store(tmp_path / "store")
    report = import_files([path], store, today=TODAY)
    enrolments = store.table("enrolments")
    assert len(enrolments) == 1  # the felregistrering row is removed
    row = enrolments.iloc[0]
    assert (row["income_support_at_start"], row["income_support_at_exit"]) == ("sjukpenning", "ingen")
    participants = store.table("participants").set_index("birth_year")
    assert participants.at[1982, "municipality_code"] == "0180" and participants.at[1982, "sex"] == "women"
    counts = store.table("counts")
    assert list(zip(counts["sex"], counts["participants"], strict=True)) == [("unknown", 6)]
    said = " ".join(report.warnings)
    assert "blad Instruktioner: lästes inte" in said and "blad Listor: lästes inte (dolt blad)" in said
    # Nothing unknown: every column of the template is a column of the contract.
    assert not any("bakgrundsvariabler" in w or "används inte" in w for w in report.warnings)


def test_every_offered_sex_is_one_the_importer_reads() -> None:
    from jamkoll.ingest.schema import SEX_ALIASES, SEX_CODES

    assert {SEX_ALIASES[v] for v in SEX_INPUT} == set(SEX_CODES)
