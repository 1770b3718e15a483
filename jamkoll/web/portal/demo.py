"""The portal's demo: Region Dalarna with made-up indicators for its 15 municipalities, the demo
association's published yearly figures, and one regional strategy with member organisations.

Called by ``python -m jamkoll.web load_demo``; running it again updates the same objects.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jamkoll.indicators.demo import DEMO_COUNTY, DEMO_GOALS, DEMO_META, demo_kpis, demo_values
from jamkoll.web.accounts.models import Membership, Organization, Role
from jamkoll.web.lib.stores import store_for

from .models import KPI, MemberIndicator, Region, RegionalStrategy, StrategyMember
from .services import publish_association_figures, store_indicators

REGION_NAME = "Region Dalarna (demo)"
REGION_SLUG = "region-dalarna-demo"
PORTAL_SLUG = "dalarna"
ASSOCIATION_SLUG = "siljan-vasterdal-demo"
STRATEGY_SLUG = "jamstalld-dalarna"
# The region's demo user: admin of Region Dalarna (demo), who manages its portal (indicators, map).
REGION_USER = "region"
# name, slug, kind, sector, commitment
MEMBERS = [
    ("Falu kommun (demo)", "falu-kommun-demo", Organization.Kind.MUNICIPALITY, StrategyMember.Sector.PUBLIC,
     "Heltid som norm för alla anställda senast 2027."),
    ("Dalaföretagen (demo)", "dalaforetagen-demo", Organization.Kind.OTHER, StrategyMember.Sector.BUSINESS,
     "Jämn könsfördelning i styrelser och ledningsgrupper."),
    ("Kvinnojouren i Dalarna (demo)", "kvinnojouren-dalarna-demo", Organization.Kind.OTHER,
     StrategyMember.Sector.NONPROFIT, "Stöd till våldsutsatta i alla 15 kommuner."),
]


def load_portal_demo(stdout: Any, password: str | None = None) -> Region:
    """Create or update the demo region's portal and report what was done to ``stdout``. With
    ``password``, also the region's admin :data:`REGION_USER`, who reaches the portal's management page
    from the navigation."""
    org, _ = Organization.objects.get_or_create(slug=REGION_SLUG, defaults={
        "name": REGION_NAME, "kind": Organization.Kind.REGION})
    if password is not None:
        from django.contrib.auth import get_user_model

        user, _ = get_user_model().objects.get_or_create(username=REGION_USER)
        user.set_password(password)
        user.is_staff = user.is_superuser = False
        user.save()
        Membership.objects.update_or_create(user=user, organization=org, defaults={"role": Role.ADMIN})
    region, _ = Region.objects.update_or_create(county_code=DEMO_COUNTY, defaults={
        "organization": org, "slug": PORTAL_SLUG, "published": True,
        "intro": "Påhittade nyckeltal för demonstration: så här kan en region visa jämställdhet i sina kommuner."})
    result = store_indicators(demo_values(), demo_kpis())
    for kpi_id, goal in DEMO_GOALS.items():
        direction, ranked = DEMO_META[kpi_id]
        KPI.objects.filter(kpi_id=kpi_id).update(goal=goal, source="Demodata (påhittade)", direction=direction,
                                                 ranked=ranked)

    association = Organization.objects.filter(slug=ASSOCIATION_SLUG).first()
    published = 0
    if association is not None and store_for(association).exists():
        from jamkoll.web.front.analysis import available_years

        published = len(publish_association_figures(association, region, available_years(association)[:3]))

    strategy, _ = RegionalStrategy.objects.update_or_create(region=region, slug=STRATEGY_SLUG, defaults={
        "title": "Jämställd Dalarna 2030 (demo)", "adopted": dt.date(2024, 6, 1), "published": True,
        "description": "Den regionala strategin för jämställdhet: organisationer i länet ansluter sig och "
                       "redovisar sina egna indikatorer och hur arbetet går."})
    for name, slug, kind, sector, commitment in MEMBERS:
        member_org, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
        member, _ = StrategyMember.objects.update_or_create(strategy=strategy, organization=member_org, defaults={
            "sector": sector, "commitment": commitment, "joined": dt.date(2024, 9, 1)})
        if sector == StrategyMember.Sector.PUBLIC:
            MemberIndicator.objects.update_or_create(member=member, title="Anställda som arbetar heltid", year=2024,
                                                     defaults={"goal": "economy", "unit": "%", "women": 78.0,
                                                               "men": 88.0, "target": "90 % för alla senast 2027",
                                                               "progress": "Ökat med 6 procentenheter för kvinnor "
                                                                           "sedan 2022."})
    if association is not None:
        StrategyMember.objects.update_or_create(strategy=strategy, organization=association, defaults={
            "sector": StrategyMember.Sector.PUBLIC, "joined": dt.date(2024, 10, 1),
            "commitment": "Följer upp alla insatser könsuppdelat och publicerar siffrorna varje år."})

    stdout.write(f"Portalen: {region.name} (/portal/{region.slug}/), {result['values']} indikatorvärden, "
                 f"{published} publicerade siffror, strategin {strategy.title}"
                 + (f"; regionens administratör: {REGION_USER} (/portal/{region.slug}/hantera/)" if password else ""))
    return region
