"""Who may manage what in the portal (one function per question, like ``jamkoll.web.lib.permissions``).

Reading the portal needs no login at all: everything on it is aggregated and disclosure-controlled.
"""

from __future__ import annotations

from typing import Any

from jamkoll.web.accounts.models import Organization, Role
from jamkoll.web.lib.permissions import role_of

from .models import Region


def can_manage_region(user: Any, region: Region) -> bool:
    """Upload indicator files and map geometry for the region's portal: the region organisation's admins."""
    return role_of(user, region.organization) == Role.ADMIN


def can_act_for(user: Any, org: Organization) -> bool:
    """Join a strategy, publish the organisation's own indicators or figures: its admins."""
    return role_of(user, org) == Role.ADMIN


def organizations_to_act_for(user: Any) -> list[Organization]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organization.objects.filter(memberships__user=user, memberships__role=Role.ADMIN).order_by("name"))
