"""Hostile input files: each class is built here, byte by byte, and must fail alone, in Swedish.

The workbooks are written as the Open Packaging Conventions describe them (ECMA-376 Part 2): a ZIP
archive with ``[Content_Types].xml``, the relations, ``xl/workbook.xml`` and one part per sheet. The
hostile ones are the shapes a security test found (issue 13): a cell at ``XFD1048576`` (python-
calamine aborts the process asking for 512 GB), a cell at ``GR200000`` (1.2 GB for two cells), a
ZIP bomb, DTD entities (billion laughs, XXE), a truncated archive and files of the wrong type.
Each goes through the library (``validate_files``, ``import_files``) and the CLI; the test process,
which stands for the web server, must live on and still import a good file afterwards.
"""

from __future__ import annotations

import resource
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jamkoll.cli import app
from jamkoll.ingest import ImportRejected, Store, import_files, sandbox, validate_files, xlsx_guard
from jamkoll.ingest.readers import read_file
from jamkoll.ingest.sandbox import read_xlsx_isolated

GOOD = Path(__file__).parent / "files" / "good"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="deltagare" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>\n"
)
_XXE = '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def sheet_xml(cells: list[tuple[str, str]], dimension: str | None = None, prolog: str = _PROLOG) -> str:
    """A worksheet part with inline-string cells, rows in ascending order as the standard asks."""
    rows: dict[int, list[str]] = {}
    for ref, text in cells:
        row = int("".join(ch for ch in ref if ch.isdigit()))
        rows.setdefault(row, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
    body = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'{prolog}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}'
            f"<sheetData>{body}</sheetData></worksheet>")


def workbook(path: Path, sheet: str | bytes, workbook_xml: str = _WORKBOOK) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", workbook_xml)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


PARTICIPANTS = [("A1", "deltagar_id"), ("B1", "kön"), ("C1", "födelseår"),
                ("A2", "D1"), ("B2", "K"), ("C2", "1980"), ("A3", "D2"), ("B3", "M"), ("C3", "1975")]


