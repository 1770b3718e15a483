"""Every URL and every API operation, as every role and as a member of another organisation.

The URL patterns and the API's OpenAPI operations are enumerated at run time, and each must have an
entry below: a new URL without one fails :func:`test_every_url_has_an_expectation`, so nothing new
goes unchecked. For each role the test asserts that what lies outside the role's rights is neither
readable (403/404/405, or the login page for anonymous users) nor writable (the database and the
analysis store are unchanged after a refused POST or PATCH), that another organisation's objects
are 404 even to admins, and that every page that renders passes the structural accessibility checks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from jamkoll.web.accounts.models import ApiToken, Intervention, Membership, Organization
from jamkoll.web.api.api import api
from jamkoll.web.front.models import FindingCase, FindingComment, Submission
from jamkoll.web.lib.stores import store_for

from .conftest import make_member
from .html_checks import check_page

ROLES = ("anonymous", "outsider", "admin", "analyst", "reporter", "viewer")
MEMBERS = frozenset({"admin", "analyst", "reporter", "viewer"})
FULL = frozenset({"admin", "analyst"})
AGGREGATE = frozenset({"admin", "analyst", "viewer"})
UPLOADERS = frozenset({"admin", "analyst", "reporter"})
EVERYONE = frozenset({"outsider"}) | MEMBERS  # any logged-in user (pages not about one organisation)
PUBLIC = EVERYONE | {"anonymous"}
NOBODY: frozenset[str] = frozenset()
ADMIN = frozenset({"admin"})


@dataclasses.dataclass(frozen=True)
class Case:
    """One way to call a URL: the objects it names, and who may GET and who may POST (or PATCH)."""

    objects: dict[str, str]  # URL kwarg -> fixture object name (see World)
    get: frozenset[str]
    post: frozenset[str]
    org_scoped: bool = True  # under /o/<slug>/ or /api/orgs/<slug>/: non-members get 404
    owned: bool = False  # the object is one user's own (an API token): everyone else gets 404
    query: dict[str, Any] = dataclasses.field(default_factory=dict)
    body: dict[str, Any] | None = None


ORG = {"slug": "org"}
# Page routes (name -> cases). ``post`` for a GET-only view is NOBODY (405 for everyone).
PAGES: dict[str, list[Case]] = {
    "front:index": [Case({}, EVERYONE, NOBODY, org_scoped=False)],
    "front:dashboard": [Case(ORG, MEMBERS, NOBODY)],
    "front:intervention": [
        Case({**ORG, "intervention_id": "assigned"}, MEMBERS, NOBODY),
        Case({**ORG, "intervention_id": "unassigned"}, AGGREGATE, NOBODY),
        Case({**ORG, "intervention_id": "foreign_intervention"}, NOBODY, NOBODY),
    ],
    "front:intervention_data": [
        Case({**ORG, "intervention_id": "assigned"}, UPLOADERS, NOBODY),
        Case({**ORG, "intervention_id": "unassigned"}, FULL, NOBODY),
        Case({**ORG, "intervention_id": "foreign_intervention"}, NOBODY, NOBODY),
    ],
    "front:uploads": [Case(ORG, UPLOADERS, UPLOADERS)],
    "front:upload_template": [Case(ORG, UPLOADERS, NOBODY)],
    "front:upload": [
        Case({**ORG, "pk": "admins_submission"}, FULL, NOBODY),
        Case({**ORG, "pk": "reporters_submission"}, UPLOADERS, NOBODY),
        Case({**ORG, "pk": "foreign_submission"}, NOBODY, NOBODY),
    ],
    "front:upload_confirm": [
        Case({**ORG, "pk": "pending"}, NOBODY, FULL),
        Case({**ORG, "pk": "foreign_submission"}, NOBODY, NOBODY),
    ],
    "front:upload_cancel": [
        Case({**ORG, "pk": "pending"}, NOBODY, FULL),
        Case({**ORG, "pk": "foreign_submission"}, NOBODY, NOBODY),
    ],
    "front:versions": [Case(ORG, FULL, NOBODY)],
    "front:upload_progress": [
        Case({**ORG, "pk": "admins_submission"}, FULL, NOBODY),
        Case({**ORG, "pk": "reporters_submission"}, UPLOADERS, NOBODY),
        Case({**ORG, "pk": "foreign_submission"}, NOBODY, NOBODY),
    ],
    "front:findings_progress": [Case(ORG, FULL, NOBODY)],
    # A version that does not exist: allowed roles are told so, and the shared planted store is never written.
    "front:version_rollback": [Case({**ORG, "number": "missing_version"}, NOBODY, FULL)],
    "front:findings": [Case(ORG, MEMBERS, NOBODY)],
    "front:findings_export": [Case({**ORG, "fmt": "csv_format"}, MEMBERS, NOBODY),
                              Case({**ORG, "fmt": "xlsx_format"}, MEMBERS, NOBODY)],
    "front:findings_update": [Case(ORG, NOBODY, FULL)],
    "front:case": [
        Case({**ORG, "pk": "case_unassigned"}, AGGREGATE, NOBODY),
        Case({**ORG, "pk": "case_assigned"}, MEMBERS, NOBODY),
        Case({**ORG, "pk": "foreign_case"}, NOBODY, NOBODY),
    ],
    **{name: [
        Case({**ORG, "pk": "case_unassigned"}, NOBODY, FULL),
        Case({**ORG, "pk": "case_assigned"}, NOBODY, FULL),
        Case({**ORG, "pk": "foreign_case"}, NOBODY, NOBODY),
    ] for name in ("front:case_close", "front:case_done", "front:case_reopen")},
    "front:case_comment": [
        Case({**ORG, "pk": "case_unassigned"}, NOBODY, AGGREGATE),
        Case({**ORG, "pk": "case_assigned"}, NOBODY, AGGREGATE),
        Case({**ORG, "pk": "foreign_case"}, NOBODY, NOBODY),
    ],
    "front:reports": [Case(ORG, MEMBERS, NOBODY)],
    "front:report_download": [Case(ORG, MEMBERS, NOBODY)],  # without a format: the form again (400)
    "front:report_progress": [Case(ORG, MEMBERS, NOBODY)],  # no report on the way: back to the page
    "front:report_file": [Case(ORG, MEMBERS, NOBODY)],  # no report written: back to the page
    # The members page (the organisation's admins only). An admin's empty POST is the form again (400),
    # except the removal, which removes ``extra_membership`` (the last case that names it).
    "front:members": [Case(ORG, ADMIN, NOBODY)],
    "front:member_add": [Case(ORG, ADMIN, ADMIN)],
    "front:member_create": [Case(ORG, ADMIN, ADMIN)],
    "front:member": [
        Case({**ORG, "pk": "extra_membership"}, ADMIN, ADMIN),
        Case({**ORG, "pk": "foreign_membership"}, NOBODY, NOBODY),
    ],
    "front:member_remove": [
        Case({**ORG, "pk": "foreign_membership"}, NOBODY, NOBODY),
        Case({**ORG, "pk": "extra_membership"}, NOBODY, ADMIN),
    ],
    "login": [Case({}, PUBLIC, PUBLIC, org_scoped=False)],
    "logout": [Case({}, NOBODY, PUBLIC, org_scoped=False)],
    "password_change": [Case({}, EVERYONE, EVERYONE, org_scoped=False)],
    "password_change_done": [Case({}, EVERYONE, NOBODY, org_scoped=False)],
    "password_reset": [Case({}, PUBLIC, PUBLIC, org_scoped=False)],
    "password_reset_done": [Case({}, PUBLIC, NOBODY, org_scoped=False)],
    "password_reset_confirm": [Case({"uidb64": "reset_uid", "token": "reset_token"}, PUBLIC, PUBLIC, org_scoped=False)],
    "password_reset_complete": [Case({}, PUBLIC, NOBODY, org_scoped=False)],
    "invitation_confirm": [Case({"uidb64": "reset_uid", "token": "reset_token"}, PUBLIC, PUBLIC, org_scoped=False)],
    "notification_settings": [Case({}, EVERYONE, EVERYONE, org_scoped=False)],
    "tokens": [Case({}, EVERYONE, EVERYONE, org_scoped=False)],
    "token_revoke": [Case({"pk": "admins_token"}, NOBODY, frozenset({"admin"}), org_scoped=False, owned=True)],
    "set_language": [Case({}, PUBLIC, PUBLIC, org_scoped=False)],
    # The API's own routes are covered operation by operation in API below.
    # The API's description (no data; ninja answers any method with it).
    "api:openapi-json": [Case({}, PUBLIC, PUBLIC, org_scoped=False)],
    "api:openapi-view": [Case({}, PUBLIC, PUBLIC, org_scoped=False)],
}

YEAR = {"year": 2025}
# API operations ("METHOD /path" as in the OpenAPI schema) -> cases.
API: dict[str, list[Case]] = {
    "GET /api/orgs": [Case({}, EVERYONE, NOBODY, org_scoped=False)],
    "GET /api/orgs/{slug}/interventions": [Case(ORG, MEMBERS, NOBODY)],
    "GET /api/orgs/{slug}/submissions": [Case(ORG, UPLOADERS, NOBODY)],
    "POST /api/orgs/{slug}/submissions": [Case(ORG, NOBODY, UPLOADERS, body={"files": "bad_file"})],
    "GET /api/orgs/{slug}/submissions/{submission_id}": [
        Case({**ORG, "submission_id": "admins_submission"}, FULL, NOBODY),
        Case({**ORG, "submission_id": "reporters_submission"}, UPLOADERS, NOBODY),
        Case({**ORG, "submission_id": "foreign_submission"}, NOBODY, NOBODY),
    ],
    **{f"POST /api/orgs/{{slug}}/submissions/{{submission_id}}/{verb}": [
        Case({**ORG, "submission_id": "pending"}, NOBODY, FULL),
        Case({**ORG, "submission_id": "foreign_submission"}, NOBODY, NOBODY),
    ] for verb in ("confirm", "cancel")},
    **{f"GET /api/orgs/{{slug}}/{what}": [
        Case(ORG, AGGREGATE, NOBODY, query=YEAR),
        Case(ORG, MEMBERS, NOBODY, query={**YEAR, "intervention": "INS02"}),
        Case(ORG, AGGREGATE, NOBODY, query={**YEAR, "intervention": "INS05"}),
    ] for what in ("statistics", "findings")},
    "GET /api/orgs/{slug}/cases": [Case(ORG, MEMBERS, NOBODY)],
    "GET /api/orgs/{slug}/cases/{case_id}": [
        Case({**ORG, "case_id": "case_unassigned"}, AGGREGATE, NOBODY),
        Case({**ORG, "case_id": "case_assigned"}, MEMBERS, NOBODY),
        Case({**ORG, "case_id": "foreign_case"}, NOBODY, NOBODY),
    ],
    "PATCH /api/orgs/{slug}/cases/{case_id}": [
        Case({**ORG, "case_id": "case_unassigned"}, NOBODY, FULL, body={"status": "bogus"}),
        Case({**ORG, "case_id": "case_assigned"}, NOBODY, FULL, body={"status": "bogus"}),
        Case({**ORG, "case_id": "foreign_case"}, NOBODY, NOBODY, body={"status": "bogus"}),
    ],
    "POST /api/orgs/{slug}/cases/{case_id}/comments": [
        Case({**ORG, "case_id": "case_unassigned"}, NOBODY, AGGREGATE, body={"text": "x"}),
        Case({**ORG, "case_id": "case_assigned"}, NOBODY, AGGREGATE, body={"text": "x"}),
        Case({**ORG, "case_id": "foreign_case"}, NOBODY, NOBODY, body={"text": "x"}),
    ],
}


def url_patterns(patterns: list[Any] | None = None, namespace: str | None = None) -> Iterator[tuple[str | None, str]]:
    """(name with namespace, route) of every URL pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from ((name, str(pattern.pattern) + route) for name, route in url_patterns(pattern.url_patterns, ns))
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name), str(pattern.pattern)


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods}


