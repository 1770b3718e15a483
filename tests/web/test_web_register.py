"""The findings register: cases from the analysis, recurrence, justification, actions, comments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from jamkoll.web.accounts.models import Intervention
from jamkoll.web.front.models import FindingCase, FindingComment, FindingEvent
from jamkoll.web.front.register import CaseError, change_status, update_findings
from jamkoll.web.lib.models import AuditEvent

from .html_checks import check_page


@pytest.fixture
def cases(planted_org: Any, planted_members: dict[str, Any]) -> list[FindingCase]:
    """The register after an update for 2025 (INS05's planted difference first), plus a case of INS02 (the
    reporter's intervention) made by hand, so the flows do not depend on what else the analysis flags."""
    update_findings(planted_org, 2025, planted_members["analyst"])
    FindingCase.objects.create(
        organization=planted_org, finding_id="component:INS02:arbetsgivarkontakt", year=2025,
        intervention=Intervention.objects.get(organization=planted_org, intervention_id="INS02"),
        dimension="component", category="arbetsgivarkontakt", explanation="Män erbjöds arbetsgivarkontakt oftare.")
    first = case_of(planted_org, "participation:INS05:share_of_women", 2025)
    return [first, *FindingCase.objects.filter(organization=planted_org).exclude(pk=first.pk)]


def case_of(org: Any, finding_id: str, year: int) -> FindingCase:
    return FindingCase.objects.get(organization=org, finding_id=finding_id, year=year)


def test_update_creates_a_case_per_unjustified_finding_idempotently(
        planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    client = client_for(planted_members["analyst"])
    url = reverse("front:findings_update", args=[planted_org.slug])
    first = client.post(url, {"update-year": "2024"})
    assert first.status_code == 302 and first.url.endswith("?year=2024")
    created_2024 = FindingCase.objects.filter(organization=planted_org, year=2024).count()
    assert created_2024 > 0
    client.post(url, {"update-year": "2025"})
    again = client.post(url, {"update-year": "2025"}, follow=True)
    assert "0 nya fynd" in again.content.decode()
    assert FindingCase.objects.filter(organization=planted_org, year=2024).count() == created_2024

    # INS05's low share of women is planted in both years: the 2025 case points to the 2024 one.
    later = case_of(planted_org, "participation:INS05:share_of_women", 2025)
    assert later.previous == case_of(planted_org, "participation:INS05:share_of_women", 2024)
    assert later.intervention is not None and later.intervention.intervention_id == "INS05"
    assert "Kvinnor är underrepresenterade" in later.explanation
    assert later.finding["status"] == "unjustified"
    assert list(later.events.values_list("kind", flat=True)) == ["created", "recurred"]
    assert AuditEvent.objects.filter(action="findings_updated", organization=planted_org).count() == 3

    page = client.get(reverse("front:findings", args=[planted_org.slug])).content.decode()
    assert check_page(page) == []
    assert "återkommande" in page
    detail = client.get(reverse("front:case", args=[planted_org.slug, later.pk])).content.decode()
    assert check_page(detail) == []
    assert 'id="recurrence"' in detail and ">2024</a>" in detail


def test_justifying_requires_a_reason_tied_to_the_field(
        planted_org: Any, planted_members: dict[str, Any], cases: list[FindingCase], client_for: Any) -> None:
    case = cases[0]
    client = client_for(planted_members["analyst"])
    url = reverse("front:case_close", args=[planted_org.slug, case.pk])
    response = client.post(url, {"decision": "justified", "justification": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert check_page(html) == []
    assert 'aria-describedby="id_justification_helptext id_justification_error"' in html
    assert "Skriv varför skillnaden är motiverad." in html
    case.refresh_from_db()
    assert case.status == "open"

    response = client.post(url, {"decision": "justified", "justification": "Målgruppen skiljer sig åt."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "justified" and case.justification == "Målgruppen skiljer sig åt."
    event = case.events.get(kind="status")
    assert (event.from_status, event.to_status, event.user) == ("open", "justified", planted_members["analyst"])
    assert AuditEvent.objects.filter(action="case_changed", object_id=str(case.pk)).exists()

    reopened = client.post(reverse("front:case_reopen", args=[planted_org.slug, case.pk]),
                           {"reopen-note": "Ny information"})
    assert reopened.status_code == 302
    case.refresh_from_db()
    assert case.status == "open"
    assert case.events.filter(kind="status").last().details["note"] == "Ny information"  # type: ignore[union-attr]


def test_an_action_needs_what_who_and_when_and_overdue_actions_stand_out(
        planted_org: Any, planted_members: dict[str, Any], cases: list[FindingCase], client_for: Any) -> None:
    case = cases[0]
    client = client_for(planted_members["admin"])
    url = reverse("front:case_close", args=[planted_org.slug, case.pk])
    html = client.post(url, {"decision": "action_planned"}).content.decode()
    for field in ("action_what", "action_who", "action_due"):
        assert f'id="id_{field}_error"' in html
    yesterday = dt.date.today() - dt.timedelta(days=1)
    response = client.post(url, {"decision": "action_planned", "action_what": "Se över anvisningen",
                                 "action_who": "Förbundschefen", "action_due": yesterday.isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "action_planned" and case.overdue

    listing = client.get(reverse("front:findings", args=[planted_org.slug])).content.decode()
    assert f'<li class="case-card overdue" id="case-{case.pk}">' in listing and "Försenad" in listing
    only_overdue = client.get(reverse("front:findings", args=[planted_org.slug]) + "?overdue=on").content.decode()
    assert only_overdue.count('class="case-card') == only_overdue.count('class="case-card overdue"') == 1

    client.post(reverse("front:case_done", args=[planted_org.slug, case.pk]), {"done-note": "Klart i mars"})
    case.refresh_from_db()
    assert case.status == "done" and not case.overdue


def test_viewers_comment_but_do_not_decide(planted_org: Any, planted_members: dict[str, Any],
                                           cases: list[FindingCase], client_for: Any) -> None:
    case = cases[0]
    client = client_for(planted_members["viewer"])
    page = client.get(reverse("front:case", args=[planted_org.slug, case.pk])).content.decode()
    assert check_page(page) == []
    assert 'id="comment-form"' in page and 'id="close-form"' not in page
    response = client.post(reverse("front:case_comment", args=[planted_org.slug, case.pk]),
                           {"text": "Styrgruppen vill veta mer."})
    assert response.status_code == 302
    comment = FindingComment.objects.get(case=case)
    assert comment.author == planted_members["viewer"]
    assert FindingEvent.objects.filter(case=case, kind="comment").exists()
    denied = client.post(reverse("front:case_close", args=[planted_org.slug, case.pk]),
                         {"decision": "justified", "justification": "x"})
    assert denied.status_code == 403
    case.refresh_from_db()
    assert case.status == "open"
    empty = client.post(reverse("front:case_comment", args=[planted_org.slug, case.pk]), {"text": ""})
    assert empty.status_code == 400 and 'id="id_text_error"' in empty.content.decode()


def test_reporters_see_the_cases_of_their_interventions_only(
        planted_org: Any, planted_members: dict[str, Any], cases: list[FindingCase], client_for: Any) -> None:
    client = client_for(planted_members["reporter"])  # INS02
    html = client.get(reverse("front:findings", args=[planted_org.slug])).content.decode()
    shown = {c.pk for c in cases if f'id="case-{c.pk}"' in html}
    expected = {c.pk for c in cases if c.intervention and c.intervention.intervention_id == "INS02"}
    assert shown == expected and expected
    hidden = next(c for c in cases if c.pk not in expected)
    assert client.get(reverse("front:case", args=[planted_org.slug, hidden.pk])).status_code == 403


def test_status_rules(planted_org: Any, planted_members: dict[str, Any], cases: list[FindingCase]) -> None:
    case = cases[0]
    user = planted_members["analyst"]
    with pytest.raises(CaseError) as error:
        change_status(case, user, "done")
    assert "status" in error.value.errors
    with pytest.raises(CaseError):
        change_status(case, user, "bogus")
    change_status(case, user, "justified", justification="Behov")
    with pytest.raises(CaseError):
        change_status(case, user, "action_planned", action_what="x", action_who="y", action_due=dt.date.today())


def test_a_case_reads_in_the_reader_s_language(cases: list[FindingCase]) -> None:
    """The stored finding is written in words by reports.explain in the active language, so English
    pages show English findings; the Swedish snapshot stays for search and the admin."""
    from django.utils import translation

    case = cases[0]
    assert case.explanation.startswith("Kvinnor är underrepresenterade")
    with translation.override("sv"):
        assert case.description.startswith("Kvinnor är underrepresenterade")
    with translation.override("en"):
        assert case.description.startswith("Women are under-represented")
    made_by_hand = next(c for c in cases if not c.finding)
    with translation.override("en"):
        assert made_by_hand.description == made_by_hand.explanation
