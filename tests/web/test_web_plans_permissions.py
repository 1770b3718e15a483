"""Every page and API operation of the plans app, as every role and as a member of another organisation.

``test_web_url_permissions.test_every_url_has_an_expectation`` counts the names below as covered, so a new
URL or operation of the app without an entry here fails there. The rules: admins and analysts edit;
viewers read plans, checklists, activities and the library; reporters read plans only; another
organisation's objects are 404 even to admins; a plan a partner shares is readable by every member.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from jamkoll.web.accounts.models import ApiToken
from jamkoll.web.plans.checklists import ensure_shipped_templates
from jamkoll.web.plans.models import (
    Action,
    ActionPlan,
    Activity,
    BoardMeeting,
    CharterSignature,
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    ChecklistTemplate,
    Goal,
    LibraryItem,
    PlanRevision,
)
from jamkoll.web.plans.services import adopt_revision, store_library_file

from .test_web_url_permissions import AGGREGATE, FULL, MEMBERS, NOBODY, ROLES, Case, check

ORG = {"slug": "org"}
PLAN = {**ORG, "pk": "plan"}


def _plan_cases(get: frozenset[str], post: frozenset[str], **objects: str) -> list[Case]:
    """The own plan, a plan a partner shares (same rights) and another organisation's plan (404)."""
    return [Case({**ORG, "pk": "plan", **objects}, get, post),
            Case({**ORG, "pk": "shared_plan", **{k: f"shared_{v}" for k, v in objects.items()}}, get, post),
            Case({**ORG, "pk": "foreign_plan", **{k: f"foreign_{v}" for k, v in objects.items()}}, NOBODY, NOBODY)]


PAGES: dict[str, list[Case]] = {
    "front:plans:plans": [Case(ORG, MEMBERS, NOBODY)],
    "front:plans:plan_new": [Case(ORG, FULL, FULL)],
    "front:plans:charter": [Case(ORG, NOBODY, FULL)],
    "front:plans:meetings": [Case(ORG, MEMBERS, FULL)],
    "front:plans:plan": _plan_cases(MEMBERS, NOBODY),
    "front:plans:plan_edit": _plan_cases(FULL, FULL),
    "front:plans:goal_new": _plan_cases(FULL, FULL),
    "front:plans:goal_edit": _plan_cases(FULL, FULL, goal_pk="goal"),
    "front:plans:action_new": _plan_cases(FULL, FULL),
    "front:plans:action_edit": _plan_cases(FULL, FULL, action_pk="action"),
    "front:plans:plan_revise": _plan_cases(FULL, FULL),
    "front:plans:revision": _plan_cases(MEMBERS, NOBODY, number="revision"),
    "front:plans:checklists": [Case(ORG, AGGREGATE, FULL)],
    "front:plans:template_new": [Case(ORG, FULL, FULL)],
    "front:plans:template": [Case({**ORG, "pk": "template"}, FULL, FULL),
                             Case({**ORG, "pk": "foreign_template"}, NOBODY, NOBODY)],
    "front:plans:question_new": [Case({**ORG, "pk": "template"}, FULL, FULL),
                                 Case({**ORG, "pk": "foreign_template"}, NOBODY, NOBODY)],
    "front:plans:question_edit": [Case({**ORG, "pk": "template", "question_pk": "question"}, FULL, FULL),
                                  Case({**ORG, "pk": "foreign_template", "question_pk": "foreign_question"},
                                       NOBODY, NOBODY)],
    "front:plans:response": [Case({**ORG, "pk": "response"}, AGGREGATE, FULL),
                             Case({**ORG, "pk": "foreign_response"}, NOBODY, NOBODY)],
    "front:plans:response_export": [Case({**ORG, "pk": "response"}, AGGREGATE, NOBODY),
                                    Case({**ORG, "pk": "foreign_response"}, NOBODY, NOBODY)],
    "front:plans:activities": [Case(ORG, AGGREGATE, FULL)],
    "front:plans:activity_edit": [Case({**ORG, "pk": "activity"}, FULL, FULL),
                                  Case({**ORG, "pk": "foreign_activity"}, NOBODY, NOBODY)],
    "front:plans:library": [Case(ORG, AGGREGATE, FULL)],
    "front:plans:library_download": [Case({**ORG, "pk": "item"}, AGGREGATE, NOBODY),
                                     Case({**ORG, "pk": "foreign_item"}, NOBODY, NOBODY)],
    # Deletions last, of objects nothing above uses.
    "front:plans:goal_delete": _plan_cases(NOBODY, FULL, goal_pk="spare_goal"),
    "front:plans:action_delete": _plan_cases(NOBODY, FULL, action_pk="spare_action"),
    "front:plans:question_delete": [
        Case({**ORG, "pk": "template", "question_pk": "spare_question"}, NOBODY, FULL),
        Case({**ORG, "pk": "foreign_template", "question_pk": "foreign_question"}, NOBODY, NOBODY)],
    "front:plans:activity_delete": [Case({**ORG, "pk": "spare_activity"}, NOBODY, FULL),
                                    Case({**ORG, "pk": "foreign_activity"}, NOBODY, NOBODY)],
    "front:plans:library_delete": [Case({**ORG, "pk": "spare_item"}, NOBODY, FULL),
                                   Case({**ORG, "pk": "foreign_item"}, NOBODY, NOBODY)],
    "front:plans:meeting_delete": [Case({**ORG, "pk": "spare_meeting"}, NOBODY, FULL),
                                   Case({**ORG, "pk": "foreign_meeting"}, NOBODY, NOBODY)],
}

