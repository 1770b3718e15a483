"""The one definition of an overdue plan action (jamkoll.web.plans.overdue) agrees with Action.is_overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jamkoll.web.plans.models import Action, ActionPlan
from jamkoll.web.plans.overdue import overdue_actions, overdue_count

TODAY = dt.date(2026, 6, 15)


def test_overdue_actions(org: Any, other_org: Any) -> None:
    plan = ActionPlan.objects.create(owner=other_org, title="Delad plan", start_year=2026, end_year=2027)
    plan.organizations.set([org, other_org])  # shared: counts for both
    make = lambda title, due, status=Action.Status.PLANNED: Action.objects.create(  # noqa: E731
        plan=plan, title=title, owner="x", due=due, status=status)
    late = make("sen", dt.date(2026, 6, 14))
    ongoing = make("pågår, sen", dt.date(2026, 1, 1), Action.Status.ONGOING)
    make("i dag", TODAY)
    make("utan datum", None)
    make("klar", dt.date(2026, 1, 1), Action.Status.DONE)
    make("avbruten", dt.date(2026, 1, 1), Action.Status.CANCELLED)
    assert list(overdue_actions(org, TODAY)) == [ongoing, late]
    assert overdue_count(other_org, TODAY) == 2
    assert {a.pk for a in Action.objects.all() if a.is_overdue(TODAY)} == {late.pk, ongoing.pk}
    lonely = ActionPlan.objects.create(owner=org, title="Egen", start_year=2026, end_year=2026)
    lonely.organizations.set([org])
    Action.objects.create(plan=lonely, title="egen sen", owner="x", due=dt.date(2026, 5, 1))
    assert overdue_count(org, TODAY) == 3 and overdue_count(other_org, TODAY) == 2
