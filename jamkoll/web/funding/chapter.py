"""This app's parts of the yearly report's governance chapter: the applications with their goals followed
up against the data, and the budget by sex. The chapter is put together by
:func:`jamkoll.web.front.governance.governance_summary`.
"""

from __future__ import annotations

from django.db.models import Q

from jamkoll.reports.goals import indicator_label
from jamkoll.reports.governance import ApplicationFollowUp, BudgetLine, GoalFollowUp
from jamkoll.web.accounts.models import Organization

from . import services
from .models import Application


def _decision(app: Application) -> str:
    if app.status in (Application.Status.FUNDED, Application.Status.REJECTED):
        return str(app.status)
    return "pending"


def application_follow_ups(org: Organization, year: int) -> list[ApplicationFollowUp]:
    """Applications submitted for, decided in, or with a goal followed up in ``year`` (drafts left out)."""
    apps = (Application.objects.filter(organization=org).exclude(status=Application.Status.DRAFT)
            .filter(Q(year=year) | Q(decided_on__year=year) | Q(goals__year=year)).distinct()
            .select_related("intervention").order_by("title", "pk"))
    result = []
    for app in apps:
        assessment = app.latest_assessment
        rows = services.follow_up(app)
        goals = [GoalFollowUp(
            indicator=indicator_label(row.goal.spec, "sv"), unit=row.goal.unit,
            baseline_women=row.goal.baseline_women, baseline_men=row.goal.baseline_men,
            target_women=row.goal.target_women, target_men=row.goal.target_men,
            actual_women=row.actual_women, actual_men=row.actual_men,
            met_women=row.met_women, met_men=row.met_men) for row in rows if row.goal.year == year]
        result.append(ApplicationFollowUp(
            title=app.title, intervention_id=app.intervention.intervention_id if app.intervention else None,
            gender_marker=assessment.gender_marker if assessment is not None else 0,
            decision=_decision(app), goals=goals))
    return result


def budget_lines(org: Organization, year: int) -> list[BudgetLine]:
    distribution = services.budget_by_sex(org, year)
    if distribution is None:
        return []
    rows = [*distribution.lines, *([distribution.total] if distribution.total is not None else [])]
    return [BudgetLine(intervention_id=r.intervention, name=r.name, budget_sek=r.budget_sek,
                       women_sek=r.women_sek, men_sek=r.men_sek, other_sek=r.other_sek,
                       women_share=r.women_share, target_group_women_share=r.target_women_share,
                       basis=r.basis, withheld=r.withheld) for r in rows]
