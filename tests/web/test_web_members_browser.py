"""The members page in a real browser (axe-core on every page): an admin adds a new reporter with two
interventions, and the reporter logs in and sees only those."""

from __future__ import annotations

from typing import Any

import pytest

from jamkoll.web.accounts.models import Intervention

from .browser import Visit

pytestmark = pytest.mark.browser

FIRST_PASSWORD = "kvittra-sommarhus-1987"
OWN_PASSWORD = "eget-lösenord-för-rut-2026"


def test_admin_adds_a_reporter_who_then_sees_only_the_chosen_interventions(
        visit: Visit, org: Any, members: dict[str, Any]) -> None:
    for iid, name in (("INS02", "Arbetsträning"), ("INS03", "Studiecirkel"), ("INS04", "Jobbcoach")):
        Intervention.objects.create(organization=org, intervention_id=iid, name=name)
    page = visit.page
    visit.login(members["admin"].username)
    page.locator("#main-nav").get_by_role("link", name="Medlemmar").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.locator("#members tbody tr").count() == 4

    page.get_by_role("link", name="Skapa ny användare").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    page.get_by_label("Användarnamn").fill("rut")
    page.get_by_label("Förnamn").fill("Rut")
    page.get_by_label("Efternamn").fill("Rapportör")
    page.get_by_label("E-postadress").fill("rut@example.org")
    page.get_by_label("Första lösenord").fill("kort")
    page.get_by_label("Upprepa lösenordet").fill("kort")
    page.get_by_label("Rapportör").check()
    page.get_by_role("button", name="Skapa och lägg till").click()
    page.wait_for_load_state()
    visit.assert_accessible()  # the errors, tied to their fields
    assert page.locator("#id_password1_error").is_visible()
    assert page.locator("#id_interventions_error").is_visible(), "a reporter needs interventions"
    # The refused form is answered with 400, which Chromium reports on the console: expected here.
    assert all("status of 400" in e for e in visit.console_errors)
    visit.console_errors.clear()

    page.get_by_label("Första lösenord").fill(FIRST_PASSWORD)
    page.get_by_label("Upprepa lösenordet").fill(FIRST_PASSWORD)
    page.get_by_label("INS02 Arbetsträning").check()
    page.get_by_label("INS04 Jobbcoach").check()
    page.get_by_role("button", name="Skapa och lägg till").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    row = page.locator("#members tbody tr", has_text="rut")
    assert "Rut Rapportör" in row.inner_text() and "INS02" in row.inner_text() and "INS04" in row.inner_text()
    assert "INS03" not in row.inner_text()
    visit.logout()

    visit.open("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("rut")
    page.get_by_label("Lösenord").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert page.url.endswith("/konto/losenord/"), "asked to choose an own password at the first login"
    visit.assert_accessible()
    page.locator("#id_old_password").fill(FIRST_PASSWORD)
    page.locator("#id_new_password1").fill(OWN_PASSWORD)
    page.locator("#id_new_password2").fill(OWN_PASSWORD)
    page.get_by_role("button", name="Byt lösenord").click()
    page.wait_for_load_state()
    visit.assert_accessible()

    visit.open("/")
    assert page.url.endswith(f"/o/{org.slug}/")
    assert [t.split()[0] for t in page.locator("#interventions a").all_inner_texts()] == ["INS02", "INS04"]
    assert page.locator("#main-nav").get_by_role("link", name="Medlemmar").count() == 0
    visit.no_console_errors()
