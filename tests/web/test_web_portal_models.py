"""The portal's models: a region belongs to a region organisation; counts below the threshold are refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from . import portal_fixtures

dalarna = portal_fixtures.dalarna


def test_a_region_must_be_run_by_a_region_or_county_board(make_org: Callable[..., Any]) -> None:
    from jamkoll.web.portal.models import Region

    association = make_org("Förbundet")
    with pytest.raises(ValidationError):
        Region(organization=association, county_code="20", slug="x").full_clean()
    board = make_org("Länsstyrelsen", kind="county_board")
    region = Region(organization=board, county_code="20", slug="x")
    region.full_clean()
    assert region.name == "Region Dalarna" and region.kolada_id == "0020"


@pytest.mark.parametrize("women", [1, 4])
def test_a_published_figure_below_the_threshold_is_never_saved(dalarna: Any, women: int) -> None:
    from jamkoll.web.portal.models import PublishedFigure

    figure = PublishedFigure(organization=dalarna.organization, region=dalarna, year=2025, measure="started",
                             label="Deltagare", women=women, men=30, total=30 + women)
    with pytest.raises(ValidationError):
        figure.save()
    assert not PublishedFigure.objects.exists()
    figure.women, figure.total = 0, 30
    figure.save()
    figure.women, figure.total = None, None  # hidden by disclosure control
    figure.save()


def test_a_member_indicator_in_people_below_the_threshold_is_refused(dalarna: Any,
                                                                   make_org: Callable[..., Any]) -> None:
    from jamkoll.web.portal.models import MemberIndicator, StrategyMember

    member = StrategyMember.objects.create(strategy=dalarna.strategies.get(), organization=make_org("Företaget"))
    indicator = MemberIndicator(member=member, title="Chefer", goal="power", year=2024, unit="antal", women=3, men=9)
    with pytest.raises(ValidationError):
        indicator.full_clean()
    indicator.unit = "%"
    indicator.full_clean()


def test_joining_twice_is_refused(dalarna: Any, make_org: Callable[..., Any]) -> None:
    from django.db import IntegrityError, transaction

    from jamkoll.web.portal.models import StrategyMember

    org = make_org("Kommunen", kind="municipality")
    strategy = dalarna.strategies.get()
    StrategyMember.objects.create(strategy=strategy, organization=org)
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategyMember.objects.create(strategy=strategy, organization=org)
