"""The API of action plans, checklists and activities: ``/api/orgs/{slug}/plans``, ``…/checklists``,
``…/activities``. The same permission functions as the pages decide (:mod:`jamkoll.web.plans.permissions`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from jamkoll.reports.governance import NATIONAL_GOALS
from jamkoll.web.accounts.models import Organization
from jamkoll.web.lib import permissions as lib_perm
from jamkoll.web.lib.params import Year

from . import permissions as perm
from .charter import CEMR_ARTICLES
from .checklists import ensure_shipped_templates, response_progress
from .models import Action, ActionPlan, Activity, ChecklistAnswer, ChecklistResponse, Goal, PlanRevision
from .services import ACTIVITY_CHANGED, CHECKLIST_CHANGED, PLAN_CHANGED, record, revision_diff, save_answers

router = Router()


def _org(request: HttpRequest, slug: str) -> Organization:
    return lib_perm.organization_for(request.user, slug)[0]


class Error(Schema):
    detail: str


# -- plans ----------------------------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    title: str
    description: str
    national_goal: str
    cemr_articles: list[str]


class ActionOut(Schema):
    id: int
    title: str
    goal_id: int | None
    owner: str
    due: dt.date | None
    status: str
    evidence: str
    overdue: bool
    findings: list[str]  # finding ids of this organisation's register


class RevisionOut(Schema):
    number: int
    adopted_on: dt.date
    meeting: str
    note: str
    changes: list[str]


class PlanOut(Schema):
    id: int
    title: str
    description: str
    start_year: int
    end_year: int
    owner: str
    organizations: list[str]
    goals: list[GoalOut]
    actions: list[ActionOut]
    revisions: list[RevisionOut]


class PlanIn(Schema):
    title: str
    description: str = ""
    start_year: int
    end_year: int


class GoalIn(Schema):
    title: str
    description: str = ""
    national_goal: str
    cemr_articles: list[str] = []


class ActionIn(Schema):
    title: str
    owner: str
    goal_id: int | None = None
    due: dt.date | None = None
    status: str = "planned"
    evidence: str = ""


class ActionPatch(Schema):
    title: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    status: str | None = None
    evidence: str | None = None


def _revision_out(revision: PlanRevision) -> RevisionOut:
    return RevisionOut(number=revision.number, adopted_on=revision.adopted_on, meeting=str(revision.meeting),
                       note=revision.note, changes=revision_diff(revision).sentences())


def _action_out(action: Action, org: Organization) -> ActionOut:
    return ActionOut(id=action.pk, title=action.title, goal_id=action.goal_id, owner=action.owner, due=action.due,
                     status=action.status, evidence=action.evidence, overdue=action.overdue,
                     findings=[c.finding_id for c in action.findings.all() if c.organization_id == org.pk])


def _plan_out(plan: ActionPlan, org: Organization) -> PlanOut:
    return PlanOut(
        id=plan.pk, title=plan.title, description=plan.description, start_year=plan.start_year,
        end_year=plan.end_year, owner=plan.owner.slug,
        organizations=sorted(plan.organizations.values_list("slug", flat=True)),
        goals=[GoalOut(id=g.pk, title=g.title, description=g.description, national_goal=g.national_goal,
                       cemr_articles=[str(n) for n in g.cemr_articles]) for g in plan.goals.all()],
        actions=[_action_out(a, org) for a in plan.actions.prefetch_related("findings")],
        revisions=[_revision_out(r) for r in plan.revisions.select_related("meeting").order_by("number")],
    )


def _plan(request: HttpRequest, org: Organization, plan_id: int) -> ActionPlan:
    return get_object_or_404(perm.visible_plans(request.user, org), pk=plan_id)


def _invalid(detail: str) -> Status[Any]:
    return Status(400, Error(detail=detail))


@router.get("/orgs/{slug}/plans", response=list[PlanOut], tags=["handlingsplaner"])
def list_plans(request: HttpRequest, slug: str) -> list[PlanOut]:
    """The organisation's action plans (its own and those partners share with it): goals, actions, revisions."""
    org = _org(request, slug)
    lib_perm.require(perm.can_view_plans(request.user, org))
    return [_plan_out(p, org) for p in perm.visible_plans(request.user, org)]


