"""The region admin's uploads: Kolada files (all or nothing, audited) and GeoJSON map geometry."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from . import portal_fixtures

dalarna = portal_fixtures.dalarna
region_admin = portal_fixtures.region_admin


def kolada_values(value: float = 55.5) -> bytes:
    return json.dumps({"count": 1, "values": [{"kpi": "N00945", "municipality": "2080", "period": 2025, "values": [
        {"gender": "K", "count": 40, "status": "", "value": value},
        {"gender": "M", "count": 41, "status": "", "value": 50.0}]}], "next_page": None}).encode()


def kpi_list() -> bytes:
    return json.dumps({"values": [{"id": "N00945", "title": "Andel med eftergymnasial utbildning",
                                   "is_divided_by_gender": 1}]}).encode()


def test_kolada_values_and_kpi_list_are_stored_and_audited(client_for: Callable[..., Any], dalarna: Any,
                                                           region_admin: Any) -> None:
    from jamkoll.web.lib.models import AuditEvent
    from jamkoll.web.portal.models import KPI, IndicatorValue

    files = [SimpleUploadedFile("varden.json", kolada_values()), SimpleUploadedFile("nyckeltal.json", kpi_list())]
    response = client_for(region_admin).post("/portal/dalarna/hantera/", {"files": files, "upload_indicators": "1"})
    assert response.status_code == 302
    kpi = KPI.objects.get(kpi_id="N00945")
    assert kpi.title == "Andel med eftergymnasial utbildning" and kpi.is_divided_by_gender
    assert IndicatorValue.objects.get(kpi=kpi, area_id="2080", gender="K").value == 55.5
    event = AuditEvent.objects.get(action="portal_indicators_uploaded")
    assert event.user == region_admin and event.details["files"] == ["varden.json", "nyckeltal.json"]
    # A new upload of the same values replaces them.
    client_for(region_admin).post("/portal/dalarna/hantera/", {
        "files": [SimpleUploadedFile("varden.json", kolada_values(60.0))], "upload_indicators": "1"})
    assert IndicatorValue.objects.get(kpi=kpi, area_id="2080", gender="K").value == 60.0
    html = client_for(None).get("/portal/dalarna/", {"kpi": "N00945"}).content.decode()
    assert "Andel med eftergymnasial utbildning, 2025" in html


def test_a_bad_file_stores_nothing_and_lists_every_problem(client_for: Callable[..., Any], dalarna: Any,
                                                           region_admin: Any) -> None:
    from jamkoll.web.lib.models import AuditEvent
    from jamkoll.web.portal.models import IndicatorValue

    before = IndicatorValue.objects.count()
    bad = SimpleUploadedFile("fel.csv", b"kpi,municipality_id,period,gender,value\nN1,2080,2024,X,1\n")
    response = client_for(region_admin).post("/portal/dalarna/hantera/", {
        "files": [SimpleUploadedFile("varden.json", kolada_values()), bad], "upload_indicators": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="problems"' in html
    assert "fel.csv, rad 2, kolumn gender" in html
    assert IndicatorValue.objects.count() == before
    assert AuditEvent.objects.filter(action="portal_indicators_rejected").count() == 1


def test_the_reference_geometry_draws_real_shapes(client_for: Callable[..., Any], dalarna: Any,
                                                  region_admin: Any, reference_dir: Path) -> None:
    from jamkoll.indicators.maps import signed_area
    from jamkoll.web.lib.models import AuditEvent
    from jamkoll.web.portal.models import Geometry

    raw = (reference_dir / "municipalities.geojson").read_bytes()
    response = client_for(region_admin).post("/portal/dalarna/hantera/", {
        "file": SimpleUploadedFile("kommuner.geojson", raw), "upload_geometry": "1"})
    assert response.status_code == 302
    geometry = Geometry.objects.get(region=dalarna)
    assert len(geometry.geojson["features"]) == 15 and geometry.missing == []
    first = geometry.geojson["features"][0]["geometry"]
    ring = first["coordinates"][0] if first["type"] == "Polygon" else first["coordinates"][0][0]
    assert signed_area(ring) < 0, "wound clockwise for d3"
    assert AuditEvent.objects.filter(action="portal_geometry_uploaded").exists()
    default = client_for(None).get("/portal/dalarna/").content.decode()
    Geometry.objects.filter(region=dalarna).delete()
    shipped = client_for(None).get("/portal/dalarna/").content.decode()
    Geometry.objects.create(region=dalarna, geojson=geometry.geojson, file_name="kommuner.geojson", sha256="x")
    html = client_for(None).get("/portal/dalarna/").content.decode()
    assert html.split("<svg")[1].split("</svg>")[0] == default.split("<svg")[1].split("</svg>")[0]
    source = html.split('id="map-source">')[1].split("</p>")[0]
    assert "Kommungränser: kommuner.geojson (uppladdad av regionen)" in source and "Valmyndigheten" not in source
    assert html.count('class="map-area"') == 15
    paths = re.findall(r'<path d="(M[^"]+)"', html)
    assert paths and paths != re.findall(r'<path d="(M[^"]+)"', shipped), "the uploaded shapes, not the shipped ones"


def test_a_geometry_in_the_wrong_projection_is_refused(client_for: Callable[..., Any], dalarna: Any,
                                                       region_admin: Any) -> None:
    from jamkoll.web.portal.models import Geometry

    sweref = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "2080"}, "geometry": {
        "type": "Polygon", "coordinates": [[[500000, 6700000], [500100, 6700000], [500100, 6700100],
                                            [500000, 6700000]]]}}]}
    response = client_for(region_admin).post("/portal/dalarna/hantera/", {
        "file": SimpleUploadedFile("sweref.geojson", json.dumps(sweref).encode()), "upload_geometry": "1"})
    assert response.status_code == 200 and "SWEREF" in response.content.decode()
    assert not Geometry.objects.exists()


def test_only_the_regions_admin_may_upload(client_for: Callable[..., Any], dalarna: Any,
                                           members: dict[str, Any]) -> None:
    from jamkoll.web.portal.models import KPI

    response = client_for(members["admin"]).post("/portal/dalarna/hantera/", {
        "files": [SimpleUploadedFile("nyckeltal.json", kpi_list())], "upload_indicators": "1"})
    assert response.status_code == 404
    assert not KPI.objects.filter(kpi_id="N00945").exists()


def test_a_jsonstat2_table_from_scb_imports_and_appears_with_its_source(client_for: Callable[..., Any],
                                                                        dalarna: Any, region_admin: Any) -> None:
    from jamkoll.web.lib.models import AuditEvent
    from jamkoll.web.portal.models import KPI, IndicatorValue
    from tests.indicators import pxweb_fixtures as fx

    raw = json.dumps(fx.jsonstat2(), ensure_ascii=False).encode()
    response = client_for(region_admin).post("/portal/dalarna/hantera/", {
        "files": [SimpleUploadedFile("folkmangd.json", raw)], "upload_indicators": "1"})
    assert response.status_code == 302
    kpi = KPI.objects.get(kpi_id="BE0101N1")
    assert (kpi.title, kpi.source, kpi.is_divided_by_gender) == ("Folkmängd", "SCB", True)
    falun = {v.gender: v.value for v in IndicatorValue.objects.filter(kpi=kpi, area_id="2080", period=2023)}
    assert falun == {"K": 29_600, "M": 29_100, "T": 58_700}
    assert IndicatorValue.objects.get(kpi=kpi, area_id="0000", period=2022, gender="K").value == 5_260_000
    assert AuditEvent.objects.get(action="portal_indicators_uploaded").details["formats"] == ["JSON-stat 2"]
    html = client_for(None).get("/portal/dalarna/", {"kpi": "BE0101N1"}).content.decode()
    assert "Folkmängd, 2023" in html and "Källa: SCB" in html
    table = html.split('<table id="indicator-table">')[1].split("</table>")[0]
    assert "29 600" in table or "29600" in table
    profile = client_for(None).get("/portal/dalarna/kommun/2062/").content.decode()
    assert "Folkmängd" in profile and "(Källa: SCB)" in profile


def test_a_pxweb_csv_with_a_title_line_needs_and_takes_the_kpi_id(client_for: Callable[..., Any], dalarna: Any,
                                                                  region_admin: Any) -> None:
    from jamkoll.web.portal.models import IndicatorValue
    from tests.indicators import pxweb_fixtures as fx

    raw = fx.pxweb_csv("code", ";").encode("cp1252")
    response = client_for(region_admin).post("/portal/dalarna/hantera/", {
        "files": [SimpleUploadedFile("BE0101.csv", raw)], "scb_kpi": "SCB-FOLK", "upload_indicators": "1"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(kpi__kpi_id="SCB-FOLK", area_id="0020", period=2023, gender="M").value == 143_900


def test_rkolada_csv_and_v3_kpi_metadata_fill_the_catalogue(client_for: Callable[..., Any], dalarna: Any,
                                                            region_admin: Any) -> None:
    from jamkoll.web.portal.models import KPI, IndicatorValue

    csv = ('"","kpi","municipality_id","year","gender","count","value","municipality","municipality_type"\n'
           '"1","N00945","2080",2024,"K",1,61.5,"Falun","K"\n"2","N00945","2080",2024,"M",1,58,"Falun","K"\n'
           '"3","N00945","0000",2024,"K",1,60,"Riket","L"\n"4","N00945","0000",2024,"M",1,57,"Riket","L"\n')
    meta = json.dumps({"count": 1, "next_url": None, "values": [
        {"id": "N00945", "title": "Andel med eftergymnasial utbildning", "description": "Andel (%) 25–64 år.",
         "is_divided_by_gender": True, "auspice": "X", "operating_area": "Utbildning", "has_ou_data": False}]})
    response = client_for(region_admin).post("/portal/dalarna/hantera/", {"files": [
        SimpleUploadedFile("get_values.csv", csv.encode()), SimpleUploadedFile("kpi.json", meta.encode())],
        "upload_indicators": "1"})
    assert response.status_code == 302
    kpi = KPI.objects.get(kpi_id="N00945")
    assert (kpi.title, kpi.auspice, kpi.operating_area, kpi.source) == (
        "Andel med eftergymnasial utbildning", "X", "Utbildning", "Kolada")
    assert IndicatorValue.objects.get(kpi=kpi, area_id="2080", gender="K").count == 1
    html = client_for(None).get("/portal/dalarna/", {"kpi": "N00945"}).content.decode()
    country = html.split("<tfoot>")[1].split("</tfoot>")[0]
    assert "Riket" in country and "60,0" in country and "57,0" in country
