"""Kolada JSON (the documented API shape), Kolada-style CSV and SCB tables by sex into the tidy frame."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from jamkoll.indicators.kolada import VALUE_COLUMNS, parse_kpis, parse_values, read_indicator_file
from jamkoll.ingest.problems import ImportRejected


def entry(kpi: str, area: str, period: int, **genders: tuple[float | None, int | None]) -> dict[str, object]:
    return {"kpi": kpi, "municipality": area, "period": period,
            "values": [{"gender": g, "count": c, "status": "", "value": v} for g, (v, c) in genders.items()]}


def test_the_documented_json_shape_becomes_one_row_per_kpi_area_year_and_sex() -> None:
    page1 = {"count": 3, "values": [entry("N00945", "2080", 2023, K=(81.2, 120), M=(79.0, 110), T=(80.1, 230))],
             "next_page": "https://api.kolada.se/v3/…&page=2"}
    page2 = {"count": 3, "values": [entry("N00945", "0020", 2023, K=(80.0, None), M=(None, None))],
             "next_page": None}
    frame = parse_values([page1, page2])
    assert list(frame.columns) == VALUE_COLUMNS
    assert len(frame) == 5
    falun = frame[(frame["municipality_id"] == "2080") & (frame["gender"] == "K")].iloc[0]
    assert (falun["kpi"], falun["period"], falun["value"], falun["count"]) == ("N00945", 2023, 81.2, 120)
    region_men = frame[(frame["municipality_id"] == "0020") & (frame["gender"] == "M")].iloc[0]
    assert pd.isna(region_men["value"]) and pd.isna(region_men["count"])


def test_every_json_problem_is_named_by_position_and_field_in_swedish() -> None:
    bad = {"values": [entry("N1", "20800", 2023, K=(1.0, 3)),
                      {"kpi": "N1", "municipality": "2080", "period": "år", "values": [
                          {"gender": "X", "value": "mycket", "count": -2}]}]}
    with pytest.raises(ImportRejected) as caught:
        parse_values([bad], "svar.json")
    found = {(p.column, p.file) for p in caught.value.problems}
    assert ("values[1].municipality", "svar.json") in found
    assert ("values[2].period", "svar.json") in found
    assert {"values[2].values[1].gender", "values[2].values[1].value", "values[2].values[1].count"} <= {
        p.column for p in caught.value.problems}
    assert "Inget har sparats" in caught.value.summary()


def test_not_kolada_at_all_is_one_clear_problem() -> None:
    with pytest.raises(ImportRejected) as caught:
        parse_values([[1, 2, 3]], "fel.json")
    assert len(caught.value.problems) == 1
    assert "values" in caught.value.problems[0].reason


def test_the_same_value_twice_is_refused() -> None:
    twice = {"values": [entry("N1", "2080", 2023, K=(1.0, None)), entry("N1", "2080", 2023, K=(2.0, None))]}
    with pytest.raises(ImportRejected, match="flera gånger"):
        parse_values([twice])


def test_kpi_list_keeps_id_title_and_whether_divided_by_gender() -> None:
    kpis = parse_kpis({"values": [{"id": "N00945", "title": "Andel", "is_divided_by_gender": 1},
                                  {"id": "N00001", "title": "Invånare", "is_divided_by_gender": 0}]})
    assert kpis.set_index("id")["is_divided_by_gender"].to_dict() == {"N00945": True, "N00001": False}
    with pytest.raises(ImportRejected):
        parse_kpis({"values": [{"id": "N1"}]})


def test_swedish_csv_with_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "varden.csv"
    path.write_text("kpi;kommunkod;år;kön;värde;antal;status\n"
                    "N1;0180;2024;K;81,5;1 200;\nN1;0180;2024;M;79,25;1100;\n", encoding="cp1252")
    frame = read_indicator_file(path)
    assert frame["municipality_id"].tolist() == ["0180", "0180"]
    assert frame["value"].tolist() == [81.5, 79.25]
    assert frame["count"].tolist() == [1200, 1100]


def test_csv_problems_name_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "varden.csv"
    path.write_text("kpi,municipality_id,period,gender,value\nN1,0180,2024,K,8\nN1,0180,tjugo,Q,x\n")
    with pytest.raises(ImportRejected) as caught:
        read_indicator_file(path)
    assert {(p.row, p.column) for p in caught.value.problems} == {(3, "period"), (3, "gender"), (3, "value")}
    assert all(p.file == "varden.csv" for p in caught.value.problems)


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "varden.csv"
    path.write_text("kpi,period,value\nN1,2024,3\n")
    with pytest.raises(ImportRejected) as caught:
        read_indicator_file(path)
    assert {p.column for p in caught.value.problems} == {"municipality_id", "gender"}


def test_scb_table_by_sex_with_a_column_per_year(tmp_path: Path) -> None:
    path = tmp_path / "scb.csv"
    path.write_text('"region";"kön";"2023";"2024"\n"2080 Falun";"kvinnor";81,2;82\n"2080 Falun";"män";79;..\n'
                    '"20 Dalarnas län";"totalt";80;81\n"00 Riket";"kvinnor";83;84\n', encoding="utf-8")
    frame = read_indicator_file(path, scb_kpi="SCB1")
    assert set(frame["municipality_id"]) == {"2080", "0020", "0000"}
    assert set(frame["kpi"]) == {"SCB1"}
    men_2024 = frame[(frame["municipality_id"] == "2080") & (frame["gender"] == "M") & (frame["period"] == 2024)]
    assert pd.isna(men_2024["value"].iloc[0])
    assert frame[(frame["municipality_id"] == "2080") & (frame["gender"] == "K") & (frame["period"] == 2023)][
        "value"].iloc[0] == 81.2


def test_a_json_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "svar.json"
    path.write_text("{values: ")
    with pytest.raises(ImportRejected, match="inte giltig JSON"):
        read_indicator_file(path)
    path.write_text(json.dumps({"values": [entry("N1", "2080", 2020, T=(5.0, 9))]}))
    assert len(read_indicator_file(path)) == 1


def test_v3_values_with_next_url_and_isdeleted() -> None:
    page = {"count": 2, "values": [{"kpi": "N00945", "municipality": "0000", "period": 2024, "values": [
        {"gender": "K", "count": 1, "status": "", "value": 81.2, "isdeleted": False},
        {"gender": "M", "count": 1, "status": "", "value": 79.0, "isdeleted": False},
        {"gender": "T", "count": 1, "status": "", "value": 70.0, "isdeleted": True}]}],
        "next_url": None, "previous_url": "https://api.kolada.se/v3/data/kpi/N00945/municipality/0000?page=1"}
    frame = parse_values([page])
    assert frame["gender"].tolist() == ["K", "M"], "a value Kolada marks deleted is not a value"
    assert frame["count"].tolist() == [1, 1]


def test_unit_data_is_refused_with_a_pointer_to_municipality_data() -> None:
    with pytest.raises(ImportRejected, match="organisatorisk enhet"):
        parse_values([{"values": [{"kpi": "N1", "ou": "V15E144001101", "period": 2024, "values": []}]}])


def test_v3_kpi_metadata_keeps_auspice_operating_area_and_boolean_division() -> None:
    kpis = parse_kpis({"count": 3, "next_url": None, "values": [
        {"id": "N00945", "title": "Andel", "description": "Andel (%) av …", "is_divided_by_gender": True,
         "auspice": "E", "operating_area": "Arbetsmarknad", "has_ou_data": False, "municipality_type": "K",
         "publication_date": "2025-03-01", "publ_period": "2024"},
        {"id": "N00001", "title": "Invånare", "is_divided_by_gender": False, "auspices": "X"},
        {"id": "N00002", "title": "Som text", "is_divided_by_gender": "false"}]})
    by_id = kpis.set_index("id")
    assert by_id["is_divided_by_gender"].to_dict() == {"N00945": True, "N00001": False, "N00002": False}
    assert by_id.loc["N00945", ["auspice", "operating_area", "source"]].tolist() == ["E", "Arbetsmarknad", "Kolada"]
    assert by_id.loc["N00001", "auspice"] == "X"
    with pytest.raises(ImportRejected, match="true eller false"):
        parse_kpis({"values": [{"id": "N1", "title": "T", "is_divided_by_gender": "kanske"}]})


def test_rkolada_write_csv_with_row_names_and_na(tmp_path: Path) -> None:
    path = tmp_path / "get_values.csv"
    path.write_text('"","kpi","municipality_id","year","gender","count","value","municipality","municipality_type"\n'
                    '"1","N00945","0180",2023,"K",1,81.2,"Stockholm","K"\n'
                    '"2","N00945","0180",2023,"M",1,79,"Stockholm","K"\n'
                    '"3","N00945","0000",2023,"T",1,NA,"Riket","L"\n', encoding="utf-8")
    frame = read_indicator_file(path)
    assert frame["municipality_id"].tolist() == ["0000", "0180", "0180"]
    assert frame["period"].tolist() == [2023] * 3 and frame["count"].tolist() == [1, 1, 1]
    assert pd.isna(frame["value"].iloc[0]) and frame["value"].iloc[1:].tolist() == [81.2, 79.0]


def test_rkolada_write_csv2_semicolons_decimal_commas_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "get_values2.csv"
    path.write_bytes('"";"kpi";"municipality_id";"year";"gender";"count";"value";"isdeleted";"municipality";'
                     '"municipality_type"\n'
                     '"1";"N00945";"2081";2024;"K";1;61,5;FALSE;"Borlänge";"K"\n'
                     '"2";"N00945";"2081";2024;"M";1;58,25;FALSE;"Borlänge";"K"\n'
                     '"3";"N00945";"2081";2024;"T";1;60;TRUE;"Borlänge";"K"\n'.encode("cp1252"))
    frame = read_indicator_file(path)
    assert frame["gender"].tolist() == ["K", "M"], "the row marked isdeleted is left out"
    assert frame["value"].tolist() == [61.5, 58.25]


def test_an_unknown_csv_column_is_refused_never_dropped(tmp_path: Path) -> None:
    path = tmp_path / "varden.csv"
    path.write_text("kpi,municipality_id,period,gender,value,kommentar\nN1,0180,2024,K,8,viktig\n")
    with pytest.raises(ImportRejected) as caught:
        read_indicator_file(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "kommentar")]
    assert "känns inte igen" in caught.value.problems[0].reason
