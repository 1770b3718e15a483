"""The portal's public API: no token, the same disclosure control as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import portal_fixtures

dalarna = portal_fixtures.dalarna


def test_regions_and_kpis_without_a_token(client_for: Callable[..., Any], dalarna: Any) -> None:
    client = client_for(None)
    assert client.get("/api/portal/regions").json() == [
        {"slug": "dalarna", "name": "Region Dalarna", "county_code": "20"}]
    kpis = client.get("/api/portal/regions/dalarna/kpis").json()
    assert len(kpis) == 12 and kpis[0] == {"id": "DEMO001", "title": "Chefer bland förvärvsarbetande, andel (%)",
                                           "goal": "power"}


def test_one_kpi_for_every_municipality_with_region_and_country(client_for: Callable[..., Any],
                                                                 dalarna: Any) -> None:
    body = client_for(None).get("/api/portal/regions/dalarna/kpis/DEMO012", {"year": 2024}).json()
    assert body["period"] == 2024 and body["source"] == "Källa: Kolada"
    assert len(body["values"]) == 17
    assert {v["kind"] for v in body["values"]} == {"municipality", "region", "country"}
    for value in body["values"]:
        for count in (value["count_women"], value["count_men"]):
            assert count in (None, 1), "Kolada's count: one member municipality, not people"
        if value["suppressed"]:
            assert value["women"] is None and value["men"] is None
    assert any(v["suppressed"] for v in body["values"])
    assert all(v["rank"] is None for v in body["values"]), "sheltered housing is not ranked"
    ranked = client_for(None).get("/api/portal/regions/dalarna/kpis/DEMO001").json()["values"]
    order = sorted((v for v in ranked if v["kind"] == "municipality"), key=lambda v: v["distance"])
    assert [v["rank"] for v in order] == sorted(v["rank"] for v in order) and order[0]["rank"] == 1
    assert client_for(None).get("/api/portal/regions/dalarna/kpis/DEMO013").status_code == 404
    assert client_for(None).get("/api/portal/regions/ingen/kpis").status_code == 404
