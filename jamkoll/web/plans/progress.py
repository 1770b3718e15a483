"""Overdue actions, counted one way for every page: the dashboard, the findings register and the plans.

An organisation's actions are the actions of its action plans (own and shared) and the actions decided
in its findings register (a case's own "what, who, by when"). An action is overdue when its deadline has
passed and it is neither done nor cancelled (:meth:`Action.is_overdue`, :meth:`FindingCase.is_overdue`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from jamkoll.web.accounts.models import Organization
from jamkoll.web.front.models import FindingCase

from .models import Action
from .overdue import overdue_actions as plan_overdue_actions


@dataclass(frozen=True)
class OverdueActions:
    org_id: int
    plan_actions: tuple[Action, ...]
    case_actions: tuple[FindingCase, ...]

    @property
    def count(self) -> int:
        return len(self.plan_actions) + len(self.case_actions)

    def in_plan(self, plan_id: int) -> int:
        """How many of them belong to one plan."""
        return sum(a.plan_id == plan_id for a in self.plan_actions)

    @property
    def case_ids(self) -> set[int]:
        """The findings with an overdue action: their own, or a plan action linked to them."""
        ids = {c.pk for c in self.case_actions}
        for action in self.plan_actions:
            ids.update(c.pk for c in action.findings.all() if c.organization_id == self.org_id)
        return ids


def overdue_actions(org: Organization, today: dt.date | None = None) -> OverdueActions:
    """Every overdue action of ``org`` (as of ``today``, by default the local date)."""
    today = today or timezone.localdate()
    # The plans' own definition (jamkoll.web.plans.overdue), which the e-mail notifications also use.
    plan_actions = plan_overdue_actions(org, today).prefetch_related("findings")
    cases = FindingCase.objects.filter(FindingCase.overdue_q(today), organization=org).order_by("action_due", "id")
    return OverdueActions(org.pk, tuple(plan_actions), tuple(cases))
