"""SCB's PxWeb tables (JSON-stat 2, JSON-stat 1.x, v1 json, CSV) into the tidy frame, and the PxWebApi 2
client against a local server."""

from __future__ import annotations

import copy
import json
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from jamkoll.cli import app
from jamkoll.indicators import pxweb
from jamkoll.indicators.files import read_indicator_bytes
from jamkoll.ingest.problems import ImportRejected

from . import pxweb_fixtures as fx


def at(frame: pd.DataFrame, area: str, gender: str, period: int) -> pd.Series:
    found = frame[(frame["municipality_id"] == area) & (frame["gender"] == gender) & (frame["period"] == period)]
    assert len(found) == 1, (area, gender, period)
    return found.iloc[0]


def assert_the_fixture_table(values: pd.DataFrame, kpi: str = "BE0101N1") -> None:
    assert set(values["municipality_id"]) == {"0000", "0020", "2080", "2081", "2062"}
    assert set(values["kpi"]) == {kpi} and set(values["period"]) == {2022, 2023}
    assert len(values) == 5 * 3 * 2
    assert (at(values, "2080", "K", 2023)["value"], at(values, "2080", "M", 2023)["value"]) == (29_600, 29_100)
    assert at(values, "2080", "T", 2023)["value"] == 58_700
    assert at(values, "0000", "K", 2022)["value"] == 5_260_000
    assert at(values, "0020", "M", 2023)["value"] == 143_900
    withheld = at(values, "2062", "M", 2023)
    assert pd.isna(withheld["value"]) and withheld["status"] == ".."
    assert values["count"].isna().all(), "SCB gives no Kolada member count"


@pytest.mark.parametrize("build", [fx.jsonstat2, fx.jsonstat1, fx.pxweb_json], ids=["json-stat2", "json-stat1",
                                                                                     "pxweb-json"])
def test_every_pxweb_json_format_gives_the_same_values(build: Any) -> None:
    result = read_indicator_bytes("scb.json", json.dumps(build()).encode())
    assert_the_fixture_table(result.values)
    assert result.source == "SCB"
    kpi = result.kpis.iloc[0] if result.kpis is not None else None
    assert kpi is not None and (kpi["id"], kpi["title"], bool(kpi["is_divided_by_gender"]), kpi["source"]) == (
        "BE0101N1", "Folkmängd", True, "SCB")


def test_jsonstat2_sparse_values_and_array_index() -> None:
    payload = fx.jsonstat2()
    payload["value"] = {str(i): v for i, v in enumerate(payload["value"]) if v is not None}
    payload["dimension"]["Tid"]["category"]["index"] = list(fx.YEARS)
    values, _kpis = pxweb.parse_jsonstat(payload, "gles.json")
    assert_the_fixture_table(values)


def test_the_users_id_replaces_the_contents_code() -> None:
    values, kpis = pxweb.parse_jsonstat(fx.jsonstat2(), "scb.json", scb_kpi="FOLK")
    assert set(values["kpi"]) == {"FOLK"} and kpis["id"].tolist() == ["FOLK"]
    assert kpis["title"].tolist() == ["Folkmängd"]


def test_a_further_split_is_refused_but_a_single_value_is_fine() -> None:
    payload = fx.jsonstat2()
    payload["id"].insert(1, "Alder")
    payload["size"].insert(1, 1)
    payload["dimension"]["Alder"] = {"label": "ålder", "category": {"index": {"tot": 0}, "label": {"tot": "totalt"}}}
    values, _kpis = pxweb.parse_jsonstat(payload, "alder.json")
    assert_the_fixture_table(values)
    split = copy.deepcopy(payload)
    split["size"][1] = 2
    split["dimension"]["Alder"]["category"] = {"index": {"0-19": 0, "20+": 1}}
    split["value"] = split["value"] * 2
    with pytest.raises(ImportRejected) as caught:
        pxweb.parse_jsonstat(split, "alder.json")
    assert "välj ett enda värde för 'ålder'" in caught.value.problems[0].reason


def test_codes_that_are_not_regions_or_years_are_named() -> None:
    payload = fx.jsonstat2()
    payload["dimension"]["Region"]["category"]["index"] = {"00": 0, "99": 1, "2080": 2, "2081": 3, "2062": 4}
    payload["dimension"]["Tid"]["category"] = {"index": {"2022M01": 0, "2023": 1}}
    with pytest.raises(ImportRejected) as caught:
        pxweb.parse_jsonstat(payload, "fel.json")
    found = {(p.column, p.value) for p in caught.value.problems}
    assert ("dimension.Region", "99") in found and ("dimension.Tid", "2022M01") in found


def test_a_value_array_of_the_wrong_length_is_refused() -> None:
    payload = fx.jsonstat2()
    payload["value"] = payload["value"][:-1]
    with pytest.raises(ImportRejected, match="'value' har 29 värden"):
        pxweb.parse_jsonstat(payload, "kort.json")


@pytest.mark.parametrize(("sex_as", "separator", "title", "encoding"), [
    ("label", ",", True, "utf-8"), ("code", ";", True, "cp1252"), ("label", "\t", False, "utf-8-sig")])
def test_pxweb_csv_with_title_lines_contents_year_headers_and_footnotes(sex_as: str, separator: str, title: bool,
                                                                       encoding: str) -> None:
    raw = fx.pxweb_csv(sex_as, separator, title).encode(encoding)
    result = read_indicator_bytes("BE0101.csv", raw, scb_kpi="BE0101N1")
    assert_the_fixture_table(result.values)
    assert result.kpis is not None and result.kpis["title"].tolist() == ["Folkmängd"]