def zip_bomb(path: Path, inflated: int = 300 * 1024 * 1024) -> Path:
    """A workbook whose sheet inflates from a few hundred kB to ``inflated`` bytes (blank padding)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            head = sheet_xml(PARTICIPANTS).encode()
            part.write(head[: head.index(b"<sheetData>")])
            block = b" " * (1 << 20)
            for _ in range(inflated // len(block)):
                part.write(block)
            part.write(head[head.index(b"<sheetData>"):])
    return path


def hostile_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Every hostile class: the file and a phrase its Swedish message must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    good = workbook(folder / "bra.xlsx", sheet_xml(PARTICIPANTS))
    cut = good.read_bytes()
    (folder / "avbruten.xlsx").write_bytes(cut[: len(cut) // 2])
    docx = folder / "dokument.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    (folder / "rapport.xlsx").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (folder / "gammal.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (folder / "text.xlsx").write_text("deltagar_id;kön\nD1;K\n", encoding="utf-8")
    return {
        "declared dimension": (workbook(folder / "dimension.xlsx", sheet_xml(PARTICIPANTS, "A1:XFD1048576")),
                               "sträcker sig till rad 1048576"),
        "far cell XFD1048576": (workbook(folder / "xfd.xlsx", sheet_xml([*PARTICIPANTS, ("XFD1048576", "x")])),
                                "sträcker sig till rad 1048576"),
        "far cell GR200000": (workbook(folder / "gr.xlsx", sheet_xml([*PARTICIPANTS, ("GR200000", "x")])),
                              "sträcker sig till rad 200000"),
        "far column": (workbook(folder / "bred.xlsx", sheet_xml(
            [("A1", "deltagar_id"), *[(f"A{r}", f"D{r}") for r in range(2, 20_001)], ("GR20000", "x")])),
                       "sträcker sig till kolumn GR"),
        "zip bomb": (zip_bomb(folder / "bomb.xlsx"), "ZIP-bomb"),
        "billion laughs": (workbook(folder / "lol.xlsx", sheet_xml([("A1", "&lol9;")], prolog=_BILLION_LAUGHS)),
                           "dokumenttypdeklaration (DTD)"),
        "XXE": (workbook(folder / "xxe.xlsx", sheet_xml(PARTICIPANTS),
                         workbook_xml=_XXE + _WORKBOOK.split("\n", 1)[1].replace('name="deltagare"',
                                                                                  'name="&xxe;"')),
                "dokumenttypdeklaration (DTD)"),
        "truncated": (folder / "avbruten.xlsx", "skadad eller ofullständig"),
        "zip without workbook": (docx, "ingen Excel-arbetsbok"),
        "PDF": (folder / "rapport.xlsx", "den är en PDF"),
        "old Excel": (folder / "gammal.xlsx", "äldre Excel-fil"),
        "text": (folder / "text.xlsx", "inte en XLSX-fil"),
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return hostile_files(tmp_path_factory.mktemp("hostile"))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CLASSES = ["declared dimension", "far cell XFD1048576", "far cell GR200000", "far column", "zip bomb",
           "billion laughs", "XXE", "truncated", "zip without workbook", "PDF", "old Excel", "text"]


@pytest.mark.parametrize("kind", CLASSES)
def test_each_hostile_file_is_refused_in_swedish_by_the_library(
        kind: str, hostile: dict[str, tuple[Path, str]], tmp_path: Path) -> None:
    path, phrase = hostile[kind]
    before = _peak_rss_mb()
    store = Store(tmp_path / "store")
    with pytest.raises(ImportRejected) as caught:
        import_files([GOOD / "insatser.csv", path], store)
    problems = caught.value.problems
    assert [p.file for p in problems] == [path.name], problems
    assert phrase in problems[0].reason, problems[0].reason
    assert "Inget har sparats" in caught.value.summary()
    assert not (tmp_path / "store" / "jamkoll.duckdb").exists() or store.table("participants").empty
    # Whatever the file, this process (the web server's, in production) stays small.
    assert _peak_rss_mb() - before < 300


@pytest.mark.parametrize("kind", ["far cell XFD1048576", "zip bomb", "billion laughs", "truncated", "PDF"])
def test_the_cli_refuses_hostile_files_and_exits_cleanly(
        kind: str, hostile: dict[str, tuple[Path, str]], tmp_path: Path) -> None:
    path, phrase = hostile[kind]
    runner = CliRunner()
    for command in ("validate", "import"):
        result = runner.invoke(app, [command, "--store", str(tmp_path / "s"), str(path)])
        assert result.exit_code == 1, result.output
        assert phrase in " ".join(result.output.split()), result.output
        assert "Inget har sparats" in result.output
        assert isinstance(result.exception, SystemExit)  # typer's exit, not a crash


def test_a_good_workbook_still_reads_after_the_hostile_ones(hostile: dict[str, tuple[Path, str]],
                                                             tmp_path: Path) -> None:
    for kind in CLASSES:
        _, problems = read_file(hostile[kind][0])
        assert problems
    sheets, problems = read_file(_good_workbook(tmp_path))
    assert not problems
    assert sheets[0].sheet == "deltagare"
    assert list(sheets[0].frame["deltagar_id"]) == ["D1", "D2"]
    report = validate_files([_good_workbook(tmp_path)])
    assert report.sex["women"] == 1 and report.sex["men"] == 1


def _good_workbook(folder: Path) -> Path:
    return workbook(folder / "deltagare.xlsx", sheet_xml(PARTICIPANTS))


def test_the_reader_process_dies_on_a_far_cell_and_the_caller_lives_on(hostile: dict[str, tuple[Path, str]]) -> None:
    """Without the checks, python-calamine aborts on XFD1048576 (a Rust abort no ``except`` can catch):
    the separate process makes that one file's failure, with a message saying what to do."""
    path, _ = hostile["far cell XFD1048576"]
    sheets, problems = read_xlsx_isolated(path, guard=False)
    assert sheets == []
    [problem] = problems
    assert problem.file == "xfd.xlsx"
    assert "avbröts" in problem.reason or "mer minne" in problem.reason
    assert "spara om filen" in problem.reason or "dela upp filen" in problem.reason


def test_the_memory_limit_is_applied_to_the_reader_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Far less than pandas and Arrow need to read anything: the child fails, this process does not.
    monkeypatch.setenv("JAMKOLL_READER_MEMORY_MB", "64")
    assert sandbox.memory_limit() == 64 * 1024 * 1024
    sheets, problems = read_xlsx_isolated(_good_workbook(tmp_path))
    assert sheets == []
    assert "64 MB" in problems[0].reason
    monkeypatch.delenv("JAMKOLL_READER_MEMORY_MB")
    sheets, problems = read_xlsx_isolated(_good_workbook(tmp_path))
    assert not problems and len(sheets) == 1


