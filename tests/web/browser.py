"""Browser testing support: Playwright driving Debian's Chromium (``/usr/bin/chromium``, installed by
``make test``; never a browser downloaded by Playwright) against the live server, and axe-core (from
the npm registry, ``node_modules/axe-core``) on every page a test opens.

Use the ``visit`` fixture (``tests/web/conftest.py``) and mark the module ``pytest.mark.browser``.
The pages run under the app's Content-Security-Policy, so a page that needs ``eval`` or inline
styles or scripts fails in these tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class Visit:
    """A browser tab on the live server that checks every page it lands on."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.checked: list[str] = []
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        self.assert_accessible()
        return response

    def login(self, username: str) -> None:
        self.open("/konto/logga-in/")
        self.page.get_by_label("Användarnamn").fill(username)
        from .conftest import PASSWORD

        self.page.get_by_label("Lösenord").fill(PASSWORD)
        self.page.get_by_role("button", name="Logga in").click()
        self.page.wait_for_load_state()
        assert "/konto/logga-in/" not in self.page.url, f"{username} could not log in"
        self.assert_accessible()

    def logout(self) -> None:
        self.page.locator("#logout").click()
        self.page.wait_for_load_state()

    def assert_accessible(self) -> None:
        """axe-core on the page as it is now: no serious or critical WCAG 2.1 A/AA violation."""
        self.page.wait_for_load_state("load")
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, which the page's CSP does not restrict.
            self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_TAGS)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{self.page.url}: " + "\n".join(serious)
        self.checked.append(self.page.url)

    def no_console_errors(self) -> None:
        assert not self.console_errors, "\n".join(self.console_errors)
