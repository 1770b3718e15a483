"""The REST API (django-ninja), documented at ``/api/docs``.

Authentication: ``Authorization: Bearer <token>`` with a personal API token (made on the page
"API-nycklar" or in the admin). The same permission functions as the pages decide what a token's
user may read or write; an organisation the user is not a member of answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from jamkoll.reports.explain import explain
from jamkoll.reports.labels import table_document
from jamkoll.web.accounts.models import Membership, Organization
from jamkoll.web.accounts.throttle import token_user
from jamkoll.web.front.analysis import AnalysisFailed, analysis_for
from jamkoll.web.front.models import FindingCase, Submission
from jamkoll.web.front.register import CaseError, add_comment, change_status
from jamkoll.web.front.uploads import UploadError, cancel_submission, confirm_submission, stage_upload
from jamkoll.web.funding.api import router as funding_router
from jamkoll.web.lib import audit
from jamkoll.web.lib import permissions as perm
from jamkoll.web.lib.params import Year
from jamkoll.web.plans.api import router as plans_router
from jamkoll.web.plans.event_api import router as events_router
from jamkoll.web.portal.api import router as portal_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(request, token)  # throttled per client address like the logins
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Jämkoll API",
    version="1",
    description=__doc__ or "",
    auth=TokenAuth(),
    urls_namespace="api",
)
# Action plans, checklists and activities: /api/orgs/{slug}/plans, …/checklists, …/activities.
api.add_router("", plans_router)
# Events, their registrations and board cases: /api/orgs/{slug}/events, …/board-meetings/{id}/cases.
api.add_router("", events_router)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


def _org(request: HttpRequest, slug: str) -> tuple[Organization, Membership]:
    return perm.organization_for(request.user, slug)


# -- schemas --------------------------------------------------------------------------------------


class Error(Schema):
    detail: str


class OrganizationOut(Schema):
    slug: str
    name: str
    kind: str
    role: str


class InterventionOut(Schema):
    intervention_id: str
    name: str


class FileOut(Schema):
    name: str
    size: int
    sha256: str


class ProblemOut(Schema):
    file: str
    reason: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None


class SubmissionOut(Schema):
    id: int
    status: str
    created: dt.datetime
    decided: dt.datetime | None
    uploaded_by: str | None
    year: int | None
    files: list[FileOut]
    interventions: list[str]
    report: dict[str, Any] | None
    problems: list[ProblemOut]
    problem_count: int
    versions: dict[str, int]
    replace: str
    detail: str | None = None


# What an upload replaces (jamkoll.ingest.scope): the years in its files of the interventions in them, every
# year of those interventions, or the whole store (admins and analysts only).
ReplaceChoice = Literal["year", "intervention", "all"]


class CaseOut(Schema):
    id: int
    finding_id: str
    year: int
    intervention: str | None
    dimension: str
    category: str
    status: str
    explanation: str
    justification: str
    action_what: str
    action_who: str
    action_due: dt.date | None
    overdue: bool
    previous_id: int | None
    updated: dt.datetime


class CaseUpdate(Schema):
    status: str
    justification: str = ""
    action_what: str = ""
    action_who: str = ""
    action_due: dt.date | None = None
    note: str = ""


class CommentIn(Schema):
    text: str


class CommentOut(Schema):
    id: int
    author: str | None
    created: dt.datetime
    text: str


class CaseErrorOut(Schema):
    detail: str
    errors: dict[str, str]


class StatisticsOut(Schema):
    organization: str
    year: int | None
    intervention: str | None
    tables: dict[str, Any]


class FindingsOut(Schema):
    organization: str
    year: int | None
    intervention: str | None
    findings: list[dict[str, Any]]


def _submission_out(submission: Submission) -> SubmissionOut:
    return SubmissionOut(
        id=submission.pk, status=submission.status, created=submission.created, decided=submission.decided,
        uploaded_by=submission.uploaded_by.get_username() if submission.uploaded_by else None,
        year=submission.year, files=[FileOut(**f) for f in submission.files], interventions=submission.interventions,
        report=submission.report, problems=[ProblemOut(**p) for p in submission.problems],
        problem_count=submission.problem_count,
        versions={v.intervention.intervention_id: v.version
                  for v in submission.versions.select_related("intervention")},
        replace=submission.replace,
    )


def _case_out(case: FindingCase) -> CaseOut:
    return CaseOut(
        id=case.pk, finding_id=case.finding_id, year=case.year,
        intervention=case.intervention.intervention_id if case.intervention else None,
        dimension=case.dimension, category=case.category, status=case.status, explanation=case.description,
        justification=case.justification, action_what=case.action_what, action_who=case.action_who,
        action_due=case.action_due, overdue=case.overdue, previous_id=case.previous_id, updated=case.updated,
    )


# -- organisations --------------------------------------------------------------------------------


@api.get("/orgs", response=list[OrganizationOut], tags=["organisationer"])
def list_organizations(request: HttpRequest) -> list[OrganizationOut]:
    """The organisations the token's user is a member of, with the user's role."""
    members = Membership.objects.filter(user=request.user).select_related("organization")
    return [OrganizationOut(slug=m.organization.slug, name=m.organization.name, kind=m.organization.kind,
                            role=m.role) for m in members]


@api.get("/orgs/{slug}/interventions", response=list[InterventionOut], tags=["organisationer"])
def list_interventions(request: HttpRequest, slug: str) -> list[InterventionOut]:
    """The interventions the user may see (a reporter: the assigned ones)."""
    org, _member = _org(request, slug)
    return [InterventionOut(intervention_id=i.intervention_id, name=i.name)
            for i in perm.visible_interventions(request.user, org)]


# -- submissions ----------------------------------------------------------------------------------


@api.get("/orgs/{slug}/submissions", response=list[SubmissionOut], tags=["uppladdningar"])
def list_submissions(request: HttpRequest, slug: str) -> list[SubmissionOut]:
    org, _member = _org(request, slug)
    perm.require(perm.can_upload(request.user, org))
    return [_submission_out(s) for s in perm.visible_submissions(request.user, org)[:200]]


@api.post("/orgs/{slug}/submissions", response={201: SubmissionOut, 422: SubmissionOut, 409: SubmissionOut, 400: Error},
          tags=["uppladdningar"])
def upload(request: HttpRequest, slug: str, files: File[list[UploadedFile]], year: Form[Year | None] = None,
           note: Form[str] = "", confirm: Form[bool] = True, replace: Form[ReplaceChoice] = "year",
           allow_removal_outside: Form[bool] = False) -> Status[Any]:
    """Upload one or several CSV/XLSX files.

    The files are checked first; with ``confirm`` (the default) a clean upload is imported at once
    (201, status ``accepted``), otherwise it waits (201, status ``pending``) for
    ``POST …/submissions/{id}/confirm``. A rejected upload (422) stores nothing and lists every problem.

    ``replace`` says what the upload replaces: ``year`` (default: the years in its files, or ``year``, of
    the interventions in them), ``intervention`` (every year of those interventions) or ``all`` (the whole
    store; admins and analysts). An import that would remove rows outside the declared years needs
    ``allow_removal_outside``; without it the upload stays pending (409, with the plan in ``report``).
    """
    org, _member = _org(request, slug)
    perm.require(perm.can_upload(request.user, org))
    try:
        submission = stage_upload(org, request.user, list(files), year=year, note=note, request=request,
                                  replace=replace)
    except UploadError as exc:
        return Status(400, Error(detail=str(exc)))
    if confirm and submission.status == Submission.Status.PENDING:
        try:
            submission = confirm_submission(submission, request.user, request,
                                            allow_removal_outside=allow_removal_outside)
        except UploadError as exc:  # staged, not imported: an explicit choice is needed
            submission.refresh_from_db()
            return Status(409, _submission_out(submission).model_copy(update={"detail": str(exc)}))
    return Status(422 if submission.status == Submission.Status.REJECTED else 201, _submission_out(submission))


def _submission(request: HttpRequest, org: Organization, submission_id: int) -> Submission:
    submission = get_object_or_404(Submission, organization=org, pk=submission_id)
    perm.require(perm.can_view_submission(request.user, org, submission))
    return submission


@api.get("/orgs/{slug}/submissions/{submission_id}", response=SubmissionOut, tags=["uppladdningar"])
def get_submission(request: HttpRequest, slug: str, submission_id: int) -> SubmissionOut:
    org, _member = _org(request, slug)
    return _submission_out(_submission(request, org, submission_id))


@api.post("/orgs/{slug}/submissions/{submission_id}/confirm",
          response={200: SubmissionOut, 422: SubmissionOut, 409: Error}, tags=["uppladdningar"])
def confirm(request: HttpRequest, slug: str, submission_id: int,
            allow_removal_outside: Form[bool] = False) -> Status[Any]:
    """Import a pending (checked) upload: all or nothing.

    ``allow_removal_outside``: the explicit choice to remove rows outside the upload's declared years
    (without it such an import is refused with 409 and the upload stays pending)."""
    org, _member = _org(request, slug)
    submission = _submission(request, org, submission_id)
    perm.require(perm.can_upload(request.user, org))
    try:
        submission = confirm_submission(submission, request.user, request,
                                        allow_removal_outside=allow_removal_outside)
    except UploadError as exc:
        return Status(409, Error(detail=str(exc)))
    return Status(422 if submission.status == Submission.Status.REJECTED else 200, _submission_out(submission))


@api.post("/orgs/{slug}/submissions/{submission_id}/cancel", response={200: SubmissionOut, 409: Error},
          tags=["uppladdningar"])
def cancel(request: HttpRequest, slug: str, submission_id: int) -> Status[Any]:
    org, _member = _org(request, slug)
    submission = _submission(request, org, submission_id)
    perm.require(perm.can_upload(request.user, org))
    try:
        submission = cancel_submission(submission, request.user, request)
    except UploadError as exc:
        return Status(409, Error(detail=str(exc)))
    return Status(200, _submission_out(submission))


# -- statistics and findings ----------------------------------------------------------------------


def _analysis(request: HttpRequest, org: Organization, year: int | None, intervention: str | None) -> Any:
    perm.require(perm.can_view_intervention(request.user, org, intervention))
    if intervention is not None:
        get_object_or_404(org.interventions, intervention_id=intervention)
    try:
        analysis = analysis_for(org, year, intervention)
    except AnalysisFailed as exc:
        raise HttpError(500, _("Analysen kunde inte köras för det här urvalet; felet är loggat.")) from exc
    if analysis is None:
        raise HttpError(404, _("Organisationen har inga inlästa uppgifter ännu."))
    return analysis


@api.get("/orgs/{slug}/statistics", response=StatisticsOut, tags=["statistik"])
def statistics(request: HttpRequest, slug: str, year: Year | None = None,
               intervention: str | None = None) -> StatisticsOut:
    """The analysis tables (disclosure-controlled, aggregated) of a year (or all years), for the whole
    organisation or one intervention. Each table in codes (key, columns, rows, suppressed cells, protection)
    with the reports layer's words: title, note, row labels (Swedish and English; docs/analysis-json.md)."""
    org, _member = _org(request, slug)
    analysis = _analysis(request, org, year, intervention)
    names = {str(k): str(v) for k, v in (analysis.meta.get("interventions") or {}).items()}
    audit.audit(request, audit.STATISTICS_EXPORTED, organization=org,
                details={"year": year, "intervention": intervention, "via": "api"})
    return StatisticsOut(organization=org.slug, year=year, intervention=intervention,
                         tables={k: table_document(t, names) for k, t in analysis.tables.items()})


