"""The yearly report's governance chapter, gathered from the database and the analysis store.

:func:`governance_summary` fills a :class:`jamkoll.reports.governance.GovernanceSummary`: the findings
register's handling (this app's ``FindingCase``), the applications with their goals followed up against
the data and the budget by sex (``jamkoll.web.funding.chapter``), and the action plan, checklists and
activities from ``jamkoll.web.plans.summary`` when that app is installed (otherwise those parts stay
empty). The report is written by this app (``tasks.generate_report``), so it puts the chapter together:
the other apps never import this one.
"""

from __future__ import annotations

import logging
from typing import Any

from jamkoll.reports.governance import FindingsHandling, GovernanceSummary
from jamkoll.web.accounts.models import Organization
from jamkoll.web.funding.chapter import application_follow_ups, budget_lines

from .models import FindingCase

log = logging.getLogger("jamkoll.web.front")


def findings_handling(org: Organization, year: int, intervention: str | None = None) -> FindingsHandling:
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