def test_pxweb_csv_regions_by_name_and_plain_year_headers() -> None:
    text = '"region","kön","2023"\n"Riket","kvinnor",10\n"Dalarnas län","män",5\n"Falun","totalt",3\n'
    values, _kpis = pxweb.parse_pxweb_csv(text.encode(), "namn.csv", "K1")
    assert values.set_index("municipality_id")["gender"].to_dict() == {"0000": "K", "0020": "M", "2080": "T"}


def test_pxweb_csv_problems_name_row_and_column() -> None:
    text = ('"Titel"\n\n"region","kön","ålder","Folkmängd 2023","Medelålder 2023"\n"0180 Stockholm","män","0",1,2\n')
    with pytest.raises(ImportRejected) as caught:
        pxweb.parse_pxweb_csv(text.encode(), "fel.csv", "K1")
    reasons = {(p.row, p.column): p.reason for p in caught.value.problems}
    assert (3, "ålder") in reasons and any("flera innehåll" in r for r in reasons.values())
    bad = '"region","kön","2023"\n"9999 Okänd","män",1\n"0180 Stockholm","båda",2\n'
    with pytest.raises(ImportRejected) as caught:
        pxweb.parse_pxweb_csv(bad.encode(), "fel.csv", "K1")
    assert {(p.row, p.column) for p in caught.value.problems} == {(2, "region"), (3, "kön")}


def test_scb_codes_and_labels() -> None:
    assert [pxweb.scb_gender(c) for c in ("1", "2", "1+2", "män", "Kvinnor", "totalt, samtliga män och kvinnor")] == [
        "M", "K", "T", "M", "K", "T"]
    assert [pxweb.region_id(c) for c in ("00", "20", "0180", "20 Dalarnas län", "00 Riket", "Gotland", "99")] == [
        "0000", "0020", "0180", "0020", "0000", "0980", None]


@pytest.fixture
def scb() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            requests.append(self.path)
            body = json.dumps(fx.jsonstat2()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/api/v2", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_pxwebapi2_client_asks_for_json_stat2_with_value_codes(scb: tuple[str, list[str]], tmp_path: Path) -> None:
    base, requests = scb
    out = tmp_path / "scb.csv"
    result = CliRunner().invoke(app, ["indicators", "scb", "TAB638", "--base-url", base, "--select",
                                      "Region=00,20,2080,2081,2062", "--select", "Tid=2022,2023", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Källa: SCB" in result.output
    parts = urllib.parse.urlsplit(requests[0])
    assert parts.path == "/api/v2/tables/TAB638/data"
    assert urllib.parse.parse_qs(parts.query) == {"lang": ["sv"], "outputFormat": ["json-stat2"],
                                                  "valueCodes[Region]": ["00,20,2080,2081,2062"],
                                                  "valueCodes[Tid]": ["2022,2023"]}
    written = pd.read_csv(out, dtype={"municipality_id": str, "status": str}, keep_default_na=False,
                          na_values={"value": [""], "count": [""]})
    assert set(written["source"]) == {"SCB"}, "the download names its source"
    assert_the_fixture_table(written.drop(columns=["source"]))
    again = read_indicator_bytes(out.name, out.read_bytes())
    assert again.source == "SCB" and len(again.values) == 30


def test_cli_import_names_the_format_and_the_source(tmp_path: Path) -> None:
    path = tmp_path / "folkmangd.json"
    path.write_text(json.dumps(fx.jsonstat2(), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["indicators", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "JSON-stat 2 (Källa: SCB)" in result.output and "30 värden, 1 nyckeltal, 5 områden" in result.output


def test_an_scb_table_saved_as_xlsx_reads_like_the_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["region", "kön", "Folkmängd 2022", "Folkmängd 2023"])
    for region, name in fx.REGIONS.items():
        for sex in fx.SEXES:
            sheet.append([f"{region} {name}", sex,
                          *(".." if fx.cell(region, sex, y) is None else fx.cell(region, sex, y) for y in fx.YEARS)])
    path = tmp_path / "BE0101.xlsx"
    book.save(path)
    result = read_indicator_bytes(path.name, path.read_bytes(), scb_kpi="BE0101N1")
    assert_the_fixture_table(result.values)
    assert result.source == "SCB"


def test_hostile_json_nesting_is_refused_not_a_crash() -> None:
    with pytest.raises(ImportRejected, match="djupt nästlad"):
        read_indicator_bytes("bomb.json", b"[" * 200_000 + b"]" * 200_000)


def test_a_pxweb_csv_without_an_id_is_refused_with_the_remedy() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_indicator_bytes("BE0101.csv", fx.pxweb_csv().encode())
    assert len(caught.value.problems) == 1 and "--scb-kpi" in caught.value.problems[0].reason


def test_koladas_municipality_list_is_refused_with_an_explanation() -> None:
    listing = {"count": 2, "values": [{"id": "0180", "title": "Stockholm", "type": "K"},
                                      {"id": "0001", "title": "Region Stockholm", "type": "L"}]}
    with pytest.raises(ImportRejected, match="lista över kommuner"):
        read_indicator_bytes("municipality.json", json.dumps(listing).encode())