@api.get("/orgs/{slug}/findings", response=FindingsOut, tags=["fynd"])
def findings(request: HttpRequest, slug: str, year: Year | None = None, intervention: str | None = None,
             status: str | None = None) -> FindingsOut:
    """Every comparison of women and men the analysis made, with its status (unjustified, explained,
    uncertain, none), in numbers and codes as in docs/analysis-json.md, plus ``explanation_sv`` and
    ``explanation_en``: the finding in words (jamkoll.reports.explain)."""
    org, _member = _org(request, slug)
    analysis = _analysis(request, org, year, intervention)
    names = analysis.meta.get("interventions") or {}
    rows = [{**f.to_dict(), "explanation_sv": explain(f, "sv", names), "explanation_en": explain(f, "en", names)}
            for f in analysis.findings if status is None or f.status == status]
    return FindingsOut(organization=org.slug, year=year, intervention=intervention, findings=rows)


# -- findings register ----------------------------------------------------------------------------


@api.get("/orgs/{slug}/cases", response=list[CaseOut], tags=["fyndregister"])
def list_cases(request: HttpRequest, slug: str, status: str | None = None, year: Year | None = None,
               overdue: bool = False) -> list[CaseOut]:
    """The findings register: one case per unjustified difference and year."""
    org, _member = _org(request, slug)
    perm.require(perm.can_view_findings(request.user, org))
    cases = perm.visible_cases(request.user, org)
    if status:
        cases = cases.filter(status=status)
    if year:
        cases = cases.filter(year=year)
    if overdue:
        cases = cases.filter(FindingCase.overdue_q())
    return [_case_out(c) for c in cases]


