"""The portal's downloads (``region_data``, ``figures_data``): what the page shows, as CSV and XLSX, at the
printed precision, inert, with the indicator, year and source named; association figures as the
publication gate published them."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
from collections.abc import Callable
from typing import Any

from openpyxl import load_workbook

from . import portal_fixtures

dalarna = portal_fixtures.dalarna

QUERY = {"kpi": "DEMO009", "year": "2023"}


def page_table(html: str) -> dict[str, list[str]]:
    """The region page's table body: municipality name → the text of its cells."""
    body = html.split('<table id="indicator-table">')[1].split("</tbody>")[0].split("<tbody>")[1]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        name = re.search(r'<th scope="row"><a [^>]*>([^<]+)</a>', row).group(1)  # type: ignore[union-attr]
        cells = [htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        rows[name] = cells
    return rows


def read_csv(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so that Excel reads UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_and_xlsx_hold_the_values_the_page_shows(client_for: Callable[..., Any], dalarna: Any) -> None:
    client = client_for(None)
    page = client.get("/portal/dalarna/", QUERY).content.decode()
    assert 'href="/portal/dalarna/data.csv?kpi=DEMO009&amp;year=2023"' in page
    assert 'href="/portal/dalarna/data.xlsx?kpi=DEMO009&amp;year=2023"' in page
    shown = page_table(page)
    assert len(shown) == 15

    response = client.get("/portal/dalarna/data.csv", QUERY)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="dalarna-demo009-2023.csv"' in response["Content-Disposition"]
    rows = read_csv(response.content)
    by_name = {r["Kommun"]: r for r in rows}
    assert set(shown) <= set(by_name) and {"Region Dalarna", "Riket"} <= set(by_name)
    for name, cells in shown.items():
        row = by_name[name]
        women, men, total, gap, ratio, distance, rank = cells[:7]
        assert (row["Kvinnor"], row["Män"], row["Totalt"], row["Skillnad (K − M)"], row["Kvot K/M"]) == \
            (women, men, total, gap, ratio), name
        assert row["Avstånd från lika"] == distance and rank.startswith(row["Rang"] + " av ")
        assert row["Till fördel för"] == cells[7]
        assert row["År"] == "2023" and row["Källa"] == "Kolada" and row["Nyckeltal"].startswith("Sjukpenningtal")
        assert re.fullmatch(r"\d+,\d\d", row["Kvot K/M"]), "printed precision"

    workbook = load_workbook(io.BytesIO(client.get("/portal/dalarna/data.xlsx", QUERY).content))
    sheet = workbook.active
    assert sheet["A1"].value == "Sjukpenningtal, dagar per försäkrad, 2023" and sheet["A2"].value == "Källa: Kolada"
    header = [c.value for c in sheet[4]]
    data = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=5, values_only=True) if r[1]}
    for name, row in by_name.items():
        cells = data[name]
        for column in ("Kvinnor", "Män", "Skillnad (K − M)", "Kvot K/M", "Avstånd från lika"):
            expected = float(row[column].replace(",", ".")) if row[column] else None
            assert cells[column] == expected, (name, column)
            assert cells[column] is None or isinstance(cells[column], int | float), "numbers stay numbers"
    assert sheet.cell(row=5, column=header.index("Kvot K/M") + 1).number_format == "0.00"


def test_a_kpi_that_is_not_ranked_has_no_rank_in_its_download(client_for: Callable[..., Any], dalarna: Any) -> None:
    rows = read_csv(client_for(None).get("/portal/dalarna/data.csv", {"kpi": "DEMO012"}).content)
    assert rows and "Rang" not in rows[0] and "Avstånd från lika" not in rows[0]
    assert any(r["Kvinnor"] == "Uppgift saknas" for r in rows), "a value missing at the source is named"


