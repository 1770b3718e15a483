"""The notification settings, the password reset and the invitation in a real browser at 1366 and 390 px wide
(axe-core on every page): a steering-group member changes their e-mail choices from the account menu, resets a
forgotten password from the login page, and a new member invited by an admin chooses their password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from jamkoll.web.accounts.models import NotificationPreference

from .browser import Visit

pytestmark = pytest.mark.browser

WIDTHS = [1366, 390]
NEW_PASSWORD = "hjortron-på-myren-2026"


def _path(body: str, prefix: str) -> str:
    found = re.search(rf"https?://[^/\s]+({prefix}\S+/)", body)
    assert found, body
    return found.group(1)


@pytest.mark.parametrize("width", WIDTHS)
def test_settings_and_password_reset(visit: Visit, org: Any, members: dict[str, Any], width: int) -> None:
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    viewer = members["viewer"]
    viewer.email = "styrgrupp@example.org"
    viewer.save()
    visit.login(viewer.username)
    page.locator("#account-nav").get_by_role("link", name="E-postaviseringar").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.get_by_label("Beslut som närmar sig").is_checked()
    assert not page.get_by_label("Försenade åtgärder").is_checked()
    page.get_by_label("Försenade åtgärder").check()
    page.get_by_label("Språk i e-post").select_option("en")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.get_by_text("Dina val av e-post är sparade.").is_visible()
    preference = NotificationPreference.objects.get(user=viewer)
    assert preference.actions_overdue and preference.language == "en"
    visit.logout()

    visit.open("/konto/logga-in/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    page.get_by_label("E-postadress").fill("styrgrupp@example.org")
    page.get_by_role("button").filter(has_text="Skicka").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert len(mail.outbox) == 1
    visit.open(_path(mail.outbox[0].body, "/konto/losenord/aterstall/"))
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    viewer.refresh_from_db()
    assert viewer.check_password(NEW_PASSWORD)
    visit.no_console_errors()


@pytest.mark.parametrize("width", WIDTHS)
def test_invited_member_chooses_a_password(visit: Visit, org: Any, members: dict[str, Any], width: int) -> None:
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    visit.login(members["admin"].username)
    visit.open(f"/o/{org.slug}/medlemmar/ny-anvandare/")
    page.get_by_label("Användarnamn").fill("nyanna")
    page.get_by_label("Förnamn").fill("Anna")
    page.get_by_label("Efternamn").fill("Ny")
    page.get_by_label("E-postadress").fill("anna@example.org")
    page.get_by_label("Läsare (styrgrupp)").check()
    page.get_by_role("button", name="Skapa och lägg till").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert page.get_by_text("En inbjudan med en länk").is_visible()
    visit.logout()
    visit.open(_path(mail.outbox[0].body, "/konto/inbjudan/"))
    assert page.get_by_role("heading", name="Välj ditt lösenord").is_visible()
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    assert "/konto/logga-in/" in page.url
    visit.no_console_errors()
