"""Pages of the governance cycle: action plans (goals, actions, board meetings, adopted revisions and their
comparison), checklists, activities and the library.

Every page goes through :func:`jamkoll.web.lib.orgviews.org_view` (404 for non-members); within the
organisation :mod:`jamkoll.web.plans.permissions` decides and a refusal is 403.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, ProtectedError, Q
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jamkoll.reports.inert import inert_row
from jamkoll.web.accounts.models import Membership, Organization
from jamkoll.web.front.register import link_plan_actions
from jamkoll.web.lib.orgviews import org_context, org_view

from . import forms
from . import permissions as perm
from .cases import assessed_q
from .charter import article_label
from .checklists import ensure_shipped_templates, response_progress
from .event_figures import plan_follow_up
from .models import (
    Action,
    ActionPlan,
    Activity,
    BoardMeeting,
    CharterSignature,
    ChecklistAnswer,
    ChecklistQuestion,
    ChecklistResponse,
    ChecklistTemplate,
    Goal,
    LibraryItem,
    PlanRevision,
)
from .progress import overdue_actions
from .services import (
    ACTIVITY_CHANGED,
    CHECKLIST_CHANGED,
    LIBRARY_CHANGED,
    LIBRARY_DOWNLOADED,
    MEETING_CHANGED,
    PLAN_CHANGED,
    adopt_revision,
    delete_library_item,
    library_path,
    record,
    revision_diff,
    revision_reminder,
    save_answers,
    store_library_file,
)


def _page(request: HttpRequest, org: Organization, member: Membership, template_name: str, section: str,
          status: int = 200, **extra: Any) -> HttpResponse:
    context = org_context(request, org, member, section=section, **extra)
    context["can"].update(plans=perm.can_view_plans(request.user, org),
                          edit_plans=perm.can_edit_plans(request.user, org),
                          governance=perm.can_view_governance(request.user, org),
                          edit_governance=perm.can_edit_governance(request.user, org))
    return render(request, template_name, context, status=status)


def _form_page(request: HttpRequest, org: Organization, member: Membership, form: BaseForm, *, title: str,
               section: str, back: str, status: int = 200, delete_url: str = "", multipart: bool = False,
               intro: str = "") -> HttpResponse:
    """The shared page of one form: heading, errors, fields, save, and a way back."""
    return _page(request, org, member, "plans/form.html", section, status=status, form=form, title=title,
                 back=back, delete_url=delete_url, multipart=multipart, intro=intro)


def charter_signed(org: Organization) -> bool:
    return CharterSignature.objects.filter(organization=org).exists()


# -- plans ----------------------------------------------------------------------------------------


def _plan(request: HttpRequest, org: Organization, pk: int) -> ActionPlan:
    return get_object_or_404(perm.visible_plans(request.user, org), pk=pk)


def _plan_url(org: Organization, plan: ActionPlan) -> str:
    return reverse("front:plans:plan", kwargs={"slug": org.slug, "pk": plan.pk})


@org_view
@require_GET
def plans(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_view_plans(request.user, org))
    visible = perm.visible_plans(request.user, org).annotate(
        n_goals=Count("goals", distinct=True), n_actions=Count("actions", distinct=True),
        n_revisions=Count("revisions", distinct=True))
    signature = CharterSignature.objects.filter(organization=org).first()
    charter_form = None
    if perm.can_edit_plans(request.user, org):
        charter_form = forms.CharterForm(initial={"signed": signature is not None,
                                                  "signed_on": signature.signed_on if signature else None},
                                         prefix="charter")
    return _page(request, org, member, "plans/plans.html", "plans", plans=visible, signature=signature,
                 charter_form=charter_form, reminder=revision_reminder(org), overdue=overdue_actions(org).count)


@org_view
@require_POST
def charter(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_edit_plans(request.user, org))
    form = forms.CharterForm(request.POST, prefix="charter")
    if not form.is_valid():
        messages.error(request, _("Ange datumet som ÅÅÅÅ-MM-DD."))
    elif form.cleaned_data["signed"]:
        signature, _created = CharterSignature.objects.update_or_create(
            organization=org, defaults={"signed_on": form.cleaned_data["signed_on"]})
        record(request, PLAN_CHANGED, org, signature, "charter_signed")
        messages.success(request, _("Organisationen är markerad som undertecknare av CEMR-deklarationen."))
    else:
        for signature in CharterSignature.objects.filter(organization=org):
            record(request, PLAN_CHANGED, org, signature, "charter_unsigned")
            signature.delete()
        messages.success(request, _("Organisationen är inte längre markerad som undertecknare."))
    return redirect("front:plans:plans", slug=org.slug)


def _save_plan(request: HttpRequest, org: Organization, form: forms.PlanForm, change: str) -> ActionPlan:
    with transaction.atomic():
        plan = form.save(commit=False)
        if plan.pk is None:
            plan.owner = org
        plan.save()
        if "shared_with" in form.fields:
            plan.organizations.set([plan.owner, *form.cleaned_data["shared_with"]])
        elif change == "created":
            plan.organizations.set([plan.owner])
        record(request, PLAN_CHANGED, org, plan, change)
    return plan


@org_view
def plan_new(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_edit_plans(request.user, org))
    form = forms.PlanForm(request.POST or None, org=org, initial={"start_year": timezone.localdate().year,
                                                                  "end_year": timezone.localdate().year + 2})
    if request.method == "POST" and form.is_valid():
        plan = _save_plan(request, org, form, "created")
        messages.success(request, _("Handlingsplanen är skapad. Lägg till mål och åtgärder."))
        return redirect(_plan_url(org, plan))
    return _form_page(request, org, member, form, title=_("Ny handlingsplan"), section="plans",
                      back=reverse("front:plans:plans", kwargs={"slug": org.slug}),
                      status=400 if form.is_bound else 200)


@org_view
@require_GET
def plan(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = _plan(request, org, pk)
    goals = list(item.goals.prefetch_related("actions__findings"))
    for goal in goals:
        goal.table_id = f"actions-goal-{goal.pk}"  # type: ignore[attr-defined]
    loose = item.actions.filter(goal__isnull=True).prefetch_related("findings")
    revisions = list(item.revisions.select_related("meeting", "meeting__organization").order_by("-number"))
    actions = list(item.actions.all())
    return _page(request, org, member, "plans/plan.html", "plans", plan=item, goals=goals, loose_actions=loose,
                 revisions=revisions, reminder=revision_reminder(org),
                 organizations=item.organizations.order_by("name"),
                 counts={"total": len(actions), "done": sum(a.status == Action.Status.DONE for a in actions),
                         "overdue": overdue_actions(org).in_plan(item.pk)},
                 article_label=article_label, **plan_follow_up(item))


@org_view
def plan_edit(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = _plan(request, org, pk)
    perm.require(perm.can_edit_plans(request.user, org))
    form = forms.PlanForm(request.POST or None, instance=item, org=org)
    if request.method == "POST" and form.is_valid():
        _save_plan(request, org, form, "changed")
        messages.success(request, _("Handlingsplanen är sparad."))
        return redirect(_plan_url(org, item))
    return _form_page(request, org, member, form, title=_("Ändra handlingsplanen"), section="plans",
                      back=_plan_url(org, item), status=400 if form.is_bound else 200)


@org_view
def goal_edit(request: HttpRequest, org: Organization, member: Membership, pk: int,
              goal_pk: int | None = None) -> HttpResponse:
    item = _plan(request, org, pk)
    perm.require(perm.can_edit_plans(request.user, org))
    goal = get_object_or_404(Goal, plan=item, pk=goal_pk) if goal_pk is not None else None
    form = forms.GoalForm(request.POST or None, instance=goal, charter_signed=charter_signed(org),
                          initial=None if goal else {"order": item.goals.count() + 1})
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.plan = item
        saved.save()
        record(request, PLAN_CHANGED, org, saved, "changed" if goal else "created", plan=item.pk)
        messages.success(request, _("Målet är sparat."))
        return redirect(_plan_url(org, item) + f"#goal-{saved.pk}")
    return _form_page(request, org, member, form, title=_("Ändra mål") if goal else _("Nytt mål"), section="plans",
                      back=_plan_url(org, item), status=400 if form.is_bound else 200,
                      delete_url=reverse("front:plans:goal_delete", kwargs={"slug": org.slug, "pk": item.pk,
                                                                            "goal_pk": goal.pk}) if goal else "",
                      intro=str(item))


@org_view
@require_POST
def goal_delete(request: HttpRequest, org: Organization, member: Membership, pk: int, goal_pk: int) -> HttpResponse:
    item = _plan(request, org, pk)
    perm.require(perm.can_edit_plans(request.user, org))
    goal = get_object_or_404(Goal, plan=item, pk=goal_pk)
    record(request, PLAN_CHANGED, org, goal, "deleted", plan=item.pk)
    goal.delete()
    messages.success(request, _("Målet är borttaget. Dess åtgärder finns kvar utan mål."))
    return redirect(_plan_url(org, item))


@org_view
def action_edit(request: HttpRequest, org: Organization, member: Membership, pk: int,
                action_pk: int | None = None) -> HttpResponse:
    item = _plan(request, org, pk)
    perm.require(perm.can_edit_plans(request.user, org))
    action = get_object_or_404(Action, plan=item, pk=action_pk) if action_pk is not None else None
    initial = {"goal": request.GET.get("goal")} if action is None and request.GET.get("goal", "").isdigit() else None
    form = forms.ActionForm(request.POST or None, instance=action, plan=item, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.plan = item
            saved.save()
            form.save_m2m()
            record(request, PLAN_CHANGED, org, saved, "changed" if action else "created", plan=item.pk,
                   status=saved.status)
            # An open finding the action answers now has an action planned (the case shows the action).
            link_plan_actions(saved.findings.filter(organization=org), saved, request.user, request)
        messages.success(request, _("Åtgärden är sparad."))
        return redirect(_plan_url(org, item) + f"#action-{saved.pk}")
    return _form_page(request, org, member, form, title=_("Ändra åtgärd") if action else _("Ny åtgärd"),
                      section="plans", back=_plan_url(org, item), status=400 if form.is_bound else 200,
                      delete_url=reverse("front:plans:action_delete", kwargs={
                          "slug": org.slug, "pk": item.pk, "action_pk": action.pk}) if action else "",
                      intro=str(item))


@org_view
@require_POST
def action_delete(request: HttpRequest, org: Organization, member: Membership, pk: int,
                  action_pk: int) -> HttpResponse:
    item = _plan(request, org, pk)
    perm.require(perm.can_edit_plans(request.user, org))
    action = get_object_or_404(Action, plan=item, pk=action_pk)
    record(request, PLAN_CHANGED, org, action, "deleted", plan=item.pk)
    action.delete()
    messages.success(request, _("Åtgärden är borttagen."))
    return redirect(_plan_url(org, item))


@org_view
def plan_revise(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = _plan(request, org, pk)
    perm.require(perm.can_edit_plans(request.user, org))
    form = forms.ReviseForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        revision = adopt_revision(item, form.cleaned_data["meeting"], request.user, form.cleaned_data["note"],
                                  request)
        messages.success(request, _("Revision %(number)d är registrerad som antagen %(date)s.") % {
            "number": revision.number, "date": f"{revision.adopted_on:%Y-%m-%d}"})
        return redirect("front:plans:revision", slug=org.slug, pk=item.pk, number=revision.number)
    latest = item.latest_revision()
    return _form_page(request, org, member, form, title=_("Registrera antagen revision"), section="plans",
                      back=_plan_url(org, item), status=400 if form.is_bound else 200,
                      intro=_("Planen som den ser ut nu sparas som revision %(number)d och kan inte ändras "
                              "efteråt. Den jämförs med föregående revision.") % {
                          "number": (latest.number if latest else 0) + 1})


@org_view
@require_GET
def revision(request: HttpRequest, org: Organization, member: Membership, pk: int, number: int) -> HttpResponse:
    item = _plan(request, org, pk)
    current = get_object_or_404(PlanRevision.objects.select_related("meeting"), plan=item, number=number)
    previous = current.previous()
    return _page(request, org, member, "plans/revision.html", "plans", plan=item, revision=current,
                 previous=previous, diff=revision_diff(current),
                 later=item.revisions.filter(number__gt=number).order_by("number").first())


@org_view
def meetings(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_view_plans(request.user, org))
    form = None
    status = 200
    if perm.can_edit_plans(request.user, org):
        form = forms.MeetingForm(request.POST or None, instance=BoardMeeting(organization=org))
        if request.method == "POST":
            if form.is_valid():
                meeting = form.save()
                record(request, MEETING_CHANGED, org, meeting, "created", date=meeting.date.isoformat())
                messages.success(request, _("Styrelsemötet är registrerat."))
                return redirect("front:plans:meetings", slug=org.slug)
            status = 400
    elif request.method == "POST":
        perm.require(False)
    return _page(request, org, member, "plans/meetings.html", "plans", status=status, form=form,
                 meetings=BoardMeeting.objects.filter(organization=org).annotate(
                     n_revisions=Count("revisions", distinct=True), n_cases=Count("cases", distinct=True),
                     n_assessed=Count("cases", filter=assessed_q("cases__"), distinct=True)).order_by("-date"),
                 reminder=revision_reminder(org))


@org_view
@require_POST
def meeting_delete(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    meeting = get_object_or_404(BoardMeeting, organization=org, pk=pk)
    perm.require(perm.can_edit_plans(request.user, org))
    try:
        with transaction.atomic():
            record(request, MEETING_CHANGED, org, meeting, "deleted")
            meeting.delete()
    except ProtectedError:
        messages.error(request, _("Mötet antog en revision av en handlingsplan eller har ärenden och kan inte tas "
                                  "bort."))
    else:
        messages.success(request, _("Styrelsemötet är borttaget."))
    return redirect("front:plans:meetings", slug=org.slug)


# -- checklists -----------------------------------------------------------------------------------


@org_view
def checklists(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_view_governance(request.user, org))
    editor = perm.can_edit_governance(request.user, org)
    if editor:
        ensure_shipped_templates(org)
    form = forms.StartResponseForm(request.POST or None, org=org) if editor else None
    if request.method == "POST":
        perm.require(editor)
        assert form is not None
        if form.is_valid():
            started = form.save()
            record(request, CHECKLIST_CHANGED, org, started, "started")
            return redirect("front:plans:response", slug=org.slug, pk=started.pk)
    responses = ChecklistResponse.objects.filter(organization=org).select_related("template")
    return _page(request, org, member, "plans/checklists.html", "checklists",
                 status=400 if form is not None and form.is_bound else 200, form=form,
                 templates=ChecklistTemplate.objects.filter(organization=org).annotate(n=Count("questions")),
                 responses=[(r, response_progress(r)) for r in responses])


def _template(org: Organization, pk: int) -> ChecklistTemplate:
    return get_object_or_404(ChecklistTemplate, organization=org, pk=pk)


@org_view
def template_edit(request: HttpRequest, org: Organization, member: Membership, pk: int | None = None) -> HttpResponse:
    template = _template(org, pk) if pk is not None else None
    perm.require(perm.can_edit_governance(request.user, org))
    form = forms.TemplateForm(request.POST or None, instance=template or ChecklistTemplate(organization=org),
                              prefix="template")
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        record(request, CHECKLIST_CHANGED, org, saved, "changed" if template else "created")
        messages.success(request, _("Checklistan är sparad."))
        return redirect("front:plans:template", slug=org.slug, pk=saved.pk)
    if template is None:
        return _form_page(request, org, member, form, title=_("Ny checklista"), section="checklists",
                          back=reverse("front:plans:checklists", kwargs={"slug": org.slug}),
                          status=400 if form.is_bound else 200)
    return _page(request, org, member, "plans/template.html", "checklists", status=400 if form.is_bound else 200,
                 template=template, form=form, questions=template.questions.all(),
                 question_form=forms.QuestionForm(prefix="question",
                                                  initial={"order": template.questions.count() + 1}))


@org_view
def question_edit(request: HttpRequest, org: Organization, member: Membership, pk: int,
                  question_pk: int | None = None) -> HttpResponse:
    template = _template(org, pk)
    question = get_object_or_404(ChecklistQuestion, template=template, pk=question_pk) if question_pk else None
    perm.require(perm.can_edit_governance(request.user, org))
    form = forms.QuestionForm(request.POST or None, instance=question or ChecklistQuestion(template=template),
                              prefix="question")
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        record(request, CHECKLIST_CHANGED, org, saved, "changed" if question else "created", template=template.pk)
        messages.success(request, _("Frågan är sparad."))
        return redirect("front:plans:template", slug=org.slug, pk=template.pk)
    back = reverse("front:plans:template", kwargs={"slug": org.slug, "pk": template.pk})
    delete_url = reverse("front:plans:question_delete", kwargs={
        "slug": org.slug, "pk": template.pk, "question_pk": question.pk}) if question else ""
    return _form_page(request, org, member, form, title=_("Ändra fråga") if question else _("Ny fråga"),
                      section="checklists", back=back, delete_url=delete_url, intro=template.title,
                      status=400 if form.is_bound else 200)


@org_view
@require_POST
def question_delete(request: HttpRequest, org: Organization, member: Membership, pk: int,
                    question_pk: int) -> HttpResponse:
    template = _template(org, pk)
    question = get_object_or_404(ChecklistQuestion, template=template, pk=question_pk)
    perm.require(perm.can_edit_governance(request.user, org))
    record(request, CHECKLIST_CHANGED, org, question, "deleted", template=template.pk)
    question.delete()
    messages.success(request, _("Frågan och dess svar är borttagna."))
    return redirect("front:plans:template", slug=org.slug, pk=template.pk)


def _response(org: Organization, pk: int) -> ChecklistResponse:
    return get_object_or_404(ChecklistResponse.objects.select_related("template"), organization=org, pk=pk)


@org_view
def response(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = _response(org, pk)
    perm.require(perm.can_view_governance(request.user, org))
    questions = list(item.template.questions.all())
    editor = perm.can_edit_governance(request.user, org)
    existing = {a.question_id: a for a in ChecklistAnswer.objects.filter(response=item)}
    initial: dict[str, Any] = {}
    for q in questions:
        if q.pk in existing:
            initial[f"answer_{q.pk}"] = existing[q.pk].answer
            initial[f"comment_{q.pk}"] = existing[q.pk].comment
    form = forms.AnswersForm(request.POST or None, questions=questions, initial=initial)
    if request.method == "POST":
        perm.require(editor)
        if form.is_valid():
            save_answers(item, form.answers(), request.user, request)
            messages.success(request, _("Svaren är sparade."))
            return redirect("front:plans:response", slug=org.slug, pk=item.pk)
    return _page(request, org, member, "plans/response.html", "checklists", status=400 if form.is_bound else 200,
                 item=item, form=form if editor else None, progress=response_progress(item),
                 answers=[(q, existing.get(q.pk)) for q in questions])


@org_view
@require_GET
def response_export(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    """The answered checklist as CSV (semicolons and UTF-8 with BOM, as Excel in Sweden expects)."""
    item = _response(org, pk)
    perm.require(perm.can_view_governance(request.user, org))
    existing = {a.question_id: a for a in ChecklistAnswer.objects.filter(response=item)}
    answer_labels = dict(ChecklistAnswer.Answer.choices)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Avsnitt"), _("Fråga"), _("Svar"), _("Kommentar")])
    for q in item.template.questions.all():
        answer = existing.get(q.pk)
        writer.writerow(inert_row([q.section, q.text, answer_labels.get(answer.answer, "") if answer else "",
                                   answer.comment if answer else ""]))
    download = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    download["Content-Disposition"] = f'attachment; filename="checklista-{org.slug}-{item.year}-{item.pk}.csv"'
    return download


# -- activities -----------------------------------------------------------------------------------


@org_view
def activities(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_view_governance(request.user, org))
    editor = perm.can_edit_governance(request.user, org)
    form = forms.ActivityForm(request.POST or None, instance=Activity(organization=org)) if editor else None
    if request.method == "POST":
        perm.require(editor)
        assert form is not None
        if form.is_valid():
            saved = form.save()
            record(request, ACTIVITY_CHANGED, org, saved, "created")
            messages.success(request, _("Aktiviteten är sparad."))
            return redirect("front:plans:activities", slug=org.slug)
    items = Activity.objects.filter(organization=org)
    return _page(request, org, member, "plans/activities.html", "activities",
                 status=400 if form is not None and form.is_bound else 200, form=form, activities=items)


@org_view
def activity_edit(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = get_object_or_404(Activity, organization=org, pk=pk)
    perm.require(perm.can_edit_governance(request.user, org))
    form = forms.ActivityForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(request, ACTIVITY_CHANGED, org, item, "changed")
        messages.success(request, _("Aktiviteten är sparad."))
        return redirect("front:plans:activities", slug=org.slug)
    return _form_page(request, org, member, form, title=_("Ändra aktivitet"), section="activities",
                      back=reverse("front:plans:activities", kwargs={"slug": org.slug}),
                      delete_url=reverse("front:plans:activity_delete", kwargs={"slug": org.slug, "pk": item.pk}),
                      status=400 if form.is_bound else 200)


@org_view
@require_POST
def activity_delete(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = get_object_or_404(Activity, organization=org, pk=pk)
    perm.require(perm.can_edit_governance(request.user, org))
    record(request, ACTIVITY_CHANGED, org, item, "deleted")
    item.delete()
    messages.success(request, _("Aktiviteten är borttagen."))
    return redirect("front:plans:activities", slug=org.slug)


# -- library --------------------------------------------------------------------------------------


@org_view
def library(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_view_governance(request.user, org))
    editor = perm.can_edit_governance(request.user, org)
    form = None
    if editor:
        form = forms.LibraryForm(request.POST or None, request.FILES or None,
                                 instance=LibraryItem(organization=org, added_by=request.user))
    if request.method == "POST":
        perm.require(editor)
        assert form is not None
        if form.is_valid():
            item = form.save(commit=False)
            upload = form.cleaned_data.get("file")
            if upload is not None:
                store_library_file(item, upload)
            item.save()
            record(request, LIBRARY_CHANGED, org, item, "created", file=item.file_name, sha256=item.sha256)
            messages.success(request, _("Dokumentet är sparat i biblioteket."))
            return redirect("front:plans:library", slug=org.slug)
    return _page(request, org, member, "plans/library.html", "activities",
                 status=400 if form is not None and form.is_bound else 200, form=form,
                 items=LibraryItem.objects.filter(organization=org))


@org_view
@require_GET
def library_download(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = get_object_or_404(LibraryItem, ~Q(stored_name=""), organization=org, pk=pk)
    perm.require(perm.can_view_governance(request.user, org))
    path = library_path(item)
    if not path.is_file():
        raise Http404(_("Filen finns inte längre."))
    record(request, LIBRARY_DOWNLOADED, org, item, "downloaded")
    # Always a download, never shown inline: an uploaded HTML or SVG file cannot run in the app's origin.
    return FileResponse(path.open("rb"), as_attachment=True, filename=item.file_name,
                        content_type="application/octet-stream")


@org_view
@require_POST
def library_delete(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    item = get_object_or_404(LibraryItem, organization=org, pk=pk)
    perm.require(perm.can_edit_governance(request.user, org))
    delete_library_item(item, request.user, request)
    messages.success(request, _("Dokumentet är borttaget ur biblioteket."))
    return redirect("front:plans:library", slug=org.slug)
