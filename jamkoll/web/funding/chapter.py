"""The yearly report's governance chapter, gathered from the database and the analysis store.

:func:`governance_summary` fills a :class:`jamkoll.reports.governance.GovernanceSummary`: the findings
register's handling (``FindingCase``), the applications with their goals followed up against the
data, the budget by sex (this app), and the action plan, checklists and activities from
``jamkoll.web.plans.summary`` when that app is installed (otherwise those parts stay empty).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q

from jamkoll.reports.goals import indicator_label
from jamkoll.reports.governance import (
    ApplicationFollowUp,
    BudgetLine,
    FindingsHandling,
    GoalFollowUp,
    GovernanceSummary,
)
from jamkoll.web.accounts.models import Organization

from . import services
from .models import Application

log = logging.getLogger("jamkoll.web.funding")


def findings_handling(org: Organization, year: int, intervention: str | None = None) -> FindingsHandling:
    from jamkoll.web.front.models import FindingCase

    cases = FindingCase.objects.filter(organization=org, year=year)
    if intervention is not None:
        cases = cases.filter(intervention__intervention_id=intervention)
    Status = FindingCase.Status
    return FindingsHandling(
        total=cases.count(), open=cases.filter(status=Status.OPEN).count(),
        justified=cases.filter(status=Status.JUSTIFIED).count(),
        action_planned=cases.filter(status=Status.ACTION_PLANNED).count(),
        done=cases.filter(status=Status.DONE).count(), overdue=cases.filter(FindingCase.overdue_q()).count(),
        recurring=cases.filter(previous__isnull=False).count(),
    )


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


def _plans_part(org: Organization, year: int) -> dict[str, Any]:
    """Plan, checklists and activities from the plans app; empty while it does not exist."""
    try:
        from jamkoll.web.plans import summary as plans  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return {}
    part: dict[str, Any] = {}
    for key, name in (("plan", "plan_progress"), ("checklists", "checklist_progress"),
                      ("activities", "activity_summaries"), ("board_cases", "board_case_share")):
        function = getattr(plans, name, None)
        if function is None:
            continue
        try:
            value = function(org, year)
        except Exception:  # noqa: BLE001 - a failing part leaves that part empty, logged
            log.exception("governance chapter: %s failed", name)
            continue
        if value is not None:
            part[key] = value
    return part


def governance_summary(org: Organization, year: int, intervention: str | None = None) -> GovernanceSummary:
    """Everything the report's governance chapter shows for ``org`` and ``year``.

    With ``intervention`` the findings handling counts only that intervention's cases (the report
    itself then shows only its applications and budget line).
    """
    return GovernanceSummary(
        organisation=org.name, year=year, findings=findings_handling(org, year, intervention),
        applications=application_follow_ups(org, year), budget=budget_lines(org, year),
        **_plans_part(org, year),
    )
