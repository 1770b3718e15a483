"""Events in a real browser (axe-core checks every page): an organiser creates an event; an anonymous visitor
registers, gets the confirmation e-mail and cancels with its link; the full event had put the next person on
the waiting list, who moves up; attendance is marked and the figures by sex appear in the plan follow-up
with small counts hidden. Then a board meeting's case is assessed and shown in the minutes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from jamkoll.web.plans.event_models import Event, Registration
from jamkoll.web.plans.models import Action, ActionPlan, BoardMeeting

from .browser import Visit

pytestmark = pytest.mark.browser


def submit(visit: Visit, name: str = "Spara") -> None:
    visit.page.get_by_role("button", name=name, exact=True).click()
    visit.page.wait_for_load_state()
    visit.assert_accessible()


def register(visit: Visit, path: str, name: str, email: str, sex: str) -> None:
    visit.open(path)
    page = visit.page
    page.get_by_label("Namn:", exact=True).fill(name)
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Organisation:", exact=True).fill("Region Halland")
    page.get_by_label("Roll eller yrke").fill("Controller")
    page.get_by_label(sex, exact=True).check()
    submit(visit, "Anmäl mig")


def test_event_registration_waiting_list_attendance_and_follow_up(visit: Visit, org: Any,
                                                                   members: dict[str, Any]) -> None:
    year = timezone.localdate().year
    plan = ActionPlan.objects.create(owner=org, title="Handlingsplan för jämställdhet", start_year=year,
                                     end_year=year + 1)
    plan.organizations.set([org])
    Action.objects.create(plan=plan, title="Utbilda alla chefer", owner="HR-chefen")
    page = visit.page

    # The organiser creates the event (one place) and links it to the plan's action.
    visit.login(members["analyst"].username)
    visit.open(f"/o/{org.slug}/aktiviteter/")
    page.locator("#events-link").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    page.locator("#new-event").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    day = timezone.localdate() + dt.timedelta(days=20)
    page.get_by_label("Namn:", exact=True).fill("Från #metoo till metod")
    page.get_by_label("Typ").select_option("training")
    page.get_by_label("Börjar").fill(f"{day}T09:00")
    page.get_by_label("Slutar").fill(f"{day}T12:00")
    page.get_by_label("Plats:", exact=True).fill("Regionens hus, Göteborg")
    page.get_by_label("Antal platser").fill("1")
    page.get_by_label("Sista anmälningsdag").fill(f"{day - dt.timedelta(days=5)}")
    page.get_by_label("Åtgärd i handlingsplanen").select_option(label=f"{plan.title}: Utbilda alla chefer")
    submit(visit)
    assert page.locator("h1").inner_text() == "Från #metoo till metod"
    public = page.locator("#public-link").get_attribute("href") or ""
    path = public.removeprefix(visit.base_url)
    assert re.fullmatch(r"/anmalan/[\w-]{20,}/", path), public
    visit.logout()

    # An anonymous visitor registers and gets the confirmation; the next person goes on the waiting list.
    register(visit, path, "Anna Andersson", "anna@example.se", "Kvinna")
    assert "Tack för din anmälan" in page.locator("h1").inner_text()
    assert [m.to for m in mail.outbox] == [["anna@example.se"]]
    register(visit, path, "Kim Karlsson", "kim@example.se", "Vill inte uppge")
    assert "väntelistan" in page.locator("h1").inner_text()
    assert mail.outbox[-1].to == ["kim@example.se"] and "väntelistan" in mail.outbox[-1].subject

    # Anna cancels with the link in her e-mail; Kim moves up and is told.
    link = re.search(r"https?://\S+/avboka/\S+/", mail.outbox[0].body)
    assert link is not None
    visit.open(link.group(0).removeprefix(visit.base_url))
    submit(visit, "Avboka min anmälan")
    assert "är avbokad" in page.locator("#outcome").inner_text()
    kim = Registration.objects.get(email="kim@example.se")
    assert kim.status == "confirmed"
    assert any(m.to == ["kim@example.se"] and "fått en plats" in m.subject for m in mail.outbox)

    # More people registered (capacity raised); after the event the organiser marks attendance.
    event = Event.objects.get()
    event.capacity = None
    event.save()
    for n, sex in enumerate(["woman"] * 6 + ["man"] * 5 + ["other"]):
        Registration.objects.create(event=event, name=f"Deltagare {n}", email=f"d{n}@example.se", sex=sex)
    visit.login(members["analyst"].username)
    visit.open(f"/o/{org.slug}/evenemang/{event.pk}/")
    page.locator("#mark-attendance").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    for box in page.locator("#attendance-form input[type=checkbox]").all():
        box.check()
    submit(visit, "Spara närvaron")
    assert "Närvaron är sparad: 13 deltog" in page.locator(".messages").inner_text()

    # The plan's follow-up: 6 women, 5 men, 2 other or unknown (hidden, and one more so it cannot be recomputed).
    visit.open(f"/o/{org.slug}/handlingsplan/{plan.pk}/")
    row = page.locator("#plan-events tbody tr").first
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "6" and cells[2] == ".." and ".." in (cells[1], cells[3])
    assert "Antal mellan 1 och 4 personer visas inte" in page.locator("main").inner_text()
    visit.no_console_errors()


def test_board_case_with_assessment_in_the_minutes(visit: Visit, org: Any, members: dict[str, Any]) -> None:
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 5, 21))
    page = visit.page
    visit.login(members["admin"].username)
    visit.open(f"/o/{org.slug}/handlingsplan/styrelsemoten/")
    page.get_by_role("link", name="Styrelsemöte 2026-05-21").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    page.locator("#new-case").click()
    page.wait_for_load_state()
    visit.assert_accessible()
    page.get_by_label("Ärende:", exact=True).fill("Budget för praktikplatser")
    page.get_by_label("Vilka berörs").fill("Deltagarna i insatserna")
    page.get_by_label("Hur berörs kvinnor och män").fill("Män får praktik oftare än kvinnor")
    page.get_by_label("Underlag").fill("Fyndregistret")
    page.get_by_label("Slutsats").fill("Platserna fördelas efter behov")
    submit(visit)
    assert "1 av 1 ärende har en jämställdhetsbedömning" in page.locator("#assessed-share").inner_text()
    assert "Platserna fördelas efter behov" in page.locator(".board-case").inner_text()
    assert meeting.cases.get().has_assessment
    visit.no_console_errors()
