"""Server-rendered pages: dashboards, uploads, the findings register and reports.

Every page of an organisation goes through :func:`org_view`: a user who is not a member gets 404,
so another organisation's pages (and whether they exist) stay hidden. Within the organisation the
functions of :mod:`jamkoll.web.lib.permissions` decide, and a refusal is 403.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jamkoll.analysis.results import Finding
from jamkoll.ingest.schema import SEX_LABELS_SV
from jamkoll.ingest.validate import TABLE_LABELS_SV
from jamkoll.reports.explain import explain, title
from jamkoll.reports.text import header_label
from jamkoll.web.accounts.models import Intervention, Membership, Organization, Role
from jamkoll.web.lib import audit
from jamkoll.web.lib import permissions as perm
from jamkoll.web.lib.forms import YearForm
from jamkoll.web.lib.language import report_language
from jamkoll.web.lib.orgviews import org_context, org_view
from jamkoll.web.lib.pagecache import cached_org_page
from jamkoll.web.lib.stores import store_for, store_lock
from jamkoll.web.plans.progress import overdue_actions

from . import forms, tasks
from .analysis import AnalysisFailed, analysis_for, available_years, dashboard_charts, grouped_tables
from .models import FindingCase, Submission
from .register import CaseError, add_comment, attach_cases, change_status
from .uploads import UploadError, cancel_submission, stage_upload, upload_plan_context

INDIVIDUAL_ROWS_SHOWN = 200


def _year_from(request: HttpRequest, years: list[int]) -> tuple[YearForm, int | None]:
    """The chosen year: ``?year=`` (empty: all years), by default the latest year with data."""
    data = request.GET if "year" in request.GET else {"year": str(years[0]) if years else ""}
    form = YearForm(data, years=years)
    year = form.cleaned_data["year"] if form.is_valid() else (years[0] if years else None)
    return form, year


ANALYSIS_FAILED = gettext_lazy("Analysen kunde inte köras för det här urvalet. Felet är loggat; försök med ett "
                               "annat år eller kontakta den som driver Jämkoll.")


def _analysis_context(org: Organization, years: list[int], year: int | None,
                      intervention_id: str | None = None) -> dict[str, Any]:
    """The analysis and what the dashboards show of it; a failed analysis becomes a notice."""
    if not years:
        return {"analysis": None, "groups": [], "flagged": []}
    try:
        analysis = analysis_for(org, year, intervention_id)
    except AnalysisFailed:
        return {"analysis": None, "groups": [], "flagged": [], "analysis_error": ANALYSIS_FAILED}
    if analysis is None:
        return {"analysis": None, "groups": [], "flagged": []}
    lang = report_language()
    names = analysis.meta.get("interventions") or {}
    flagged = attach_cases(org, year, [{"id": f.id, "status": f.status, "title": title(f, lang, names),
                                        "explanation": explain(f, lang, names)}
                                       for f in _page_findings(analysis.flagged(), intervention_id)],
                           scoped=intervention_id is not None)
    return {"analysis": analysis, "groups": grouped_tables(analysis), "flagged": flagged,
            "charts": dashboard_charts(analysis, get_language() or "sv", intervention_id)}


def _page_findings(findings: list[Finding], intervention_id: str | None) -> list[Finding]:
    """The findings a page shows. An intervention's own analysis has only that intervention: its
    "whole association" comparisons are the intervention's own figures, so they are named after it,
    and left out where the same comparison is already there for the intervention (it would be shown
    twice, once as if for the whole association)."""
    if intervention_id is None:
        return findings
    own = {(f.dimension, f.category) for f in findings if f.intervention == intervention_id}
    return [f if f.intervention is not None else dataclasses.replace(f, intervention=intervention_id)
            for f in findings
            if f.intervention is not None or (f.dimension, f.category) not in own]


# -- start ----------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    organizations = perm.organizations_of(request.user)
    if len(organizations) == 1:
        return redirect("front:dashboard", slug=organizations[0].slug)
    return render(request, "front/index.html", {"organizations": organizations})


# -- dashboards -----------------------------------------------------------------------------------


@org_view
@require_GET
@cached_org_page
def dashboard(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    interventions = perm.visible_interventions(request.user, org)
    context = org_context(request, org, member, section="dashboard", interventions=interventions)
    if perm.can_view_statistics(request.user, org):
        years = available_years(org)
        form, year = _year_from(request, years)
        context.update(_analysis_context(org, years, year))
        context.update(year_form=form, year=year,
                       open_cases=FindingCase.objects.filter(organization=org, status=FindingCase.Status.OPEN).count(),
                       overdue_cases=overdue_actions(org).count)
    from jamkoll.web.funding.panels import dashboard_panel

    context.update(dashboard_panel(request, org, context.get("year")))
    return render(request, "front/dashboard.html", context)


def _intervention_or_404(org: Organization, intervention_id: str) -> Intervention:
    return get_object_or_404(Intervention, organization=org, intervention_id=intervention_id)


@org_view
@require_GET
@cached_org_page
def intervention(request: HttpRequest, org: Organization, member: Membership, intervention_id: str) -> HttpResponse:
    item = _intervention_or_404(org, intervention_id)
    perm.require(perm.can_view_intervention(request.user, org, item.intervention_id))
    years = available_years(org)
    form, year = _year_from(request, years)
    rows = perm.can_view_individual_level(request.user, org, item.intervention_id)
    context = org_context(
        request, org, member, section="dashboard", intervention=item, year_form=form, year=year,
        **_analysis_context(org, years, year, item.intervention_id),
        versions=item.versions.select_related("submission", "submission__uploaded_by")[:20] if rows else [],
        can_view_rows=rows, can_upload_here=perm.can_upload(request.user, org, item.intervention_id),
    )
    from jamkoll.web.funding.panels import intervention_panel

    context.update(intervention_panel(request, org, item.intervention_id, year))
    return render(request, "front/intervention.html", context)


@org_view
@require_GET
def intervention_data(request: HttpRequest, org: Organization, member: Membership,
                      intervention_id: str) -> HttpResponse:
    """The intervention's enrolments, one row per (pseudonymised) participant: individual level."""
    item = _intervention_or_404(org, intervention_id)
    perm.require(perm.can_view_individual_level(request.user, org, item.intervention_id))
    try:
        page = max(1, int(request.GET.get("sida", "1")))
    except ValueError:
        page = 1
    filters = forms.RowsFilterForm(request.GET or None, years=available_years(org))
    chosen = {k: v for k, v in filters.cleaned_data.items() if v not in (None, "")} if filters.is_valid() else {}
    offset = (page - 1) * INDIVIDUAL_ROWS_SHOWN
    with store_lock(org):
        total, rows = store_for(org).enrolment_rows(item.intervention_id, offset, INDIVIDUAL_ROWS_SHOWN, **chosen)
    pages = max(1, -(-total // INDIVIDUAL_ROWS_SHOWN))
    audit.audit(request, audit.INDIVIDUAL_DATA_VIEWED, organization=org, obj=item,
                details={"rows": len(rows), "page": page, "filters": chosen})
    lang = report_language()
    rows = [(r[0], SEX_LABELS_SV.get(r[1], r[1]), r[2], r[3], r[4],
             header_label(r[5], lang) if r[5] else r[5], header_label(r[6], lang) if r[6] else r[6]) for r in rows]
    query = urlencode(chosen)
    return render(request, "front/intervention_data.html", org_context(
        request, org, member, section="dashboard", intervention=item, rows=rows, total=total, shown=len(rows),
        page=page, pages=pages, first=offset + 1 if rows else 0, last=offset + len(rows), filters=filters,
        query=f"&{query}" if query else "",
        previous_page=page - 1 if page > 1 else None, next_page=page + 1 if page < pages else None))


# -- uploads --------------------------------------------------------------------------------------


@org_view
def uploads(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_upload(request.user, org))
    form = forms.UploadForm()
    status = 200
    if request.method == "POST":
        form = forms.UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                submission = stage_upload(org, request.user, form.cleaned_data["files"],
                                          year=form.cleaned_data["year"], note=form.cleaned_data["note"],
                                          replace=form.cleaned_data["replace"] or "year", request=request)
            except UploadError as exc:
                form.add_error("files", str(exc))
            else:
                return redirect("front:upload", slug=org.slug, pk=submission.pk)
        status = 400
    elif request.method != "GET":
        return HttpResponse(status=405)
    user = request.user
    return render(request, "front/uploads.html", org_context(
        request, org, member, section="uploads", form=form, submissions=perm.visible_submissions(user, org)[:50],
        assigned=None if perm.can_view_statistics(user, org) else perm.visible_interventions(user, org),
        can_versions=perm.role_of(user, org) in (Role.ADMIN, Role.ANALYST)),
        status=status)


@org_view
@require_GET
def upload_template(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    """The Excel template of the data contract (one sheet per table, lists for coded values)."""
    from jamkoll.ingest.template import TEMPLATE_CONTENT_TYPE, TEMPLATE_FILENAME, template_bytes

    perm.require(perm.can_upload(request.user, org))
    response = HttpResponse(template_bytes(), content_type=TEMPLATE_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_FILENAME}"'
    return response


def _submission(request: HttpRequest, org: Organization, pk: int) -> Submission:
    submission = get_object_or_404(Submission, organization=org, pk=pk)
    perm.require(perm.can_view_submission(request.user, org, submission))
    return submission


@org_view
@require_GET
def upload_detail(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    submission = _submission(request, org, pk)
    report = submission.report or {}
    return render(request, "front/upload_detail.html", org_context(
        request, org, member, section="uploads", submission=submission,
        table_rows=[(TABLE_LABELS_SV.get(k, k), n) for k, n in report.get("rows", {}).items()],
        sex_rows=[(SEX_LABELS_SV.get(k, k), n) for k, n in report.get("sex", {}).items()],
        warnings=report.get("warnings", []),
        versions=submission.versions.select_related("intervention"),
        can_decide=submission.status == Submission.Status.PENDING and perm.can_upload(request.user, org)
        and not tasks.is_running(submission.task_id),
        importing=submission.status == Submission.Status.PENDING and tasks.is_running(submission.task_id),
        **upload_plan_context(submission),
    ))


@org_view
@require_POST
def upload_confirm(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    submission = _submission(request, org, pk)
    perm.require(perm.can_upload(request.user, org))
    confirm_form = forms.UploadConfirmForm(request.POST)
    allow = confirm_form.is_valid() and bool(confirm_form.cleaned_data["allow_removal"])
    if submission.status != Submission.Status.PENDING:
        messages.error(request, _("Uppladdningen väntar inte på bekräftelse (status: %(status)s).")
                       % {"status": submission.get_status_display()})
        return redirect("front:upload", slug=org.slug, pk=submission.pk)
    if tasks.is_running(submission.task_id):
        messages.info(request, _("Uppladdningen läses redan in."))
        return redirect("front:upload", slug=org.slug, pk=submission.pk)
    # The import runs as a background task; the page follows it (upload_progress). With the immediate
    # backend it has already run when enqueue returns.
    result = tasks.confirm_upload.enqueue(submission.pk, request.user.pk, allow)
    Submission.objects.filter(pk=submission.pk).update(task_id=str(result.id))
    if result.is_finished:
        _announce(request, result)
    return redirect("front:upload", slug=org.slug, pk=submission.pk)


def _announce(request: HttpRequest, result: Any) -> None:
    """The outcome of a finished import task, as a message on the next page."""
    if result.status != "SUCCESSFUL":
        messages.error(request, _("Inläsningen misslyckades. Ingenting har sparats."))
        return
    value = result.return_value or {}
    if value.get("error"):
        messages.error(request, value["error"])
    elif value.get("status") == Submission.Status.ACCEPTED:
        messages.success(request, _("Uppgifterna är inlästa."))
    else:
        messages.error(request, _("Importen avbröts. Ingenting har sparats."))


@org_view
@require_GET
def upload_progress(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    """The import's progress for HTMX polling; once it is done, the page reloads with the result."""
    submission = _submission(request, org, pk)
    result = tasks.result_of(submission.task_id)
    if result is None or result.is_finished:
        if result is not None:
            _announce(request, result)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("front:upload", args=[org.slug, submission.pk])
        return response
    return render(request, "front/_upload_progress.html", {"org": org, "submission": submission,
                                                            "running": result.status == "RUNNING"})


@org_view
@require_POST
def upload_cancel(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    submission = _submission(request, org, pk)
    perm.require(perm.can_upload(request.user, org))
    try:
        cancel_submission(submission, request.user, request)
    except UploadError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("Uppladdningen är avbruten. Ingenting har sparats."))
    return redirect("front:uploads", slug=org.slug)


# -- findings register ----------------------------------------------------------------------------


@org_view
@require_POST
def findings_update(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_manage_findings(request.user, org))
    form = forms.UpdateFindingsForm(request.POST, years=available_years(org), prefix="update")
    if not form.is_valid():
        messages.error(request, _("Välj ett år med uppgifter."))
        return redirect("front:findings", slug=org.slug)
    year = form.cleaned_data["year"]
    # The analysis runs as a background task; the findings page follows it (findings_progress).
    result = tasks.update_findings_task.enqueue(org.pk, year, request.user.pk)
    if result.is_finished:
        _announce_findings(request, result)
    else:
        request.session[FINDINGS_TASK] = {"id": str(result.id), "org": org.slug, "year": year}
        messages.info(request, _("Fynden för %(year)d uppdateras. Sidan visar resultatet när analysen är klar.")
                      % {"year": year})
    return redirect(f"{reverse('front:findings', kwargs={'slug': org.slug})}?year={year}")


FINDINGS_TASK = "jamkoll_findings_task"


def _announce_findings(request: HttpRequest, result: Any) -> None:
    value = result.return_value if result.status == "SUCCESSFUL" else None
    if not value or value.get("failed"):
        messages.error(request, ANALYSIS_FAILED)
        return
    messages.success(request, _(
        "Analysen för %(year)d gav %(flagged)d möjliga omotiverade skillnader: %(created)d nya fynd, "
        "%(existing)d fanns redan, %(recurring)d återkommer från tidigare år.") % value)


def _findings_task(request: HttpRequest, org: Organization) -> dict[str, Any] | None:
    kept = request.session.get(FINDINGS_TASK)
    return kept if isinstance(kept, dict) and kept.get("org") == org.slug else None


@org_view
@require_GET
def findings_progress(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    """The findings update's progress for HTMX polling; once done, the findings page reloads with the result."""
    perm.require(perm.can_manage_findings(request.user, org))
    kept = _findings_task(request, org)
    result = tasks.result_of(kept["id"]) if kept else None
    if result is not None and not result.is_finished:
        return render(request, "front/_task_progress.html", {
            "url": reverse("front:findings_progress", args=[org.slug]), "running": result.status == "RUNNING",
            "what": _("Fynden uppdateras")})
    request.session.pop(FINDINGS_TASK, None)
    if result is not None:
        _announce_findings(request, result)
    response = HttpResponse(status=204)
    target = reverse("front:findings", args=[org.slug])
    response["HX-Redirect"] = f"{target}?year={kept['year']}" if kept else target
    return response


def _case(request: HttpRequest, org: Organization, pk: int) -> FindingCase:
    case = get_object_or_404(FindingCase.objects.select_related("intervention", "previous"), organization=org, pk=pk)
    perm.require(perm.can_view_case(request.user, org, case))
    return case


def _case_page(request: HttpRequest, org: Organization, member: Membership, case: FindingCase,
               status: int = 200, **forms_given: Any) -> HttpResponse:
    manage = perm.can_manage_findings(request.user, org)
    decide = manage and case.status in (FindingCase.Status.OPEN, FindingCase.Status.ACTION_PLANNED)
    close_form = forms_given.get("close_form")
    if close_form is None and decide:
        initial = {"action_what": case.action_what, "action_who": case.action_who, "action_due": case.action_due,
                   "justification": case.justification}
        if case.status == FindingCase.Status.ACTION_PLANNED:
            initial["decision"] = FindingCase.Status.ACTION_PLANNED
        close_form = forms.CloseCaseForm(initial=initial)
    return render(request, "front/case.html", org_context(
        request, org, member, section="findings", case=case, close_form=close_form if decide else None,
        done_form=forms.NoteForm(prefix="done") if manage and case.status == FindingCase.Status.ACTION_PLANNED
        else None,
        reopen_form=forms.NoteForm(prefix="reopen") if manage and case.is_closed else None,
        comment_form=forms_given.get("comment_form") or (
            forms.CommentForm() if perm.can_comment_on_findings(request.user, org) else None),
        events=case.events.select_related("user"), comments=case.comments.select_related("author"),
        earlier=_earlier(case), later=case.later.all(), **_case_actions(request, org, case)), status=status)


def _case_actions(request: HttpRequest, org: Organization, case: FindingCase) -> dict[str, Any]:
    """What the case page shows of the plan actions linked to the case, and where it may link."""
    from jamkoll.web.plans import permissions as plan_perm

    return {"plan_actions_done": sum(a.status == "done" for a in case.plan_actions.all()),
            "can_view_plans": plan_perm.can_view_plans(request.user, org),
            "can_edit_plans": plan_perm.can_edit_plans(request.user, org)}


def _earlier(case: FindingCase) -> list[FindingCase]:
    chain = []
    seen = {case.pk}
    current = case.previous
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.previous
    return chain


@org_view
@require_GET
def case_detail(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    return _case_page(request, org, member, _case(request, org, pk))


@org_view
@require_POST
def case_close(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    case = _case(request, org, pk)
    perm.require(perm.can_manage_findings(request.user, org))
    form = forms.CloseCaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change_status(case, request.user, data["decision"], justification=data["justification"],
                          action_what=data["action_what"], action_who=data["action_who"],
                          action_due=data["action_due"], request=request)
        except CaseError as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("Fyndet är uppdaterat."))
            return redirect("front:case", slug=org.slug, pk=case.pk)
    return _case_page(request, org, member, case, status=400, close_form=form)


def _simple_change(request: HttpRequest, org: Organization, pk: int, status: str, prefix: str) -> HttpResponse:
    """Mark done or reopen a case, with an optional note for its history."""
    case = _case(request, org, pk)
    perm.require(perm.can_manage_findings(request.user, org))
    form = forms.NoteForm(request.POST, prefix=prefix)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        change_status(case, request.user, status, note=note, request=request)
    except CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Fyndet är uppdaterat."))
    return redirect("front:case", slug=org.slug, pk=case.pk)


@org_view
@require_POST
def case_done(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    return _simple_change(request, org, pk, "done", "done")


@org_view
@require_POST
def case_reopen(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    return _simple_change(request, org, pk, "open", "reopen")


@org_view
@require_POST
def case_comment(request: HttpRequest, org: Organization, member: Membership, pk: int) -> HttpResponse:
    case = _case(request, org, pk)
    perm.require(perm.can_comment_on_findings(request.user, org))
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        add_comment(case, request.user, form.cleaned_data["text"], request)
        messages.success(request, _("Kommentaren är sparad."))
        return redirect(f"{reverse('front:case', kwargs={'slug': org.slug, 'pk': case.pk})}#kommentarer")
    return _case_page(request, org, member, case, status=400, comment_form=form)


# -- reports --------------------------------------------------------------------------------------


CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _report_form(request: HttpRequest, org: Organization, data: Any = None) -> forms.ReportForm:
    return forms.ReportForm(data, years=available_years(org),
                            interventions=perm.visible_interventions(request.user, org),
                            whole_organization=perm.can_generate_report(request.user, org))


@org_view
@require_GET
def reports(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_generate_any_report(request.user, org))
    form = _report_form(request, org)
    kept, result = _report_task(request, org)
    return render(request, "front/reports.html", org_context(
        request, org, member, section="reports", form=form,
        report_running=result is not None and not result.is_finished,
        report_ready=result is not None and result.is_finished,
        progress_url=reverse("front:report_progress", args=[org.slug])))


@org_view
@require_GET
def report_download(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_generate_any_report(request.user, org))
    form = _report_form(request, org, request.GET)
    if not form.is_valid():
        return render(request, "front/reports.html", org_context(request, org, member, section="reports", form=form),
                      status=400)
    year = form.cleaned_data["year"]
    intervention_id = form.cleaned_data["intervention"] or None
    fmt = form.cleaned_data["format"]
    perm.require(perm.can_generate_report(request.user, org, intervention_id))
    lang = report_language()
    # Written by a background task; with the immediate backend it is done when enqueue returns and the
    # file is sent at once, otherwise the reports page follows the task and offers the file when done.
    result = tasks.generate_report.enqueue(org.pk, year, intervention_id, fmt, lang)
    if not result.is_finished:
        request.session[REPORT_TASK] = {"id": str(result.id), "org": org.slug}
        messages.info(request, _("Rapporten skapas. Sidan visar en länk för nedladdning när den är klar."))
        return redirect("front:reports", slug=org.slug)
    value = result.return_value if result.status == "SUCCESSFUL" else {"error": "failed"}
    if value and value.get("error") == "empty":
        raise Http404(_("Organisationen har inga inlästa uppgifter ännu."))
    if value and value.get("error") == "disclosure":
        form.add_error(None, REPORT_NOT_SAFE)
        return render(request, "front/reports.html", org_context(request, org, member, section="reports", form=form),
                      status=422)
    if not value or value.get("error"):
        form.add_error(None, ANALYSIS_FAILED)
        return render(request, "front/reports.html", org_context(request, org, member, section="reports", form=form),
                      status=500)
    return _send_report(request, org, value)


REPORT_TASK = "jamkoll_report_task"
REPORT_NOT_SAFE = gettext_lazy(
    "Rapporten skapades inte: röjandegranskningen visade att uppgifter om enskilda personer skulle kunna räknas "
    "fram ur den. Välj ett annat år, hela förbundet i stället för en insats, eller kontakta den som driver "
    "Jämkoll.")


def _report_folder(org: Organization, value: dict[str, Any]) -> Path:
    token = str(value.get("token") or "")
    if not token.isalnum():
        raise Http404
    return Path(settings.JAMKOLL_DATA_DIR) / "reports" / org.slug / token


def _send_report(request: HttpRequest, org: Organization, value: dict[str, Any]) -> HttpResponse:
    """The written report as a download (audited); its file is deleted once read."""
    folder = _report_folder(org, value)
    path = folder / str(value["file"])
    if not path.is_file() or folder.resolve() not in path.resolve().parents:
        raise Http404(_("Rapporten finns inte längre; skapa den igen."))
    content = path.read_bytes()
    shutil.rmtree(folder, ignore_errors=True)
    fmt = str(value["format"])
    audit.audit(request, audit.REPORT_DOWNLOADED, organization=org,
                details={"year": value.get("year"), "intervention": value.get("intervention"), "format": fmt,
                         "bytes": len(content)})
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{value["name"]}"'
    return response


def _report_task(request: HttpRequest, org: Organization) -> tuple[dict[str, Any] | None, Any]:
    kept = request.session.get(REPORT_TASK)
    if not isinstance(kept, dict) or kept.get("org") != org.slug:
        return None, None
    return kept, tasks.result_of(str(kept["id"]))


@org_view
@require_GET
def report_progress(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    """The report's progress for HTMX polling; once written, the reports page reloads with its link."""
    perm.require(perm.can_generate_any_report(request.user, org))
    kept, result = _report_task(request, org)
    if result is not None and not result.is_finished:
        return render(request, "front/_task_progress.html", {
            "url": reverse("front:report_progress", args=[org.slug]), "running": result.status == "RUNNING",
            "what": _("Rapporten skapas")})
    response = HttpResponse(status=204)
    response["HX-Redirect"] = reverse("front:reports", args=[org.slug])
    return response


@org_view
@require_GET
def report_file(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    """The report this user's session asked for, once written (then forgotten)."""
    perm.require(perm.can_generate_any_report(request.user, org))
    kept, result = _report_task(request, org)
    if result is None or not result.is_finished:
        messages.info(request, _("Ingen färdig rapport att ladda ner; skapa en nedan."))
        return redirect("front:reports", slug=org.slug)
    request.session.pop(REPORT_TASK, None)
    value = result.return_value if result.status == "SUCCESSFUL" else None
    if value and value.get("error") == "disclosure":
        messages.error(request, REPORT_NOT_SAFE)
        return redirect("front:reports", slug=org.slug)
    if not value or value.get("error"):
        messages.error(request, ANALYSIS_FAILED if not value or value.get("error") == "failed"
                       else _("Organisationen har inga inlästa uppgifter ännu."))
        return redirect("front:reports", slug=org.slug)
    return _send_report(request, org, value)

