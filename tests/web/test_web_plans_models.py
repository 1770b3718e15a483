"""Plans, revisions, the revision reminder, checklists and the report chapter's summaries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from jamkoll.reports.governance import ActivitySummary, ChecklistProgress, PlanProgress
from jamkoll.web.front.models import FindingCase
from jamkoll.web.lib.models import AuditEvent
from jamkoll.web.plans.checklists import (
    ASSESSMENT,
    DISCRIMINATION_GROUNDS,
    PLANNING,
    assessment_checklist_template,
    ensure_shipped_templates,
)
from jamkoll.web.plans.demo import load_plans_demo
from jamkoll.web.plans.models import Action, ActionPlan, Activity, BoardMeeting, ChecklistResponse, Goal
from jamkoll.web.plans.services import adopt_revision, revision_diff, revision_reminder, save_answers
from jamkoll.web.plans.summary import activity_summaries, checklist_progress, plan_progress


def _plan(org: Any, year: int = 2025) -> ActionPlan:
    plan = ActionPlan.objects.create(owner=org, title="Planen", start_year=year, end_year=year + 2)
    plan.organizations.set([org])
    return plan


def test_a_revision_is_a_snapshot_that_cannot_be_changed(org: Any) -> None:
    plan = _plan(org)
    goal = Goal.objects.create(plan=plan, title="Lika resurser", national_goal="economy")
    Action.objects.create(plan=plan, goal=goal, title="Budget per kön", owner="Ekonom", due=dt.date(2025, 6, 30))
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2025, 12, 10))
    first = adopt_revision(plan, meeting, None, note="§ 41")
    plan.actions.update(title="Budget per kvinna och man")
    first.refresh_from_db()
    assert first.number == 1 and first.adopted_on == dt.date(2025, 12, 10)
    assert first.snapshot["actions"][0]["title"] == "Budget per kön", "later edits leave the snapshot alone"
    first.note = "ändrad"
    with pytest.raises(ValidationError):
        first.save()
    assert adopt_revision(plan, meeting, None).number == 2
    assert AuditEvent.objects.filter(action="plan_revised", organization=org).count() == 2


def test_comparing_revisions_names_goals_and_actions_added_removed_and_changed(org: Any) -> None:
    plan = _plan(org)
    kept = Goal.objects.create(plan=plan, title="Makt", national_goal="power")
    removed_goal = Goal.objects.create(plan=plan, title="Hälsa", national_goal="health")
    changed = Action.objects.create(plan=plan, goal=kept, title="Nominera 40/60", owner="Ordförande")
    dropped = Action.objects.create(plan=plan, title="Broschyr", owner="Kommunikatör")
    meeting = BoardMeeting.objects.create(organization=org, date=dt.date(2025, 5, 1))
    adopt_revision(plan, meeting, None)
    removed_goal.delete()
    dropped.delete()
    Goal.objects.create(plan=plan, title="Våld", national_goal="violence")
    Action.objects.create(plan=plan, title="Utbildning", owner="Processledare")
    changed.status = Action.Status.DONE
    changed.due = dt.date(2025, 9, 30)
    changed.save()
    diff = revision_diff(adopt_revision(plan, meeting, None))
    assert [c.title for c in diff.goals_added] == ["Våld"]
    assert [c.title for c in diff.goals_removed] == ["Hälsa"]
    assert [c.title for c in diff.actions_added] == ["Utbildning"]
    assert [c.title for c in diff.actions_removed] == ["Broschyr"]
    assert [(c.title, [f[0] for f in c.fields]) for c in diff.actions_changed] == [
        ("Nominera 40/60", ["klart senast", "status"])]
    assert ("status", "Planerad", "Genomförd") in diff.actions_changed[0].fields
    assert not diff.goals_changed
    assert "Ny åtgärd: Utbildning." in diff.sentences()


@pytest.mark.parametrize(("today", "meetings", "adopted", "want"), [
    (dt.date(2026, 10, 1), [dt.date(2026, 12, 10)], None, None),  # more than 60 days ahead
    (dt.date(2026, 11, 1), [dt.date(2026, 12, 10)], None, "soon"),
    (dt.date(2026, 12, 15), [dt.date(2026, 5, 1), dt.date(2026, 12, 10)], dt.date(2026, 5, 1), "overdue"),
    (dt.date(2026, 12, 15), [dt.date(2026, 12, 10)], dt.date(2026, 12, 10), None),  # adopted at the meeting
    (dt.date(2026, 10, 1), [], None, "no_meeting"),
    (dt.date(2026, 3, 1), [], None, None),
])
def test_the_yearly_revision_reminder(org: Any, today: dt.date, meetings: list[dt.date], adopted: dt.date | None,
                                      want: str | None) -> None:
    plan = _plan(org, 2026)
    for date in meetings:
        meeting = BoardMeeting.objects.create(organization=org, date=date)
        if date == adopted:
            adopt_revision(plan, meeting, None)
    reminder = revision_reminder(org, today)
    assert (reminder.kind if reminder else None) == want


def test_no_reminder_without_a_plan(org: Any) -> None:
    BoardMeeting.objects.create(organization=org, date=dt.date(2026, 12, 10))
    assert revision_reminder(org, dt.date(2026, 12, 20)) is None


def test_shipped_checklists_cover_the_seven_grounds_and_are_copied_once(org: Any) -> None:
    templates = ensure_shipped_templates(org)
    assert [t.key for t in templates] == [PLANNING, ASSESSMENT]
    questions = " ".join(templates[0].questions.values_list("text", flat=True))
    assert len(DISCRIMINATION_GROUNDS) == 7
    for ground in DISCRIMINATION_GROUNDS:
        assert ground in questions, ground
    templates[1].questions.filter(order=1).update(text="Egen formulering?")
    assert assessment_checklist_template(org).questions.filter(text="Egen formulering?").exists(), \
        "an edited template is not overwritten"
    assert len(ensure_shipped_templates(org)) == 2


def test_summaries_for_the_report_chapter(org: Any) -> None:
    plan = _plan(org, 2025)
    goal = Goal.objects.create(plan=plan, title="Lika resurser", national_goal="economy", cemr_articles=["9"])
    Action.objects.create(plan=plan, goal=goal, title="A", owner="X", due=dt.date(2025, 3, 1),
                          status=Action.Status.DONE)
    Action.objects.create(plan=plan, goal=goal, title="B", owner="Y", due=dt.date(2025, 6, 1))
    Action.objects.create(plan=plan, goal=goal, title="C", owner="Z", due=dt.date(2026, 6, 1))
    adopt_revision(plan, BoardMeeting.objects.create(organization=org, date=dt.date(2024, 12, 10)), None)
    Action.objects.create(plan=plan, title="D", owner="W")
    adopt_revision(plan, BoardMeeting.objects.create(organization=org, date=dt.date(2025, 12, 9)), None)
    BoardMeeting.objects.create(organization=org, date=dt.date(2026, 12, 8))

    progress = plan_progress(org, 2025, today=dt.date(2026, 2, 1))
    assert isinstance(progress, PlanProgress)
    assert (progress.revision, progress.adopted_on) == (2, dt.date(2025, 12, 9))
    assert progress.next_revision_due == dt.date(2026, 12, 8)
    assert progress.changes_since_previous == ["Ny åtgärd: D."]
    (g,) = progress.goals
    assert (g.national_goal, g.cemr_articles, g.actions_total, g.actions_done, g.actions_overdue) == \
        ("economy", ["9"], 3, 1, 1)
    assert [a.title for a in progress.actions if a.overdue] == ["B"]
    assert plan_progress(org, 2024, today=dt.date(2026, 2, 1)).revision == 1  # type: ignore[union-attr]

    response = ChecklistResponse.objects.create(template=ensure_shipped_templates(org)[0], organization=org,
                                                year=2025, unit="Kansliet")
    first, second, *_rest = response.template.questions.all()
    save_answers(response, {first.pk: ("yes", ""), second.pk: ("no", "Saknas i dag.")}, None)
    (checklist,) = checklist_progress(org, 2025)
    assert isinstance(checklist, ChecklistProgress)
    assert (checklist.unit, checklist.answered, checklist.total, checklist.fulfilled) == ("Kansliet", 2, 14, 1)
    assert checklist.comments == [(second.text, "Saknas i dag.")]
    assert checklist_progress(org, 2024) == []

    Activity.objects.create(organization=org, title="Temadag", kind="theme_day", date=dt.date(2025, 10, 2),
                            women=31, men=18, other=2)
    Activity.objects.create(organization=org, title="Förra året", date=dt.date(2024, 10, 2), women=1)
    assert activity_summaries(org, 2025) == [ActivitySummary("Temadag", "theme_day", dt.date(2025, 10, 2), 31, 18, 2)]


def test_no_plan_gives_no_progress(org: Any, other_org: Any) -> None:
    _plan(other_org)
    assert plan_progress(org, 2025) is None


def test_the_demo_governance(org: Any, make_org: Any, members: dict[str, Any]) -> None:
    partner = make_org("Partner")
    org.partners.add(partner)
    case = FindingCase.objects.create(organization=org, finding_id="component:INS01:praktik", year=2025,
                                      dimension="component", category="praktik", explanation="x")
    plan = load_plans_demo(org, {"admin": members["admin"], "analytiker": members["analyst"]})
    assert plan is not None
    assert set(plan.organizations.all()) == {org, partner}
    assert list(plan.revisions.values_list("number", flat=True)) == [1, 2]
    assert not revision_diff(plan.revisions.get(number=2)).empty
    assert case in plan.actions.get(title__startswith="Erbjud").findings.all()
    assert ChecklistResponse.objects.filter(organization=org).count() == 2
    assert all(0 < c.answered < c.total for y in (2025, 2026, dt.date.today().year - 1, dt.date.today().year)
               for c in checklist_progress(org, y))
    assert Activity.objects.filter(organization=org, other__isnull=False).exists()
    assert org.library_items.exclude(stored_name="").count() == 1
    assert load_plans_demo(org, {}) is None, "running it again changes nothing"
