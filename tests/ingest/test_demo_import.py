"""The demo association imports the same from XLSX and Swedish CSV, and leaves no personnummer behind."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from jamkoll.demo import generate
from jamkoll.ingest import Store, import_files


def sorted_tables(store: Store) -> dict[str, pd.DataFrame]:
    out = {}
    for name, frame in store.tables().items():
        frame = frame.astype(str)
        out[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return out


def test_xlsx_and_swedish_csv_give_identical_tables(demo_dir: Path, tmp_path: Path) -> None:
    from_xlsx = Store(tmp_path / "xlsx")
    from_csv = Store(tmp_path / "csv")
    import_files([demo_dir / "xlsx" / "demoforbund.xlsx"], from_xlsx)
    import_files(sorted((demo_dir / "csv").glob("*.csv")), from_csv)
    a, b = sorted_tables(from_xlsx), sorted_tables(from_csv)
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    assert len(a["enrolments"]) > 5000
    # The CSV files really are in Swedish Excel habits.
    raw = (demo_dir / "csv" / "inskrivningar.csv").read_bytes()
    assert b";" in raw.splitlines()[0] and re.search(rb";\d+,\d;", raw)
    raw.decode("cp1252")


def test_no_personnummer_on_disk_after_import(demo_dir: Path, tmp_path: Path) -> None:
    demo = generate()
    numbers = demo.tables["participants"]["personnummer"]
    forms = set()
    for number in numbers:
        digits = number.replace("-", "")
        forms |= {number, digits, number[2:], digits[2:]}
    store = tmp_path / "store"
    import_files(sorted((demo_dir / "csv").glob("*.csv")), Store(store))
    blobs = b"".join(p.read_bytes() for p in store.rglob("*") if p.is_file())
    assert blobs, "the store should hold data"
    # DuckDB may store strings compressed; scan the decoded tables too.
    text = json.dumps({k: v.astype(str).to_numpy().tolist() for k, v in Store(store).tables().items()})
    candidates = {m.decode() for m in re.findall(rb"\d{6,8}[-+]?\d{4}", blobs)}
    candidates |= set(re.findall(r"\d{6,8}[-+]?\d{4}", text))
    candidates |= {c[i:i + n] for c in list(candidates) for n in (10, 12) for i in range(len(c) - n + 1)}
    assert not (forms & candidates)
    participants = Store(store).table("participants")
    assert participants["participant_id"].str.fullmatch(r"P-[0-9a-f]{20}").all()


def test_same_people_get_the_same_pseudonyms_in_a_later_import(demo_dir: Path, tmp_path: Path) -> None:
    first, second = Store(tmp_path / "a"), Store(tmp_path / "b")
    import_files([demo_dir / "xlsx" / "demoforbund.xlsx"], first)
    import_files([demo_dir / "csv" / "deltagare.csv"], second)
    assert set(first.table("participants")["participant_id"]) == set(second.table("participants")["participant_id"])
    assert len(first.table("participants")) == len(second.table("participants"))
