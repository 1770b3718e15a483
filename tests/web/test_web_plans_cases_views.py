"""Board cases: a case with its gender-impact assessment (guided by the organisation's editable template),
links to an application, a finding and a plan revision, the minutes listing every assessment, and the
share of assessed cases in the yearly report's governance chapter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from jamkoll.reports.governance_section import governance_section
from jamkoll.reports.model import Paragraph, Section
from jamkoll.web.front.governance import governance_summary
from jamkoll.web.front.models import FindingCase
from jamkoll.web.funding.models import Application
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.plans.case_models import BoardCase
from jamkoll.web.plans.cases import case_assessment_share
from jamkoll.web.plans.models import ActionPlan, BoardMeeting
from jamkoll.web.plans.services import adopt_revision

from .html_checks import check_page

ASSESSMENT = {"affected": "Deltagarna i insatsen", "women_men": "Män får praktik oftare än kvinnor",
              "data": "Fyndregistret 2025", "conclusion": "Praktikplatserna fördelas efter behov"}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"front:plans:{name}", kwargs={"slug": org.slug, **kwargs})


def _texts(section: Section) -> list[str]:
    found = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    for sub in section.subsections:
        found += _texts(sub)
    return found


def test_a_case_with_its_assessment_and_links_in_the_minutes(org: Any, other_org: Any,
                                                              members: dict[str, Any]) -> None:
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 5, 21))
    plan = ActionPlan.objects.create(owner=org, title="Handlingsplanen", start_year=2026, end_year=2027)
    plan.organizations.set([org])
    revision = adopt_revision(plan, meeting, None)
    finding = FindingCase.objects.create(organization=org, finding_id="component:INS01:praktik", year=2025,
                                         dimension="component", category="praktik", explanation="Skillnad")
    application = Application.objects.create(organization=org, title="Projekt Jämlik väg", applicant="Kommunen",
                                             year=2026, problem_analysis="p", followup_plan="f", budget_sek=100,
                                             budget_reach="b")
    foreign = FindingCase.objects.create(organization=other_org, finding_id="component:X:praktik", year=2025,
                                         dimension="component", category="praktik", explanation="Annan")
    client = _client(members["analyst"])
    page = client.get(_url("board_case_new", org, pk=meeting.pk))
    html = page.content.decode()
    assert page.status_code == 200 and not check_page(html)
    assert "Påverkas kvinnor och män, flickor och pojkar olika?" in html  # the template's guidance
    assert "component:X:praktik" not in html  # another organisation's finding is not offered
    refused = client.post(_url("board_case_new", org, pk=meeting.pk), {"number": 1, "title": "X",
                                                                     "finding": foreign.pk})
    assert refused.status_code == 400 and not BoardCase.objects.exists()

    response = client.post(_url("board_case_new", org, pk=meeting.pk), {
        "number": 18, "title": "Revidering av handlingsplanen", "decision": "Styrelsen antar planen.",
        "application": application.pk, "finding": finding.pk, "revision": revision.pk, **ASSESSMENT})
    case = BoardCase.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#case-{case.pk}")
    assert case.has_assessment and case.assessed_by == members["analyst"] and case.assessed is not None
    client.post(_url("board_case_new", org, pk=meeting.pk), {"number": 19, "title": "Val av firmatecknare"})
    unassessed = BoardCase.objects.get(number=19)
    assert not unassessed.has_assessment and unassessed.assessed is None
    assert AuditEvent.objects.filter(action="board_case_changed").count() == 2

    minutes = _client(members["reporter"]).get(_url("minutes", org, pk=meeting.pk))
    html = minutes.content.decode()
    assert minutes.status_code == 200 and not check_page(html)
    assert "1 av 2 ärenden har en jämställdhetsbedömning" in html
    for text in ASSESSMENT.values():
        assert text in html
    assert "Ärendet saknar jämställdhetsbedömning" in html
    assert "Projekt Jämlik väg" in html and "component:INS01:praktik" in html and "revision 1" in html
    meetings = _client(members["viewer"]).get(_url("meetings", org)).content.decode()
    assert "2 (1)" in meetings  # cases (assessed)


def test_the_organisation_edits_its_template(org: Any, members: dict[str, Any]) -> None:
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 2, 1))
    client = _client(members["admin"])
    assert "Vilka berörs av beslutet" in client.get(_url("assessment_template", org)).content.decode()
    response = client.post(_url("assessment_template", org), {
        "intro": "Vår mall.", "affected_help": "Vilka invånare berörs?", "women_men_help": "Kvinnor och män?",
        "data_help": "Vilken statistik?", "conclusion_help": "Slutsats?"})
    assert response.status_code == 302
    html = client.get(_url("board_case_new", org, pk=meeting.pk)).content.decode()
    assert "Vilka invånare berörs?" in html and "Vår mall." in html


def test_viewers_read_and_others_are_refused(org: Any, other_org: Any, members: dict[str, Any]) -> None:
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 2, 1))
    case = BoardCase.objects.create(meeting=meeting, title="Budget", **ASSESSMENT)
    viewer = _client(members["viewer"])
    assert viewer.get(_url("minutes", org, pk=meeting.pk)).status_code == 200
    assert viewer.post(_url("board_case_new", org, pk=meeting.pk), {"title": "Nytt"}).status_code == 403
    assert viewer.post(_url("board_case_delete", org, pk=meeting.pk, case_pk=case.pk)).status_code == 403
    assert _client(members["outsider"]).get(_url("minutes", org, pk=meeting.pk)).status_code == 404
    foreign = BoardMeeting.objects.create(organization=other_org, date=dt.date(2026, 2, 1))
    assert _client(members["admin"]).get(_url("minutes", org, pk=foreign.pk)).status_code == 404
    # A meeting with cases is not deleted with them.
    _client(members["admin"]).post(_url("meeting_delete", org, pk=meeting.pk))
    assert BoardCase.objects.filter(pk=case.pk).exists()


def test_the_report_states_the_share_of_assessed_cases(org: Any) -> None:
    assert case_assessment_share(org, 2026) is None
    spring = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 2, 19))
    autumn = BoardMeeting.objects.create(organization=org, date=dt.date(2026, 9, 17))
    earlier = BoardMeeting.objects.create(organization=org, date=dt.date(2025, 12, 11))
    BoardCase.objects.create(meeting=spring, title="Budget", **ASSESSMENT)
    BoardCase.objects.create(meeting=spring, title="Firmatecknare")
    BoardCase.objects.create(meeting=autumn, title="Ansökan", **ASSESSMENT)
    BoardCase.objects.create(meeting=autumn, title="Halvt bedömd", affected="Alla")  # no conclusion
    BoardCase.objects.create(meeting=earlier, title="Förra året", **ASSESSMENT)
    share = case_assessment_share(org, 2026)
    assert share is not None and (share.total, share.assessed, share.meetings) == (4, 2, 2) and share.share == 0.5

    summary = governance_summary(org, 2026)
    assert summary.board_cases == share
    sv = " ".join(_texts(governance_section(summary, "sv", 5)))
    assert "Styrelsen behandlade 4 ärenden vid 2 möten under året. 2 av dem (50\u00a0%) hade en " \
           "jämställdhetsbedömning" in sv
    en = " ".join(_texts(governance_section(summary, "en", 5)))
    assert "2 of them (50\u00a0%) carried a gender-impact assessment" in en
    none = " ".join(_texts(governance_section(governance_summary(org, 2024), "sv", 5)))
    assert "Inga ärenden på styrelsens dagordningar är registrerade för året." in none
