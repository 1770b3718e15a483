"""The fast import paths give what the row-by-row import gave: same frames, same problems, same ids.

Large files are read by Arrow, parsed once per distinct value and linked per distinct identifier;
these tests pin the results those shortcuts must not change (speed itself is measured by
``bench/bench_import.py``, never here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pandas as pd
import pytest

from jamkoll.ingest import ImportRejected, Store, import_files, validate_files
from jamkoll.ingest.importer import enrolment_key
from jamkoll.ingest.pseudonym import Pseudonymiser, load_or_create_secret
from jamkoll.ingest.readers import _decode, _may_be_utf8, _read_csv_arrow, decode_text, read_file

FILES = Path(__file__).parent / "files"
GOOD = FILES / "good"
TODAY = dt.date(2026, 1, 15)


def pandas_frame(text: str, sep: str = ";") -> pd.DataFrame:
    """How the reader parsed every CSV before Arrow (and still parses what Arrow refuses)."""
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                       skip_blank_lines=False, engine="c")


@pytest.mark.parametrize("text", [
    "a;b\nx;1\ny;2\n",
    "a;b\r\nx;1\r\ny;2",
    "a;b\rx;1\ry;2\r",
    'a;b\n"x;y";1\n"q""r";2\n',
    'a;b\n"multi\nline";1\n"ab"c;2\nab"c;3\n',
    "a;b\n\nx;1\n\n\n",
    "a;b\n;\n  x ; 1 \n",
    "a\nx\n\ny\n",
    "a;b\n",
    "\ufeffa;b\nx;1\n",
    "a;b\n#x;\x00\n",
])
def test_arrow_reads_csv_as_pandas_did(text: str) -> None:
    arrow = _read_csv_arrow(text.encode("utf-8"), ";")
    assert arrow is not None
    pd.testing.assert_frame_equal(arrow, pandas_frame(text))


@pytest.mark.parametrize("text", [
    "a;b\nx;1;2\n",  # a row longer than the header (pandas reports it, or makes an index of it)
    "a;b;c\nx;1\n",  # a short row (pandas pads it)
    "a;b\n  \nx;1\n",  # a blank-looking row of one field
    "a;a\nx;1\n",  # repeated header (pandas renames it a.1)
    "a;;b\nx;1;2\n",  # empty header (pandas names it Unnamed: 1)
    'a;b\n"x;1\n',  # unterminated quote
])
def test_arrow_leaves_what_pandas_reads_differently_to_pandas(text: str) -> None:
    assert _read_csv_arrow(text.encode("utf-8"), ";") is None


def test_csv_files_pandas_must_read_still_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "inskrivningar.csv"
    path.write_text("a;b;c\nx;1\ny;2;3\n", encoding="utf-8")
    sheets, problems = read_file(path)
    assert not problems
    assert sheets[0].frame.to_dict("list") == {"a": ["x", "y"], "b": ["1", "2"], "c": ["", "3"]}
    path.write_text("a;b\nx;1\ny;2;3\n", encoding="utf-8")
    _, problems = read_file(path)
    assert "väntade 2 fält på rad 3, fann 3" in problems[0].reason


def test_blank_rows_are_dropped_but_keep_the_row_numbers_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deltagare.csv"
    path.write_bytes("deltagar_id;kön\n\nD1;K\n ; \nD2;M\n".encode("cp1252"))
    sheets, _ = read_file(path)
    frame = sheets[0].frame
    assert list(frame.index) == [3, 5] and list(frame["deltagar_id"]) == ["D1", "D2"]


@pytest.mark.parametrize("raw", [
    "åäö;€\n".encode(),
    "x" * 10 + "ö",  # a character cut by the prefix below
    "x" * 9 + "€" + "y",
    "€" * 7,
    "ab;ö\n".encode("cp1252"),
    b"ab\x81\x8d;x",  # not cp1252 either: latin-1
    b"\xef\xbb\xbfa;b",
])
def test_decoding_looks_at_the_start_of_a_file_only_to_rule_out_utf8(raw: bytes | str) -> None:
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    try:
        expected = data.decode("utf-8-sig"), True
    except UnicodeDecodeError:
        try:
            expected = data.decode("cp1252"), False
        except UnicodeDecodeError:
            expected = data.decode("latin-1"), False
    assert _decode(data) == expected
    assert decode_text(data) == expected[0]
    for size in range(1, 14):
        if expected[1]:
            assert _may_be_utf8(data, size)


def test_repeated_bad_values_are_reported_on_every_row_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "inskrivningar.csv"
    path.write_text(
        "inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum;avslutsdatum;försörjning_vid_start;timmar\n"
        "E1;D001;INS01;2024-02-30;;bidrag;12 tim\n"
        "E2;D002;INS01;2024-02-01;;sjukpenning;1,5\n"
        "E3;D003;INS01; 2024-02-30 ;2024-01-01;bidrag;12 tim\n"
        "E4;D004;INS01;2024-02-01;2024-01-01; Bidrag ;-1\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        validate_files([GOOD / "insatser.csv", GOOD / "participants.csv", path], today=TODAY)
    found = [(p.row, p.column, p.value, p.reason.split(";")[0].split(".")[0]) for p in caught.value.problems]
    assert found == [
        (2, "start_date (inskrivningsdatum)", "2024-02-30", "Ogiltigt datum"),
        (4, "start_date (inskrivningsdatum)", "2024-02-30", "Ogiltigt datum"),
        (2, "income_support_at_start (försörjning_vid_start)", "bidrag", "Okänt värde"),
        (4, "income_support_at_start (försörjning_vid_start)", "bidrag", "Okänt värde"),
        (5, "income_support_at_start (försörjning_vid_start)", "Bidrag", "Okänt värde"),
        (2, "hours (timmar)", "12 tim", "Ska vara ett tal men innehåller text"),
        (4, "hours (timmar)", "12 tim", "Ska vara ett tal men innehåller text"),
        (5, "hours (timmar)", "-1", "Ska vara ett tal som inte är negativt"),
        (5, "end_date (avslutsdatum)", "2024-01-01", "Slutdatum ligger före startdatum"),
    ]


def test_generated_enrolment_ids_are_those_of_earlier_versions(tmp_path: Path) -> None:
    path = tmp_path / "inskrivningar.csv"
    path.write_text("deltagar_id;insats_id;inskrivningsdatum\nD001;INS01;2024-02-01\nD002;INS01;1/3 2024\n",
                    encoding="utf-8")
    store = Store(tmp_path / "store")
    import_files(sorted(GOOD.iterdir()), store, today=TODAY)
    import_files([path], store, today=TODAY)
    ids = set(store.table("enrolments")["enrolment_id"])
    # The start date is written as a timestamp in the key, as it always was.
    assert {enrolment_key("INS01", "D001", "2024-02-01 00:00:00"),
            enrolment_key("INS01", "D002", "2024-03-01 00:00:00")} <= ids
    assert enrolment_key("INS01", "D001", "2024-02-01 00:00:00") == "INS01-" + hashlib.sha256(
        b"INS01|D001|2024-02-01 00:00:00").hexdigest()[:12]


def test_repeated_personnummer_get_one_pseudonym_each(tmp_path: Path, installation_secret: Path) -> None:
    participants = tmp_path / "deltagare.csv"
    participants.write_text("personnummer;kön\n19850101-1004;K\n199001011007;M\n", encoding="utf-8")
    enrolments = tmp_path / "inskrivningar.csv"
    # The same people written three ways: 10 and 12 digits, with and without a dash.
    enrolments.write_text(
        "inskrivnings_id;personnummer;insats_id;inskrivningsdatum\n"
        + "".join(f"E{i};{('850101-1004', '19900101-1007', '198501011004')[i % 3]};INS01;2024-02-01\n"
                  for i in range(60)),
        encoding="utf-8")
    store = Store(tmp_path / "store")
    import_files([GOOD / "insatser.csv", participants, enrolments], store, today=TODAY)
    pseudonymiser = Pseudonymiser(load_or_create_secret(installation_secret))
    stored = store.table("enrolments").set_index("enrolment_id")["participant_id"]
    assert stored["E0"] == stored["E2"] == pseudonymiser.pseudonym("198501011004")
    assert stored["E1"] == pseudonymiser.pseudonym("199001011007")
    assert stored.value_counts().tolist() == [40, 20]
    assert store.table("participants")["birth_year"].tolist() == [1985, 1990]


def test_components_found_by_personnummer_and_intervention(tmp_path: Path) -> None:
    # This used to stop with a pandas error instead of linking the components.
    participants = tmp_path / "deltagare.csv"
    participants.write_text("personnummer;kön\n19850101-1004;K\n", encoding="utf-8")
    enrolments = tmp_path / "inskrivningar.csv"
    enrolments.write_text("personnummer;insats_id;inskrivningsdatum\n19850101-1004;INS01;2024-02-01\n",
                          encoding="utf-8")
    components = tmp_path / "delinsatser.csv"
    components.write_text("personnummer;insats_id;delinsats\n19850101-1004;INS01;Praktik\n"
                          "19850101-1004;INS02;praktik\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        validate_files([GOOD / "insatser.csv", participants, enrolments, components], today=TODAY)
    assert [(p.file, p.row) for p in caught.value.problems] == [("delinsatser.csv", 3)]
    components.write_text("personnummer;insats_id;delinsats\n19850101-1004;INS01;Praktik\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    import_files([GOOD / "insatser.csv", participants, enrolments, components], store, today=TODAY)
    stored = store.table("components")
    assert stored["component"].tolist() == ["praktik"]
    assert stored["enrolment_id"].tolist() == store.table("enrolments")["enrolment_id"].tolist()


def test_repeated_enrolment_ids_are_reported(tmp_path: Path) -> None:
    # This used to stop with a pandas error before the report.
    path = tmp_path / "inskrivningar.csv"
    path.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\n"
                    "E1;D001;INS01;2024-02-01\nE1;D002;INS01;2024-02-01\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        validate_files([GOOD / "insatser.csv", GOOD / "participants.csv", path], today=TODAY)
    assert [(p.row, p.reason, p.value) for p in caught.value.problems] == [
        (3, "Inskrivnings-id:t finns redan på rad 2 (dubblett).", "E1")]


def test_a_large_file_stores_the_same_as_a_small_one(tmp_path: Path) -> None:
    rows = [f"X{i};D00{1 + i % 4};INS0{1 + i % 2};2024-0{1 + i % 9}-1{i % 10};;sjukpenning;{i % 30};{i % 7},5"
            for i in range(20_000)]
    path = tmp_path / "inskrivningar.csv"
    path.write_bytes(("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum;avslutsdatum;"
                      "försörjning_vid_start;månader_i_försörjning;timmar\n" + "\n".join(rows)).encode("cp1252"))
    store = Store(tmp_path / "store")
    import_files([*sorted(GOOD.iterdir()), path], store, today=TODAY)
    stored = store.table("enrolments").set_index("enrolment_id")
    assert len(stored) == 20_000 + 6  # and the six of the good files
    row = stored.loc["X12345"]
    assert (row["participant_id"], row["intervention_id"], str(row["start_date"])[:10]) == (
        "D002", "INS02", "2024-07-15")
    assert row["months_in_support"] == 12345 % 30 and row["hours"] == pytest.approx(12345 % 7 + 0.5)
    assert row["income_support_at_start"] == "sjukpenning" and pd.isna(row["end_date"])
