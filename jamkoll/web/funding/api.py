"""The funding part of the REST API (mounted at ``/api/funding/``): applications, their assessment
and decision, goal follow-up and the budget by sex. Same permission functions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from jamkoll.reports.goals import indicator_label
from jamkoll.web.accounts.models import Intervention, Organization
from jamkoll.web.lib import permissions as perm
from jamkoll.web.lib.params import Year

from . import permissions as fperm
from . import services
from .forms import ApplicationForm, AssessmentForm, DecisionForm, GoalFormSet
from .models import Application

router = Router(tags=["ansökningar och budget"])


class GoalIn(Schema):
    indicator: str = ""
    parameter: str = ""
    unit: str = ""
    baseline_women: float | None = None
    baseline_men: float | None = None
    target_women: float | None = None
    target_men: float | None = None
    year: int | None = None
    description: str = ""


class ApplicationIn(Schema):
    title: str
    applicant: str
    intervention: str | None = None
    year: int
    problem_analysis: str
    followup_plan: str
    budget_sek: int
    budget_reach: str
    goals: list[GoalIn]
    submit: bool = False


class GoalOut(Schema):
    indicator: str
    parameter: str
    unit: str
    baseline_women: float
    baseline_men: float
    target_women: float
    target_men: float
    year: int
    description: str


class AssessmentOut(Schema):
    gender_marker: int
    checklist: dict[str, bool]
    comment: str
    assessed_at: dt.datetime
    assessed_by: str | None


class ApplicationOut(Schema):
    id: int
    title: str
    applicant: str
    intervention: str | None
    year: int
    status: str
    problem_analysis: str
    followup_plan: str
    budget_sek: int
    budget_reach: str
    goals: list[GoalOut]
    assessments: list[AssessmentOut]
    decided_on: dt.date | None
    decided_by: str


class AssessmentIn(Schema):
    gender_marker: int
    problem_by_sex: bool = False
    goals_measurable: bool = False
    followup_by_sex: bool = False
    budget_by_sex: bool = False
    target_group: bool = False
    comment: str = ""


class DecisionIn(Schema):
    decision: str
    decided_on: dt.date
    decided_by: str
    intervention: str | None = None
    note: str = ""


class FormErrors(Schema):
    detail: str
    errors: dict[str, Any]


class FollowUpOut(Schema):
    indicator: str
    label: str
    unit: str
    year: int
    baseline_women: float
    baseline_men: float
    target_women: float
    target_men: float
    actual_women: float | None
    actual_men: float | None
    actual_other: float | None
    withheld: list[str]
    met_women: bool | None
    met_men: bool | None


class BudgetLineOut(Schema):
    intervention: str | None
    name: str
    budget_sek: float
    basis: str
    women_sek: float | None
    men_sek: float | None
    other_sek: float | None
    women_share: float | None
    target_women_share: float | None


class BudgetOut(Schema):
    organization: str
    year: int
    lines: list[BudgetLineOut]
    total: BudgetLineOut | None


def _out(app: Application) -> ApplicationOut:
    return ApplicationOut(
        id=app.pk, title=app.title, applicant=app.applicant,
        intervention=app.intervention.intervention_id if app.intervention else None, year=app.year,
        status=app.status, problem_analysis=app.problem_analysis, followup_plan=app.followup_plan,
        budget_sek=app.budget_sek, budget_reach=app.budget_reach,
        goals=[GoalOut(indicator=g.indicator, parameter=g.parameter, unit=g.unit, baseline_women=g.baseline_women,
                       baseline_men=g.baseline_men, target_women=g.target_women, target_men=g.target_men,
                       year=g.year, description=g.description) for g in app.goals.all()],
        assessments=[AssessmentOut(gender_marker=a.gender_marker, comment=a.comment, assessed_at=a.assessed_at,
                                   assessed_by=a.assessed_by.get_username() if a.assessed_by else None,
                                   checklist={name: bool(getattr(a, name)) for name in a.CHECKLIST})
                     for a in app.assessments.select_related("assessed_by")],
        decided_on=app.decided_on, decided_by=app.decided_by,
    )


def _org(request: HttpRequest, slug: str) -> Organization:
    return perm.organization_for(request.user, slug)[0]


def _application(request: HttpRequest, org: Organization, application_id: int) -> Application:
    app = get_object_or_404(Application.objects.select_related("intervention"), organization=org,
                            pk=application_id)
    perm.require(fperm.can_view_application(request.user, org, app))
    return app


def _errors(*forms: Any) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for form in forms:
        if hasattr(form, "forms"):  # a formset: goals[i].field
            for i, sub in enumerate(form.forms):
                for name, messages in sub.errors.items():
                    errors[f"goals[{i}].{name}"] = " ".join(messages)
            for message in form.non_form_errors():
                errors.setdefault("goals", message)
        else:
            for name, messages in form.errors.items():
                errors[name] = " ".join(messages)
    return errors


@router.get("/orgs/{slug}/applications", response=list[ApplicationOut])
def list_applications(request: HttpRequest, slug: str) -> list[ApplicationOut]:
    """The applications the user may see (a reporter: their own and those of assigned interventions)."""
    org = _org(request, slug)
    perm.require(fperm.can_view_applications(request.user, org))
    return [_out(a) for a in fperm.visible_applications(request.user, org)]


@router.post("/orgs/{slug}/applications", response={201: ApplicationOut, 400: FormErrors})
def create_application(request: HttpRequest, slug: str, payload: ApplicationIn) -> Status[Any]:
    """Create an application (a draft, or submitted at once with ``submit``). Every goal must be
    measurable: ``indicator`` (see the form), ``parameter`` for outcomes and components, ``unit``,
    baseline and target for women and men, ``year``. Errors name the field (``goals[0].indicator``)."""
    org = _org(request, slug)
    perm.require(fperm.can_create_application(request.user, org))
    full = perm.can_view_statistics(request.user, org)
    interventions = Intervention.objects.filter(organization=org) if full else perm.visible_interventions(
        request.user, org)
    data = payload.dict()
    chosen = interventions.filter(intervention_id=data.pop("intervention") or "").first()
    goals = data.pop("goals")
    submit_now = data.pop("submit")
    form = ApplicationForm({**data, "intervention": chosen.pk if chosen else ""},
                           instance=Application(organization=org), interventions=interventions,
                           intervention_required=not full)
    goal_data: dict[str, Any] = {"goals-TOTAL_FORMS": str(len(goals)), "goals-INITIAL_FORMS": "0",
                                 "goals-MIN_NUM_FORMS": "1", "goals-MAX_NUM_FORMS": "10"}
    for i, goal in enumerate(goals):
        for key, value in goal.items():
            goal_data[f"goals-{i}-{key}"] = "" if value is None else str(value)
    formset = GoalFormSet(goal_data, instance=Application(organization=org), prefix="goals")
    if not (form.is_valid() and formset.is_valid()):
        return Status(400, FormErrors(detail="Ansökan innehåller fel.", errors=_errors(form, formset)))
    app = services.save_application(form.save(commit=False), formset, request.user, request)
    if submit_now:
        services.submit(app, request.user, request)
    return Status(201, _out(app))


@router.get("/orgs/{slug}/applications/{application_id}", response=ApplicationOut)
def get_application(request: HttpRequest, slug: str, application_id: int) -> ApplicationOut:
    org = _org(request, slug)
    return _out(_application(request, org, application_id))


@router.post("/orgs/{slug}/applications/{application_id}/submit", response={200: ApplicationOut, 409: FormErrors})
def submit_application(request: HttpRequest, slug: str, application_id: int) -> Status[Any]:
    org = _org(request, slug)
    app = _application(request, org, application_id)
    perm.require(fperm.can_edit_application(request.user, org, app))
    try:
        services.submit(app, request.user, request)
    except services.ApplicationError as exc:
        return Status(409, FormErrors(detail=str(exc), errors={}))
    return Status(200, _out(app))


@router.post("/orgs/{slug}/applications/{application_id}/assessment",
             response={201: ApplicationOut, 400: FormErrors, 409: FormErrors})
def assess_application(request: HttpRequest, slug: str, application_id: int, payload: AssessmentIn) -> Status[Any]:
    """The preparatory group's assessment: the checklist and the gender marker (0, 1 or 2)."""
    org = _org(request, slug)
    app = _application(request, org, application_id)
    perm.require(fperm.can_assess(request.user, org))
    data = {k: v for k, v in payload.dict().items() if v is not False}
    form = AssessmentForm(data)
    if not form.is_valid():
        return Status(400, FormErrors(detail="Bedömningen innehåller fel.", errors=_errors(form)))
    try:
        services.assess(app, form.save(commit=False), request.user, request)
    except services.ApplicationError as exc:
        return Status(409, FormErrors(detail=str(exc), errors={}))
    return Status(201, _out(app))


