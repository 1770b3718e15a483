"""Linking a plan action to a finding (plans.views.action_edit): an open case gets "Åtgärd planerad", its
history and the audit log name the action, and the case page shows the action and its progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from jamkoll.web.front.models import FindingCase, FindingEvent
from jamkoll.web.front.register import change_status, update_findings
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.plans.models import Action, ActionPlan

from .html_checks import check_page


def test_linking_an_action_plans_the_case_and_the_case_shows_it(
        planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    update_findings(planted_org, 2025, planted_members["analyst"])
    open_case, justified = list(FindingCase.objects.filter(organization=planted_org, year=2025))[:2]
    change_status(justified, planted_members["analyst"], "justified", justification="Skäl.")
    plan = ActionPlan.objects.create(owner=planted_org, title="Planen", start_year=2025, end_year=2027)
    plan.organizations.add(planted_org)
    client = client_for(planted_members["analyst"])
    form = client.get(reverse("front:plans:action_new", args=[planted_org.slug, plan.pk])).content.decode()
    assert open_case.title in form and open_case.finding_id not in form  # plain titles to choose from
    due = dt.date.today() + dt.timedelta(days=60)
    response = client.post(reverse("front:plans:action_new", args=[planted_org.slug, plan.pk]), {
        "title": "Arbetsgivarkontakt för alla", "owner": "Förbundschefen", "due": due.isoformat(),
        "status": "ongoing", "findings": [open_case.pk, justified.pk]})
    assert response.status_code == 302
    action = Action.objects.get(plan=plan)
    open_case.refresh_from_db()
    justified.refresh_from_db()
    assert open_case.status == "action_planned" and justified.status == "justified"
    event = FindingEvent.objects.filter(case=open_case, kind="status").latest("at")
    assert (event.from_status, event.to_status) == ("open", "action_planned")
    assert event.details["plan_action_id"] == action.pk
    assert AuditEvent.objects.filter(action="case_changed", object_id=str(open_case.pk)).exists()
    assert open_case.deadline == due

    viewer = client_for(planted_members["viewer"])
    page = viewer.get(reverse("front:case", args=[planted_org.slug, open_case.pk])).content.decode()
    assert check_page(page) == []
    assert 'id="case-status">Åtgärd planerad<' in page
    actions = page.split('id="plan-actions"', 1)[1].split("</ul>", 1)[0]
    assert "Arbetsgivarkontakt för alla" in actions and "Pågår" in actions and due.isoformat() in actions
    assert f"#action-{action.pk}" in actions
    assert "0 av 1 åtgärd genomförd" in page
    assert due.isoformat() in page.split('id="case-deadline"', 1)[1][:40]

    # Saving the action again (now done) leaves the case as it is, and the page shows the progress.
    client.post(reverse("front:plans:action_edit", args=[planted_org.slug, plan.pk, action.pk]), {
        "title": "Arbetsgivarkontakt för alla", "owner": "Förbundschefen", "due": due.isoformat(),
        "status": "done", "findings": [open_case.pk]})
    assert FindingEvent.objects.filter(case=open_case, kind="status").count() == 1
    page = viewer.get(reverse("front:case", args=[planted_org.slug, open_case.pk])).content.decode()
    assert "1 av 1 åtgärd genomförd" in page and "Genomförd" in page


def test_a_case_without_actions_says_so(planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    update_findings(planted_org, 2025, planted_members["analyst"])
    case = FindingCase.objects.filter(organization=planted_org, year=2025).first()
    assert case is not None
    page = client_for(planted_members["admin"]).get(reverse("front:case", args=[planted_org.slug, case.pk]))
    html = page.content.decode()
    assert 'id="plan-actions-none"' in html and reverse("front:plans:plans", args=[planted_org.slug]) in html
    assert f"<h1 id=\"case-title\">{case.title} " in html and case.finding_id not in html.split("</h1>")[0]
