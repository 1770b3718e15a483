"""Overdue actions counted by one function (plans.progress) and shown the same on the dashboard, the findings
register, the plans page and the plan; an action linked to a finding puts the case's action on its page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse

from jamkoll.web.front.models import FindingCase
from jamkoll.web.front.register import change_status, update_findings
from jamkoll.web.plans.models import Action, ActionPlan
from jamkoll.web.plans.progress import overdue_actions

from .html_checks import check_page

YESTERDAY = dt.date.today() - dt.timedelta(days=1)
NEXT_MONTH = dt.date.today() + dt.timedelta(days=30)


def _figure(html: str, href_part: str) -> int:
    """The number of a key-figure card whose link contains ``href_part``."""
    match = re.search(r'<span class="figure">(\d+)</span> <a href="[^"]*' + re.escape(href_part), html)
    assert match, href_part
    return int(match.group(1))


def test_one_overdue_count_on_every_page(planted_org: Any, planted_members: dict[str, Any],
                                         client_for: Any) -> None:
    analyst = planted_members["analyst"]
    update_findings(planted_org, 2025, analyst)
    cases = list(FindingCase.objects.filter(organization=planted_org, year=2025))
    plan = ActionPlan.objects.create(owner=planted_org, title="Planen", start_year=2025, end_year=2027)
    plan.organizations.add(planted_org)
    late = [Action.objects.create(plan=plan, title=f"Sen åtgärd {i}", owner="Chefen", due=YESTERDAY) for i in range(3)]
    Action.objects.create(plan=plan, title="Klar", owner="Chefen", due=YESTERDAY, status="done")
    Action.objects.create(plan=plan, title="Avbruten", owner="Chefen", due=YESTERDAY, status="cancelled")
    Action.objects.create(plan=plan, title="I tid", owner="Chefen", due=NEXT_MONTH)
    late[0].findings.add(cases[0])
    # And one action decided in the register itself, past its deadline.
    change_status(cases[-1], analyst, "action_planned", action_what="Ny rutin", action_who="Chefen",
                  action_due=YESTERDAY)

    overdue = overdue_actions(planted_org)
    assert overdue.count == 4 and overdue.in_plan(plan.pk) == 3
    assert overdue.case_ids == {cases[0].pk, cases[-1].pk}

    client = client_for(planted_members["viewer"])
    dashboard = client.get(reverse("front:dashboard", args=[planted_org.slug]) + "?year=2025").content.decode()
    register = client.get(reverse("front:findings", args=[planted_org.slug])).content.decode()
    plans = client.get(reverse("front:plans:plans", args=[planted_org.slug])).content.decode()
    plan_page = client.get(reverse("front:plans:plan", args=[planted_org.slug, plan.pk])).content.decode()
    for html in (dashboard, register, plans, plan_page):
        assert check_page(html) == []
    assert _figure(dashboard, "?overdue=on") == _figure(register, "?overdue=on") == 4
    assert "4 försenade åtgärder" in plans
    assert "3 försenade" in plan_page  # this plan's share of the same count
    only = client.get(reverse("front:findings", args=[planted_org.slug]) + "?overdue=on").content.decode()
    assert {c.pk for c in cases if f'id="case-{c.pk}"' in only} == {cases[0].pk, cases[-1].pk}

    late[1].status = "done"
    late[1].save()
    assert overdue_actions(planted_org).count == 3
    dashboard = client.get(reverse("front:dashboard", args=[planted_org.slug]) + "?year=2025").content.decode()
    assert _figure(dashboard, "?overdue=on") == 3
    assert overdue_actions(planted_org, today=YESTERDAY).count == 0


def test_dashboard_findings_link_to_their_case_and_show_its_status(
        planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    client = client_for(planted_members["viewer"])
    url = reverse("front:dashboard", args=[planted_org.slug]) + "?year=2025"
    before = client.get(url).content.decode()
    assert "Finns inte i fyndregistret ännu." in before
    update_findings(planted_org, 2025, planted_members["analyst"])
    case = FindingCase.objects.get(organization=planted_org, finding_id="participation:INS05:share_of_women",
                                   year=2025)
    change_status(case, planted_members["analyst"], "justified", justification="Målgruppen är annorlunda.")
    html = client.get(url).content.decode()
    assert check_page(html) == []
    link = f'<a href="{reverse("front:case", args=[planted_org.slug, case.pk])}">{case.title}</a>'
    assert link in html
    item = html.split(link, 1)[1].split("</li>", 1)[0]
    assert "Motiverad skillnad" in item and "finding-closed" in html
    assert "Finns inte i fyndregistret ännu." not in html
    # The intervention page links the intervention's own findings too.
    page = client.get(reverse("front:intervention", args=[planted_org.slug, "INS05"]) + "?year=2025")
    assert link in page.content.decode()
