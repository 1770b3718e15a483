"""The funding app's panels on other apps' pages (dashboard, intervention page): plain functions that
return template context, so that those pages never import this app's views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jamkoll.analysis.budget import BudgetShare
from jamkoll.web.accounts.models import Organization

from . import permissions as fperm
from . import services
from .models import Application


def budget_rows(distribution: Any) -> list[BudgetShare]:
    if distribution is None:
        return []
    return [*distribution.lines, *([distribution.total] if distribution.total is not None else [])]


def intervention_panel(request: HttpRequest, org: Organization, intervention_id: str,
                       year: int | None) -> dict[str, Any]:
    """For the intervention page: funded applications' goals planned vs. actual, and the budget by sex."""
    user = request.user
    apps = [a for a in fperm.visible_applications(user, org).filter(
        intervention__intervention_id=intervention_id, status=Application.Status.FUNDED)
        if fperm.can_view_follow_up(user, org, a)]
    panel: dict[str, Any] = {"funded_follow_up": [(a, services.follow_up(a)) for a in apps]}
    if year is not None and fperm.can_view_budget(user, org, intervention_id):
        panel["budget_rows"] = [r for r in budget_rows(services.budget_by_sex(org, year, [intervention_id]))
                                if r.intervention is not None]
        panel["budget_year"] = year
    return panel


def dashboard_panel(request: HttpRequest, org: Organization, year: int | None) -> dict[str, Any]:
    """For the dashboard: the year's budget total by sex and the applications by status."""
    user = request.user
    panel: dict[str, Any] = {}
    if fperm.can_view_budget(user, org):
        years = services.budget_years(org)
        chosen = year if year in years else (years[0] if years else None)
        if chosen is not None:
            distribution = services.budget_by_sex(org, chosen)
            panel["budget_total"] = distribution.total if distribution is not None else None
            panel["budget_year"] = chosen
    apps = fperm.visible_applications(user, org)
    panel["application_counts"] = [(label, apps.filter(status=value).count(), value)
                                   for value, label in Application.Status.choices]
    return panel
