"""Background work of the front pages, run with Django's tasks framework (``django-tasks``).

``jamkoll serve`` uses the database backend (``django-tasks-db``) and starts its worker (``db_worker``)
beside the web server, so a confirmed upload is imported while the page shows its progress (HTMX
polling of :func:`jamkoll.web.front.views.upload_progress`) and no request waits for it. Without that
setting (tests, ``python -m jamkoll.web runserver``) the immediate backend runs a task at once, in the
request, and the page shows the result directly. The backend is chosen in the settings from
``JAMKOLL_TASKS`` (``database`` or ``immediate``).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import TaskResult, TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

log = logging.getLogger("jamkoll.web")
# A written report not downloaded within this time is deleted by the next report of the organisation.
REPORT_KEPT_SECONDS = 24 * 3600


@task()
def confirm_upload(submission_id: int, user_id: int, allow_removal_outside: bool = False) -> dict[str, Any]:
    """Import a checked upload (:func:`jamkoll.web.front.uploads.confirm_submission`) in the background.

    Returns ``{"status": ...}`` and, when the upload stays pending (an explicit choice is needed, or
    the store changed since the check), ``{"error": message}``.
    """
    from .models import Submission
    from .uploads import UploadError, confirm_submission

    submission = Submission.objects.get(pk=submission_id)
    user = get_user_model().objects.get(pk=user_id)
    try:
        submission = confirm_submission(submission, user, None, allow_removal_outside=allow_removal_outside)
    except UploadError as exc:
        return {"status": submission.status, "error": str(exc)}
    return {"status": submission.status}  # an accepted upload has queued compute_analyses


@task()
def update_findings_task(org_id: int, year: int, user_id: int) -> dict[str, Any]:
    """Run the analysis of ``year`` and open a case for every unjustified difference, in the background."""
    from jamkoll.web.accounts.models import Organization

    from .analysis import AnalysisFailed
    from .register import update_findings

    org = Organization.objects.get(pk=org_id)
    user = get_user_model().objects.get(pk=user_id)
    try:
        result = update_findings(org, year, user, None)
    except AnalysisFailed:
        return {"year": year, "failed": True}
    return {"year": result.year, "flagged": result.flagged, "created": len(result.created),
            "existing": result.existing, "recurring": len(result.recurring)}


@task()
def generate_report(org_id: int, year: int | None, intervention_id: str | None, fmt: str,
                    lang: str) -> dict[str, Any]:
    """Write the report into ``<data dir>/reports/<org slug>/<token>/`` and say where (or why not)."""
    import secrets
    import shutil
    from pathlib import Path

    from django.conf import settings

    from jamkoll.audit import audit_paths
    from jamkoll.reports import write_report
    from jamkoll.web.accounts.models import Organization

    from .analysis import AnalysisFailed, analysis_for, available_years
    from .governance import governance_summary

    org = Organization.objects.get(pk=org_id)
    try:
        analysis = analysis_for(org, year, intervention_id)
        # The year before, for the report's year-on-year comparison.
        previous = (analysis_for(org, year - 1, intervention_id)
                    if year is not None and year - 1 in available_years(org) else None)
    except AnalysisFailed:
        return {"error": "failed"}
    if analysis is None:
        return {"error": "empty"}
    governance = governance_summary(org, year, intervention_id) if year is not None else None
    root = Path(settings.JAMKOLL_DATA_DIR) / "reports" / org.slug
    if root.exists():  # reports written but never fetched are kept for a day
        cutoff = time.time() - REPORT_KEPT_SECONDS
        for old in root.iterdir():
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
    token = secrets.token_hex(12)
    folder = root / token
    try:
        # With the workbook the auditor reads: the report is attacked as a reader would (jamkoll
        # audit-disclosure) before anyone can download it, as `jamkoll report` does.
        paths = write_report(analysis, folder, formats=tuple(sorted({fmt, "xlsx"})), lang=lang,
                             intervention=intervention_id, previous=previous, governance=governance)
        audit = audit_paths([folder], threshold=analysis.config.threshold)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not audit.ok:
        shutil.rmtree(folder, ignore_errors=True)
        log.warning("Report of %s (%s, %s) not written: %s", org.slug, year, intervention_id, audit.summary(limit=5))
        return {"error": "disclosure"}
    if fmt != "xlsx":
        Path(paths["xlsx"]).unlink(missing_ok=True)
    path = Path(paths[fmt])
    name = f"jamkoll-{org.slug}-{year or 'alla-ar'}{'-' + intervention_id if intervention_id else ''}.{fmt}"
    return {"token": token, "file": str(path.relative_to(folder)), "name": name, "bytes": path.stat().st_size,
            "format": fmt, "year": year, "intervention": intervention_id}


def warm_analyses(org_id: int) -> None:
    """Queue :func:`compute_analyses` after an import, when tasks run in the background (never in a request)."""
    if default_task_backend.supports_get_result:
        compute_analyses.enqueue(org_id)


@task()
def compute_analyses(org_id: int) -> dict[str, Any]:
    """Compute what the pages read, once, for the store's current version (see :mod:`jamkoll.web.lib.results`).

    Run after each import and rollback, so that pages read kept results instead of computing them:
    the years with data, the analysis of all years and of every year, each with its charts in both
    languages, every intervention's analysis of the latest year (the intervention page's default),
    the budget by sex of every budget year (in total and per intervention) and the goal follow-up of
    the funded applications. ``years`` lists the analyses of the whole organisation that were computed.
    """
    from jamkoll.web.accounts.models import Organization
    from jamkoll.web.funding import services as funding
    from jamkoll.web.funding.models import Application
    from jamkoll.web.lib.stores import sync_interventions

    from .analysis import AnalysisFailed, analysis_for, available_years, dashboard_charts

    org = Organization.objects.get(pk=org_id)
    years = available_years(org)
    done = []
    for year in [None, *years]:
        try:
            analysis = analysis_for(org, year)
        except AnalysisFailed:
            continue
        done.append(year)
        if analysis is not None:
            for lang in ("sv", "en"):
                dashboard_charts(analysis, lang)
    interventions = [i.intervention_id for i in sync_interventions(org)]
    if years:
        for intervention_id in interventions:
            try:
                analysis = analysis_for(org, years[0], intervention_id)
            except AnalysisFailed:
                continue
            if analysis is not None:
                for lang in ("sv", "en"):
                    dashboard_charts(analysis, lang, intervention_id)
    for year in funding.budget_years(org):
        funding.budget_by_sex(org, year)
        for intervention_id in interventions:
            funding.budget_by_sex(org, year, [intervention_id])
    for app in Application.objects.filter(organization=org, status=Application.Status.FUNDED):
        funding.follow_up(app)
    return {"years": done}


def result_of(task_id: str) -> TaskResult[Any] | None:
    """The task's result as the backend knows it now (None: unknown to this backend)."""
    if not task_id or not default_task_backend.supports_get_result:
        return None
    try:
        return default_task_backend.get_result(task_id)
    except TaskResultDoesNotExist:
        return None


def is_running(task_id: str) -> bool:
    result = result_of(task_id)
    return result is not None and result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)
