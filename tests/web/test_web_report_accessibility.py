"""The self-contained HTML report in the browser: axe-core (WCAG 2.1 A/AA) at 1366 and 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .browser import Visit

pytestmark = pytest.mark.browser


def test_html_report_is_accessible_on_desktop_and_phone(chromium: Any, demo_store: Path, tmp_path: Path) -> None:
    """No serious or critical violation (Vega's per-mark roles made 30 svg-img-alt violations), and a
    phone never scrolls the whole page sideways (tables scroll in their own keyboard-reachable regions)."""
    from jamkoll.analysis import AnalysisConfig, analyze
    from jamkoll.ingest import Store
    from jamkoll.reports import write_report

    analysis = analyze(Store(demo_store), AnalysisConfig(year=2025, bootstrap=0))
    html = write_report(analysis, tmp_path, formats=["html"])["html"]
    for width in (1366, 390):
        page = chromium.new_page(viewport={"width": width, "height": 900})
        try:
            page.goto(html.as_uri())
            Visit(page, "").assert_accessible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            assert page.locator(".table-wrap[tabindex='0'][role='region']").count() >= 10
        finally:
            page.close()