@router.post("/orgs/{slug}/plans", response={201: PlanOut, 400: Error}, tags=["handlingsplaner"])
def create_plan(request: HttpRequest, slug: str, payload: PlanIn) -> Status[Any]:
    org = _org(request, slug)
    lib_perm.require(perm.can_edit_plans(request.user, org))
    if not payload.title.strip() or not 2000 <= payload.start_year <= payload.end_year <= 2100:
        return _invalid("Ange ett namn och en period där startåret inte är efter slutåret.")
    with transaction.atomic():
        plan = ActionPlan.objects.create(owner=org, title=payload.title.strip()[:200],
                                         description=payload.description, start_year=payload.start_year,
                                         end_year=payload.end_year)
        plan.organizations.set([org])
        record(request, PLAN_CHANGED, org, plan, "created", via="api")
    return Status(201, _plan_out(plan, org))


@router.get("/orgs/{slug}/plans/{plan_id}", response=PlanOut, tags=["handlingsplaner"])
def get_plan(request: HttpRequest, slug: str, plan_id: int) -> PlanOut:
    org = _org(request, slug)
    return _plan_out(_plan(request, org, plan_id), org)


@router.post("/orgs/{slug}/plans/{plan_id}/goals", response={201: GoalOut, 400: Error}, tags=["handlingsplaner"])
def create_goal(request: HttpRequest, slug: str, plan_id: int, payload: GoalIn) -> Status[Any]:
    """Add a goal: ``national_goal`` is one of power, economy, education, care, health, violence."""
    org = _org(request, slug)
    plan = _plan(request, org, plan_id)
    lib_perm.require(perm.can_edit_plans(request.user, org))
    if not payload.title.strip() or payload.national_goal not in NATIONAL_GOALS:
        return _invalid(f"Ange en titel och ett av delmålen: {', '.join(NATIONAL_GOALS)}.")
    if any(a not in CEMR_ARTICLES for a in payload.cemr_articles):
        return _invalid("CEMR-artiklarna är numrerade 1–30.")
    goal = Goal.objects.create(plan=plan, title=payload.title.strip()[:300], description=payload.description,
                               national_goal=payload.national_goal, cemr_articles=payload.cemr_articles,
                               order=plan.goals.count() + 1)
    record(request, PLAN_CHANGED, org, goal, "created", plan=plan.pk, via="api")
    return Status(201, GoalOut(id=goal.pk, title=goal.title, description=goal.description,
                               national_goal=goal.national_goal, cemr_articles=goal.cemr_articles))


def _check_action(status: str | None, title: str | None, owner: str | None) -> str | None:
    if status is not None and status not in Action.Status.values:
        return f"Status ska vara en av: {', '.join(Action.Status.values)}."
    if (title is not None and not title.strip()) or (owner is not None and not owner.strip()):
        return "Ange åtgärd och ansvarig."
    return None


@router.post("/orgs/{slug}/plans/{plan_id}/actions", response={201: ActionOut, 400: Error}, tags=["handlingsplaner"])
def create_action(request: HttpRequest, slug: str, plan_id: int, payload: ActionIn) -> Status[Any]:
    org = _org(request, slug)
    plan = _plan(request, org, plan_id)
    lib_perm.require(perm.can_edit_plans(request.user, org))
    problem = _check_action(payload.status, payload.title, payload.owner)
    if problem:
        return _invalid(problem)
    goal = None
    if payload.goal_id is not None:
        goal = Goal.objects.filter(plan=plan, pk=payload.goal_id).first()
        if goal is None:
            return _invalid("Målet finns inte i planen.")
    action = Action.objects.create(plan=plan, goal=goal, title=payload.title.strip()[:300],
                                   owner=payload.owner.strip()[:200], due=payload.due, status=payload.status,
                                   evidence=payload.evidence)
    record(request, PLAN_CHANGED, org, action, "created", plan=plan.pk, via="api")
    return Status(201, _action_out(action, org))


