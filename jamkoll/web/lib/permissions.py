"""Who may do what: one function per question, used by the pages and the API alike.

Roles, per organisation (``Membership.role``):

* **admin** and **analyst**: all data of their organisation; analyse, upload, manage the findings register.
* **reporter**: uploads data for, and sees, only the interventions assigned to them.
* **viewer** (steering group): aggregated, disclosure-controlled views only: no uploads, no rows about
  individuals; may comment on findings but not decide them.

Nobody sees another organisation's data: :func:`organization_for` answers 404 for an organisation
the user is not a member of, so its existence is not revealed either.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from jamkoll.web.accounts.models import Intervention, Membership, Organization, Role

FULL_ACCESS = frozenset({Role.ADMIN, Role.ANALYST})
AGGREGATE_READERS = frozenset({Role.ADMIN, Role.ANALYST, Role.VIEWER})


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def membership(user: Any, org: Organization) -> Membership | None:
    """The user's membership of ``org`` (cached on the user object for the request), or None."""
    if not _active(user):
        return None
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_jamkoll_memberships", {})
    if org.pk not in cache:
        cache[org.pk] = Membership.objects.filter(user=user, organization=org).first()
    return cache[org.pk]


def role_of(user: Any, org: Organization) -> str | None:
    member = membership(user, org)
    return member.role if member else None


def organization_for(user: Any, slug: str) -> tuple[Organization, Membership]:
    """The organisation ``slug`` and the user's membership of it; 404 for everyone else."""
    member = None
    if _active(user):
        # One query for both (the pages' most frequent one); kept for membership() in the same request.
        member = Membership.objects.select_related("organization").filter(user=user, organization__slug=slug).first()
        if member is not None:
            user.__dict__.setdefault("_jamkoll_memberships", {})[member.organization.pk] = member
    if member is None:
        raise Http404("Organisationen finns inte.")
    return member.organization, member


def require(allowed: bool) -> None:
    """Refuse (403) what the user's role does not allow within their own organisation."""
    if not allowed:
        raise PermissionDenied(_("Din roll ger inte behörighet till detta."))


def organizations_of(user: Any) -> list[Organization]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organization.objects.filter(memberships__user=user).order_by("name"))


def _assigned(user: Any, org: Organization, intervention_id: str | None) -> bool:
    member = membership(user, org)
    if member is None or member.role != Role.REPORTER:
        return False
    if intervention_id is None:
        return bool(member.assigned_ids())
    return intervention_id in member.assigned_ids()


def can_view_organization(user: Any, org: Organization) -> bool:
    """See the organisation at all (its name, the interventions one may see): every member."""
    return membership(user, org) is not None


def can_view_statistics(user: Any, org: Organization) -> bool:
    """Aggregated, disclosure-controlled statistics of the whole organisation."""
    return role_of(user, org) in AGGREGATE_READERS


def can_view_intervention(user: Any, org: Organization, intervention_id: str | None) -> bool:
    """Aggregated statistics and findings of one intervention (None: the organisation as a whole)."""
    if intervention_id is None:
        return can_view_statistics(user, org)
    return role_of(user, org) in AGGREGATE_READERS or _assigned(user, org, intervention_id)


def can_view_individual_level(user: Any, org: Organization, intervention_id: str | None = None) -> bool:
    """Rows about individual (pseudonymised) participants, upload checks and their error lists.

    Admins and analysts see all of their organisation's; a reporter those of the assigned interventions
    (``intervention_id`` None asks about the organisation's data as a whole: reporters may not).
    """
    if role_of(user, org) in FULL_ACCESS:
        return True
    return intervention_id is not None and _assigned(user, org, intervention_id)


def can_upload(user: Any, org: Organization, intervention_id: str | None = None) -> bool:
    """Upload data: for ``intervention_id``, or (None) at all. Reporters for assigned interventions only."""
    if role_of(user, org) in FULL_ACCESS:
        return True
    return _assigned(user, org, intervention_id)


def can_view_submission(user: Any, org: Organization, submission: Any) -> bool:
    """An upload's details (file names, check results, errors with row values)."""
    if submission.organization_id != org.pk:
        return False
    if role_of(user, org) in FULL_ACCESS:
        return True
    return role_of(user, org) == Role.REPORTER and submission.uploaded_by_id == user.pk


def can_view_findings(user: Any, org: Organization) -> bool:
    """The findings register. Reporters see the cases of their assigned interventions only."""
    return can_view_statistics(user, org) or _assigned(user, org, None)


def can_view_case(user: Any, org: Organization, case: Any) -> bool:
    if case.organization_id != org.pk:
        return False
    intervention = case.intervention.intervention_id if case.intervention_id else None
    return can_view_intervention(user, org, intervention)


def can_comment_on_findings(user: Any, org: Organization) -> bool:
    """Comment on a case: admins, analysts and the steering group (viewers)."""
    return role_of(user, org) in AGGREGATE_READERS


def can_manage_findings(user: Any, org: Organization) -> bool:
    """Update the register from the analysis, and justify, plan, close or reopen cases."""
    return role_of(user, org) in FULL_ACCESS


def can_generate_report(user: Any, org: Organization, intervention_id: str | None = None) -> bool:
    """Download a report (aggregated, disclosure-controlled) of the organisation or one intervention."""
    return can_view_intervention(user, org, intervention_id)


def can_generate_any_report(user: Any, org: Organization) -> bool:
    """Use the reports page at all: for the organisation, or (reporters) for an assigned intervention."""
    return can_generate_report(user, org) or _assigned(user, org, None)


def can_manage_members(user: Any, org: Organization) -> bool:
    """Add members, change their roles and a reporter's interventions, remove members: admins only."""
    return role_of(user, org) == Role.ADMIN


# -- what a user may see, as querysets (the lists on the pages and in the API) ---------------------


def _assigned_ids(user: Any, org: Organization) -> frozenset[str]:
    member = membership(user, org)
    return member.assigned_ids() if member else frozenset()


def visible_interventions(user: Any, org: Organization) -> QuerySet[Intervention]:
    interventions = Intervention.objects.filter(organization=org)
    if can_view_statistics(user, org):
        return interventions
    return interventions.filter(intervention_id__in=_assigned_ids(user, org))


def visible_submissions(user: Any, org: Organization) -> QuerySet[Any]:
    from jamkoll.web.front.models import Submission

    submissions = Submission.objects.filter(organization=org).select_related("uploaded_by")
    if role_of(user, org) in FULL_ACCESS:
        return submissions
    if role_of(user, org) == Role.REPORTER:
        return submissions.filter(uploaded_by=user)
    return submissions.none()


def visible_cases(user: Any, org: Organization) -> QuerySet[Any]:
    from jamkoll.web.front.models import FindingCase

    cases = FindingCase.objects.filter(organization=org).select_related("intervention")
    if can_view_statistics(user, org):
        return cases
    return cases.filter(intervention__intervention_id__in=_assigned_ids(user, org))
