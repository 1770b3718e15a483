"""The app in a real browser: Playwright drives Debian's Chromium (``/usr/bin/chromium``, installed by
``make test``, never a browser downloaded by Playwright) against a live server.

Every page a test opens is checked with axe-core (from the npm registry, ``node_modules/axe-core``)
for WCAG 2.1 A/AA rules: no serious or critical violation may remain. The pages run under the app's
Content-Security-Policy, so a chart that needs ``eval`` or inline styles fails here.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from .browser import Visit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", ["admin", "analyst", "reporter", "viewer"])
def test_each_role_logs_in_and_sees_what_the_role_allows(
        role: str, visit: Visit, planted_org: Any, planted_members: dict[str, Any]) -> None:
    visit.login(planted_members[role].username)
    page = visit.page
    assert page.url.endswith(f"/o/{planted_org.slug}/")
    nav = page.locator("#main-nav")
    assert (nav.get_by_role("link", name="Ladda upp uppgifter").count() == 1) == (role != "viewer")
    assert nav.get_by_role("link", name="Fyndregister").count() == 1
    assert nav.get_by_role("link", name="Rapporter").count() == 1
    if role == "reporter":
        assert [t.split()[0] for t in page.locator("#interventions a").all_inner_texts()] == ["INS02"]
        assert page.locator("caption").count() == 0, "no organisation-wide statistics for a reporter"
    else:
        assert page.locator("#key-figures").is_visible()
    visit.logout()
    assert "/konto/logga-in/" in page.url
    visit.assert_accessible()
    visit.no_console_errors()


def test_wrong_password_is_refused_in_swedish(visit: Visit, planted_members: dict[str, Any]) -> None:
    visit.open("/konto/logga-in/")
    visit.page.get_by_label("Användarnamn").fill(planted_members["viewer"].username)
    visit.page.get_by_label("Lösenord").fill("fel-lösenord")
    visit.page.get_by_role("button", name="Logga in").click()
    assert visit.page.locator("#login-error").inner_text().startswith("Fel användarnamn eller lösenord")
    assert visit.page.get_by_label("Lösenord").get_attribute("aria-invalid") == "true"
    visit.assert_accessible()


def test_upload_a_bad_file_then_a_good_one(visit: Visit, org: Any, members: dict[str, Any],
                                           good_files: list[Path], bad_file: Path) -> None:
    visit.login(members["analyst"].username)
    page = visit.page
    visit.open(f"/o/{org.slug}/uppladdningar/")

    page.get_by_label("Filer").set_input_files(str(bad_file))
    page.get_by_role("button", name="Kontrollera filerna").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#rejected-notice").is_visible()
    problems = page.locator("#problems tbody tr")
    assert problems.count() >= 1
    first = problems.first.inner_text()
    assert "inskrivningar.csv" in first and "income_support_at_start" in first or "Försörjning" in first
    assert page.locator("#confirm-form").count() == 0, "a rejected upload cannot be confirmed"

    visit.open(f"/o/{org.slug}/uppladdningar/")
    page.get_by_label("Filer").set_input_files([str(p) for p in good_files])
    page.get_by_label("År som uppgifterna gäller").fill("2025")
    page.get_by_role("button", name="Kontrollera filerna").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#problems").count() == 0
    assert page.locator("#report-rows").is_visible(), "the import report shows what would be read"
    page.locator("#confirm-form button").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#submission-status").inner_text() == "Inläst"

    visit.open(f"/o/{org.slug}/uppladdningar/")
    statuses = page.locator("#submissions tbody .status").all_inner_texts()
    assert sorted(statuses) == ["Avvisad", "Inläst"]
    visit.open(f"/o/{org.slug}/")
    assert page.locator("#interventions a").count() == 2
    visit.no_console_errors()


def test_dashboards_draw_their_charts(visit: Visit, planted_org: Any, planted_members: dict[str, Any]) -> None:
    visit.login(planted_members["viewer"].username)
    page = visit.page
    for path in (f"/o/{planted_org.slug}/?year=2025", f"/o/{planted_org.slug}/insatser/INS05/?year=2025"):
        visit.open(path)
        charts = page.locator("[data-chart]")
        assert charts.count() >= 3
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-chart]')].every(e => e.dataset.rendered)")
        assert page.locator("[data-chart][data-rendered='true']").count() == charts.count(), \
            "every chart is drawn (none failed)"
        assert page.locator("[data-chart] svg").count() == charts.count()
        # Swedish pages draw Swedish numbers: "1 234", "0,85", "−20"; never "1,234" or "0.85".
        assert page.locator("[data-chart][data-locale='sv-SE']").count() == charts.count()
        axis_texts = page.locator("[data-chart] svg text").all_text_contents()
        assert any(any(ch.isdigit() for ch in t) for t in axis_texts)
        for text in axis_texts:
            assert not re.search(r"\d\.\d|\d,\d{3}\b", text), f"English number format in a chart: {text!r}"
        labels = page.locator(".chart-wrap[role='img']").evaluate_all("els => els.map(e => e.ariaLabel)")
        assert len(labels) == charts.count()
        for label in labels:
            assert label and len(label) > 20, "every chart has a text alternative"
        visit.assert_accessible()
    # The tooltip: hovering a bar shows its values.
    page.locator("[data-chart] svg path[role='graphics-symbol'], [data-chart] svg .mark-rect path").first.hover()
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=10_000)
    visit.no_console_errors()


def test_close_findings_as_justified_and_with_an_action(
        visit: Visit, planted_org: Any, planted_members: dict[str, Any]) -> None:
    visit.login(planted_members["analyst"].username)
    page = visit.page
    visit.open(f"/o/{planted_org.slug}/fynd/")
    for year in ("2025", "2024"):
        page.locator("#update-form").get_by_label("År att analysera").select_option(year)
        page.locator("#update-form button").click()
        page.wait_for_load_state()
        visit.assert_accessible()
    rows = page.locator("#cases .case-card")
    assert rows.count() >= 2, "the planted differences of 2024 and 2025 become cases"
    links = [a.get_attribute("href") for a in page.locator("#cases .case-title a").all()][:2]

    visit.open(links[0])
    page.get_by_label("Skillnaden är motiverad").check()
    page.get_by_role("button", name="Spara beslut").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert "Skriv varför skillnaden är motiverad." in page.locator("#close-form").inner_text()
    visit.console_errors.clear()  # the refused form answered 400 on purpose
    page.get_by_label("Skillnaden är motiverad").check()
    page.get_by_label("Motivering").fill("Männen i insatsen har längre tid i försörjningsstöd; se bilaga 2.")
    page.get_by_role("button", name="Spara beslut").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#case-status").inner_text() == "Motiverad skillnad"
    assert "längre tid i försörjningsstöd" in page.locator("#history").inner_text()

    visit.open(links[1])
    page.get_by_label("Skillnaden ska åtgärdas").check()
    action = "Erbjud praktik till alla deltagare vid andra samtalet."
    page.get_by_role("textbox", name="Åtgärd:", exact=True).fill(action)
    page.get_by_label("Ansvarig").fill("Styrgruppen för Jobbspåret")
    page.get_by_label("Klart senast").fill("2027-03-31")
    page.get_by_role("button", name="Spara beslut").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#case-status").inner_text() == "Åtgärd planerad"
    assert "2027-03-31" in page.locator("#case-facts").inner_text()

    visit.open(f"/o/{planted_org.slug}/fynd/")
    statuses = page.locator("#cases .status").all_inner_texts()
    assert "Motiverad skillnad" in statuses and "Åtgärd planerad" in statuses
    visit.no_console_errors()


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_download_a_report(fmt: str, visit: Visit, planted_org: Any, planted_members: dict[str, Any]) -> None:
    visit.login(planted_members["viewer"].username)
    page = visit.page
    visit.open(f"/o/{planted_org.slug}/rapporter/")
    page.get_by_label("År").select_option("2025")
    page.get_by_label("Format").select_option(fmt)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Skapa och ladda ner").click()
    download = info.value
    assert download.suggested_filename == f"jamkoll-{planted_org.slug}-2025.{fmt}"
    data = Path(download.path()).read_bytes()
    if fmt == "pdf":
        assert data[:5] == b"%PDF-" and len(data) > 20_000
    else:
        with zipfile.ZipFile(BytesIO(data)) as workbook:
            assert "xl/workbook.xml" in workbook.namelist()


def test_keyboard_users_can_skip_to_the_content(visit: Visit, planted_org: Any,
                                                planted_members: dict[str, Any]) -> None:
    visit.login(planted_members["viewer"].username)
    page = visit.page
    visit.open(f"/o/{planted_org.slug}/fynd/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible(), "the skip link shows when it has focus"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Tabbing on from the main content reaches its first link, with a visible focus indicator.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "focus is visible"


def test_the_pages_in_english(visit: Visit, planted_org: Any, planted_members: dict[str, Any]) -> None:
    visit.login(planted_members["analyst"].username)
    page = visit.page
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt språk").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Findings register").count() == 1
    visit.assert_accessible()
    for path in ("fynd/", "rapporter/", "uppladdningar/", "insatser/INS02/"):
        visit.open(f"/o/{planted_org.slug}/{path}")
    assert page.locator("#charts-heading").inner_text() == "Charts"
    assert page.get_by_role("button", name="Save comment").count() == 0  # no case page here
