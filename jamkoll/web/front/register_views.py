"""The findings register as the steering group's work list: filters, search, paging and its download.

The list shows each finding's plain title (from :mod:`jamkoll.reports`), its intervention's name, its
status and deadline; the download (CSV or XLSX) holds the figures the publication gate publishes and is
written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jamkoll.web.accounts.models import Membership, Organization
from jamkoll.web.lib import audit
from jamkoll.web.lib import permissions as perm
from jamkoll.web.lib.language import report_language
from jamkoll.web.lib.orgviews import org_context, org_view
from jamkoll.web.lib.pagecache import cached_org_page
from jamkoll.web.plans.progress import overdue_actions

from . import forms, tasks
from .analysis import available_years
from .models import FindingCase
from .register import export_rows, filter_cases
from .views import _findings_task

PAGE_SIZE = 25
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _filtered(request: HttpRequest, org: Organization) -> tuple[forms.FindingFilterForm, list[FindingCase], Any]:
    """The filter form bound to the query string, the cases it selects and the organisation's overdue actions."""
    visible = perm.visible_cases(request.user, org)
    years = sorted(set(visible.values_list("year", flat=True)), reverse=True)
    interventions = sorted({(c.intervention.intervention_id, c.intervention_name)
                            for c in visible.exclude(intervention__isnull=True)}, key=lambda p: p[1].casefold())
    filters = forms.FindingFilterForm(request.GET or None, years=years, interventions=interventions)
    overdue = overdue_actions(org)
    data: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    cases = filter_cases(
        visible, status=data.get("status") or "", year=data.get("year"), intervention=data.get("intervention") or "",
        dimension=data.get("dimension") or "", query=data.get("q") or "",
        overdue_ids=overdue.case_ids if data.get("overdue") else None)
    return filters, cases, overdue


@org_view
@require_GET
@cached_org_page
def findings(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(perm.can_view_findings(request.user, org))
    filters, cases, overdue = _filtered(request, org)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    counts = dict(perm.visible_cases(request.user, org).values_list("status").annotate(n=Count("id")))
    update_form = None
    if perm.can_manage_findings(request.user, org):
        update_form = forms.UpdateFindingsForm(years=available_years(org), prefix="update")
    statuses: Any = FindingCase.Status
    kept = _findings_task(request, org)
    updating = kept is not None and tasks.is_running(kept["id"])
    return render(request, "front/findings.html", org_context(
        request, org, member, section="findings", page=page, cases=page.object_list, total=len(cases),
        filters=filters, query=query.urlencode(), filtered=bool(request.GET.keys() - {"sida"}),
        updating=updating, progress_url=reverse("front:findings_progress", args=[org.slug]),
        update_form=update_form, counts=[(s.label, counts.get(s.value, 0), s.value) for s in statuses],
        overdue=overdue.count, overdue_ids=overdue.case_ids))


@org_view
@require_GET
def findings_export(request: HttpRequest, org: Organization, member: Membership, fmt: str) -> HttpResponse:
    """The register as filtered on the page, every page of it, as CSV or XLSX."""
    from jamkoll.reports.register import register_csv, register_xlsx

    if fmt not in EXPORT_TYPES:
        raise Http404
    perm.require(perm.can_view_findings(request.user, org))
    filters, cases, _overdue = _filtered(request, org)
    lang = report_language()
    rows = export_rows(cases, lang)
    body: str | bytes = register_csv(rows, lang) if fmt == "csv" else register_xlsx(rows, lang)
    audit.audit(request, audit.FINDINGS_EXPORTED, organization=org,
                details={"format": fmt, "rows": len(rows), "filters": {k: v for k, v in request.GET.items()}})
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="fyndregister-{org.slug}.{fmt}"'
    return response
