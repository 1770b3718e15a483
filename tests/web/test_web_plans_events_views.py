"""The organisers' event pages: creating an event, who sees what (registrants only for admins and analysts),
shifts, attendance into the plan's follow-up by sex with small counts hidden, and the evaluation e-mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jamkoll.analysis.disclosure import DisclosurePolicy, is_safe
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.plans import event_figures
from jamkoll.web.plans.event_models import EvaluationAnswer, Event, Registration, Shift
from jamkoll.web.plans.models import Action, ActionPlan

from .html_checks import check_page
from .test_web_plans_events_models import make_event

R = Registration.Status


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"front:plans:{name}", kwargs={"slug": org.slug, **kwargs})


def _form(**extra: Any) -> dict[str, Any]:
    starts = timezone.localdate() + dt.timedelta(days=30)
    return {"title": "Från #metoo till metod", "kind": "training", "description": "Chefsutbildning",
            "starts": f"{starts:%Y-%m-%d}T09:00", "ends": f"{starts:%Y-%m-%d}T12:00", "place": "Göteborg",
            "target_group": "Chefer", "capacity": "25", "registration_deadline": f"{starts - dt.timedelta(days=7)}",
            "retention_days": "", **extra}


def test_an_analyst_creates_an_event_with_a_public_link(org: Any, members: dict[str, Any], make_org: Any) -> None:
    partner = make_org("Partnerförbundet")
    org.partners.add(partner)
    client = _client(members["analyst"])
    page = client.get(_url("event_new", org))
    assert page.status_code == 200 and not check_page(page.content.decode())
    response = client.post(_url("event_new", org), _form(co_organizers=[partner.pk]))
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == _url("event", org, pk=event.pk)
    assert (event.organization, event.capacity, event.created_by) == (org, 25, members["analyst"])
    assert list(event.co_organizers.all()) == [partner]
    assert timezone.localtime(event.starts).hour == 9
    html = client.get(response.url).content.decode()
    assert f"/anmalan/{event.token}/" in html and not check_page(html)
    assert AuditEvent.objects.filter(action="event_changed", object_id=str(event.pk)).exists()
    # The partner's members see the co-organised event too and mark attendance, but only the organiser edits it.
    partner_analyst = _client(make_member_of(partner))
    assert event.title in partner_analyst.get(_url("events", partner)).content.decode()
    assert partner_analyst.get(_url("attendance", partner, pk=event.pk)).status_code == 200
    assert partner_analyst.post(_url("event_edit", partner, pk=event.pk), _form()).status_code == 403


def make_member_of(org: Any) -> Any:
    from .conftest import make_member

    return make_member(org, "analyst", username=f"analyst-{org.slug}-2")


def test_bad_dates_are_refused(org: Any, members: dict[str, Any]) -> None:
    starts = timezone.localdate() + dt.timedelta(days=30)
    response = _client(members["admin"]).post(_url("event_new", org), _form(
        ends=f"{starts:%Y-%m-%d}T08:00", registration_deadline=f"{starts + dt.timedelta(days=1)}"))
    assert response.status_code == 400 and not Event.objects.exists()
    html = response.content.decode()
    assert "kan inte sluta innan" in html and "kan inte vara efter evenemanget" in html


def test_reporters_and_viewers_cannot_create_and_other_organisations_get_404(
        org: Any, other_org: Any, members: dict[str, Any]) -> None:
    for role in ("reporter", "viewer"):
        assert _client(members[role]).post(_url("event_new", org), _form()).status_code == 403
    assert _client(members["outsider"]).get(_url("events", org)).status_code == 404
    foreign = make_event(other_org)
    assert _client(members["admin"]).get(_url("event", org, pk=foreign.pk)).status_code == 404
    assert not Event.objects.filter(organization=org).exists()


def test_viewers_see_protected_figures_but_not_the_registrants(org: Any, members: dict[str, Any]) -> None:
    event = make_event(org)
    for n in range(7):
        Registration.objects.create(event=event, name=f"Deltagare {n}", email=f"d{n}@example.se",
                                    sex="woman" if n < 5 else "man", role="Chef")
    viewer = _client(members["viewer"]).get(_url("event", org, pk=event.pk)).content.decode()
    assert "Deltagare 1" not in viewer and "d1@example.se" not in viewer and "/anmalan/" not in viewer
    assert 'id="event-by-sex"' in viewer and ".." in viewer  # 2 men: hidden
    admin = _client(members["admin"]).get(_url("event", org, pk=event.pk)).content.decode()
    assert "Deltagare 1" in admin and "d1@example.se" in admin
    assert _client(members["reporter"]).get(_url("event", org, pk=event.pk)).status_code == 403


def test_shifts_for_the_organisers_staff(org: Any, other_org: Any, members: dict[str, Any]) -> None:
    event = make_event(org)
    client = _client(members["admin"])
    day = timezone.localtime(event.starts).date()
    data = {"shift-task": "Bemanna utställningen", "shift-starts": f"{day}T08:00", "shift-ends": f"{day}T12:00",
            "shift-staff": [members["analyst"].pk]}
    assert client.post(_url("shift_add", org, pk=event.pk), data).status_code == 302
    shift = Shift.objects.get()
    assert list(shift.staff.all()) == [members["analyst"]]
    # Someone from another organisation is not on the list.
    refused = client.post(_url("shift_add", org, pk=event.pk), {**data, "shift-staff": [members["outsider"].pk]})
    assert refused.status_code == 400 and Shift.objects.count() == 1
    assert client.post(_url("shift_delete", org, pk=event.pk, shift_pk=shift.pk)).status_code == 302
    assert not Shift.objects.exists()


def test_attendance_feeds_the_plan_follow_up_with_small_counts_hidden(org: Any, members: dict[str, Any]) -> None:
    year = timezone.localdate().year
    plan = ActionPlan.objects.create(owner=org, title="Planen", start_year=year, end_year=year + 1)
    plan.organizations.set([org])
    action = Action.objects.create(plan=plan, title="Utbildning för alla chefer", owner="HR")
    event = make_event(org, days_ahead=-1, deadline_days=-3, action=action)
    regs = [Registration.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.se", sex=sex)
            for n, sex in enumerate(["woman"] * 8 + ["man"] * 6 + ["other"] * 2)]
    client = _client(members["analyst"])
    page = client.get(_url("attendance", org, pk=event.pk))
    assert page.status_code == 200 and not check_page(page.content.decode())
    came = [str(r.pk) for r in regs if r.name not in ("P0", "P8")]  # 7 women, 5 men, 2 other
    assert client.post(_url("attendance", org, pk=event.pk), {"attended": came}).status_code == 302
    event.refresh_from_db()
    assert event.activity is not None and (event.activity.women, event.activity.men, event.activity.other) == (7, 5, 2)

    html = _client(members["viewer"]).get(_url("plan", org, pk=plan.pk)).content.decode()
    assert not check_page(html)
    table = html[html.index('id="plan-events"'):html.index("</table>", html.index('id="plan-events"'))]
    cells = [c.split("<")[0] for c in table.split('<td class="num">')[1:]]
    # Row: women 7, men 5, other 2 (hidden), total 14. With the 2 hidden, the men or the total is hidden too
    # (else 14 − 7 − 5 gives it); the women are shown.
    assert cells[0] == "7" and cells[2] == ".." and ".." in (cells[1], cells[3])
    assert is_safe([c for c in cells if c != ".."])
    assert "Antal mellan 1 och 4 personer visas inte" in html


def test_the_evaluation_link_goes_to_attendees_once(org: Any, members: dict[str, Any]) -> None:
    event = make_event(org, days_ahead=-1, deadline_days=-3)
    Registration.objects.create(event=event, name="Kom", email="kom@example.se", attended=True)
    Registration.objects.create(event=event, name="Uteblev", email="ute@example.se", attended=False)
    client = _client(members["admin"])
    client.post(_url("evaluation_send", org, pk=event.pk))
    assert [m.to for m in mail.outbox] == [["kom@example.se"]] and "/utvardering/" in mail.outbox[0].body
    client.post(_url("evaluation_send", org, pk=event.pk))
    assert len(mail.outbox) == 1


def test_more_places_move_people_up_from_the_page(org: Any, members: dict[str, Any]) -> None:
    event = make_event(org, capacity=1)
    for n in range(3):
        Registration.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.se",
                                    status=R.CONFIRMED if n == 0 else R.WAITLISTED)
    data = _form(capacity="2")
    data.update(starts=f"{timezone.localtime(event.starts):%Y-%m-%dT%H:%M}",
                ends=f"{timezone.localtime(event.ends):%Y-%m-%dT%H:%M}",
                registration_deadline=f"{event.registration_deadline}")
    assert _client(members["admin"]).post(_url("event_edit", org, pk=event.pk), data).status_code == 302
    assert list(event.registrations.order_by("id").values_list("status", flat=True)) == [
        R.CONFIRMED, R.CONFIRMED, R.WAITLISTED]
    assert [m.to for m in mail.outbox] == [["p1@example.se"]]


def test_evaluation_averages_follow_the_gate_threshold(org: Any, members: dict[str, Any],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The evaluation's averages are shown from the disclosure threshold of answers: the gate's rule,
    not a number of its own (an installation with threshold 7 hides the averages of 5 answers)."""
    event = make_event(org)
    for n in range(5):
        EvaluationAnswer.objects.create(event=event, overall=1 + n % 5, useful=3)
    admin = _client(members["admin"])
    page = admin.get(_url("event", org, pk=event.pk)).content.decode()
    assert 'id="evaluation-summary"' in page  # 5 answers under the default threshold 5
    monkeypatch.setattr(event_figures, "POLICY", DisclosurePolicy(threshold=7))
    page = admin.get(_url("event", org, pk=event.pk)).content.decode()
    assert 'id="evaluation-summary"' not in page
    assert "från 7 svar" in page
