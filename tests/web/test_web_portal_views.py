"""The public portal pages: no login, switching indicators, sorting, profiles, embedding, no private data."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import portal_fixtures
from .html_checks import check_page
from .portal_fixtures import SMALL_COUNT_CELL

dalarna = portal_fixtures.dalarna
region_admin = portal_fixtures.region_admin


MAP_AREA = re.compile(r'<a href="(/portal/dalarna/kommun/(\d{4})/[^"]*)" class="map-area" data-code="\d{4}" '
                      r'aria-label="([^"]*)"><path d="(M[^"]+Z)" fill="(#[0-9a-f]{6})"', re.S)


def _map_areas(html: str) -> list[dict[str, str]]:
    """The inline SVG map's municipalities: link, code, title, path and fill."""
    svg = html.split('<svg class="region-map"')[1].split("</svg>")[0]
    return [{"href": m[0], "code": m[1], "title": m[2], "path": m[3], "fill": m[4]} for m in MAP_AREA.findall(svg)]


def test_index_lists_published_regions_without_login(client_for: Callable[..., Any], dalarna: Any) -> None:
    response = client_for(None).get("/portal/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/portal/dalarna/"' in html and "Region Dalarna" in html
    assert check_page(html) == []
    overview = html.split('<svg class="region-map sweden"')[1].split("</svg>")[0]
    assert overview.count('<a href="/portal/dalarna/" class="map-area published" aria-label="Region Dalarna">') == 1
    assert overview.count('<path class="county"') == 20, "the other counties, not links"
    assert "Länsgränser: förenklade (okfse/sweden-geojson)" in html
    dalarna.published = False
    dalarna.save()
    assert 'href="/portal/dalarna/"' not in client_for(None).get("/portal/").content.decode()
    assert client_for(None).get("/portal/dalarna/").status_code == 404


def test_region_page_shows_the_first_indicator_on_a_real_map_by_default_and_a_table(
        client_for: Callable[..., Any], dalarna: Any) -> None:
    from jamkoll.indicators import register

    response = client_for(None).get("/portal/dalarna/")
    html = response.content.decode()
    assert response.status_code == 200 and check_page(html) == []
    assert "Chefer bland förvärvsarbetande" in html
    areas = _map_areas(html)
    assert sorted(a["code"] for a in areas) == sorted(m.code for m in register.municipalities_in("20")), \
        "no geometry uploaded: the shipped boundaries, one linked shape per municipality"
    assert all(a["path"].count("L") > 20 for a in areas), "real outlines, not tiles"
    assert all(a["title"].startswith(register.municipality(a["code"]).name + ": kvinnor ") for a in areas)
    assert len({a["fill"] for a in areas}) > 1, "coloured by the gap"
    assert html.count('href="/portal/dalarna/kommun/') == 30, "each municipality linked from the map and the table"
    source = html.split('id="map-source">')[1].split("</p>")[0]
    assert "Källa: Kolada" in source and "Kommungränser: Valmyndigheten, förenklade (okfse/sweden-geojson)" in source
    assert "vendor/vega-embed.min.js" not in html, "the map needs no script"
    assert "<script>" not in html and " style=" not in html.split("<textarea")[0], "no inline script or style (CSP)"


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


def test_values_missing_at_the_source_are_marked_and_no_small_count_is_shown(client_for: Callable[..., Any],
                                                                            dalarna: Any) -> None:
    html = client_for(None).get("/portal/dalarna/", {"kpi": "DEMO012"}).content.decode()
    assert "Uppgift saknas" in html
    assert not SMALL_COUNT_CELL.search(html)
    from jamkoll.indicators.svgmap import MISSING_COLOUR

    areas = _map_areas(html)
    missing = [a for a in areas if a["fill"] == MISSING_COLOUR]
    shown = [a for a in areas if a["fill"] != MISSING_COLOUR]
    assert missing and all(a["title"].endswith(": uppgift saknas hos källan") for a in missing)
    assert shown, "municipalities with a value are coloured"


def real_kolada_values(county: str = "20") -> dict[str, Any]:
    """A Kolada v3 answer as it really comes: every value with count 1 (one member municipality)."""
    from jamkoll.indicators import register

    areas = [m.code for m in register.municipalities_in(county)] + [register.kolada_id(county), "0000"]
    entries = []
    for i, area in enumerate(areas):
        for year, step in ((2023, 0.0), (2024, 1.0)):
            entries.append({"kpi": "N00945", "municipality": area, "period": year, "values": [
                {"gender": "K", "count": 1, "status": "", "value": 40.0 + i + step, "isdeleted": False},
                {"gender": "M", "count": 1, "status": "", "value": 50.0 + step, "isdeleted": False},
                {"gender": "T", "count": 1, "status": "", "value": 45.0 + i / 2 + step, "isdeleted": False}]})
    return {"count": len(entries), "values": entries, "next_url": None, "previous_url": None}


def test_real_kolada_values_with_count_one_show_on_map_table_and_profile(client_for: Callable[..., Any],
                                                                         dalarna: Any) -> None:
    from jamkoll.indicators.kolada import parse_kpis, parse_values
    from jamkoll.web.portal.services import store_indicators

    store_indicators(parse_values([real_kolada_values()]), parse_kpis({"values": [
        {"id": "N00945", "title": "Invånare med eftergymnasial utbildning, andel (%)", "is_divided_by_gender": True,
         "auspice": "X", "operating_area": "Utbildning"}]}))
    html = client_for(None).get("/portal/dalarna/", {"kpi": "N00945"}).content.decode()
    areas = _map_areas(html)
    assert len(areas) == 15 and all("uppgift saknas" not in a["title"] for a in areas)
    body = html.split('<table id="indicator-table">')[1].split("</table>")[0]
    rows = body.split("<tbody>")[1].split("</tbody>")[0]
    assert "Uppgift saknas" not in body
    assert len(re.findall(r'<td class="num">-?\d+,\d</td><td class="num">51,0</td>', rows)) == 15, "men's values"
    country = body.split("<tfoot>")[1].split("Riket")[1].split("</tr>")[0]
    assert '<td class="num">57,0</td>' in country and '<td class="num">51,0</td>' in country, "16th area: 40+16+1"
    assert "Källa: Kolada" in html.split('id="map-source"')[1][:40] and 'id="table-source"' in html
    profile = client_for(None).get("/portal/dalarna/kommun/2080/").content.decode()
    row = profile.split("Invånare med eftergymnasial utbildning")[1].split("</tr>")[0]
    assert "Uppgift saknas" not in row and '<td class="num">51,0</td>' in row
    assert re.search(r'<td class="num">\d,\d\d</td>\s*<td class="num">\d,\d\d</td>', row), \
        "the region's and the country's ratio"
    assert "(Källa: Kolada)" in row


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


def test_region_and_profile_offer_embed_code_with_a_title_and_a_size(client_for: Callable[..., Any],
                                                                     dalarna: Any) -> None:
    import html as htmllib

    html = client_for(None).get("/portal/dalarna/", {"kpi": "DEMO007", "year": "2022"}).content.decode()
    area = html.split('<textarea id="embed-code" readonly')[1].split(">", 1)[1]
    code = htmllib.unescape(area.split("</textarea>")[0])
    assert code.startswith('<iframe src="http://testserver/portal/dalarna/?kpi=DEMO007&amp;year=2022&amp;embed=1"')
    assert 'title="Jämställdhetskartan: Uttagna föräldrapenningdagar, andel (%), Region Dalarna"' in code
    assert 'width="100%"' in code and re.search(r'height="\d+"', code) and code.endswith("></iframe>")
    assert '<label for="embed-code">' in html and 'id="embed-copy"' in html and " hidden>" in html.split(
        'id="embed-copy"')[1].split("</button>")[0], "the copy button appears only with JavaScript"
    assert "portal/embed.js" in html
    embedded = client_for(None).get("/portal/dalarna/", {"embed": "1"}).content.decode()
    assert 'id="embed-code"' not in embedded, "no embed code inside the embedded page"
    profile = client_for(None).get("/portal/dalarna/kommun/2080/").content.decode()
    code = htmllib.unescape(profile.split('<textarea id="embed-code" readonly')[1].split("</textarea>")[0])
    assert 'src="http://testserver/portal/dalarna/kommun/2080/?embed=1"' in code
    assert 'title="Jämställdhetskartan: Falun"' in code


def test_rank_is_by_distance_from_equality_explained_and_absent_where_it_means_nothing(
        client_for: Callable[..., Any], dalarna: Any) -> None:
    import math

    html = client_for(None).get("/portal/dalarna/", {"kpi": "DEMO011", "sort": "rank"}).content.decode()
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r'<td class="num">(\d,\d\d)</td><td class="num">(\d,\d\d)</td><td class="num">(\d+) av 15</td>',
                      body)
    assert len(rows) == 15
    distances = [float(d.replace(",", ".")) for _ratio, d, _rank in rows]
    assert distances == sorted(distances), "rank 1 is closest to equal"
    assert all(abs(abs(math.log(float(r.replace(",", ".")))) - d) < 0.011 for (r, _d, _k), d in zip(rows, distances,
                                                                                                   strict=True))
    assert [int(k) for _r, _d, k in rows] == sorted(int(k) for _r, _d, k in rows)
    assert "|ln(kvot)|" in html and "Ett lägre värde är bättre" in html
    assert "Till fördel för" in html and "<td>Män</td>" in body, "men feel unsafe less often: to men's advantage"

    flagged = client_for(None).get("/portal/dalarna/", {"kpi": "DEMO012"}).content.decode()
    head = flagged.split("<thead>")[1].split("</thead>")[0]
    assert "Rang" not in head and "Avstånd från lika" not in head and " av 15" not in flagged
    assert "Kommunerna rangordnas inte för det här nyckeltalet" in flagged
    assert client_for(None).get("/portal/dalarna/", {"kpi": "DEMO012", "sort": "rank"}).status_code == 200
    profile = client_for(None).get("/portal/dalarna/kommun/2080/").content.decode()
    sheltered = profile.split("Personer i skyddat boende", 1)[1].split("</tr>")[0]
    assert "rangordnas inte" in sheltered and not re.search(r"\d+ av \d+", sheltered)


