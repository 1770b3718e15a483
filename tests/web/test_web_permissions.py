"""The permission functions: one question each, the same answers for the pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from jamkoll.web.front.models import FindingCase, Submission
from jamkoll.web.lib import permissions as perm


def test_roles_matrix(org: Any, members: dict[str, Any]) -> None:
    expected = {
        # role: statistics, view INS01, view INS02, rows INS01, rows (org), upload, upload INS01, upload INS02,
        #       findings, comment, manage, report (org)
        "admin": (True, True, True, True, True, True, True, True, True, True, True, True),
        "analyst": (True, True, True, True, True, True, True, True, True, True, True, True),
        "reporter": (False, True, False, True, False, True, True, False, True, False, False, False),
        "viewer": (True, True, True, False, False, False, False, False, True, True, False, True),
        "outsider": (False,) * 12,
    }
    for role, answers in expected.items():
        user = members[role]
        got = (
            perm.can_view_statistics(user, org), perm.can_view_intervention(user, org, "INS01"),
            perm.can_view_intervention(user, org, "INS02"), perm.can_view_individual_level(user, org, "INS01"),
            perm.can_view_individual_level(user, org), perm.can_upload(user, org),
            perm.can_upload(user, org, "INS01"), perm.can_upload(user, org, "INS02"),
            perm.can_view_findings(user, org), perm.can_comment_on_findings(user, org),
            perm.can_manage_findings(user, org), perm.can_generate_report(user, org),
        )
        assert got == answers, role


def test_non_members_get_404_not_403(org: Any, members: dict[str, Any]) -> None:
    assert perm.organization_for(members["viewer"], org.slug)[0] == org
    with pytest.raises(Http404):
        perm.organization_for(members["outsider"], org.slug)
    with pytest.raises(Http404):
        perm.organization_for(members["viewer"], "finns-inte")


def test_inactive_users_have_no_rights(org: Any, members: dict[str, Any]) -> None:
    user = members["admin"]
    user.is_active = False
    assert not perm.can_view_organization(user, org)


def test_objects_of_another_organization_are_never_viewable(org: Any, other_org: Any,
                                                            members: dict[str, Any]) -> None:
    submission = Submission.objects.create(organization=other_org, uploaded_by=members["outsider"])
    case = FindingCase.objects.create(organization=other_org, finding_id="f", year=2025, dimension="component",
                                      category="c", explanation="")
    for role in ("admin", "analyst"):
        assert not perm.can_view_submission(members[role], org, submission)
        assert not perm.can_view_case(members[role], org, case)


def test_reporters_see_only_their_own_submissions(org: Any, members: dict[str, Any]) -> None:
    own = Submission.objects.create(organization=org, uploaded_by=members["reporter"])
    others = Submission.objects.create(organization=org, uploaded_by=members["admin"])
    assert perm.can_view_submission(members["reporter"], org, own)
    assert not perm.can_view_submission(members["reporter"], org, others)
    assert perm.can_view_submission(members["analyst"], org, own)
    assert not perm.can_view_submission(members["viewer"], org, own)