def test_every_url_has_an_expectation() -> None:
    routes = list(url_patterns())
    unnamed = [route for name, route in routes if name is None and not route.startswith("admin/")]
    assert not unnamed, f"every URL pattern needs a name: {unnamed}"
    names = {name for name, _route in routes}
    ours = {n for n in names if n and not n.startswith("admin:")}
    api_routes = {n for n in ours if n.startswith("api:")} - {"api:openapi-json", "api:openapi-view", "api:api-root"}
    # Apps that walk their own URLs and operations (with their own objects) in their own test module.
    from .test_web_funding_permissions import API as FUNDING_API
    from .test_web_funding_permissions import PAGES as FUNDING_PAGES
    from .test_web_plans_events_permissions import API as EVENTS_API
    from .test_web_plans_events_permissions import PAGES as EVENTS_PAGES
    from .test_web_plans_permissions import API as PLANS_API
    from .test_web_plans_permissions import PAGES as PLANS_PAGES
    from .test_web_portal_permissions import API as PORTAL_API
    from .test_web_portal_permissions import PAGES as PORTAL_PAGES

    missing = (ours - set(PAGES) - set(PLANS_PAGES) - set(EVENTS_PAGES) - set(FUNDING_PAGES) - set(PORTAL_PAGES)
               - api_routes - {"api:api-root"})
    assert not missing, f"add permission expectations for {sorted(missing)}"
    assert not (set(PAGES) | set(PLANS_PAGES) | set(EVENTS_PAGES) | set(FUNDING_PAGES) | set(PORTAL_PAGES)) - ours
    assert api_operations() == set(API) | set(PLANS_API) | set(EVENTS_API) | set(FUNDING_API) | set(PORTAL_API), \
        "add permission expectations for every API operation"
    # Every API route name belongs to a documented operation.
    assert len(api_routes) == len(API) + len(PLANS_API) + len(EVENTS_API) + len(FUNDING_API) + len(PORTAL_API)


