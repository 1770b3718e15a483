"""The governance pages in a real browser (axe-core checks every page): a plan with goals and actions,
revised at a board meeting and compared; a checklist filled in; an activity added."""

from __future__ import annotations

from typing import Any

import pytest

from .browser import Visit

pytestmark = pytest.mark.browser


def submit(visit: Visit, name: str = "Spara") -> None:
    visit.page.get_by_role("button", name=name, exact=True).click()
    visit.page.wait_for_load_state()
    visit.assert_accessible()


def test_plan_revise_and_compare(visit: Visit, org: Any, members: dict[str, Any]) -> None:
    visit.login(members["analyst"].username)
    page = visit.page
    visit.open(f"/o/{org.slug}/")
    page.locator("#main-nav").get_by_role("link", name="Handlingsplan").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    page.locator("#new-plan").click()
    page.wait_for_load_state()
    page.get_by_label("Namn:", exact=True).fill("Handlingsplan för jämställdhet")
    page.get_by_label("Gäller från år").fill("2025")
    page.get_by_label("Gäller till och med år").fill("2027")
    submit(visit)
    assert page.locator("h1").inner_text() == "Handlingsplan för jämställdhet"

    page.locator("#new-goal").click()
    page.wait_for_load_state()
    page.get_by_label("Mål:", exact=True).fill("Kvinnor och män får resurser efter behov")
    page.get_by_label("Jämställdhetspolitiskt delmål").select_option("economy")
    submit(visit)
    page.locator("#new-action").click()
    page.wait_for_load_state()
    page.get_by_label("Åtgärd:", exact=True).fill("Erbjud praktik på lika villkor")
    page.get_by_label("Mål:", exact=True).select_option(label="Kvinnor och män får resurser efter behov")
    page.get_by_label("Ansvarig").fill("Förbundschefen")
    page.get_by_label("Klart senast").fill("2026-03-31")
    submit(visit)
    assert "Erbjud praktik på lika villkor" in page.locator("#goals-heading ~ section").inner_text()

    # A board meeting adopts the plan; the plan changes; the next meeting adopts revision 2.
    plan_url = page.url.split("#")[0]
    visit.open(f"/o/{org.slug}/handlingsplan/styrelsemoten/")
    page.get_by_label("Datum").fill("2025-12-10")
    submit(visit, "Registrera mötet")
    page.get_by_label("Datum").fill("2026-05-21")
    submit(visit, "Registrera mötet")
    assert page.locator("#meetings tbody tr").count() == 2
    for meeting, action_due in (("2025-12-10", "2026-06-30"), ("2026-05-21", None)):
        visit.open(plan_url.removeprefix(visit.base_url))
        page.locator("#revise").click()
        page.wait_for_load_state()
        page.get_by_label("Styrelsemöte").select_option(label=f"{meeting} Styrelsemöte")
        submit(visit)
        if action_due:
            visit.open(plan_url.removeprefix(visit.base_url))
            page.get_by_role("link", name="Erbjud praktik på lika villkor").click()
            page.wait_for_load_state()
            page.get_by_label("Klart senast").fill(action_due)
            page.get_by_label("Status").select_option("ongoing")
            submit(visit)
    assert page.locator("h1").inner_text().startswith("Revision 2")
    changes = page.locator("#changes").inner_text()
    assert "Ändrade åtgärder" in changes and "2026-03-31" in changes and "2026-06-30" in changes
    page.get_by_role("link", name="Föregående: revision 1").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert "Första antagna versionen" in page.locator("#changes-heading").inner_text()
    visit.no_console_errors()


def test_fill_a_checklist_and_add_an_activity(visit: Visit, org: Any, members: dict[str, Any]) -> None:
    visit.login(members["admin"].username)
    page = visit.page
    visit.open(f"/o/{org.slug}/checklistor/")
    page.get_by_label("Checklista").select_option(label="Jämställd och jämlik planering och uppföljning")
    page.get_by_label("År").fill("2025")
    submit(visit, "Börja")
    questions = page.locator(".question")
    assert questions.count() == 14
    questions.nth(0).get_by_label("Ja", exact=True).check()
    questions.nth(1).get_by_label("Delvis").check()
    questions.nth(1).get_by_label("Kommentar till fråga 2").fill("Bara i två av insatserna.")
    submit(visit, "Spara svaren")
    assert page.locator("#progress").inner_text() == "2 av 14 frågor besvarade, 1 uppfyllda."
    assert questions.nth(1).get_by_label("Delvis").is_checked()

    page.locator("#main-nav").get_by_role("link", name="Aktiviteter").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    page.get_by_label("Namn:", exact=True).fill("Chefsutbildning mot sexuella trakasserier")
    page.get_by_label("Datum").fill("2025-11-08")
    page.get_by_label("Kvinnor").fill("9")
    page.get_by_label("Män:", exact=True).fill("6")
    page.get_by_label("Annat eller okänt kön").fill("1")
    submit(visit, "Spara aktiviteten")
    row = page.locator("#activities tbody tr").first.inner_text()
    assert "Chefsutbildning mot sexuella trakasserier" in row and "16" in row
    visit.no_console_errors()