@router.post("/orgs/{slug}/applications/{application_id}/decision",
             response={200: ApplicationOut, 400: FormErrors, 409: FormErrors})
def decide_application(request: HttpRequest, slug: str, application_id: int, payload: DecisionIn) -> Status[Any]:
    """Record the decision: ``funded`` (needs an assessment and ``intervention``) or ``rejected``."""
    org = _org(request, slug)
    app = _application(request, org, application_id)
    perm.require(fperm.can_assess(request.user, org))
    interventions = Intervention.objects.filter(organization=org)
    form = DecisionForm({**payload.dict(), "intervention": payload.intervention or ""}, interventions=interventions,
                        assessed=app.status == Application.Status.ASSESSED)
    if not form.is_valid():
        return Status(400, FormErrors(detail="Beslutet innehåller fel.", errors=_errors(form)))
    try:
        services.decide(app, request.user, request=request, **form.decide_arguments())
    except services.ApplicationError as exc:
        return Status(409, FormErrors(detail=str(exc), errors={}))
    return Status(200, _out(app))


@router.get("/orgs/{slug}/applications/{application_id}/follow-up", response=list[FollowUpOut])
def application_follow_up(request: HttpRequest, slug: str, application_id: int) -> list[FollowUpOut]:
    """A funded application's goals against its intervention's data (values resting on fewer people than
    the disclosure threshold are withheld: null, and named in ``withheld``)."""
    org = _org(request, slug)
    app = _application(request, org, application_id)
    perm.require(fperm.can_view_follow_up(request.user, org, app))
    return [FollowUpOut(
        indicator=r.goal.indicator, label=indicator_label(r.goal.spec), unit=r.goal.unit, year=r.goal.year,
        baseline_women=r.goal.baseline_women, baseline_men=r.goal.baseline_men, target_women=r.goal.target_women,
        target_men=r.goal.target_men, actual_women=r.actual_women, actual_men=r.actual_men,
        actual_other=r.actual_other, withheld=r.withheld, met_women=r.met_women, met_men=r.met_men)
        for r in services.follow_up(app)]


def _line(r: Any) -> BudgetLineOut:
    return BudgetLineOut(intervention=r.intervention, name=r.name, budget_sek=r.budget_sek, basis=r.basis,
                         women_sek=r.women_sek, men_sek=r.men_sek, other_sek=r.other_sek, women_share=r.women_share,
                         target_women_share=r.target_women_share)


@router.get("/orgs/{slug}/budget", response=BudgetOut)
def budget(request: HttpRequest, slug: str, year: Year, intervention: str | None = None) -> BudgetOut:
    """The year's budget per intervention distributed to women, men and other/unknown sex (gender budgeting)."""
    org = _org(request, slug)
    perm.require(fperm.can_view_budget(request.user, org, intervention))
    if intervention is not None:
        get_object_or_404(Intervention, organization=org, intervention_id=intervention)
    distribution = services.budget_by_sex(org, year, [intervention] if intervention else None)
    if distribution is None:
        raise HttpError(404, "Ingen budget att fördela.")
    return BudgetOut(organization=org.slug, year=year, lines=[_line(r) for r in distribution.lines],
                     total=_line(distribution.total) if distribution.total is not None and intervention is None
                     else None)
