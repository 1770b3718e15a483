"""Fixtures of the portal's web tests: Region Dalarna with the demo indicators, its admin, a strategy."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import make_member

# A count of 1-4 in a table cell or a data attribute: disclosure control forbids publishing it.
SMALL_COUNT_CELL = re.compile(r'<td class="num">\s*[1-4]\s*</td>')


@pytest.fixture
def dalarna(make_org: Callable[..., Any]) -> Any:
    from jamkoll.indicators.demo import DEMO_GOALS, DEMO_META, demo_kpis, demo_values
    from jamkoll.web.portal.models import KPI, Region, RegionalStrategy
    from jamkoll.web.portal.services import store_indicators

    org = make_org("Region Dalarna", kind="region")
    region = Region.objects.create(organization=org, county_code="20", slug="dalarna")
    store_indicators(demo_values(), demo_kpis())
    for kpi_id, goal in DEMO_GOALS.items():
        direction, ranked = DEMO_META[kpi_id]
        KPI.objects.filter(kpi_id=kpi_id).update(goal=goal, direction=direction, ranked=ranked)
    RegionalStrategy.objects.create(region=region, slug="jamstalld-dalarna", title="Jämställd Dalarna 2030")
    return region


@pytest.fixture
def region_admin(dalarna: Any) -> Any:
    return make_member(dalarna.organization, "admin", username="regionadmin")