API_PLAN = {**ORG, "plan_id": "plan"}
BAD_PLAN = {"title": "", "start_year": 2026, "end_year": 2025}


def _api_plan_cases(get: frozenset[str], post: frozenset[str], body: Any = None, **objects: str) -> list[Case]:
    return [Case({**ORG, "plan_id": "plan", **objects}, get, post, body=body),
            Case({**ORG, "plan_id": "shared_plan", **{k: f"shared_{v}" for k, v in objects.items()}}, get, post,
                 body=body),
            Case({**ORG, "plan_id": "foreign_plan", **{k: f"foreign_{v}" for k, v in objects.items()}}, NOBODY,
                 NOBODY, body=body)]


API: dict[str, list[Case]] = {
    "GET /api/orgs/{slug}/plans": [Case(ORG, MEMBERS, NOBODY)],
    "POST /api/orgs/{slug}/plans": [Case(ORG, NOBODY, FULL, body=BAD_PLAN)],
    "GET /api/orgs/{slug}/plans/{plan_id}": _api_plan_cases(MEMBERS, NOBODY),
    "POST /api/orgs/{slug}/plans/{plan_id}/goals": _api_plan_cases(NOBODY, FULL, body={"title": "",
                                                                                        "national_goal": "x"}),
    "POST /api/orgs/{slug}/plans/{plan_id}/actions": _api_plan_cases(NOBODY, FULL, body={"title": "", "owner": ""}),
    "PATCH /api/orgs/{slug}/plans/{plan_id}/actions/{action_id}": _api_plan_cases(
        NOBODY, FULL, body={"status": "bogus"}, action_id="action"),
    "GET /api/orgs/{slug}/checklists": [Case(ORG, AGGREGATE, NOBODY)],
    "POST /api/orgs/{slug}/checklists": [Case(ORG, NOBODY, FULL, body={"template_id": 0, "year": 2026})],
    "GET /api/orgs/{slug}/checklists/{checklist_id}": [
        Case({**ORG, "checklist_id": "response"}, AGGREGATE, NOBODY),
        Case({**ORG, "checklist_id": "foreign_response"}, NOBODY, NOBODY)],
    "PUT /api/orgs/{slug}/checklists/{checklist_id}/answers": [
        Case({**ORG, "checklist_id": "response"}, NOBODY, FULL, body=[{"question_id": 0, "answer": "yes"}]),
        Case({**ORG, "checklist_id": "foreign_response"}, NOBODY, NOBODY, body=[])],
    "GET /api/orgs/{slug}/checklist-templates": [Case(ORG, AGGREGATE, NOBODY)],
    "GET /api/orgs/{slug}/activities": [Case(ORG, AGGREGATE, NOBODY)],
    "POST /api/orgs/{slug}/activities": [Case(ORG, NOBODY, FULL, body={"title": "", "date": "2026-01-01"})],
}


def _governance(org: Any, prefix: str) -> dict[str, Any]:
    """A plan with a goal, an action and an adopted revision, a checklist, an activity and a library file."""
    year = dt.date.today().year
    plan = ActionPlan.objects.create(owner=org, title=f"{prefix}plan", start_year=year, end_year=year + 1)
    plan.organizations.set([org])
    goal = Goal.objects.create(plan=plan, title="Mål", national_goal="economy")
    action = Action.objects.create(plan=plan, goal=goal, title="Åtgärd", owner="Chefen")
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(year, 2, 1))
    revision = adopt_revision(plan, meeting, None)
    template = ensure_shipped_templates(org)[0]
    item = LibraryItem(organization=org, title="Planen")
    store_library_file(item, ContentFile(b"planen\n", name="plan.txt"))
    item.save()
    return {
        "plan": plan, "goal": goal, "action": action, "revision": revision, "template": template,
        "question": template.questions.first(),
        "response": ChecklistResponse.objects.create(template=template, organization=org, year=year),
        "activity": Activity.objects.create(organization=org, title="Utbildning", date=dt.date(year, 3, 1)),
        "item": item, "meeting": meeting,
        "spare_goal": Goal.objects.create(plan=plan, title="Extra mål", national_goal="care"),
        "spare_action": Action.objects.create(plan=plan, title="Extra åtgärd", owner="Någon"),
        "spare_question": ChecklistQuestion.objects.create(template=template, text="Extra fråga?"),
        "spare_activity": Activity.objects.create(organization=org, title="Extra", date=dt.date(year, 4, 1)),
        "spare_item": LibraryItem.objects.create(organization=org, title="Länk", url="https://example.org/"),
        "spare_meeting": BoardMeeting.objects.create(organization=org, date=dt.date(year, 9, 1)),
    }


