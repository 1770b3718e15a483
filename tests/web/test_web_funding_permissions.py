"""Every page and API operation of the funding app, as every role and as a member of another organisation.

``test_web_url_permissions.test_every_url_has_an_expectation`` counts the names below as covered. The rules:
admins and analysts create, assess and decide; a reporter drafts and submits applications for assigned
interventions and sees those (and their follow-up); viewers read submitted applications and budgets;
another organisation's applications are 404 even to admins.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jamkoll.web.accounts.models import ApiToken, Intervention
from jamkoll.web.funding.models import Application, Assessment, Goal
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.lib.stores import store_for

from .test_web_url_permissions import AGGREGATE, FULL, MEMBERS, NOBODY, ROLES, UPLOADERS, Case, check
from .test_web_url_permissions import world as world  # noqa: F401 - the fixture, used by fworld

ORG = {"slug": "org"}
WRITERS = UPLOADERS  # admin, analyst and (for assigned interventions) reporter


def _app(key: str) -> dict[str, str]:
    return {**ORG, "pk": key}


PAGES: dict[str, list[Case]] = {
    "front:funding:applications": [Case(ORG, MEMBERS, NOBODY)],
    "front:funding:application_new": [Case(ORG, WRITERS, WRITERS)],
    "front:funding:application": [
        Case(_app("draft"), WRITERS, NOBODY), Case(_app("admins_draft"), FULL, NOBODY),
        Case(_app("submitted"), MEMBERS, NOBODY), Case(_app("funded_assigned"), MEMBERS, NOBODY),
        Case(_app("funded_unassigned"), AGGREGATE, NOBODY), Case(_app("foreign_app"), NOBODY, NOBODY)],
    "front:funding:application_edit": [
        Case(_app("draft"), WRITERS, WRITERS), Case(_app("admins_draft"), FULL, FULL),
        Case(_app("submitted"), NOBODY, NOBODY), Case(_app("foreign_app"), NOBODY, NOBODY)],
    "front:funding:application_assess": [
        Case(_app("submitted"), NOBODY, FULL), Case(_app("foreign_app"), NOBODY, NOBODY)],
    "front:funding:application_decide": [
        Case(_app("submitted"), NOBODY, FULL), Case(_app("foreign_app"), NOBODY, NOBODY)],
    "front:funding:budget": [Case(ORG, AGGREGATE, NOBODY)],
    # Last: submitting changes the draft.
    "front:funding:application_submit": [
        Case(_app("admins_draft"), NOBODY, FULL), Case(_app("draft"), NOBODY, WRITERS),
        Case(_app("foreign_app"), NOBODY, NOBODY)],
}

BASE = "/api/funding/orgs/{slug}"
APP = {**ORG, "application_id": "submitted"}
BAD_APPLICATION = {"title": "x", "applicant": "y", "year": 2026, "problem_analysis": "Öka jämställdheten.",
                   "followup_plan": "", "budget_sek": 1, "budget_reach": "", "intervention": "INS02",
                   "goals": [{"description": "Öka jämställdheten"}]}
API: dict[str, list[Case]] = {
    f"GET {BASE}/applications": [Case(ORG, MEMBERS, NOBODY)],
    f"POST {BASE}/applications": [Case(ORG, NOBODY, WRITERS, body=BAD_APPLICATION)],
    f"GET {BASE}/applications/{{application_id}}": [
        Case({**ORG, "application_id": "draft"}, WRITERS, NOBODY),
        Case({**ORG, "application_id": "submitted"}, MEMBERS, NOBODY),
        Case({**ORG, "application_id": "funded_unassigned"}, AGGREGATE, NOBODY),
        Case({**ORG, "application_id": "foreign_app"}, NOBODY, NOBODY)],
    f"POST {BASE}/applications/{{application_id}}/assessment": [
        Case(APP, NOBODY, FULL, body={"gender_marker": 7}),
        Case({**ORG, "application_id": "foreign_app"}, NOBODY, NOBODY, body={"gender_marker": 1})],
    f"POST {BASE}/applications/{{application_id}}/decision": [
        Case(APP, NOBODY, FULL, body={"decision": "bogus", "decided_on": "2026-01-01", "decided_by": "x"}),
        Case({**ORG, "application_id": "foreign_app"}, NOBODY, NOBODY,
             body={"decision": "rejected", "decided_on": "2026-01-01", "decided_by": "x"})],
    f"GET {BASE}/applications/{{application_id}}/follow-up": [
        Case({**ORG, "application_id": "funded_assigned"}, MEMBERS, NOBODY),
        Case({**ORG, "application_id": "funded_unassigned"}, AGGREGATE, NOBODY),
        Case({**ORG, "application_id": "foreign_app"}, NOBODY, NOBODY)],
    f"GET {BASE}/budget": [Case(ORG, AGGREGATE, NOBODY, query={"year": 2025}),
                           Case(ORG, MEMBERS, NOBODY, query={"year": 2025, "intervention": "INS02"}),
                           Case(ORG, AGGREGATE, NOBODY, query={"year": 2025, "intervention": "INS05"})],
    f"POST {BASE}/applications/{{application_id}}/submit": [
        Case({**ORG, "application_id": "admins_draft"}, NOBODY, FULL),
        Case({**ORG, "application_id": "draft"}, NOBODY, WRITERS),
        Case({**ORG, "application_id": "foreign_app"}, NOBODY, NOBODY)],
}


def application(org: Any, title: str, status: str, intervention: Any, created_by: Any) -> Application:
    app = Application.objects.create(
        organization=org, title=title, applicant="Sökande", intervention=intervention, year=2025,
        problem_analysis="Kvinnor och män", followup_plan="Per kön", budget_sek=100_000,
        budget_reach="Kvinnor och män", status=status, created_by=created_by)
    Goal.objects.create(application=app, indicator="component_share", parameter="praktik", unit="percent",
                        baseline_women=10, baseline_men=20, target_women=20, target_men=20, year=2025)
    return app


@pytest.fixture
def fworld(world: dict[str, Any]) -> dict[str, Any]:
    org, users = world["org"], world["users"]
    foreign_org = world["foreign_intervention"].organization
    ins02, ins05 = world["assigned"], world["unassigned"]
    S = Application.Status
    return {
        **world,
        "draft": application(org, "Rapportörens utkast", S.DRAFT, ins02, users["reporter"]),
        "admins_draft": application(org, "Analytikerns utkast", S.DRAFT, ins05, users["analyst"]),
        "submitted": application(org, "Inskickad", S.SUBMITTED, ins02, users["admin"]),
        "funded_assigned": application(org, "Beviljad INS02", S.FUNDED, ins02, users["admin"]),
        "funded_unassigned": application(org, "Beviljad INS05", S.FUNDED, ins05, users["admin"]),
        "foreign_app": application(foreign_org, "Annan organisation", S.SUBMITTED, world["foreign_intervention"],
                                   users["outsider"]),
    }


def _value(world: dict[str, Any], name: str) -> str:
    obj = world[name]
    if isinstance(obj, Intervention):
        return obj.intervention_id
    return obj.slug if name == "org" else str(obj.pk)


def snapshot(world: dict[str, Any]) -> tuple[Any, ...]:
    return (sorted(Application.objects.values_list("pk", "status", "title", "intervention_id")),
            sorted(Goal.objects.values_list("pk", "indicator", "target_women")), Assessment.objects.count(),
            AuditEvent.objects.filter(action__startswith="application").count(),
            hashlib.sha256(store_for(world["org"]).database.read_bytes()).hexdigest())


def test_every_funding_url_and_operation_is_walked() -> None:
    from .test_web_url_permissions import api_operations, url_patterns

    names = {name for name, _route in url_patterns() if name and name.startswith("front:funding:")}
    assert names == set(PAGES)
    assert {op for op in api_operations() if "/api/funding/" in op} == set(API)


@pytest.mark.parametrize("role", ROLES)
def test_funding_pages_as_every_role(role: str, fworld: dict[str, Any]) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(fworld["users"][role])
    for name, cases in PAGES.items():
        for case in cases:
            url = reverse(name, kwargs={k: _value(fworld, v) for k, v in case.objects.items()})
            for method in ("GET", "POST"):
                before = snapshot(fworld)
                response = client.get(url, case.query) if method == "GET" else client.post(url, {})
                check(role, case, method, response, before, snapshot(fworld), f"{method} {url}", api_call=False)


@pytest.mark.parametrize("role", ROLES)
def test_funding_api_as_every_role(role: str, fworld: dict[str, Any]) -> None:
    client = Client()
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = "Bearer " + ApiToken.issue(fworld["users"][role], "walk")[1]
    for operation, cases in API.items():
        method, path = operation.split(" ", 1)
        for case in cases:
            url = path.format(**{k: _value(fworld, v) for k, v in case.objects.items()})
            before = snapshot(fworld)
            if method == "GET":
                response = client.get(url, case.query, headers=headers)
            else:
                response = client.generic(method, url, data=json.dumps(case.body or {}),
                                          content_type="application/json", headers=headers)
            read = method == "GET"
            check(role, dataclasses.replace(case, get=case.get if read else NOBODY, post=case.post if not read
                                            else NOBODY), "GET" if read else method, response, before,
                  snapshot(fworld), f"{operation} {url}", api_call=True)


def test_a_reporter_sees_own_and_assigned_applications_only(fworld: dict[str, Any]) -> None:
    client = Client()
    client.force_login(fworld["users"]["reporter"])
    page = client.get(reverse("front:funding:applications", kwargs={"slug": fworld["org"].slug})).content.decode()
    assert "Rapportörens utkast" in page and "Beviljad INS02" in page and "Inskickad" in page
    assert "Beviljad INS05" not in page and "Analytikerns utkast" not in page and "Annan organisation" not in page
    viewer = Client()
    viewer.force_login(fworld["users"]["viewer"])
    page = viewer.get(reverse("front:funding:applications", kwargs={"slug": fworld["org"].slug})).content.decode()
    assert "Beviljad INS05" in page and "utkast" not in page
