"""Public read endpoints of the portal (no token): the regions, the KPIs and one KPI's values.

Registered in ``jamkoll.web.api.api`` under ``/api/portal/``. Everything here is on the public pages
too: public statistics from Kolada or SCB, with their source (``source``: ``Källa: Kolada`` …).
``count_women``/``count_men`` are Kolada's counts of member municipalities behind a value (1 for a
municipality), not numbers of people; ``suppressed`` means the source gave no value. ``rank`` orders
the municipalities by ``distance`` from equality (``|ln(ratio)|``) and is None throughout for a KPI
not ranked (``KPI.ranked``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from jamkoll.indicators import compute
from jamkoll.web.lib.params import Year

from . import services
from .models import Region

router = Router(auth=None, tags=["portal"])


class RegionOut(Schema):
    slug: str
    name: str
    county_code: str


class KpiOut(Schema):
    id: str
    title: str
    goal: str


class ValueOut(Schema):
    area_id: str
    name: str
    kind: str
    women: float | None
    men: float | None
    gap: float | None
    ratio: float | None
    distance: float | None  # |ln(ratio)|: 0 is equal
    rank: int | None  # by distance, 1 closest to equal; None for every area of a KPI that is not ranked
    count_women: int | None
    count_men: int | None
    suppressed: bool


class ComparisonOut(Schema):
    kpi: str
    period: int
    source: str
    values: list[ValueOut]


def _region(slug: str) -> Region:
    return get_object_or_404(Region, slug=slug, published=True)


@router.get("/regions", response=list[RegionOut])
def regions(request: HttpRequest) -> list[RegionOut]:
    return [RegionOut(slug=r.slug, name=r.name, county_code=r.county_code)
            for r in Region.objects.filter(published=True)]


@router.get("/regions/{slug}/kpis", response=list[KpiOut])
def kpis(request: HttpRequest, slug: str) -> list[KpiOut]:
    return [KpiOut(id=k.kpi_id, title=k.title, goal=k.goal) for k in services.portal_kpis(_region(slug))]


@router.get("/regions/{slug}/kpis/{kpi}", response=ComparisonOut)
def comparison(request: HttpRequest, slug: str, kpi: str, year: Year | None = None) -> Any:
    """One KPI for every municipality of the region, with the region and the country, and its source."""
    region = _region(slug)
    found = next((k for k in services.portal_kpis(region) if k.kpi_id == kpi), None)
    if found is None:
        from django.http import Http404

        raise Http404
    result = compute.compare(services.region_values(region), kpi, region.county_code, year, ranked=found.ranked)
    rows = [*result.rows, *(r for r in (result.region, result.country) if r is not None)]
    return ComparisonOut(kpi=kpi, period=result.period, source=found.attribution,
                         values=[ValueOut.model_validate(r, from_attributes=True) for r in rows])