@pytest.fixture
def world(org: Any, other_org: Any, make_org: Any, members: dict[str, Any]) -> dict[str, Any]:
    partner = make_org("Partnerförbundet")
    org.partners.add(partner)
    own = _governance(org, "")
    shared = _governance(partner, "shared_")
    shared["plan"].organizations.add(org)
    foreign = _governance(other_org, "foreign_")
    return {"users": members, "org": org, **own,
            **{f"shared_{k}": v for k, v in shared.items()}, **{f"foreign_{k}": v for k, v in foreign.items()}}


def _value(world: dict[str, Any], name: str) -> str:
    obj = world[name]
    if name == "org":
        return str(obj.slug)
    if isinstance(obj, PlanRevision):
        return str(obj.number)
    return str(obj.pk)


def snapshot() -> tuple[Any, ...]:
    """Everything a refused request must leave as it was."""
    return (
        sorted(ActionPlan.objects.values_list("pk", "title", "start_year", "end_year")),
        sorted(ActionPlan.organizations.through.objects.values_list("actionplan_id", "organization_id")),
        sorted(Goal.objects.values_list("pk", "title", "national_goal")),
        sorted(Action.objects.values_list("pk", "title", "status", "owner")),
        sorted(BoardMeeting.objects.values_list("pk", "date")), PlanRevision.objects.count(),
        sorted(CharterSignature.objects.values_list("pk", "signed_on")),
        sorted(ChecklistTemplate.objects.values_list("pk", "title")),
        sorted(ChecklistQuestion.objects.values_list("pk", "text")),
        sorted(ChecklistResponse.objects.values_list("pk", "year", "unit")),
        sorted(ChecklistAnswer.objects.values_list("pk", "answer", "comment")),
        sorted(Activity.objects.values_list("pk", "title", "women")),
        sorted(LibraryItem.objects.values_list("pk", "title")),
    )


def test_every_plan_url_and_operation_is_walked() -> None:
    from .test_web_plans_events_permissions import PAGES as EVENTS_PAGES
    from .test_web_url_permissions import api_operations, url_patterns

    names = {name for name, _route in url_patterns() if name and name.startswith("front:plans:")}
    assert names == set(PAGES) | {n for n in EVENTS_PAGES if n.startswith("front:plans:")}
    assert {op for op in api_operations() if any(p in op for p in ("/plans", "/checklist", "/activities"))} \
        == set(API)


@pytest.mark.parametrize("role", ROLES)
def test_plan_pages_as_every_role(role: str, world: dict[str, Any]) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    for name, cases in PAGES.items():
        for case in cases:
            url = reverse(name, kwargs={k: _value(world, v) for k, v in case.objects.items()})
            for method in ("GET", "POST"):
                before = snapshot()
                response = client.get(url) if method == "GET" else client.post(url, {})
                check(role, case, method, response, before, snapshot(), f"{method} {url}", api_call=False)


@pytest.mark.parametrize("role", ROLES)
def test_plan_api_as_every_role(role: str, world: dict[str, Any]) -> None:
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
                response = client.generic(method, url, data=json.dumps(case.body if case.body is not None else {}),
                                          content_type="application/json", headers=headers)
            read = method == "GET"
            check(role, dataclasses.replace(case, get=case.get if read else NOBODY, post=case.post if not read
                                            else NOBODY), "GET" if read else method, response, before, snapshot(),
                  f"{operation} {url}", api_call=True)


def test_a_shared_plan_is_read_by_the_partner_but_not_by_others(world: dict[str, Any]) -> None:
    viewer = Client()
    viewer.force_login(world["users"]["viewer"])
    page = viewer.get(reverse("front:plans:plans", kwargs={"slug": world["org"].slug})).content.decode()
    assert world["shared_plan"].title in page and world["plan"].title in page
    assert world["foreign_plan"].title not in page
