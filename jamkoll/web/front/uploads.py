"""Uploads: stage the files, check them against the organisation's store, import only on confirmation.

Used by the upload pages and the API alike. The flow:

1. :func:`stage_upload` saves the files to ``<data dir>/staging/<org>/<token>/`` and checks them with
   :func:`jamkoll.ingest.load_files` (everything an import checks, nothing stored). The
   :class:`Submission` is *pending* (the user sees the import report) or *rejected* (the user sees
   every problem: file, sheet, row, column, reason; the files are deleted at once).
2. :func:`confirm_submission` imports the same files (checked again, and their SHA-256 compared) with
   :func:`jamkoll.ingest.import_files`, all or nothing, and numbers the new version of each intervention.
3. :func:`cancel_submission` deletes the staged files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import shutil
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

from jamkoll.ingest import ImportRejected, Problem, import_files, load_files
from jamkoll.web.accounts.models import Intervention, Organization, Role
from jamkoll.web.lib import audit
from jamkoll.web.lib.permissions import can_upload, role_of
from jamkoll.web.lib.stores import staging_root, store_for, store_lock, sync_interventions

from .models import Submission, SubmissionVersion

log = logging.getLogger("jamkoll.web")

MAX_PROBLEMS_KEPT = 1000
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
    """Expire pending uploads older than ``JAMKOLL_STAGING_HOURS`` and delete their files."""
    limit = timezone.now() - dt.timedelta(hours=settings.JAMKOLL_STAGING_HOURS)
    stale = Submission.objects.filter(organization=org, status=Submission.Status.PENDING, created__lt=limit)
    count = 0
    for submission in stale:
        _discard_staging(submission)
        submission.status = Submission.Status.CANCELLED
        submission.decided = timezone.now()
        submission.save(update_fields=["staging", "status", "decided"])
        count += 1
    return count


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


def stage_upload(org: Organization, user: Any, files: list[UploadedFileLike], *, year: int | None = None,
                 note: str = "", request: HttpRequest | None = None) -> Submission:
    """Save and check uploaded files; nothing reaches the analysis store here."""
    if not files:
        raise UploadError(_("Välj minst en fil att ladda upp."))
    if len(files) > settings.DATA_UPLOAD_MAX_NUMBER_FILES:
        raise UploadError(_("Högst %(n)d filer åt gången.") % {"n": settings.DATA_UPLOAD_MAX_NUMBER_FILES})
    total = sum(f.size or 0 for f in files)
    if total > settings.JAMKOLL_MAX_UPLOAD_BYTES:
        raise UploadError(_("Filerna är för stora tillsammans (högst %(mb)d MB).")
                          % {"mb": settings.JAMKOLL_MAX_UPLOAD_BYTES // (1024 * 1024)})
    purge_stale_staging(org)
    token = secrets.token_hex(12)
    folder = staging_root(org) / token
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
    submission = Submission(organization=org, uploaded_by=user, year=year, note=note[:500], files=described,
                            staging=token)
    try:
        with store_lock(org):
            batch = load_files(paths, store_for(org))
    except ImportRejected as exc:
        _reject(submission, exc.problems)
    else:
        report = batch.report.to_dict()
        submission.report = report
        submission.interventions = list(report["interventions"])
        denied = _permission_problems(user, org, submission.interventions, submission.file_names)
        if denied:
            _reject(submission, denied)
    submission.save()
    action = audit.UPLOAD_REJECTED if submission.status == Submission.Status.REJECTED else audit.UPLOAD_CHECKED
    audit.audit(request, action, user=user, organization=org, obj=submission,
                details={"files": described, "interventions": submission.interventions,
                         "problems": submission.problem_count})
    return submission


def _reject(submission: Submission, problems: list[Problem]) -> None:
    submission.status = Submission.Status.REJECTED
    submission.decided = timezone.now()
    submission.problems = _problems_json(problems)
    submission.problem_count = len(problems)
    _discard_staging(submission)


def confirm_submission(submission: Submission, user: Any, request: HttpRequest | None = None) -> Submission:
    """Import a checked upload into the store (all or nothing) and number the interventions' versions."""
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
    with transaction.atomic():
        # One import at a time per organisation (row lock on PostgreSQL; SQLite serialises writers).
        Organization.objects.select_for_update().filter(pk=org.pk).first()
        try:
            with store_lock(org):
                report = import_files(paths, store_for(org))
        except ImportRejected as exc:
            _reject(submission, exc.problems)
            submission.save()
            audit.audit(request, audit.UPLOAD_REJECTED, user=user, organization=org, obj=submission,
                        details={"problems": submission.problem_count, "at": "confirm"})
            return submission
        submission.status = Submission.Status.ACCEPTED
        submission.decided = timezone.now()
        submission.report = report.to_dict()
        submission.interventions = list(report.interventions)
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
                    details={"files": submission.files, "versions": versions, "rows": report.rows})
    from jamkoll.web.front.analysis import prune_cache

    prune_cache(org)
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
