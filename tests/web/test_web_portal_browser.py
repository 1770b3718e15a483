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
    page.get_by_role("link", name="Region Dalarna").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    wait_for_charts(visit)
    assert page.locator("#map svg").count() == 1
    assert "Chefer bland förvärvsarbetande" in page.locator("#map-heading").inner_text()

    page.get_by_label("Nyckeltal").select_option("DEMO012")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    wait_for_charts(visit)
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
    wait_for_charts(visit)
    # Each municipality is one path; a wrongly wound ring would fill the whole view with one huge shape.
    paths = visit.page.locator("#map svg path[aria-roledescription='geoshape'], #map svg g.mark-shape path")
    assert paths.count() >= 15
    box = visit.page.locator("#map svg").bounding_box()
    boxes = [paths.nth(i).bounding_box() for i in range(paths.count())]
    largest = max(b["width"] * b["height"] for b in boxes if b is not None)
    assert box is not None and largest < 0.5 * box["width"] * box["height"]
    assert visit.page.locator("#portal-nav").count() == 0
    visit.no_console_errors()