# -- the world every role is checked in -----------------------------------------------------------


@pytest.fixture
def world(planted_org: Any, other_org: Any, tmp_path: Any) -> dict[str, Any]:
    org = planted_org
    users = {role: make_member(org, role, interventions=("INS02",) if role == "reporter" else ())
             for role in MEMBERS}
    users["outsider"] = make_member(other_org, "admin", username="outsider")
    assigned = Intervention.objects.get(organization=org, intervention_id="INS02")
    unassigned = Intervention.objects.get(organization=org, intervention_id="INS05")
    foreign_intervention = Intervention.objects.create(organization=other_org, intervention_id="X01")
    files = [{"name": "inskrivningar.csv", "size": 10, "sha256": "0" * 64}]
    admins_submission = Submission.objects.create(organization=org, uploaded_by=users["admin"], status="accepted",
                                                  files=files, interventions=["INS02"])
    reporters_submission = Submission.objects.create(organization=org, uploaded_by=users["reporter"],
                                                     status="rejected", files=files, problems=[])
    # Pending, but its staged files are gone: confirming it rejects it and never touches the store.
    pending = Submission.objects.create(organization=org, uploaded_by=users["admin"], status="pending", files=files,
                                        staging="finns-inte", interventions=["INS02"])
    foreign_submission = Submission.objects.create(organization=other_org, uploaded_by=users["outsider"],
                                                   status="accepted", files=files)

    def case(organization: Any, intervention: Any, finding_id: str) -> FindingCase:
        return FindingCase.objects.create(organization=organization, finding_id=finding_id, year=2025,
                                          intervention=intervention, dimension="component", category="praktik",
                                          explanation="Män erbjöds praktik oftare än kvinnor.")

    bad = tmp_path / "inskrivningar.csv"
    bad.write_text("inskrivnings_id;deltagar_id;insats_id;inskrivningsdatum\nE1;D1;INS02;31/2 2024\n",
                   encoding="utf-8")
    return {
        "users": users, "org": org, "assigned": assigned, "unassigned": unassigned,
        "foreign_intervention": foreign_intervention, "admins_submission": admins_submission,
        "reporters_submission": reporters_submission, "pending": pending, "foreign_submission": foreign_submission,
        "case_assigned": case(org, assigned, "component:INS02:praktik"),
        "case_unassigned": case(org, unassigned, "component:INS05:praktik"),
        "foreign_case": case(other_org, foreign_intervention, "component:X01:praktik"),
        "admins_token": ApiToken.issue(users["admin"], "walk")[0],
        "extra_membership": Membership.objects.get(user=make_member(org, "viewer", username="extra-viewer")),
        "foreign_membership": Membership.objects.get(user=users["outsider"]),
        "bad_file": bad,
        # A reset link that is not valid (the page says so, whoever asks).
        "reset_uid": "MQ", "reset_token": "ingen-giltig-nyckel",
        "missing_version": types.SimpleNamespace(pk=999),
        "csv_format": "csv", "xlsx_format": "xlsx",
    }


