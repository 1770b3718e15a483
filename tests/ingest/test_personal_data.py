"""Personal data minimisation: personnummer anywhere, names and free text, nothing raw kept or shown.

Every personnummer here is synthetic: a random date and serial with the Luhn check digit computed
in this module (Skatteverket SKV 704; samordningsnummer SKV 707 add 60 to the day). They are planted
in every column of every sheet of the demo association's files, as text in the spellings people
use and as numbers typed into Excel; then the store, the import's output and the logs are searched
for them in every spelling.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import re
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from stdnum.se import personnummer as stdnum_personnummer
from typer.testing import CliRunner

from jamkoll.cli import app
from jamkoll.ingest import ImportRejected, Problem, Store, import_files, validate_files
from jamkoll.ingest.personal_data import (
    MASK,
    embedded_personnummer_mask,
    is_free_text_header,
    is_personnummer,
    mask_personnummer,
    personnummer_mask,
)

GOOD = Path(__file__).parent / "files" / "good"


def luhn_digit(nine: str) -> str:
    """The check digit of the nine digits YYMMDDNNN (weights 2,1,2,1,...; digits of products summed)."""
    total = 0
    for i, ch in enumerate(nine):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def synthetic(count: int, seed: int, coordination: bool = False,
              born_from: dt.date = dt.date(1940, 1, 1), days: int = 25_000) -> list[str]:
    """Checksum-valid synthetic numbers in the 12-digit form YYYYMMDDNNNC."""
    rng = random.Random(seed)
    numbers: list[str] = []
    while len(numbers) < count:
        born = born_from + dt.timedelta(days=rng.randrange(days))
        day = born.day + (60 if coordination else 0)
        nine = f"{born:%y%m}{day:02d}{rng.randrange(1000):03d}"
        numbers.append(f"{born:%Y}{nine[2:]}{luhn_digit(nine)}")
    return numbers


def spellings(number: str) -> list[str]:
    """How people write a 12-digit personnummer (and how Excel shows one typed as a number)."""
    return [number, f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}", number[2:],
            f"{number[2:8]} {number[8:]}"]


class raw_pattern:  # noqa: N801  (used like a compiled pattern)
    """Finds any spelling of any of the numbers: the date without century, an optional separator,
    the last four digits, at any position of the text (also inside a longer run of digits)."""

    _ANYWHERE = re.compile(r"(?=(\d{6})[-+ ]?(\d{4}))")

    def __init__(self, numbers: list[str]):
        self.keys = {re.sub(r"\D", "", n)[-10:] for n in numbers}
        assert all(len(k) == 10 for k in self.keys)

    def search(self, text: str) -> str | None:
        for match in self._ANYWHERE.finditer(text):
            if match.group(1) + match.group(2) in self.keys:
                return match.group(0) or match.group(1)
        return None


def test_synthetic_numbers_are_what_python_stdnum_calls_valid() -> None:
    for number in synthetic(50, seed=1):
        for spelling in spellings(number):
            assert stdnum_personnummer.is_valid(spelling), spelling
            assert is_personnummer(spelling), spelling
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
        assert not stdnum_personnummer.is_valid(wrong) and not is_personnummer(wrong)


def test_samordningsnummer_and_numbers_typed_into_excel_are_found() -> None:
    for number in synthetic(20, seed=2, coordination=True):
        assert all(is_personnummer(s) for s in spellings(number))
    # Born 2001-2009, written without century as a number: Excel drops the leading zero.
    for number in synthetic(20, seed=3, born_from=dt.date(2001, 1, 1), days=3000):
        assert is_personnummer(str(int(number[2:])))
    for other in ["2024-01-15", "INS01-00031", "123456789", "19900101", "2062", "27 000", "", "P-0123456789abcdef"]:
        assert not is_personnummer(other), other


def test_the_column_scan_finds_every_planted_row() -> None:
    numbers = synthetic(30, seed=4)
    values = [f"D{i:04d}" for i in range(3000)]
    planted = {i * 97: spellings(numbers[i])[i % 5] for i in range(30)}
    for row, text in planted.items():
        values[row] = text
    series = pd.Series(pd.array(values, dtype=pd.StringDtype("pyarrow")))
    assert sorted(map(int, personnummer_mask(series).nonzero()[0])) == sorted(planted)
    notes = pd.Series([f"ring {numbers[0][2:8]}-{numbers[0][8:]} i morgon", "inget", None], dtype=object)
    assert list(embedded_personnummer_mask(notes)) == [True, False, False]


def test_problems_never_carry_a_personnummer() -> None:
    number = synthetic(1, seed=5)[0]
    for spelling in spellings(number):
        problem = Problem(f"{spelling}.csv", f"Värdet {spelling} är fel", "blad", 3, "kolumn", spelling)
        text = str(problem) + repr(problem.to_dict())
        assert raw_pattern([number]).search(f"Värdet {spelling} är fel")  # the search itself finds it
        assert not raw_pattern([number]).search(text), text
        assert MASK in str(problem)
    assert mask_personnummer("rad 12, år 2024, 27 000 kr") == "rad 12, år 2024, 27 000 kr"


def _demo_csv(demo_dir: Path) -> dict[str, pd.DataFrame]:
    return {p.name: pd.read_csv(p, sep=";", dtype=str, keep_default_na=False, encoding="cp1252")
            for p in sorted((demo_dir / "csv").glob("*.csv"))}


def _write(frames: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in frames.items():
        path = folder / name
        frame.to_csv(path, sep=";", index=False, encoding="utf-8")
        paths.append(path)
    return paths


def test_a_personnummer_in_any_column_of_any_csv_file_refuses_the_import(
        demo_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    frames = _demo_csv(demo_dir)
    numbers = iter(synthetic(200, seed=6))
    planted: list[str] = []
    expected: set[tuple[str, str]] = set()
    for name, frame in frames.items():
        for i, header in enumerate(frame.columns):
            if header == "personnummer":
                continue  # the one column where they belong
            number = next(numbers)
            planted.append(number)
            frame.loc[(i * 7) % len(frame), header] = spellings(number)[i % 5]
            expected.add((name, header))
    store = tmp_path / "store"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ImportRejected) as caught:
        import_files(_write(frames, tmp_path / "in"), Store(store))
    named = {(p.file, p.column or "") for p in caught.value.problems if "personnummer" in p.reason}
    for name, header in sorted(expected):
        assert any(file == name and header in column for file, column in named), (name, header, named)
    assert not (store / "jamkoll.duckdb").exists()
    shown = caught.value.summary() + repr([p.to_dict() for p in caught.value.problems])
    shown += caplog.text + "".join(capsys.readouterr())
    assert not raw_pattern(planted).search(shown)


def test_a_personnummer_in_any_column_of_any_sheet_refuses_a_workbook(demo_dir: Path, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(demo_dir / "xlsx" / "demoforbund.xlsx")
    numbers = iter(synthetic(200, seed=7))
    planted: list[str] = []
    expected: set[tuple[str, str]] = set()
    for sheet in workbook.worksheets:
        headers = [c.value for c in sheet[1]]
        for i, header in enumerate(headers, start=1):
            if header == "personnummer":
                continue
            number = next(numbers)
            planted.append(number)
            # Every other column as a number typed into Excel (12 or 10 digits), else as text.
            value: int | str = int(number if i % 4 == 0 else number[2:]) if i % 2 == 0 else spellings(number)[i % 5]
            sheet.cell(row=2 + i % 5, column=i, value=value)
            expected.add((sheet.title, str(header)))
    path = tmp_path / "demoforbund.xlsx"
    workbook.save(path)
    with pytest.raises(ImportRejected) as caught:
        validate_files([path])
    named = {(p.sheet or "", p.column or "") for p in caught.value.problems if "personnummer" in p.reason}
    for sheet_name, header in sorted(expected):
        assert any(s == sheet_name and header in c for s, c in named), (sheet_name, header)
    assert not raw_pattern(planted).search(caught.value.summary())


def test_a_personnummer_as_participant_id_is_refused_with_what_to_do(tmp_path: Path) -> None:
    number = synthetic(1, seed=8)[0]
    participants = (GOOD / "participants.csv").read_text(encoding="utf-8-sig").replace("D002", number[2:], 1)
    (tmp_path / "participants.csv").write_text(participants, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        validate_files([GOOD / "insatser.csv", tmp_path / "participants.csv"])
    [problem] = [p for p in caught.value.problems if "personnummer" in p.reason]
    assert problem.column == "participant_id (deltagar_id)" and problem.row == 3
    assert "får inte vara ett personnummer" in problem.reason and "'personnummer'" in problem.reason
    assert not raw_pattern([number]).search(caught.value.summary())


def test_names_and_free_text_stay_out_and_nothing_raw_is_stored(
        demo_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    frames = _demo_csv(demo_dir)
    participants = frames["deltagare.csv"]
    in_input = list(participants["personnummer"]) + list(frames["inskrivningar.csv"]["personnummer"])
    notes = synthetic(len(participants), seed=9)
    participants["förnamn"] = [f"Förnamn{i}" for i in range(len(participants))]
    participants["efternamn"] = "Efternamnsson"
    participants["kommentar"] = [f"ring {n[2:8]}-{n[8:]} om praktiken" for n in notes]
    participants["e-post"] = [f"person{i}@exempel.se" for i in range(len(participants))]
    participants["bakgrund"] = "x"  # an unknown column without personal data is still kept
    frames["inskrivningar.csv"]["anteckning"] = "Samtal med handläggare"
    store = tmp_path / "store"
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(app, ["import", "--store", str(store), *map(str, _write(frames, tmp_path / "in"))])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "'förnamn', 'efternamn', 'kommentar', 'e-post' ser ut att innehålla namn" in output
    assert "'anteckning' ser ut att innehålla namn" in output
    assert "sparas inte i analysdatabasen" in output
    stored = _store_text(store)
    assert "bakgrund" in stored  # kept as a background variable: the scan reads the store
    for word in ("Förnamn1", "Efternamnsson", "exempel.se", "handläggare", "om praktiken"):
        assert word not in stored, word
    everything = raw_pattern([*(n.replace("-", "") for n in in_input), *notes])
    assert everything.search((tmp_path / "in" / "deltagare.csv").read_text(encoding="utf-8"))  # it finds them
    assert not everything.search(stored)
    assert not everything.search(result.output + caplog.text)
    for file in store.rglob("*"):
        if file.is_file():
            assert not everything.search(file.read_bytes().decode("latin-1")), file


def _store_text(store: Path) -> str:
    """Every value of every table of every database in the store, as text."""
    parts = []
    for database in store.rglob("*.duckdb"):
        with duckdb.connect(str(database), read_only=True) as con:
            for (table,) in con.execute("select table_name from information_schema.tables").fetchall():
                parts.append(table)
                frame = con.execute(f'select * from "{table}"').fetchdf()
                parts += list(frame.columns)
                parts += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    assert parts, "no database in the store"
    return "\n".join(parts)


@pytest.mark.parametrize("header", ["namn", "Förnamn", "EFTERNAMN", "name", "Kommentar", "anteckningar",
                                    "note", "fritext", "adress", "telefon", "e-post", "E-mail", "deltagarnamn"])
def test_free_text_headers(header: str) -> None:
    assert is_free_text_header(header)


@pytest.mark.parametrize("header", ["kön", "insats_id", "kommunkod", "bakgrund", "utbildningsnivå", "timmar"])
def test_ordinary_headers_are_not_free_text(header: str) -> None:
    assert not is_free_text_header(header)


def test_a_personnummer_inside_an_identifier_is_refused(tmp_path: Path) -> None:
    number = synthetic(1, seed=10)[0]
    enrolments = (GOOD / "inskrivningar.csv").read_bytes().decode("cp1252").replace("E2;", f"E-{number};", 1)
    (tmp_path / "inskrivningar.csv").write_text(enrolments, encoding="utf-8")
    files = [GOOD / "insatser.csv", GOOD / "participants.csv", tmp_path / "inskrivningar.csv"]
    with pytest.raises(ImportRejected) as caught:
        validate_files(files)
    [problem] = [p for p in caught.value.problems if "personnummer" in p.reason]
    assert problem.column == "enrolment_id (inskrivnings_id)" and problem.row == 3
    assert not raw_pattern([number]).search(caught.value.summary())


def test_a_file_named_by_a_personnummer_is_refused_before_it_is_read(tmp_path: Path) -> None:
    number = synthetic(1, seed=11)[0]
    named = tmp_path / f"{number[:8]}-{number[8:]}.csv"
    named.write_bytes((GOOD / "participants.csv").read_bytes())
    with pytest.raises(ImportRejected) as caught:
        import_files([named], Store(tmp_path / "store"))
    [problem] = caught.value.problems
    assert "Filnamnet innehåller ett personnummer" in problem.reason
    assert problem.file.startswith(MASK)
    assert not raw_pattern([number]).search(caught.value.summary())
    assert not (tmp_path / "store" / "jamkoll.duckdb").exists()