def test_indicator_description_and_source_are_shown(client_for: Callable[..., Any], dalarna: Any) -> None:
    from jamkoll.web.portal.models import KPI

    KPI.objects.filter(kpi_id="DEMO004").update(
        description="Andel av de kommunalt anställda med heltid.", operating_area="Personal", source="SCB")
    html = client_for(None).get("/portal/dalarna/", {"kpi": "DEMO004"}).content.decode()
    about = html.split('id="section-about"')[1].split("</div>")[0]
    assert "Andel av de kommunalt anställda med heltid." in about and "Källa: SCB" in about
    assert "Personal" in about and "DEMO004" in about and "Ett högre värde är bättre" in about
    profile = client_for(None).get("/portal/dalarna/kommun/2080/").content.decode()
    row = profile.split("Kommunalt anställda som arbetar heltid", 1)[1]
    assert "Andel av de kommunalt anställda med heltid." in row


def test_region_admin_reaches_the_manage_page_through_links(client_for: Callable[..., Any], dalarna: Any,
                                                            region_admin: Any, members: dict[str, Any]) -> None:
    client = client_for(region_admin)
    start = client.get("/", follow=True)
    assert start.status_code == 200
    link = re.search(r'<a href="(/portal/dalarna/hantera/)" id="portal-manage-link">', start.content.decode())
    assert link, "the region's admin finds the portal in the navigation"
    manage = client.get(link.group(1))
    assert manage.status_code == 200 and "Hantera portalen för Region Dalarna" in manage.content.decode()
    assert "Valmyndigheten" in manage.content.decode(), "the default map is named"
    portal = client.get("/portal/dalarna/").content.decode()
    assert 'href="/portal/dalarna/hantera/" id="manage-link"' in portal
    assert 'id="manage-link"' not in client_for(None).get("/portal/dalarna/").content.decode()
    assert 'id="manage-link"' not in client_for(members["admin"]).get("/portal/dalarna/").content.decode()
    assert 'id="portal-manage-link"' not in client_for(members["admin"]).get("/", follow=True).content.decode()


def test_the_shipped_maps_sources_are_named_as_the_library_names_them_and_translated(
        client_for: Callable[..., Any], dalarna: Any) -> None:
    from django.utils import translation

    from jamkoll.indicators import maps
    from jamkoll.web.portal import views

    assert str(views.MAP_SOURCE) == maps.MAP_SOURCE and str(views.COUNTY_MAP_SOURCE) == maps.COUNTY_MAP_SOURCE
    with translation.override("en"):
        assert str(views.MAP_SOURCE).startswith("Municipal boundaries: Valmyndigheten (Election Authority)")
    client = client_for(None)
    client.cookies["django_language"] = "en"
    html = client.get("/portal/dalarna/").content.decode()
    assert "Municipal boundaries: Valmyndigheten" in html.split('id="map-source">')[1].split("</p>")[0]