def _value(world: dict[str, Any], name: str) -> str:
    obj = world[name]
    if isinstance(obj, str):
        return obj
    if isinstance(obj, Organization):
        return obj.slug
    if isinstance(obj, Intervention):
        return obj.intervention_id
    return str(obj.pk)


def snapshot(world: dict[str, Any]) -> tuple[Any, ...]:
    """Everything a refused request must leave as it was."""
    return (
        sorted(Submission.objects.values_list("pk", "status", "staging")),
        sorted(FindingCase.objects.values_list("pk", "status", "justification", "action_what")),
        FindingComment.objects.count(), sorted(ApiToken.objects.values_list("pk", flat=True)),
        sorted(Membership.objects.values_list("pk", "role")), Intervention.objects.count(),
        hashlib.sha256(store_for(world["org"]).database.read_bytes()).hexdigest(),
    )


def outcome(response: Any) -> str:
    """allowed, login (sent to log in first), unauthenticated (API), denied, hidden or method."""
    status = response.status_code
    if status == 302 and response.url.startswith(reverse("login") + "?next="):
        return "login"
    return {401: "unauthenticated", 403: "denied", 404: "hidden", 405: "method"}.get(status, "allowed")


def check(role: str, case: Case, method: str, response: Any, before: Any, after: Any, what: str,
          api_call: bool) -> None:
    got = outcome(response)
    allowed = case.get if method == "GET" else case.post
    foreign = any(v.startswith("foreign_") for v in case.objects.values())
    if role in allowed:
        want = {"allowed"}
    elif role == "anonymous":
        want = {"unauthenticated"} if api_call else {"login", "method"}
    elif foreign or (role == "outsider" and case.org_scoped):
        want = {"hidden", "method"} if foreign else {"hidden"}
    elif case.owned and method != "GET":
        want = {"hidden"}
    else:
        want = {"denied", "method"}
    assert got in want, f"{role} {what}: {response.status_code} ({got}), want {sorted(want)}"
    if got != "allowed":
        assert before == after, f"{role} {what}: a refused request changed data"
    elif not api_call and response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        problems = check_page(response.content.decode())
        assert not problems, f"{role} {what}: {problems}"


