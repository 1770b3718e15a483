"""Uploads: stage the files, check them against the organisation's store, import only on confirmation.

Used by the upload pages and the API alike. The flow:

1. :func:`stage_upload` saves the files to ``<data dir>/staging/<org>/<token>/`` and checks them with
   :func:`jamkoll.ingest.load_files` (everything an import checks, nothing stored). The
   :class:`Submission` is *pending* (the user sees the import report) or *rejected* (the user sees
   every problem: file, sheet, row, column, reason; the files are deleted at once).
   The check also plans what confirming would change in the store (:func:`jamkoll.ingest.plan_files`):
   per intervention and year, enrolments added, changed and removed. An upload replaces only its
   declared scope (:mod:`jamkoll.ingest.scope`): by default the years its rows cover, or the year the
   user gives; removing anything outside it needs an explicit choice at confirmation.
2. :func:`confirm_submission` imports the same files (checked again, and their SHA-256 compared) with
   :func:`jamkoll.ingest.import_files` as a new store version, all or nothing, and numbers the new
   version of each intervention. Earlier store versions are kept for comparison and rollback
   (:mod:`jamkoll.web.front.version_views`).
3. :func:`cancel_submission` deletes the staged files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jamkoll.ingest import (
    ImportPlan,
    ImportRejected,
    Problem,
    Scope,
    ScopeRefused,
    StoreChanged,
    import_files,
    plan_files,
)
from jamkoll.web.accounts.models import Intervention, Organization, Role
from jamkoll.web.lib import audit
from jamkoll.web.lib.permissions import can_upload, role_of, visible_interventions
from jamkoll.web.lib.stores import staging_root, store_for, sync_interventions

from .models import ReplaceMode, Submission, SubmissionVersion

log = logging.getLogger("jamkoll.web")

MAX_PROBLEMS_KEPT = 1000
# A staged folder without a pending upload older than this is left over from a crash.
ORPHAN_SECONDS = 3600
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")


class UploadedFileLike(Protocol):
    name: str | None
    size: int | None

    def chunks(self, chunk_size: int | None = None) -> Iterable[bytes]: ...


@dataclass
class UploadError(Exception):
    """An upload that cannot even be checked (no files, too large, …): nothing is saved."""

    message: str

    def __str__(self) -> str:
        return self.message


def safe_file_name(name: str | None, position: int) -> str:
    """The user's own file name, without folders or control characters (shown in every error)."""
    base = _UNSAFE.sub("", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if base in ("", ".", ".."):
        base = f"fil-{position + 1}"
    return base[-200:]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _staged_paths(submission: Submission) -> list[Path]:
    folder = staging_root(submission.organization) / submission.staging
    return [folder / str(i) / f["name"] for i, f in enumerate(submission.files)]


def _discard_staging(submission: Submission) -> None:
    if submission.staging:
        shutil.rmtree(staging_root(submission.organization) / submission.staging, ignore_errors=True)
        submission.staging = ""


def purge_stale_staging(org: Organization) -> int:
    """Expire pending uploads older than ``JAMKOLL_STAGING_HOURS``, delete their files and any staged folder
    no pending upload owns."""
    limit = timezone.now() - dt.timedelta(hours=settings.JAMKOLL_STAGING_HOURS)
    stale = Submission.objects.filter(organization=org, status=Submission.Status.PENDING, created__lt=limit)
    count = 0
    for submission in stale:
        _discard_staging(submission)
        submission.status = Submission.Status.CANCELLED
        submission.decided = timezone.now()
        submission.save(update_fields=["staging", "status", "decided"])
        audit.audit(None, audit.UPLOAD_CANCELLED, organization=org, obj=submission,
                    details={"reason": "expired", "files": submission.files})
        count += 1
    # Folders no pending upload points at (a process killed while saving or checking): deleted once
    # they are older than any upload in progress can be.
    root = staging_root(org)
    if root.exists():
        pending = set(Submission.objects.filter(organization=org, status=Submission.Status.PENDING)
                      .values_list("staging", flat=True))
        cutoff = time.time() - ORPHAN_SECONDS
        for folder in root.iterdir():
            if folder.name not in pending and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                log.warning("Removed orphaned staging folder of %s", org.slug)
                count += 1
    return count


def sweep_staging() -> int:
    """The periodic sweep: :func:`purge_stale_staging` for every organisation."""
    return sum(purge_stale_staging(org) for org in Organization.objects.all())


def _problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.to_dict() for p in problems[:MAX_PROBLEMS_KEPT]]


