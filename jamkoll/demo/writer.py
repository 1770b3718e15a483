"""Write the demo association as a user would have it: Swedish Excel habits included."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from jamkoll.demo.generator import DemoAssociation, generate
from jamkoll.ingest.schema import TABLES

SEX_SV = {"women": "K", "men": "M", "other": "A", "unknown": ""}
SHEET_ORDER = ["interventions", "participants", "enrolments", "components", "counts", "reference_population"]


def swedish_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table with Swedish headers and values written as Swedish users write them."""
    table = TABLES[name]
    out = pd.DataFrame(index=frame.index)
    for col in table.columns:
        if col.name not in frame:
            continue
        values = frame[col.name]
        if col.type == "sex":
            values = values.map(SEX_SV)
        elif col.type == "boolean":
            values = values.map({True: "ja", False: "nej"})
        out[col.swedish[0]] = values
    return out


def write_demo(out: Path, seed: int = 2026) -> dict[str, Path]:
    """Write XLSX, Swedish CSV files and ``truth.json`` under ``out``; return the paths."""
    demo = generate(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"xlsx": write_xlsx(demo, out / "xlsx" / "demoforbund.xlsx")}
    csv_dir = out / "csv"
    csv_dir.mkdir(parents=True, exist_ok=True)
    for name in SHEET_ORDER:
        path = csv_dir / f"{TABLES[name].swedish}.csv"
        write_swedish_csv(swedish_frame(name, demo.tables[name]), path)
        paths[f"csv:{name}"] = path
    truth = out / "truth.json"
    truth.write_text(json.dumps(demo.truth, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["truth"] = truth
    return paths


def write_swedish_csv(frame: pd.DataFrame, path: Path) -> None:
    """Semicolons, decimal commas and cp1252, as Excel's "CSV (semikolonavgränsad)" saves them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, sep=";", decimal=",", index=False, encoding="cp1252", date_format="%Y-%m-%d")


def write_xlsx(demo: DemoAssociation, path: Path) -> Path:
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    for name in SHEET_ORDER:
        frame = swedish_frame(name, demo.tables[name])
        sheet = workbook.create_sheet(TABLES[name].swedish)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in row])
    workbook.save(path)
    return path