@pytest.mark.parametrize("role", ROLES)
def test_pages_as_every_role(role: str, world: dict[str, Any]) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    for name, cases in PAGES.items():
        for case in cases:
            url = reverse(name, kwargs={k: _value(world, v) for k, v in case.objects.items()})
            for method in ("GET", "POST"):
                before = snapshot(world)
                response = client.get(url, case.query) if method == "GET" else client.post(url, {})
                check(role, case, method, response, before, snapshot(world), f"{method} {url}", api_call=False)
                if name == "logout" and method == "POST" and role != "anonymous":
                    client.force_login(world["users"][role])


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
            before = snapshot(world)
            if method == "GET":
                response = client.get(url, case.query, headers=headers)
            elif case.body and "files" in case.body:
                with world[case.body["files"]].open("rb") as handle:
                    response = client.post(url, {"files": [handle]}, headers=headers)
            else:
                response = client.generic(method, url, data=json.dumps(case.body or {}),
                                          content_type="application/json", headers=headers)
            read = method == "GET"
            check(role, dataclasses.replace(case, get=case.get if read else NOBODY, post=case.post if not read
                                            else NOBODY), method if not read else "GET", response, before,
                  snapshot(world), f"{operation} {url}", api_call=True)


def test_admin_is_for_staff_only(world: dict[str, Any]) -> None:
    """Django's admin: every admin URL sends an organisation's admin (not staff) to the admin login."""
    candidates = [{}, {"object_id": "1"}, {"id": "1"}, {"app_label": "accounts"},
                  {"content_type_id": "1", "object_id": "1"}, {"url": "x"}]
    admin_names = sorted({n for n, _ in url_patterns() if n and n.startswith("admin:")})
    assert len(admin_names) > 20
    client = Client()
    client.force_login(world["users"]["admin"])
    for name in admin_names:
        for kwargs in candidates:
            try:
                url = reverse(name, kwargs=kwargs)
                break
            except NoReverseMatch:
                continue
        else:
            pytest.fail(f"cannot build a URL for {name}")
        response = client.get(url)
        if name == "admin:login":  # the admin's own login form
            assert response.status_code == 200
            continue
        assert response.status_code in (302, 404, 405), (name, response.status_code)
        if response.status_code == 302:
            assert response.url.startswith(reverse("admin:login")) or response.url == reverse("admin:index"), name
