"""The one definition of an overdue action of an action plan, as a query and as a count.

An action is overdue when its deadline (``Action.due``) has passed and it is neither done nor cancelled
(:meth:`jamkoll.web.plans.models.Action.is_overdue` says the same of one action). Pages, the report's
follow-up and the e-mail notifications count overdue actions with these functions, so they agree.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from jamkoll.web.accounts.models import Organization

from .models import Action

__all__ = ["overdue_actions", "overdue_count", "overdue_q"]


def overdue_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """Actions past their deadline on ``today`` (default: the local date) and neither done nor cancelled;
    ``prefix`` is a relation's path (e.g. ``"actions__"`` from a plan)."""
    today = today or timezone.localdate()
    return (Q(**{f"{prefix}due__lt": today})
            & ~Q(**{f"{prefix}status__in": [Action.Status.DONE, Action.Status.CANCELLED]}))


def overdue_actions(org: Organization, today: dt.date | None = None) -> QuerySet[Action]:
    """The overdue actions of every plan the organisation has (its own and those shared with it)."""
    plans = org.action_plans.values("pk")
    return (Action.objects.filter(overdue_q(today), plan__in=plans).select_related("plan", "goal")
            .order_by("due", "id"))


def overdue_count(org: Organization, today: dt.date | None = None) -> int:
    return overdue_actions(org, today).count()
