"""The findings register as a work list in a real browser at 1366 and 390 px (axe-core on every page): a
steering-group member goes from the dashboard to a finding, reads it in plain Swedish and sees the plan action
linked to it; the analyst filters the register and downloads it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jamkoll.web.front.models import FindingCase
from jamkoll.web.front.register import link_plan_actions, update_findings
from jamkoll.web.plans.models import Action, ActionPlan

from .browser import Visit

pytestmark = pytest.mark.browser

WIDTHS = [1366, 390]


@pytest.fixture
def planned(planted_org: Any, planted_members: dict[str, Any]) -> FindingCase:
    """The register for 2025, with a plan action linked to INS05's low share of women."""
    update_findings(planted_org, 2025, planted_members["analyst"])
    case = FindingCase.objects.get(organization=planted_org, finding_id="participation:INS05:share_of_women",
                                   year=2025)
    plan = ActionPlan.objects.create(owner=planted_org, title="Planen", start_year=2025, end_year=2027)
    plan.organizations.add(planted_org)
    action = Action.objects.create(plan=plan, title="Rekrytera fler kvinnor till Jobbspåret", owner="Förbundschefen",
                                   status="ongoing")
    action.findings.add(case)
    link_plan_actions([case], action, planted_members["analyst"])
    return case


def _no_horizontal_scroll(visit: Visit) -> None:
    """Nothing on the page is wider than the window (the phone layout reflows)."""
    assert visit.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_steering_group_goes_from_the_dashboard_to_a_finding_and_its_action(
        width: int, visit: Visit, planted_org: Any, planted_members: dict[str, Any], planned: FindingCase) -> None:
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    visit.login(planted_members["viewer"].username)
    visit.open(f"/o/{planted_org.slug}/?year=2025")
    item = page.locator("#flagged li").filter(has_text="Kvinnor är underrepresenterade").first
    assert "Åtgärd planerad" in item.locator(".finding-case").inner_text()
    title = item.locator(".finding-title a")
    headline = title.inner_text()
    assert headline.startswith("Kvinnor är underrepresenterade i ") and ":" not in headline
    title.click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("h1").inner_text().startswith(headline)
    assert page.locator("#case-status").inner_text() == "Åtgärd planerad"
    actions = page.locator("#plan-actions")
    assert actions.is_visible() and "Rekrytera fler kvinnor till Jobbspåret" in actions.inner_text()
    assert "Pågår" in actions.inner_text()
    assert "Deltagande: andel kvinnor" in page.locator("#case-facts").inner_text()  # the id is only a footnote
    assert "share_of_women" not in page.locator("h1").inner_text() + page.locator("#case-explanation").inner_text()
    _no_horizontal_scroll(visit)

    # The same finding in the register, as a card whose title and status are readable at this width.
    visit.open(f"/o/{planted_org.slug}/fynd/?status=action_planned")
    card = page.locator(f"#case-{planned.pk}")
    assert card.locator(".case-title").is_visible() and card.locator(".status").first.is_visible()
    assert headline in card.inner_text() and "Förbundschefen" not in card.inner_text()
    _no_horizontal_scroll(visit)
    visit.no_console_errors()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_analyst_filters_and_downloads_the_register(
        width: int, visit: Visit, planted_org: Any, planted_members: dict[str, Any], planned: FindingCase) -> None:
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    visit.login(planted_members["analyst"].username)
    visit.open(f"/o/{planted_org.slug}/fynd/")
    everything = page.locator("#cases .case-card").count()
    form = page.locator("#filter-form")
    form.get_by_label("Insats").select_option("INS05")
    form.get_by_label("Status").select_option("action_planned")
    form.get_by_role("button", name="Filtrera").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    shown = page.locator("#cases .case-card")
    assert 0 < shown.count() < everything
    assert shown.count() == FindingCase.objects.filter(organization=planted_org, status="action_planned",
                                                       intervention__intervention_id="INS05").count()
    form = page.locator("#filter-form")
    form.get_by_label("Sök").fill("underrepresenterade")
    form.get_by_role("button", name="Filtrera").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#cases .case-card").count() == 1
    assert page.locator("#case-total").inner_text().startswith("1 fynd med de valda filtren")
    _no_horizontal_scroll(visit)

    with page.expect_download() as info:
        page.locator("#export-xlsx").click()
    download = info.value
    assert download.suggested_filename == f"fyndregister-{planted_org.slug}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == planned.title and rows[1][4] == "Åtgärd planerad"
    assert "Rekrytera fler kvinnor till Jobbspåret" in rows[1][6]
    visit.no_console_errors()
