"""Models: organisations, memberships, interventions, API tokens, findings cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jamkoll.web.accounts.models import ApiToken, Intervention, Membership, Organization
from jamkoll.web.front.models import FindingCase

from .conftest import make_member


def test_partners_are_mutual(org: Any, other_org: Any) -> None:
    org.partners.add(other_org)
    assert list(other_org.partners.all()) == [org]
    assert str(org) == "Testförbundet"


def test_one_membership_per_user_and_organization(org: Any) -> None:
    user = make_member(org, "viewer")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organization=org, role="admin")


def test_intervention_ids_are_unique_per_organization(org: Any, other_org: Any) -> None:
    Intervention.objects.create(organization=org, intervention_id="INS01")
    Intervention.objects.create(organization=other_org, intervention_id="INS01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Intervention.objects.create(organization=org, intervention_id="INS01")


def test_reporters_get_only_their_own_organizations_interventions(org: Any, other_org: Any) -> None:
    user = make_member(org, "reporter")
    member = Membership.objects.get(user=user)
    foreign = Intervention.objects.create(organization=other_org, intervention_id="X1")
    with pytest.raises(ValidationError), transaction.atomic():
        member.interventions.add(foreign)
    with pytest.raises(ValidationError), transaction.atomic():
        foreign.reporters.add(member)
    own = Intervention.objects.create(organization=org, intervention_id="INS01")
    member.interventions.add(own)
    assert member.assigned_ids() == {"INS01"}


def test_api_tokens_are_stored_hashed(org: Any) -> None:
    user = make_member(org, "analyst")
    token, plain = ApiToken.issue(user, "integration")
    assert plain.startswith("jk_") and plain not in token.token_hash
    assert token.hint == plain[:10]
    assert ApiToken.user_for(plain) == user
    assert ApiToken.objects.get(pk=token.pk).last_used is not None
    assert ApiToken.user_for(plain + "x") is None
    assert ApiToken.user_for("not-a-token") is None
    user.is_active = False
    user.save()
    assert ApiToken.user_for(plain) is None


def test_overdue_is_a_planned_action_past_its_date(org: Any) -> None:
    case = FindingCase.objects.create(organization=org, finding_id="component:all:praktik", year=2025,
                                      dimension="component", category="praktik", explanation="…")
    today = dt.date(2026, 3, 1)
    assert not case.is_overdue(today)
    case.status, case.action_due = FindingCase.Status.ACTION_PLANNED, dt.date(2026, 2, 28)
    case.save()
    assert case.is_overdue(today)
    assert FindingCase.objects.filter(FindingCase.overdue_q(today)).count() == 1
    case.status = FindingCase.Status.DONE
    assert not case.is_overdue(today)


def test_one_case_per_finding_and_year(org: Any) -> None:
    FindingCase.objects.create(organization=org, finding_id="f", year=2025, dimension="component", category="c",
                               explanation="")
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingCase.objects.create(organization=org, finding_id="f", year=2025, dimension="component",
                                   category="c", explanation="")


def test_organization_slug_is_unique(org: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.create(name="Kopia", slug=org.slug)


def test_migrations_are_complete(db: None) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
