"""What every organisation page shares, whichever app owns it: resolving the organisation from the
URL (404 for non-members, so another organisation's pages stay hidden) and the template context of
the role. Apps use these instead of importing each other's views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase

from jamkoll.web.accounts.models import Membership, Organization
from jamkoll.web.lib import permissions as perm

OrgView = Callable[..., HttpResponseBase]


def org_view(view: OrgView) -> Callable[..., HttpResponseBase]:
    """Resolve ``slug`` to the user's organisation and membership (404 for non-members)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        org, member = perm.organization_for(request.user, slug)
        return view(request, org, member, *args, **kwargs)

    return wrapper


def org_context(request: HttpRequest, org: Organization, member: Membership, **extra: Any) -> dict[str, Any]:
    """What every organisation page needs: the organisation, the role and what the user may do."""
    user = request.user
    context = {
        "org": org,
        "member": member,
        "can": {
            "statistics": perm.can_view_statistics(user, org),
            "upload": perm.can_upload(user, org),
            "findings": perm.can_view_findings(user, org),
            "manage_findings": perm.can_manage_findings(user, org),
            "comment": perm.can_comment_on_findings(user, org),
            "reports": perm.can_generate_any_report(user, org),
            "individual": perm.can_view_individual_level(user, org),
            "members": perm.can_manage_members(user, org),
        },
    }
    context.update(extra)
    return context
