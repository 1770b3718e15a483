"""The public portal pages: no login, switching indicators, sorting, profiles, embedding, no private data."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from . import portal_fixtures
from .html_checks import check_page
from .portal_fixtures import SMALL_COUNT_CELL

dalarna = portal_fixtures.dalarna
region_admin = portal_fixtures.region_admin


def _map_spec(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="map-spec" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the map's spec is on the page"
    result: dict[str, Any] = json.loads(match.group(1))
    return result


def test_index_lists_published_regions_without_login(client_for: Callable[..., Any], dalarna: Any) -> None:
    response = client_for(None).get("/portal/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/portal/dalarna/"' in html and "Region Dalarna" in html
    assert check_page(html) == []
    dalarna.published = False
    dalarna.save()
    assert 'href="/portal/dalarna/"' not in client_for(None).get("/portal/").content.decode()
    assert client_for(None).get("/portal/dalarna/").status_code == 404


def test_region_page_shows_the_first_indicator_with_a_tile_map_and_table(
        client_for: Callable[..., Any], dalarna: Any) -> None:
    response = client_for(None).get("/portal/dalarna/")
    html = response.content.decode()
    assert response.status_code == 200 and check_page(html) == []
    assert "Chefer bland förvärvsarbetande" in html
    assert html.count('href="/portal/dalarna/kommun/') == 15
    spec = _map_spec(html)
    assert spec["layer"][0]["mark"]["type"] == "rect", "no geometry uploaded: a tile map"
    assert len(spec["data"]["values"]) == 15
    assert "vendor/vega-embed.min.js" in html and "jamkoll/charts.js" in html
    assert "<script>" not in html, "no inline script (CSP)"
    assert "Källa: Kolada" in html


def test_switching_indicator_and_year_is_a_plain_get(client_for: Callable[..., Any], dalarna: Any) -> None:
    html = client_for(None).get("/portal/dalarna/", {"kpi": "DEMO007", "year": "2021"}).content.decode()
    assert "Uttagna föräldrapenningdagar, andel (%), 2021" in html
    assert '<option value="DEMO007" selected>' in html
    fallback = client_for(None).get("/portal/dalarna/", {"kpi": "finns-inte"})
    assert fallback.status_code == 200 and "Chefer bland" in fallback.content.decode()


def test_table_sorts_by_a_column_both_ways(client_for: Callable[..., Any], dalarna: Any) -> None:
    def names(order: str) -> list[str]:
        html = client_for(None).get("/portal/dalarna/", {"kpi": "DEMO001", "sort": "ratio",
                                                         "order": order}).content.decode()
        body = html.split('<table id="indicator-table">')[1].split("<tfoot>")[0]
        return re.findall(r'<th scope="row"><a href="/portal/dalarna/kommun/\d{4}/">([^<]+)</a>', body)

    ascending, descending = names("asc"), names("desc")
    assert len(ascending) == 15 and ascending == list(reversed(descending))
    html = client_for(None).get("/portal/dalarna/", {"kpi": "DEMO001", "sort": "ratio"}).content.decode()
    assert 'aria-sort="ascending"' in html


def test_small_counts_are_never_shown(client_for: Callable[..., Any], dalarna: Any) -> None:
    html = client_for(None).get("/portal/dalarna/", {"kpi": "DEMO012"}).content.decode()
    assert "Redovisas inte" in html
    assert not SMALL_COUNT_CELL.search(html)
    spec = _map_spec(html)
    hidden = [t for t in spec["data"]["values"] if t["gap"] is None]
    assert hidden and all("röjandekontroll" in t["text"] for t in hidden)


def test_municipality_profile_has_every_goal_and_comparisons(client_for: Callable[..., Any], dalarna: Any) -> None:
    response = client_for(None).get("/portal/dalarna/kommun/2039/")
    html = response.content.decode()
    assert response.status_code == 200 and check_page(html) == []
    assert "Jämställdhet i Älvdalen" in html
    for goal in ("En jämn fördelning av makt och inflytande", "Mäns våld mot kvinnor ska upphöra"):
        assert goal in html
    assert html.count('data-chart="trend-DEMO') == 12
    assert " av 15" in html
    assert client_for(None).get("/portal/dalarna/kommun/0180/").status_code == 404
    assert client_for(None).get("/portal/dalarna/kommun/9999/").status_code == 404


def test_embed_has_minimal_chrome_and_may_be_framed(client_for: Callable[..., Any], dalarna: Any) -> None:
    response = client_for(None).get("/portal/dalarna/", {"embed": "1"})
    html = response.content.decode()
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert 'id="portal-nav"' not in html and 'name="embed" value="1"' in html
    assert "/portal/dalarna/kommun/2080/?embed=1" in html
    assert check_page(html) == []
    dashboard = client_for(None).get("/konto/logga-in/")
    assert "frame-ancestors 'none'" in dashboard["Content-Security-Policy"]


def test_manage_page_needs_the_regions_admin(client_for: Callable[..., Any], dalarna: Any, region_admin: Any,
                                            members: dict[str, Any]) -> None:
    from .conftest import make_member

    anonymous = client_for(None).get("/portal/dalarna/hantera/")
    assert anonymous.status_code == 302 and "/konto/logga-in/" in anonymous["Location"]
    assert client_for(members["admin"]).get("/portal/dalarna/hantera/").status_code == 404
    viewer = make_member(dalarna.organization, "viewer", username="regionviewer")
    assert client_for(viewer).get("/portal/dalarna/hantera/").status_code == 403
    page = client_for(region_admin).get("/portal/dalarna/hantera/")
    assert page.status_code == 200
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert check_page(page.content.decode()) == []
