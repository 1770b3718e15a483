"""Pages: applications (list, form, assessment, decision, follow-up) and the budget by sex.

Every page goes through :func:`jamkoll.web.front.views.org_view` (404 for non-members); within the
organisation :mod:`jamkoll.web.funding.permissions` decides (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jamkoll.web.accounts.models import Intervention, Membership, Organization
from jamkoll.web.lib import permissions as perm
from jamkoll.web.lib.forms import YearForm
from jamkoll.web.lib.orgviews import org_context, org_view

from . import permissions as fperm
from . import services
from .forms import ApplicationForm, AssessmentForm, DecisionForm, GoalFormSet
from .models import Application
from .panels import budget_rows


def _ctx(request: HttpRequest, org: Organization, member: Membership, **extra: Any) -> dict[str, Any]:
    context = org_context(request, org, member, **extra)
    context["can"]["applications"] = fperm.can_view_applications(request.user, org)
    context["can"]["budget"] = fperm.can_view_budget(request.user, org)
    return context


def _application(request: HttpRequest, org: Organization, pk: int) -> Application:
    app = get_object_or_404(Application.objects.select_related("intervention", "created_by"), organization=org,
                            pk=pk)
    perm.require(fperm.can_view_application(request.user, org, app))
    return app


def _form_interventions(request: HttpRequest, org: Organization) -> tuple[Any, bool]:
    """The interventions an application may name, and whether it must name one (reporters)."""
    if perm.can_view_statistics(request.user, org):
        return Intervention.objects.filter(organization=org), False
    return perm.visible_interventions(request.user, org), True


@org_view
@require_GET
def applications(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(fperm.can_view_applications(request.user, org))
    apps = fperm.visible_applications(request.user, org).prefetch_related("assessments")
    return render(request, "funding/applications.html", _ctx(
        request, org, member, section="applications", applications=apps,
        can_create=fperm.can_create_application(request.user, org)))


def _edit(request: HttpRequest, org: Organization, member: Membership, app: Application | None) -> HttpResponse:
    interventions, required = _form_interventions(request, org)
    instance = app or Application(organization=org)
    form = ApplicationForm(request.POST or None, instance=instance, interventions=interventions,
                           intervention_required=required)
    goals = GoalFormSet(request.POST or None, instance=instance, prefix="goals")
    status = 200
    if request.method == "POST":
        if form.is_valid() and goals.is_valid():
            saved = services.save_application(form.save(commit=False), goals, request.user, request)
            messages.success(request, _("Ansökan är sparad som utkast. Skicka in den när den är klar."))
            return redirect("front:funding:application", slug=org.slug, pk=saved.pk)
        status = 400
    return render(request, "funding/application_form.html", _ctx(
        request, org, member, section="applications", form=form, goals=goals, application=app), status=status)


@org_view
def application_new(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(fperm.can_create_application(request.user, org))
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    return _edit(request, org, member, None)


@org_view
def application_edit(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    app = _application(request, org, pk)
    perm.require(fperm.can_edit_application(request.user, org, app))
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    return _edit(request, org, member, app)


def _detail(request: HttpRequest, org: Organization, member: Membership, app: Application, status: int = 200,
            **forms_given: Any) -> HttpResponse:
    user = request.user
    open_for_decision = app.status in (Application.Status.SUBMITTED, Application.Status.ASSESSED)
    assessor = fperm.can_assess(user, org) and open_for_decision
    assessment_form = forms_given.get("assessment_form") or (AssessmentForm(prefix="assess") if assessor else None)
    decision_form = forms_given.get("decision_form") or (DecisionForm(
        prefix="decide", interventions=Intervention.objects.filter(organization=org),
        assessed=app.status == Application.Status.ASSESSED,
        initial={"intervention": app.intervention.intervention_id if app.intervention else ""}) if assessor else None)
    follow = services.follow_up(app) if fperm.can_view_follow_up(user, org, app) else None
    return render(request, "funding/application.html", _ctx(
        request, org, member, section="applications", application=app, goals=app.goals.all(),
        assessments=app.assessments.select_related("assessed_by"), follow_up=follow,
        can_edit=fperm.can_edit_application(user, org, app), assessment_form=assessment_form,
        decision_form=decision_form), status=status)


@org_view
@require_GET
def application_detail(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    return _detail(request, org, member, _application(request, org, pk))


@org_view
@require_POST
def application_submit(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    app = _application(request, org, pk)
    perm.require(fperm.can_edit_application(request.user, org, app))
    try:
        services.submit(app, request.user, request)
    except services.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Ansökan är inskickad till beredningsgruppen."))
    return redirect("front:funding:application", slug=org.slug, pk=app.pk)


@org_view
@require_POST
def application_assess(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    app = _application(request, org, pk)
    perm.require(fperm.can_assess(request.user, org))
    form = AssessmentForm(request.POST, prefix="assess")
    if form.is_valid():
        try:
            services.assess(app, form.save(commit=False), request.user, request)
        except services.ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Bedömningen är sparad."))
        return redirect("front:funding:application", slug=org.slug, pk=app.pk)
    return _detail(request, org, member, app, status=400, assessment_form=form)


@org_view
@require_POST
def application_decide(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    app = _application(request, org, pk)
    perm.require(fperm.can_assess(request.user, org))
    interventions = Intervention.objects.filter(organization=org)
    form = DecisionForm(request.POST, prefix="decide", interventions=interventions,
                        assessed=app.status == Application.Status.ASSESSED)
    if form.is_valid():
        try:
            services.decide(app, request.user, request=request, **form.decide_arguments())
        except services.ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Beslutet är registrerat."))
        return redirect("front:funding:application", slug=org.slug, pk=app.pk)
    return _detail(request, org, member, app, status=400, decision_form=form)


# -- budget ---------------------------------------------------------------------------------------


def _budget_year(request: HttpRequest, years: list[int]) -> tuple[YearForm, int | None]:
    data = request.GET if request.GET.get("year") else {"year": str(years[0]) if years else ""}
    form = YearForm(data, years=years)
    field = form.fields["year"]
    field.choices = [c for c in field.choices if c[0]]  # type: ignore[attr-defined]
    year = form.cleaned_data["year"] if form.is_valid() else None
    return form, year if year is not None else (years[0] if years else None)


@org_view
@require_GET
def budget(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(fperm.can_view_budget(request.user, org))
    years = services.budget_years(org)
    form, year = _budget_year(request, years)
    distribution = services.budget_by_sex(org, year) if year is not None else None
    return render(request, "funding/budget.html", _ctx(
        request, org, member, section="budget", year_form=form, year=year, rows=budget_rows(distribution)))
