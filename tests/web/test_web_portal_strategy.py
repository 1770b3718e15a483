"""Joining a regional strategy and publishing an organisation's own indicators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import portal_fixtures
from .conftest import make_member
from .html_checks import check_page

STRATEGY = "/portal/dalarna/strategi/jamstalld-dalarna/"

dalarna = portal_fixtures.dalarna


def test_anyone_reads_the_strategy_and_is_invited_to_log_in(client_for: Callable[..., Any], dalarna: Any) -> None:
    response = client_for(None).get(STRATEGY)
    html = response.content.decode()
    assert response.status_code == 200 and check_page(html) == []
    assert "Jämställd Dalarna 2030" in html and "/konto/logga-in/?next=" in html
    assert client_for(None).post(STRATEGY + "anslut/", {}).status_code == 302  # to the login page


def test_an_org_admin_joins_and_publishes_an_indicator(client_for: Callable[..., Any], dalarna: Any,
                                                       make_org: Callable[..., Any]) -> None:
    from jamkoll.web.lib.models import AuditEvent
    from jamkoll.web.portal.models import MemberIndicator, StrategyMember

    company = make_org("Dalabolaget AB", kind="other")
    admin = make_member(company, "admin", username="bolagsadmin")
    client = client_for(admin)
    assert 'id="join-form"' in client.get(STRATEGY).content.decode()
    response = client.post(STRATEGY + "anslut/", {"organization": company.pk, "sector": "business",
                                                  "commitment": "Jämn fördelning i ledningen."})
    assert response.status_code == 302
    member = StrategyMember.objects.get(organization=company)
    assert member.sector == "business"
    assert AuditEvent.objects.filter(action="portal_strategy_joined", organization=company).exists()

    prefix = f"m{member.pk}-"
    client.post(f"{STRATEGY}medlem/{member.pk}/indikator/", {
        prefix + "title": "Kvinnor i ledningsgruppen", prefix + "goal": "power", prefix + "year": "2025",
        prefix + "unit": "%", prefix + "women": "40", prefix + "men": "60", prefix + "target": "50 %"})
    assert MemberIndicator.objects.get(member=member).women == 40
    refused = client.post(f"{STRATEGY}medlem/{member.pk}/indikator/", {
        prefix + "title": "Chefer", prefix + "goal": "power", prefix + "year": "2025", prefix + "unit": "antal",
        prefix + "women": "2", prefix + "men": "7"})
    assert refused.status_code == 302 and MemberIndicator.objects.filter(member=member).count() == 1
    html = client_for(None).get(STRATEGY).content.decode()
    assert "Dalabolaget AB" in html and "Kvinnor i ledningsgruppen" in html and "Näringsliv" in html


def test_nobody_acts_for_an_organisation_they_do_not_administer(client_for: Callable[..., Any], dalarna: Any,
                                                               make_org: Callable[..., Any]) -> None:
    from jamkoll.web.portal.models import MemberIndicator, StrategyMember

    company = make_org("Dalabolaget AB", kind="other")
    member = StrategyMember.objects.create(strategy=dalarna.strategies.get(), organization=company)
    viewer = make_member(company, "viewer", username="bolagsläsare")
    stranger = make_member(make_org("Annat bolag", kind="other"), "admin", username="annan")
    for user in (viewer, stranger):
        response = client_for(user).post(f"{STRATEGY}medlem/{member.pk}/indikator/", {})
        assert response.status_code == 404
    response = client_for(stranger).post(STRATEGY + "anslut/", {"organization": company.pk, "sector": "business"})
    assert response.status_code == 302
    assert not MemberIndicator.objects.exists()
    assert StrategyMember.objects.filter(organization=company).count() == 1
