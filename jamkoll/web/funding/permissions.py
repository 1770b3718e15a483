"""Who may do what with applications and budgets (the pages and the API ask the same functions).

* admin and analyst: create, edit, assess and decide every application; see every follow-up and budget.
* reporter: draft and submit applications for the interventions assigned to them; sees those
  applications and, once funded, their follow-up. No organisation-wide budget.
* viewer (board, steering group): reads every application that has been submitted, its assessment,
  decision and follow-up, and the budget by sex.
* members of other organisations: 404 (:func:`jamkoll.web.lib.permissions.organization_for`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jamkoll.web.accounts.models import Organization, Role
from jamkoll.web.lib import permissions as perm

from .models import Application


def _assigned(user: Any, org: Organization) -> frozenset[str]:
    member = perm.membership(user, org)
    return member.assigned_ids() if member is not None and member.role == Role.REPORTER else frozenset()


def can_view_applications(user: Any, org: Organization) -> bool:
    """The list of applications: every member (a reporter sees their own and their interventions')."""
    return perm.role_of(user, org) is not None


def visible_applications(user: Any, org: Organization) -> QuerySet[Application]:
    apps = Application.objects.filter(organization=org).select_related("intervention", "created_by")
    role = perm.role_of(user, org)
    if role in perm.FULL_ACCESS:
        return apps
    if role == Role.VIEWER:
        return apps.exclude(status=Application.Status.DRAFT)
    if role == Role.REPORTER:
        submitted = Q(intervention__intervention_id__in=_assigned(user, org)) & ~Q(status=Application.Status.DRAFT)
        return apps.filter(Q(created_by=user) | submitted)
    return apps.none()


def can_view_application(user: Any, org: Organization, app: Application) -> bool:
    return app.organization_id == org.pk and visible_applications(user, org).filter(pk=app.pk).exists()


def can_create_application(user: Any, org: Organization) -> bool:
    """Admins and analysts; reporters with at least one assigned intervention."""
    role = perm.role_of(user, org)
    return role in perm.FULL_ACCESS or (role == Role.REPORTER and bool(_assigned(user, org)))


def can_edit_application(user: Any, org: Organization, app: Application) -> bool:
    """Change or submit a draft: admins and analysts, or the reporter who wrote it."""
    if app.organization_id != org.pk or app.status != Application.Status.DRAFT:
        return False
    role = perm.role_of(user, org)
    return role in perm.FULL_ACCESS or (role == Role.REPORTER and app.created_by_id == user.pk)


def can_assess(user: Any, org: Organization) -> bool:
    """Assess (preparatory group) and record decisions: admins and analysts."""
    return perm.role_of(user, org) in perm.FULL_ACCESS


def can_view_follow_up(user: Any, org: Organization, app: Application) -> bool:
    """The goals' follow-up against the data: anyone who may see the application and its intervention."""
    if app.intervention is None:
        return False
    return (can_view_application(user, org, app)
            and perm.can_view_intervention(user, org, app.intervention.intervention_id))


def can_view_budget(user: Any, org: Organization, intervention_id: str | None = None) -> bool:
    """The budget by sex: of the organisation (aggregate readers) or of one intervention."""
    return perm.can_view_intervention(user, org, intervention_id)