def _case(request: HttpRequest, org: Organization, case_id: int) -> FindingCase:
    case = get_object_or_404(FindingCase.objects.select_related("intervention"), organization=org, pk=case_id)
    perm.require(perm.can_view_case(request.user, org, case))
    return case


@api.get("/orgs/{slug}/cases/{case_id}", response=CaseOut, tags=["fyndregister"])
def get_case(request: HttpRequest, slug: str, case_id: int) -> CaseOut:
    org, _member = _org(request, slug)
    return _case_out(_case(request, org, case_id))


@api.patch("/orgs/{slug}/cases/{case_id}", response={200: CaseOut, 400: CaseErrorOut}, tags=["fyndregister"])
def update_case(request: HttpRequest, slug: str, case_id: int, payload: CaseUpdate) -> Status[Any]:
    """Change a case's status: ``justified`` (needs ``justification``), ``action_planned`` (needs
    ``action_what``, ``action_who``, ``action_due``), ``done`` (after a planned action) or ``open`` (reopen)."""
    org, _member = _org(request, slug)
    case = _case(request, org, case_id)
    perm.require(perm.can_manage_findings(request.user, org))
    try:
        change_status(case, request.user, payload.status, justification=payload.justification,
                      action_what=payload.action_what, action_who=payload.action_who,
                      action_due=payload.action_due, note=payload.note, request=request)
    except CaseError as exc:
        return Status(400, CaseErrorOut(detail=str(exc), errors=exc.errors))
    return Status(200, _case_out(case))


@api.post("/orgs/{slug}/cases/{case_id}/comments", response={201: CommentOut, 400: CaseErrorOut},
          tags=["fyndregister"])
def comment_case(request: HttpRequest, slug: str, case_id: int, payload: CommentIn) -> Status[Any]:
    org, _member = _org(request, slug)
    case = _case(request, org, case_id)
    perm.require(perm.can_comment_on_findings(request.user, org))
    try:
        comment = add_comment(case, request.user, payload.text, request)
    except CaseError as exc:
        return Status(400, CaseErrorOut(detail=str(exc), errors=exc.errors))
    return Status(201, CommentOut(id=comment.pk, author=request.user.get_username(), created=comment.created,
                                  text=comment.text))


api.add_router("/funding/", funding_router)


# The public portal's read endpoints (no token): /api/portal/regions, …
api.add_router("/portal/", portal_router)