def test_downloads_are_inert(client_for: Callable[..., Any], dalarna: Any) -> None:
    from jamkoll.web.portal.models import KPI

    KPI.objects.filter(kpi_id="DEMO001").update(title='=HYPERLINK("http://example.com","x")', source="@SUM(1)")
    client = client_for(None)
    rows = read_csv(client.get("/portal/dalarna/data.csv", {"kpi": "DEMO001"}).content)
    assert rows[0]["Nyckeltal"].startswith("'=HYPERLINK") and rows[0]["Källa"] == "'@SUM(1)"
    assert any(r["Skillnad (K − M)"].startswith("-") for r in rows), "negative numbers are left as numbers"
    sheet = load_workbook(io.BytesIO(client.get("/portal/dalarna/data.xlsx", {"kpi": "DEMO001"}).content)).active
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert sheet["A1"].value.startswith("=HYPERLINK") and sheet["A1"].quotePrefix


def test_only_csv_and_xlsx_of_published_regions(client_for: Callable[..., Any], dalarna: Any) -> None:
    client = client_for(None)
    assert client.get("/portal/dalarna/data.json").status_code == 404
    assert client.get("/portal/finns-inte/data.csv").status_code == 404
    dalarna.published = False
    dalarna.save()
    assert client.get("/portal/dalarna/data.csv").status_code == 404


def test_association_figures_download_holds_the_gates_counts_and_marks_withheld(
        client_for: Callable[..., Any], dalarna: Any, make_org: Callable[..., Any]) -> None:
    from jamkoll.web.portal.models import PublishedFigure

    association = make_org("Samordningsförbundet Test", slug="sf-test")
    client = client_for(None)
    assert read_csv(client.get("/portal/dalarna/samordningsforbund.csv").content) == [], "nothing published yet"
    # As publish_association_figures stores them: the gate's counts, None where it withheld one.
    PublishedFigure.objects.create(organization=association, region=dalarna, year=2025, measure="started",
                                   label="Deltagare som började under året", women=None, men=17, total=21)
    page = client.get("/portal/dalarna/").content.decode()
    assert 'href="/portal/dalarna/samordningsforbund.csv"' in page
    rows = read_csv(client.get("/portal/dalarna/samordningsforbund.csv").content)
    assert rows == [{"Organisation": "Samordningsförbundet Test", "År": "2025",
                     "Mått": "Deltagare som började under året", "Kvinnor": "×", "Män": "17", "Totalt": "21"}]
    sheet = load_workbook(io.BytesIO(client.get("/portal/dalarna/samordningsforbund.xlsx").content)).active
    assert [c.value for c in sheet[5]] == ["Samordningsförbundet Test", 2025, "Deltagare som började under året", "×",
                                           17, 21]
    assert "röjandekontroll" in sheet["A2"].value and any("× = redovisas inte" in str(c.value) for c in sheet["A"])


def test_a_municipality_profile_downloads_the_values_it_shows(client_for: Callable[..., Any], dalarna: Any) -> None:
    client = client_for(None)
    page = client.get("/portal/dalarna/kommun/2080/").content.decode()
    assert 'href="/portal/dalarna/kommun/2080/data.csv"' in page
    rows = {r["Nyckeltalets id"]: r for r in read_csv(client.get("/portal/dalarna/kommun/2080/data.csv").content)}
    assert len(rows) == 12
    for kpi_id, row in rows.items():
        title = row["Nyckeltal"]
        cells = page.split(f"<th scope=\"row\">{htmllib.escape(title)} ", 1)[1].split("</tr>")[0]
        shown = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r'<td class="num[^"]*"[^>]*>(.*?)</td>', cells)]
        assert shown[0] == row["År"]
        if row["Kvinnor"] != "Uppgift saknas":
            # The page writes a negative difference with the minus sign, the CSV with a hyphen-minus
            # that spreadsheets read as a number.
            gap = row["Skillnad (K − M)"].replace("-", "\u2212")
            assert shown[1:5] == [row["Kvinnor"], row["Män"], gap, row["Kvot K/M"]], kpi_id
        assert shown[-3:-1] == [row["Kvot i regionen"], row["Kvot i riket"]], kpi_id
        assert (row["Rang"] == "") == (kpi_id == "DEMO012") and shown[-1].startswith(row["Rang"])
    assert client.get("/portal/dalarna/kommun/0180/data.csv").status_code == 404
    sheet = load_workbook(io.BytesIO(client.get("/portal/dalarna/kommun/2080/data.xlsx").content)).active
    assert sheet["A1"].value == "Jämställdhet i Falun" and sheet["A2"].value == "Källa: Kolada"
