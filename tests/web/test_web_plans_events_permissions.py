"""Every page and API operation of events, the public registration and board cases, as every role and as a
member of another organisation.

``test_web_url_permissions.test_every_url_has_an_expectation`` counts the names below as covered. The rules:
admins and analysts create and change events, mark attendance and see registrants; viewers see events and
their protected figures; every member reads the minutes, admins and analysts write cases; the public pages
(``signup:``) need no login, but a link naming another event's registration is 404 for everyone; another
organisation's objects are 404 even to admins.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from jamkoll.web.accounts.models import ApiToken
from jamkoll.web.plans.case_models import AssessmentTemplate, BoardCase
from jamkoll.web.plans.event_models import EvaluationAnswer, Event, Registration, Shift
from jamkoll.web.plans.events import cancel_token, evaluation_token
from jamkoll.web.plans.models import Activity, BoardMeeting

from .test_web_plans_events_models import make_event
from .test_web_url_permissions import AGGREGATE, FULL, MEMBERS, NOBODY, PUBLIC, ROLES, Case, check

ORG = {"slug": "org"}


def _own_and_foreign(name: str, get: frozenset[str], post: frozenset[str], **objects: str) -> list[Case]:
    return [Case({**ORG, "pk": name, **objects}, get, post),
            Case({**ORG, "pk": f"foreign_{name}", **{k: f"foreign_{v}" for k, v in objects.items()}}, NOBODY, NOBODY)]


PAGES: dict[str, list[Case]] = {
    "front:plans:events": [Case(ORG, AGGREGATE, NOBODY)],
    "front:plans:event_new": [Case(ORG, FULL, FULL)],
    "front:plans:event": _own_and_foreign("event", AGGREGATE, NOBODY),
    "front:plans:event_edit": _own_and_foreign("event", FULL, FULL),
    "front:plans:shift_add": _own_and_foreign("event", NOBODY, FULL),
    "front:plans:attendance": _own_and_foreign("event", FULL, FULL),
    "front:plans:evaluation_send": _own_and_foreign("event", NOBODY, FULL),
    "front:plans:minutes": _own_and_foreign("meeting", MEMBERS, NOBODY),
    "front:plans:board_case_new": _own_and_foreign("meeting", FULL, FULL),
    "front:plans:board_case_edit": _own_and_foreign("meeting", FULL, FULL, case_pk="case"),
    "front:plans:assessment_template": [Case(ORG, FULL, FULL)],
    # The public pages: no login. A link that names another event's registration is 404 for everyone.
    "signup:register": [Case({"token": "event_token"}, PUBLIC, PUBLIC, org_scoped=False)],
    "signup:evaluate": [
        Case({"token": "event_token", "signed": "evaluation_link"}, PUBLIC, PUBLIC, org_scoped=False),
        Case({"token": "event_token", "signed": "foreign_evaluation_link"}, NOBODY, NOBODY, org_scoped=False)],
    "signup:cancel": [
        Case({"token": "event_token", "signed": "foreign_cancel_link"}, NOBODY, NOBODY, org_scoped=False),
        Case({"token": "event_token", "signed": "cancel_link"}, PUBLIC, PUBLIC, org_scoped=False)],
    # Deletions last, of objects nothing above uses.
    "front:plans:shift_delete": _own_and_foreign("event", NOBODY, FULL, shift_pk="shift"),
    "front:plans:board_case_delete": _own_and_foreign("meeting", NOBODY, FULL, case_pk="spare_case"),
}

API_EVENT = {**ORG, "event_id": "event"}
API: dict[str, list[Case]] = {
    "GET /api/orgs/{slug}/events": [Case(ORG, AGGREGATE, NOBODY)],
    "POST /api/orgs/{slug}/events": [Case(ORG, NOBODY, FULL, body={
        "title": "", "starts": "2030-01-01T09:00:00Z", "ends": "2030-01-01T10:00:00Z", "place": "",
        "registration_deadline": "2029-12-01"})],
    "GET /api/orgs/{slug}/events/{event_id}": [
        Case(API_EVENT, AGGREGATE, NOBODY), Case({**ORG, "event_id": "foreign_event"}, NOBODY, NOBODY)],
    "GET /api/orgs/{slug}/events/{event_id}/registrations": [
        Case(API_EVENT, FULL, NOBODY), Case({**ORG, "event_id": "foreign_event"}, NOBODY, NOBODY)],
    "PATCH /api/orgs/{slug}/events/{event_id}/registrations/{registration_id}": [
        Case({**API_EVENT, "registration_id": "registration"}, NOBODY, FULL, body={"status": "bogus"}),
        Case({**ORG, "event_id": "foreign_event", "registration_id": "foreign_registration"}, NOBODY, NOBODY,
             body={"status": "bogus"})],
    "GET /api/orgs/{slug}/board-meetings/{meeting_id}/cases": [
        Case({**ORG, "meeting_id": "meeting"}, MEMBERS, NOBODY),
        Case({**ORG, "meeting_id": "foreign_meeting"}, NOBODY, NOBODY)],
    "POST /api/orgs/{slug}/board-meetings/{meeting_id}/cases": [
        Case({**ORG, "meeting_id": "meeting"}, NOBODY, FULL, body={"title": ""}),
        Case({**ORG, "meeting_id": "foreign_meeting"}, NOBODY, NOBODY, body={"title": ""})],
    "PATCH /api/orgs/{slug}/board-cases/{case_id}": [
        Case({**ORG, "case_id": "case"}, NOBODY, FULL, body={"title": ""}),
        Case({**ORG, "case_id": "foreign_case"}, NOBODY, NOBODY, body={"title": ""})],
}


def _objects(org: Any) -> dict[str, Any]:
    event = make_event(org)
    registration = Registration.objects.create(event=event, name="Anna", email="anna@example.se", attended=True)
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 5, 21))
    return {
        "event": event, "registration": registration, "meeting": meeting,
        "shift": Shift.objects.create(event=event, task="Entrén", starts=event.starts, ends=event.ends),
        "case": BoardCase.objects.create(meeting=meeting, title="Budget"),
        "spare_case": BoardCase.objects.create(meeting=meeting, number=2, title="Extra"),
        "cancel_link": cancel_token(registration), "evaluation_link": evaluation_token(registration),
    }


@pytest.fixture
def world(org: Any, other_org: Any, members: dict[str, Any]) -> dict[str, Any]:
    own = _objects(org)
    foreign = _objects(other_org)
    return {"users": members, "org": org, **own, "event_token": own["event"].token,
            **{f"foreign_{k}": v for k, v in foreign.items()}}


def _value(world: dict[str, Any], name: str) -> str:
    obj = world[name]
    if name == "org":
        return str(obj.slug)
    return obj if isinstance(obj, str) else str(obj.pk)


def snapshot() -> tuple[Any, ...]:
    """Everything a refused request must leave as it was."""
    return (
        sorted(Event.objects.values_list("pk", "title", "capacity", "activity_id")),
        sorted(Registration.objects.values_list("pk", "status", "attended", "evaluation_sent", "evaluated")),
        sorted(Shift.objects.values_list("pk", "task")), EvaluationAnswer.objects.count(),
        sorted(BoardCase.objects.values_list("pk", "title", "conclusion")),
        sorted(AssessmentTemplate.objects.values_list("pk", "intro")), Activity.objects.count(),
    )


def test_every_url_and_operation_is_walked() -> None:
    from .test_web_url_permissions import api_operations, url_patterns

    mine = {name for name in PAGES}
    names = {name for name, _route in url_patterns() if name and name.startswith("signup:")}
    assert names == {n for n in mine if n.startswith("signup:")}
    assert {op for op in api_operations() if "/events" in op or "/board-" in op} == set(API)


@pytest.mark.parametrize("role", ROLES)
def test_pages_as_every_role(role: str, world: dict[str, Any]) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    for name, cases in PAGES.items():
        for case in cases:
            url = reverse(name, kwargs={k: _value(world, v) for k, v in case.objects.items()})
            for method in ("GET", "POST"):
                cache.clear()  # the public form's rate limit
                before = snapshot()
                response = client.get(url) if method == "GET" else client.post(url, {})
                if not case.org_scoped and any(v.startswith("foreign_") for v in case.objects.values()):
                    # A public link naming another event's registration: 404 for everyone, logged in or not.
                    assert response.status_code == 404, f"{role} {method} {url}: {response.status_code}"
                    assert before == snapshot()
                    continue
                check(role, case, method, response, before, snapshot(), f"{method} {url}", api_call=False)


@pytest.mark.parametrize("role", ROLES)
def test_api_as_every_role(role: str, world: dict[str, Any]) -> None:
    client = Client()
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = "Bearer " + ApiToken.issue(world["users"][role], "walk")[1]
    for operation, cases in API.items():
        method, path = operation.split(" ", 1)
        for case in cases:
            url = path.format(**{k: _value(world, v) for k, v in case.objects.items()})
            before = snapshot()
            if method == "GET":
                response = client.get(url, headers=headers)
            else:
                response = client.generic(method, url, data=json.dumps(case.body or {}),
                                          content_type="application/json", headers=headers)
            read = method == "GET"
            check(role, dataclasses.replace(case, get=case.get if read else NOBODY, post=case.post if not read
                                            else NOBODY), "GET" if read else method, response, before, snapshot(),
                  f"{operation} {url}", api_call=True)
