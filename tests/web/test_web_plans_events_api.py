"""The API of events, registrations (organisers' side) and board cases: what each role may do, figures by sex
under disclosure control, attendance and cancellation through PATCH, and board cases with assessments."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core import mail
from django.test import Client

from jamkoll.web.accounts.models import ApiToken
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.plans.case_models import BoardCase
from jamkoll.web.plans.event_models import Event, Registration
from jamkoll.web.plans.models import BoardMeeting

from .test_web_plans_events_models import make_event

R = Registration.Status


def _api(user: Any) -> tuple[Client, dict[str, str]]:
    return Client(), {"Authorization": "Bearer " + ApiToken.issue(user, "test")[1]}


def _send(user: Any, method: str, url: str, body: Any = None) -> Any:
    client, headers = _api(user)
    if method == "GET":
        return client.get(url, headers=headers)
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json", headers=headers)


EVENT = {"title": "Temadag om jämställd styrning", "kind": "theme_day", "starts": "2030-03-12T09:00:00+01:00",
         "ends": "2030-03-12T15:00:00+01:00", "place": "Halmstad", "registration_deadline": "2030-03-01",
         "capacity": 2}


def test_create_and_list_events(org: Any, members: dict[str, Any]) -> None:
    response = _send(members["analyst"], "POST", f"/api/orgs/{org.slug}/events", EVENT)
    assert response.status_code == 201, response.content
    created = response.json()
    event = Event.objects.get()
    assert created["id"] == event.pk and created["registration_url"].endswith(f"/anmalan/{event.token}/")
    assert created["retention_days"] == 30 and created["registered"] == {"women": 0, "men": 0, "other": 0, "total": 0}
    assert AuditEvent.objects.filter(action="event_changed", details__via="api").exists()
    listed = _send(members["viewer"], "GET", f"/api/orgs/{org.slug}/events").json()
    assert [e["title"] for e in listed] == [EVENT["title"]] and listed[0]["registration_url"] is None
    bad = _send(members["admin"], "POST", f"/api/orgs/{org.slug}/events",
                {**EVENT, "registration_deadline": "2030-04-01"})
    assert bad.status_code == 400 and "anmälningsdag" in bad.json()["detail"]


def test_viewers_and_reporters_cannot_create_or_see_registrants(org: Any, other_org: Any,
                                                                members: dict[str, Any]) -> None:
    for role in ("viewer", "reporter"):
        assert _send(members[role], "POST", f"/api/orgs/{org.slug}/events", EVENT).status_code == 403
    event = make_event(org)
    assert _send(members["viewer"], "GET",
                 f"/api/orgs/{org.slug}/events/{event.pk}/registrations").status_code == 403
    assert _send(members["reporter"], "GET", f"/api/orgs/{org.slug}/events").status_code == 403
    assert _send(members["outsider"], "GET", f"/api/orgs/{org.slug}/events").status_code == 404
    foreign = make_event(other_org)
    assert _send(members["admin"], "GET", f"/api/orgs/{org.slug}/events/{foreign.pk}").status_code == 404
    assert not Event.objects.filter(organization=org, title=EVENT["title"]).exists()


def test_figures_by_sex_are_protected(org: Any, members: dict[str, Any]) -> None:
    event = make_event(org)
    for n, sex in enumerate(["woman"] * 9 + ["man"] * 2):
        Registration.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.se", sex=sex)
    registered = _send(members["viewer"], "GET", f"/api/orgs/{org.slug}/events/{event.pk}").json()["registered"]
    assert registered["men"] is None  # 2
    assert None in (registered["women"], registered["total"])  # else 11 − 9 − 0 gives the 2
    assert all(v is None or v == 0 or v >= 5 for v in registered.values())


def test_attendance_and_cancellation_through_patch(org: Any, members: dict[str, Any]) -> None:
    event = make_event(org, capacity=1)
    first = Registration.objects.create(event=event, name="Första", email="f@example.se", sex="woman")
    waiting = Registration.objects.create(event=event, name="Andra", email="a@example.se", sex="man",
                                          status=R.WAITLISTED)
    base = f"/api/orgs/{org.slug}/events/{event.pk}/registrations"
    listed = _send(members["admin"], "GET", base).json()
    assert [r["name"] for r in listed] == ["Första", "Andra"] and listed[1]["status"] == "waitlisted"
    refused = _send(members["admin"], "PATCH", f"{base}/{waiting.pk}", {"attended": True})
    assert refused.status_code == 400
    marked = _send(members["admin"], "PATCH", f"{base}/{first.pk}", {"attended": True})
    assert marked.status_code == 200 and marked.json()["attended"] is True
    event.refresh_from_db()
    assert event.activity is not None and (event.activity.women, event.activity.men) == (1, 0)
    cancelled = _send(members["analyst"], "PATCH", f"{base}/{first.pk}", {"status": "cancelled"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == R.CONFIRMED
    assert {m.to[0] for m in mail.outbox} == {"f@example.se", "a@example.se"}
    assert _send(members["viewer"], "PATCH", f"{base}/{waiting.pk}", {"status": "cancelled"}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == R.CONFIRMED


def test_board_cases(org: Any, other_org: Any, members: dict[str, Any]) -> None:
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 5, 21))
    url = f"/api/orgs/{org.slug}/board-meetings/{meeting.pk}/cases"
    created = _send(members["analyst"], "POST", url, {"title": "Budget 2027", "affected": "Alla deltagare"})
    assert created.status_code == 201 and created.json()["has_assessment"] is False and created.json()["number"] == 1
    case_id = created.json()["id"]
    patched = _send(members["admin"], "PATCH", f"/api/orgs/{org.slug}/board-cases/{case_id}",
                    {"conclusion": "Budgeten når kvinnor och män efter behov."})
    assert patched.status_code == 200 and patched.json()["has_assessment"] is True
    assert BoardCase.objects.get().assessed_by == members["admin"]
    cases = _send(members["reporter"], "GET", url).json()
    assert [c["title"] for c in cases] == ["Budget 2027"]
    assert _send(members["viewer"], "POST", url, {"title": "Nej"}).status_code == 403
    bad_link = _send(members["admin"], "POST", url, {"title": "Fel", "finding_id": 999999})
    assert bad_link.status_code == 400
    foreign = BoardMeeting.objects.create(organization=other_org, date=dt.date(2026, 5, 21))
    assert _send(members["admin"], "GET",
                 f"/api/orgs/{org.slug}/board-meetings/{foreign.pk}/cases").status_code == 404
    assert BoardCase.objects.count() == 1