def _permission_problems(user: Any, org: Organization, interventions: list[str],
                         files: list[str]) -> list[Problem]:
    """A reporter may only send data about the interventions assigned to them."""
    if role_of(user, org) != Role.REPORTER:
        return []
    where = ", ".join(files)
    if not interventions:
        return [Problem(where, _("Filerna nämner ingen insats. Som rapportör kan du bara lämna uppgifter "
                                 "om de insatser du är tilldelad."))]
    return [
        Problem(where, _("Du är inte tilldelad insats %(id)s och kan inte lämna uppgifter om den.") % {"id": iid},
                column="insats_id", value=iid)
        for iid in interventions if not can_upload(user, org, iid)
    ]


def reach_of(user: Any, org: Organization) -> set[str] | None:
    """The interventions whose people a user's upload may see and change: a reporter's assigned ones
    (None: all, for admins and analysts)."""
    if role_of(user, org) != Role.REPORTER:
        return None
    return {i.intervention_id for i in visible_interventions(user, org)}


def _scope(submission: Submission, allow_removal_outside: bool = False) -> Scope:
    return Scope(mode=submission.replace, years=frozenset([submission.year]) if submission.year else None,
                 allow_removal_outside=allow_removal_outside)


def stage_upload(org: Organization, user: Any, files: list[UploadedFileLike], *, year: int | None = None,
                 note: str = "", request: HttpRequest | None = None, replace: str = "year") -> Submission:
    """Save and check uploaded files, and plan what confirming would change; nothing reaches the store here.

    The staged files are deleted on every way out but *pending* (a rejection, an error, an exception),
    and every failure is audited.
    """
    if not files:
        raise UploadError(_("Välj minst en fil att ladda upp."))
    if len(files) > settings.DATA_UPLOAD_MAX_NUMBER_FILES:
        raise UploadError(_("Högst %(n)d filer åt gången.") % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FILES})
    total = sum(f.size or 0 for f in files)
    if total > settings.JAMKOLL_MAX_UPLOAD_BYTES:
        raise UploadError(_("Filerna är för stora tillsammans (högst %(mb)d MB).")
                          % {"mb": settings.JAMKOLL_MAX_UPLOAD_BYTES // (1024 * 1024)})
    if replace not in ReplaceMode.values:
        raise UploadError(_("Okänt val av vad uppladdningen ersätter."))
    if replace == ReplaceMode.ALL and role_of(user, org) not in (Role.ADMIN, Role.ANALYST):
        raise UploadError(_("Bara administratörer och analytiker kan ersätta hela databasen."))
    purge_stale_staging(org)
    token = secrets.token_hex(12)
    folder = staging_root(org) / token
    submission = Submission(organization=org, uploaded_by=user, year=year, note=note[:500], staging=token,
                            replace=replace)
    try:
        described = []
        paths = []
        for i, upload in enumerate(files):
            name = safe_file_name(upload.name, i)
            target = folder / str(i) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            described.append({"name": name, "size": target.stat().st_size, "sha256": _sha256(target)})
            paths.append(target)
        submission.files = described
        try:
            report = plan_files(paths, store_for(org), _scope(submission), reach=reach_of(user, org))
        except ImportRejected as exc:
            _reject(submission, exc.problems)
        else:
            submission.report = report.to_dict()
            submission.base_version = report.version
            submission.interventions = list(report.interventions)
            denied = _permission_problems(user, org, submission.interventions, submission.file_names)
            if denied:
                _reject(submission, denied)
        submission.save()
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        _audit_failure(request, user, org, submission, exc, at="check")
        raise
    action = audit.UPLOAD_REJECTED if submission.status == Submission.Status.REJECTED else audit.UPLOAD_CHECKED
    audit.audit(request, action, user=user, organization=org, obj=submission,
                details={"files": described, "interventions": submission.interventions,
                         "problems": submission.problem_count, "replace": submission.replace,
                         "year": submission.year, "base_version": submission.base_version})
    return submission


def _audit_failure(request: HttpRequest | None, user: Any, org: Organization, submission: Submission,
                   exc: BaseException, at: str) -> None:
    """An upload that ended in an unexpected error: logged with its traceback, audited without file content."""
    log.error("Upload to %s failed at %s", org.slug, at, exc_info=exc)
    try:
        audit.audit(request, audit.UPLOAD_REJECTED, user=user, organization=org,
                    obj=submission if submission.pk else None,
                    details={"files": submission.files, "at": at, "error": type(exc).__name__})
    except Exception:  # noqa: BLE001 - the original error matters more
        log.exception("Could not audit the failed upload")


def _reject(submission: Submission, problems: list[Problem]) -> None:
    submission.status = Submission.Status.REJECTED
    submission.decided = timezone.now()
    submission.problems = _problems_json(problems)
    submission.problem_count = len(problems)
    _discard_staging(submission)


def plan_of(submission: Submission) -> ImportPlan | None:
    """What confirming the upload does (or did), per intervention and year."""
    data = (submission.report or {}).get("plan")
    return ImportPlan.from_dict(data) if data else None


def upload_plan_context(submission: Submission) -> dict[str, Any]:
    """The check page's view of the plan: rows per intervention and year, removals, the explicit choice."""
    plan = plan_of(submission)
    if plan is None:
        return {"plan": None}
    enrolments = plan.of("enrolments")
    counts = plan.of("counts")
    removals = plan.removals()
    return {
        "plan": plan,
        "plan_enrolments": enrolments,
        "plan_counts": counts,
        "plan_totals": plan.totals("enrolments"),
        "removals": removals,
        "removals_outside": [r for r in removals if r.outside],
        "scope_label": ReplaceMode(plan.scope.mode).label,
    }


def confirm_submission(submission: Submission, user: Any, request: HttpRequest | None = None, *,
                       allow_removal_outside: bool = False) -> Submission:
    """Import a checked upload into the store as a new version (all or nothing) and number the interventions' versions.

    Raises :class:`UploadError` (the upload stays pending) when the import would remove rows outside
    its declared scope and ``allow_removal_outside`` is not set, or when the store got a new version
    since the check (the plan is then made again for the user to see).
    """
    org = submission.organization
    if submission.status != Submission.Status.PENDING:
        raise UploadError(_("Uppladdningen väntar inte på bekräftelse (status: %(status)s).")
                          % {"status": submission.get_status_display()})
    paths = _staged_paths(submission)
    changed = [f["name"] for f, p in zip(submission.files, paths, strict=True)
               if not p.exists() or _sha256(p) != f["sha256"]]
    problems = [Problem(name, _("Filen har försvunnit eller ändrats sedan kontrollen; ladda upp den igen."))
                for name in changed]
    # The assignments may have changed since the check.
    problems += _permission_problems(user, org, submission.interventions, submission.file_names)
    if problems:
        _reject(submission, problems)
        submission.save()
        audit.audit(request, audit.UPLOAD_REJECTED, user=user, organization=org, obj=submission,
                    details={"problems": submission.problem_count, "at": "confirm"})
        return submission
    store = store_for(org)
    # No database transaction or lock is held while importing: the store allows one writer at a time
    # (a file lock) and readers keep reading the current version until the new one is switched in.
    try:
        report = import_files(paths, store, scope=_scope(submission, allow_removal_outside),
                              author=user.get_username() if user is not None else None,
                              expect_base=submission.base_version, reach=reach_of(user, org))
    except ImportRejected as exc:
        _reject(submission, exc.problems)
        submission.save()
        audit.audit(request, audit.UPLOAD_REJECTED, user=user, organization=org, obj=submission,
                    details={"problems": submission.problem_count, "at": "confirm"})
        return submission
    except ScopeRefused as exc:
        submission.report = {**(submission.report or {}), "plan": exc.plan.to_dict()}
        submission.save(update_fields=["report"])
        raise UploadError(_("Bekräfta uttryckligen att uppgifterna utanför de angivna åren ska tas bort "
                            "(kryssrutan), eller ladda upp filer för rätt år.")) from exc
    except StoreChanged as exc:
        try:
            fresh = plan_files(paths, store, _scope(submission), reach=reach_of(user, org))
        except ImportRejected as rejected:
            _reject(submission, rejected.problems)
            submission.save()
            audit.audit(request, audit.UPLOAD_REJECTED, user=user, organization=org, obj=submission,
                        details={"problems": submission.problem_count, "at": "confirm"})
            return submission
        submission.report = fresh.to_dict()
        submission.base_version = fresh.version
        submission.save(update_fields=["report", "base_version"])
        raise UploadError(_("Databasen har ändrats sedan kontrollen. Se efter vad en bekräftelse nu skulle "
                            "ändra och bekräfta igen.")) from exc
    except BaseException as exc:
        _discard_staging(submission)
        submission.status = Submission.Status.REJECTED
        submission.decided = timezone.now()
        submission.problems = _problems_json([Problem(", ".join(submission.file_names), _(
            "Inläsningen avbröts av ett oväntat fel. Ingenting har sparats; försök igen eller kontakta "
            "förbundets administratör."))])
        submission.problem_count = 1
        submission.save()
        _audit_failure(request, user, org, submission, exc, at="confirm")
        if not isinstance(exc, Exception):
            raise
        return submission
    plan = report.plan
    with transaction.atomic():
        submission.status = Submission.Status.ACCEPTED
        submission.decided = timezone.now()
        submission.report = report.to_dict()
        submission.interventions = list(report.interventions)
        submission.store_version = report.version
        _discard_staging(submission)
        submission.save()
        known = {i.intervention_id: i for i in sync_interventions(org)}
        versions = {}
        for iid in submission.interventions:
            intervention = known.get(iid) or Intervention.objects.get_or_create(
                organization=org, intervention_id=iid)[0]
            latest = SubmissionVersion.objects.filter(intervention=intervention).aggregate(v=Max("version"))["v"]
            version = (latest or 0) + 1
            SubmissionVersion.objects.create(submission=submission, intervention=intervention, version=version)
            versions[iid] = version
        audit.audit(request, audit.UPLOAD_ACCEPTED, user=user, organization=org, obj=submission,
                    details={"files": submission.files, "versions": versions, "rows": report.rows,
                             "store_version": report.version, "scope": _scope(submission, allow_removal_outside)
                             .to_dict(), "participant_conflicts": report.participant_conflicts,
                             "removed": [{"table": r.table, "intervention": r.intervention_id, "years": r.years,
                                          "count": r.count, "outside": r.outside}
                                         for r in (plan.removals() if plan else [])]})
    from jamkoll.web.front.analysis import prune_cache
    from jamkoll.web.front.tasks import warm_analyses

    prune_cache(org)
    warm_analyses(org.pk)  # the new version's results, computed in the background for the pages
    return submission


def cancel_submission(submission: Submission, user: Any, request: HttpRequest | None = None) -> Submission:
    if submission.status != Submission.Status.PENDING:
        raise UploadError(_("Uppladdningen väntar inte på bekräftelse (status: %(status)s).")
                          % {"status": submission.get_status_display()})
    _discard_staging(submission)
    submission.status = Submission.Status.CANCELLED
    submission.decided = timezone.now()
    submission.save()
    audit.audit(request, audit.UPLOAD_CANCELLED, user=user, organization=submission.organization, obj=submission)
    return submission
