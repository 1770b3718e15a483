"""Every page and API operation of the portal, as every role and as a member of another organisation.

``test_web_url_permissions.test_every_url_has_an_expectation`` counts the names below as covered. The
rules: anybody, logged in or not, reads the portal; only the region organisation's admins upload; a
logged-in user joins a strategy for an organisation they administer; only an organisation's admins
publish its own indicators. Here the walked organisation runs the region's portal.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jamkoll.web.accounts.models import ApiToken

from .test_web_url_permissions import EVERYONE, NOBODY, PUBLIC, ROLES, Case, check
from .test_web_url_permissions import world as world  # noqa: F401 - the fixture, used by pworld

ADMIN = frozenset({"admin"})
REGION = {"region_slug": "region"}
STRATEGY = {**REGION, "strategy_slug": "strategy"}

PAGES: dict[str, list[Case]] = {
    "portal:index": [Case({}, PUBLIC, NOBODY, org_scoped=False)],
    "portal:region": [Case(REGION, PUBLIC, NOBODY, org_scoped=False, query={"kpi": "DEMO012", "sort": "gap"})],
    "portal:municipality": [Case({**REGION, "code": "code"}, PUBLIC, NOBODY, org_scoped=False)],
    "portal:region_data": [Case({**REGION, "fmt": "csv"}, PUBLIC, NOBODY, org_scoped=False, query={"kpi": "DEMO012"}),
                           Case({**REGION, "fmt": "xlsx"}, PUBLIC, NOBODY, org_scoped=False)],
    "portal:municipality_data": [Case({**REGION, "code": "code", "fmt": "csv"}, PUBLIC, NOBODY, org_scoped=False),
                                 Case({**REGION, "code": "code", "fmt": "xlsx"}, PUBLIC, NOBODY, org_scoped=False)],
    "portal:figures_data": [Case({**REGION, "fmt": "csv"}, PUBLIC, NOBODY, org_scoped=False),
                            Case({**REGION, "fmt": "xlsx"}, PUBLIC, NOBODY, org_scoped=False)],
    "portal:strategy": [Case(STRATEGY, PUBLIC, NOBODY, org_scoped=False)],
    # An empty form is refused with a message and a redirect: nothing joins.
    "portal:strategy_join": [Case(STRATEGY, NOBODY, EVERYONE, org_scoped=False)],
    "portal:member_indicator_add": [Case({**STRATEGY, "member_id": "member"}, NOBODY, ADMIN, org_scoped=False,
                                         owned=True)],
    "portal:manage": [Case(REGION, ADMIN, ADMIN)],
}

API: dict[str, list[Case]] = {
    "GET /api/portal/regions": [Case({}, PUBLIC, NOBODY, org_scoped=False)],
    "GET /api/portal/regions/{slug}/kpis": [Case({"slug": "region"}, PUBLIC, NOBODY, org_scoped=False)],
    "GET /api/portal/regions/{slug}/kpis/{kpi}": [Case({"slug": "region", "kpi": "kpi"}, PUBLIC, NOBODY,
                                                       org_scoped=False)],
}


@pytest.fixture
def pworld(world: dict[str, Any]) -> dict[str, Any]:
    from jamkoll.indicators.demo import demo_kpis, demo_values
    from jamkoll.web.portal.models import Region, RegionalStrategy, StrategyMember
    from jamkoll.web.portal.services import store_indicators

    region = Region.objects.create(organization=world["org"], county_code="20", slug="dalarna")
    store_indicators(demo_values(), demo_kpis())
    strategy = RegionalStrategy.objects.create(region=region, slug="strategi", title="Strategin")
    member = StrategyMember.objects.create(strategy=strategy, organization=world["org"])
    return {**world, "region": region, "strategy": strategy, "member": member, "code": "2080", "kpi": "DEMO001",
            "csv": "csv", "xlsx": "xlsx"}


def _value(world: dict[str, Any], name: str) -> str:
    obj = world[name]
    if isinstance(obj, str):
        return obj
    return str(getattr(obj, "slug", None) or obj.pk)


def snapshot(world: dict[str, Any]) -> tuple[Any, ...]:
    from jamkoll.web.portal.models import KPI, Geometry, IndicatorValue, MemberIndicator, StrategyMember

    return (KPI.objects.count(), IndicatorValue.objects.count(), Geometry.objects.count(),
            sorted(StrategyMember.objects.values_list("pk", "organization_id")), MemberIndicator.objects.count())


def test_every_portal_url_and_operation_is_walked() -> None:
    from .test_web_url_permissions import api_operations, url_patterns

    assert {name for name, _route in url_patterns() if name and name.startswith("portal:")} == set(PAGES)
    assert {op for op in api_operations() if "/api/portal/" in op} == set(API)


@pytest.mark.parametrize("role", ROLES)
def test_portal_pages_as_every_role(role: str, pworld: dict[str, Any]) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(pworld["users"][role])
    for name, cases in PAGES.items():
        for case in cases:
            url = reverse(name, kwargs={k: _value(pworld, v) for k, v in case.objects.items()})
            for method in ("GET", "POST"):
                before = snapshot(pworld)
                response = client.get(url, case.query) if method == "GET" else client.post(url, {})
                check(role, case, method, response, before, snapshot(pworld), f"{method} {url}", api_call=False)
                assert snapshot(pworld) == before, f"{role} {method} {url}: an empty form changed data"


@pytest.mark.parametrize("role", ROLES)
def test_portal_api_as_every_role(role: str, pworld: dict[str, Any]) -> None:
    client = Client()
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = "Bearer " + ApiToken.issue(pworld["users"][role], "walk")[1]
    for operation, cases in API.items():
        method, path = operation.split(" ", 1)
        for case in cases:
            url = path.format(**{k: _value(pworld, v) for k, v in case.objects.items()})
            before = snapshot(pworld)
            response = client.get(url, case.query, headers=headers)
            check(role, dataclasses.replace(case, post=NOBODY), "GET", response, before, snapshot(pworld),
                  f"{operation} {url}", api_call=True)
            assert json.loads(response.content)