def test_a_reader_that_takes_too_long_is_stopped(hostile: dict[str, tuple[Path, str]],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Unchecked, GR200000 keeps the reader busy for seconds building 40 million empty cells.
    monkeypatch.setenv("JAMKOLL_READER_TIMEOUT", "0.5")
    path, _ = hostile["far cell GR200000"]
    sheets, problems = read_xlsx_isolated(path, guard=False)
    assert sheets == []
    assert "kunde inte läsas inom 0,5 sekunder" in problems[0].reason
    assert problems[0].file == "gr.xlsx"


def test_files_over_the_size_limits_are_refused_before_reading(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    monkeypatch.setattr(sandbox, "MAX_CSV_BYTES", 100)
    monkeypatch.setattr(sandbox, "MAX_XLSX_BYTES", 100)
    big = tmp_path / "deltagare.csv"
    big.write_text("deltagar_id;kön\n" + "D1;K\n" * 100, encoding="utf-8")
    _, problems = read_file(big)
    assert "större än" in problems[0].reason and "CSV-fil" in problems[0].reason
    _, problems = read_file(_good_workbook(tmp_path))
    assert "större än" in problems[0].reason and "XLSX-fil" in problems[0].reason


def test_the_directory_checks_refuse_many_parts_and_a_large_total() -> None:
    def info(name: str, size: int, packed: int) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name)
        entry.file_size, entry.compress_size = size, packed
        return entry

    workbook_part = info("xl/workbook.xml", 500, 300)
    many = [workbook_part, *(info(f"xl/media/{i}.xml", 10, 10) for i in range(xlsx_guard.MAX_ENTRIES))]
    with pytest.raises(xlsx_guard.UnsafeWorkbook, match="delar"):
        xlsx_guard._check_directory(many)
    # Each part under the ratio limit, but together more than a reader may inflate.
    large = [workbook_part, *(info(f"xl/worksheets/sheet{i}.xml", 400 << 20, 40 << 20) for i in range(4))]
    with pytest.raises(xlsx_guard.UnsafeWorkbook, match="packas upp till"):
        xlsx_guard._check_directory(large)


def test_a_real_size_sheet_passes_the_extent_checks(tmp_path: Path) -> None:
    """Many rows, every cell filled, the dimension declared as Excel writes it: nothing refused."""
    rows = 30_000
    cells = [("A1", "deltagar_id"), ("B1", "kön"), ("C1", "födelseår")]
    for r in range(2, rows + 2):
        cells += [(f"A{r}", f"D{r}"), (f"B{r}", "K" if r % 2 else "M"), (f"C{r}", str(1950 + r % 50))]
    path = workbook(tmp_path / "stor.xlsx", sheet_xml(cells, dimension=f"A1:C{rows + 1}"))
    [extent] = xlsx_guard.check_xlsx(path)
    assert extent.sheet == "deltagare"
    assert extent.last_row == rows + 1 and extent.declared_rows == rows + 1
    sheets, problems = read_file(path)
    assert not problems and len(sheets[0].frame) == rows


def test_column_letters_round_trip() -> None:
    for number, letters in [(1, "A"), (26, "Z"), (27, "AA"), (200, "GR"), (16_384, "XFD")]:
        assert xlsx_guard.column_number(letters) == number
        assert xlsx_guard.column_letters(number) == letters


def test_an_ordinary_workbook_with_comments_styles_and_sheets_passes(tmp_path: Path) -> None:
    """What Excel users have: several sheets, a cell comment (a VML drawing), bold headers, widths."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = Workbook()
    participants = book.active
    participants.title = "deltagare"
    participants.append(["deltagar_id", "kön", "födelseår"])
    for i in range(1, 200):
        participants.append([f"D{i}", "K" if i % 2 else "M", 1950 + i % 50])
    participants["A1"].font = Font(bold=True)
    participants["A1"].comment = Comment("Löpnummer, inte personnummer", "handläggare")
    participants.column_dimensions["A"].width = 30
    notes = book.create_sheet("Läs mig")
    notes["A1"] = "Data för 2025"
    path = tmp_path / "vanlig.xlsx"
    book.save(path)
    extents = xlsx_guard.check_xlsx(path)
    assert {e.sheet for e in extents} == {"deltagare", "Läs mig"}
    sheets, problems = read_file(path)
    assert not problems
    assert len(next(s for s in sheets if s.sheet == "deltagare").frame) == 199
