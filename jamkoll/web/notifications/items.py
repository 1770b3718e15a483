"""What is due for one user in one organisation, per kind of scheduled notification.

Three kinds, each a list of :class:`Item` the user may see on the organisation's pages:

* ``decisions_due``: board cases without a recorded decision whose meeting is at most
  :data:`DECISION_DAYS_AHEAD` days ahead or has passed (within :data:`DECISION_DAYS_BACK` days), and findings
  register cases not yet justified or done whose deadline (``action_due``) is at most
  :data:`DECISION_DAYS_AHEAD` days ahead or has passed (only the cases the user may see);
* ``actions_overdue``: the overdue actions of the organisation's plans (:mod:`jamkoll.web.plans.overdue`,
  the one definition every page uses);
* ``plan_revision``: the yearly revision reminder of :func:`jamkoll.web.plans.services.revision_reminder`,
  from a month before the year's last board meeting until a revision is adopted.

An item holds only what its organisation's pages show the user: titles, dates and a link (no participant
data, no personnummer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from jamkoll.web.accounts.models import Organization
from jamkoll.web.front.models import FindingCase
from jamkoll.web.lib import permissions as perm
from jamkoll.web.plans.case_models import BoardCase
from jamkoll.web.plans.overdue import overdue_actions
from jamkoll.web.plans.permissions import can_view_plans
from jamkoll.web.plans.services import revision_reminder

DECISIONS_DUE = "decisions_due"
ACTIONS_OVERDUE = "actions_overdue"
PLAN_REVISION = "plan_revision"
KINDS = (DECISIONS_DUE, ACTIONS_OVERDUE, PLAN_REVISION)

DECISION_DAYS_AHEAD = 7
DECISION_DAYS_BACK = 60


@dataclass(frozen=True)
class Item:
    """One thing to tell the user about: ``kind`` of item (board_case, finding, action, revision), its
    ``title``, its date, whether that date has passed, and the page (a path) where it is handled."""

    key: str
    item: str
    title: str
    date: dt.date | None
    passed: bool
    path: str
    detail: str = ""


def decisions_due(org: Organization, user: Any, today: dt.date) -> list[Item]:
    items: list[Item] = []
    if can_view_plans(user, org):
        cases = (BoardCase.objects.filter(meeting__organization=org, decision="",
                                          meeting__date__lte=today + dt.timedelta(days=DECISION_DAYS_AHEAD),
                                          meeting__date__gte=today - dt.timedelta(days=DECISION_DAYS_BACK))
                 .select_related("meeting").order_by("meeting__date", "number", "id"))
        items += [Item(f"boardcase:{case.pk}", "board_case", str(case), case.meeting.date, case.meeting.date < today,
                       reverse("front:plans:minutes", kwargs={"slug": org.slug, "pk": case.meeting_id}),
                       detail=case.meeting.title)
                  for case in cases]
    if perm.can_view_findings(user, org):
        open_cases = (FindingCase.objects.filter(organization=org, action_due__isnull=False,
                                                 action_due__lte=today + dt.timedelta(days=DECISION_DAYS_AHEAD))
                      .exclude(status__in=[FindingCase.Status.JUSTIFIED, FindingCase.Status.DONE])
                      .select_related("intervention").order_by("action_due", "id"))
        items += [Item(f"finding:{case.pk}", "finding", case.title, case.action_due,
                       case.action_due < today if case.action_due else False,
                       reverse("front:case", kwargs={"slug": org.slug, "pk": case.pk}),
                       detail=(case.intervention.name or case.intervention.intervention_id)
                       if case.intervention else "")
                  for case in open_cases if perm.can_view_case(user, org, case)]
    return items


def actions_overdue(org: Organization, user: Any, today: dt.date) -> list[Item]:
    if not can_view_plans(user, org):
        return []
    return [Item(f"action:{action.pk}", "action", action.title, action.due, True,
                 reverse("front:plans:plan", kwargs={"slug": org.slug, "pk": action.plan_id}),
                 detail=action.plan.title)
            for action in overdue_actions(org, today)]


def plan_revision(org: Organization, user: Any, today: dt.date) -> list[Item]:
    if not can_view_plans(user, org):
        return []
    reminder = revision_reminder(org, today)
    if reminder is None:
        return []
    meeting = reminder.meeting
    return [Item(f"revision:{org.pk}:{reminder.year}", "revision", meeting.title if meeting else "",
                 meeting.date if meeting else None, reminder.kind == "overdue",
                 reverse("front:plans:plans", kwargs={"slug": org.slug}), detail=reminder.kind)]


COLLECTORS: dict[str, Callable[[Organization, Any, dt.date], list[Item]]] = {
    DECISIONS_DUE: decisions_due, ACTIONS_OVERDUE: actions_overdue, PLAN_REVISION: plan_revision}
