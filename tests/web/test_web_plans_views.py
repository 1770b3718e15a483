"""The plan, checklist, activity and library pages, and the API, as their users use them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jamkoll.web.accounts.models import ApiToken
from jamkoll.web.front.models import FindingCase
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.plans.models import (
    Action,
    ActionPlan,
    Activity,
    BoardMeeting,
    ChecklistAnswer,
    ChecklistResponse,
    Goal,
    LibraryItem,
)
from jamkoll.web.plans.services import library_path

from .html_checks import check_page


def url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"front:plans:{name}", kwargs={"slug": org.slug, **kwargs})


def ok_page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert not check_page(html), check_page(html)
    return html


def test_create_a_plan_with_goals_actions_and_a_revision(org: Any, members: dict[str, Any], client_for: Any,
                                                         make_org: Any) -> None:
    partner = make_org("Grannförbundet")
    org.partners.add(partner)
    client = client_for(members["analyst"])
    ok_page(client.get(url("plan_new", org)))
    response = client.post(url("plan_new", org), {"title": "", "start_year": "2027", "end_year": "2025"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Detta fält måste fyllas i." in html and 'aria-invalid="true"' in html
    response = client.post(url("plan_new", org), {"title": "Jämställdhetsplan", "start_year": "2025",
                                                  "end_year": "2027", "shared_with": [partner.pk]})
    plan = ActionPlan.objects.get(title="Jämställdhetsplan")
    assert response.status_code == 302 and response.url == url("plan", org, pk=plan.pk)
    assert set(plan.organizations.all()) == {org, partner}

    client.post(url("goal_new", org, pk=plan.pk), {"title": "Jämn fördelning av resurser",
                                                   "national_goal": "economy", "order": "1"})
    goal = Goal.objects.get(plan=plan)
    assert goal.cemr_articles == [], "no articles without a signed charter"
    case = FindingCase.objects.create(organization=org, finding_id="component:INS01:praktik", year=2025,
                                      dimension="component", category="praktik", explanation="x")
    response = client.post(url("action_new", org, pk=plan.pk), {
        "title": "Praktik för alla", "goal": goal.pk, "owner": "Förbundschefen", "due": "2026-03-31",
        "status": "planned", "findings": [case.pk]})
    action = Action.objects.get(plan=plan)
    assert list(action.findings.all()) == [case]
    html = ok_page(client.get(url("plan", org, pk=plan.pk)))
    assert "Praktik för alla" in html and f"{case.title} (2025)" in html and "Ekonomisk jämställdhet" in html

    response = client.post(url("meetings", org), {"date": "2025-12-10", "title": "Styrelsemöte"})
    meeting = BoardMeeting.objects.get(organization=org)
    client.post(url("plan_revise", org, pk=plan.pk), {"meeting": meeting.pk, "note": "§ 41"})
    client.post(url("action_edit", org, pk=plan.pk, action_pk=action.pk), {
        "title": "Praktik för alla", "goal": goal.pk, "owner": "Förbundschefen", "due": "2026-06-30",
        "status": "ongoing", "findings": [case.pk]})
    response = client.post(url("plan_revise", org, pk=plan.pk), {"meeting": meeting.pk})
    assert response.url == url("revision", org, pk=plan.pk, number=2)
    html = ok_page(client.get(response.url))
    assert "Ändringar sedan revision 1" in html
    assert "2026-03-31" in html and "2026-06-30" in html and "Pågår" in html
    assert AuditEvent.objects.filter(organization=org, action="plan_changed").count() >= 3

    # The partner's members read the shared plan through their own organisation's pages.
    from .conftest import make_member

    partner_viewer = make_member(partner, "viewer")
    html = ok_page(client_for(partner_viewer).get(url("plan", partner, pk=plan.pk)))
    assert "Praktik för alla" in html
    assert "fynd hos en samarbetspart" in html and f"/fynd/{case.pk}/" not in html, \
        "the partner does not see this organisation's findings"


def test_charter_articles_only_for_a_signatory(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["admin"])
    plan = ActionPlan.objects.create(owner=org, title="P", start_year=2025, end_year=2026)
    plan.organizations.set([org])
    assert "cemr_articles" not in client.get(url("goal_new", org, pk=plan.pk)).content.decode()
    client.post(url("charter", org), {"charter-signed": "on", "charter-signed_on": "2019-03-14"})
    assert "Artiklar i CEMR-deklarationen" in ok_page(client.get(url("goal_new", org, pk=plan.pk)))
    client.post(url("goal_new", org, pk=plan.pk), {"title": "Våld", "national_goal": "violence",
                                                   "cemr_articles": ["22"], "order": "1"})
    assert Goal.objects.get(plan=plan).cemr_articles == ["22"]


def test_a_meeting_that_adopted_a_revision_is_kept(org: Any, members: dict[str, Any], client_for: Any) -> None:
    from jamkoll.web.plans.services import adopt_revision

    plan = ActionPlan.objects.create(owner=org, title="P", start_year=2025, end_year=2026)
    plan.organizations.set([org])
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2025, 12, 10))
    adopt_revision(plan, meeting, None)
    client_for(members["admin"]).post(url("meeting_delete", org, pk=meeting.pk))
    assert BoardMeeting.objects.filter(pk=meeting.pk).exists()


def test_a_revision_cannot_be_adopted_at_a_meeting_that_has_not_taken_place(
        org: Any, members: dict[str, Any], client_for: Any) -> None:
    from django.utils import timezone

    plan = ActionPlan.objects.create(owner=org, title="P", start_year=2025, end_year=2030)
    plan.organizations.set([org])
    future = BoardMeeting.objects.create(organization=org, date=timezone.localdate() + dt.timedelta(days=8))
    past = BoardMeeting.objects.create(organization=org, date=timezone.localdate() - dt.timedelta(days=1))
    client = client_for(members["admin"])
    refused = client.post(url("plan_revise", org, pk=plan.pk), {"meeting": future.pk})
    assert refused.status_code == 400 and "har inte ägt rum än" in refused.content.decode()
    assert not plan.revisions.exists()
    adopted = client.post(url("plan_revise", org, pk=plan.pk), {"meeting": past.pk})
    assert adopted.status_code == 302 and plan.revisions.get().meeting == past


def test_answer_a_checklist_and_export_it(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["analyst"])
    ok_page(client.get(url("checklists", org)))
    template = org.checklist_templates.get(key="planning")
    response = client.post(url("checklists", org), {"template": template.pk, "unit": "", "year": "2025"})
    checklist = ChecklistResponse.objects.get(organization=org)
    assert response.url == url("response", org, pk=checklist.pk)
    again = client.post(url("checklists", org), {"template": template.pk, "unit": "", "year": "2025"})
    assert again.status_code == 400 and "redan påbörjad" in again.content.decode()
    first, second = list(template.questions.all())[:2]
    client.post(url("response", org, pk=checklist.pk), {f"answer_{first.pk}": "yes",
                                                        f"answer_{second.pk}": "partly",
                                                        f"comment_{second.pk}": "Bara i två insatser."})
    assert ChecklistAnswer.objects.filter(response=checklist).count() == 2
    html = ok_page(client_for(members["viewer"]).get(url("response", org, pk=checklist.pk)))
    assert "2 av 14 frågor besvarade, 1 uppfyllda." in html and "Bara i två insatser." in html
    export = client.get(url("response_export", org, pk=checklist.pk))
    text = export.content.decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv") and "Delvis;Bara i två insatser." in text

    # Editing the template: a new question counts in the progress.
    client.post(url("question_new", org, pk=template.pk), {"question-text": "Ny fråga?", "question-order": "99"})
    assert "2 av 15 frågor besvarade" in client.get(url("response", org, pk=checklist.pk)).content.decode()


def test_checklist_export_is_inert(org: Any, members: dict[str, Any], client_for: Any) -> None:
    """Text that a spreadsheet would take for a formula is escaped with a quote (OWASP CSV injection)."""
    import csv
    import io

    client = client_for(members["analyst"])
    client.get(url("checklists", org))  # the shipped templates are made on the first visit
    template = org.checklist_templates.get(key="planning")
    client.post(url("checklists", org), {"template": template.pk, "unit": "", "year": "2025"})
    checklist = ChecklistResponse.objects.get(organization=org)
    client.post(url("question_new", org, pk=template.pk), {"question-text": "@SUM(1+1)*cmd|' /C calc'!A0",
                                                           "question-order": "0"})
    first = template.questions.order_by("order", "pk").first()
    assert first is not None
    client.post(url("response", org, pk=checklist.pk), {
        f"answer_{first.pk}": "no", f"comment_{first.pk}": '=HYPERLINK("http://x","y")'})
    export = client.get(url("response_export", org, pk=checklist.pk))
    assert "no-store" in export["Cache-Control"], "a download of a logged-in user is not cached"
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert ["'@SUM(1+1)*cmd|' /C calc'!A0", "Nej", "'=HYPERLINK(\"http://x\",\"y\")"] in [r[1:] for r in rows]
    fields = [field for row in rows for field in row]
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_activities_keep_other_or_unknown_sex(org: Any, members: dict[str, Any], client_for: Any) -> None:
    client = client_for(members["admin"])
    response = client.post(url("activities", org), {"title": "Chefsutbildning", "kind": "training",
                                                    "date": "2025-11-08", "women": "-1"})
    assert response.status_code == 400
    client.post(url("activities", org), {"title": "Chefsutbildning mot sexuella trakasserier", "kind": "training",
                                         "date": "2025-11-08", "women": "9", "men": "6", "other": "2"})
    activity = Activity.objects.get(organization=org)
    assert activity.total == 17
    html = ok_page(client_for(members["viewer"]).get(url("activities", org)))
    assert "Chefsutbildning mot sexuella trakasserier" in html and ">17<" in html


def test_library_files_are_stored_under_the_data_folder_and_downloaded(org: Any, members: dict[str, Any],
                                                                       client_for: Any, settings: Any) -> None:
    client = client_for(members["admin"])
    bad = client.post(url("library", org), {"title": "Skript", "kind": "other",
                                            "file": SimpleUploadedFile("x.html", b"<script>")})
    assert bad.status_code == 400 and "Filtypen stöds inte" in bad.content.decode()
    neither = client.post(url("library", org), {"title": "Tom", "kind": "other"})
    assert "Ange en länk eller ladda upp en fil." in neither.content.decode()
    client.post(url("library", org), {"title": "Utvärdering 2025", "kind": "evaluation",
                                      "file": SimpleUploadedFile("utvärdering.pdf", b"%PDF-1.4 test")})
    item = LibraryItem.objects.get(organization=org)
    path = library_path(item)
    assert path.read_bytes() == b"%PDF-1.4 test"
    assert str(path).startswith(str(settings.JAMKOLL_DATA_DIR)) and "utvärdering" not in path.name
    download = client_for(members["viewer"]).get(url("library_download", org, pk=item.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in download["Content-Disposition"]
    client.post(url("library_delete", org, pk=item.pk))
    assert not path.exists() and not LibraryItem.objects.exists()


def test_the_api(org: Any, members: dict[str, Any], client_for: Any) -> None:
    from django.test import Client

    api = Client(headers={"Authorization": "Bearer " + ApiToken.issue(members["analyst"], "t")[1]})
    base = f"/api/orgs/{org.slug}"
    plan = api.post(f"{base}/plans", {"title": "API-planen", "start_year": 2025, "end_year": 2026},
                    content_type="application/json").json()
    goal = api.post(f"{base}/plans/{plan['id']}/goals", {"title": "Hälsa", "national_goal": "health"},
                    content_type="application/json").json()
    action = api.post(f"{base}/plans/{plan['id']}/actions", {"title": "Kartlägg", "owner": "Analytiker",
                                                             "goal_id": goal["id"], "due": "2025-05-01"},
                      content_type="application/json").json()
    changed = api.patch(f"{base}/plans/{plan['id']}/actions/{action['id']}",
                        {"status": "done", "evidence": "Rapport"}, content_type="application/json").json()
    assert (changed["status"], changed["evidence"], changed["due"]) == ("done", "Rapport", "2025-05-01")
    read = api.get(f"{base}/plans/{plan['id']}").json()
    assert [g["national_goal"] for g in read["goals"]] == ["health"] and read["actions"][0]["status"] == "done"

    templates = api.get(f"{base}/checklist-templates").json()
    started = api.post(f"{base}/checklists", {"template_id": templates[0]["id"], "year": 2025},
                       content_type="application/json").json()
    question = started["answers"][0]["question_id"]
    answered = api.put(f"{base}/checklists/{started['id']}/answers",
                       [{"question_id": question, "answer": "yes", "comment": "Klart"}],
                       content_type="application/json").json()
    assert (answered["answered"], answered["fulfilled"]) == (1, 1)
    assert api.put(f"{base}/checklists/{started['id']}/answers", [{"question_id": question, "answer": "kanske"}],
                   content_type="application/json").status_code == 400

    created = api.post(f"{base}/activities", {"title": "Temadag", "kind": "theme_day", "date": "2025-10-02",
                                              "women": 3, "men": 2, "other": 1},
                       content_type="application/json").json()
    assert created["total"] == 6
    assert [a["title"] for a in api.get(f"{base}/activities", {"year": 2025}).json()] == ["Temadag"]
    assert AuditEvent.objects.filter(organization=org, details__via="api").count() >= 4


def test_the_dashboard_reminds_editors_of_the_yearly_revision(org: Any, members: dict[str, Any],
                                                               client_for: Any) -> None:
    from django.utils import timezone

    plan = ActionPlan.objects.create(owner=org, title="P", start_year=2025, end_year=2030)
    plan.organizations.set([org])
    BoardMeeting.objects.create(organization=org, date=timezone.localdate() + dt.timedelta(days=10))
    dashboard = reverse("front:dashboard", kwargs={"slug": org.slug})
    assert "Dags att revidera handlingsplanen." in client_for(members["admin"]).get(dashboard).content.decode()
    assert 'id="revision-reminder"' not in client_for(members["viewer"]).get(dashboard).content.decode()
    assert 'id="revision-reminder"' in client_for(members["viewer"]).get(url("plans", org)).content.decode()
