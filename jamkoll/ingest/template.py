"""An Excel template of the data contract that imports cleanly once filled in.

One sheet per table (insatser, deltagare, inskrivningar, delinsatser, antal) with the Swedish headers
the importer reads, an instructions sheet first, and a hidden sheet "Listor" holding the code lists
that the data validation (drop-down lists) of every category column points at: kön, försörjning,
avslutsanledning, utbildningsnivå and the others, all taken from :mod:`jamkoll.ingest.schema`, the one
source of the contract's codes. Identifier, personnummer and kommunkod columns are formatted as text,
so that Excel keeps leading zeros; date columns as ``yyyy-mm-dd``. The importer skips the
instructions and the hidden list sheet (see :mod:`jamkoll.ingest.layout`).

``template_bytes()`` gives the file for a download (the web upload page); ``write_template(path)``
writes it (``jamkoll template --out mall.xlsx``).
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jamkoll.ingest.schema import (
    COMPONENTS,
    COUNTS,
    ENROLMENTS,
    INTERVENTIONS,
    KNOWN_COMPONENTS,
    PARTICIPANTS,
    SEX_INPUT,
    Column,
    Table,
)

TEMPLATE_FILENAME = "jamkoll-mall.xlsx"
TEMPLATE_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_TABLES: tuple[Table, ...] = (INTERVENTIONS, PARTICIPANTS, ENROLMENTS, COMPONENTS, COUNTS)
INSTRUCTIONS_SHEET = "Instruktioner"
LISTS_SHEET = "Listor"
# Data validation covers the whole column below the header.
_LAST_ROW = 1_048_576

_TABLE_HELP = {
    "interventions": "en rad per insats (och år, om budgeten anges per år)",
    "participants": "en rad per deltagare; deltagar_id eller personnummer",
    "enrolments": "en rad per deltagare och insats; pekar på deltagare och insats",
    "components": "en rad per inskrivning och delinsats",
    "counts": "antal per insats, år och kön, för anonyma deltagare och insatser som bara räknar huvuden",
}
_TYPE_HELP = {
    "text": "text", "date": "datum (ÅÅÅÅ-MM-DD)", "number": "tal", "integer": "heltal", "boolean": "ja/nej",
    "category": "välj i listan", "sex": "välj i listan", "personnummer": "12 siffror, kontrolleras och ersätts "
    "av en pseudonym vid import",
}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def header(col: Column) -> str:
    """The Swedish header the template uses for a column (the contract's first Swedish spelling)."""
    return col.swedish[0] if col.swedish else col.name


def code_list(col: Column) -> tuple[str, ...]:
    """The values offered in a column's drop-down list, or () for a column without one."""
    if col.type == "sex":
        return SEX_INPUT
    if col.type == "category":
        return col.categories
    if col.type == "boolean":
        return ("ja", "nej")
    if col.name == "component":
        return KNOWN_COMPONENTS
    return ()


def build_template() -> Workbook:
    """The template workbook (see the module docstring)."""
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = INSTRUCTIONS_SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_ranges: dict[tuple[str, ...], str] = {}

    def list_range(values: tuple[str, ...], title: str) -> str:
        if values not in list_ranges:
            column = get_column_letter(len(list_ranges) + 1)
            lists[f"{column}1"] = title
            for i, value in enumerate(values, start=2):
                lists[f"{column}{i}"] = value
            list_ranges[values] = f"{LISTS_SHEET}!${column}$2:${column}${len(values) + 1}"
        return list_ranges[values]

    for table in TEMPLATE_TABLES:
        sheet = workbook.create_sheet(table.swedish)
        for j, col in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            cell = sheet.cell(row=1, column=j, value=header(col))
            cell.font = Font(bold=True)
            cell.fill = _REQUIRED_FILL if col.required else _HEADER_FILL
            sheet.column_dimensions[letter].width = max(14, len(header(col)) + 4)
            cells = f"{letter}2:{letter}{_LAST_ROW}"
            # A column style: Excel gives it to every cell typed into the column.
            number_format = {"date": "yyyy-mm-dd", "personnummer": "@", "text": "@"}.get(col.type)
            if number_format:
                sheet.column_dimensions[letter].number_format = number_format
            values = code_list(col)
            if values:
                validation = DataValidation(
                    type="list", formula1=list_range(values, header(col)), allow_blank=True,  # OOXML: no "="
                    showErrorMessage=col.name != "component",  # other component names are accepted too
                    errorTitle="Ogiltigt värde", error=f"Välj ett värde i listan för {header(col)}.",
                    promptTitle=header(col), prompt="Välj i listan.", showInputMessage=True,
                )
                validation.add(cells)
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
    _instructions(instructions)
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    return workbook


def _instructions(sheet: object) -> None:
    from openpyxl.worksheet.worksheet import Worksheet

    assert isinstance(sheet, Worksheet)
    lines: list[tuple[str, bool]] = [
        ("Mall för deltagardata till Jämkoll", True),
        ("Fyll i ett blad per tabell. Rubrikerna på rad 1 ska stå kvar som de är. Orangea rubriker är "
         "obligatoriska. Tomma blad hoppas över vid import.", False),
        ("Kolumner med en lista: välj värdet i listan (kön, försörjning, avslutsanledning m.fl.).", False),
        ("Datum skrivs ÅÅÅÅ-MM-DD. Inskrivnings- och avslutsdatum får inte ligga i framtiden; en insats "
         "planerade slutdatum får det.", False),
        ("Avslutsanledning felregistrering tar bort inskrivningen vid import (det noteras i importrapporten).", False),
        ("Personnummer kontrolleras och ersätts av en pseudonym vid import; de sparas aldrig. Skriv inte namn "
         "eller fritext om personer i filen.", False),
        ("Anonyma deltagare (utan samtycke eller med skyddad identitet) redovisas i bladet antal, inte som rader.",
         False),
        ("", False),
    ]
    for table in TEMPLATE_TABLES:
        lines.append((f"Blad {table.swedish}: {_TABLE_HELP[table.name]}.", True))
        for col in table.columns:
            values = code_list(col)
            listed = f" Värden: {', '.join(values)}." if values and len(values) <= 12 else ""
            need = "obligatorisk, " if col.required else ""
            lines.append((f"• {header(col)} – {need}{_TYPE_HELP[col.type]}.{listed}", False))
        lines.append(("", False))
    for i, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=i, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 110


def template_bytes() -> bytes:
    """The template as the bytes of an XLSX file (for a download)."""
    buffer = io.BytesIO()
    build_template().save(buffer)
    return buffer.getvalue()


def write_template(path: Path | str) -> Path:
    """Write the template to ``path``; return it."""
    target = Path(path)
    target.write_bytes(template_bytes())
    return target
