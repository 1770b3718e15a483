"""Events and registrations (models and services): the waiting list and moving up, the deadline, cancelling,
reminders once, attendance into the activity by sex, and the figures under disclosure control."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from jamkoll.analysis.disclosure import is_safe
from jamkoll.web.plans.event_figures import MARKER, protect_by_sex, protect_tally
from jamkoll.web.plans.event_models import Event, Registration
from jamkoll.web.plans.events import (
    RegistrationRefused,
    cancel,
    figures,
    fill_from_waiting_list,
    record_attendance,
    register,
    send_reminders,
)

BASE = "https://jamkoll.example.se"
R = Registration.Status


def make_event(org: Any, *, capacity: int | None = None, days_ahead: int = 10, deadline_days: int = 5,
               **extra: Any) -> Event:
    """An event ``days_ahead`` days from now (two hours long), registration open until ``deadline_days`` ahead."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=days_ahead)
    return Event.objects.create(organization=org, title=extra.pop("title", "Chefsutbildning"), starts=starts,
                                ends=starts + dt.timedelta(hours=2), place="Mora",
                                registration_deadline=timezone.localdate() + dt.timedelta(days=deadline_days),
                                capacity=capacity, **extra)


def person(n: int, sex: str = "woman", **extra: Any) -> dict[str, Any]:
    return {"name": f"Person {n}", "email": f"person{n}@example.se", "organisation": "Kommunen",
            "role": "Chef", "sex": sex, **extra}


def test_the_token_is_random_and_the_dates_are_checked(org: Any) -> None:
    a, b = make_event(org), make_event(org)
    assert a.token != b.token and len(a.token) >= 20
    a.ends = a.starts - dt.timedelta(hours=1)
    a.registration_deadline = timezone.localdate(a.starts) + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        a.clean()
    assert set(caught.value.message_dict) == {"ends", "registration_deadline"}


def test_places_then_the_waiting_list_then_moving_up(org: Any) -> None:
    event = make_event(org, capacity=2)
    first, second, third, fourth = (register(event, person(n), base=BASE) for n in range(4))
    assert [r.status for r in (first, second, third, fourth)] == [R.CONFIRMED, R.CONFIRMED, R.WAITLISTED,
                                                                   R.WAITLISTED]
    assert [m.to for m in mail.outbox] == [[f"person{n}@example.se"] for n in range(4)]
    assert "Bekräftelse" in mail.outbox[0].subject and "väntelistan" in mail.outbox[2].subject
    assert f"{BASE}/anmalan/{event.token}/avboka/" in mail.outbox[0].body
    mail.outbox.clear()

    promoted = cancel(second, base=BASE)
    assert promoted is not None and promoted.pk == third.pk  # the first in line, not the later one
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {first.pk: R.CONFIRMED, second.pk: R.CANCELLED, third.pk: R.CONFIRMED,
                        fourth.pk: R.WAITLISTED}
    assert {tuple(m.to) for m in mail.outbox} == {("person1@example.se",), ("person2@example.se",)}
    assert any("fått en plats" in m.subject for m in mail.outbox if m.to == ["person2@example.se"])

    # Cancelling again changes nothing; a waitlisted person cancelling moves nobody up.
    mail.outbox.clear()
    assert cancel(second, base=BASE) is None and not mail.outbox
    assert cancel(fourth, base=BASE) is None
    assert Registration.objects.filter(status=R.CONFIRMED).count() == 2


def test_more_places_move_the_waiting_list_up(org: Any) -> None:
    event = make_event(org, capacity=1)
    for n in range(3):
        register(event, person(n), base=BASE)
    event.capacity = 2
    event.save()
    assert fill_from_waiting_list(event, base=BASE) == 1
    assert list(event.registrations.order_by("id").values_list("status", flat=True)) == [
        R.CONFIRMED, R.CONFIRMED, R.WAITLISTED]


def test_a_registration_after_the_deadline_is_refused(org: Any) -> None:
    event = make_event(org, deadline_days=-1)
    with pytest.raises(RegistrationRefused, match="stängde"):
        register(event, person(1), base=BASE)
    assert not Registration.objects.exists() and not mail.outbox
    # On the last day itself it is still open.
    assert register(event, person(2), base=BASE, today=event.registration_deadline).status == R.CONFIRMED


def test_reminders_go_out_once(org: Any) -> None:
    soon = make_event(org, days_ahead=1, deadline_days=0)
    later = make_event(org, days_ahead=20)
    kept = register(soon, person(1), base=BASE)
    cancelled = register(soon, person(2), base=BASE)
    cancel(cancelled, base=BASE, notify=False)
    register(later, person(3), base=BASE)
    mail.outbox.clear()
    assert send_reminders(base=BASE) == 1
    assert [m.to for m in mail.outbox] == [["person1@example.se"]] and "Påminnelse" in mail.outbox[0].subject
    assert send_reminders(base=BASE) == 0 and len(mail.outbox) == 1
    kept.refresh_from_db()
    assert kept.reminded is not None


