"""The yearly report's governance chapter: the action plan, checklists and activities of an organisation
and year, as the plain dataclasses of :mod:`jamkoll.reports.governance` (the report never imports Django).

Counts of people (activity participants) are returned as recorded; the chapter puts them through
disclosure control like every other published count. An event's activity holds its attendance by sex
(see :mod:`jamkoll.web.plans.events`), so events appear among the activities.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jamkoll.reports.governance import (
    ActionItem,
    ActivitySummary,
    BoardCaseAssessment,
    ChecklistProgress,
    GoalProgress,
    PlanProgress,
)
from jamkoll.web.accounts.models import Organization

from .cases import case_assessment_share
from .checklists import response_progress
from .models import Action, ActionPlan, Activity, ChecklistAnswer, ChecklistResponse, PlanRevision
from .services import compare_snapshots, last_meeting_of_year


def _plan_for_year(org: Organization, year: int) -> tuple[ActionPlan, PlanRevision | None] | None:
    """The plan in force in ``year``: among the organisation's plans covering the year (or, failing that,
    all its plans), the one with the latest revision adopted by the end of the year."""
    year_end = dt.date(year, 12, 31)
    plans = list(ActionPlan.objects.filter(organizations=org).distinct())
    if not plans:
        return None
    covering = [p for p in plans if p.start_year <= year <= p.end_year] or plans
    best: tuple[ActionPlan, PlanRevision | None] | None = None
    for plan in covering:
        revision = plan.revisions.filter(adopted_on__lte=year_end).order_by("-number").first()
        if best is None or _later(revision, best[1]):
            best = (plan, revision)
    return best


def _later(candidate: PlanRevision | None, current: PlanRevision | None) -> bool:
    if candidate is None:
        return False
    return current is None or (candidate.adopted_on, candidate.pk) > (current.adopted_on, current.pk)


def plan_progress(org: Organization, year: int, today: dt.date | None = None) -> PlanProgress | None:
    """The action plan in force in ``year``, its latest revision adopted by the year's end, and how far its
    goals and actions have come (actions as they stand now; overdue as of the year's end, or today)."""
    found = _plan_for_year(org, year)
    if found is None:
        return None
    plan, revision = found
    as_of = min(today or timezone.localdate(), dt.date(year, 12, 31))
    actions = list(plan.actions.select_related("goal"))
    goals = []
    for goal in plan.goals.all():
        mine = [a for a in actions if a.goal_id == goal.pk]
        goals.append(GoalProgress(
            title=goal.title, national_goal=goal.national_goal, cemr_articles=[str(n) for n in goal.cemr_articles],
            actions_total=len(mine), actions_done=sum(a.status == Action.Status.DONE for a in mine),
            actions_overdue=sum(a.is_overdue(as_of) for a in mine)))
    items = [ActionItem(title=a.title, owner=a.owner, due=a.due, status=a.status,
                        goal=a.goal.title if a.goal else "", evidence=a.evidence, overdue=a.is_overdue(as_of))
             for a in actions]
    changes: list[str] = []
    if revision is not None:
        previous = revision.previous()
        if previous is not None:
            changes = compare_snapshots(previous.snapshot, revision.snapshot).sentences()
    # The yearly revision is due at the last board meeting of the year (of the next year once done this year).
    due_year = year + 1 if revision is not None and revision.adopted_on.year == year else year
    meeting = last_meeting_of_year(org, due_year)
    next_due = meeting.date if meeting else dt.date(due_year, 12, 31)
    return PlanProgress(
        title=plan.title, revision=revision.number if revision else 0,
        adopted_on=revision.adopted_on if revision else None,
        organisations=sorted(plan.organizations.values_list("name", flat=True)),
        goals=goals, actions=items, next_revision_due=next_due, changes_since_previous=changes)


def checklist_progress(org: Organization, year: int) -> list[ChecklistProgress]:
    """Every checklist the organisation (or one of its units) answered for ``year``: progress and comments."""
    result = []
    responses = ChecklistResponse.objects.filter(organization=org, year=year).select_related("template")
    for response in responses:
        progress = response_progress(response)
        comments = [(a.question.text, a.comment) for a in ChecklistAnswer.objects.filter(
            response=response, question__template=response.template).exclude(comment="").select_related(
            "question").order_by("question__order", "question__id")]
        result.append(ChecklistProgress(title=response.template.title, unit=response.unit or org.name,
                                        answered=progress.answered, total=progress.total,
                                        fulfilled=progress.fulfilled, comments=comments))
    return result


def activity_summaries(org: Organization, year: int) -> list[ActivitySummary]:
    """The organisation's activities in ``year``, oldest first, with participants by sex (other kept)."""
    return [ActivitySummary(title=a.title, kind=a.kind, date=a.date, women=a.women, men=a.men, other=a.other)
            for a in Activity.objects.filter(organization=org, date__year=year).order_by("date", "id")]


def board_case_share(org: Organization, year: int) -> BoardCaseAssessment | None:
    """How many of the year's board cases carried a gender-impact assessment (None: no cases recorded)."""
    return case_assessment_share(org, year)
