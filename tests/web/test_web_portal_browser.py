"""The public portal in a real browser, never logged in: switch indicators, open a profile, find no private
data; axe-core checks every page (``Visit.open``), the map must draw under the CSP."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from . import portal_fixtures
from .browser import Visit
from .portal_fixtures import SMALL_COUNT_CELL

pytestmark = pytest.mark.browser

PSEUDONYM = re.compile(r"\b[0-9a-f]{32,64}\b")

dalarna = portal_fixtures.dalarna


def assert_nothing_private(html: str) -> None:
    assert not SMALL_COUNT_CELL.search(html), "a count of 1-4 is shown"
    assert not PSEUDONYM.search(html), "something that looks like a pseudonym is shown"
    for word in ("participant_id", "deltagar_id", "personnummer", "inskrivnings_id"):
        assert word not in html


def wait_for_charts(visit: Visit) -> None:
    visit.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every(e => e.dataset.rendered)")
    states = visit.page.eval_on_selector_all("[data-chart]", "els => els.map(e => e.dataset.rendered)")
    assert states and set(states) == {"true"}, states


def test_portal_without_login_switch_indicator_and_open_a_profile(visit: Visit, dalarna: Any,
                                                                  members: dict[str, Any]) -> None:
    page = visit.page
    visit.open("/portal/")
    page.locator("#overview-map").get_by_role("link", name="Region Dalarna").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#map svg.region-map").count() == 1
    assert "Chefer bland förvärvsarbetande" in page.locator("#map-heading").inner_text()

    page.get_by_label("Nyckeltal").select_option("DEMO012")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert "Personer i skyddat boende" in page.locator("#map-heading").inner_text()
    assert "kpi=DEMO012" in page.url
    assert page.locator("#indicator-table td.suppressed").count() >= 1
    assert_nothing_private(page.content())

    page.locator("#indicator-table thead a[data-sort='gap']").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#indicator-table th[aria-sort='ascending']").count() == 1

    page.get_by_role("link", name="Älvdalen", exact=True).first.click()
    page.wait_for_load_state()
    visit.assert_accessible()
    wait_for_charts(visit)
    assert page.get_by_role("heading", level=1).inner_text() == "Jämställdhet i Älvdalen"
    assert page.locator("section[id^='goal-']").count() == 6
    assert_nothing_private(page.content())
    assert page.locator("#account-nav").count() == 0, "nobody is logged in"
    visit.no_console_errors()


def test_uploaded_geometry_draws_a_map_not_a_rectangle(visit: Visit, dalarna: Any, reference_dir: Path) -> None:
    from jamkoll.web.portal.services import upload_geometry

    upload_geometry(dalarna, None, "kommuner.geojson", (reference_dir / "municipalities.geojson").read_bytes())
    visit.open("/portal/dalarna/?embed=1")
    assert_real_map(visit)
    assert visit.page.locator("#portal-nav").count() == 0
    assert "uppladdad av regionen" in visit.page.locator("#map-source").inner_text()
    visit.no_console_errors()


def assert_real_map(visit: Visit) -> None:
    """Each municipality is one linked shape with its own outline; a wrongly drawn ring would fill the
    whole view with one huge shape, a tile map would have equal boxes."""
    paths = visit.page.locator("#map svg a.map-area path")
    assert paths.count() == 15
    box = visit.page.locator("#map svg.region-map").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    boxes = [b for b in (paths.nth(i).bounding_box() for i in range(paths.count())) if b is not None]
    largest = max(b["width"] * b["height"] for b in boxes)
    assert largest < 0.5 * box["width"] * box["height"]
    assert len({round(b["width"]) for b in boxes}) > 5, "shapes of their own, not tiles"
    assert all(box["x"] - 1 <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1 for b in boxes)


@pytest.mark.parametrize("width", [1366, 390])
def test_portal_shows_a_real_map_copies_embed_code_and_downloads_data(visit: Visit, dalarna: Any, width: int,
                                                                      tmp_path: Path) -> None:
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900 if width > 800 else 844})
    visit.open("/portal/dalarna/?kpi=DEMO011")
    assert_real_map(visit)
    assert "Valmyndigheten" in page.locator("#map-source").inner_text()
    page.screenshot(path=str(tmp_path / f"portal-{width}.png"), full_page=True)
    wide = page.evaluate("w => [...document.querySelectorAll('body *')]"
                         ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'))"
                         ".map(e => e.tagName + '#' + e.id + '.' + e.className)", width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"no sideways scrolling of the page: {wide}"

    # The map's municipalities are links reachable by keyboard, named with their values.
    first = page.locator("#map a.map-area").first
    first.focus()
    assert page.evaluate("document.activeElement.classList.contains('map-area')")
    assert "kvinnor" in (first.get_attribute("aria-label") or "")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/portal/dalarna/kommun/" in page.url
    visit.assert_accessible()
    page.go_back()
    page.wait_for_load_state()

    # Embed code: the copy button appears with JavaScript and says the code is copied.
    code = page.locator("#embed-code")
    assert code.get_attribute("readonly") is not None
    value = code.input_value()
    assert value.startswith("<iframe src=") and "embed=1" in value and 'title="Jämställdhetskartan: ' in value
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Kopiera koden").click()
    page.wait_for_function("() => document.getElementById('embed-status').textContent.length > 0")
    assert page.locator("#embed-status").inner_text() == "Koden är kopierad."
    assert page.evaluate("navigator.clipboard.readText()") == value
    visit.assert_accessible()

    # The table as CSV: the same values as on the page.
    with page.expect_download() as download:
        page.locator("#downloads a", has_text="CSV").click()
    path = tmp_path / "data.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    first_row = page.locator("#indicator-table tbody tr").first
    name = first_row.locator("th").inner_text()
    women = first_row.locator("td").first.inner_text()
    assert f"{name};" in text and f";{women};" in text and "Kolada" in text
    with page.expect_download() as download:
        page.locator("#downloads a", has_text="Excel").click()
    assert download.value.suggested_filename == "dalarna-demo011-2024.xlsx"
    visit.no_console_errors()
