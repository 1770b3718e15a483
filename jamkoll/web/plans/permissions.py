"""Who may do what with plans, checklists, activities and the library: one function per question.

Follows :mod:`jamkoll.web.lib.permissions`: admins and analysts edit; the steering group (viewers)
reads everything here; reporters read the action plans only. Members of another organisation get 404
(through :func:`jamkoll.web.lib.permissions.organization_for` and the organisation-scoped querysets
below); a plan shared by partner organisations is visible to the members of each of them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jamkoll.web.accounts.models import Organization
from jamkoll.web.lib.permissions import AGGREGATE_READERS, FULL_ACCESS, membership, require, role_of

__all__ = ["can_edit_governance", "can_edit_plans", "can_view_governance", "can_view_plans", "require",
           "visible_plans"]


def can_view_plans(user: Any, org: Organization) -> bool:
    """The organisation's action plans (its own and those shared with it), their revisions and board meetings."""
    return membership(user, org) is not None


def can_edit_plans(user: Any, org: Organization) -> bool:
    """Create and change plans, goals and actions; register board meetings and adopted revisions."""
    return role_of(user, org) in FULL_ACCESS


def can_view_governance(user: Any, org: Organization) -> bool:
    """Checklists, activities and the library."""
    return role_of(user, org) in AGGREGATE_READERS


def can_edit_governance(user: Any, org: Organization) -> bool:
    """Edit checklist templates, answer checklists, record activities, add to the library."""
    return role_of(user, org) in FULL_ACCESS


def visible_plans(user: Any, org: Organization) -> QuerySet[Any]:
    """The plans of ``org`` (owned or shared with it) that the user may read: none for non-members."""
    from .models import ActionPlan

    plans = ActionPlan.objects.filter(organizations=org).select_related("owner").distinct()
    return plans if can_view_plans(user, org) else plans.none()