@router.patch("/orgs/{slug}/plans/{plan_id}/actions/{action_id}", response={200: ActionOut, 400: Error},
              tags=["handlingsplaner"])
def update_action(request: HttpRequest, slug: str, plan_id: int, action_id: int,
                  payload: ActionPatch) -> Status[Any]:
    """Change an action: any of title, owner, due, status (planned, ongoing, done, cancelled), evidence."""
    org = _org(request, slug)
    plan = _plan(request, org, plan_id)
    action = get_object_or_404(Action, plan=plan, pk=action_id)
    lib_perm.require(perm.can_edit_plans(request.user, org))
    changes = payload.dict(exclude_unset=True)
    problem = _check_action(changes.get("status"), changes.get("title"), changes.get("owner"))
    if problem:
        return _invalid(problem)
    for name, value in changes.items():
        setattr(action, name, value.strip() if isinstance(value, str) and name in ("title", "owner") else value)
    action.save()
    record(request, PLAN_CHANGED, org, action, "changed", plan=plan.pk, fields=sorted(changes), via="api")
    return Status(200, _action_out(action, org))


# -- checklists -----------------------------------------------------------------------------------


class AnswerOut(Schema):
    question_id: int
    section: str
    question: str
    answer: str
    comment: str


class ChecklistOut(Schema):
    id: int
    title: str
    unit: str
    year: int
    answered: int
    total: int
    fulfilled: int
    answers: list[AnswerOut]


class AnswerIn(Schema):
    question_id: int
    answer: str = ""
    comment: str = ""


def _checklist_out(response: ChecklistResponse) -> ChecklistOut:
    progress = response_progress(response)
    existing = {a.question_id: a for a in ChecklistAnswer.objects.filter(response=response)}
    answers = []
    for q in response.template.questions.all():
        answer = existing.get(q.pk)
        answers.append(AnswerOut(question_id=q.pk, section=q.section, question=q.text,
                                 answer=answer.answer if answer else "", comment=answer.comment if answer else ""))
    return ChecklistOut(id=response.pk, title=response.template.title, unit=response.unit, year=response.year,
                        answered=progress.answered, total=progress.total, fulfilled=progress.fulfilled,
                        answers=answers)


@router.get("/orgs/{slug}/checklists", response=list[ChecklistOut], tags=["checklistor"])
def list_checklists(request: HttpRequest, slug: str, year: Year | None = None) -> list[ChecklistOut]:
    """The organisation's answered checklists (of a year, or all), with progress and every answer."""
    org = _org(request, slug)
    lib_perm.require(perm.can_view_governance(request.user, org))
    responses = ChecklistResponse.objects.filter(organization=org).select_related("template")
    if year:
        responses = responses.filter(year=year)
    return [_checklist_out(r) for r in responses]


@router.get("/orgs/{slug}/checklists/{checklist_id}", response=ChecklistOut, tags=["checklistor"])
def get_checklist(request: HttpRequest, slug: str, checklist_id: int) -> ChecklistOut:
    org = _org(request, slug)
    response = get_object_or_404(ChecklistResponse, organization=org, pk=checklist_id)
    lib_perm.require(perm.can_view_governance(request.user, org))
    return _checklist_out(response)


@router.put("/orgs/{slug}/checklists/{checklist_id}/answers", response={200: ChecklistOut, 400: Error},
            tags=["checklistor"])
def answer_checklist(request: HttpRequest, slug: str, checklist_id: int,
                     payload: list[AnswerIn]) -> Status[Any]:
    """Set answers: ``answer`` is yes, partly, no, not_applicable or empty (not answered). Questions not
    listed keep their answers."""
    org = _org(request, slug)
    response = get_object_or_404(ChecklistResponse, organization=org, pk=checklist_id)
    lib_perm.require(perm.can_edit_governance(request.user, org))
    allowed = {"", *ChecklistAnswer.Answer.values}
    if any(a.answer not in allowed for a in payload):
        return _invalid(f"Svaret ska vara ett av: {', '.join(sorted(allowed - {''}))} eller tomt.")
    questions = set(response.template.questions.values_list("pk", flat=True))
    if any(a.question_id not in questions for a in payload):
        return _invalid("Frågan finns inte i checklistan.")
    save_answers(response, {a.question_id: (a.answer, a.comment.strip()) for a in payload}, request.user, request)
    return Status(200, _checklist_out(response))


