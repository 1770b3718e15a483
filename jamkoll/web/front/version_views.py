"""The store's versions: list them, compare two, roll back to an earlier one (admins and analysts).

Every confirmed upload (and every rollback) is a version of the organisation's analysis store
(:mod:`jamkoll.ingest.store`). A rollback makes a copy of the earlier version the new current
version, so it can itself be undone; it is audited with who, when and which versions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jamkoll.ingest import VersionNotFound
from jamkoll.ingest.compare import compare_versions
from jamkoll.ingest.validate import TABLE_LABELS_SV
from jamkoll.web.accounts.models import Membership, Organization, Role
from jamkoll.web.lib import audit
from jamkoll.web.lib import permissions as perm
from jamkoll.web.lib.stores import store_for, sync_interventions

from .models import Submission
from .views import org_context, org_view

STORE_ROLLED_BACK = "store_rolled_back"


def can_manage_versions(user: Any, org: Organization) -> bool:
    """Admins and analysts see, compare and restore the store's versions."""
    return perm.role_of(user, org) in (Role.ADMIN, Role.ANALYST)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@org_view
@require_GET
def versions(request: HttpRequest, org: Organization, member: Membership) -> HttpResponse:
    perm.require(can_manage_versions(request.user, org))
    store = store_for(org)
    history = list(reversed(store.versions()))
    current = store.current_version()
    uploads = {s.store_version: s for s in Submission.objects.filter(organization=org, store_version__isnull=False)}
    rows = [{"v": v, "submission": uploads.get(v.number), "current": v.number == current} for v in history]
    old, new = _int(request.GET.get("fran")), _int(request.GET.get("till"))
    if not (old and new) and current and len(history) > 1 and history[1].available:
        # By default: the previous version against the current one.
        old, new = history[1].number, current
    comparison = None
    if old and new:
        try:
            comparison = compare_versions(store, old, new)
        except VersionNotFound as exc:
            messages.error(request, str(exc))
    return render(request, "front/versions.html", org_context(
        request, org, member, section="uploads", rows=rows, current=current, comparison=comparison,
        compare_old=old, compare_new=new, keep=store.keep_versions,
        table_rows=[(TABLE_LABELS_SV.get(n, n), a, b) for n, a, b in comparison.tables] if comparison else [],
    ))


@org_view
@require_POST
def version_rollback(request: HttpRequest, org: Organization, member: Membership, number: int) -> HttpResponse:
    perm.require(can_manage_versions(request.user, org))
    store = store_for(org)
    before = store.current_version()
    try:
        created = store.rollback(number, author=request.user.get_username())
    except VersionNotFound as exc:
        messages.error(request, str(exc))
        return redirect("front:versions", slug=org.slug)
    sync_interventions(org)
    from .analysis import prune_cache
    from .tasks import warm_analyses

    prune_cache(org)
    warm_analyses(org.pk)  # the restored version's results, computed in the background
    audit.audit(request, STORE_ROLLED_BACK, organization=org,
                details={"restored": number, "replaced": before, "new_version": created.number})
    messages.success(request, _("Version %(old)d är återställd som version %(new)d.")
                     % {"old": number, "new": created.number})
    return redirect("front:versions", slug=org.slug)
