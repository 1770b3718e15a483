"""Board cases and their gender-impact assessments: the template, saving a case, and the year's share of
cases with an assessment (for the report's governance chapter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from jamkoll.reports.governance import BoardCaseAssessment
from jamkoll.web.accounts.models import Organization

from .case_models import DEFAULT_GUIDANCE, AssessmentTemplate, BoardCase
from .models import BoardMeeting, PlanRevision
from .services import record

# Audit log actions (AuditEvent.action).
BOARD_CASE_CHANGED = "board_case_changed"
ASSESSMENT_TEMPLATE_CHANGED = "assessment_template_changed"

ASSESSMENT_FIELDS = ("affected", "women_men", "data", "conclusion")


def assessment_template(org: Organization) -> AssessmentTemplate:
    """The organisation's template, created with the shipped guidance on first use."""
    return AssessmentTemplate.objects.get_or_create(organization=org, defaults=DEFAULT_GUIDANCE)[0]


def assessed_q(prefix: str = "") -> Q:
    """Cases with an assessment: who is affected and the conclusion are written (``prefix``: a relation's path,
    e.g. ``"cases__"`` from a meeting)."""
    return ~Q(**{f"{prefix}affected": ""}) & ~Q(**{f"{prefix}conclusion": ""})


def save_case(case: BoardCase, user: Any, request: HttpRequest | None = None, *, created: bool,
              via: str = "page") -> BoardCase:
    """Save a case; the assessment's author and time follow its text (cleared when the text is)."""
    for name in ASSESSMENT_FIELDS:
        setattr(case, name, (getattr(case, name) or "").strip())
    previous = BoardCase.objects.filter(pk=case.pk).first() if case.pk else None
    changed = previous is None or any(getattr(previous, n) != getattr(case, n) for n in ASSESSMENT_FIELDS)
    if case.has_assessment and changed:
        case.assessed, case.assessed_by = timezone.now(), user
    elif not case.has_assessment:
        case.assessed, case.assessed_by = None, None
    case.save()
    record(request, BOARD_CASE_CHANGED, case.meeting.organization, case, "created" if created else "changed",
           user=user, meeting=case.meeting_id, assessed=case.has_assessment, via=via)
    return case


def next_number(meeting: BoardMeeting) -> int:
    last = meeting.cases.order_by("-number").first()
    return (last.number + 1) if last else 1


def linkable_revisions(org: Organization) -> QuerySet[PlanRevision]:
    """Revisions of the plans the organisation has (own or shared)."""
    return PlanRevision.objects.filter(plan__organizations=org).distinct().select_related("plan")


def case_assessment_share(org: Organization, year: int, today: dt.date | None = None) -> BoardCaseAssessment | None:
    """The cases on the agendas of the organisation's board meetings in ``year`` and how many carry a
    gender-impact assessment; None when no case was recorded that year."""
    cases = BoardCase.objects.filter(meeting__organization=org, meeting__date__year=year)
    total = cases.count()
    if total == 0:
        return None
    return BoardCaseAssessment(total=total, assessed=cases.filter(assessed_q()).count(),
                               meetings=cases.values("meeting").distinct().count())
