"""One number for one measure on every surface (issue 11): the organisation's dashboard, an intervention's
page, the API, the portal's association figures, the goal follow-up and the report's workbook show the
publication gate's count of the same people, never counts of their own."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jamkoll.web.accounts.models import ApiToken

YEAR = 2025


def table_row(html: str, table_key: str, row: str) -> list[str]:
    """The cells of one row (its header starts with ``row``) of the result table ``table_key`` on a page."""
    match = re.search(rf'<table id="[^"]*-{table_key}".*?</table>', html, flags=re.S)
    assert match, f"no table {table_key}"
    for header, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', match.group(0), flags=re.S):
        if htmllib.unescape(header).startswith(row):
            return [htmllib.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                    for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, flags=re.S)]
    raise AssertionError(f"no row {row!r} in {table_key}")


def count(text: str) -> int | None:
    """A count as a page prints it (``1 234``); the marker of a withheld value as None."""
    digits = text.replace("\xa0", "").replace(" ", "")
    return int(digits) if digits.isdigit() else None


def test_the_same_people_give_the_same_number_on_every_surface(planted_org: Any, planted_members: dict[str, Any],
                                                                client_for: Any, tmp_path: Path) -> None:
    from jamkoll.analysis.disclosure import DisclosurePolicy
    from jamkoll.analysis.goals import IndicatorSpec, measure
    from jamkoll.web.lib.stores import store_for
    from jamkoll.web.portal.services import association_figures

    viewer = client_for(planted_members["viewer"])
    dashboard = viewer.get(reverse("front:dashboard", args=[planted_org.slug]), {"year": YEAR}).content.decode()
    everyone = [count(c) for c in table_row(dashboard, "participants_by_intervention", "Totalt")[:2]]
    ins05 = [count(c) for c in table_row(dashboard, "participants_by_intervention", "INS05")[:2]]
    work = [count(c) for c in table_row(dashboard, "outcomes_by_sex", "Arbete")[:2]]
    assert None not in everyone + ins05 + work

    # The intervention's own page: its participants are the dashboard's row of the same people.
    page = viewer.get(reverse("front:intervention", args=[planted_org.slug, "INS05"]), {"year": YEAR})
    assert [count(c) for c in table_row(page.content.decode(), "participants_by_intervention", "INS05")[:2]] == ins05

    # The API: the same tables, as numbers.
    _token, plain = ApiToken.issue(planted_members["viewer"], "test")
    stats = Client().get(f"/api/orgs/{planted_org.slug}/statistics", {"year": YEAR},
                         headers={"Authorization": f"Bearer {plain}"}).json()
    rows = {r["intervention"]: r for r in stats["tables"]["participants_by_intervention"]["rows"]}
    assert [rows["total"]["women"], rows["total"]["men"]] == everyone
    assert [rows["INS05"]["women"], rows["INS05"]["men"]] == ins05

    # The portal's association figures: the cells of the same tables.
    figures = association_figures(planted_org, YEAR)
    assert [figures.at["started", "women"], figures.at["started", "men"]] == everyone
    assert [figures.at["exits_work", "women"], figures.at["exits_work", "men"]] == work

    # The goal follow-up of an application for INS05, measured as the funding pages measure it.
    store = store_for(planted_org).at_version()
    policy = DisclosurePolicy(method="cell_key", secret=store.disclosure_secret())
    con = store.ibis()
    try:
        goal = measure(con, "INS05", YEAR, IndicatorSpec("participants"), policy)
    finally:
        con.disconnect()
    assert [goal.women, goal.men] == ins05

    # The report: its workbook's table of participants by intervention, from the analysis the pages show.
    workbook = load_workbook(report_of(planted_org, tmp_path) / "jamstalldhetsrapport-2025.xlsx", read_only=True)
    sheet = next(ws for ws in workbook.worksheets if ws.title.startswith("T") and "Deltagare per insats" in ws.title)
    rows_of = {str(r[0]).strip(): r for r in sheet.iter_rows(values_only=True) if r and r[0] is not None}
    assert [rows_of["Totalt"][1], rows_of["Totalt"][2]] == everyone
    ins05_row = next(r for label, r in rows_of.items() if label.startswith("INS05"))
    assert [ins05_row[1], ins05_row[2]] == ins05


def report_of(org: Any, tmp_path: Path) -> Path:
    """The organisation's 2025 report workbook, written from the analysis the pages read."""
    from jamkoll.reports import write_report
    from jamkoll.web.front.analysis import analysis_for

    analysis = analysis_for(org, YEAR)
    assert analysis is not None
    write_report(analysis, tmp_path / "report", formats=["xlsx"])
    return tmp_path / "report"