def test_attendance_fills_the_activity_by_sex(org: Any) -> None:
    event = make_event(org, days_ahead=-1, deadline_days=-2, kind="theme_day")
    regs = [Registration.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.se", sex=sex)
            for n, sex in enumerate(["woman"] * 6 + ["man"] * 5 + ["other", "unspecified", ""])]
    waitlisted = Registration.objects.create(event=event, name="W", email="w@example.se", sex="man",
                                             status=R.WAITLISTED)
    came = {r.pk for r in regs[:5] + regs[6:11] + regs[11:]} | {waitlisted.pk}
    activity = record_attendance(event, came, user=None)
    assert (activity.women, activity.men, activity.other) == (5, 5, 3)
    assert activity.kind == "theme_day" and activity.date == timezone.localdate(event.starts)
    event.refresh_from_db()
    assert event.activity_id == activity.pk
    waitlisted.refresh_from_db()
    assert waitlisted.attended is None  # only confirmed registrants attend
    # Marking again updates the same activity.
    again = record_attendance(event, {r.pk for r in regs[:6]}, user=None)
    assert again.pk == activity.pk and (again.women, again.men, again.other) == (6, 0, 0)
    counted = figures(event)
    assert counted.attended == {"woman": 6, "man": 0, "other": 0}
    assert counted.registered == {"woman": 6, "man": 6, "other": 3}


def test_small_counts_are_hidden_and_cannot_be_recomputed() -> None:
    table = protect_by_sex([("Utbildning", {"woman": 12, "man": 3, "other": 0})], "Totalt")
    event_row, total_row = table.rows
    assert total_row.is_total and table.hidden
    assert event_row.cells[1] == MARKER  # 3 men
    # The total and the women would give the men (15 - 12 - 0): one of them is hidden too.
    assert MARKER in (event_row.cells[0], event_row.total)
    assert is_safe([c for row in table.rows for c in [*row.cells, row.total]])
    nothing_small = protect_by_sex([("Utbildning", {"woman": 12, "man": 7, "other": 0})], "Totalt")
    assert nothing_small.rows[0].cells == ["12", "7", "0"] and nothing_small.rows[0].total == "19"
    assert not nothing_small.hidden


def test_a_tally_hides_small_groups() -> None:
    table = protect_tally({"Chef": 9, "Politiker": 2, "Handläggare": 6}, "Totalt")
    shown = {row.label: row.cells[0] for row in table.rows}
    assert shown["Chef"] == "9" and shown["Politiker"] == MARKER
    # With one group hidden, either another group or the total must be hidden too.
    assert list(shown.values()).count(MARKER) >= 2


def test_the_demo_has_events_and_assessed_board_cases(org: Any, make_org: Any, members: dict[str, Any]) -> None:
    from jamkoll.web.plans.cases import case_assessment_share
    from jamkoll.web.plans.demo import load_plans_demo

    org.partners.add(make_org("Partner"))
    plan = load_plans_demo(org, {"admin": members["admin"], "analytiker": members["analyst"]})
    assert plan is not None
    past, future = Event.objects.filter(organization=org).order_by("starts")
    assert past.activity is not None and past.action is not None and past.action.plan == plan
    assert (past.activity.women, past.activity.men, past.activity.other) == (7, 5, 1)
    assert list(past.co_organizers.all()) == list(org.partners.all()) and past.shifts.count() == 1
    assert future.registrations.filter(status=R.WAITLISTED).count() == 1
    assert future.registrations.filter(status=R.CONFIRMED).count() == future.capacity == 3
    assert not mail.outbox  # the demo mails nobody
    share = case_assessment_share(org, timezone.localdate().year)
    assert share is not None and 0 < share.assessed < share.total


def test_the_cron_command_reminds_and_sends_evaluations_once(org: Any, settings: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    settings.JAMKOLL_BASE_URL = "https://jamkoll.example.se/"
    soon = make_event(org, days_ahead=1, deadline_days=0)
    register(soon, person(1), base=BASE)
    past = make_event(org, days_ahead=-2, deadline_days=-3)
    Registration.objects.create(event=past, name="Kom", email="kom@example.se", attended=True)
    Registration.objects.create(event=past, name="Uteblev", email="ute@example.se", attended=False)
    mail.outbox.clear()
    out = StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "1 påminnelser och 1 utvärderingslänkar skickade" in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["kom@example.se", "person1@example.se"]
    evaluation = next(m for m in mail.outbox if m.to == ["kom@example.se"])
    assert f"https://jamkoll.example.se/anmalan/{past.token}/utvardering/" in evaluation.body
    call_command("send_event_reminders", stdout=StringIO())
    assert len(mail.outbox) == 2, "a second run sends nothing"


def test_those_who_did_not_come_cannot_be_recomputed() -> None:
    from jamkoll.web.plans.event_figures import attendance_table, figure_labels
    from jamkoll.web.plans.events import Figures

    counted = Figures(registered={"woman": 7, "man": 9, "other": 0}, attended={"woman": 5, "man": 9, "other": 0})
    attended, rest, registered = attendance_table(counted, figure_labels()).rows
    assert registered.is_total and rest.cells[0] == MARKER  # 2 women did not come
    # Not both the registered and the attended women: 7 − 5 would give the 2.
    assert MARKER in (attended.cells[0], registered.cells[0])
    assert attended.cells[1] == "9" or registered.cells[1] == "9"
