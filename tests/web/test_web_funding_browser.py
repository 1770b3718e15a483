"""An application's whole cycle in a real browser (axe-core checks every page): a goal in words refused,
a measurable one accepted, assessed and funded; data uploaded; planned vs. actual; budget by sex; the
report with the governance chapter."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .browser import Visit

pytestmark = pytest.mark.browser


def test_application_cycle_in_the_browser(visit: Visit, org: Any, members: dict[str, Any],
                                          good_files: list[Path]) -> None:
    visit.login(members["analyst"].username)
    page = visit.page
    visit.open(f"/o/{org.slug}/ansokningar/")
    page.locator("#new-application").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    page.get_by_label("Projektets namn").fill("Lika praktik i Steg till arbete")
    page.get_by_label("Sökande").fill("Testkommunen")
    page.get_by_label("Första året").fill("2024")
    page.get_by_label("Problemanalys per kön").fill("Kvinnor får praktik mer sällan än män.")
    page.get_by_label("Planerad könsuppdelad uppföljning").fill("Delinsatser följs upp per kön.")
    page.get_by_label("Sökt belopp (kr)").fill("250000")
    page.get_by_label("Hur budgeten når kvinnor och män").fill("Tiden ska nå kvinnor och män lika.")
    goal = page.locator("#goal-1")
    goal.get_by_label("Målet i ord").fill("Öka jämställdheten")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert "Målet går inte att mäta" in page.locator("#goal-1").inner_text()
    assert page.locator("#id_goals-0-indicator").get_attribute("aria-invalid") == "true"
    visit.console_errors.clear()  # the refused form answered 400 on purpose

    goal = page.locator("#goal-1")
    goal.get_by_label("Indikator").select_option("component_share")
    goal.get_by_label("Utfall eller delinsats").select_option("praktik")
    goal.get_by_label("Enhet").select_option("percent")
    for label, value in (("Utgångsläge kvinnor", "10"), ("Utgångsläge män", "20"), ("Målvärde kvinnor", "20"),
                         ("Målvärde män", "20"), ("Uppföljningsår", "2024")):
        goal.get_by_label(label).fill(value)
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#application-status").inner_text() == "Utkast"
    page.get_by_role("button", name="Skicka in till beredningsgruppen").click()
    page.wait_for_load_state()
    assert page.locator("#application-status").inner_text() == "Inskickad"

    form = page.locator("#assess-form")
    form.get_by_label("Problemanalysen beskriver kvinnors och mäns situation").check()
    form.get_by_label("Målen är mätbara för kvinnor och för män").check()
    form.get_by_label("2 – jämställdhet är huvudsyftet").check()
    form.get_by_role("button", name="Spara bedömning").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert "2 – jämställdhet är huvudsyftet" in page.locator(".assessment").inner_text()

    form = page.locator("#decide-form")
    form.get_by_label("Bevilja").check()
    form.get_by_label("Beslutsdatum").fill("2024-12-01")
    form.get_by_label("Beslutat av").fill("Styrelsen")
    form.get_by_label("Insats som finansieras").select_option("INS01")
    form.get_by_role("button", name="Registrera beslut").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#application-status").inner_text() == "Beviljad"

    # Upload the intervention's data (INS01 and INS02), as in the upload test.
    visit.open(f"/o/{org.slug}/uppladdningar/")
    page.get_by_label("Filer").set_input_files([str(p) for p in good_files])
    page.get_by_role("button", name="Kontrollera filerna").click()
    page.wait_for_load_state()
    page.locator("#confirm-form button").click()
    page.wait_for_load_state()
    assert page.locator("#submission-status").inner_text() == "Inläst"

    visit.open(f"/o/{org.slug}/insatser/INS01/?year=2024")
    table = page.locator("#funded-goals table")
    assert table.count() == 1
    row = table.locator("tbody tr").first.inner_text()
    assert "praktik" in row and "10,0" in row and "20,0" in row
    # One woman and one man in INS01 2024: the actual values are withheld.
    assert table.locator("td.actual-women").inner_text() == ".."

    visit.open(f"/o/{org.slug}/budget/?year=2024")
    budget = page.locator("#budget")
    assert "INS01" in budget.inner_text() and "Totalt" in budget.inner_text()
    # The test data are a handful of people: their amounts are withheld, as in every published table.
    first = budget.locator("td.women-sek").first
    assert first.inner_text() == ".." and first.locator("abbr").get_attribute("title") == "Dolt av röjandekontroll"
    assert "färre än 5 personer redovisas inte" in page.locator("main").inner_text()

    visit.open(f"/o/{org.slug}/rapporter/")
    page.get_by_label("År").select_option("2024")
    page.get_by_label("Format").select_option("pdf")
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Skapa och ladda ner").click()
    data = Path(info.value.path())
    assert data.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = " ".join(subprocess.run(["pdftotext", str(data), "-"], check=True, capture_output=True,
                                       text=True).stdout.split())
        assert "Jämställdhetsintegrering: plan, fynd, ansökningar och budget" in text
        assert "Lika praktik i Steg till arbete" in text
    visit.no_console_errors()