class ChecklistStart(Schema):
    template_id: int
    year: int
    unit: str = ""


@router.post("/orgs/{slug}/checklists", response={201: ChecklistOut, 400: Error}, tags=["checklistor"])
def start_checklist(request: HttpRequest, slug: str, payload: ChecklistStart) -> Status[Any]:
    """Start answering a checklist template (see the ids in ``GET …/checklist-templates``) for a unit and year."""
    org = _org(request, slug)
    lib_perm.require(perm.can_edit_governance(request.user, org))
    ensure_shipped_templates(org)
    template = org.checklist_templates.filter(pk=payload.template_id).first()
    if template is None or not 2000 <= payload.year <= 2100:
        return _invalid("Ange en checklista och ett år.")
    response, created = ChecklistResponse.objects.get_or_create(template=template, organization=org,
                                                                unit=payload.unit.strip()[:200], year=payload.year)
    if not created:
        return _invalid("Checklistan är redan påbörjad för den enheten och det året.")
    record(request, CHECKLIST_CHANGED, org, response, "started", via="api")
    return Status(201, _checklist_out(response))


class TemplateOut(Schema):
    id: int
    title: str
    questions: list[str]


@router.get("/orgs/{slug}/checklist-templates", response=list[TemplateOut], tags=["checklistor"])
def list_templates(request: HttpRequest, slug: str) -> list[TemplateOut]:
    """The organisation's checklist templates (the shipped ones are copied in on an editor's first use)."""
    org = _org(request, slug)
    lib_perm.require(perm.can_view_governance(request.user, org))
    if perm.can_edit_governance(request.user, org):
        ensure_shipped_templates(org)
    return [TemplateOut(id=t.pk, title=t.title, questions=[q.text for q in t.questions.all()])
            for t in org.checklist_templates.prefetch_related("questions")]


# -- activities -----------------------------------------------------------------------------------


class ActivityIn(Schema):
    title: str
    kind: str = "other"
    date: dt.date
    description: str = ""
    women: int | None = None
    men: int | None = None
    other: int | None = None


class ActivityOut(ActivityIn):
    id: int
    total: int | None


def _activity_out(a: Activity) -> ActivityOut:
    return ActivityOut(id=a.pk, title=a.title, kind=a.kind, date=a.date, description=a.description, women=a.women,
                       men=a.men, other=a.other, total=a.total)


@router.get("/orgs/{slug}/activities", response=list[ActivityOut], tags=["aktiviteter"])
def list_activities(request: HttpRequest, slug: str, year: Year | None = None) -> list[ActivityOut]:
    """Events and trainings with participants by sex (women, men, other or unknown)."""
    org = _org(request, slug)
    lib_perm.require(perm.can_view_governance(request.user, org))
    items = Activity.objects.filter(organization=org)
    if year:
        items = items.filter(date__year=year)
    return [_activity_out(a) for a in items]


@router.post("/orgs/{slug}/activities", response={201: ActivityOut, 400: Error}, tags=["aktiviteter"])
def create_activity(request: HttpRequest, slug: str, payload: ActivityIn) -> Status[Any]:
    org = _org(request, slug)
    lib_perm.require(perm.can_edit_governance(request.user, org))
    counts = (payload.women, payload.men, payload.other)
    if not payload.title.strip() or payload.kind not in Activity.Kind.values or any(
            n is not None and n < 0 for n in counts):
        return _invalid(f"Ange namn, typ ({', '.join(Activity.Kind.values)}) och antal som inte är negativa.")
    item = Activity.objects.create(organization=org, title=payload.title.strip()[:300], kind=payload.kind,
                                   date=payload.date, description=payload.description, women=payload.women,
                                   men=payload.men, other=payload.other)
    record(request, ACTIVITY_CHANGED, org, item, "created", via="api")
    return Status(201, _activity_out(item))

